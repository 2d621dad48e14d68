// Owns the terminal for the TUI's lifetime: alternate screen in, Ink rendering, and the screen
// handed back on every way out before anything is printed.
import {render} from 'ink';
import React, {useState} from 'react';
import type {Connection} from '../client/connect/connect.ts';
import {type HostCandidate, hostCandidates} from '../client/connect/host-candidates.ts';
import {createEngineClient, type EngineClient} from '../client/engine-client.ts';
import {type ResourceFeed, startResourceFeed} from '../client/feed.ts';
import {loadConfig, saveLastHost} from '../config/config.ts';
import {initialScreenState, type ScreenState, screenReducer} from '../state/screen.ts';
import {App, type HostSwitching} from './app.tsx';
import {buildKeymap} from './keymap.ts';
import type {Screen} from './terminal.ts';
import type {Theme} from './theme.ts';
import {ownTerminal} from './sessions/hand-over.ts';
import {customCommandSpecs} from '../state/hands-on/custom-commands.ts';

/** Runs the App on a screen already taken (and perhaps already showing the first frame). */
export type UiStart = {
	connection: Connection;
	feed: ResourceFeed;
	screen: Screen;
	theme: Theme;
	/** Connects to a host the switcher offers (starting berth's engine if need be). */
	open(candidate: HostCandidate): Promise<Connection>;
};

export async function runUi({connection, feed, screen, theme, open}: UiStart): Promise<number> {
	const loaded = loadConfig();
	const keymap = buildKeymap(loaded.config.keys, customCommandSpecs(loaded.config.commands));
	const problems = [...loaded.problems, ...keymap.problems];

	const terminal = ownTerminal(screen);
	let instance: ReturnType<typeof render> | undefined;
	screen.beforeExit = () => instance?.unmount();

	const saved = loaded.config.hosts && typeof loaded.config.hosts === 'object' ? loaded.config.hosts : {};
	const list = () => hostCandidates(saved, process.env);
	const first = {client: createEngineClient(connection, feed), key: list().find(candidate => candidate.endpoint?.url === connection.endpoint.url)?.key};

	/** One engine at a time; a switch replaces it (and its feed) and mounts a new App for it. */
	function Root() {
		const [current, setCurrent] = useState<{client: EngineClient; key?: string}>(first);
		const hosts: HostSwitching = {
			list,
			currentKey: current.key,
			async switchTo(candidate) {
				const next = await open(candidate);
				const client = createEngineClient(next, startResourceFeed(next.docker));
				current.client.close();
				setCurrent({client, key: candidate.key});
				saveLastHost(candidate.key);
			},
		};
		return (
			<App
				key={`${current.key ?? ''} ${current.client.url}`}
				client={current.client}
				initialState={initialState(current.client.feed)}
				keymap={keymap}
				theme={theme}
				configPath={loaded.path}
				logLines={loaded.config.logLines}
				colour={theme.colour}
				startupNotice={current === first && problems.length > 0 ? problems.join('; ') : undefined}
				hosts={hosts}
				terminal={terminal}
				shells={loaded.config.shells}
				detachKeys={loaded.config.detachKeys}
				customCommands={loaded.config.commands}
			/>
		);
	}

	instance = render(<Root />, {stdin: terminal.inkInput, stdout: terminal.inkOutput, exitOnCtrlC: false, incrementalRendering: true, maxFps: 60});

	try {
		await instance.waitUntilExit();
	} catch (error) {
		terminal.release();
		screen.restore();
		process.stderr.write(`berth: unexpected error: ${(error as Error).stack ?? String(error)}\n`);
		return 1;
	}

	terminal.release();
	screen.restore();
	return 0;
}

/** The list that has already arrived, so that Ink's first frame is the one already on screen. */
export function initialState(feed: ResourceFeed): ScreenState {
	const early = feed.early();
	let state = initialScreenState();
	if (early.connected) state = screenReducer(state, {type: 'connection', status: 'connected'});
	if (early.containers) state = screenReducer(state, {type: 'synced', panel: 'containers', items: early.containers});
	return state;
}
