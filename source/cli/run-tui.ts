// `berth` with no command: connect, then hand the terminal to the UI. The UI's code loads while
// the connection is being made, so neither waits for the other.
import {startContainerFeed} from '../client/container-feed.ts';
import {openEngine} from './open-engine.ts';

export async function runTui(options: {host?: string}): Promise<number> {
	// Ink renders nothing until exit when CI is set (it reads that once, when it loads). berth only
	// runs its TUI on a terminal, where a person is looking, so Ink is loaded without it.
	const ciVariables = hideCiVariables();
	const ui = import('../ui/run-ui.tsx');
	ui.finally(() => Object.assign(process.env, ciVariables)).catch(() => undefined);
	// A failed import is reported below, not as an unhandled rejection while connecting.
	ui.catch(() => undefined);
	const engine = await openEngine(options.host);
	if (!engine) return 1;

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
