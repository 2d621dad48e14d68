// The full-screen log view in a real terminal (tmux) against the real daemon: following a
// flooding container, pausing on scroll with a count of new lines, search with its marks and
// n/N, filter, time jumps, the toggles, paging, copying (OSC 52), saving, hostile output kept
// off the screen, older lines fetched again, and back to the list.
import assert from 'node:assert/strict';
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, afterEach, test} from 'node:test';
import type Docker from 'dockerode';
import {eventually, removeTestContainers, requireDaemon, runContainer, uniqueName} from '../helpers/daemon.ts';
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

/** The body of the log view at 24 rows: the 21 lines between the header and the footer (the frame is a line shorter than the terminal). */
const body = (screen: string) => screen.split('\n').slice(1, 22);
const newest = (screen: string) => Math.max(0, ...[...screen.matchAll(/line (\d+)/g)].map(match => Number(match[1])));

async function openLogs(screen: Terminal, name: string): Promise<void> {
	await screen.waitFor(/Containers \(\d+\)/);
	screen.press('/');
	screen.type(name);
	screen.press('Enter');
	await screen.waitFor(`▸ ${name}`);
	screen.press('l');
}

test('the log view follows a flood, pauses when scrolled and counts what comes, filters, and keeps hostile output off the screen', async t => {
	const daemon = await requireDaemon(t);
	if (!daemon) return;
	docker = daemon.docker;
	const name = uniqueName('flood');
	// As fast as the shell can: plain lines, a level word, and escapes that would clear the
	// screen, set the title and switch to the alternate screen if they reached the terminal.
	await runContainer(docker, {name, cmd: ['sh', '-c', 'i=0; while true; do i=$((i+1)); echo "INFO line $i"; [ $((i % 50)) = 0 ] && printf "ERROR boom $i \\033[2J\\033]0;pwned\\007\\033[?1049l\\n"; done']});
	terminal = new Terminal({columns: 80, rows: 24});
	const screen = terminal;
	await openLogs(screen, name);
	const following = await screen.waitFor(/FOLLOWING[\s\S]*INFO line \d+/, 8000);
	assert.match(following, new RegExp(`Logs: ${name}`));
	const first = newest(following);
	await screen.waitFor(screen_ => newest(screen_) > first + 100, 8000);
	assert.ok(screen.modes().alternateScreen, 'the container\'s escape to leave the alternate screen did not reach the terminal');

	// Scrolling up pauses: the screen holds still while lines arrive and are counted.
	screen.press('k');
	const paused = await screen.waitFor(/PAUSED · \d+ new/);
	const counted = Number(/PAUSED · (\d+) new/.exec(paused)![1]);
	// A moving view would move within a frame (a tenth of a second); a thousand lines more take longer than that.
	const later = await screen.waitFor(screen_ => Number(/PAUSED · (\d+) new/.exec(screen_)?.[1] ?? 0) > counted + 1000, 8000);
	assert.deepEqual(body(later), body(paused), 'a paused view does not move while the count grows');
	screen.press('f');
	await screen.waitFor(screen_ => /FOLLOWING/.test(screen_) && newest(screen_) > newest(later));

	screen.press('&');
	screen.type('boom');
	screen.press('Enter');
	const filtered = await screen.waitFor(/filter \/boom\/ \d+ lines/);
	const lines = body(filtered).filter(line => line.trim());
	assert.ok(lines.length > 0 && lines.every(line => /^ERROR boom \d+ ?$/.test(line)), `only matching lines, escapes removed:\n${lines.join('\n')}`);
	screen.press('Escape');
	await screen.waitFor(screen_ => !/filter \//.test(screen_));
	screen.press('q');
	await screen.waitFor(/Containers \(1 of \d+\)/);
});

test('search marks its matches in reverse video; n and N move between them; paging keys, @, t, w and J; y copies through OSC 52; s saves', async t => {
	const daemon = await requireDaemon(t);
	if (!daemon) return;
	docker = daemon.docker;
	const name = uniqueName('search');
	// 300 numbered lines, every tenth a "needle", one JSON line, then quiet.
	const container = await runContainer(docker, {name, cmd: ['sh', '-c', 'i=0; while [ $i -lt 300 ]; do i=$((i+1)); if [ $((i % 10)) = 0 ]; then echo "needle line $i"; else echo "hay line $i with a long tail to wrap: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"; fi; done; echo "{\\"level\\":\\"info\\",\\"msg\\":\\"json here\\"}"; sleep 300']});
	assert.ok(await eventually(async () => (await container.logs({stdout: true, tail: 1})).toString().includes('json here'), 10_000), 'all lines written');
	terminal = new Terminal({columns: 100, rows: 24});
	const screen = terminal;
	await openLogs(screen, name);
	await screen.waitFor(/json here/);

	screen.press('/');
	screen.type('needle');
	screen.press('Enter');
	// A followed view finds the newest match first; the match is in reverse video.
	const found = await screen.waitFor(/PAUSED[\s\S]*needle line 300/);
	assert.match(screen.screenWithEscapes(), /\u001B\[7mneedle\u001B\[27m|\u001B\[7mneedle/, 'the match is marked');
	assert.match(found, /search \/needle\//);
	const marked = () => /(?:\u001B\[[\d;]*m)*\u001B\[7m(?:\u001B\[[\d;]*m)*needle(?:\u001B\[[\d;]*m)* line (\d+)/.exec(screen.screenWithEscapes())?.[1];
	screen.press('N');
	await screen.waitFor(() => marked() !== undefined && screen.screen().split('\n')[4]?.includes('needle line 290') === true);
	screen.press('N');
	await screen.waitFor(() => screen.screen().split('\n')[4]?.includes('needle line 280') === true);
	screen.press('n');
	await screen.waitFor(() => screen.screen().split('\n')[4]?.includes('needle line 290') === true);
	screen.press('Escape');
	await screen.waitFor(screen_ => !/search \//.test(screen_));

	// Paging: g to the oldest, Space and b by a page (21 lines less one kept), Ctrl-D and Ctrl-U by half of that.
	screen.press('g');
	await screen.waitFor(screen_ => body(screen_)[0]!.includes('line 1 '));
	const topLine = () => Number(/line (\d+)/.exec(body(screen.screen())[0]!)?.[1]);
	screen.press('Space');
	await screen.waitFor(() => topLine() === 21);
	screen.press('C-d');
	await screen.waitFor(() => topLine() === 31);
	screen.press('C-u');
	await screen.waitFor(() => topLine() === 21);
	screen.press('PageDown');
	await screen.waitFor(() => topLine() === 41);
	screen.press('PageUp', 'b');
	await screen.waitFor(() => topLine() === 1);

	// t shows times, w wraps, J expands JSON.
	screen.press('t');
	await screen.waitFor(/time[\s\S]*\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z hay line 1/);
	screen.press('t', 'w');
	await screen.waitFor(screen_ => /wrap/.test(screen_.split('\n')[0]!) && /^a+$/m.test(screen_));
	screen.press('w', 'G', 'J');
	await screen.waitFor(/json[\s\S]*"msg": "json here"/);
	screen.press('J');

	// @ jumps to a time: to the start of the log, which is where its first line is.
	screen.press('@');
	screen.type('1h');
	screen.press('Enter');
	await screen.waitFor(screen_ => /PAUSED/.test(screen_) && body(screen_)[0]!.includes('line 1 '));

	// y copies the marked line through OSC 52 (tmux keeps it in a buffer here).
	screen.press('G', '/');
	screen.type('needle line 150');
	screen.press('Enter');
	await screen.waitFor(/needle line 150/);
	screen.press('y');
	await screen.waitFor('copied: needle line 150');
	assert.ok(await eventually(() => screen.copied() === 'needle line 150'), `the clipboard got it: ${screen.copied()}`);

	const file = path.join(mkdtempSync(path.join(tmpdir(), 'berth-save-')), `${name}.log`);
	screen.press('Escape', 's');
	await screen.waitFor('save to');
	screen.press('C-u');
	await screen.waitFor(/^save to █/m);
	screen.type(file);
	await screen.waitFor(`save to ${file}█`);
	screen.press('Enter');
	await screen.waitFor(/saved \d+ lines/, 8000);
	assert.ok(existsSync(file));
	assert.match(readFileSync(file, 'utf8'), /^needle line 300$/m);
	rmSync(path.dirname(file), {recursive: true, force: true});
});

test('scrolling past the oldest line kept fetches older ones from the daemon again', async t => {
	const daemon = await requireDaemon(t);
	if (!daemon) return;
	docker = daemon.docker;
	const name = uniqueName('old');
	// 3,000 numbered lines, then quiet; the view keeps only 100 and first reads the last 1,000.
	const container = await runContainer(docker, {name, cmd: ['sh', '-c', 'i=0; while [ $i -lt 3000 ]; do i=$((i+1)); echo "entry $i"; done; sleep 300']});
	assert.ok(await eventually(async () => (await container.logs({stdout: true, tail: 1})).toString().includes('entry 3000'), 10_000), 'all lines written');
	const config = mkdtempSync(path.join(tmpdir(), 'berth-config-'));
	writeFileSync(path.join(config, 'config.json'), JSON.stringify({logLines: 100}));
	t.after(() => rmSync(config, {recursive: true, force: true}));
	terminal = new Terminal({columns: 80, rows: 24, env: {BERTH_CONFIG_DIR: config}});
	const screen = terminal;
	await openLogs(screen, name);
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
	const start = Number(/entry (\d+)/.exec(older.split('\n')[1]!)![1]);
	assert.match(older.split('\n')[2]!, new RegExp(`entry ${start + 1}\\b`), 'in order below it');
});

test('keys typed after q go to the list: q j L in one go opens the merged view of both', async t => {
	const daemon = await requireDaemon(t);
	if (!daemon) return;
	docker = daemon.docker;
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
