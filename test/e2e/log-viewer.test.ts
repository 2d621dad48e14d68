// The full-screen log view in a real terminal (tmux) against the real daemon: following a
// flooding container, pausing on scroll with a count of new lines, search, filter, hostile
// output kept off the screen, saving, and back to the list.
import assert from 'node:assert/strict';
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, afterEach, test} from 'node:test';
import type Docker from 'dockerode';
import {removeTestContainers, requireDaemon, runContainer, uniqueName} from '../helpers/daemon.ts';
import {Terminal} from '../helpers/terminal.ts';

let terminal: Terminal | undefined;
let docker: Docker | undefined;
afterEach(() => {
	terminal?.close();
	terminal = undefined;
});
after(async () => {
	if (docker) await removeTestContainers(docker);
});

const pause = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

test('the log view follows a flood, pauses when scrolled, searches, filters and saves', async t => {
	const engine = await requireDaemon(t);
	if (!engine) return;
	docker = engine.docker;
	const name = uniqueName('flood');
	// As fast as the shell can: plain lines, a level word, and escapes that would clear the
	// screen, set the title and switch to the alternate screen if they reached the terminal.
	await runContainer(docker, {name, cmd: ['sh', '-c', 'i=0; while true; do i=$((i+1)); echo "INFO line $i"; [ $((i % 50)) = 0 ] && printf "ERROR boom $i \\033[2J\\033]0;pwned\\007\\033[?1049l\\n"; done']});
	terminal = new Terminal({columns: 80, rows: 24});
	const screen = terminal;
	await screen.waitFor(/Containers \(\d+\)/);
	screen.press('/');
	screen.type(name);
	screen.press('Enter');
	await screen.waitFor(`▸ ${name}`);
	screen.press('l');
	const following = await screen.waitFor(/FOLLOWING[\s\S]*INFO line \d+/, 8000);
	assert.match(following, new RegExp(`Logs: ${name}`));
	const firstNumber = Number(/INFO line (\d+)/.exec(following)![1]);
	await pause(700);
	const later = screen.screen();
	assert.ok(Number(/INFO line (\d+)/.exec(later)![1]) > firstNumber, 'new lines keep coming');
	assert.ok(screen.modes().alternateScreen, 'the container\'s escape to leave the alternate screen did not reach the terminal');

	// Scrolling up pauses: the screen holds still while lines arrive and are counted.
	screen.press('k');
	const paused = await screen.waitFor(/PAUSED · \d+ new/);
	await pause(400);
	assert.equal(screen.screen().split('\n').slice(1, 20).join('\n'), paused.split('\n').slice(1, 20).join('\n'), 'a paused view does not move');

	screen.press('&');
	screen.type('boom');
	screen.press('Enter');
	const filtered = await screen.waitFor(/filter \/boom\/ \d+ lines/);
	const body = filtered.split('\n').slice(1).filter(line => line.trim() && !line.startsWith('q back'));
	assert.ok(body.length > 0 && body.every(line => /^ERROR boom \d+ ?$/.test(line)), `only matching lines, escapes removed:\n${body.join('\n')}`);

	screen.press('Escape');
	screen.press('f');
	screen.press('/');
	screen.type('line 1');
	screen.press('Enter');
	await screen.waitFor(/search \/line 1\//);

	const file = `/tmp/${name}.log`;
	screen.press('s');
	await screen.waitFor('save to');
	screen.press('C-u');
	await pause(200);
	screen.type(file);
	await pause(200);
	screen.press('Enter');
	await screen.waitFor(/saved \d+ lines/, 8000);
	assert.ok(existsSync(file));
	assert.match(readFileSync(file, 'utf8'), /^INFO line \d+$/m);
	rmSync(file);

	screen.press('q');
	await screen.waitFor(/Containers \(1 of \d+\)/);
});

test('scrolling past the oldest line kept fetches older ones from the daemon again', async t => {
	const engine = await requireDaemon(t);
	if (!engine) return;
	docker = engine.docker;
	const name = uniqueName('old');
	// 3,000 numbered lines, then quiet; the view keeps only 100 and first reads the last 1,000.
	await runContainer(docker, {name, cmd: ['sh', '-c', 'i=0; while [ $i -lt 3000 ]; do i=$((i+1)); echo "entry $i"; done; sleep 300']});
	await pause(1500);
	const config = mkdtempSync(path.join(tmpdir(), 'berth-config-'));
	writeFileSync(path.join(config, 'config.json'), JSON.stringify({logLines: 100}));
	t.after(() => rmSync(config, {recursive: true, force: true}));
	terminal = new Terminal({columns: 80, rows: 24, env: {BERTH_CONFIG_DIR: config}});
	const screen = terminal;
	await screen.waitFor(/Containers \(\d+\)/);
	screen.press('/');
	screen.type(name);
	screen.press('Enter');
	await screen.waitFor(`▸ ${name}`);
	screen.press('l');
	await screen.waitFor(/entry 3000/);
	// Top of what is kept, then on up: each time the next older lines come from the daemon.
	screen.press('g');
	const top = await screen.waitFor(/PAUSED/);
	const oldestKept = Number(/entry (\d+)/.exec(top.split('\n')[1]!)![1]);
	assert.ok(oldestKept > 2000, `only the end is kept at first (top: entry ${oldestKept})`);
	screen.press('g');
	await screen.waitFor(/\d+ older lines/);
	screen.press('g');
	const older = await screen.waitFor(screen_ => /entry (\d+)/.test(screen_.split('\n')[1]!) && Number(/entry (\d+)/.exec(screen_.split('\n')[1]!)![1]) < oldestKept - 500);
	assert.match(older.split('\n')[2]!, /entry \d+/, 'in order below it');
});

test('keys typed after q go to the list: q j L in one go opens the merged view of both', async t => {
	const engine = await requireDaemon(t);
	if (!engine) return;
	docker = engine.docker;
	const tag = uniqueName('pair');
	for (const side of ['a', 'b']) await runContainer(docker, {name: `${tag}-${side}`, cmd: ['sh', '-c', `while true; do echo "from ${side}"; sleep 0.2; done`]});
	terminal = new Terminal({columns: 80, rows: 24});
	const screen = terminal;
	await screen.waitFor(/Containers \(\d+\)/);
	screen.press('/');
	screen.type(tag);
	screen.press('Enter');
	await screen.waitFor(`${tag}-b`);
	screen.press('l');
	await screen.waitFor(/from [ab]/);
	// One chunk, as a fast typist or a slow link delivers it.
	screen.type('qjL');
	const merged = await screen.waitFor(new RegExp(`Logs: ${tag}-a, ${tag}-b`));
	await screen.waitFor(screen_ => screen_.includes(`${tag}-a | from a`) && screen_.includes(`${tag}-b | from b`));
	assert.match(merged, /FOLLOWING/);
	assert.equal(screen.modes().alternateScreen, true, 'still running');
});
