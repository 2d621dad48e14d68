// The connection every command makes: the host chosen as the docker CLI chooses it, berth's own
// engine started when it is the one chosen and not running, and one clear line on failure.
import {connect, type Engine} from '../client/connect.ts';
import {chooseEndpoint, type Endpoint, EndpointError, type HostFlags} from '../client/endpoint.ts';
import {describeConnectError} from '../client/errors.ts';

/** The engine, or undefined after printing why there is none. */
export async function openEngine(
	host: HostFlags | string | undefined,
	{negotiate = true, onReachable}: {negotiate?: boolean; onReachable?: (endpoint: Endpoint) => void} = {},
): Promise<Engine | undefined> {
	let choice;
	try {
		choice = chooseEndpoint(host);
	} catch (error) {
		if (error instanceof EndpointError) {
			process.stderr.write(`berth: ${error.message}\n`);
			return undefined;
		}

		throw error;
	}

	try {
		if (choice.source === 'engine') {
			// No Docker here: berth's own engine, started now if it is not running.
			const {startInBackground} = await import('./engine-command.ts');
			const {enginePaths} = await import('../engine/paths.ts');
			if ((await startInBackground(enginePaths(), {quiet: true})) !== 0) return undefined;
		}

		// Work that needs only the address can start while the engine is asked for its version.
		onReachable?.(choice.endpoint);
		return await connect(choice.endpoint, {negotiate});
	} catch (error) {
		process.stderr.write(`berth: ${describeConnectError(error, choice.endpoint)}\n`);
		return undefined;
	}
}
