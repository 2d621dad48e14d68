// berth on a daemon reached over ssh, in a real terminal (tmux): through a docker context made by
// the real docker CLI, and through --host ssh://, with an action going over the same link.
import assert from 'node:assert/strict';
import {execFileSync, spawnSync} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, afterEach, test, type TestContext} from 'node:test';
import type Docker from 'dockerode';
import {eventually, removeTestContainers, requireDaemon, runContainer, uniqueName} from '../helpers/daemon.ts';
import {berthBin, Terminal} from '../helpers/terminal.ts';

let terminal: Terminal | undefined;
let docker: Docker | undefined;
afterEach(() => {
	terminal?.close();
	terminal = undefined;
});
after(async () => {
	if (docker) await removeTestContainers(docker);
});

function open(options: ConstructorParameters<typeof Terminal>[0] = {}): Terminal {
	terminal = new Terminal(options);
	return terminal;
}

const state = async (container: Docker.Container) => (await container.inspect()).State;

/** Narrows the list to one container by typing its name into the filter. */
async function focusOn(screen: Terminal, name: string, timeoutMs = 5000): Promise<void> {
	screen.press('/');
	screen.type(name);
	screen.press('Enter');
	await screen.waitFor(screen_ => screen_.includes(`▸ ${name}`) && /Containers \(1 of \d+\)/.test(screen_), timeoutMs);
}

/** The test daemon behind a real sshd on 127.0.0.1 (which the test must stop), or undefined when skipped. */
async function daemonBehindSsh(t: TestContext) {
	const engine = await requireDaemon(t);
	if (!engine) return undefined;
	docker = engine.docker;
	const {requireSshServer} = await import('../helpers/sshd.ts');
	return requireSshServer(t, engine.endpoint.url);
}

test('a docker context made by `docker context create` for the ssh host: berth --context, then docker context use', async t => {
	const server = await daemonBehindSsh(t);
	if (!server) return;
	const config = mkdtempSync(path.join(tmpdir(), 'berth-docker-config-'));
	try {
		const name = uniqueName('ctx');
		await runContainer(docker!, {name, cmd: ['sleep', '300']});
		const url = `ssh://${server.user}@127.0.0.1:${server.port}`;
		const dockerCli = (...args: string[]) => execFileSync('docker', args, {env: {...process.env, DOCKER_CONFIG: config, DOCKER_HOST: '', DOCKER_CONTEXT: ''}, stdio: 'pipe'});
		dockerCli('context', 'create', 'over-ssh', '--docker', `host=${url}`);
		const env = {PATH: server.pathWithWrapper, DOCKER_HOST: undefined, DOCKER_CONFIG: config};
		let screen = open({args: ['--context', 'over-ssh'], env});
		let shown = await screen.waitFor(/ │ \d+\/\d+ running/, 20_000);
		assert.ok(shown.includes(url), 'the header names the host the context points at');
		await focusOn(screen, name, 20_000);
		screen.close();
		// The current context, as `docker context use` sets it, is followed without a flag.
		dockerCli('context', 'use', 'over-ssh');
		screen = open({env});
		shown = await screen.waitFor(/ │ \d+\/\d+ running/, 20_000);
		assert.ok(shown.includes(url));
		screen.close();
		// A context that is not there is refused before the screen is taken.
		const failed = spawnSync(process.execPath, [berthBin, '--context', 'missing'], {env: {...process.env, DOCKER_CONFIG: config, DOCKER_HOST: ''}, encoding: 'utf8'});
		assert.equal(failed.status, 1);
		assert.match(failed.stderr, /berth: context "missing" does not exist/);
	} finally {
		server.stop();
		rmSync(config, {recursive: true, force: true});
	}
});

test('berth --host ssh://… shows the list and acts through the real ssh', async t => {
	const server = await daemonBehindSsh(t);
	if (!server) return;
	try {
		const name = uniqueName('ssh');
		const container = await runContainer(docker!, {name, cmd: ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1; done']});
		const url = `ssh://${server.user}@127.0.0.1:${server.port}`;
		const screen = open({args: ['--host', url], env: {PATH: server.pathWithWrapper, DOCKER_HOST: undefined}});
		// Every HTTP connection is an ssh login here (one shared connection is later work), and
		// a loaded 2-core machine takes its time over each handshake.
		const shown = await screen.waitFor(/ │ \d+\/\d+ running/, 20_000);
		assert.ok(shown.includes(url), 'the status line names the ssh host');
		await focusOn(screen, name, 20_000);
		screen.press('s');
		assert.ok(await eventually(async () => (await state(container)).Status === 'exited', 15_000), 'stopped over ssh');
		await screen.waitFor(`stopped ${name}`);
	} finally {
		server.stop();
	}
});
