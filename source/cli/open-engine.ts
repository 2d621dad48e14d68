// The connection every command makes: the host chosen as the docker CLI chooses it, berth's own
// engine started when it is the one chosen and not running, and one clear line on failure.
import {connect, type Connection} from '../client/connect/connect.ts';
import {chooseEndpoint, type Endpoint, EndpointError, type HostChoice, type HostFlags} from '../client/connect/endpoint.ts';
import {hostCandidates} from '../client/connect/host-candidates.ts';
import {readEarlySettings} from '../config/early-settings.ts';
import {describeConnectError} from '../client/errors.ts';
import type {HostCandidate} from '../client/connect/host-candidates.ts';

/** The engine, or undefined after printing why there is none. */
export async function openEngine(
	host: HostFlags | string | undefined,
	{negotiate = true, onReachable}: {negotiate?: boolean; onReachable?: (endpoint: Endpoint) => void} = {},
): Promise<Connection | undefined> {
	let choice;
	try {
		choice = remembered(host) ?? chooseEndpoint(host);
	} catch (error) {
		if (error instanceof EndpointError) {
			process.stderr.write(`berth: ${error.message}\n`);
			return undefined;
		}

		throw error;
	}

	try {
		// No Docker here: berth's own engine, started now if it is not running.
		if (choice.source === 'engine' && !(await startEngine())) return undefined;

		// Work that needs only the address can start while the engine is asked for its version.
		onReachable?.(choice.endpoint);
		return await connect(choice.endpoint, {negotiate});
	} catch (error) {
		process.stderr.write(`berth: ${describeConnectError(error, choice.endpoint)}\n`);
		return undefined;
	}
}

/** Starts berth's own engine in the background unless it runs; whether it runs now. */
async function startEngine(): Promise<boolean> {
	const {startInBackground} = await import('./engine-command.ts');
	const {enginePaths} = await import('../shared/engine-paths.ts');
	return (await startInBackground(enginePaths(), {quiet: true})) === 0;
}

/** Connects to a host the switcher offers, starting berth's engine if it is the one; throws a sentence. */
export async function openCandidate(candidate: HostCandidate): Promise<Connection> {
	if (!candidate.endpoint) throw new Error(candidate.problem ?? 'no address');
	if (candidate.key === 'engine' && !(await startEngine())) throw new Error("berth's engine could not be started (berth engine start says why)");

	try {
		return await connect(candidate.endpoint);
	} catch (error) {
		throw new Error(describeConnectError(error, candidate.endpoint));
	}
}

/**
 * The host the switcher chose last time, when nothing more explicit names one: no --host or
 * --context, no DOCKER_HOST, no DOCKER_CONTEXT. (Docker's own current context comes after it.)
 */
function remembered(flags: HostFlags | string | undefined, env = process.env): HostChoice | undefined {
	if (typeof flags === 'string' || flags?.host || flags?.context || env.DOCKER_HOST || env.DOCKER_CONTEXT) return undefined;
	const settings = readEarlySettings(env);
	if (!settings.lastHost) return undefined;
	const candidate = hostCandidates(settings.hosts, env).find(entry => entry.key === settings.lastHost);
	if (!candidate?.endpoint) return undefined;
	return {endpoint: candidate.endpoint, source: candidate.key === 'engine' ? 'engine' : 'remembered'};
}
