// berth's engine, run for real, driven through dockerode and checked through its API.
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import {after, before, test} from 'node:test';
import type Docker from 'dockerode';
import {collectLogs as readLines, type TextLine} from '../helpers/logs.ts';
import {listContainers} from '../../source/client/resources/containers.ts';
import {eventually} from '../helpers/daemon.ts';
import {requireCgroups, requireNamespaces, startTestEngine, type TestEngine} from '../helpers/engine.ts';

let engine: TestEngine;
let docker: Docker;
before(async () => {
	engine = await startTestEngine();
	docker = engine.client.docker;
});
after(async () => engine?.cleanup());

/** A raw request to the engine's socket, for what dockerode would not send. */
function raw(method: string, path: string, body?: string | Buffer, headers: Record<string, string | number> = {}): Promise<{status: number; headers: http.IncomingHttpHeaders; text: string}> {
	return new Promise((resolve, reject) => {
		const request = http.request({socketPath: engine.socketPath, method, path, headers: {'Content-Type': 'application/json', ...headers}}, response => {
			let text = '';
			response.setEncoding('utf8');
			response.on('data', chunk => (text += chunk));
			response.on('end', () => resolve({status: response.statusCode ?? 0, headers: response.headers, text}));
		});
		request.on('error', reject);
		request.end(body);
	});
}

const name = (label: string) => `e-${label}-${Math.random().toString(36).slice(2, 7)}`;

async function collectLogs(id: string, tty = false): Promise<TextLine[]> {
	return readLines(docker, id, {tty, tail: 1000});
}

test('/_ping answers with the headers the docker CLI reads; versioned and unversioned paths both work', async () => {
	const pong = await raw('GET', '/_ping');
	assert.equal(pong.status, 200);
	assert.equal(pong.text, 'OK');
	assert.equal(pong.headers['api-version'], '1.41');
	assert.equal(pong.headers.ostype, 'linux');
	assert.match(String(pong.headers.server), /^berth\//);
	assert.equal((await raw('HEAD', '/_ping')).status, 200);
	assert.equal((await raw('GET', '/v1.41/version')).status, 200);
	assert.equal((await raw('GET', '/v1.24/info')).status, 200);
	const tooNew = await raw('GET', '/v1.99/version');
	assert.equal(tooNew.status, 400);
	assert.match(JSON.parse(tooNew.text).message, /too new/);
	assert.equal(engine.client.apiVersion, '1.41', 'dockerode negotiated the engine\'s version');
	assert.equal(engine.client.serverName, 'berth');
});

test('/info says which isolation is in force: namespaces as root on Linux', async t => {
	const info = (await docker.info()) as Record<string, unknown>;
	assert.ok(['namespaces', 'process'].includes(String(info.Isolation)));
	if (!(await requireNamespaces(t, engine))) return;
	assert.equal(info.Isolation, 'namespaces');
});

test('/info sums what all containers use, from the cgroups; one-shot stats answer without a second reading', async t => {
	if (!(await requireCgroups(t, engine))) return;
	type Usage = {CpuNanoseconds: number; MemoryBytes: number; Read: number};
	const usage = async () => ((await docker.info()) as {BerthUsage: Usage}).BerthUsage;
	const busy = await docker.createContainer({name: name('usage'), Image: 'host', Cmd: ['sh', '-c', 'while :; do :; done']});
	await busy.start();
	try {
		const first = await usage();
		// Speed is for bench/; here the total only has to count the busy loop's time.
		assert.ok(await eventually(async () => (await usage()).CpuNanoseconds > first.CpuNanoseconds + 50_000_000, 10_000), 'the busy loop\'s CPU time shows in the total');
		assert.ok((await usage()).MemoryBytes > 0);
		const record = (await busy.stats({stream: false, 'one-shot': true} as never)) as unknown as {cpu_stats: {cpu_usage: {total_usage: number}}; precpu_stats: {cpu_usage?: {total_usage?: number}}; memory_stats: {usage: number}};
		assert.ok(record.cpu_stats.cpu_usage.total_usage > 0 && record.memory_stats.usage > 0);
		assert.ok(!record.precpu_stats.cpu_usage?.total_usage, 'one reading only: one-shot does not wait for a second');
	} finally {
		await busy.remove({force: true});
	}
});

test('a container runs in its own namespaces on the read-only host image, and its output is logged', async t => {
	if (!(await requireNamespaces(t, engine))) return;
	const container = await docker.createContainer({
		name: name('ns'),
		Image: 'host',
		Cmd: ['sh', '-c', 'echo "processes $(ls /proc | grep -c "^[0-9]")"; echo "host $(hostname)"; touch /written 2>/dev/null && echo rw || echo ro; echo tmp > /tmp/t && echo tmp-ok; echo to-stderr >&2'],
		Env: ['GREETING=hi'],
	});
	await container.start();
	const result = await container.wait();
	assert.equal(result.StatusCode, 0);
	const lines = await collectLogs(container.id);
	const text = lines.map(line => `${line.stream}:${line.text}`);
	const processes = Number(/stdout:processes (\d+)/.exec(text.join('\n'))?.[1]);
	assert.ok(processes > 0 && processes < 10, `its own pid namespace sees only its own few processes: ${text.join(' | ')}`);
	assert.ok(text.includes(`stdout:host ${container.id.slice(0, 12)}`), 'its own hostname');
	assert.ok(text.includes('stdout:ro'), 'the host image is read-only');

	assert.ok(text.includes('stdout:tmp-ok'), '/tmp is writable');
	assert.ok(text.includes('stderr:to-stderr'), 'stderr is kept apart');
	await container.remove();
});

test('stop sends SIGTERM then SIGKILL after the timeout; kill, wait, restart and rename behave as dockerd', async () => {
	// With --init, tini is PID 1 and passes the signal on to the command, which dies of it.
	const polite = await docker.createContainer({name: name('polite'), Image: 'host', Cmd: ['sleep', '300'], HostConfig: {Init: true}});
	await polite.start();
	await polite.stop({t: 5});
	assert.equal((await polite.inspect()).State.ExitCode, 143, 'SIGTERM ends sleep: 128 + 15');

	// A PID 1 without a handler is not ended by SIGTERM (the kernel drops it), as under dockerd.
	const bare = await docker.createContainer({name: name('bare'), Image: 'host', Cmd: ['sleep', '300']});
	await bare.start();
	const started = Date.now();
	await bare.stop({t: 1});
	assert.ok(Date.now() - started >= 900, 'waited for the timeout');
	assert.equal((await bare.inspect()).State.ExitCode, 137, 'then SIGKILL: 128 + 9');

	const trapping = await docker.createContainer({name: name('trap'), Image: 'host', Cmd: ['sh', '-c', 'trap "exit 3" TERM; while :; do sleep 0.1; done']});
	await trapping.start();
	const asked = Date.now();
	await trapping.stop({t: 10});
	assert.ok(Date.now() - asked < 5000, 'a handler ends it at once');
	assert.equal((await trapping.inspect()).State.ExitCode, 3, 'with the code the handler chose');

	const stopped = await polite.stop().catch((error: {statusCode: number}) => error);
	assert.equal((stopped as {statusCode: number}).statusCode, 304, 'stopping a stopped container is 304');

	await polite.start();
	const waiting = polite.wait();
	await polite.kill({signal: 'SIGUSR1'});
	assert.equal((await waiting).StatusCode, 138, 'kill with a signal: 128 + 10');

	await polite.start();
	const before = (await polite.inspect()).State.StartedAt;
	await polite.restart({t: 1});
	const after = await polite.inspect();
	assert.equal(after.State.Running, true);
	assert.notEqual(after.State.StartedAt, before);

	const renamed = name('renamed');
	await polite.rename({name: renamed});
	assert.equal((await polite.inspect()).Name, `/${renamed}`);
	await polite.remove({force: true});
	await bare.remove();
	await trapping.remove();
});

test('list filters: status, name, label, id, ancestor, since, before, network, exited', async () => {
	const tag = name('list');
	const a = await docker.createContainer({name: `${tag}-a`, Image: 'host', Cmd: ['sleep', '300'], Labels: {tier: 'web'}});
	const b = await docker.createContainer({name: `${tag}-b`, Image: 'host', Cmd: ['true'], Labels: {tier: 'db'}});
	await a.start();
	const names = async (filters: Record<string, string[]>, all = true) => (await docker.listContainers({all, filters})).map(item => item.Names[0]).sort();
	assert.deepEqual(await names({name: [tag]}), [`/${tag}-a`, `/${tag}-b`]);
	assert.deepEqual(await names({name: [tag]}, false), [`/${tag}-a`], 'without all, only running ones');
	assert.deepEqual(await names({name: [tag], status: ['created']}), [`/${tag}-b`]);
	assert.deepEqual(await names({name: [tag], label: ['tier=web']}), [`/${tag}-a`]);
	assert.deepEqual(await names({name: [tag], label: ['tier']}), [`/${tag}-a`, `/${tag}-b`]);
	assert.deepEqual(await names({id: [b.id.slice(0, 10)]}), [`/${tag}-b`]);
	assert.deepEqual(await names({name: [tag], ancestor: ['host']}), [`/${tag}-a`, `/${tag}-b`]);
	assert.deepEqual(await names({name: [tag], since: [`${tag}-a`]}), [`/${tag}-b`]);
	assert.deepEqual(await names({name: [tag], before: [`${tag}-b`]}), [`/${tag}-a`]);
	assert.deepEqual(await names({name: [tag], network: ['none']}), [`/${tag}-a`, `/${tag}-b`]);
	await b.start();
	await b.wait();
	assert.deepEqual(await names({name: [tag], exited: ['0']}), [`/${tag}-b`]);
	assert.deepEqual(await names({name: [tag], exited: ['1']}), []);
	await assert.rejects(docker.listContainers({all: true, filters: {exited: ['x']}}), /invalid filter 'exited=x'/);
	const listed = (await listContainers(docker)).find(item => item.id === a.id);
	assert.equal(listed?.state, 'running');
	assert.match(listed?.status ?? '', /^Up /);
	await a.remove({force: true});
	await b.remove();
});

test('filters in the map form dockerode sends; volume filters; container and volume prune by label and until; system df sizes', async () => {
	const tag = name('prune');
	const web = await docker.createContainer({name: `${tag}-web`, Image: 'host', Cmd: ['sh', '-c', 'exit 0'], Labels: {tier: 'web', run: tag}});
	const db = await docker.createContainer({name: `${tag}-db`, Image: 'host', Cmd: ['sleep', '300'], Labels: {tier: 'db', run: tag}, HostConfig: {Binds: [`${tag}-data:/tmp/data`]}});
	await db.start();
	const ids = async (filters: Record<string, Record<string, boolean>>) => (await docker.listContainers({all: true, filters: filters as never})).map(item => item.Id).sort();
	assert.deepEqual(await ids({label: {'tier=web': true}, name: {[tag]: true}}), [web.id]);
	assert.deepEqual(await ids({label: {[`run=${tag}`]: true}}), [web.id, db.id].sort());
	assert.deepEqual(await ids({volume: {[`${tag}-data`]: true}}), [db.id]);

	await docker.createVolume({Name: `${tag}-loose`, Labels: {tier: 'web'}});
	const volumes = async (filters: Record<string, string[]>) => ((await docker.listVolumes({filters: filters as never})).Volumes ?? []).map(volume => volume.Name).filter(volumeName => volumeName.startsWith(tag)).sort();
	assert.deepEqual(await volumes({label: ['tier=web']}), [`${tag}-loose`]);
	assert.deepEqual(await volumes({dangling: ['true']}), [`${tag}-loose`]);
	assert.deepEqual(await volumes({dangling: ['false']}), [`${tag}-data`]);
	assert.deepEqual(await volumes({name: [`^${tag}-d`]}), [`${tag}-data`]);
	await assert.rejects(docker.listVolumes({filters: {colour: ['red']} as never}), /invalid filter 'colour'/);

	await db.exec({Cmd: ['sh', '-c', 'head -c 5000 /dev/zero > /tmp/data/blob'], AttachStdout: true}).then(exec => exec.start({})).then(stream => new Promise(resolve => stream.on('end', resolve).resume()));
	const df = JSON.parse((await raw('GET', '/system/df')).text) as {Volumes: Array<{Name: string; UsageData: {Size: number; RefCount: number}}>; Containers: Array<{Id: string; SizeRw: number}>};
	assert.deepEqual(df.Volumes.find(volume => volume.Name === `${tag}-data`)?.UsageData, {Size: 5000, RefCount: 1});
	assert.ok(df.Containers.some(container => container.Id === web.id));

	await web.start();
	await web.wait();
	// The running one is never pruned; the stopped one only when it matches, and not when it is newer than until.
	assert.deepEqual(await docker.pruneContainers({filters: {label: {'tier=db': true}} as never}), {ContainersDeleted: null, SpaceReclaimed: 0});
	assert.deepEqual((await docker.pruneContainers({filters: {label: [`run=${tag}`], until: ['2000-01-01T00:00:00Z']} as never})).ContainersDeleted, null);
	assert.deepEqual((await docker.pruneContainers({filters: {label: [`run=${tag}`]} as never})).ContainersDeleted, [web.id]);
	await db.remove({force: true});
	const pruned = await docker.pruneVolumes({filters: {label: ['tier=web']} as never});
	assert.deepEqual(pruned.VolumesDeleted, [`${tag}-loose`]);
	const all = await docker.pruneVolumes({filters: {'label!': ['tier=web']} as never});
	assert.ok(all.VolumesDeleted?.includes(`${tag}-data`));
	assert.ok(all.SpaceReclaimed >= 5000, `the volume's bytes are counted: ${all.SpaceReclaimed}`);
});

test('an attached TTY container gets every byte written to it: 1,000 bytes and a newline come back, echoed and from cat', async () => {
	const container = await docker.createContainer({Image: 'host', Cmd: ['cat'], Tty: true, OpenStdin: true});
	await container.start();
	const stream = (await container.attach({stream: true, stdin: true, stdout: true, stderr: true, hijack: true})) as NodeJS.ReadWriteStream;
	let received = '';
	stream.on('data', (chunk: Buffer) => (received += chunk.toString()));
	stream.write(`${'x'.repeat(1000)}\n`);
	await eventually(() => (received.match(/x/g) ?? []).length >= 2000, 10_000);
	assert.equal((received.match(/x/g) ?? []).length, 2000, 'the echo and cat\'s copy, every byte');
	await container.remove({force: true});
});

test('dockerode run(): an attach without Upgrade before start gets the output, then the exit code', async () => {
	const chunks: Buffer[] = [];
	const sink = new (await import('node:stream')).Writable({
		write(chunk: Buffer, _encoding, callback) {
			chunks.push(chunk);
			callback();
		},
	});
	const [result, container] = (await docker.run('host', ['sh', '-c', 'echo out; echo err >&2; exit 4'], sink, {Tty: true})) as [{StatusCode: number}, Docker.Container];
	assert.equal(result.StatusCode, 4);
	assert.equal(Buffer.concat(chunks).toString().replace(/\r/g, ''), 'out\nerr\n');
	await container.remove();
});

test('events stream container changes with dockerd\'s types and actions, filtered', async () => {
	const stream = (await docker.getEvents({filters: {type: ['container'], event: ['create', 'start', 'die', 'destroy']}})) as NodeJS.ReadableStream;
	const seen: Array<{Action: string; Actor: {ID: string; Attributes: Record<string, string>}}> = [];
	stream.on('data', (chunk: Buffer) => {
		for (const line of chunk.toString().split('\n').filter(Boolean)) seen.push(JSON.parse(line));
	});
	const container = await docker.createContainer({name: name('events'), Image: 'host', Cmd: ['sh', '-c', 'exit 2']});
	await container.start();
	await container.wait();
	await container.remove();
	assert.ok(await eventually(() => seen.filter(event => event.Actor.ID === container.id).length === 4, 3000));
	const mine = seen.filter(event => event.Actor.ID === container.id);
	assert.deepEqual(mine.map(event => event.Action), ['create', 'start', 'die', 'destroy']);
	assert.equal(mine[2]!.Actor.Attributes.exitCode, '2');
	assert.equal(mine[0]!.Actor.Attributes.image, 'host');
	(stream as unknown as {destroy(): void}).destroy();
});

test('logs: tail, timestamps, since and follow across the end of the container', async () => {
	const container = await docker.createContainer({name: name('logs'), Image: 'host', Cmd: ['sh', '-c', 'for i in 1 2 3 4 5; do echo line $i; done; sleep 0.3; echo late']});
	await container.start();
	const following = collectLogs(container.id);
	const lines = await following;
	assert.deepEqual(lines.map(line => line.text), ['line 1', 'line 2', 'line 3', 'line 4', 'line 5', 'late'], 'follow delivers everything and ends when the container does');
	const tail = (await container.logs({stdout: true, stderr: true, tail: 2, timestamps: true})) as unknown as Buffer;
	const text = tail.toString();
	assert.match(text, /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z line 5\n/);
	assert.ok(!text.includes('line 4'));
	const future = (await container.logs({stdout: true, stderr: true, since: Math.floor(Date.now() / 1000) + 60})) as unknown as Buffer;
	assert.equal(future.length, 0);
	await container.remove();
});

test('bad input gets a Docker-style error and the engine keeps serving', async () => {
	const message = async (response: Promise<{status: number; text: string}>) => {
		const {status, text} = await response;
		return {status, message: (JSON.parse(text) as {message: string}).message};
	};

	assert.deepEqual((await message(raw('POST', '/containers/create', '{"Image": "host",'))).status, 400);
	assert.match((await message(raw('POST', '/containers/create', '{"Image": "host",'))).message, /invalid JSON/);
	assert.match((await message(raw('POST', '/containers/create', JSON.stringify({Image: 'host', Env: 'A=1'})))).message, /Config\.Env/);
	assert.match((await message(raw('POST', '/containers/create', JSON.stringify({Image: 42})))).message, /Config\.Image/);
	assert.deepEqual(await message(raw('POST', '/containers/create', JSON.stringify({Image: 'nope', Cmd: ['true']}))), {status: 404, message: 'No such image: nope:latest'});
	assert.match((await message(raw('POST', '/containers/create?name=bad%20name', JSON.stringify({Image: 'host', Cmd: ['true']})))).message, /Invalid container name/);
	assert.equal((await raw('POST', '/containers/create', JSON.stringify({Image: 'host', Cmd: ['true'], Unknown: {deep: true}}))).status, 201, 'unknown fields are ignored, as dockerd does');
	const duplicate = name('dup');
	assert.equal((await raw('POST', `/containers/create?name=${duplicate}`, JSON.stringify({Image: 'host', Cmd: ['true']}))).status, 201);
	const again = await message(raw('POST', `/containers/create?name=${duplicate}`, JSON.stringify({Image: 'host', Cmd: ['true']})));
	assert.equal(again.status, 409);
	assert.match(again.message, /is already in use/);
	assert.equal((await raw('POST', '/containers/create', Buffer.alloc(2 * 1024 * 1024, 32))).status, 413);
	assert.deepEqual(await message(raw('GET', '/nothing/here')), {status: 404, message: 'page not found: /nothing/here'});
	assert.deepEqual((await message(raw('GET', '/containers/nope/json'))).status, 404);
	assert.equal((await raw('GET', '/containers/json?filters=notjson')).status, 400);
	assert.deepEqual(await message(raw('POST', `/containers/${duplicate}/kill?signal=SIGNOPE`)), {status: 400, message: 'Invalid signal: SIGNOPE'}, 'a bad signal is refused first, as dockerd does');
	assert.equal((await raw('POST', `/containers/${duplicate}/kill`)).status, 409, 'killing a stopped container conflicts');

	// A request cut off midway: the engine drops it and serves the next.
	await new Promise<void>(resolve => {
		const socket = net.connect(engine.socketPath, () => {
			socket.write('POST /containers/create HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"Image": "ho', () => {
				socket.destroy();
				resolve();
			});
		});
	});
	assert.equal((await raw('GET', '/_ping')).status, 200);

	// Start and remove at once: one of them wins, the store stays consistent.
	const racer = await docker.createContainer({name: name('race'), Image: 'host', Cmd: ['sleep', '300']});
	const [, removed] = await Promise.allSettled([racer.start(), racer.remove({force: true})]);
	assert.equal(removed.status, 'fulfilled', 'a forced remove wins over a start, whichever comes first');
	assert.equal((await docker.listContainers({all: true, filters: {id: [racer.id]}})).length, 0, 'and it is gone from the list');
	assert.equal(await racer.inspect().then(() => 200, (error: {statusCode: number}) => error.statusCode), 404, 'and from inspect');
	assert.equal((await raw('GET', '/_ping')).status, 200);
});

test('state survives an engine restart: records, exit codes and logs; running containers come back exited', async () => {
	const done = await docker.createContainer({name: name('kept'), Image: 'host', Cmd: ['sh', '-c', 'echo remembered; exit 4']});
	await done.start();
	await done.wait();
	const running = await docker.createContainer({name: name('cut'), Image: 'host', Cmd: ['sleep', '300']});
	await running.start();
	await engine.restart();
	const {connect} = await import('../../source/client/connect/connect.ts');
	const {parseHost} = await import('../../source/client/connect/endpoint.ts');
	docker = (await connect(parseHost(engine.url))).docker;
	const kept = await docker.getContainer(done.id).inspect();
	assert.equal(kept.State.Status, 'exited');
	assert.equal(kept.State.ExitCode, 4);
	assert.deepEqual((await collectLogs(done.id)).map(line => line.text), ['remembered']);
	const cut = await docker.getContainer(running.id).inspect();
	assert.equal(cut.State.Running, false, 'the engine stopped its containers when it stopped');
	await docker.getContainer(done.id).remove();
	await docker.getContainer(running.id).remove();
});

test('restart policies: on-failure with a count, always until stopped by hand, and on engine start', async () => {
	const failing = await docker.createContainer({name: name('onfail'), Image: 'host', Cmd: ['sh', '-c', 'exit 1'], HostConfig: {RestartPolicy: {Name: 'on-failure', MaximumRetryCount: 2}}});
	await failing.start();
	assert.ok(await eventually(async () => {
		const {State, RestartCount} = await failing.inspect();
		return RestartCount === 2 && State.Status === 'exited';
	}, 10_000), 'restarted twice, then left exited');
	// A restart to come would show as "restarting" (the engine says so while it waits out the back-off).
	const settled = await failing.inspect();
	assert.equal(settled.State.Restarting, false, 'and no more: none is waiting');

	const always = await docker.createContainer({name: name('always'), Image: 'host', Cmd: ['sh', '-c', 'sleep 0.2'], HostConfig: {RestartPolicy: {Name: 'always'}}});
	await always.start();
	assert.ok(await eventually(async () => (await always.inspect()).RestartCount >= 2, 5000), 'always restarts after a clean exit');
	await always.stop({t: 1});
	const after = await always.inspect();
	assert.equal(after.State.Status, 'exited', 'stopped by hand, it stays stopped');
	assert.equal(after.State.Restarting, false, 'no restart is waiting');

	const unless = await docker.createContainer({name: name('unless'), Image: 'host', Cmd: ['sleep', '300'], HostConfig: {RestartPolicy: {Name: 'unless-stopped'}}});
	await unless.start();
	const handStopped = await docker.createContainer({name: name('handstopped'), Image: 'host', Cmd: ['sleep', '300'], HostConfig: {RestartPolicy: {Name: 'unless-stopped'}}});
	await handStopped.start();
	await handStopped.stop({t: 1});
	await engine.restart();
	const {connect} = await import('../../source/client/connect/connect.ts');
	const {parseHost} = await import('../../source/client/connect/endpoint.ts');
	docker = (await connect(parseHost(engine.url))).docker;
	assert.equal((await docker.getContainer(unless.id).inspect()).State.Running, true, 'unless-stopped comes back with the engine');
	assert.equal((await docker.getContainer(handStopped.id).inspect()).State.Running, false, 'unless it was stopped by hand');
	// It exits every 0.2 s, so it is either running or waiting out its back-off.
	assert.ok(['running', 'restarting'].includes((await docker.getContainer(always.id).inspect()).State.Status), 'always comes back even after a stop by hand');
	for (const id of [failing.id, always.id, unless.id, handStopped.id]) await docker.getContainer(id).remove({force: true});
});

test('TTY containers and execs run on a pseudo-terminal, raw, and are resized to the size asked for', async () => {
	// The container says its size each time the terminal changes size (SIGWINCH).
	const container = await docker.createContainer({name: name('tty'), Image: 'host', Tty: true, Cmd: ['sh', '-c', 'trap "stty size" WINCH; tty; while true; do sleep 0.1; done']});
	await container.start();
	const logs = async () => ((await container.logs({stdout: true, stderr: true})) as unknown as Buffer).toString();
	assert.ok(await eventually(async () => (await logs()).includes('/dev/pts/'), 5000), 'the command sees a terminal');
	assert.match(await logs(), /^\/dev\/pts\/\d+\r\n/, 'raw output (no multiplexing headers), with the terminal\'s CRLF');
	await container.resize({h: 33, w: 111});
	assert.ok(await eventually(async () => (await logs()).includes('33 111\r\n'), 5000), `resized to 33x111: ${JSON.stringify(await logs())}`);
	await container.resize({h: 40, w: 132});
	assert.ok(await eventually(async () => (await logs()).includes('40 132\r\n'), 5000), 'and again');

	const exec = await container.exec({Cmd: ['sh', '-c', 'trap "stty size; exit 0" WINCH; tty; while true; do sleep 0.1; done'], Tty: true, AttachStdout: true, AttachStderr: true});
	const stream = await exec.start({hijack: true, stdin: false});
	let output = '';
	const ended = new Promise<void>(resolve => {
		stream.on('data', (chunk: Buffer) => (output += chunk.toString()));
		stream.on('end', () => resolve());
	});
	assert.ok(await eventually(() => output.includes('/dev/pts/'), 5000), 'the exec has a terminal of its own');
	await exec.resize({h: 25, w: 90});
	await ended;
	assert.match(output, /^\/dev\/pts\/\d+\r\n25 90\r\n$/, `the exec resized to 25x90: ${JSON.stringify(output)}`);
	assert.equal((await exec.inspect()).ExitCode, 0);
	await container.stop({t: 1});
	assert.equal((await container.inspect()).State.ExitCode, 137, 'PID 1 has no SIGTERM handler: killed after the timeout, as under dockerd');
	await container.remove();
});
