// `berth` with no command: connect, take the terminal, draw the first list as soon as the engine
// sends it, then hand over to the UI. React and Ink take most of start-up to load, so they are
// loaded after that first frame (or once the list is slow to come), not before it.
import {closeDocker, createDocker, engineLabelOf} from '../client/connect/connect.ts';
import {type ResourceFeed, startResourceFeed} from '../client/feed.ts';
import type {HostFlags} from '../client/connect/endpoint.ts';
import {firstPaintLines} from '../ui/first-paint.ts';
import {takeScreen} from '../ui/terminal.ts';
import {localeIsUtf8, writeAsciiFrom} from '../ui/ascii-output.ts';
import {chooseTheme} from '../ui/theme.ts';
import {readEarlySettings} from '../config/early-settings.ts';
import {openCandidate, openEngine} from './open-engine.ts';

/** How long the first list is waited for before the UI's code starts loading anyway. */
const listWaitMs = 40;
/** How much longer, once that code has loaded, before the UI starts without the list. */
const uiListWaitMs = 500;

export async function runTui(target: HostFlags, looks: {noColor?: boolean; theme?: string} = {}): Promise<number> {
	// The list is watched from the moment the engine's address is known, at the same time as the
	// engine is asked for its version, so the first frame waits for one round trip, not two. Its
	// requests go to unversioned paths, which every engine answers (events and the list have had
	// the same shape since long before the oldest API berth speaks).
	let feed: ResourceFeed | undefined;
	const engine = await openEngine(target, {
		onReachable(endpoint) {
			const docker = createDocker(endpoint);
			feed = startResourceFeed(docker, {onStop: () => closeDocker(docker, endpoint)});
		},
	});
	if (!engine) {
		feed?.stop();
		return 1;
	}

	if (!process.stdin.isTTY || !process.stdout.isTTY) {
		feed?.stop();
		process.stderr.write('berth: the interface needs a terminal (standard input and output must be a TTY)\n');
		return 1;
	}

	// A dumb terminal cannot move its cursor: the screen could not be drawn, only scrolled garbage.
	if (process.env.TERM === 'dumb') {
		feed?.stop();
		process.stderr.write('berth: this terminal (TERM=dumb) cannot draw the interface; use berth logs, berth run and the other commands here\n');
		return 1;
	}

	feed ??= startResourceFeed(engine.docker);
	const theme = chooseTheme({noColor: looks.noColor, theme: looks.theme ?? readEarlySettings(process.env).theme}, process.env);
	if (!localeIsUtf8(process.env)) writeAsciiFrom(process.stdout);
	const screen = takeScreen(process.stdin, process.stdout);
	const engineLabel = engineLabelOf(engine);
	let uiStarted = false;
	let listed = false;
	const firstList = new Promise<void>(resolve => {
		feed!.onFirstList(containers => {
			listed = true;
			resolve();
			if (uiStarted) return;
			const lines = firstPaintLines({
				containers,
				columns: process.stdout.columns || 80,
				rows: process.stdout.rows || 24,
				engineLabel,
				hostLabel: engine.endpoint.url,
				theme,
			});
			// The cursor goes back to the top left, where Ink starts its first frame.
			if (lines) process.stdout.write(`${lines.join('\n')}\u001B[H`);
		});
	});

	// React and Ink load once the list is drawn, or once it is slow to come: loading them takes
	// the one thread for a good while, and the list should not wait behind that.
	await Promise.race([firstList, delay(listWaitMs)]);
	// Ink renders nothing until exit when CI is set (it reads that once, when it loads). berth only
	// runs its TUI on a terminal, where a person is looking, so Ink is loaded without it.
	const ciVariables = hideCiVariables();
	let ui;
	try {
		ui = await import('../ui/run-ui.tsx');
	} finally {
		Object.assign(process.env, ciVariables);
	}

	// A list still on its way is waited for a little more, so that Ink's first frame shows it
	// rather than "loading…" then the list.
	if (!listed) await Promise.race([firstList, delay(uiListWaitMs)]);
	uiStarted = true;
	return ui.runUi({connection: engine, feed, screen, theme, open: openCandidate});
}

const delay = (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms).unref());

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
