// `berth` with no command: connect, take the terminal, draw the first list as soon as the engine
// sends it, then hand over to the UI. React and Ink take most of start-up to load, so they are
// loaded after that first frame (or once the list is slow to come), not before it.
import {createDocker} from '../client/connect.ts';
import {startContainerFeed} from '../client/container-feed.ts';
import {listContainers} from '../client/containers.ts';
import type {Container} from '../state/container.ts';
import {firstPaintLines} from '../ui/first-paint.ts';
import {takeScreen} from '../ui/terminal.ts';
import {darkTheme} from '../ui/theme.ts';
import {openEngine} from './open-engine.ts';

/** How long the first list is waited for before the UI's code starts loading anyway. */
const listWaitMs = 40;

export async function runTui(options: {host?: string}): Promise<number> {
	// The first list is asked for at the same time as the engine's version: the frame waits for
	// one round trip, not two. It goes to unversioned paths, which every engine answers.
	let earlyList: Promise<Container[] | undefined> | undefined;
	const engine = await openEngine(options.host, {
		onReachable(endpoint) {
			const quick = createDocker(endpoint);
			earlyList = listContainers(quick).then(
				containers => containers,
				() => undefined,
			);
			earlyList.finally(() => (quick.modem as unknown as {agent?: {destroy(): void}}).agent?.destroy()).catch(() => undefined);
		},
	});
	if (!engine) return 1;

	if (!process.stdin.isTTY || !process.stdout.isTTY) {
		process.stderr.write('berth: the interface needs a terminal (standard input and output must be a TTY)\n');
		return 1;
	}

	const feed = startContainerFeed(engine.docker);
	const screen = takeScreen(process.stdin, process.stdout);
	const engineLabel = engine.serverName === 'berth' ? `berth engine ${engine.serverVersion}` : `${engine.serverName} ${engine.serverVersion}`;
	let uiStarted = false;
	let painted: Container[] | undefined;
	const paint = (containers: Container[]) => {
		if (uiStarted || painted) return;
		painted = containers;
		const lines = firstPaintLines({
			containers,
			columns: process.stdout.columns || 80,
			rows: process.stdout.rows || 24,
			engineLabel,
			hostLabel: engine.endpoint.url,
			theme: darkTheme,
		});
		// The cursor goes back to the top left, where Ink starts its first frame.
		if (lines) process.stdout.write(`${lines.join('\n')}\u001B[H`);
	};

	await new Promise<void>(resolve => {
		const timer = setTimeout(resolve, listWaitMs);
		const arrived = (containers: Container[] | undefined) => {
			if (!containers) return;
			paint(containers);
			clearTimeout(timer);
			resolve();
		};

		void earlyList?.then(arrived);
		feed.onFirstList(arrived);
	});

	// Ink renders nothing until exit when CI is set (it reads that once, when it loads). berth only
	// runs its TUI on a terminal, where a person is looking, so Ink is loaded without it.
	const ciVariables = hideCiVariables();
	let ui;
	try {
		ui = await import('../ui/run-ui.tsx');
	} finally {
		Object.assign(process.env, ciVariables);
	}

	uiStarted = true;
	return ui.runUi(engine, feed, screen, engineLabel, painted);
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
