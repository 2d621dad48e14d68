import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {test} from 'node:test';
import {listContexts} from '../../source/client/connect/contexts.ts';
import {hostCandidates} from '../../source/client/connect/host-candidates.ts';
import {chooseEndpoint, EndpointError, parseHost} from '../../source/client/connect/endpoint.ts';
import {makeCertificates} from '../helpers/tls.ts';

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

/** A docker config directory with contexts made by the real docker CLI, as a user makes them. */
let certificates: ReturnType<typeof makeCertificates>;

function dockerConfigWithContexts(): {env: Record<string, string>; directory: string} {
	certificates ??= makeCertificates();
	const directory = mkdtempSync(path.join(tmpdir(), 'berth-contexts-'));
	const env = {DOCKER_CONFIG: directory, HOME: directory, PATH: process.env.PATH ?? ''};
	const docker = (...args: string[]) => execFileSync('docker', args, {env: {...env, DOCKER_HOST: ''}, stdio: ['ignore', 'pipe', 'pipe']});
	docker('context', 'create', 'remote', '--description', 'the build box', '--docker', 'host=ssh://deploy@10.1.2.3:2222');
	docker('context', 'create', 'plain', '--docker', 'host=tcp://10.9.9.9:2375');
	docker('context', 'create', 'socket', '--docker', 'host=unix:///run/other.sock');
	// Real certificates: docker checks them when it makes the context.
	const pem = certificates.clientDirectory;
	docker('context', 'create', 'secure', '--docker', `host=tcp://10.5.5.5:2376,ca=${pem}/ca.pem,cert=${pem}/cert.pem,key=${pem}/key.pem`);
	docker('context', 'create', 'lax', '--docker', 'host=tcp://10.6.6.6:2376,skip-tls-verify=true');
	return {env, directory};
}

test('docker contexts, as `docker context create` writes them: ssh, tcp, unix and TLS endpoints', () => {
	const {env} = dockerConfigWithContexts();
	assert.deepEqual(chooseEndpoint({context: 'remote'}, env), {
		endpoint: {kind: 'ssh', url: 'ssh://deploy@10.1.2.3:2222', host: '10.1.2.3', user: 'deploy', port: 2222},
		source: 'context',
		context: 'remote',
	});
	assert.equal(chooseEndpoint({context: 'plain'}, env).endpoint.url, 'tcp://10.9.9.9:2375');
	assert.equal((chooseEndpoint({context: 'plain'}, env).endpoint as {tls?: unknown}).tls, undefined);
	assert.deepEqual(chooseEndpoint({context: 'socket'}, env).endpoint, {kind: 'unix', url: 'unix:///run/other.sock', socketPath: '/run/other.sock'});
	const secure = chooseEndpoint({context: 'secure'}, env).endpoint as {tls?: {ca?: Buffer; cert?: Buffer; key?: Buffer; verify: boolean}};
	assert.equal(secure.tls?.verify, true);
	const {clientDirectory} = certificates;
	assert.deepEqual(secure.tls?.ca, readFileSync(path.join(clientDirectory, 'ca.pem')), 'the context keeps its own copy of the CA');
	assert.deepEqual(secure.tls?.key, readFileSync(path.join(clientDirectory, 'key.pem')));
	assert.equal((chooseEndpoint({context: 'lax'}, env).endpoint as {tls?: {verify: boolean}}).tls?.verify, false);
	assert.deepEqual(
		listContexts(env).map(context => [context.name, context.description]),
		[['lax', undefined], ['plain', undefined], ['remote', 'the build box'], ['secure', undefined], ['socket', undefined]],
	);
});

test('context precedence is the docker CLI\'s: --host or --context, then DOCKER_HOST, DOCKER_CONTEXT, the current context', () => {
	const {env} = dockerConfigWithContexts();
	execFileSync('docker', ['context', 'use', 'plain'], {env: {...env, DOCKER_HOST: ''}, stdio: 'ignore'});
	assert.equal(chooseEndpoint(undefined, env).endpoint.url, 'tcp://10.9.9.9:2375', 'docker context use is followed');
	assert.equal(chooseEndpoint(undefined, {...env, DOCKER_CONTEXT: 'socket'}).endpoint.url, 'unix:///run/other.sock', 'DOCKER_CONTEXT beats the current one');
	assert.equal(chooseEndpoint(undefined, {...env, DOCKER_CONTEXT: 'socket', DOCKER_HOST: 'tcp://1.2.3.4:5'}).source, 'env', 'DOCKER_HOST beats both');
	assert.equal(chooseEndpoint({context: 'remote'}, {...env, DOCKER_HOST: 'tcp://1.2.3.4:5'}).context, 'remote', '--context beats DOCKER_HOST');
	assert.equal(chooseEndpoint({host: 'unix:///x.sock'}, env).source, 'flag');
	assert.equal(chooseEndpoint({context: 'default'}, {...env, DOCKER_HOST: 'tcp://1.2.3.4:5'}).source, 'env', '"default" is DOCKER_HOST or the local socket');
	assert.throws(() => chooseEndpoint({host: 'unix:///x.sock', context: 'remote'}, env), /give --host or --context, not both/);
	assert.throws(() => chooseEndpoint({context: 'nope'}, env), (error: Error) => error instanceof EndpointError && /context "nope" does not exist/.test(error.message));
	assert.throws(() => chooseEndpoint(undefined, {...env, DOCKER_CONTEXT: 'gone'}), /context "gone" does not exist/);
});

test('the host switcher offers berth\'s engine, DOCKER_HOST, every context and every saved host, with the problem where one cannot be used', () => {
	const {env} = dockerConfigWithContexts();
	const candidates = hostCandidates({prod: 'ssh://me@prod', broken: 'ftp://x'}, {...env, BERTH_ENGINE_RUN: '/tmp/berth-run', DOCKER_HOST: 'tcp://10.0.0.9:2375'});
	const keys = candidates.map(candidate => candidate.key);
	assert.deepEqual(keys.filter(key => key !== 'docker'), ['engine', 'env', 'context:lax', 'context:plain', 'context:remote', 'context:secure', 'context:socket', 'saved:prod', 'saved:broken']);
	assert.equal(candidates[0]!.endpoint?.url, 'unix:///tmp/berth-run/engine.sock');
	assert.equal(candidates.find(candidate => candidate.key === 'context:secure')?.endpoint?.kind, 'tcp');
	assert.ok((candidates.find(candidate => candidate.key === 'context:secure')?.endpoint as {tls?: unknown}).tls, 'a context keeps its TLS files');
	assert.match(candidates.find(candidate => candidate.key === 'saved:broken')?.problem ?? '', /unsupported host scheme "ftp"/);
});
