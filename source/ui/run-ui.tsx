// Owns the terminal for the TUI's lifetime: alternate screen in, Ink rendering, and the screen
// handed back on every way out before anything is printed.
import {render} from 'ink';
import React from 'react';
import type {Engine} from '../client/connect.ts';
import type {ContainerFeed} from '../client/container-feed.ts';
import {loadConfig} from '../config/config.ts';
import {App} from './app.tsx';
import {buildKeymap} from './keymap.ts';
import {initialViewState, viewReducer} from '../state/view.ts';
import type {Screen} from './terminal.ts';
import type {Theme} from './theme.ts';

/** Runs the App on a screen already taken (and perhaps already showing the first frame). */
export async function runUi(engine: Engine, feed: ContainerFeed, screen: Screen, engineLabel: string, theme: Theme): Promise<number> {
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

	instance = render(
		<App
			docker={engine.docker}
			isBerthEngine={engine.serverName === 'berth'}
			feed={feed}
			hostLabel={engine.endpoint.url}
			engineLabel={engineLabel}
			initialState={initialState(feed)}
			keymap={keymap}
			theme={theme}
			configPath={loaded.path}
			logLines={loaded.config.logLines}
			colour={theme.colour}
			startupNotice={problems.length > 0 ? problems.join('; ') : undefined}
		/>,
		{exitOnCtrlC: false, incrementalRendering: true, maxFps: 60},
	);

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
