// Owns the terminal for the TUI's lifetime: alternate screen in, Ink rendering, and the screen
// handed back on every way out before anything is printed.
import {render} from 'ink';
import React from 'react';
import type {Engine} from '../client/connect.ts';
import type {ContainerFeed} from '../client/container-feed.ts';
import {loadConfig} from '../config/config.ts';
import {App} from './app.tsx';
import {buildKeymap} from './keymap.ts';
import {takeScreen} from './terminal.ts';
import {darkTheme} from './theme.ts';

const signalNumbers: Record<string, number> = {SIGHUP: 1, SIGINT: 2, SIGTERM: 15};

export async function runUi(engine: Engine, feed: ContainerFeed): Promise<number> {
	const loaded = loadConfig();
	const keymap = buildKeymap(loaded.config.keys);
	const problems = [...loaded.problems, ...keymap.problems];
	const screen = takeScreen(process.stdin, process.stdout);

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

	for (const signal of Object.keys(signalNumbers)) {
		process.once(signal, () => shutdown(128 + signalNumbers[signal]!));
	}

	process.once('uncaughtException', error => shutdown(1, `berth: unexpected error: ${error.stack ?? error.message}\n`));
	process.once('unhandledRejection', reason => shutdown(1, `berth: unexpected error: ${(reason as Error)?.stack ?? String(reason)}\n`));

	instance = render(
		<App
			docker={engine.docker}
			isBerthEngine={engine.serverName === 'berth'}
			feed={feed}
			hostLabel={engine.endpoint.url}
			engineLabel={engine.serverName === 'berth' ? `berth engine ${engine.serverVersion}` : `${engine.serverName} ${engine.serverVersion}`}
			keymap={keymap}
			theme={darkTheme}
			configPath={loaded.path}
			logLines={loaded.config.logLines}
			colour={!process.env.NO_COLOR}
			startupNotice={problems.length > 0 ? problems.join('; ') : undefined}
		/>,
		{exitOnCtrlC: false, incrementalRendering: true, maxFps: 30},
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
