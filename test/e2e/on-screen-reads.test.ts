// What is on screen decides what berth reads, checked by counting the daemon requests it makes
// (through a proxy in front of the real daemon) while it runs in a real terminal: figures only
// for the running rows in view, four at a time at most; stats only while the Stats tab shows,
// processes only while Top shows; nothing under the log view; and nothing written to the
// terminal while nothing changes.
import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync, rmSync, statSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, afterEach, test} from 'node:test';
import type Docker from 'dockerode';
import {eventually, removeTestContainers, requireDaemon, runContainer, uniqueName} from '../helpers/daemon.ts';
import {type EngineProxy, startEngineProxy} from '../helpers/proxy.ts';
import {Terminal} from '../helpers/terminal.ts';

let terminal: Terminal | undefined;
let docker: Docker | undefined;
let proxy: EngineProxy | undefined;
afterEach(() => {
	terminal?.close();
	terminal = undefined;
	proxy?.close();
	proxy = undefined;
});
after(async () => {
	if (docker) await removeTestContainers(docker);
});

const wait = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));
/** The container ids a set of requests names, by path: /containers/ID/stats. */
const idsIn = (requests: string[], what: string) => new Set(requests.flatMap(request => new RegExp(`/containers/([0-9a-f]{64})/${what}`).exec(request)?.[1] ?? []));

async function berthThroughProxy(t: Parameters<typeof requireDaemon>[0]) {
	const daemon = await requireDaemon(t);
	if (!daemon) return undefined;
	if (daemon.endpoint.kind !== 'unix') {
		t.skip('the counting proxy speaks to a unix socket daemon only');
		return undefined;
	}

	docker = daemon.docker;
	proxy = await startEngineProxy(daemon.endpoint.socketPath);
	return {daemon, proxy};
}

test('CPU and memory are read only for the running rows in view, four at a time at most', async t => {
	const parts = await berthThroughProxy(t);
	if (!parts) return;
	const tag = uniqueName('view');
	const containers = [];
	for (let index = 0; index < 12; index++) containers.push(await runContainer(docker!, {name: `${tag}-${String(index).padStart(2, '0')}`, cmd: ['sleep', '300']}));
	const stopped = await runContainer(docker!, {name: `${tag}-zz-stopped`, cmd: ['true'], start: false});
	const outside = await runContainer(docker!, {name: uniqueName('outside'), cmd: ['sleep', '300']});
	// Registered before berth starts, so that every stats request is seen.
	parts.proxy.mostAtOnce(/\/stats/);
	terminal = new Terminal({args: ['--host', parts.proxy.url], columns: 80, rows: 24, env: {DOCKER_HOST: undefined}});
	await terminal.waitFor(/Containers \(\d+\)/);
	terminal.press('/');
	terminal.type(tag);
	terminal.press('Enter');
	const screen = await terminal.waitFor(new RegExp(`${tag}-00 [\\s\\S]*%`), 10_000);
	const shown = new Set([...screen.matchAll(new RegExp(`${tag}-(\\d\\d) `, 'g'))].map(match => Number(match[1])));
	assert.ok(shown.size > 3 && shown.size < 12, `only some rows fit at 80x24 (${shown.size})`);
	const mark = parts.proxy.mark();
	// Two rounds of readings (one every 3 s) for each row in view.
	const ids = containers.map(container => container.id);
	const inView = ids.filter((_, index) => shown.has(index));
	assert.ok(await eventually(() => inView.every(id => parts.proxy.since(mark, new RegExp(`/containers/${id}/stats`)).length >= 2), 15_000), 'every row in view is read, again and again');
	const read = idsIn(parts.proxy.since(mark), 'stats');
	assert.deepEqual([...read].sort(), [...inView].sort(), 'exactly the running rows in view');
	assert.ok(!read.has(stopped.id) && !read.has(outside.id), 'not the stopped row, nor containers the filter hides');
	assert.ok(parts.proxy.mostAtOnce(/\/stats/) <= 4, `at most four at once (${parts.proxy.mostAtOnce(/\/stats/)})`);
});

test('the Stats tab streams only while it shows, Top reads only while it shows, and the log view reads nothing for what it covers', async t => {
	const parts = await berthThroughProxy(t);
	if (!parts) return;
	const name = uniqueName('tabs');
	const container = await runContainer(docker!, {name, cmd: ['sh', '-c', 'while true; do echo tick; sleep 0.5; done']});
	terminal = new Terminal({args: ['--host', parts.proxy.url], columns: 80, rows: 24, env: {DOCKER_HOST: undefined}});
	const screen = terminal;
	await screen.waitFor(/Containers \(\d+\)/);
	screen.press('/');
	screen.type(name);
	screen.press('Enter');
	await screen.waitFor(`▸ ${name}`);
	const streams = (since: number) => parts.proxy.since(since, new RegExp(`/containers/${container.id}/stats\\?.*stream=(true|1)`));
	const tops = (since: number) => parts.proxy.since(since, new RegExp(`/containers/${container.id}/top`));
	await screen.waitFor('tick');
	const logsTab = parts.proxy.mark();
	await screen.waitFor(/CPU +MEM[\s\S]*%/, 10_000);
	assert.equal(streams(0).length, 0, 'no stats stream before the Stats tab');
	screen.press(']');
	await screen.waitFor(/CPU [\d.]+% +MEM/, 10_000);
	assert.equal(streams(logsTab).length, 1, 'one stream for the Stats tab');
	assert.equal(tops(0).length, 0, 'no process table before the Top tab');
	screen.press(']');
	await screen.waitFor(/PID +USER/);
	assert.ok(await eventually(() => tops(0).length >= 2, 8000), 'Top reads again while it shows (every 2 s)');
	screen.press(']');
	await screen.waitFor('"Id":');
	const leftTop = parts.proxy.mark();
	// Top reads every 2 s: had it gone on, 2.5 s would have seen a read.
	await wait(2500);
	assert.equal(tops(leftTop).length, 0, 'no process table once Top is left');

	screen.press('l');
	await screen.waitFor(/FOLLOWING[\s\S]*tick/);
	const underView = parts.proxy.mark();
	// The list's figures are read every 3 s and the details on each change: 3.5 s would have seen either.
	await wait(3500);
	const read = parts.proxy.since(underView).filter(request => !/\/logs\?/.test(request));
	assert.deepEqual(read, [], 'nothing read under the log view but its logs');
});

test('nothing is written to the terminal while nothing changes', async t => {
	const daemon = await requireDaemon(t);
	if (!daemon) return;
	docker = daemon.docker;
	// A created container: its status ("Created") does not tick, and it has no logs.
	const name = uniqueName('idle');
	await runContainer(docker, {name, cmd: ['true'], start: false});
	terminal = new Terminal({columns: 80, rows: 24});
	const screen = terminal;
	await screen.waitFor(/Containers \(\d+\)/);
	screen.press('/');
	screen.type(name);
	screen.press('Enter');
	await screen.waitFor(`▸ ${name}`);
	await screen.waitFor(/Config|PATH|no log lines|following|nothing/);
	const directory = mkdtempSync(path.join(tmpdir(), 'berth-bytes-'));
	const file = path.join(directory, 'written');
	try {
		await screen.waitFor(screen_ => !/loading/.test(screen_));
		// A frame is several writes (begin synchronized update, the frame, end it) and tmux may
		// have read only part of the last one when recording starts: listen from the point where
		// the output has been quiet for 2 s, so the tail of a frame in flight is not counted.
		screen.record(file);
		const size = () => statSync(file, {throwIfNoEntry: false})?.size ?? 0;
		let quietFrom = size();
		assert.ok(
			await eventually(async () => {
				const before = size();
				await wait(2000);
				quietFrom = size();
				return quietFrom === before;
			}, 20_000),
			'the output settles',
		);
		// The slowest thing that redraws unasked is the clock, every 10 s: 11 s covers it.
		await wait(11_000);
		const bytes = size() - quietFrom;
		assert.equal(bytes, 0, `written while nothing changed: ${JSON.stringify(bytes > 0 ? readFileSync(file, 'latin1').slice(quietFrom, quietFrom + 200) : '')}`);
	} finally {
		rmSync(directory, {recursive: true, force: true});
	}
});
