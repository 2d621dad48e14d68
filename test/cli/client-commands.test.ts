// berth run, berth load and berth import: flags parsed as the docker CLI parses them, and the
// built commands run against the engine and against dockerd.
import assert from 'node:assert/strict';
import {execFile, execFileSync} from 'node:child_process';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {parseRun} from '../../source/cli/client-commands.ts';
import {requireDaemon, testImage} from '../helpers/daemon.ts';
import {freePort} from '../helpers/free-port.ts';
import {startTestEngine, type TestEngine} from '../helpers/engine.ts';
import {berthBin, Terminal} from '../helpers/terminal.ts';

test('berth run: flags before the image are run\'s own, everything after belongs to the command', () => {
	const plan = parseRun(['-it', '-e', 'A=1', '-eB=2', '--name=web', '-v', '/srv:/data:ro', '--memory', '64m', '--cpus', '1.5', '--restart', 'on-failure:3', 'host', 'ls', '-l', '--color']);
	assert.equal(plan.interactive, true);
	assert.equal(plan.tty, true);
	assert.equal(plan.detach, false);
	assert.equal(plan.create.Image, 'host');
	assert.deepEqual(plan.create.Cmd, ['ls', '-l', '--color']);
	assert.deepEqual(plan.create.Env, ['A=1', 'B=2']);
	assert.equal(plan.create.name, 'web');
	assert.deepEqual(plan.create.HostConfig?.Binds, ['/srv:/data:ro']);
	assert.equal(plan.create.HostConfig?.Memory, 64 * 1024 * 1024);
	assert.equal(plan.create.HostConfig?.NanoCpus, 1.5e9);
	assert.deepEqual(plan.create.HostConfig?.RestartPolicy, {Name: 'on-failure', MaximumRetryCount: 3});
	assert.equal(parseRun(['--rm', 'host']).create.HostConfig?.AutoRemove, true);
	assert.equal(plan.create.OpenStdin, true);
	assert.deepEqual(parseRun(['host']).create.Cmd, undefined, 'no command: the image\'s own');
	const published = parseRun(['-p', '8080:80', '-p127.0.0.1:5353:53/udp', '-p', '9000', 'host']).create;
	assert.deepEqual(published.HostConfig?.PortBindings, {'80/tcp': [{HostPort: '8080'}], '53/udp': [{HostIp: '127.0.0.1', HostPort: '5353'}]});
	assert.deepEqual(Object.keys(published.ExposedPorts ?? {}).sort(), ['53/udp', '80/tcp', '9000/tcp']);
});

test('berth run refuses bad flags with a clear message', () => {
	assert.throws(() => parseRun([]), /needs an image/);
	assert.throws(() => parseRun(['--bogus', 'host']), /unknown option --bogus/);
	assert.throws(() => parseRun(['--cpus', 'many', 'host']), /invalid --cpus/);
	assert.throws(() => parseRun(['--rm', '--restart', 'always', 'host']), /invalid --restart: a container removed when it stops cannot have a restart policy/);
	assert.throws(() => parseRun(['--memory', 'lots', 'host']), /invalid --memory: a size: 512m, 1g/);
	assert.throws(() => parseRun(['--restart', 'sometimes', 'host']), /invalid --restart/);
	assert.throws(() => parseRun(['--restart', 'always:3', 'host']), /invalid --restart/);
	assert.throws(() => parseRun(['--pull', 'sometimes', 'host']), /invalid --pull: "sometimes" is not one of missing, always, never/);
	assert.throws(() => parseRun(['-p', '99999:80', 'host']), /invalid -p: "99999:80" is not a port/);
	assert.throws(() => parseRun(['-e', '=x', 'host']), /invalid -e/);
});

let engine: TestEngine;
before(async () => {
	engine = await startTestEngine();
});
after(async () => engine?.cleanup());

function berth(args: string[], input?: string, env: Record<string, string | undefined> = {}): Promise<{code: number; stdout: string; stderr: string}> {
	return new Promise(resolve => {
		const child = execFile(process.execPath, [berthBin, ...args], {env: {...process.env, ...env}}, (error, stdout, stderr) => {
			resolve({code: error ? ((error as {code?: number}).code ?? 1) : 0, stdout, stderr});
		});
		child.stdin?.end(input ?? '');
	});
}

test('berth run against the engine: output, exit code, -i input, -d, and a missing image', async () => {
	const host = ['-H', engine.url];
	const foreground = await berth([...host, 'run', '--rm', 'host', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
	assert.deepEqual([foreground.code, foreground.stdout, foreground.stderr], [3, 'out\n', 'err\n']);
	const piped = await berth([...host, 'run', '--rm', '-i', 'host', 'sh', '-c', 'while read line; do echo "got $line"; done'], 'one\ntwo\n');
	assert.equal(piped.stdout, 'got one\ngot two\n');
	const detached = await berth([...host, 'run', '-d', '--name', 'client-detached', 'host', 'sleep', '300']);
	assert.match(detached.stdout, /^[0-9a-f]{64}\n$/);
	assert.equal((await engine.client.docker.getContainer('client-detached').inspect()).State.Running, true);
	await engine.client.docker.getContainer('client-detached').remove({force: true});
	// A missing image is pulled first, as docker run does; the registry here (a port just closed) fails it.
	const closed = `127.0.0.1:${await freePort()}`;
	const unreachable = await berth([...host, 'run', `${closed}/no-such-image`]);
	assert.equal(unreachable.code, 125);
	assert.match(unreachable.stderr, new RegExp(`^Unable to find image '${closed}/no-such-image' locally\n.*registry ${closed} could not be reached: .*connection refused`, 's'));
	const never = await berth([...host, 'run', '--pull', 'never', 'no-such-image']);
	assert.deepEqual([never.code, never.stderr], [125, 'berth run: No such image: no-such-image:latest\n']);
});

test('berth import and berth load; berth run on dockerd too', async t => {
	const directory = mkdtempSync(path.join(tmpdir(), 'berth-client-'));
	const root = path.join(directory, 'root');
	execFileSync('mkdir', ['-p', `${root}/bin`, `${root}/etc`]);
	execFileSync('cp', [execFileSync('sh', ['-c', 'command -v busybox'], {encoding: 'utf8'}).trim(), `${root}/bin/busybox`]);
	execFileSync('ln', ['-s', 'busybox', `${root}/bin/sh`]);
	writeFileSync(`${root}/etc/motd`, 'imported\n');
	const tarFile = path.join(directory, 'root.tar');
	execFileSync('tar', ['-cf', tarFile, '-C', root, '.']);
	const imported = await berth(['-H', engine.url, 'import', tarFile, 'client/mini:1']);
	assert.match(imported.stdout, /^sha256:[0-9a-f]{64}\n$/);
	const ran = await berth(['-H', engine.url, 'run', '--rm', 'client/mini:1', 'sh', '-c', 'cat /etc/motd']);
	assert.equal(ran.stdout, 'imported\n');

	const daemon = await requireDaemon(t);
	if (!daemon) return;
	const archive = path.join(directory, 'saved.tar');
	execFileSync('docker', ['save', '-o', archive, testImage]);
	const loaded = await berth(['-H', engine.url, 'load', '-i', archive]);
	assert.equal(loaded.stdout, `Loaded image: ${testImage}:latest\n`);
	const onDockerd = await berth(['run', '--rm', '--network', 'none', testImage, 'echo', 'on dockerd'], undefined, {DOCKER_HOST: daemon.endpoint.url});
	assert.deepEqual([onDockerd.code, onDockerd.stdout], [0, 'on dockerd\n']);
});

test('berth load reads the archive from standard input', async t => {
	const daemon = await requireDaemon(t);
	if (!daemon) return;
	const directory = mkdtempSync(path.join(tmpdir(), 'berth-load-'));
	const archive = path.join(directory, 'saved.tar');
	execFileSync('docker', ['-H', daemon.endpoint.url, 'save', '-o', archive, testImage]);
	const loaded = await new Promise<{code: number; stdout: string}>(resolve => {
		const child = execFile('sh', ['-c', `"${process.execPath}" "${berthBin}" -H "${engine.url}" load < "${archive}"`], (error, stdout) => resolve({code: error ? 1 : 0, stdout}));
		child.stdin?.end();
	});
	assert.deepEqual(loaded, {code: 0, stdout: `Loaded image: ${testImage}:latest\n`});
	const onTerminal = new Terminal({args: ['-H', engine.url, 'load'], env: {DOCKER_HOST: undefined}});
	try {
		const refused = await onTerminal.waitFor('[end]');
		assert.match(refused, /berth load: reads the archive from standard input, which is a terminal here/);
	} finally {
		onTerminal.close();
	}
});

test('berth run -t gives the command a terminal, -it an interactive one', async () => {
	const screen = new Terminal({args: ['-H', engine.url, 'run', '--rm', '-it', 'host', 'sh'], env: {DOCKER_HOST: undefined}, columns: 90, rows: 20});
	try {
		await screen.waitFor(/^# ?$/m, 15_000);
		screen.type('tty; stty size; exit 5');
		screen.press('Enter');
		const after = await screen.waitFor('[end]', 15_000);
		assert.match(after, /^\/dev\/pts\/\d+$/m, 'a terminal of its own');
		assert.match(after, /^20 90$/m, 'the size of the client\'s terminal');
		assert.match(after, /\[exit 5\] icanon echo \[end\]/, 'its exit code, and the terminal back as it was');
	} finally {
		screen.close();
	}

	const plain = await berth(['-H', engine.url, 'run', '--rm', '-t', 'host', 'sh', '-c', 'tty']);
	assert.match(plain.stdout, /^\/dev\/pts\/\d+\r\n$/, '-t alone: a terminal, output raw');
});
