// `berth` with no command: connect, then hand the terminal to the UI. The UI's code loads while
// the connection is being made, so neither waits for the other.
import {connect} from '../client/connect.ts';
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

	const ui = import('../ui/run-ui.tsx');
	// A failed import is reported below, not as an unhandled rejection while connecting.
	ui.catch(() => undefined);
	let engine;
	try {
		engine = await connect(choice.endpoint);
	} catch (error) {
		process.stderr.write(`berth: ${describeConnectError(error, choice.endpoint)}\n`);
		return 1;
	}

	if (!process.stdin.isTTY || !process.stdout.isTTY) {
		process.stderr.write('berth: the interface needs a terminal (standard input and output must be a TTY)\n');
		return 1;
	}

	const {runUi} = await ui;
	return runUi(engine);
}
