// Connecting to a real Docker daemon (client/connect/): version negotiation, one clear line for an
// unreachable host, ssh:// through the real ssh and sshd, and TLS options through a TLS front.
import assert from 'node:assert/strict';
import {after, test} from 'node:test';
import {clientApiVersion, compareVersions, connect} from '../../source/client/connect/connect.ts';
import {parseHost} from '../../source/client/connect/endpoint.ts';
import {describeConnectError} from '../../source/client/errors.ts';
import {listContainers, runAction} from '../../source/client/resources/containers.ts';
import {removeTestContainers, requireDaemon, runContainer} from '../helpers/daemon.ts';

let cleanup: (() => Promise<void>) | undefined;
after(async () => cleanup?.());

test('the API version is negotiated down to what the daemon speaks', async t => {
	const daemon = await requireDaemon(t);
	if (!daemon) return;
	cleanup = () => removeTestContainers(daemon.docker);
	const version = await daemon.docker.version();
	const expected = compareVersions(version.ApiVersion, clientApiVersion) < 0 ? version.ApiVersion : clientApiVersion;
	assert.equal(daemon.apiVersion, expected);
	assert.equal((daemon.docker.modem as unknown as {version: string}).version, `v${expected}`);
	assert.ok(daemon.serverVersion);
});

test('an unreachable host fails with one line naming it and the cause', async () => {
	const endpoint = parseHost('unix:///nonexistent/berth.sock');
	const error = await connect(endpoint).catch((error_: unknown) => error_);
	assert.equal(describeConnectError(error, endpoint), 'cannot connect to unix:///nonexistent/berth.sock: no such socket (is the Docker daemon running? use --host or DOCKER_HOST to pick another)');
	const tcp = parseHost('tcp://127.0.0.1:1');
	const refused = await connect(tcp).catch((error_: unknown) => error_);
	assert.equal(describeConnectError(refused, tcp), 'cannot connect to tcp://127.0.0.1:1: connection refused');
});

test('ssh:// reaches the daemon through the system ssh and docker system dial-stdio', async t => {
	const daemon = await requireDaemon(t);
	if (!daemon) return;
	const {requireSshServer} = await import('../helpers/sshd.ts');
	const server = await requireSshServer(t, daemon.endpoint.url);
	if (!server) return;
	const savedPath = process.env.PATH;
	process.env.PATH = server.pathWithWrapper;
	try {
		const endpoint = parseHost(`ssh://${server.user}@127.0.0.1:${server.port}`);
		const remote = await connect(endpoint);
		assert.equal(remote.apiVersion, daemon.apiVersion);
		const container = await runContainer(daemon.docker, {cmd: ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1; done']});
		const listed = await listContainers(remote.docker);
		assert.ok(listed.some(item => item.id === container.id), 'the list came over ssh');
		await runAction(remote.docker, container.id, 'stop');
		assert.equal((await container.inspect()).State.Status, 'exited', 'an action went over ssh');
		const bad = parseHost(`ssh://nobody-here@127.0.0.1:${server.port}`);
		const refused = await connect(bad, {timeoutMs: 8000}).catch((error: unknown) => error);
		assert.match(describeConnectError(refused, bad), /^cannot connect to ssh:\/\/nobody-here@127\.0\.0\.1:\d+: ssh to 127\.0\.0\.1 exited with code 255: .*Permission denied/);
		remote.close();
	} finally {
		process.env.PATH = savedPath;
		server.stop();
	}
});

test('tcp:// with TLS options from DOCKER_TLS_VERIFY and DOCKER_CERT_PATH, through a TLS front (a Node proxy; the real TLS dockerd is remote-daemon.test.ts): a wrong CA fails clearly', async t => {
	const daemon = await requireDaemon(t);
	if (!daemon) return;
	if (daemon.endpoint.kind !== 'unix') {
		t.skip('the TLS front forwards to a unix socket daemon only');
		return;
	}

	const {makeCertificates, startTlsFront} = await import('../helpers/tls.ts');
	const certificates = makeCertificates();
	const front = await startTlsFront(certificates.serverDirectory, daemon.endpoint.socketPath);
	try {
		const url = `tcp://127.0.0.1:${front.port}`;
		const endpoint = parseHost(url, {DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certificates.clientDirectory});
		const remote = await connect(endpoint);
		const container = await runContainer(daemon.docker, {cmd: ['sleep', '300']});
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
