import assert from 'node:assert/strict';
import {test} from 'node:test';
import {configLines, envLines, inspectLines} from '../../source/state/details.ts';

const record = {
	Id: 'abc',
	RestartCount: 2,
	State: {Status: 'running', Health: {Status: 'healthy'}},
	Config: {
		Image: 'nginx:1.27',
		Cmd: ['nginx', '-g', 'daemon off;'],
		Entrypoint: ['/docker-entrypoint.sh'],
		WorkingDir: '/srv',
		User: 'www',
		Env: ['Z=1', 'A=2'],
		Labels: {'com.example.b': '2', 'com.example.a': '1'},
		ExposedPorts: {'80/tcp': {}, '443/tcp': {}},
		Healthcheck: {Test: ['CMD-SHELL', 'curl -f localhost']},
	},
	HostConfig: {
		RestartPolicy: {Name: 'on-failure', MaximumRetryCount: 3},
		NetworkMode: 'none',
		PortBindings: {'80/tcp': [{HostIp: '127.0.0.1', HostPort: '8080'}]},
		Memory: 256 * 1024 * 1024,
		NanoCpus: 1.5e9,
	},
	Mounts: [
		{Type: 'bind', Source: '/data', Destination: '/srv/data', RW: false},
		{Type: 'volume', Name: 'cache', Source: '/var/lib/docker/volumes/cache/_data', Destination: '/cache', RW: true},
	],
};

test('config shows what a person asks about, quoted the way a shell would need it', () => {
	const text = configLines(record).join('\n');
	assert.match(text, /Image +nginx:1\.27/);
	assert.match(text, /Command +nginx -g 'daemon off;'/);
	assert.match(text, /Entrypoint +\/docker-entrypoint\.sh/);
	assert.match(text, /Working dir +\/srv/);
	assert.match(text, /Restart +on-failure:3 \(restarted 2 times\)/);
	assert.match(text, /Health +healthy/);
	assert.match(text, /check +'curl -f localhost'/);
	assert.match(text, /Limits +memory 256 MiB, cpus 1\.5/);
	assert.match(text, /127\.0\.0\.1:8080->80\/tcp/);
	assert.match(text, /443\/tcp \(exposed\)/);
	assert.match(text, /\/data -> \/srv\/data \(ro\) \[bind\]/);
	assert.match(text, /cache -> \/cache \[volume\]/);
	assert.ok(text.indexOf('com.example.a=1') < text.indexOf('com.example.b=2'));
});

test('env is sorted; an empty one says so', () => {
	assert.deepEqual(envLines(record), ['A=2', 'Z=1']);
	assert.deepEqual(envLines({}), ['(no environment variables)']);
});

test('inspect is the whole record, as indented JSON', () => {
	const lines = inspectLines(record);
	assert.equal(lines[0], '{');
	assert.deepEqual(JSON.parse(lines.join('\n')), record);
});

test('a sparse record from another engine still renders', () => {
	assert.ok(configLines({}).length > 5);
});
