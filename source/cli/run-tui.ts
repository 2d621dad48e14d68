// `berth` with no command: connect, then hand the terminal to the UI. The UI's code loads while
// the connection is being made, so neither waits for the other.
import {connect} from '../client/connect.ts';
import {startContainerFeed} from '../client/container-feed.ts';
import {chooseEndpoint, EndpointError} from '../client/endpoint.ts';
import {describeConnectError} from '../client/errors.ts';

export async function runTui(options: {host?: string}): Promise<number> {
	let choice;
	try {
		choice = chooseEndpoint(options.host);
	} catch (error) {
		if (error instanceof EndpointError) {
			process.stderr.write(`berth: ${error.message}\n`);
			return 1;
		}

		throw error;
	}

	// Ink renders nothing until exit when CI is set (it reads that once, when it loads). berth only
	// runs its TUI on a terminal, where a person is looking, so Ink is loaded without it.
	const ciVariables = hideCiVariables();
	const ui = import('../ui/run-ui.tsx');
	ui.finally(() => Object.assign(process.env, ciVariables)).catch(() => undefined);
	// A failed import is reported below, not as an unhandled rejection while connecting.
	ui.catch(() => undefined);
	let engine;
	try {
		if (choice.source === 'engine') {
			// No Docker here: berth's own engine, started now if it is not running.
			const {startInBackground} = await import('./engine-command.ts');
			const {enginePaths} = await import('../engine/paths.ts');
			if ((await startInBackground(enginePaths(), {quiet: true})) !== 0) return 1;
		}

		engine = await connect(choice.endpoint);
	} catch (error) {
		process.stderr.write(`berth: ${describeConnectError(error, choice.endpoint)}\n`);
		return 1;
	}

	if (!process.stdin.isTTY || !process.stdout.isTTY) {
		process.stderr.write('berth: the interface needs a terminal (standard input and output must be a TTY)\n');
		return 1;
	}

	// The list is asked for now, while the UI's code is still loading.
	const feed = startContainerFeed(engine.docker);
	const {runUi} = await ui;
	return runUi(engine, feed);
}

function hideCiVariables(): Record<string, string> {
	const hidden: Record<string, string> = {};
	for (const name of ['CI', 'CONTINUOUS_INTEGRATION']) {
		const value = process.env[name];
		if (value !== undefined) {
			hidden[name] = value;
			delete process.env[name];
		}
	}

	return hidden;
}
