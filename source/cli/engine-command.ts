// `berth engine run|start|stop|status|dial-stdio`: the engine's own life, on this machine, and a
// bridge to it for ssh.
import {spawn} from 'node:child_process';
import {closeSync, existsSync, openSync, readFileSync} from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import type {EngineAction} from './args.ts';
import {enginePaths, ensureDirectories, type EnginePaths} from '../shared/engine-paths.ts';

/** One request to the engine's socket; undefined when nothing answers there. */
function ask(paths: EnginePaths, requestPath: string): Promise<unknown> {
	return new Promise(resolve => {
		const request = http.get({socketPath: paths.socketPath, path: requestPath, timeout: 2000}, response => {
			let body = '';
			response.setEncoding('utf8');
			response.on('data', chunk => {
				body += chunk;
			});
			response.on('end', () => {
				try {
					resolve(requestPath === '/_ping' ? body : JSON.parse(body));
				} catch {
					resolve(undefined);
				}
			});
		});
		request.on('error', () => resolve(undefined));
		request.on('timeout', () => request.destroy());
	});
}

async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs: number): Promise<boolean> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (await check()) return true;
		await new Promise(resolve => setTimeout(resolve, 50));
	}

	return false;
}

function enginePid(paths: EnginePaths): number | undefined {
	try {
		const pid = Number(readFileSync(paths.pidFile, 'utf8').trim());
		if (!Number.isInteger(pid) || pid <= 0) return undefined;
		process.kill(pid, 0);
		return pid;
	} catch {
		return undefined;
	}
}

export async function runEngineCommand(action: EngineAction, paths = enginePaths()): Promise<number> {
	switch (action) {
		case 'run': {
			return runForeground(paths);
		}

		case 'start': {
			return startInBackground(paths);
		}

		case 'stop': {
			const pid = enginePid(paths);
			if (!pid) {
				process.stdout.write('berth engine is not running\n');
				return 0;
			}

			process.kill(pid, 'SIGTERM');
			// Running containers get their stop timeout (10 s) before the engine is gone.
			const gone = await waitFor(() => enginePid(paths) === undefined, 30_000);
			if (!gone) {
				process.stderr.write(`berth: the engine (pid ${pid}) did not stop within 30 s\n`);
				return 1;
			}

			process.stdout.write('berth engine stopped\n');
			return 0;
		}

		case 'dial-stdio': {
			return dialStdio(paths);
		}

		case 'status': {
			const info = (await ask(paths, '/info')) as Record<string, unknown> | undefined;
			if (!info) {
				process.stdout.write(`berth engine is not running (socket ${paths.socketPath})\n`);
				return 3;
			}

			const lines = [
				`pid         ${enginePid(paths) ?? '?'}`,
				`socket      unix://${paths.socketPath}`,
				`version     ${String(info.ServerVersion)}`,
				`isolation   ${String(info.Isolation)} (${String(info.IsolationReason)})`,
				`security    ${((info.SecurityOptions as string[] | undefined) ?? []).map(option => option.replace(/^name=/, '')).join('; ') || 'none'}`,
				...((info.Warnings as string[] | undefined) ?? []).map(warning => `lacking     ${warning.replace(/^WARNING: /, '')}`),
				`containers  ${String(info.Containers)} (${String(info.ContainersRunning)} running, ${String(info.ContainersPaused)} paused, ${String(info.ContainersStopped)} stopped)`,
				`images      ${String(info.Images)}`,
				`state       ${paths.stateDirectory}`,
			];
			process.stdout.write(`${lines.join('\n')}\n`);
			return 0;
		}
	}
}

async function runForeground(paths: EnginePaths): Promise<number> {
	const {Engine} = await import('../engine/engine.ts');
	let engine;
	try {
		engine = new Engine(paths);
		await engine.listen();
	} catch (error) {
		process.stderr.write(`berth engine: ${(error as Error).message}\n`);
		return 1;
	}

	process.stderr.write(`berth engine listening on unix://${paths.socketPath} (isolation: ${engine.isolation.mode})\n`);
	await new Promise<void>(resolve => {
		for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.once(signal, () => resolve());
	});
	await engine.close();
	process.stderr.write('berth engine stopped\n');
	return 0;
}

/** Starts `berth engine run` detached from this terminal; idempotent. Prints the socket. */
export async function startInBackground(paths: EnginePaths, {quiet = false} = {}): Promise<number> {
	if ((await ask(paths, '/_ping')) === 'OK') {
		if (!quiet) process.stdout.write(`unix://${paths.socketPath}\n`);
		return 0;
	}

	ensureDirectories(paths);
	const log = openSync(paths.logFile, 'a', 0o600);
	const script = process.argv[1]!;
	const child = spawn(process.execPath, [script, 'engine', 'run'], {detached: true, stdio: ['ignore', log, log], env: process.env});
	closeSync(log);
	let exited = false;
	child.on('exit', () => {
		exited = true;
	});
	child.unref();
	const up = await waitFor(async () => exited || (await ask(paths, '/_ping')) === 'OK', 10_000);
	if (!up || exited) {
		const tail = existsSync(paths.logFile) ? readFileSync(paths.logFile, 'utf8').trim().split('\n').slice(-5).join('\n') : '';
		process.stderr.write(`berth: the engine did not start${tail ? `; its log (${paths.logFile}) ends:\n${tail}` : ''}\n`);
		return 1;
	}

	if (!quiet) process.stdout.write(`unix://${paths.socketPath}\n`);
	return 0;
}

/**
 * Standard input to the engine's socket and the socket to standard output, as `docker system
 * dial-stdio` does for dockerd: what a client on another machine runs over ssh. The engine is
 * started first if it is not running, as `berth` does locally. Either side closing its writing
 * half is passed on, so HTTP keep-alive and hijacked streams both end cleanly.
 */
async function dialStdio(paths: EnginePaths): Promise<number> {
	if ((await startInBackground(paths, {quiet: true})) !== 0) return 1;
	return new Promise(resolve => {
		const socket = net.connect(paths.socketPath);
		socket.on('connect', () => {
			process.stdin.pipe(socket);
			socket.pipe(process.stdout);
		});
		socket.on('end', () => process.stdout.end());
		socket.on('close', () => resolve(0));
		socket.on('error', error => {
			process.stderr.write(`berth: cannot reach the engine at ${paths.socketPath}: ${error.message}\n`);
			resolve(1);
		});
	});
}
