// The real Docker daemon the tests talk to: $DOCKER_HOST, or the local socket. Under CI=true a
// missing daemon fails the test; elsewhere the test is skipped and says why.
import {execFileSync} from 'node:child_process';
import {existsSync, mkdtempSync, rmSync, writeFileSync, copyFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import type {TestContext} from 'node:test';
import type Docker from 'dockerode';
import {connect, type Engine} from '../../source/client/connect.ts';
import {chooseEndpoint} from '../../source/client/endpoint.ts';

export const testImage = process.env.BERTH_TEST_IMAGE ?? 'berth-test/busybox';
export const inCi = process.env.CI === 'true' || process.env.CI === '1';

let cached: Promise<Engine | string> | undefined;

/** The daemon, or the reason there is none. */
function reach(): Promise<Engine | string> {
	cached ??= (async () => {
		const {endpoint, source} = chooseEndpoint(undefined);
		// These tests are for a real Docker daemon; berth's own engine has tests of its own.
		if (source === 'engine') return 'no Docker daemon: set DOCKER_HOST, or run one on /var/run/docker.sock';
		try {
			const engine = await connect(endpoint, {timeoutMs: 3000});
			await ensureTestImage(engine.docker);
			return engine;
		} catch (error) {
			return `no Docker daemon at ${endpoint.url}: ${(error as Error).message}`;
		}
	})();
	return cached;
}

/** The daemon for a whole suite: its engine, or undefined when there is none (an error under CI). */
export async function daemonForSuite(): Promise<Engine | undefined> {
	const result = await reach();
	if (typeof result !== 'string') return result;
	if (inCi) throw new Error(`${result} (CI=true: tests that need a daemon must not be skipped)`);
	return undefined;
}

/** The engine, or undefined after failing (CI) or skipping (elsewhere) the test. */
export async function requireDaemon(t: TestContext): Promise<Engine | undefined> {
	const result = await reach();
	if (typeof result !== 'string') return result;
	if (inCi) throw new Error(`${result} (CI=true: tests that need a daemon must not be skipped)`);
	t.skip(`skipped: ${result}`);
	return undefined;
}

/** Builds the test image (a static busybox FROM scratch) when the daemon does not have it yet. */
async function ensureTestImage(docker: Docker): Promise<void> {
	try {
		await docker.getImage(testImage).inspect();
		return;
	} catch {
		// Not there yet: build it.
	}

	const busybox = ['/bin/busybox', '/usr/bin/busybox'].find(candidate => existsSync(candidate));
	if (!busybox) throw new Error(`image ${testImage} is missing and there is no static busybox to build it from (apt-get install busybox-static)`);
	const context = mkdtempSync(path.join(tmpdir(), 'berth-image-'));
	try {
		copyFileSync(busybox, path.join(context, 'busybox'));
		writeFileSync(path.join(context, 'Dockerfile'), 'FROM scratch\nCOPY busybox /bin/busybox\nRUN ["/bin/busybox", "--install", "-s", "/bin"]\nCMD ["/bin/sh"]\n');
		execFileSync('docker', ['build', '-q', '-t', testImage, context], {stdio: 'pipe', env: process.env});
	} finally {
		rmSync(context, {recursive: true, force: true});
	}
}

/** Every container a test makes carries this label, so that the run can remove exactly its own. */
const ownerLabel = 'berth.test.owner';
const owner = String(process.pid);

/** A short name no other test run uses (short, so that it is not truncated at 80 columns). */
export function uniqueName(label: string): string {
	return `bt-${label}-${Math.random().toString(36).slice(2, 7)}`;
}

export type RunOptions = {name?: string; cmd: string[]; tty?: boolean; labels?: Record<string, string>; start?: boolean};

/** Creates (and by default starts) a container from the test image with no network. */
export async function runContainer(docker: Docker, options: RunOptions): Promise<Docker.Container> {
	const container = await docker.createContainer({
		name: options.name ?? uniqueName('c'),
		Image: testImage,
		Cmd: options.cmd,
		Tty: options.tty ?? false,
		Labels: {...options.labels, [ownerLabel]: owner},
		HostConfig: {NetworkMode: 'none'},
	});
	if (options.start !== false) await container.start();
	return container;
}

/** Removes every container this test process made. */
export async function removeTestContainers(docker: Docker): Promise<void> {
	const list = await docker.listContainers({all: true, filters: {label: [`${ownerLabel}=${owner}`]}});
	await Promise.all(list.map(info => docker.getContainer(info.Id).remove({force: true}).catch(() => undefined)));
}

/** Polls until `check` holds or the time is up; returns whether it held. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 5000, intervalMs = 50): Promise<boolean> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (await check()) return true;
		await new Promise(resolve => setTimeout(resolve, intervalMs));
	}

	return check();
}
