// Where the engine keeps its state and its socket: system-wide when root, per user otherwise
// (the XDG data and runtime directories). Both are reachable by their owner only.
import {mkdirSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type EnginePaths = {
	stateDirectory: string;
	runDirectory: string;
	socketPath: string;
	pidFile: string;
	logFile: string;
};

type Env = Record<string, string | undefined>;

export function enginePaths(env: Env = process.env, uid = process.getuid?.() ?? -1): EnginePaths {
	const stateDirectory = env.BERTH_ENGINE_STATE ?? (uid === 0 ? '/var/lib/berth' : path.join(env.XDG_DATA_HOME || path.join(os.homedir(), '.local', 'share'), 'berth'));
	const runDirectory =
		env.BERTH_ENGINE_RUN ?? (uid === 0 ? '/run/berth' : env.XDG_RUNTIME_DIR ? path.join(env.XDG_RUNTIME_DIR, 'berth') : path.join(stateDirectory, 'run'));
	return {
		stateDirectory,
		runDirectory,
		socketPath: path.join(runDirectory, 'engine.sock'),
		pidFile: path.join(runDirectory, 'engine.pid'),
		logFile: path.join(stateDirectory, 'engine.log'),
	};
}

export function ensureDirectories(paths: EnginePaths): void {
	for (const directory of [paths.stateDirectory, paths.runDirectory, path.join(paths.stateDirectory, 'containers')]) {
		mkdirSync(directory, {recursive: true, mode: 0o700});
	}
}
