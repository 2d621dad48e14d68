// The client layer against a real Docker daemon.
import assert from 'node:assert/strict';
import {after, test} from 'node:test';
import {compareVersions, clientApiVersion, connect} from '../source/client/connect.ts';
import {listContainers, runAction} from '../source/client/containers.ts';
import {daemonMessage, describeConnectError} from '../source/client/errors.ts';
import {readLog} from '../source/client/log-source.ts';
import {collectLogs} from './helpers/logs.ts';
import {parseHost} from '../source/client/endpoint.ts';
import {watchContainers} from '../source/client/watch-containers.ts';
import type {Container} from '../source/state/container.ts';
import {eventually, removeTestContainers, requireDaemon, runContainer, uniqueName} from './helpers/daemon.ts';

let cleanup: (() => Promise<void>) | undefined;
after(async () => cleanup?.());

test('the API version is negotiated down to what the daemon speaks', async t => {
	const engine = await requireDaemon(t);
	if (!engine) return;
	cleanup = () => removeTestContainers(engine.docker);
	const version = await engine.docker.version();
	const expected = compareVersions(version.ApiVersion, clientApiVersion) < 0 ? version.ApiVersion : clientApiVersion;
	assert.equal(engine.apiVersion, expected);
	assert.equal((engine.docker.modem as unknown as {version: string}).version, `v${expected}`);
	assert.ok(engine.serverVersion);
});

test('an unreachable host fails with one line naming it and the cause', async () => {
	const endpoint = parseHost('unix:///nonexistent/berth.sock');
	const error = await connect(endpoint).catch((error_: unknown) => error_);
	assert.equal(describeConnectError(error, endpoint), 'cannot connect to unix:///nonexistent/berth.sock: no such socket (is the Docker daemon running? use --host or DOCKER_HOST to pick another)');
	const tcp = parseHost('tcp://127.0.0.1:1');
	const refused = await connect(tcp).catch((error_: unknown) => error_);
	assert.equal(describeConnectError(refused, tcp), 'cannot connect to tcp://127.0.0.1:1: connection refused');
});

test('the watcher follows create, start, rename, stop and remove from the event stream', async t => {
	const engine = await requireDaemon(t);
	if (!engine) return;
	const {docker} = engine;
	const known = new Map<string, Container>();
	let syncs = 0;
	let connected = false;
	const stop = watchContainers(docker, {
		synced(containers) {
			syncs++;
			known.clear();
			for (const container of containers) known.set(container.id, container);
		},
		upserted(containers) {
			for (const container of containers) known.set(container.id, container);
		},
		removed(ids) {
			for (const id of ids) known.delete(id);
		},
		connection(status) {
			connected = status === 'connected';
		},
	});
	try {
		assert.ok(await eventually(() => syncs === 1 && connected), 'first sync');
		const name = uniqueName('watch');
		const container = await runContainer(docker, {name, cmd: ['sleep', '300'], start: false});
		const {id} = container;
		const within = async (what: string, check: () => boolean) => {
			const started = Date.now();
			assert.ok(await eventually(check, 1000, 10), `${what} seen within a second (state: ${JSON.stringify([...known.values()].find(c => c.id === id))})`);
			return Date.now() - started;
		};

		await within('create', () => known.get(id)?.state === 'created');
		await container.start();
		await within('start', () => known.get(id)?.state === 'running');
		await container.rename({name: `${name}-renamed`});
		await within('rename', () => known.get(id)?.name === `${name}-renamed`);
		await container.kill();
		// The daemon answers the kill before the process is gone: time from the exit itself.
		await container.wait();
		await within('stop', () => known.get(id)?.state === 'exited');
		await container.remove();
		await within('remove', () => !known.has(id));
		assert.equal(syncs, 1, 'no re-listing while the stream is healthy');
	} finally {
		stop();
	}
});

test('logs of a container without a TTY are split into stdout and stderr, UTF-8 intact', async t => {
	const engine = await requireDaemon(t);
	if (!engine) return;
	const container = await runContainer(engine.docker, {cmd: ['sh', '-c', 'echo out one; echo err one >&2; printf "grüße 🚢\\n"; echo out two']});
	await container.wait();
	const lines = await collectLogs(engine.docker, container.id, {tty: false, tail: 200});
	assert.deepEqual(
		lines.map(line => `${line.stream}:${line.text}`).sort(),
		['stderr:err one', 'stdout:grüße 🚢', 'stdout:out one', 'stdout:out two'].sort(),
	);
});

test('logs of a TTY container are read raw, and the tail is honoured', async t => {
	const engine = await requireDaemon(t);
	if (!engine) return;
	const container = await runContainer(engine.docker, {tty: true, cmd: ['sh', '-c', 'i=1; while [ $i -le 300 ]; do echo "line $i"; i=$((i+1)); done']});
	await container.wait();
	const lines = await collectLogs(engine.docker, container.id, {tty: true, tail: 200});
	assert.equal(lines.length, 200);
	assert.equal(lines[0]!.text, 'line 101');
	assert.equal(lines.at(-1)!.text, 'line 300');
});

test('following keeps delivering new lines until stopped', async t => {
	const engine = await requireDaemon(t);
	if (!engine) return;
	const container = await runContainer(engine.docker, {cmd: ['sh', '-c', 'i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.1; done']});
	const seen: string[] = [];
	const source = readLog(engine.docker, container.id, {follow: true, tail: 0, tty: false, timestamps: false}, {onEntries: entries => seen.push(...entries.map(entry => entry.body.toString())), onEnd() {}});
	const stop = () => source.stop();
	try {
		assert.ok(await eventually(() => seen.length >= 5, 5000), 'new lines arrive while following');
	} finally {
		stop();
	}
});

test('a refused action carries the daemon\'s own message', async t => {
	const engine = await requireDaemon(t);
	if (!engine) return;
	const container = await runContainer(engine.docker, {cmd: ['sleep', '300']});
	const refused = await runAction(engine.docker, container.id, 'remove').catch((error: unknown) => error);
	assert.match(daemonMessage(refused), /cannot remove (a )?running container|stop the container before removing|You cannot remove a running container/i);
	// Starting a running container is not an error to the person pressing the key.
	await runAction(engine.docker, container.id, 'start');
	await runAction(engine.docker, container.id, 'pause');
	assert.equal((await container.inspect()).State.Paused, true);
	await runAction(engine.docker, container.id, 'unpause');
	await runAction(engine.docker, container.id, 'remove', {force: true});
	const gone = await listContainers(engine.docker);
	assert.ok(!gone.some(item => item.id === container.id));
	const missing = await runAction(engine.docker, container.id, 'start').catch((error: unknown) => error);
	assert.match(daemonMessage(missing), /no such container/i);
});

test('after the connection drops, the watcher says so, reconnects and re-lists', async t => {
	const engine = await requireDaemon(t);
	if (!engine || engine.endpoint.kind !== 'unix') {
		if (engine) t.skip('the proxy below speaks to a unix socket daemon only');
		return;
	}

	const net = await import('node:net');
	const {mkdtempSync} = await import('node:fs');
	const {tmpdir} = await import('node:os');
	const path = await import('node:path');
	const {createDocker} = await import('../source/client/connect.ts');
	// A proxy in front of the daemon, whose connections the test can cut.
	const socketPath = path.join(mkdtempSync(path.join(tmpdir(), 'berth-proxy-')), 'proxy.sock');
	const open = new Set<import('node:net').Socket>();
	const target = engine.endpoint.socketPath;
	const proxy = net.createServer(client => {
		const upstream = net.connect(target);
		open.add(client);
		open.add(upstream);
		client.pipe(upstream).pipe(client);
		const drop = () => {
			client.destroy();
			upstream.destroy();
			open.delete(client);
			open.delete(upstream);
		};
		client.on('error', drop).on('close', drop);
		upstream.on('error', drop).on('close', drop);
	});
	await new Promise<void>(resolve => proxy.listen(socketPath, resolve));
	const docker = createDocker({kind: 'unix', url: `unix://${socketPath}`, socketPath}, engine.apiVersion);
	const statuses: string[] = [];
	let syncs = 0;
	const stop = watchContainers(docker, {
		synced: () => syncs++,
		upserted() {},
		removed() {},
		connection: status => statuses.push(status),
	});
	try {
		assert.ok(await eventually(() => syncs === 1), 'first sync');
		for (const socket of open) socket.destroy();
		assert.ok(await eventually(() => statuses.includes('disconnected')), 'the drop is reported');
		assert.ok(await eventually(() => syncs === 2 && statuses.at(-1) === 'connected', 5000), 're-synced after reconnecting');
	} finally {
		stop();
		proxy.close();
		for (const socket of open) socket.destroy();
	}
});

test('ssh:// reaches the daemon through the system ssh and docker system dial-stdio', async t => {
	const engine = await requireDaemon(t);
	if (!engine) return;
	const {requireSshServer} = await import('./helpers/sshd.ts');
	const server = await requireSshServer(t, engine.endpoint.url);
	if (!server) return;
	const savedPath = process.env.PATH;
	process.env.PATH = server.pathWithWrapper;
	try {
		const endpoint = parseHost(`ssh://${server.user}@127.0.0.1:${server.port}`);
		const remote = await connect(endpoint);
		assert.equal(remote.apiVersion, engine.apiVersion);
		const container = await runContainer(engine.docker, {cmd: ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1; done']});
		const listed = await listContainers(remote.docker);
		assert.ok(listed.some(item => item.id === container.id), 'the list came over ssh');
		await runAction(remote.docker, container.id, 'stop');
		assert.equal((await container.inspect()).State.Running, false, 'an action went over ssh');
		const bad = parseHost(`ssh://nobody-here@127.0.0.1:${server.port}`);
		const refused = await connect(bad, {timeoutMs: 8000}).catch((error: unknown) => error);
		assert.match(describeConnectError(refused, bad), /^cannot connect to ssh:\/\/nobody-here@127\.0\.0\.1:\d+: ssh to 127\.0\.0\.1 exited with code 255: .*Permission denied/);
		remote.close();
	} finally {
		process.env.PATH = savedPath;
		server.stop();
	}
});

test('tcp:// with TLS from DOCKER_TLS_VERIFY and DOCKER_CERT_PATH; a wrong CA fails clearly', async t => {
	const engine = await requireDaemon(t);
	if (!engine || engine.endpoint.kind !== 'unix') {
		if (engine) t.skip('the TLS front below forwards to a unix socket daemon only');
		return;
	}

	const {makeCertificates, startTlsFront} = await import('./helpers/tls.ts');
	const certificates = makeCertificates();
	const front = await startTlsFront(certificates.serverDirectory, engine.endpoint.socketPath);
	try {
		const url = `tcp://127.0.0.1:${front.port}`;
		const endpoint = parseHost(url, {DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certificates.clientDirectory});
		const remote = await connect(endpoint);
		const container = await runContainer(engine.docker, {cmd: ['sleep', '300']});
		assert.ok((await listContainers(remote.docker)).some(item => item.id === container.id), 'listed over TLS');

		const wrong = parseHost(url, {DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certificates.otherCaDirectory});
		const refused = await connect(wrong).catch((error: unknown) => error);
		assert.match(describeConnectError(refused, wrong), new RegExp(`^cannot connect to ${url}: .*certificate.*check DOCKER_CERT_PATH`, 'i'));

		const plain = parseHost(url, {});
		const noTls = await connect(plain, {timeoutMs: 3000}).catch((error: unknown) => error);
		assert.match(describeConnectError(noTls, plain), new RegExp(`^cannot connect to ${url}: .*DOCKER_TLS_VERIFY`));
	} finally {
		front.close();
	}
});
