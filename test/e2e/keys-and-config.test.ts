// The keymap and the config file in a real terminal (tmux) against the real daemon: `?` lists the
// keys in force, keys are remapped (the log view's too), a broken file is reported and left
// alone, and the config's theme is used.
import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, afterEach, test} from 'node:test';
import type Docker from 'dockerode';
import {removeTestContainers, requireDaemon, runContainer, uniqueName} from '../helpers/daemon.ts';
import {Terminal} from '../helpers/terminal.ts';

let terminal: Terminal | undefined;
let docker: Docker | undefined;
const directories: string[] = [];
afterEach(() => {
	terminal?.close();
	terminal = undefined;
});
after(async () => {
	if (docker) await removeTestContainers(docker);
	for (const directory of directories) rmSync(directory, {recursive: true, force: true});
});

/** berth in a terminal with this config file (written before it starts). */
function open(config: string | undefined, options: ConstructorParameters<typeof Terminal>[0] = {}): {screen: Terminal; file: string} {
	const directory = mkdtempSync(path.join(tmpdir(), 'berth-config-'));
	directories.push(directory);
	const file = path.join(directory, 'config.json');
	if (config !== undefined) writeFileSync(file, config);
	terminal = new Terminal({...options, env: {...options.env, BERTH_CONFIG_DIR: directory}});
	return {screen: terminal, file};
}

test('? shows the keys of the panel in front, as they are in force; Esc closes it', async t => {
	if (!(await requireDaemon(t))) return;
	const {screen} = open(undefined);
	await screen.waitFor(/Containers \(\d+\)/);
	screen.press('?');
	const help = await screen.waitFor('berth — keys: Containers');
	assert.match(help, /K +kill/);
	assert.match(help, /Space +mark \/ unmark/);
	const keyLines = help.split('\n').filter(line => line.startsWith('│') && !line.includes('Keys can be changed'));
	assert.doesNotMatch(keyLines.join('\n'), /…/, 'no key cut off at 80x24: what does not fit is on the next page');
	assert.match(help, /page 1 of 2: j or PgDn for more/);
	screen.press('j');
	const next = await screen.waitFor('page 2 of 2');
	assert.match(help, /d +remove \(asks\)/);
	assert.match(next, /A +sort by age/);
	screen.press('Escape');
	await screen.waitFor(/Containers \(\d+\)/);
	screen.press('2', '?');
	const images = await screen.waitFor('berth — keys: Images');
	assert.match(images, /t +tag the image/);
	assert.doesNotMatch(images, /K +kill/, 'only what the Images panel has');
});

test('keys can be remapped from the config file; the old key then does nothing', async t => {
	if (!(await requireDaemon(t))) return;
	const {screen} = open(JSON.stringify({keys: {quit: 'x', help: 'h'}}));
	await screen.waitFor(/Containers \(\d+\)/);
	screen.press('h');
	await screen.waitFor(/x +quit/);
	screen.press('Escape');
	// q is handled before h (keys go in order): once help is up, q has done nothing.
	screen.press('q', 'h');
	await screen.waitFor(/x +quit/);
	assert.doesNotMatch(screen.screen(), /\[exit/, 'q no longer quits');
	screen.press('Escape', 'x');
	await screen.waitFor('[exit 0]');
});

test('a log view key remapped in the config works there, and its old key gives way', async t => {
	const daemon = await requireDaemon(t);
	if (!daemon) return;
	docker = daemon.docker;
	const name = uniqueName('remap');
	await runContainer(docker, {name, cmd: ['sh', '-c', 'i=0; while true; do i=$((i+1)); echo "line $i"; sleep 0.1; done']});
	const {screen} = open(JSON.stringify({keys: {'log.follow': 'F'}}));
	await screen.waitFor(/Containers \(\d+\)/);
	screen.press('/');
	screen.type(name);
	screen.press('Enter');
	await screen.waitFor(`▸ ${name}`);
	screen.press('l');
	await screen.waitFor(/FOLLOWING[\s\S]*line \d+/);
	// f is no longer follow: it does nothing, and F pauses.
	screen.press('f', 'F');
	await screen.waitFor(/PAUSED/);
	screen.press('F');
	await screen.waitFor(/FOLLOWING/);
	screen.press('?');
	await screen.waitFor(/F +follow \/ pause/);
});

test('a broken config file is reported in the status line and left alone; berth runs on its defaults', async t => {
	if (!(await requireDaemon(t))) return;
	const broken = '{"keys": {"quit": "x"'; // cut off
	const {screen, file} = open(broken);
	const shown = await screen.waitFor(/config file not read|is not valid JSON|Unexpected end/);
	assert.match(shown, /Containers \(\d+\)/);
	assert.equal(readFileSync(file, 'utf8'), broken, 'the file is left as it was');
	const {screen: second} = open(JSON.stringify({keys: {explode: "x"}}));
	await second.waitFor(/unknown command "explode" in keys/);
	screen.close();
	second.press('q');
	await second.waitFor('[exit 0]', 5000);
});

test('the theme from the config file: light draws in blue, none in no colour at all', async t => {
	if (!(await requireDaemon(t))) return;
	const {screen} = open(JSON.stringify({theme: 'light'}));
	await screen.waitFor(/Containers \(\d+\)/);
	assert.match(screen.screenWithEscapes(), /\u001B\[[\d;]*(34|44)[\d;]*m/, 'blue, the light theme\'s accent');
	screen.close();
	const {screen: none} = open(JSON.stringify({theme: 'none'}));
	await none.waitFor(/Containers \(\d+\)/);
	assert.doesNotMatch(none.screenWithEscapes(), /\u001B\[(?:[\d;]*;)?(?:3[0-7]|9[0-7]|4[0-7])(?:;[\d;]*)?m/);
});
