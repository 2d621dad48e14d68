// The user's own commands from the config file, in a real terminal against dockerd: a label value
// with spaces, quotes and shell syntax reaches the program as one argument and runs nothing; the
// menu lists what applies, `?` shows the keyed ones; a command that needs the terminal gets it
// and berth comes back after a key; a broken entry is reported and the rest still work.
import assert from 'node:assert/strict';
import {existsSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, afterEach, test} from 'node:test';
import type Docker from 'dockerode';
import {ownerLabels, removeTestContainers, requireDaemon, testImage, uniqueName} from '../helpers/daemon.ts';
import {Terminal} from '../helpers/terminal.ts';

let terminal: Terminal | undefined;
let docker: Docker | undefined;
const scratch = mkdtempSync(path.join(tmpdir(), 'berth-custom-'));
afterEach(() => {
	terminal?.close();
	terminal = undefined;
});
after(async () => {
	if (docker) await removeTestContainers(docker);
	rmSync(scratch, {recursive: true, force: true});
});

function openWith(commands: unknown[]): Terminal {
	const config = mkdtempSync(path.join(scratch, 'config-'));
	writeFileSync(path.join(config, 'config.json'), JSON.stringify({commands}));
	terminal = new Terminal({columns: 110, rows: 40, env: {BERTH_CONFIG_DIR: config}});
	return terminal;
}

async function focusOn(screen: Terminal, name: string): Promise<void> {
	screen.press('/');
	screen.type(name);
	screen.press('Enter');
	await screen.waitFor(shown => shown.includes(`▸ ${name}`) && /Containers \(1 of \d+\)/.test(shown), 10_000);
}

test('a label holding spaces, quotes and shell syntax is one argument, and nothing in it runs', async t => {
	const connection = await requireDaemon(t);
	if (!connection) return;
	docker = connection.docker;
	// Short, so that the whole line fits the pane.
	const sentinel = `/tmp/b${Math.random().toString(36).slice(2, 6)}`;
	const note = `it's "quoted"; touch ${sentinel} $(touch ${sentinel}) \`touch ${sentinel}\``;
	const name = uniqueName('lbl');
	const container = await docker.createContainer({name, Image: testImage, Cmd: ['sleep', '300'], Labels: {...ownerLabels, note}, HostConfig: {NetworkMode: 'none'}});
	await container.start();
	const screen = openWith([
		{name: 'print the note', key: 'ctrl+n', command: "printf '<%s>\\n' {{.Labels.note}} {{.Name}}"},
		{name: 'as words', command: ['printf', '(%s)\\n', 'id={{.ID}}', '{{.Image}}']},
	]);
	await focusOn(screen, name);
	screen.press('C-n');
	const shown = await screen.waitFor('done: printf');
	assert.ok(shown.includes(`<${note}>`), 'the whole label, one argument, as it is');
	assert.ok(shown.includes(`<${name}>`));
	assert.equal(existsSync(sentinel), false, 'no shell read it');
	rmSync(sentinel, {force: true});
	screen.press('c');
	await screen.waitFor('your commands: Containers');
	await screen.waitFor(/▸ \^N +print the note/);
	screen.press('j');
	screen.press('Enter');
	await screen.waitFor(`(id=${container.id})`);
	await screen.waitFor(`(${testImage})`);
	screen.press('?');
	await screen.waitFor(/\^N +print the note/);
});

test('a command that needs the terminal gets it, shows its exit code, and berth comes back after a key', async t => {
	const connection = await requireDaemon(t);
	if (!connection) return;
	docker = connection.docker;
	const name = uniqueName('term');
	const container = await docker.createContainer({name, Image: testImage, Cmd: ['sleep', '300'], Labels: ownerLabels, HostConfig: {NetworkMode: 'none'}});
	await container.start();
	const screen = openWith([{name: 'ask', key: 'ctrl+t', terminal: true, command: ['sh', '-c', 'printf "say something for $0: "; read -r line; echo "got [$line]"; exit 5', '{{.Name}}']}]);
	await focusOn(screen, name);
	screen.press('C-t');
	await screen.waitFor(`say something for ${name}:`);
	assert.equal(screen.modes().alternateScreen, false);
	screen.type('hello there');
	screen.press('Enter');
	await screen.waitFor('got [hello there]');
	await screen.waitFor('[berth] exited with code 5; a key returns to berth');
	screen.press('q');
	await screen.waitFor('ask: exited with code 5');
	assert.equal(screen.modes().alternateScreen, true);
	assert.match(screen.screen(), new RegExp(`▸ ${name}`), 'q was the key back, not a quit');
});

test('a broken entry is reported at start, and the good ones still work', async t => {
	const connection = await requireDaemon(t);
	if (!connection) return;
	docker = connection.docker;
	const screen = openWith([
		{name: 'typo', command: 'echo {{.Nmae}}'},
		{name: 'no scope like it', scope: 'pod', command: 'true'},
		{name: 'fine', scope: 'image', key: 'ctrl+g', command: 'echo image {{.Name}}'},
	]);
	await screen.waitFor('{{.Nmae}} is not a field of a container');
	screen.press('2');
	await screen.waitFor(/Images \(\d+\)/);
	screen.press('/');
	screen.type(testImage);
	screen.press('Enter');
	await screen.waitFor(`▸ ${testImage}:latest`);
	screen.press('C-g');
	await screen.waitFor(`image ${testImage}:latest`);
});
