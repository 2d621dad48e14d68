// Every engine berth could switch to, for the host switcher: berth's own engine, the local Docker
// socket where there is one, DOCKER_HOST, every docker context, and the hosts saved in berth's
// config. Each is probed for reachability and version; switching connects to one.
import {listContexts} from './contexts.ts';
import {describeConnectError} from '../errors.ts';
import {engineLabelOf, serverOf} from './connect.ts';
import {contextEndpoint, type Endpoint, localDockerEndpointOf, parseHost} from './endpoint.ts';
import {ping} from './ping.ts';
import {enginePaths} from '../../shared/engine-paths.ts';

type Env = Record<string, string | undefined>;

export type HostCandidate = {
	/** Stable across runs, to remember the last choice: "engine", "docker", "env", "context:NAME", "saved:NAME". */
	key: string;
	label: string;
	/** Where it points, or why it cannot be used. */
	endpoint?: Endpoint;
	problem?: string;
};

export function hostCandidates(saved: Record<string, string>, env: Env): HostCandidate[] {
	const candidates: HostCandidate[] = [];
	const add = (key: string, label: string, host: () => Endpoint) => {
		try {
			candidates.push({key, label, endpoint: host()});
		} catch (error) {
			candidates.push({key, label, problem: (error as Error).message});
		}
	};

	const {socketPath} = enginePaths(env);
	add('engine', "berth's engine", () => ({kind: 'unix', url: `unix://${socketPath}`, socketPath}));
	const local = localDockerEndpointOf(env);
	if (local) add('docker', 'local Docker', () => local);
	if (env.DOCKER_HOST) add('env', 'DOCKER_HOST', () => parseHost(env.DOCKER_HOST!, env));
	for (const context of listContexts(env)) {
		add(`context:${context.name}`, `context ${context.name}`, () => contextEndpoint(context, env));
	}

	for (const [name, host] of Object.entries(saved)) add(`saved:${name}`, name, () => parseHost(host, env));
	return candidates;
}

export type Probe = {state: 'checking'} | {state: 'up'; engine: string} | {state: 'down'; reason: string};

/** Whether the candidate answers /_ping, and as what ("Docker 20.10.24", "berth engine 0.1.0"). */
export async function probe(candidate: HostCandidate, timeoutMs = 4000): Promise<Probe> {
	if (!candidate.endpoint) return {state: 'down', reason: candidate.problem ?? 'no address'};
	try {
		const answer = await ping(candidate.endpoint, timeoutMs);
		return {state: 'up', engine: engineLabelOf(serverOf(answer.server)).trim()};
	} catch (error) {
		// berth's own engine starts on demand, so not running is not a problem for it.
		if (candidate.key === 'engine') return {state: 'down', reason: 'not running: started when chosen'};
		return {state: 'down', reason: describeConnectError(error, candidate.endpoint).replace(/^cannot connect to \S+: /, '')};
	}
}
