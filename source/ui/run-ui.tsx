// Owns the terminal for the TUI's lifetime: alternate screen in, Ink rendering, and the screen
// handed back on every way out before anything is printed.
import {render} from 'ink';
import React, {useState} from 'react';
import {type Engine, engineLabelOf} from '../client/connect.ts';
import {type ContainerFeed, startContainerFeed} from '../client/container-feed.ts';
import {type HostCandidate, hostCandidates} from '../client/host-candidates.ts';
import {loadConfig, saveLastHost} from '../config/config.ts';
import {App, type HostSwitching} from './app.tsx';
import {buildKeymap} from './keymap.ts';
import {initialViewState, viewReducer} from '../state/view.ts';
import type {Screen} from './terminal.ts';
import type {Theme} from './theme.ts';

/** Runs the App on a screen already taken (and perhaps already showing the first frame). */
export type UiStart = {
	engine: Engine;
	feed: ContainerFeed;
	screen: Screen;
	theme: Theme;
	/** Connects to a host the switcher offers (starting berth's engine if need be). */
	open(candidate: HostCandidate): Promise<Engine>;
};

export async function runUi({engine, feed, screen, theme, open}: UiStart): Promise<number> {
	const loaded = loadConfig();
	const keymap = buildKeymap(loaded.config.keys);
	const problems = [...loaded.problems, ...keymap.problems];

	let instance: ReturnType<typeof render> | undefined;
	const shutdown = (code: number, message?: string) => {
		try {
			instance?.unmount();
		} catch {
			// Unmounting a broken tree may throw; the screen is restored regardless.
		}

		screen.restore();
		if (message) process.stderr.write(message);
		process.exit(code);
	};

	screen.beforeSignalExit = () => instance?.unmount();

	process.once('uncaughtException', error => shutdown(1, `berth: unexpected error: ${error.stack ?? error.message}\n`));
	process.once('unhandledRejection', reason => shutdown(1, `berth: unexpected error: ${(reason as Error)?.stack ?? String(reason)}\n`));

	const saved = loaded.config.hosts && typeof loaded.config.hosts === 'object' ? loaded.config.hosts : {};
	const list = () => hostCandidates(saved, process.env);
	const first = {engine, feed, key: list().find(candidate => candidate.endpoint?.url === engine.endpoint.url)?.key};

	/** One engine at a time; a switch replaces it (and its feed) and mounts a new App for it. */
	function Root() {
		const [current, setCurrent] = useState(first);
		const hosts: HostSwitching = {
			list,
			currentKey: current.key,
			async switchTo(candidate) {
				const next = await open(candidate);
				const nextFeed = startContainerFeed(next.docker);
				current.feed.stop();
				current.engine.close();
				setCurrent({engine: next, feed: nextFeed, key: candidate.key});
				saveLastHost(candidate.key);
			},
		};
		return (
			<App
				key={`${current.key ?? ''} ${current.engine.endpoint.url}`}
				docker={current.engine.docker}
				isBerthEngine={current.engine.serverName === 'berth'}
				feed={current.feed}
				hostLabel={current.engine.endpoint.url}
				engineLabel={engineLabelOf(current.engine)}
				initialState={initialState(current.feed)}
				keymap={keymap}
				theme={theme}
				configPath={loaded.path}
				logLines={loaded.config.logLines}
				colour={theme.colour}
				startupNotice={current === first && problems.length > 0 ? problems.join('; ') : undefined}
				hosts={hosts}
			/>
		);
	}

	instance = render(<Root />, {exitOnCtrlC: false, incrementalRendering: true, maxFps: 60});

	try {
		await instance.waitUntilExit();
	} catch (error) {
		screen.restore();
		process.stderr.write(`berth: unexpected error: ${(error as Error).stack ?? String(error)}\n`);
		return 1;
	}

	screen.restore();
	return 0;
}

/** The list that has already arrived, so that Ink's first frame is the one already on screen. */
function initialState(feed: ContainerFeed) {
	const early = feed.early();
	let state = initialViewState();
	if (early.connected) state = viewReducer(state, {type: 'connection', status: 'connected'});
	if (early.containers) state = viewReducer(state, {type: 'synced', containers: early.containers});
	return state;
}
