// berth's engine reached from elsewhere: `berth engine dial-stdio` bridges standard input and
// output to its socket, and ssh:// runs it on a host that has no docker CLI (a real sshd here).
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {chmodSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {connect} from '../../source/client/connect/connect.ts';
import {listContainers} from '../../source/client/resources/containers.ts';
import {parseHost} from '../../source/client/connect/endpoint.ts';
import {startTestEngine, type TestEngine} from '../helpers/engine.ts';
import {berthBin} from '../helpers/terminal.ts';

let engine: TestEngine;
before(async () => {
	engine = await startTestEngine();
});
after(async () => engine?.cleanup());

test('berth engine dial-stdio speaks HTTP to the engine over standard input and output, and ends with it', async () => {
	const child = spawn(process.execPath, [berthBin, 'engine', 'dial-stdio'], {env: {...process.env, ...engine.env}, stdio: ['pipe', 'pipe', 'pipe']});
	let output = '';
	child.stdout.setEncoding('utf8');
	child.stdout.on('data', chunk => (output += chunk));
	child.stdin.end('GET /_ping HTTP/1.1\r\nHost: berth\r\nConnection: close\r\n\r\n');
	const code = await new Promise(resolve => child.on('exit', resolve));
	assert.equal(code, 0);
	assert.match(output, /^HTTP\/1\.1 200 OK\r\n/);
	assert.match(output, /Api-Version: 1\.\d+/i);
	assert.match(output, /\r\n\r\n(2\r\n)?OK(\r\n0\r\n\r\n)?$/, "the body, OK, whole");
});

test('ssh:// reaches berth\'s engine on a host with no docker CLI, through berth engine dial-stdio', async t => {
	const {requireSshServer} = await import('../helpers/sshd.ts');
	// The far side's PATH holds `berth` and nothing else, so there is no docker CLI to find.
	const remoteBin = mkdtempSync(path.join(tmpdir(), 'berth-remote-bin-'));
	writeFileSync(path.join(remoteBin, 'berth'), `#!/bin/sh\nexec ${process.execPath} ${berthBin} "$@"\n`);
	chmodSync(path.join(remoteBin, 'berth'), 0o755);
	const server = await requireSshServer(t, '', {PATH: remoteBin, ...engine.env});
	if (!server) return;
	const savedPath = process.env.PATH;
	process.env.PATH = server.pathWithWrapper;
	try {
		const remote = await connect(parseHost(`ssh://${server.user}@127.0.0.1:${server.port}`));
		assert.equal(remote.serverName, 'berth');
		const container = await engine.client.docker.createContainer({name: `over-ssh-${process.pid}`, Image: 'host', Cmd: ['sleep', '60']});
		await container.start();
		assert.ok((await listContainers(remote.docker)).some(item => item.id === container.id), 'the list came over ssh from berth\'s engine');
		await remote.docker.getContainer(container.id).stop({t: 1});
		assert.equal((await container.inspect()).State.Running, false, 'an action went over ssh');
		remote.close();
		await container.remove({force: true});
	} finally {
		process.env.PATH = savedPath;
		server.stop();
		rmSync(remoteBin, {recursive: true, force: true});
	}
});
