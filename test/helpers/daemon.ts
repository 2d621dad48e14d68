// The real Docker daemon the tests talk to, named explicitly: $DOCKER_HOST, or else the local
// socket (never the user's current docker context). Under CI=true a missing daemon fails the
// test; elsewhere the test is skipped and says why. Everything a test makes carries an owner
// label; leftovers of earlier runs that were killed are removed before the first test.
import {execFileSync} from 'node:child_process';
import {copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import type {TestContext} from 'node:test';
import type Docker from 'dockerode';
import {connect, type Connection} from '../../source/client/connect/connect.ts';
import {type Endpoint, parseHost} from '../../source/client/connect/endpoint.ts';
import {inCi, requirePart} from './ci.ts';

export {inCi} from './ci.ts';

export const testImage = process.env.BERTH_TEST_IMAGE ?? 'berth-test/busybox';

/** The label every container, volume and network a test makes carries: the test process's pid. */
export const ownerLabel = 'berth.test.owner';
const owner = String(process.pid);
export const ownerLabels = {[ownerLabel]: owner};

/** The daemon the tests use: DOCKER_HOST, else the local socket. */
export function testDaemonEndpoint(env = process.env): Endpoint | undefined {
	if (env.DOCKER_HOST) return parseHost(env.DOCKER_HOST, env);
	return existsSync('/var/run/docker.sock') ? {kind: 'unix', url: 'unix:///var/run/docker.sock', socketPath: '/var/run/docker.sock'} : undefined;
}

/** The environment for a program that must reach the test daemon and nothing else (no contexts). */
export function daemonEnv(connection: Connection): Record<string, string | undefined> {
	return {DOCKER_HOST: connection.endpoint.url, DOCKER_CONTEXT: undefined, DOCKER_TLS_VERIFY: undefined};
}

let cached: Promise<Connection | string> | undefined;

/** The daemon, or the reason there is none. */
function reach(): Promise<Connection | string> {
	cached ??= (async () => {
		const endpoint = testDaemonEndpoint();
		if (!endpoint) return 'no Docker daemon: set DOCKER_HOST, or run one on /var/run/docker.sock';
		try {
			const connection = await connect(endpoint, {timeoutMs: 3000});
			await ensureTestImage(connection);
			await removeLeftovers(connection.docker);
			return connection;
		} catch (error) {
			return `no Docker daemon at ${endpoint.url}: ${(error as Error).message}`;
		}
	})();
	return cached;
}

/** The daemon for a whole suite: its connection, or undefined when there is none (an error under CI). */
export async function daemonForSuite(): Promise<Connection | undefined> {
	const result = await reach();
	if (typeof result !== 'string') return result;
	if (inCi) throw new Error(`${result} (CI=true: tests that need a daemon must not be skipped)`);
	return undefined;
}

/** The connection, or undefined after failing (CI) or skipping (elsewhere) the test. */
export async function requireDaemon(t: TestContext): Promise<Connection | undefined> {
	const result = await reach();
	if (typeof result !== 'string') return result;
	requirePart(t, result);
	return undefined;
}

/** Builds the test image (a static busybox FROM scratch) when the daemon does not have it yet. */
async function ensureTestImage(connection: Connection): Promise<void> {
	try {
		await connection.docker.getImage(testImage).inspect();
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
		execFileSync('docker', ['-H', connection.endpoint.url, 'build', '-q', '-t', testImage, context], {stdio: 'pipe', env: {...process.env, DOCKER_CONTEXT: ''}});
	} finally {
		rmSync(context, {recursive: true, force: true});
	}
}

const alive = (pid: number) => {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
};

/** What earlier test runs made and could not remove (they were killed): their owner is gone. */
async function removeLeftovers(docker: Docker): Promise<void> {
	const dead = (labels: Record<string, string> | null | undefined) => {
		const pid = Number(labels?.[ownerLabel]);
		return Number.isInteger(pid) && pid > 0 && pid !== process.pid && !alive(pid);
	};

	const containers = await docker.listContainers({all: true, filters: {label: [ownerLabel]}});
	await Promise.all(containers.filter(info => dead(info.Labels)).map(info => docker.getContainer(info.Id).remove({force: true}).catch(() => undefined)));
	const volumes = ((await docker.listVolumes({filters: {label: [ownerLabel]}})) as {Volumes?: Array<{Name: string; Labels?: Record<string, string>}> | null}).Volumes ?? [];
	await Promise.all(volumes.filter(volume => dead(volume.Labels)).map(volume => docker.getVolume(volume.Name).remove().catch(() => undefined)));
	const networks = await docker.listNetworks({filters: {label: [ownerLabel]}});
	await Promise.all(networks.filter(network => dead(network.Labels)).map(network => docker.getNetwork(network.Id).remove().catch(() => undefined)));
}

/** A short name no other test run uses (short, so that it is not truncated at 80 columns). */
export function uniqueName(label: string): string {
	return `bt-${label}-${Math.random().toString(36).slice(2, 7)}`;
}

export type RunOptions = {name?: string; cmd: string[]; tty?: boolean; labels?: Record<string, string>; start?: boolean; image?: string};

/** Creates (and by default starts) a container from the test image with no network. */
export async function runContainer(docker: Docker, options: RunOptions): Promise<Docker.Container> {
	const container = await docker.createContainer({
		name: options.name ?? uniqueName('c'),
		Image: options.image ?? testImage,
		Cmd: options.cmd,
		Tty: options.tty ?? false,
		Labels: {...options.labels, ...ownerLabels},
		HostConfig: {NetworkMode: 'none'},
	});
	if (options.start !== false) await container.start();
	return container;
}

/** Removes every container, volume and network this test process made. */
export async function removeTestContainers(docker: Docker): Promise<void> {
	const filters = {label: [`${ownerLabel}=${owner}`]};
	const list = await docker.listContainers({all: true, filters});
	await Promise.all(list.map(info => docker.getContainer(info.Id).remove({force: true}).catch(() => undefined)));
	const volumes = ((await docker.listVolumes({filters})) as {Volumes?: Array<{Name: string}> | null}).Volumes ?? [];
	await Promise.all(volumes.map(volume => docker.getVolume(volume.Name).remove().catch(() => undefined)));
	const networks = await docker.listNetworks({filters});
	await Promise.all(networks.map(network => docker.getNetwork(network.Id).remove().catch(() => undefined)));
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

/** The test image as `docker save` writes it, in `directory` (made once per directory). */
export function saveTestImage(directory: string): string {
	const archive = path.join(directory, 'test-image.tar');
	if (!existsSync(archive)) execFileSync('docker', ['save', '-o', archive, testImage], {env: {...process.env}});
	return archive;
}
