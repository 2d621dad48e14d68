// Hands on a container, tried as a person would in a real terminal (tmux): `e` opens a shell
// (bash where the image has it, else ash or sh, for a non-root USER and a nologin root too),
// the terminal is handed over and resized with the window, and berth comes back where it was;
// `E` runs one command and shows its exit code; a container with no shell offers a command;
// `a` attaches, Ctrl-P Ctrl-Q detaches and leaves it running, a kill during the attach brings
// berth back; SIGTERM during a shell restores the terminal, and so does a cut connection. Against dockerd, berth's engine and
// a dockerd behind a real sshd.
import assert from 'node:assert/strict';
import {after, afterEach, before, type TestContext, test} from 'node:test';
import type Docker from 'dockerode';
import {requirePart} from '../helpers/ci.ts';
import {eventually, ownerLabels, removeTestContainers, requireDaemon, testImage, uniqueName} from '../helpers/daemon.ts';
import {startTestEngine, type TestEngine} from '../helpers/engine.ts';
import {copyImage, ensureImage, type ImageRecipe, noShell, withBash} from '../helpers/images.ts';
import {Terminal, type TerminalOptions} from '../helpers/terminal.ts';

let terminal: Terminal | undefined;
let docker: Docker | undefined;
let engine: TestEngine | undefined;
afterEach(() => {
	terminal?.close();
	terminal = undefined;
});
after(async () => {
	if (docker) await removeTestContainers(docker);
	await engine?.cleanup();
});

function open(options: TerminalOptions = {}): Terminal {
	terminal = new Terminal(options);
	return terminal;
}

async function daemon(t: TestContext): Promise<Docker | undefined> {
	const connection = await requireDaemon(t);
	docker = connection?.docker;
	return docker;
}

async function image(t: TestContext, on: Docker, recipe: ImageRecipe): Promise<boolean> {
	if (!requirePart(t, recipe.missing)) return false;
	await ensureImage(on, recipe);
	return true;
}

type Create = {name?: string; image?: string; cmd?: string[]; user?: string; tty?: boolean; stdin?: boolean};

async function start(on: Docker, options: Create): Promise<Docker.Container> {
	const container = await on.createContainer({
		name: options.name ?? uniqueName('sh'),
		Image: options.image ?? testImage,
		Cmd: options.cmd ?? ['sleep', '300'],
		User: options.user,
		Tty: options.tty ?? false,
		OpenStdin: options.stdin ?? false,
		Labels: ownerLabels,
		HostConfig: {NetworkMode: 'none'},
	});
	await container.start();
	return container;
}

/** Narrows the list to one container and waits for it to be the selected row. */
async function focusOn(screen: Terminal, name: string, timeoutMs = 10_000): Promise<void> {
	screen.press('/');
	screen.type(name);
	screen.press('Enter');
	await screen.waitFor(shown => shown.includes(`▸ ${name}`) && /Containers \(1 of \d+\)/.test(shown), timeoutMs);
}

/** The shell answers: arithmetic only a shell does, then the size it was resized to. */
async function useTheShell(screen: Terminal): Promise<void> {
	screen.type('echo $((6*7))');
	screen.press('Enter');
	await screen.waitFor(/^42$/m);
	screen.resize(100, 30);
	// The new size reaches the process through an API call after the window changed: asked
	// again until it has arrived, as a person would run stty again.
	for (let attempt = 0; ; attempt++) {
		screen.type('stty size');
		screen.press('Enter');
		try {
			await screen.waitFor(/^30 100$/m, 1000);
			return;
		} catch (error) {
			if (attempt === 9) throw error;
		}
	}
}

/** `e`, the shell's banner, the shell used, `exit`, and berth back where it was. */
async function shellRoundTrip(screen: Terminal, name: string, timeoutMs = 10_000): Promise<string> {
	await focusOn(screen, name, timeoutMs);
	screen.press('e');
	const banner = await screen.waitFor(new RegExp(`\\[berth\\] shell in ${name} \\((\\S+)\\)`), timeoutMs);
	assert.equal(screen.modes().alternateScreen, false, 'the shell has the normal screen');
	await useTheShell(screen);
	screen.type('exit');
	screen.press('Enter');
	const back = await screen.waitFor(`shell in ${name} ended (exit code 0)`, timeoutMs);
	assert.ok(back.includes(`▸ ${name}`), 'the same row is selected');
	assert.match(back, new RegExp(`Containers \\(1 of \\d+\\) +/${name}`), 'the filter is kept');
	assert.equal(screen.modes().alternateScreen, true, 'berth has its screen again');
	return new RegExp(`shell in ${name} \\((\\S+)\\)`).exec(banner)![1]!;
}

test('e on a busybox container: its ash, 42, a resize, and back to the same row and filter', async t => {
	const on = await daemon(t);
	if (!on) return;
	const name = uniqueName('sh');
	await start(on, {name});
	const screen = open();
	const shell = await shellRoundTrip(screen, name);
	assert.match(shell, /^(\/bin\/)?ash$/, 'no bash in the image: ash');
});

test('e prefers bash where the image has it', async t => {
	const on = await daemon(t);
	if (!on || !(await image(t, on, withBash()))) return;
	const name = uniqueName('bash');
	await start(on, {name, image: withBash().tag});
	const screen = open({columns: 200, rows: 50});
	await focusOn(screen, name);
	screen.press('e');
	await screen.waitFor(`shell in ${name} (/bin/bash)`);
	screen.type('echo "bash $BASH_VERSION"');
	screen.press('Enter');
	await screen.waitFor(/^bash 5\.\d/m);
	screen.type('exit');
	screen.press('Enter');
	await screen.waitFor(`shell in ${name} ended`);
});

test('e works for a USER with no passwd entry and for a root whose login shell is /sbin/nologin', async t => {
	const on = await daemon(t);
	if (!on) return;
	const numeric = uniqueName('uid');
	await start(on, {name: numeric, user: '1001:1001'});
	const nologin = uniqueName('nologin');
	await start(on, {name: nologin, cmd: ['sh', '-c', 'echo "root:x:0:0:root:/root:/sbin/nologin" > /etc/passwd && sleep 300']});
	const screen = open();
	await focusOn(screen, numeric);
	screen.press('e');
	await screen.waitFor(`shell in ${numeric}`);
	screen.type('echo "uid=$(id -u)"');
	screen.press('Enter');
	await screen.waitFor(/^uid=1001$/m);
	screen.type('exit');
	screen.press('Enter');
	await screen.waitFor(`shell in ${numeric} ended`);
	screen.press('Escape');
	await screen.waitFor(shown => !shown.includes(`/${numeric}`));
	assert.ok(await eventually(async () => (await on.getContainer(nologin).inspect()).State.Running));
	await shellRoundTrip(screen, nologin);
});

test('a container with no shell says so and offers one command instead', async t => {
	const on = await daemon(t);
	if (!on || !(await image(t, on, noShell()))) return;
	const name = uniqueName('bare');
	await start(on, {name, image: noShell().tag, cmd: ['/busybox', 'sleep', '300']});
	const screen = open();
	await focusOn(screen, name);
	screen.press('e');
	await screen.waitFor(`${name} has no shell; run a command instead:`);
	screen.type('/busybox echo "from busybox"');
	screen.press('Enter');
	await screen.waitFor(/^from busybox$/m);
	await screen.waitFor(/^\[berth\] exited with code 0; a key returns to berth$/m);
	screen.press('x');
	await screen.waitFor(`▸ ${name}`);
});

test('E runs one command, shows its exit code, and waits for a key', async t => {
	const on = await daemon(t);
	if (!on) return;
	const name = uniqueName('cmd');
	await start(on, {name});
	const screen = open();
	await focusOn(screen, name);
	screen.press('E');
	await screen.waitFor('run in the container:');
	screen.type(`sh -c 'echo "out of it"; exit 3'`);
	screen.press('Enter');
	await screen.waitFor(/^out of it$/m);
	await screen.waitFor(/^\[berth\] exited with code 3; a key returns to berth$/m);
	screen.press('Space');
	const back = await screen.waitFor(`in ${name} ended (exit code 3)`);
	assert.ok(back.includes(`▸ ${name}`));
});

test('a attaches to the main process; Ctrl-P Ctrl-Q detaches and leaves it running', async t => {
	const on = await daemon(t);
	if (!on) return;
	const name = uniqueName('att');
	const container = await start(on, {name, cmd: ['sh'], tty: true, stdin: true});
	const screen = open();
	await focusOn(screen, name);
	screen.press('a');
	await screen.waitFor(`attached to ${name}`);
	await screen.waitFor(/ctrl-p ctrl-q detaches, leaving it running/);
	screen.type('echo "at-$((1+1))"');
	screen.press('Enter');
	await screen.waitFor(/^at-2$/m);
	screen.press('C-p');
	screen.press('C-q');
	await screen.waitFor(`detached from ${name}; it keeps running`);
	assert.equal((await container.inspect()).State.Running, true, 'still running, through the API');
});

test('a container killed during an attach brings berth back, its terminal intact', async t => {
	const on = await daemon(t);
	if (!on) return;
	const name = uniqueName('kill');
	const container = await start(on, {name, cmd: ['sh'], tty: true, stdin: true});
	const screen = open();
	await focusOn(screen, name);
	screen.press('a');
	await screen.waitFor(`attached to ${name}`);
	await container.kill();
	await screen.waitFor(`${name} stopped (exit code 137); attach ended`);
	// The row follows with the container's die event, which may come a moment after the attach's end.
	await screen.waitFor(new RegExp(`${name} +berth-test/\\S* +exited`), 15_000);
	assert.equal(screen.modes().alternateScreen, true);
	// Keys are berth's again.
	screen.press('?');
	await screen.waitFor('berth — keys: Containers');
});

test('SIGTERM to berth during a shell restores the terminal', async t => {
	const on = await daemon(t);
	if (!on) return;
	const name = uniqueName('term');
	await start(on, {name});
	const screen = open();
	await focusOn(screen, name);
	screen.press('e');
	await screen.waitFor(`shell in ${name}`);
	process.kill(screen.berthPid()!, 'SIGTERM');
	const after = await screen.waitFor('[end]');
	assert.match(after, /\[exit 143\] icanon echo \[end\]/, 'cooked mode and echo are back');
	assert.deepEqual(screen.modes(), {alternateScreen: false, cursorVisible: true});
});

test('the connection to the engine cut during a shell brings berth back, saying so', async t => {
	const connection = await requireDaemon(t);
	if (!connection) return;
	docker = connection.docker;
	const {startEngineProxy} = await import('../helpers/proxy.ts');
	const proxy = await startEngineProxy(connection.endpoint.url.replace(/^unix:\/\//, ''));
	try {
		const name = uniqueName('cut');
		await start(docker, {name});
		const screen = open({args: ['--host', proxy.url], env: {DOCKER_HOST: undefined}});
		await focusOn(screen, name);
		screen.press('e');
		await screen.waitFor(`shell in ${name} (`);
		screen.type('echo $((6*7))');
		screen.press('Enter');
		await screen.waitFor(/^42$/m);
		proxy.cut();
		const back = await screen.waitFor(`shell in ${name}: the connection to the engine ended`);
		assert.ok(back.includes(`▸ ${name}`));
		assert.equal(screen.modes().alternateScreen, true);
	} finally {
		proxy.close();
	}
});

test('e on berth\'s engine: a shell in a busybox container, resized, and back', async t => {
	const on = await daemon(t);
	if (!on) return;
	engine ??= await startTestEngine();
	await copyImage(on, engine.client.docker, testImage);
	const name = uniqueName('eng');
	await start(engine.client.docker, {name});
	const screen = open({args: ['--host', engine.url], env: {DOCKER_HOST: undefined}});
	await shellRoundTrip(screen, name);
});

test('e over ssh://: the exec goes through the ssh link', async t => {
	const connection = await requireDaemon(t);
	if (!connection) return;
	docker = connection.docker;
	const {requireSshServer} = await import('../helpers/sshd.ts');
	const server = await requireSshServer(t, connection.endpoint.url);
	if (!server) return;
	try {
		const name = uniqueName('ssh');
		await start(docker, {name});
		const screen = open({args: ['--host', `ssh://${server.user}@127.0.0.1:${server.port}`], env: {PATH: server.pathWithWrapper, DOCKER_HOST: undefined}});
		await screen.waitFor(/ │ \d+\/\d+ running/, 20_000);
		await shellRoundTrip(screen, name, 20_000);
	} finally {
		server.stop();
	}
});
