// berth itself, built, in a real terminal (tmux), against the real daemon: what a person sees
// and what the keys do, checked on the screen and through the API.
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

test('the list shows every container, grouped by compose project; the filter narrows it', async t => {
	const engine = await requireDaemon(t);
	if (!engine) return;
	docker = engine.docker;
	const tag = uniqueName('list');
	await runContainer(docker, {name: `${tag}-web`, cmd: ['sleep', '300']});
	await runContainer(docker, {name: `${tag}-stopped`, cmd: ['true'], start: false});
	await runContainer(docker, {name: `${tag}-db`, cmd: ['sleep', '300'], labels: {'com.docker.compose.project': `${tag}-proj`}});

	const screen = open({columns: 200, rows: 50});
	await screen.waitFor(/Containers \(\d+\)/);
	// The daemon may hold many other containers: narrow to this test's own.
	screen.press('/');
	screen.type(tag);
	screen.press('Enter');
	const shown = await screen.waitFor(`${tag}-stopped`);
	assert.match(shown, new RegExp(`${tag}-web +berth-test/busybox +running +Up`));
	assert.match(shown, new RegExp(`${tag}-stopped +berth-test/busybox +created`));
	assert.match(shown, new RegExp(`▾ ${tag}-proj +1/1 running`));
	assert.ok(shown.indexOf(`▾ ${tag}-proj`) < shown.indexOf(`${tag}-db`), 'the project header comes before its container');

	screen.press('/');
	screen.type('-st');
	const filtered = await screen.waitFor(screen_ => !screen_.includes(`${tag}-web`));
	assert.match(filtered, new RegExp(`▸ ${tag}-stopped`));
	assert.match(filtered, /Containers \(1 of \d+\)/);
	screen.press('Escape');
	await screen.waitFor(screen_ => !/Containers \(\d+ of/.test(screen_));
});

test('s, u, r, p and d act on the daemon, and each shows its progress and outcome', async t => {
	const engine = await requireDaemon(t);
	if (!engine) return;
	docker = engine.docker;
	const name = uniqueName('act');
	// `sleep` as PID 1 ignores SIGTERM; trap makes stop quick, as a well-behaved service would be.
	const container = await runContainer(docker!, {name, cmd: ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1; done']});
	const screen = open();
	await screen.waitFor(/Containers \(\d+\)/);
	await focusOn(screen, name);

	screen.press('s');
	assert.ok(await eventually(async () => !(await state(container)).Running, 8000), 'stopped');
	await screen.waitFor(`stopped ${name}`);
	await screen.waitFor(new RegExp(`${name} +berth-test/\\S* +exited`));

	screen.press('u');
	assert.ok(await eventually(async () => (await state(container)).Running), 'started');
	await screen.waitFor(`started ${name}`);

	const before = (await state(container)).StartedAt;
	screen.press('r');
	assert.ok(await eventually(async () => (await state(container)).StartedAt !== before, 8000), 'restarted');
	await screen.waitFor(`restarted ${name}`);

	screen.press('p');
	assert.ok(await eventually(async () => (await state(container)).Paused), 'paused');
	await screen.waitFor(new RegExp(`${name} +berth-test/\\S* +paused`));
	screen.press('p');
	assert.ok(await eventually(async () => !(await state(container)).Paused), 'unpaused');
	await screen.waitFor(`unpaused ${name}`);

	screen.press('d');
	await screen.waitFor(`${name} is running. Force remove it?`);
	screen.press('y');
	await new Promise(resolve => setTimeout(resolve, 300));
	assert.equal((await state(container)).Running, true, 'y does not remove a running container');
	screen.press('n');
	await screen.waitFor(screen_ => !screen_.includes('Force remove it?'));
	assert.equal((await state(container)).Running, true, 'n cancels');

	screen.press('d');
	await screen.waitFor('Force remove it?');
	screen.press('f');
	assert.ok(await eventually(async () => (await container.inspect().then(() => false, () => true)), 5000), 'removed');
	await screen.waitFor(`removed ${name}`);
});

test('a refused action shows the daemon\'s own message', async t => {
	const engine = await requireDaemon(t);
	if (!engine) return;
	docker = engine.docker;
	const name = uniqueName('refused');
	await runContainer(docker, {name, cmd: ['true'], start: false});
	const screen = open({columns: 160, rows: 40});
	await screen.waitFor(/Containers \(\d+\)/);
	await focusOn(screen, name);
	// Killing a container that is not running is refused by the daemon (409).
	screen.press('K');
	const shown = await screen.waitFor(`kill ${name} failed:`);
	assert.match(shown, /is not running/);
});

test('changes made elsewhere appear within a second, from the event stream', async t => {
	const engine = await requireDaemon(t);
	if (!engine) return;
	docker = engine.docker;
	const screen = open({columns: 120, rows: 30});
	await screen.waitFor(/Containers \(\d+\)/);
	const name = uniqueName('live');
	// Filtered on a name that does not exist yet: it must appear when created elsewhere.
	screen.press('/');
	screen.type(name);
	screen.press('Enter');
	await screen.waitFor('no container matches the filter');
	const container = await runContainer(docker, {name, cmd: ['sleep', '300'], start: false});
	await screen.waitFor(name, 1000);
	await container.start();
	await screen.waitFor(new RegExp(`${name} +\\S+ +running`), 1000);
	await container.rename({name: `${name}-new`});
	await screen.waitFor(`${name}-new`, 1000);
	await container.remove({force: true});
	await screen.waitFor('no container matches the filter', 1000);
});

test('the Logs tab shows the container\'s own output and follows it', async t => {
	const engine = await requireDaemon(t);
	if (!engine) return;
	docker = engine.docker;
	const name = uniqueName('logs');
	await runContainer(docker, {name, cmd: ['sh', '-c', 'echo "hello from $HOSTNAME on stdout"; echo "and on stderr" >&2; i=0; while true; do echo "beat $i"; i=$((i+1)); sleep 0.2; done']});
	const screen = open({columns: 200, rows: 50});
	await screen.waitFor(/Containers \(\d+\)/);
	await focusOn(screen, name);
	await screen.waitFor('on stdout');
	await screen.waitFor('and on stderr');
	const first = await screen.waitFor(/beat (\d+)/);
	const beat = Number(/beat (\d+)\s*│?\s*$/m.exec(first)?.[1] ?? /beat (\d+)/.exec(first)![1]);
	await screen.waitFor(screen_ => [...screen_.matchAll(/beat (\d+)/g)].some(match => Number(match[1]) > beat + 2), 5000);
	// Stats: figures and charts from the daemon's own stats stream; Top: the container's processes.
	screen.press(']');
	await screen.waitFor(/CPU [\d.]+%   MEM [\d.]+\w+ \/ [\d.]+\w+ \([\d.]+%\)   PIDS [1-9]/);
	await screen.waitFor(/CPU % · last \d+s/);
	screen.press(']');
	await screen.waitFor(/PID +USER +%CPU/);
	await screen.waitFor(/\d+ +root .* sh -c echo "hello/);
	screen.press(']');
	await screen.waitFor('"Id":');
	screen.press(']');
	await screen.waitFor('PATH=');
	screen.press(']');
	await screen.waitFor(/Image +berth-test\/busybox/);
});

test('Tab focuses the details, which then scroll by line, page and to the end', async t => {
	const engine = await requireDaemon(t);
	if (!engine) return;
	docker = engine.docker;
	const name = uniqueName('scroll');
	await runContainer(docker, {name, cmd: ['sleep', '300']});
	const screen = open();
	await screen.waitFor(/Containers \(\d+\)/);
	await focusOn(screen, name);
	// Back from the first tab wraps round to the last one, Config.
	screen.press('[');
	const first = await screen.waitFor(/Config +(\d+)\/(\d+)/);
	const [, shown, total] = /Config +(\d+)\/(\d+)/.exec(first)!;
	const rows = Number(shown);
	screen.press('Tab');
	// Keys sent together must add up: one page (rows - 1 lines) and two lines.
	screen.press('PageDown', 'j', 'j');
	await screen.waitFor(new RegExp(`Config +${rows + rows - 1 + 2}/${total}`));
	screen.press('G');
	await screen.waitFor(new RegExp(`Config +${total}/${total}`));
	screen.press('g');
	await screen.waitFor(new RegExp(`Config +${rows}/${total}`));
	// Esc gives the focus back to the list: j moves the selection again, not the text.
	screen.press('Escape', '[', 'g');
	await screen.waitFor(/Logs +Stats +Top +Inspect/);
});

test('? shows the keys in force; Esc closes it', async t => {
	const engine = await requireDaemon(t);
	if (!engine) return;
	const screen = open();
	await screen.waitFor(/Containers \(\d+\)/);
	screen.press('?');
	const help = await screen.waitFor('berth — keys');
	assert.match(help, /d +remove \(asks\)/);
	assert.match(help, /K +kill/);
	screen.press('Escape');
	await screen.waitFor(/Containers \(\d+\)/);
});

test('keys can be remapped from the config file', async t => {
	const engine = await requireDaemon(t);
	if (!engine) return;
	const {mkdtempSync, writeFileSync} = await import('node:fs');
	const {tmpdir} = await import('node:os');
	const path = await import('node:path');
	const directory = mkdtempSync(path.join(tmpdir(), 'berth-config-'));
	writeFileSync(path.join(directory, 'config.json'), JSON.stringify({keys: {quit: 'x', help: 'h'}}));
	const screen = open({env: {BERTH_CONFIG_DIR: directory}});
	await screen.waitFor(/Containers \(\d+\)/);
	screen.press('h');
	await screen.waitFor(/x +quit/);
	screen.press('Escape');
	screen.press('q');
	await new Promise(resolve => setTimeout(resolve, 300));
	assert.ok(!screen.screen().includes('[exit'), 'q no longer quits');
	screen.press('x');
	await screen.waitFor('[exit 0]');
});

for (const [how, keys] of [
	['q', ['q']],
	['Ctrl-C', ['C-c']],
] as const) {
	test(`quitting with ${how} restores the terminal exactly`, async t => {
		const engine = await requireDaemon(t);
		if (!engine) return;
		const screen = open();
		await screen.waitFor(/Containers \(\d+\)/);
		assert.equal(screen.modes().alternateScreen, true, 'runs in the alternate screen');
		screen.press(...keys);
		const after = await screen.waitFor('[end]');
		assert.match(after, /\[exit 0\] icanon echo \[end\]/, 'cooked mode and echo are back');
		assert.deepEqual(screen.modes(), {alternateScreen: false, cursorVisible: true});
	});
}

for (const signal of ['SIGTERM', 'SIGHUP'] as const) {
	test(`${signal} restores the terminal too`, async t => {
		const engine = await requireDaemon(t);
		if (!engine) return;
		const screen = open();
		await screen.waitFor(/Containers \(\d+\)/);
		const pid = screen.berthPid();
		assert.ok(pid, 'found berth under the shell');
		process.kill(pid, signal);
		const after = await screen.waitFor('[end]');
		assert.match(after, /\[exit 1\d\d\] icanon echo \[end\]/);
		assert.deepEqual(screen.modes(), {alternateScreen: false, cursorVisible: true});
	});
}

test('an unreachable host is one clear line and exit code 1', async () => {
	const screen = open({args: ['--host', 'unix:///nonexistent/docker.sock']});
	const shown = await screen.waitFor('[end]');
	assert.match(shown, /^berth: cannot connect to unix:\/\/\/nonexistent\/docker\.sock: no such socket/m);
	assert.match(shown, /\[exit 1\]/);
	assert.doesNotMatch(shown, /at .*\.js:\d+/, 'no stack trace');
});

test('the layout follows a resize', async t => {
	const engine = await requireDaemon(t);
	if (!engine) return;
	const screen = open({columns: 80, rows: 24});
	await screen.waitFor(/Containers \(\d+\)/);
	screen.resize(200, 50);
	// Side by side: the list's and the details' top borders share the line under the header.
	await screen.waitFor(screen_ => (screen_.split('\n')[1]?.match(/╭/g)?.length ?? 0) === 2);
	screen.resize(80, 24);
	await screen.waitFor(screen_ => (screen_.split('\n')[1]?.match(/╭/g)?.length ?? 0) === 1);
});

test('LANG=C gets ASCII lines and marks; NO_COLOR and --no-color get no colours; TERM=xterm, screen and tmux-256color all work', async t => {
	const engine = await requireDaemon(t);
	if (!engine) return;
	docker = engine.docker;
	const name = uniqueName('looks');
	await runContainer(docker, {name, cmd: ['sleep', '300']});

	let screen = open({env: {LANG: 'C', LC_ALL: undefined, LC_CTYPE: undefined}});
	let shown = await screen.waitFor(new RegExp(`> ${name}|${name}`));
	await screen.waitFor(/\+-{20,}\+/);
	shown = screen.screen();
	assert.doesNotMatch(shown, /[^\u0000-\u007F]/, 'nothing outside ASCII on a C-locale screen');
	assert.match(shown, /\| \d+\/\d+ running \|/);
	screen.close();

	// Colour codes: 30–37, 90–97 (and their backgrounds), or 256-colour and true-colour forms.
	const colourCode = /\u001B\[(?:[\d;]*;)?(?:3[0-7]|9[0-7]|4[0-7]|10[0-7]|38;[25]|48;[25])(?:;[\d;]*)?m/;
	for (const variant of [{env: {NO_COLOR: '1'}}, {args: ['--no-color']}]) {
		screen = open(variant);
		await screen.waitFor(name);
		await screen.waitFor(/CPU +MEM/);
		assert.doesNotMatch(screen.screenWithEscapes(), colourCode, `no colours with ${JSON.stringify(variant)}`);
		screen.close();
	}

	screen = open({args: ['--theme', 'light']});
	await screen.waitFor(name);
	assert.match(screen.screenWithEscapes(), /\u001B\[[\d;]*(34|44)[\d;]*m/, 'the light theme draws in blue');
	screen.close();

	for (const term of ['xterm', 'screen', 'tmux-256color']) {
		screen = open({env: {TERM: term}});
		shown = await screen.waitFor(name);
		assert.match(shown, /Containers \(\d+\)/, `TERM=${term}`);
		screen.press('q');
		await screen.waitFor(/\[exit 0\] icanon echo \[end\]/);
		screen.close();
	}
});

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
		const dockerCli = (...args: string[]) => execFileSync('docker', args, {env: {...process.env, DOCKER_CONFIG: config, DOCKER_HOST: ''}, stdio: 'pipe'});
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
		assert.ok(await eventually(async () => !(await state(container)).Running, 8000), 'stopped over ssh');
		await screen.waitFor(`stopped ${name}`);
	} finally {
		server.stop();
	}
});
