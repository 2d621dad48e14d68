// Reading logs from a real Docker daemon: one container's stream (client/logs/log-source.ts), and
// the one pipeline (client/logs/log-pipeline.ts) that merges several, follows restarts and
// resumes after a lost connection with nothing twice and nothing missing.
import assert from 'node:assert/strict';
import {after, test} from 'node:test';
import {createDocker} from '../../source/client/connect/connect.ts';
import {startResourceFeed} from '../../source/client/feed.ts';
import {logAccess, LogPipeline, type PipelineEntry} from '../../source/client/logs/log-pipeline.ts';
import {readLog} from '../../source/client/logs/log-source.ts';
import {eventually, removeTestContainers, requireDaemon, runContainer} from '../helpers/daemon.ts';
import {collectLogs} from '../helpers/logs.ts';
import {startEngineProxy} from '../helpers/proxy.ts';

let cleanup: (() => Promise<void>) | undefined;
after(async () => cleanup?.());

test('logs of a container without a TTY are split into stdout and stderr, UTF-8 intact', async t => {
	const daemon = await requireDaemon(t);
	if (!daemon) return;
	cleanup = () => removeTestContainers(daemon.docker);
	const container = await runContainer(daemon.docker, {cmd: ['sh', '-c', 'echo out one; echo err one >&2; printf "grüße 🚢\\n"; echo out two']});
	await container.wait();
	const lines = await collectLogs(daemon.docker, container.id, {tty: false, tail: 200});
	assert.deepEqual(lines.map(line => `${line.stream}:${line.text}`).sort(), ['stderr:err one', 'stdout:grüße 🚢', 'stdout:out one', 'stdout:out two'].sort());
});

test('logs of a TTY container are read raw, and the tail is honoured', async t => {
	const daemon = await requireDaemon(t);
	if (!daemon) return;
	const container = await runContainer(daemon.docker, {tty: true, cmd: ['sh', '-c', 'i=1; while [ $i -le 300 ]; do echo "line $i"; i=$((i+1)); done']});
	await container.wait();
	const lines = await collectLogs(daemon.docker, container.id, {tty: true, tail: 200});
	assert.equal(lines.length, 200);
	assert.equal(lines[0]!.text, 'line 101');
	assert.equal(lines.at(-1)!.text, 'line 300');
});

test('following keeps delivering new lines until stopped', async t => {
	const daemon = await requireDaemon(t);
	if (!daemon) return;
	const container = await runContainer(daemon.docker, {cmd: ['sh', '-c', 'i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.1; done']});
	const seen: string[] = [];
	const source = readLog(daemon.docker, container.id, {follow: true, tail: 0, tty: false, timestamps: false}, {onEntries: entries => seen.push(...entries.map(entry => entry.body.toString())), onEnd() {}});
	try {
		assert.ok(await eventually(() => seen.length >= 5, 8000), 'new lines arrive while following');
		const count = seen.length;
		source.stop();
		await new Promise(resolve => setTimeout(resolve, 500));
		assert.ok(seen.length <= count + 1, 'nothing after it stopped (a chunk in flight at most)');
	} finally {
		source.stop();
	}
});

const text = (entries: PipelineEntry[]) => entries.map(entry => entry.body.toString('utf8').trim());

test('the pipeline merges several histories in time order, then follows each', async t => {
	const daemon = await requireDaemon(t);
	if (!daemon) return;
	const first = await runContainer(daemon.docker, {cmd: ['sh', '-c', 'for i in 1 2 3 4 5; do echo "a $i"; sleep 0.2; done; sleep 300']});
	const second = await runContainer(daemon.docker, {cmd: ['sh', '-c', 'sleep 0.1; for i in 1 2 3 4 5; do echo "b $i"; sleep 0.2; done; sleep 300']});
	assert.ok(await eventually(async () => (await collectLogsNow(daemon.docker, second.id)).includes('b 5'), 8000));
	const got: PipelineEntry[] = [];
	const pipeline = new LogPipeline(logAccess(daemon.docker), [{id: first.id, name: 'a'}, {id: second.id, name: 'b'}], {follow: true}, {entries: batch => got.push(...batch), failed: failure => assert.fail(failure.message)});
	try {
		await pipeline.start();
		assert.equal(got.length, 10);
		const times = got.map(entry => entry.time);
		assert.deepEqual(times, [...times].sort(), 'in time order');
		assert.deepEqual(text(got.filter(entry => entry.source === 0)), ['a 1', 'a 2', 'a 3', 'a 4', 'a 5'], 'each container\'s own order kept');
		assert.deepEqual(text(got.filter(entry => entry.source === 1)), ['b 1', 'b 2', 'b 3', 'b 4', 'b 5']);
		// Where the two ran at the same time, their lines interleave rather than follow one another.
		const lastA = got.filter(entry => entry.source === 0).at(-1)!.time;
		const firstB = got.find(entry => entry.source === 1)!.time;
		if (firstB < lastA) assert.notDeepEqual(got.map(entry => entry.source), [0, 0, 0, 0, 0, 1, 1, 1, 1, 1], 'interleaved');
		const older = await pipeline.older(got[4]!.time, 10);
		assert.deepEqual(text(older), text(got.slice(0, 4)), 'older lines are strictly before the time asked');
	} finally {
		pipeline.close();
	}
});

async function collectLogsNow(docker: Parameters<typeof collectLogs>[0], id: string): Promise<string[]> {
	return new Promise(resolve => {
		const lines: string[] = [];
		readLog(docker, id, {follow: false, timestamps: false}, {onEntries: entries => lines.push(...entries.map(entry => entry.body.toString().trim())), onEnd: () => resolve(lines)});
	});
}

test('the pipeline follows a container through a restart, with nothing twice', async t => {
	const daemon = await requireDaemon(t);
	if (!daemon) return;
	const container = await runContainer(daemon.docker, {cmd: ['sh', '-c', 'echo up; sleep 0.3; echo down']});
	await container.wait();
	const feed = startResourceFeed(daemon.docker);
	const got: PipelineEntry[] = [];
	const pipeline = new LogPipeline(logAccess(daemon.docker), [{id: container.id, name: 'c'}], {follow: true, reconnect: true}, {entries: batch => got.push(...batch), failed: failure => assert.fail(failure.message)}, {subscribe: handler => feed.onEvent(handler)});
	try {
		await pipeline.start();
		assert.ok(await eventually(() => got.length === 2), 'the history');
		await container.start();
		assert.ok(await eventually(() => got.length === 4, 8000), `the second run: ${text(got).join(', ')}`);
		await container.wait();
		await new Promise(resolve => setTimeout(resolve, 300));
		assert.deepEqual(text(got), ['up', 'down', 'up', 'down']);
	} finally {
		pipeline.close();
		feed.stop();
	}
});

test('after a lost connection the pipeline resumes where its lines left off: none twice, none missing', async t => {
	const daemon = await requireDaemon(t);
	if (!daemon) return;
	if (daemon.endpoint.kind !== 'unix') {
		t.skip('the proxy speaks to a unix socket daemon only');
		return;
	}

	const container = await runContainer(daemon.docker, {cmd: ['sh', '-c', 'i=0; while true; do echo "n $i"; i=$((i+1)); sleep 0.05; done']});
	const proxy = await startEngineProxy(daemon.endpoint.socketPath);
	const docker = createDocker({kind: 'unix', url: proxy.url, socketPath: proxy.socketPath}, daemon.apiVersion);
	const got: PipelineEntry[] = [];
	const lost: boolean[] = [];
	const pipeline = new LogPipeline(logAccess(docker), [{id: container.id, name: 'c'}], {follow: true, reconnect: true}, {entries: batch => got.push(...batch), failed: failure => assert.fail(failure.message), reconnecting: value => lost.push(value)});
	try {
		await pipeline.start();
		assert.ok(await eventually(() => got.length >= 10, 8000));
		proxy.cut();
		const before = got.length;
		assert.ok(await eventually(() => got.length >= before + 20, 10_000), 'lines come again after the drop');
		const numbers = text(got).map(line => Number(line.split(' ')[1]));
		assert.deepEqual(numbers, numbers.map((_, index) => numbers[0]! + index), 'consecutive: nothing twice, nothing missing');
		assert.equal(lost[0], true, 'the loss is told');
		assert.equal(lost.at(-1), false, 'and its end, once lines come again (the notice goes)');
	} finally {
		pipeline.close();
		proxy.close();
	}
});
