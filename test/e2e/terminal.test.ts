// berth and the terminal it runs in (tmux), against the real daemon: the terminal is given back
// exactly on every way out (quit, Ctrl-C, signals, a crash), one line for a host that cannot be
// used, the layout follows a resize, and the looks follow the locale, NO_COLOR, --no-color,
// the theme and TERM. The screen stays usable while a host switch waits for an answer.
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, afterEach, test} from 'node:test';
import type Docker from 'dockerode';
import {removeTestContainers, requireDaemon, runContainer, uniqueName} from '../helpers/daemon.ts';
import {berthBin, Terminal} from '../helpers/terminal.ts';

let terminal: Terminal | undefined;
let docker: Docker | undefined;
const cleanups: Array<() => void> = [];
afterEach(() => {
	terminal?.close();
	terminal = undefined;
});
after(async () => {
	if (docker) await removeTestContainers(docker);
	for (const cleanup of cleanups) cleanup();
});

function open(options: ConstructorParameters<typeof Terminal>[0] = {}): Terminal {
	terminal = new Terminal(options);
	return terminal;
}

const scratch = () => {
	const directory = mkdtempSync(path.join(tmpdir(), 'berth-e2e-'));
	cleanups.push(() => rmSync(directory, {recursive: true, force: true}));
	return directory;
};

for (const [how, keys] of [
	['q', ['q']],
	['Ctrl-C', ['C-c']],
] as const) {
	test(`quitting with ${how} restores the terminal exactly`, async t => {
		if (!(await requireDaemon(t))) return;
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
		if (!(await requireDaemon(t))) return;
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

test('a crash restores the terminal and prints the error', async t => {
	if (!(await requireDaemon(t))) return;
	// A module loaded before berth that throws from a timer when told to: an uncaught exception, as a bug would be.
	const crash = path.join(scratch(), 'crash.mjs');
	writeFileSync(crash, "process.on('SIGUSR2', () => setImmediate(() => { throw new Error('a crash on purpose'); }));\n");
	const screen = open({command: ['node', '--import', crash, berthBin]});
	await screen.waitFor(/Containers \(\d+\)/);
	process.kill(screen.berthPid()!, 'SIGUSR2');
	const after = await screen.waitFor('[end]');
	assert.match(after, /berth: unexpected error: Error: a crash on purpose/);
	assert.match(after, /\[exit 1\] icanon echo \[end\]/);
	assert.deepEqual(screen.modes(), {alternateScreen: false, cursorVisible: true});
});

test('a crash while the first list is on screen, before the UI has loaded, restores the terminal too', async t => {
	if (!(await requireDaemon(t))) return;
	// The first list is drawn before React and Ink load; this throws right after that frame is written.
	const crash = path.join(scratch(), 'early-crash.mjs');
	writeFileSync(crash, [
		'const write = process.stdout.write.bind(process.stdout);',
		"process.stdout.write = (chunk, ...rest) => { if (String(chunk).includes('Containers (')) setImmediate(() => { throw new Error('an early crash'); }); return write(chunk, ...rest); };",
		'',
	].join('\n'));
	const screen = open({command: ['node', '--import', crash, berthBin]});
	const after = await screen.waitFor('[end]');
	assert.match(after, /berth: unexpected error: Error: an early crash/);
	assert.match(after, /\[exit 1\] icanon echo \[end\]/);
	assert.deepEqual(screen.modes(), {alternateScreen: false, cursorVisible: true});
});

test('an unreachable host is one clear line and exit code 1', async () => {
	const screen = open({args: ['--host', 'unix:///nonexistent/docker.sock']});
	const shown = await screen.waitFor('[end]');
	assert.match(shown, /^berth: cannot connect to unix:\/\/\/nonexistent\/docker\.sock: no such socket/m);
	assert.match(shown, /\[exit 1\]/);
	assert.doesNotMatch(shown, /at .*\.js:\d+/, 'no stack trace');
});

test('an engine that speaks an API older than 1.24 is refused in one line', async () => {
	// A server that says it is an old dockerd: the only way to have one on this machine.
	const socketPath = path.join(scratch(), 'old.sock');
	const server = http.createServer((_request, response) => {
		response.writeHead(200, {'Api-Version': '1.20', Server: 'Docker/1.8.3 (linux)'});
		response.end('OK');
	});
	await new Promise<void>(resolve => server.listen(socketPath, resolve));
	cleanups.push(() => server.close());
	const screen = open({args: ['--host', `unix://${socketPath}`], columns: 200});
	const shown = await screen.waitFor('[end]');
	assert.match(shown, /^berth: cannot connect to unix:\S+: unix:\S+ speaks Engine API 1\.20; berth needs 1\.24 or newer$/m);
	assert.match(shown, /\[exit 1\]/);
});

test('the layout follows a resize', async t => {
	if (!(await requireDaemon(t))) return;
	const screen = open({columns: 80, rows: 24});
	await screen.waitFor(/Containers \(\d+\)/);
	screen.resize(200, 50);
	// Side by side: the list's and the details' top borders share the line under the header.
	await screen.waitFor(screen_ => (screen_.split('\n')[1]?.match(/╭/g)?.length ?? 0) === 2);
	screen.resize(80, 24);
	await screen.waitFor(screen_ => (screen_.split('\n')[1]?.match(/╭/g)?.length ?? 0) === 1);
	screen.resize(40, 10);
	await screen.waitFor(/berth needs at least 50x13; this\s+terminal is 40x10/);
});

// Colour codes: 30–37, 90–97 (and their backgrounds), or 256-colour and true-colour forms.
const colourCode = /\u001B\[(?:[\d;]*;)?(?:3[0-7]|9[0-7]|4[0-7]|10[0-7]|38;[25]|48;[25])(?:;[\d;]*)?m/;

test('LANG=C gets ASCII lines and marks; NO_COLOR and --no-color get no colours; the light theme draws in blue', async t => {
	const daemon = await requireDaemon(t);
	if (!daemon) return;
	docker = daemon.docker;
	const name = uniqueName('looks');
	await runContainer(docker, {name, cmd: ['sleep', '300']});

	let screen = open({env: {LANG: 'C'}});
	await screen.waitFor(/\+-{20,}\+/);
	const shown = await screen.waitFor(/\| \d+\/\d+ running \|/);
	assert.doesNotMatch(shown, /[^\u0000-\u007F]/, 'nothing outside ASCII on a C-locale screen');
	screen.close();

	for (const variant of [{env: {NO_COLOR: '1'}}, {args: ['--no-color']}]) {
		screen = open(variant);
		await screen.waitFor(/CPU +MEM/);
		assert.doesNotMatch(screen.screenWithEscapes(), colourCode, `no colours with ${JSON.stringify(variant)}`);
		screen.close();
	}

	screen = open({args: ['--theme', 'light']});
	await screen.waitFor(/Containers \(\d+\)/);
	assert.match(screen.screenWithEscapes(), /\u001B\[[\d;]*(34|44)[\d;]*m/, 'the light theme draws in blue');
});

test('NO_COLOR takes a container\'s own colours away too, while bold and inverse remain', async t => {
	const daemon = await requireDaemon(t);
	if (!daemon) return;
	docker = daemon.docker;
	const name = uniqueName('colour');
	await runContainer(docker, {name, cmd: ['sh', '-c', 'printf "\\033[31mred words\\033[0m plain\\n"; sleep 300']});
	// The log view keeps a container's colours (the Logs tab shows plain text).
	const filter = async (screen: Terminal) => {
		screen.press('/');
		screen.type(name);
		screen.press('Enter');
		await screen.waitFor(`▸ ${name}`);
		screen.press('l');
		await screen.waitFor(/FOLLOWING[\s\S]*red words/);
	};

	let screen = open();
	await filter(screen);
	assert.match(screen.screenWithEscapes(), /\u001B\[31m(?:\u001B\[[\d;]*m)*red words/, 'the container\'s red, normally');
	screen.close();
	screen = open({env: {NO_COLOR: '1'}});
	await filter(screen);
	const escapes = screen.screenWithEscapes();
	assert.doesNotMatch(escapes, colourCode, 'no colour, the container\'s included');
	assert.match(escapes, /\u001B\[[\d;]*1[;m]/, 'bold remains (the header, the mode)');
	screen.press('q');
	await screen.waitFor(`▸ ${name}`);
	assert.match(screen.screenWithEscapes(), /\u001B\[[\d;]*7[;m]/, 'inverse remains (the selected row, the open tab)');
});

test('TERM is the pane\'s own: xterm, screen and tmux-256color draw in colour and quit cleanly; a dumb terminal is told why not', async t => {
	if (!(await requireDaemon(t))) return;
	for (const term of ['xterm', 'screen', 'tmux-256color']) {
		const screen = open({env: {TERM: term}});
		await screen.waitFor(/Containers \(\d+\)/);
		assert.match(screen.screenWithEscapes(), colourCode, `TERM=${term} has colours`);
		screen.press('q');
		await screen.waitFor(/\[exit 0\] icanon echo \[end\]/);
		screen.close();
	}

	const dumb = open({env: {TERM: 'dumb'}, columns: 160});
	const refused = await dumb.waitFor('[end]');
	assert.match(refused, /^berth: this terminal \(TERM=dumb\) cannot draw the interface/m);
	assert.match(refused, /\[exit 1\] icanon echo \[end\]/, 'the terminal was never taken');
});

test('the screen stays usable while a host switch waits for an answer', async t => {
	const daemon = await requireDaemon(t);
	if (!daemon) return;
	docker = daemon.docker;
	const tag = uniqueName('switch');
	await runContainer(docker, {name: `${tag}-a`, cmd: ['sleep', '300']});
	await runContainer(docker, {name: `${tag}-b`, cmd: ['sleep', '300']});
	// A host that takes the connection and never answers.
	const silent = net.createServer(() => undefined);
	await new Promise<void>(resolve => silent.listen(0, '127.0.0.1', resolve));
	cleanups.push(() => silent.close());
	const port = (silent.address() as net.AddressInfo).port;
	const directory = scratch();
	writeFileSync(path.join(directory, 'config.json'), JSON.stringify({hosts: {silent: `tcp://127.0.0.1:${port}`}}));
	const screen = open({columns: 120, rows: 30, env: {BERTH_CONFIG_DIR: directory}});
	await screen.waitFor(/Containers \(\d+\)/);
	screen.type(':host silent');
	screen.press('Enter');
	await screen.waitFor('connecting to silent…');
	// Meanwhile the list answers keys.
	screen.press('/');
	screen.type(tag);
	screen.press('Enter');
	await screen.waitFor(`▸ ${tag}-a`);
	screen.press('j');
	await screen.waitFor(`▸ ${tag}-b`);
	// And when the host gives up, berth is still on the daemon, saying why.
	await screen.waitFor(/silent: cannot connect to tcp:\/\/127\.0\.0\.1:\d+: .*(no answer|timed out)/, 20_000);
	assert.match(screen.screen(), /Docker \S+ │/);
});
