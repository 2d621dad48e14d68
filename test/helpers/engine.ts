// A real berth engine for tests: the built `berth engine run`, in its own state and run
// directories, stopped (and its containers with it) when the test file ends.
import {type ChildProcess, execFile, spawn} from 'node:child_process';
import {chmodSync, chownSync, cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync} from 'node:fs';
import http from 'node:http';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import {connect, type Connection} from '../../source/client/connect/connect.ts';
import {parseHost} from '../../source/client/connect/endpoint.ts';
import type {TestContext} from 'node:test';
import {requirePart} from './ci.ts';
import {berthBin} from './terminal.ts';

export type TestEngine = {
	socketPath: string;
	url: string;
	env: Record<string, string>;
	client: Connection;
	process: ChildProcess;
	/** Stops the engine (SIGTERM) and waits for it to exit. */
	stop(): Promise<void>;
	/** Starts it again on the same state. */
	restart(): Promise<void>;
	/** Kills the engine with SIGKILL, as a crash would, and waits until it is gone. */
	crash(): Promise<void>;
	cleanup(): Promise<void>;
	/** The docker CLI pointed at this engine. */
	docker(...args: string[]): Promise<{stdout: string; stderr: string}>;
};

function ping(socketPath: string): Promise<boolean> {
	return new Promise(resolve => {
		const request = http.get({socketPath, path: '/_ping', timeout: 500}, response => {
			response.resume();
			resolve(response.statusCode === 200);
		});
		request.on('error', () => resolve(false));
		request.on('timeout', () => request.destroy());
	});
}

export type TestEngineOptions = {
	/** Run the engine as this user (and group) id instead of root, which gives "process" isolation. */
	user?: number;
	/** The engine's daemon.json. */
	config?: Record<string, unknown>;
};

/**
 * The built berth in a directory every user can read: an engine run as another user must be able
 * to load it, wherever the checkout lives (a clone under a 0700 directory is out of its reach).
 */
function readableCopyOfBuild(): {bin: string; remove(): void} {
	const directory = mkdtempSync(path.join(tmpdir(), 'berth-dist-'));
	cpSync(path.dirname(berthBin), directory, {recursive: true});
	const open = (target: string) => {
		chmodSync(target, statSync(target).isDirectory() ? 0o755 : 0o644);
		if (statSync(target).isDirectory()) for (const entry of readdirSync(target)) open(path.join(target, entry));
	};

	open(directory);
	chmodSync(path.join(directory, 'berth.js'), 0o755);
	return {bin: path.join(directory, 'berth.js'), remove: () => rmSync(directory, {recursive: true, force: true})};
}

export async function startTestEngine(options: TestEngineOptions = {}): Promise<TestEngine> {
	const root = mkdtempSync(path.join(tmpdir(), 'berth-engine-'));
	const build = options.user === undefined ? undefined : readableCopyOfBuild();
	const bin = build?.bin ?? berthBin;
	if (options.user !== undefined) chownSync(root, options.user, options.user);
	const env = {BERTH_ENGINE_STATE: path.join(root, 'state'), BERTH_ENGINE_RUN: path.join(root, 'run')};
	const socketPath = path.join(env.BERTH_ENGINE_RUN, 'engine.sock');
	// Nothing a test does may reach Docker Hub (this machine talks only to loopback): a pull of a
	// docker.io name is refused by the engine itself, unless the test configures otherwise.
	mkdirSync(env.BERTH_ENGINE_STATE, {recursive: true, mode: 0o700});
	writeFileSync(path.join(env.BERTH_ENGINE_STATE, 'daemon.json'), JSON.stringify({'blocked-registries': ['docker.io'], ...options.config}));
	if (options.user !== undefined) {
		chownSync(env.BERTH_ENGINE_STATE, options.user, options.user);
		chownSync(path.join(env.BERTH_ENGINE_STATE, 'daemon.json'), options.user, options.user);
	}

	const url = `unix://${socketPath}`;
	let child: ChildProcess;
	let log = '';
	const launch = async () => {
		child = spawn(process.execPath, [bin, 'engine', 'run'], {
			env: {...process.env, ...env},
			stdio: ['ignore', 'pipe', 'pipe'],
			...(options.user === undefined ? {} : {uid: options.user, gid: options.user}),
		});
		child.stdout?.on('data', chunk => (log += String(chunk)));
		child.stderr?.on('data', chunk => (log += String(chunk)));
		const deadline = Date.now() + 10_000;
		while (Date.now() < deadline) {
			if (await ping(socketPath)) return;
			if (child.exitCode !== null) break;
			await new Promise(resolve => setTimeout(resolve, 50));
		}

		throw new Error(`the engine did not come up; it said:\n${log}`);
	};

	await launch();
	const stop = async () => {
		if (child.exitCode !== null || child.signalCode !== null) return;
		const exited = new Promise(resolve => child.once('exit', resolve));
		child.kill('SIGTERM');
		await exited;
	};

	const engine: TestEngine = {
		socketPath,
		url,
		env,
		client: await connect(parseHost(url)),
		get process() {
			return child;
		},
		stop,
		async restart() {
			await stop();
			await launch();
		},
		async crash() {
			if (child.exitCode !== null || child.signalCode !== null) return;
			const exited = new Promise(resolve => child.once('exit', resolve));
			child.kill('SIGKILL');
			await exited;
		},
		async cleanup() {
			await stop();
			rmSync(root, {recursive: true, force: true});
			build?.remove();
		},
		async docker(...args: string[]) {
			return promisify(execFile)('docker', ['-H', url, ...args], {env: {...process.env, DOCKER_HOST: undefined}});
		},
	};
	return engine;
}

/** What an engine says of its isolation and cgroups (from /info). */
async function facts(engine: TestEngine): Promise<{isolation: string; cgroups: string}> {
	const info = (await engine.client.docker.info()) as {Isolation?: string; CgroupDriver?: string};
	return {isolation: info.Isolation ?? '', cgroups: info.CgroupDriver ?? 'none'};
}

/** For tests of what namespaces give: they fail under CI (root, Linux) when the engine has none, else skip. */
export async function requireNamespaces(t: TestContext, engine: TestEngine): Promise<boolean> {
	const {isolation} = await facts(engine);
	return requirePart(t, isolation === 'namespaces' ? undefined : `the engine runs without namespaces here (${isolation}: it needs root on Linux)`);
}

/** For tests of what cgroups enforce: they fail under CI when the engine has none, else skip. */
export async function requireCgroups(t: TestContext, engine: TestEngine): Promise<boolean> {
	const {cgroups} = await facts(engine);
	return requirePart(t, cgroups === 'none' ? 'the engine has no cgroups here (it needs root and the cgroup filesystem)' : undefined);
}
