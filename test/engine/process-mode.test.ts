// berth's engine without root: containers are supervised process groups ("process" isolation).
// The engine runs here as the unprivileged user `nobody`, through the real docker CLI.
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {eventually as waitUntil} from '../helpers/daemon.ts';
import {after, before, test} from 'node:test';
import {requirePart} from '../helpers/ci.ts';
import {startTestEngine, type TestEngine} from '../helpers/engine.ts';

const nobody = 65_534;
let engine: TestEngine | undefined;
let missing: string | undefined;
before(async () => {
	if (process.getuid?.() !== 0) missing = 'dropping to an unprivileged engine needs root';
	else {
		try {
			execFileSync('docker', ['--version']);
		} catch {
			missing = 'no docker CLI on PATH (apt-get install docker.io)';
		}
	}

	if (!missing) engine = await startTestEngine({user: nobody});
});
after(async () => engine?.cleanup());

function ready(t: import('node:test').TestContext): TestEngine | undefined {
	return requirePart(t, missing) ? engine : undefined;
}

const processState = (pid: number) => {
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
};

const eventually = async (check: () => Promise<boolean> | boolean, what: string) => {
	if (!(await waitUntil(check, 8000))) assert.fail(`timed out waiting for ${what}`);
};

test('without root the engine says it runs containers as process groups', async t => {
	const docker = ready(t);
	if (!docker) return;
	const info = await docker.docker('info', '--format', '{{json .DriverStatus}} {{json .Warnings}}');
	assert.match(info.stdout, /\["Isolation","process"\],\["Why","not running as root[:"]/);
	assert.match(info.stdout, /containers are not isolated/);
});

test('process mode: run, logs, exit codes, stop with a signal, pause by SIGSTOP, stats from /proc, exec', async t => {
	const docker = ready(t);
	if (!docker) return;
	const {stdout: foreground} = await docker.docker('run', '--rm', 'host', 'sh', '-c', 'id -u; echo err >&2');
	assert.equal(foreground, `${nobody}\n`, 'the container runs as the engine\'s own user');
	const failed = await docker.docker('run', '--rm', 'host', 'sh', '-c', 'exit 9').catch((error: {code: number}) => error);
	assert.equal((failed as {code: number}).code, 9);

	await docker.docker('run', '-d', '--name', 'plain', '-e', 'WHO=proc', '-w', '/tmp', 'host', 'sh', '-c', 'echo "$WHO in $(pwd)"; sleep 300 & sleep 300');
	await eventually(async () => (await docker.docker('logs', 'plain')).stdout === 'proc in /tmp\n', 'the first line');
	const pid = Number((await docker.docker('inspect', '-f', '{{.State.Pid}}', 'plain')).stdout);
	assert.ok(pid > 1);
	const top = await docker.docker('top', 'plain');
	assert.equal(top.stdout.match(/:\d\d\s+sleep 300$/gm)?.length, 2, 'top lists the container\'s processes');

	await docker.docker('pause', 'plain');
	assert.equal((await docker.docker('inspect', '-f', '{{.State.Status}}', 'plain')).stdout.trim(), 'paused');
	await eventually(() => processState(pid) === 'T', 'the process to stop');
	await docker.docker('unpause', 'plain');
	await eventually(() => processState(pid) !== 'T', 'the process to go on');

	const stats = JSON.parse((await docker.docker('stats', '--no-stream', '--format', '{{json .}}', 'plain')).stdout) as {PIDs: string; MemUsage: string};
	assert.ok(Number(stats.PIDs) >= 3, `PIDs ${stats.PIDs}`);
	assert.match(stats.MemUsage, /^[\d.]+[KMG]iB/);

	const exec = await docker.docker('exec', 'plain', 'sh', '-c', 'echo "exec $WHO"');
	assert.equal(exec.stdout, 'exec proc\n');

	await docker.docker('stop', '-t', '2', 'plain');
	assert.equal((await docker.docker('inspect', '-f', '{{.State.Status}} {{.State.ExitCode}}', 'plain')).stdout.trim(), 'exited 143');
	// The whole group went: no sleep of the container's is left behind.
	const left = execFileSync('ps', ['-u', String(nobody), '-o', 'args=']).toString();
	assert.ok(!left.includes('sleep 300'), left);
	await docker.docker('rm', 'plain');

	const refused = await docker.docker('run', '--rm', '-v', '/tmp:/data', 'host', 'true').catch((error: {stderr: string}) => error);
	assert.match((refused as {stderr: string}).stderr, /bind mounts need namespaces/);
});
