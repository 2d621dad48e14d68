// The engine under hostile clients and crashes: every reproducer of the fault campaign (issue
// "the engine survives anything a client sends"), a seeded fuzz run over every route, plain and
// hijacked, and SIGKILLs of the engine in the middle of a workload. Invariants are checked as it
// goes: the engine answers, no client error is a 5xx, what existed before is unchanged, the
// records on disk are the list, nothing runs twice, nothing is left behind.
import assert from 'node:assert/strict';
import {existsSync, readdirSync, readFileSync, statSync} from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import {after, before, test} from 'node:test';
import type Docker from 'dockerode';
import {readLog} from '../../source/client/logs/log-source.ts';
import {eventually} from '../helpers/daemon.ts';
import {requireCgroups, requireNamespaces, startTestEngine, type TestEngine} from '../helpers/engine.ts';

let engine: TestEngine;
before(async () => {
	engine = await startTestEngine();
});
after(async () => engine?.cleanup());

const docker = (): Docker => engine.client.docker;

type Reply = {status: number; head: string; body: string; cut: boolean};

/**
 * Bytes as they are, on a socket of their own: what an HTTP library would not send. The reply is
 * read until the engine closes the connection, or for `patience` ms (a stream that goes on).
 */
function exchange(bytes: string | Buffer, patience = 30_000): Promise<Reply> {
	return new Promise((resolve, reject) => {
		const socket = net.connect(engine.socketPath);
		const chunks: Buffer[] = [];
		let settled = false;
		const finish = (cut: boolean) => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			socket.destroy();
			const text = Buffer.concat(chunks).toString('latin1');
			const split = text.indexOf('\r\n\r\n');
			const head = split === -1 ? text : text.slice(0, split);
			resolve({status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0), head, body: split === -1 ? '' : text.slice(split + 4), cut});
		};

		const timer = setTimeout(() => finish(true), patience);
		socket.on('connect', () => socket.write(bytes));
		socket.on('data', chunk => {
			chunks.push(chunk);
			// One complete reply with a length is enough (keep-alive would hold the socket open).
			const text = Buffer.concat(chunks).toString('latin1');
			const split = text.indexOf('\r\n\r\n');
			const length = /content-length: (\d+)/i.exec(text.slice(0, split))?.[1];
			if (split !== -1 && length !== undefined && text.length - split - 4 >= Number(length)) finish(false);
		});
		socket.on('end', () => finish(false));
		socket.on('close', () => finish(false));
		socket.on('error', error => (chunks.length > 0 ? finish(false) : settled || reject(error)));
	});
}

function request(method: string, target: string, {body, headers = {}}: {body?: string | Buffer; headers?: Record<string, string>} = {}): string | Buffer {
	const payload = body === undefined ? Buffer.alloc(0) : Buffer.from(body);
	const lines = [`${method} ${target} HTTP/1.1`, 'Host: engine', 'Connection: close'];
	if (body !== undefined) lines.push('Content-Type: application/json', `Content-Length: ${payload.length}`);
	for (const [key, value] of Object.entries(headers)) lines.push(`${key}: ${value}`);
	return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`), payload]);
}

const upgrade = {Connection: 'Upgrade', Upgrade: 'tcp'};
const messageOf = (reply: Reply) => {
	try {
		return (JSON.parse(reply.body) as {message?: string}).message ?? '';
	} catch {
		return reply.body;
	}
};

async function assertServing(after: string): Promise<void> {
	const reply = await exchange(request('GET', '/_ping'), 10_000);
	assert.equal(reply.status, 200, `the engine stopped answering after ${after}`);
}

/** The records on disk: the ids of the container directories that hold a config.json. */
function recordsOnDisk(): string[] {
	const directory = path.join(engine.env.BERTH_ENGINE_STATE!, 'containers');
	if (!existsSync(directory)) return [];
	return readdirSync(directory)
		.filter(id => existsSync(path.join(directory, id, 'config.json')))
		.sort();
}

async function listedIds(): Promise<string[]> {
	return (await docker().listContainers({all: true})).map(container => container.Id).sort();
}

/** The cgroups this engine holds for containers, under its own parent (empty without cgroups). */
function cgroupIds(): string[] {
	const engineId = readFileSync(path.join(engine.env.BERTH_ENGINE_STATE!, 'engine-id'), 'utf8').trim();
	const parent = ['/sys/fs/cgroup/memory', '/sys/fs/cgroup'].map(root => path.join(root, `berth-${engineId.slice(0, 12)}`)).find(candidate => existsSync(candidate));
	if (!parent) return [];
	return readdirSync(parent).filter(name => /^[\da-f]{64}$/.test(name));
}

/** Processes whose command line names this container (its monitor and what runs under it). */
function processesNaming(id: string): number[] {
	const found: number[] = [];
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').includes(id)) found.push(Number(entry));
		} catch {
			// Gone meanwhile.
		}
	}

	return found;
}

/** A container's stdout lines so far, as the API gives them (not followed: it is still running). */
function linesOf(id: string): Promise<string[]> {
	return new Promise((resolve, reject) => {
		const lines: string[] = [];
		readLog(docker(), id, {follow: false, tail: 1_000_000, tty: false, timestamps: false}, {
			onEntries(entries) {
				for (const entry of entries) if (entry.stream === 'stdout') lines.push(entry.body.toString('utf8').replace(/\r?\n$/, ''));
			},
			onEnd: failure => (failure ? reject(new Error(failure.message)) : resolve(lines)),
		});
	});
}

const unique = (label: string) => `r-${label}-${Math.random().toString(36).slice(2, 8)}`;

test('malformed HTTP, plain or hijacked, is answered as dockerd answers it, and the engine keeps serving', async () => {
	const cases: Array<[string, string | Buffer, number, RegExp?]> = [
		['a malformed %-escape in a hijacked exec start', request('POST', '/exec/%ZZ/start', {body: '{}', headers: upgrade}), 400, /malformed %-escape/],
		['a malformed %-escape in a hijacked attach', request('POST', '/containers/%ZZ/attach?stream=1', {headers: upgrade}), 400, /malformed %-escape/],
		['POST // hijacked', request('POST', '//', {headers: upgrade}), 404],
		['GET //', request('GET', '//'), 404],
		['a malformed %-escape in an id', request('GET', '/containers/%ZZ/json'), 400, /malformed %-escape/],
		['a malformed %-escape in a volume name', request('DELETE', '/volumes/%E0%A4%A'), 400, /malformed %-escape/],
		['an unknown method', request('FOO', '/_ping'), 400],
		['both Content-Length and Transfer-Encoding', 'POST /containers/create HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\n\r\n', 400],
		['bad chunked encoding', 'POST /containers/create HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n\r\n', 400],
		['a 20 KB header, which Go takes', request('GET', '/_ping', {headers: {'X-Big': 'a'.repeat(20_000)}}), 200],
		['a 2 MB header', request('GET', '/_ping', {headers: {'X-Big': 'a'.repeat(2 * 1024 * 1024)}}), 431],
		['an API version older than the minimum', request('GET', '/v0.1/_ping'), 400, /too old\. Minimum supported API version is 1\.24/],
		['an API version newer than the engine', request('GET', '/v9.99/_ping'), 400, /too new/],
		['events since a time that is none', request('GET', '/events?since=bogus'), 400, /invalid time/],
		['a 300-character volume name', request('POST', '/volumes/create', {body: JSON.stringify({Name: 'v'.repeat(300)})}), 400, /at most 255/],
		['a bad Content-Length on a hijacked exec start', request('POST', '/exec/nope/start', {headers: {...upgrade, 'Content-Length': '-5'}}), 400],
	];
	for (const [what, bytes, status, message] of cases) {
		const reply = await exchange(bytes);
		assert.equal(reply.status, status, `${what}: ${reply.head.split('\r\n')[0]} ${reply.body}`);
		if (message) assert.match(messageOf(reply), message, what);
		await assertServing(what);
	}
});

test('a bad parameter is refused with a 400 before anything changes, and leaves no record', async () => {
	const refusals: Array<[string, unknown, RegExp]> = [
		['a relative working directory', {Image: 'host', Cmd: ['true'], WorkingDir: 'relative'}, /needs to be an absolute path/],
		['an unknown user', {Image: 'host', Cmd: ['true'], User: 'no-such-user-here'}, /unable to find user no-such-user-here/],
		['a NUL byte in the command', {Image: 'host', Cmd: ['tr\u0000ue']}, /NUL byte/],
		['a NUL byte in the environment', {Image: 'host', Cmd: ['true'], Env: ['A=\u0000']}, /NUL byte/],
		['an argument the kernel would refuse (E2BIG)', {Image: 'host', Cmd: ['echo', 'a'.repeat(140_000)]}, /argument list too long/],
		['max-file beyond bounds', {Image: 'host', Cmd: ['true'], HostConfig: {LogConfig: {Type: 'json-file', Config: {'max-file': '99999999'}}}}, /max-file/],
		['a memory limit no cgroup can hold', {Image: 'host', Cmd: ['true'], HostConfig: {Memory: 1e300}}, /HostConfig\.Memory/],
		['a memory limit under 6 MB', {Image: 'host', Cmd: ['true'], HostConfig: {Memory: 1024}}, /Minimum memory limit allowed is 6MB/],
		['more CPUs than there are', {Image: 'host', Cmd: ['true'], HostConfig: {NanoCpus: 4096e9}}, /Range of CPUs/],
		['a capability that is no string', {Image: 'host', Cmd: ['true'], HostConfig: {CapAdd: [1]}}, /HostConfig\.CapAdd/],
		['a mount point the read-only host image lacks', {Image: 'host', Cmd: ['true'], HostConfig: {Binds: ['/tmp:/no-such-point-here']}}, /cannot make the mount point \/no-such-point-here/],
		['a body nested 20,000 deep', `{"Image":"host","Cmd":["true"],"X":${'['.repeat(20_000)}${']'.repeat(20_000)}}`, /./],
	];
	const names: string[] = [];
	for (const [what, body, message] of refusals) {
		const name = unique('refused');
		names.push(name);
		const reply = await exchange(request('POST', `/containers/create?name=${name}`, {body: typeof body === 'string' ? body : JSON.stringify(body)}));
		assert.equal(reply.status, 400, `${what}: ${reply.body.slice(0, 200)}`);
		assert.match(messageOf(reply), message, what);
		assert.deepEqual(await docker().listContainers({all: true, filters: {name: [name]}}), [], `${what}: no container is listed`);
	}

	// What is refused stays absent after a restart, and no broken record is left to report.
	const before = recordsOnDisk();
	await engine.restart();
	assert.deepEqual(recordsOnDisk(), before);
	for (const name of names) assert.deepEqual(await docker().listContainers({all: true, filters: {name: [name]}}), [], `${name} stays absent`);

	const running = await docker().createContainer({name: unique('exec'), Image: 'host', Cmd: ['sleep', '300']});
	await running.start();
	for (const [what, body] of [
		['a NUL byte in an exec command', {Cmd: ['ec\u0000ho']}],
		['a NUL byte in an exec environment', {Cmd: ['true'], Env: ['A=\u0000']}],
		['a NUL byte in an exec working directory', {Cmd: ['true'], WorkingDir: '/\u0000'}],
		['a relative exec working directory', {Cmd: ['true'], WorkingDir: 'tmp'}],
	] as const) {
		const reply = await exchange(request('POST', `/containers/${running.id}/exec`, {body: JSON.stringify(body)}));
		assert.equal(reply.status, 400, `${what}: ${reply.body}`);
	}

	const wait = await exchange(request('POST', `/containers/${running.id}/wait?condition=bogus`));
	assert.equal(wait.status, 400, `wait?condition=bogus: ${wait.body}`);
	assert.match(messageOf(wait), /invalid condition/);
	await running.remove({force: true});
});

test('a refused stop changes nothing: the restart policy still holds', async t => {
	if (!(await requireNamespaces(t, engine))) return;
	const container = await docker().createContainer({name: unique('policy'), Image: 'host', Cmd: ['sleep', '300'], HostConfig: {RestartPolicy: {Name: 'always'}}});
	await container.start();
	const refused = await exchange(request('POST', `/containers/${container.id}/stop?signal=BOGUS`));
	assert.equal(refused.status, 400);
	const after = await container.inspect();
	assert.equal(after.State.Running, true, 'still running');
	await container.kill();
	assert.ok(await eventually(async () => (await container.inspect()).RestartCount === 1 && (await container.inspect()).State.Running, 20_000), 'killed, it is started again by its policy');
	await container.remove({force: true});
});

test('a remove right after a start stays removed, across a restart', async () => {
	const ids: string[] = [];
	for (let attempt = 0; attempt < 6; attempt++) {
		const container = await docker().createContainer({name: unique('zombie'), Image: 'host', Cmd: ['sleep', '300']});
		ids.push(container.id);
		const starting = container.start().catch(() => undefined);
		// 0 to 50 ms after the start was sent: before it is under way, during, and after.
		await new Promise(resolve => setTimeout(resolve, attempt * 10));
		await container.remove({force: true});
		await starting;
		assert.equal(await container.inspect().then(() => 200, (error: {statusCode: number}) => error.statusCode), 404, `attempt ${attempt}: removed`);
	}

	await engine.restart();
	const listed = await listedIds();
	for (const id of ids) {
		assert.ok(!listed.includes(id), `${id} stays removed after a restart`);
		assert.deepEqual(processesNaming(id), [], `nothing of ${id} runs`);
	}
});

test('start, restart, stop and kill at once on one container: each answers as it would alone, none with a 5xx', async t => {
	if (!(await requireNamespaces(t, engine))) return;
	const container = await docker().createContainer({name: unique('concurrent'), Image: 'host', Cmd: ['sleep', '300']});
	const operations = [`/containers/${container.id}/start`, `/containers/${container.id}/restart?t=0`, `/containers/${container.id}/stop?t=0`, `/containers/${container.id}/kill`];
	const answers: string[] = [];
	for (let round = 0; round < 15; round++) {
		const replies = await Promise.all(operations.map(target => exchange(request('POST', target))));
		for (const [index, reply] of replies.entries()) if (reply.status >= 500 || reply.status === 0) answers.push(`round ${round} ${operations[index]}: ${reply.status} ${reply.body}`);
	}

	assert.deepEqual(answers, []);
	const inspected = await container.inspect();
	assert.equal(processesNaming(container.id).length > 0, inspected.State.Running, 'what runs is what the record says');
	await container.remove({force: true});
	assert.ok(await eventually(() => processesNaming(container.id).length === 0, 10_000), 'and nothing of it runs once removed');
});

test('a paused container: exec is refused (409), rm -f answers, and a crash of the engine leaves it paused, then unpausable', async t => {
	if (!(await requireCgroups(t, engine))) return;
	const counter = await docker().createContainer({name: unique('paused'), Image: 'host', Cmd: ['sh', '-c', 'i=0; while :; do echo $i; i=$((i+1)); sleep 0.05; done']});
	await counter.start();
	const exec = await counter.exec({Cmd: ['echo', 'hi'], AttachStdout: true});
	assert.ok(await eventually(async () => (await linesOf(counter.id)).length > 3, 20_000), 'the counter counts');
	await counter.pause();
	const plain = await exchange(request('POST', `/exec/${exec.id}/start`, {body: '{"Detach":false}'}));
	assert.equal(plain.status, 409, `exec start on a paused container: ${plain.body}`);
	const hijacked = await exchange(request('POST', `/exec/${exec.id}/start`, {body: '{}', headers: upgrade}));
	assert.equal(hijacked.status, 409, `hijacked exec start on a paused container: ${hijacked.body}`);
	const created = await exchange(request('POST', `/containers/${counter.id}/exec`, {body: JSON.stringify({Cmd: ['true']})}));
	assert.equal(created.status, 409);

	await engine.crash();
	await engine.restart();
	const inspected = await counter.inspect();
	assert.equal(inspected.State.Status, 'paused', 'still paused after the crash');
	await counter.unpause();
	const count = async () => (await linesOf(counter.id)).length;
	const before = await count();
	assert.ok(await eventually(async () => (await count()) > before + 2, 20_000), 'counting again once unpaused');

	await counter.pause();
	await counter.remove({force: true});
	assert.equal(await counter.inspect().then(() => 200, (error: {statusCode: number}) => error.statusCode), 404);
	assert.ok(await eventually(() => processesNaming(counter.id).length === 0, 10_000), 'no process of the paused container is left');
	assert.ok(!cgroupIds().includes(counter.id), 'nor its cgroup');
});

/** A container of the host image running `script`, the engine killed once it has said `first`. */
async function startedThenCrashed(name: string, script: string, first: string) {
	const container = await docker().createContainer({name: unique(name), Image: 'host', Cmd: ['sh', '-c', script]});
	await container.start();
	assert.ok(await eventually(async () => (await linesOf(container.id)).includes(first), 20_000), 'it has started');
	await engine.crash();
	return container;
}

test('a container that ends while the engine is down: its real exit code and time, and all it wrote meanwhile, are kept', async t => {
	if (!(await requireCgroups(t, engine))) return;
	const container = await startedThenCrashed('ends-away', 'echo before; sleep 1; echo after; echo complaint >&2; printf "no newline"; exit 7', 'before');
	// It ends with no engine to tell: its relay and monitor leave the output and the code behind.
	assert.ok(await eventually(() => processesNaming(container.id).length === 0, 20_000), 'it has ended');
	const ended = Date.now();
	await engine.restart();
	const {State} = await container.inspect();
	assert.equal(State.Status, 'exited');
	assert.equal(State.ExitCode, 7, 'the code it ended with');
	assert.ok(Date.parse(State.FinishedAt) <= ended, `when it ended (${State.FinishedAt}), not when the engine came back`);
	assert.deepEqual(await linesOf(container.id), ['before', 'after', 'no newline']);
	const logs = (await container.logs({stdout: false, stderr: true})).toString('latin1');
	assert.match(logs, /complaint/, 'stderr too');
	await container.remove();
});

test('a container flooding while the engine is down fills at most 4 MiB of spool and waits; all of it is logged once the engine is back', async t => {
	if (!(await requireCgroups(t, engine))) return;
	// 12,000 numbered lines of a kilobyte: 12 MB, three times what may wait in a spool.
	const container = await startedThenCrashed('flood-away', 'echo ready; sleep 1; i=0; while [ $i -lt 12000 ]; do printf "%05d %01000d\\n" $i 0; i=$((i+1)); done; echo end', 'ready');
	const spool = path.join(engine.env.BERTH_ENGINE_STATE!, 'containers', container.id, 'stdout.spool');
	const size = () => statSync(spool).size;
	// The spool grows to its bound, then stays there: the container's writes wait.
	let last = -1;
	assert.ok(await eventually(async () => {
		const before = size();
		await new Promise(resolve => setTimeout(resolve, 1000));
		last = size();
		return last === before && last > 1024 * 1024;
	}, 30_000), `the spool stops growing (${last} bytes)`);
	assert.ok(last <= 4 * 1024 * 1024 + 128 * 1024, `at most 4 MiB ahead of the log: ${last} bytes`);
	assert.ok(processesNaming(container.id).length > 0, 'the container waits, still running');
	await engine.restart();
	assert.equal((await container.wait()).StatusCode, 0);
	const lines = await linesOf(container.id);
	assert.equal(lines[0], 'ready');
	assert.equal(lines.at(-1), 'end');
	const numbers = lines.slice(1, -1).map(line => Number(line.slice(0, 5)));
	assert.equal(numbers.length, 12_000, 'every line once');
	assert.equal(numbers.findIndex((value, index) => value !== index), -1, 'in order');
	await container.remove();
});

/** A small seeded generator (mulberry32): the same seed, the same requests. */
function random(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d_2b_79_f5) >>> 0;
		let value = state;
		value = Math.imul(value ^ (value >>> 15), value | 1);
		value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
		return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
	};
}

const routes: Array<[string, string]> = [
	['GET', '/_ping'],
	['GET', '/version'],
	['GET', '/info'],
	['GET', '/events'],
	['GET', '/containers/json'],
	['POST', '/containers/create'],
	['GET', '/containers/{id}/json'],
	['GET', '/containers/{id}/logs'],
	['GET', '/containers/{id}/stats'],
	['GET', '/containers/{id}/top'],
	['POST', '/containers/{id}/start'],
	['POST', '/containers/{id}/stop'],
	['POST', '/containers/{id}/restart'],
	['POST', '/containers/{id}/kill'],
	['POST', '/containers/{id}/pause'],
	['POST', '/containers/{id}/unpause'],
	['POST', '/containers/{id}/wait'],
	['POST', '/containers/{id}/rename'],
	['POST', '/containers/{id}/resize'],
	['POST', '/containers/{id}/attach'],
	['POST', '/containers/{id}/exec'],
	['POST', '/containers/{id}/update'],
	['GET', '/containers/{id}/archive'],
	['HEAD', '/containers/{id}/archive'],
	['PUT', '/containers/{id}/archive'],
	['GET', '/containers/{id}/changes'],
	['GET', '/containers/{id}/export'],
	['DELETE', '/containers/{id}'],
	['POST', '/exec/{exec}/start'],
	['POST', '/exec/{exec}/resize'],
	['GET', '/exec/{exec}/json'],
	['GET', '/images/json'],
	['GET', '/images/{image}/json'],
	['GET', '/images/{image}/history'],
	['GET', '/images/{image}/get'],
	['POST', '/images/{image}/tag'],
	['DELETE', '/images/{image}'],
	['POST', '/images/create'],
	['POST', '/images/load'],
	['GET', '/volumes'],
	['POST', '/volumes/create'],
	['GET', '/volumes/{volume}'],
	['DELETE', '/volumes/{volume}'],
];

/** Streams and waits: a reply that goes on past the patience is what they do, not a hang. */
const streaming = /\/events$|\/logs$|\/stats$|\/wait$|\/attach$|\/exec\/[^/]+\/start$/;

function fuzzer(seed: number, own: {containers: string[]; execs: string[]; volumes: string[]}, readOnly: string[]) {
	const next = random(seed);
	const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
	const chance = (p: number) => next() < p;
	const garbage = ['', '%ZZ', '%', '..', '../..', 'x'.repeat(300), 'ü', '%00', '%2F', 'nope', ' ', '-1', '1e999', 'null', '[]', '{}', 'true', '%C3%28'];
	const values = [...garbage, '0', '1', 'true', 'false', '5', '-5', '99999999999', 'SIGKILL', 'SIGBOGUS', '9', 'not-running', 'next-exit', 'removed', 'bogus', '{"status":["running"]}', '{"name":{"x":true}}', '{"label":[1]}', '2026-01-01T00:00:00Z'];
	const queryKeys = ['all', 'filters', 'signal', 't', 'condition', 'force', 'v', 'name', 'tail', 'since', 'until', 'stdout', 'stderr', 'follow', 'timestamps', 'stream', 'one-shot', 'ps_args', 'h', 'w', 'repo', 'tag', 'fromImage', 'logs', 'stdin', 'detachKeys', 'quiet'];
	const deep = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
	const commands = [['true'], ['sleep', '20'], ['sleep', '20'], ['sh', '-c', 'echo fuzz; echo err >&2'], ['no-such-program'], [], ['sh', '-c', 'exit 3']];
	const scalar = (): unknown => pick([0, -1, 1e300, 'x', '', null, true, [], {}, 'a\u0000b', 'x'.repeat(5000), '/', 'relative']);
	const createBody = (): unknown => {
		const body: Record<string, unknown> = {Image: chance(0.85) ? 'host' : scalar(), Cmd: chance(0.85) ? pick(commands) : scalar(), Labels: {fuzz: '1'}};
		if (chance(0.3)) body.Env = chance(0.7) ? ['A=1', 'B'] : scalar();
		if (chance(0.2)) body.WorkingDir = pick(['/', '/tmp', 'relative', '', 5]);
		if (chance(0.2)) body.User = pick(['root', '0', '65534:65534', 'nobody-nope', 7]);
		if (chance(0.2)) body.Tty = scalar();
		if (chance(0.4)) {
			const hostConfig: Record<string, unknown> = {};
			if (chance(0.5)) hostConfig.NetworkMode = pick(['none', 'host', 'bridge', 'nope', 3]);
			if (chance(0.3)) hostConfig.Memory = pick([0, 1, 6 * 1024 * 1024, -5, 'lots', 1e300]);
			if (chance(0.3)) hostConfig.RestartPolicy = pick([{Name: 'no'}, {Name: 'on-failure', MaximumRetryCount: 1}, {Name: 'bogus'}, 'always', {Name: 5}]);
			if (chance(0.2)) hostConfig.Binds = pick([['/tmp:/host-tmp:ro'], ['relative:/x'], [':'], 'x', [5]]);
			if (chance(0.2)) hostConfig.CapAdd = pick([['NET_ADMIN'], ['BOGUS'], 'ALL', [1]]);
			if (chance(0.2)) hostConfig.LogConfig = pick([{Type: 'json-file', Config: {'max-size': '1k', 'max-file': '2'}}, {Type: 'json-file', Config: {'max-file': '0'}}, {Type: 'syslog'}, {Config: 5}]);
			if (chance(0.1)) hostConfig.PidsLimit = pick([10, -1, 'x']);
			body.HostConfig = chance(0.9) ? hostConfig : scalar();
		}

		if (chance(0.05)) body.Deep = JSON.parse(deep(50)) as unknown;
		return body;
	};

	const bodyFor = (method: string, route: string): string | undefined => {
		if (method === 'GET' || method === 'DELETE') return chance(0.05) ? '{}' : undefined;
		const mangle = chance(0.15);
		if (mangle) return pick(['{', 'null', '[]', '"x"', '\u0000', deep(20_000), `{"Image":"host","Cmd":["true"],"X":${deep(20_000)}}`, '{"a":1}{"b":2}', 'x'.repeat(10_000), '']);
		if (route === '/containers/create') return JSON.stringify(createBody());
		if (route.endsWith('/exec')) return JSON.stringify({Cmd: chance(0.8) ? pick(commands.filter(command => command.length > 0)) : scalar(), AttachStdout: chance(0.5), Tty: chance(0.2), WorkingDir: chance(0.2) ? scalar() : undefined});
		if (route.startsWith('/exec/')) return JSON.stringify({Detach: chance(0.6), Tty: chance(0.2)});
		if (route === '/volumes/create') return JSON.stringify({Name: chance(0.7) ? `fz${Math.floor(next() * 1e6)}` : scalar(), Labels: chance(0.8) ? {fuzz: '1'} : scalar()});
		if (route === '/images/load' || route.endsWith('/archive')) return pick(['', 'not a tar', '\u0000'.repeat(1024)]);
		if (route.endsWith('/update')) return JSON.stringify(pick([{Memory: pick([0, 1, -1, 'x', 64 * 1024 * 1024])}, {RestartPolicy: pick([{Name: 'always'}, {Name: 'bogus'}, 5])}, {PidsLimit: pick([10, -1, 'x'])}, {BlkioWeight: 5}, scalar()]));
		return chance(0.5) ? undefined : '{}';
	};

	return (): {method: string; target: string; body?: string; headers: Record<string, string>} => {
		const [routeMethod, template] = pick(routes);
		const method = chance(0.05) ? pick(['GET', 'POST', 'DELETE', 'PUT', 'HEAD', 'PATCH']) : routeMethod;
		const mutating = method !== 'GET' && method !== 'HEAD';
		const id = () => (chance(0.8) && own.containers.length > 0 ? pick(own.containers) : !mutating && chance(0.5) && readOnly.length > 0 ? pick(readOnly) : pick(garbage));
		let route = template
			.replace('{id}', () => encodeURIComponent(id()).replace(/%25ZZ/, '%ZZ'))
			.replace('{exec}', () => (chance(0.6) && own.execs.length > 0 ? pick(own.execs) : pick(garbage)))
			.replace('{image}', () => (chance(0.3) ? 'host' : pick(['nope', 'busybox:latest', 'a/b/c:d', '%ZZ', 'sha256:zz'])))
			.replace('{volume}', () => (chance(0.6) && own.volumes.length > 0 ? pick(own.volumes) : pick(garbage)));
		// Never a real image away: the fuzz's own deletions and tags go to names of no consequence.
		if (mutating && template.startsWith('/images/{image}') && route.includes('/host')) route = route.replace('/host', '/nope');
		const query = new URLSearchParams();
		const count = Math.floor(next() * 4);
		for (let index = 0; index < count; index++) query.set(pick(queryKeys), pick(values));
		// A stop waits for its timeout (10 s by default) when PID 1 ignores SIGTERM, as sleep does: kept short, one request at a time.
		if (/\/(stop|restart)$/.test(template) && !/^\d$/.test(query.get('t') ?? '')) query.set('t', pick(['0', '1']));
		if (template === '/events' && !query.has('until')) query.set('until', String(Math.floor(Date.now() / 1000)));
		// Never the whole of a host-image container's root (the host itself): small paths, or none.
		if (template.endsWith('/archive') && chance(0.8)) query.set('path', pick(['/etc/hostname', '/nope', 'x/../../nope', '', '%00', '/etc/hostname/']));
		const version = chance(0.9) ? pick(['', '', '/v1.41', '/v1.24', '/v1.40']) : pick(['/v0.9', '/v9.9', '/vX']);
		const target = `${version}${route}${query.size > 0 ? `?${query}` : ''}`;
		const headers: Record<string, string> = {};
		if (/\/(attach|start)$/.test(template) && chance(0.4)) Object.assign(headers, upgrade);
		return {method, target, body: bodyFor(method, template), headers};
	};
}

test('fuzz: thousands of malformed and conflicting requests over every route; the engine answers, no 5xx, nothing it had is changed', async t => {
	if (!(await requireNamespaces(t, engine))) return;
	const seed = Number(process.env.BERTH_FUZZ_SEED ?? 20_261_203);
	const total = Number(process.env.BERTH_FUZZ_REQUESTS ?? 4000);
	// What was there before: a running, an exited and a created container, and their details.
	const kept = [
		await docker().createContainer({name: unique('kept-running'), Image: 'host', Cmd: ['sleep', '600'], Labels: {kept: '1'}}),
		await docker().createContainer({name: unique('kept-exited'), Image: 'host', Cmd: ['sh', '-c', 'exit 7'], Labels: {kept: '1'}}),
		await docker().createContainer({name: unique('kept-created'), Image: 'host', Cmd: ['true'], Labels: {kept: '1'}}),
	];
	await kept[0]!.start();
	await kept[1]!.start();
	await kept[1]!.wait();
	const snapshot = async () =>
		Promise.all(
			kept.map(async container => {
				const inspected = await container.inspect();
				return {Id: inspected.Id, Name: inspected.Name, Status: inspected.State.Status, Pid: inspected.State.Pid, ExitCode: inspected.State.ExitCode, Cmd: inspected.Config.Cmd, Restarts: inspected.RestartCount};
			}),
		);
	const before = await snapshot();

	const own = {containers: [] as string[], execs: [] as string[], volumes: [] as string[]};
	const generate = fuzzer(seed, own, kept.map(container => container.id));
	const failures: string[] = [];
	const statuses = new Map<number, number>();
	// How each of the fuzz's containers was made, for the report of a failure that involves it.
	const bodies = new Map<string, string>();
	const madeHow = (target: string) => {
		const id = /\/containers\/([\da-f]{64})\//.exec(target)?.[1];
		return id && bodies.has(id) ? ` (made with ${bodies.get(id)!.slice(0, 400)})` : '';
	};

	for (let index = 0; index < total && failures.length < 5; index++) {
		const {method, target, body, headers} = generate();
		const patience = streaming.test(target.split('?')[0]!) || headers.Upgrade ? 300 : 30_000;
		const reply = await exchange(request(method, target, {body, headers}), patience);
		statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
		const what = `#${index} ${method} ${target.slice(0, 160)} ${body === undefined ? '' : body.slice(0, 160)}`;
		if (reply.status >= 500) failures.push(`${what} → ${reply.status} ${reply.body.slice(0, 200)}${madeHow(target)}`);
		if (reply.status === 0 && !reply.cut) failures.push(`${what} → the connection closed without an answer`);
		if (reply.cut && reply.status === 0 && !(patience < 30_000)) failures.push(`${what} → no answer in 30 s`);
		if (reply.status === 201 || reply.status === 200) {
			const made = /"Id":"([\da-f]{64})"/.exec(reply.body)?.[1];
			if (made && /\/containers\/create(\?|$)/.test(target)) {
				own.containers.push(made);
				bodies.set(made, body ?? '');
			}

			if (made && /\/containers\/[^/]+\/exec(\?|$)/.test(target)) own.execs.push(made);
			const volume = /"Name":"(fz\d+)"/.exec(reply.body)?.[1];
			if (volume) own.volumes.push(volume);
		}

		if (index % 250 === 249) {
			await assertServing(what);
			assert.deepEqual(recordsOnDisk(), await listedIds(), `after ${what}: the records on disk are the list`);
		}
	}

	t.diagnostic(`seed ${seed}, ${total} requests; answers: ${[...statuses].sort(([a], [b]) => a - b).map(([status, count]) => `${status}×${count}`).join(' ')}; made ${own.containers.length} containers, ${own.execs.length} execs, ${own.volumes.length} volumes`);
	assert.deepEqual(failures, [], `seed ${seed}: requests the engine failed`);
	await assertServing('the fuzz run');
	assert.deepEqual(await snapshot(), before, 'what existed before is unchanged');
	assert.deepEqual(recordsOnDisk(), await listedIds(), 'the records on disk are the list');

	// The fuzz's own containers go; nothing of them is left: records, processes, cgroups.
	const keptIds = new Set(kept.map(container => container.id));
	for (const id of await listedIds()) if (!keptIds.has(id)) await docker().getContainer(id).remove({force: true});
	assert.deepEqual(await listedIds(), [...keptIds].sort());
	assert.deepEqual(recordsOnDisk(), [...keptIds].sort());
	for (const id of own.containers) assert.deepEqual(processesNaming(id), [], `nothing of ${id} runs`);
	assert.ok(await eventually(() => cgroupIds().every(id => keptIds.has(id)), 10_000), `cgroups of removed containers are gone: ${cgroupIds().filter(id => !keptIds.has(id)).join(', ')}`);
	for (const container of kept) await container.remove({force: true});
});

test('crash: SIGKILL of the engine in the middle of a workload, five times; adopted, not duplicated, nothing lost or left behind', async t => {
	if (!(await requireCgroups(t, engine))) return;
	const next = random(Number(process.env.BERTH_CRASH_SEED ?? 7));
	// Counts on, one line every 20 ms, under its monitor; restart policy always, which must not start a second copy.
	const counter = await docker().createContainer({name: unique('counter'), Image: 'host', Cmd: ['sh', '-c', 'i=0; while :; do echo $i; i=$((i+1)); sleep 0.02; done'], HostConfig: {RestartPolicy: {Name: 'always'}}});
	await counter.start();
	const {State: started} = await counter.inspect();
	// Floods in bursts: many lines a read, so that a crash lands between reading output and logging it.
	const flood = await docker().createContainer({name: unique('flood'), Image: 'host', Cmd: ['sh', '-c', 'i=0; while :; do j=0; while [ $j -lt 200 ]; do echo $i; i=$((i+1)); j=$((j+1)); done; sleep 0.05; done']});
	await flood.start();

	const created = new Set<string>();
	const removed = new Set<string>();
	const inDoubt = new Set<string>();
	for (let round = 0; round < 5; round++) {
		let running = true;
		// The workload: create, start, stop or remove, as fast as the engine answers; only what it acknowledged is counted.
		const workload = (async () => {
			while (running) {
				let id: string | undefined;
				try {
					const container = await docker().createContainer({Image: 'host', Cmd: ['sleep', '300'], Labels: {workload: '1'}});
					id = container.id;
					created.add(id);
					await container.start();
					if (next() < 0.5) await container.stop({t: 0});
					inDoubt.add(id);
					await container.remove({force: true});
					inDoubt.delete(id);
					removed.add(id);
				} catch {
					// The engine went mid-request: that request's outcome is not known.
					if (id) inDoubt.add(id);
					await new Promise(resolve => setTimeout(resolve, 20));
				}
			}
		})();
		await new Promise(resolve => setTimeout(resolve, 100 + next() * 500));
		await engine.crash();
		running = false;
		await workload;
		await engine.restart();

		await assertServing(`crash ${round}`);
		const listed = new Set(await listedIds());
		for (const id of created) if (!removed.has(id) && !inDoubt.has(id)) assert.ok(listed.has(id), `round ${round}: acknowledged container ${id} is kept`);
		for (const id of removed) assert.ok(!listed.has(id), `round ${round}: acknowledged remove of ${id} stays`);
		assert.deepEqual(recordsOnDisk(), [...listed].sort(), `round ${round}: the records on disk are the list`);
		const now = await counter.inspect();
		assert.equal(now.State.Running, true, `round ${round}: the counter is adopted, running`);
		assert.equal(now.State.Pid, started.Pid, `round ${round}: the same process, not a second copy`);
		assert.equal(now.RestartCount, 0, `round ${round}: not restarted`);
	}

	t.diagnostic(`workload: ${created.size} containers made, ${removed.size} removed, ${inDoubt.size} whose last request the crash cut`);
	assert.ok(created.size > 5, 'the workload ran between the crashes');
	// Its log is continuous: every number once, in order, across five crashes.
	const lineCount = async () => (await linesOf(counter.id)).length;
	const seen = await lineCount();
	assert.ok(await eventually(async () => (await lineCount()) > seen + 5, 20_000), 'still logging after the last crash');
	const numbers = (await linesOf(counter.id)).map(Number);
	// Never twice, never out of order, never from 0 again (a second copy), none missing: what the
	// engine had read at the instant it was killed was still in the spool, and was read again.
	const continuous = (numbers: number[], what: string) => {
		const broken = numbers.findIndex((value, index) => value !== index);
		assert.equal(broken, -1, `${what}: every number once, in order (${numbers.length} lines); around line ${broken}: ${numbers.slice(Math.max(0, broken - 3), broken + 4).join(' ')}`);
	};
	continuous((await linesOf(counter.id)).map(Number), "the counter's log");
	await flood.kill();
	await flood.wait();
	const flooded = (await linesOf(flood.id)).map(Number);
	t.diagnostic(`the flood's log: ${flooded.length} lines across 5 crashes`);
	assert.ok(flooded.length > 2000, 'the flood ran between the crashes');
	continuous(flooded, "the flood's log");

	// Everything goes, and nothing of it is left: no process, no cgroup, no record.
	for (const id of await listedIds()) await docker().getContainer(id).remove({force: true});
	assert.deepEqual(await listedIds(), []);
	assert.deepEqual(recordsOnDisk(), []);
	for (const id of [...created, counter.id]) assert.deepEqual(processesNaming(id), [], `nothing of ${id} runs`);
	assert.ok(await eventually(() => cgroupIds().length === 0, 10_000), `no cgroup is left: ${cgroupIds().join(', ')}`);
});
