import assert from 'node:assert/strict';
import {existsSync, mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {test} from 'node:test';
import {chooseEndpoint, EndpointError, parseHost} from '../source/client/endpoint.ts';

test('unix hosts keep their path; an empty unix:// means the local socket', () => {
	assert.deepEqual(parseHost('unix:///tmp/x.sock', {}), {kind: 'unix', url: 'unix:///tmp/x.sock', socketPath: '/tmp/x.sock'});
	assert.equal(parseHost('unix://', {}).kind, 'unix');
	assert.equal((parseHost('unix://', {}) as {socketPath: string}).socketPath, '/var/run/docker.sock');
});

test('tcp hosts: default ports as the docker CLI uses them, bare host:port accepted', () => {
	assert.deepEqual(parseHost('tcp://10.0.0.1:2375', {}), {kind: 'tcp', url: 'tcp://10.0.0.1:2375', host: '10.0.0.1', port: 2375, tls: undefined});
	const bare = parseHost('localhost:1234', {});
	assert.equal(bare.kind, 'tcp');
	assert.equal((bare as {port: number}).port, 1234);
	assert.equal((parseHost('tcp://example', {}) as {port: number}).port, 2375);
});

test('TLS is read from DOCKER_TLS_VERIFY and DOCKER_CERT_PATH, and the default port becomes 2376', () => {
	const directory = mkdtempSync(path.join(tmpdir(), 'berth-certs-'));
	for (const name of ['ca.pem', 'cert.pem', 'key.pem']) writeFileSync(path.join(directory, name), name);
	const endpoint = parseHost('tcp://daemon', {DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: directory});
	assert.equal(endpoint.kind, 'tcp');
	if (endpoint.kind !== 'tcp') return;
	assert.equal(endpoint.port, 2376);
	assert.equal(endpoint.tls?.verify, true);
	assert.equal(endpoint.tls?.ca?.toString(), 'ca.pem');
	assert.equal(endpoint.tls?.key?.toString(), 'key.pem');
});

test('TLS asked for with missing certificates is a clear error, not a crash later', () => {
	assert.throws(() => parseHost('tcp://daemon', {DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/nonexistent'}), /ca\.pem cannot be read/);
});

test('ssh hosts keep user and port', () => {
	assert.deepEqual(parseHost('ssh://deploy@box.example:2222', {}), {kind: 'ssh', url: 'ssh://deploy@box.example:2222', host: 'box.example', user: 'deploy', port: 2222});
	assert.deepEqual(parseHost('ssh://box', {}), {kind: 'ssh', url: 'ssh://box', host: 'box', user: undefined, port: undefined});
});

test('bad hosts are refused with a message that names them', () => {
	assert.throws(() => parseHost('ftp://x', {}), (error: Error) => error instanceof EndpointError && /ftp/.test(error.message));
	assert.throws(() => parseHost('', {}), EndpointError);
	assert.throws(() => parseHost('ssh://box/path', {}), /no path/);
	assert.throws(() => parseHost('tcp://', {}), EndpointError);
});

test('precedence: --host, then DOCKER_HOST, then the local socket', () => {
	assert.equal(chooseEndpoint('tcp://a:1', {DOCKER_HOST: 'tcp://b:2'}).endpoint.url, 'tcp://a:1');
	assert.equal(chooseEndpoint(undefined, {DOCKER_HOST: 'tcp://b:2'}).source, 'env');
	const fallback = chooseEndpoint(undefined, {HOME: '/nonexistent', BERTH_ENGINE_RUN: '/run/test-berth'});
	if (existsSync('/var/run/docker.sock')) {
		assert.equal(fallback.source, 'docker');
	} else {
		assert.deepEqual(fallback, {source: 'engine', endpoint: {kind: 'unix', url: 'unix:///run/test-berth/engine.sock', socketPath: '/run/test-berth/engine.sock'}});
	}
});
