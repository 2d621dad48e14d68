// The real docker CLI against berth's engine (`docker -H unix://SOCKET ...`).
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {existsSync, mkdtempSync, rmSync} from 'node:fs';
import {after, before, test} from 'node:test';
import {requirePart} from '../helpers/ci.ts';
import {eventually} from '../helpers/daemon.ts';
import {requireCgroups, startTestEngine, type TestEngine} from '../helpers/engine.ts';

let engine: TestEngine;
let cliMissing: string | undefined;
before(async () => {
	try {
		execFileSync('docker', ['--version']);
	} catch {
		cliMissing = 'no docker CLI on PATH (apt-get install docker.io)';
	}

	engine = await startTestEngine();
});
after(async () => engine?.cleanup());

function requireCli(t: import('node:test').TestContext): boolean {
	return requirePart(t, cliMissing);
}

const name = (label: string) => `cli-${label}-${Math.random().toString(36).slice(2, 7)}`;

test('docker version and info talk to the engine', async t => {
	if (!requireCli(t)) return;
	const {stdout} = await engine.docker('version', '--format', '{{.Server.Version}} {{.Server.APIVersion}}');
	assert.match(stdout.trim(), /^\d+\.\d+\.\d+ 1\.41$/);
	const info = await engine.docker('info', '--format', '{{.Driver}} {{.OSType}}');
	assert.equal(info.stdout.trim(), 'berth linux');
});

test('docker run -d with -e, -w, -u, --name and --network, then ps, logs, inspect', async t => {
	if (!requireCli(t)) return;
	const container = name('run');
	const {stdout: id} = await engine.docker('run', '-d', '--name', container, '-e', 'GREETING=hello', '-w', '/tmp', '-u', 'nobody', '--network', 'none', 'host', 'sh', '-c', 'echo "$GREETING from $(pwd) as $(id -un)"; sleep 300');
	assert.match(id.trim(), /^[0-9a-f]{64}$/);
	const ps = await engine.docker('ps', '--filter', `name=${container}`, '--format', '{{.Names}} {{.Image}} {{.Status}}');
	assert.match(ps.stdout.trim(), new RegExp(`^${container} host Up `));
	const quiet = await engine.docker('ps', '-q', '--filter', `name=${container}`);
	assert.equal(quiet.stdout.trim(), id.trim().slice(0, 12));
	let logs = '';
	assert.ok(await eventually(async () => (logs = (await engine.docker('logs', container)).stdout).includes('hello'), 8000));
	assert.equal(logs.trim(), 'hello from /tmp as nobody');
	const timestamps = await engine.docker('logs', '-t', '--tail', '1', container);
	assert.match(timestamps.stdout, /^\d{4}-\d\d-\d\dT[\d:.]+Z hello from \/tmp as nobody\n$/);
	const inspect = await engine.docker('inspect', '--format', '{{.State.Status}} {{.Config.WorkingDir}} {{.Config.User}} {{.HostConfig.NetworkMode}}', container);
	assert.equal(inspect.stdout.trim(), 'running /tmp nobody none');
	await engine.docker('rm', '-f', container);
	const gone = await engine.docker('ps', '-a', '-q', '--filter', `name=${container}`);
	assert.equal(gone.stdout.trim(), '');
});

test('docker stop, start, restart, kill -s, rename, wait and rm', async t => {
	if (!requireCli(t)) return;
	const container = name('life');
	// --init: tini passes the signals on to sleep, which dies of them (as docker run --init does).
	await engine.docker('run', '-d', '--init', '--name', container, 'host', 'sleep', '300');
	await engine.docker('stop', '-t', '2', container);
	assert.equal((await engine.docker('inspect', '-f', '{{.State.Status}} {{.State.ExitCode}}', container)).stdout.trim(), 'exited 143');
	await engine.docker('start', container);
	assert.equal((await engine.docker('inspect', '-f', '{{.State.Running}}', container)).stdout.trim(), 'true');
	await engine.docker('restart', '-t', '1', container);
	assert.equal((await engine.docker('inspect', '-f', '{{.State.Running}}', container)).stdout.trim(), 'true');
	const renamed = `${container}-new`;
	await engine.docker('rename', container, renamed);
	const waiting = engine.docker('wait', renamed);
	await engine.docker('kill', '-s', 'USR1', renamed);
	assert.equal((await waiting).stdout.trim(), '138');
	const refused = await engine.docker('rm', 'no-such-container').catch((error: {stderr: string}) => error);
	assert.match((refused as {stderr: string}).stderr, /No such container: no-such-container/);
	await engine.docker('rm', renamed);
});

test('docker images lists the built-in host image; docker events replays --since/--until', async t => {
	if (!requireCli(t)) return;
	const images = await engine.docker('images', '--format', '{{.Repository}}:{{.Tag}}');
	assert.match(images.stdout, /^host:latest$/m);
	const since = Math.floor(Date.now() / 1000) - 1;
	const container = name('events');
	await engine.docker('run', '-d', '--name', container, 'host', 'true');
	await engine.docker('wait', container);
	await engine.docker('rm', container);
	const until = Math.ceil(Date.now() / 1000) + 1;
	const events = await engine.docker('events', '--since', String(since), '--until', String(until), '--filter', `container=${container}`, '--format', '{{.Type}} {{.Action}}');
	assert.deepEqual(events.stdout.trim().split('\n'), ['container create', 'container start', 'container die', 'container destroy']);
});

test('docker logs -f follows a running container to its end', async t => {
	if (!requireCli(t)) return;
	const container = name('follow');
	await engine.docker('run', '-d', '--name', container, 'host', 'sh', '-c', 'for i in 1 2 3 4 5; do echo "line $i"; echo "warn $i" >&2; sleep 0.2; done');
	// Started while the container still writes: the CLI prints what comes and returns when it exits.
	const started = Date.now();
	const {stdout, stderr} = await engine.docker('logs', '-f', '--tail', 'all', container);
	assert.equal(stdout, 'line 1\nline 2\nline 3\nline 4\nline 5\n');
	assert.equal(stderr, 'warn 1\nwarn 2\nwarn 3\nwarn 4\nwarn 5\n');
	assert.ok(Date.now() - started > 300, 'it followed instead of returning what was there');
	const since = await engine.docker('logs', '--since', '1h', '--tail', '2', container);
	// --tail counts entries of both streams together, as dockerd does.
	assert.deepEqual([since.stdout, since.stderr], ['line 5\n', 'warn 5\n']);
	await engine.docker('rm', container);
});

test('the host image is read-only all the way down; /dev, /run, /sys and /dev/shm are the container\'s own', async t => {
	if (!requireCli(t)) return;
	// A file system mounted below the host's root stays read-only inside.
	const below = mkdtempSync('/var/tmp/berth-submount-');
	execFileSync('mount', ['-t', 'tmpfs', 'tmpfs', below]);
	t.after(() => {
		execFileSync('umount', [below]);
		rmSync(below, {recursive: true});
	});
	const probe = await engine.docker('run', '--rm', 'host', 'sh', '-c', `touch ${below}/x 2>&1; touch /etc/hosts 2>&1; echo "run:$(ls -A /run) shm:$(ls -A /dev/shm)"; ls /dev | tr '\\n' ' '; echo; touch /sys/x 2>&1; touch /dev/shm/ok /run/ok && echo private-writable`);
	const lines = probe.stdout.split('\n');
	assert.match(lines[0]!, /Read-only file system/);
	assert.match(lines[1]!, /\/etc\/hosts'?: Read-only file system/);
	assert.equal(lines[2], 'run: shm:');
	assert.equal(lines[3], 'fd full mqueue null ptmx pts random shm stderr stdin stdout tty urandom zero ', 'the devices dockerd gives');
	assert.match(lines[4]!, /\/sys\/x'?: Read-only file system/);
	assert.equal(lines[5], 'private-writable');
	assert.ok(!existsSync(`${below}/x`));
});

test('docker run in the foreground: output, exit code, --rm, and -i with piped input', async t => {
	if (!requireCli(t)) return;
	const {stdout} = await engine.docker('run', '--rm', 'host', 'sh', '-c', 'echo out; echo err >&2');
	assert.equal(stdout, 'out\n');
	const failed = await engine.docker('run', '--rm', 'host', 'sh', '-c', 'exit 7').catch((error: {code: number}) => error);
	assert.equal((failed as {code: number}).code, 7, 'the CLI exits with the container\'s code');
	const {execFile} = await import('node:child_process');
	const piped = await new Promise<string>((resolve, reject) => {
		const child = execFile('docker', ['-H', engine.url, 'run', '--rm', '-i', 'host', 'sh', '-c', 'while read line; do echo "got $line"; done'], (error, out) => (error ? reject(error) : resolve(out)));
		child.stdin?.end('one\ntwo\n');
	});
	assert.equal(piped, 'got one\ngot two\n');
	const left = await engine.docker('ps', '-a', '-q', '--filter', 'ancestor=host', '--filter', 'status=exited');
	assert.equal(left.stdout.trim(), '', '--rm removed them');
});

test('stats, top, pause and unpause', async t => {
	if (!requireCli(t)) return;
	const container = name('limits');
	await engine.docker('run', '-d', '--name', container, '--memory', '64m', '--cpus', '0.5', '--pids-limit', '8', 'host', 'sh', '-c', 'while true; do :; done');
	const inspect = await engine.docker('inspect', '-f', '{{.HostConfig.Memory}} {{.HostConfig.NanoCpus}} {{.HostConfig.PidsLimit}}', container);
	assert.equal(inspect.stdout.trim(), '67108864 500000000 8');
	const cpu = async () => Number.parseFloat((await engine.docker('stats', '--no-stream', '--format', '{{.CPUPerc}}', container)).stdout);
	assert.ok(await eventually(async () => (await cpu()) > 5, 10_000), 'a busy loop uses CPU');
	const stats = await engine.docker('stats', '--no-stream', '--format', '{{.PIDs}}', container);
	assert.ok(Number(stats.stdout) >= 1);

	const top = await engine.docker('top', container);
	assert.match(top.stdout, /PID/);
	assert.match(top.stdout, /while true/);

	await engine.docker('pause', container);
	assert.equal((await engine.docker('inspect', '-f', '{{.State.Status}} {{.State.Paused}}', container)).stdout.trim(), 'paused true');
	assert.ok(await eventually(async () => (await cpu()) < 5, 10_000), 'a paused container uses no CPU');
	const again = await engine.docker('pause', container).catch((error: {stderr: string}) => error);
	assert.match((again as {stderr: string}).stderr, /already paused/);
	await engine.docker('unpause', container);
	assert.equal((await engine.docker('inspect', '-f', '{{.State.Status}}', container)).stdout.trim(), 'running');
	await engine.docker('rm', '-f', container);
});

test('the cgroup enforces --memory, --cpus and --pids-limit', async t => {
	if (!requireCli(t) || !(await requireCgroups(t, engine))) return;
	const container = name('cgroup');
	await engine.docker('run', '-d', '--name', container, '--memory', '64m', '--cpus', '0.5', 'host', 'sh', '-c', 'while true; do :; done');
	const limit = (await engine.docker('stats', '--no-stream', '--format', '{{.MemUsage}}', container)).stdout.trim().split(' / ')[1];
	assert.equal(limit, '64MiB', 'the memory limit is the cgroup\'s');
	// Over a few readings: a loop held to half a core never shows much more (load can only make it less).
	for (let reading = 0; reading < 3; reading++) {
		const cpu = Number.parseFloat((await engine.docker('stats', '--no-stream', '--format', '{{.CPUPerc}}', container)).stdout);
		assert.ok(cpu < 75, `--cpus 0.5 holds the loop near half a core: ${cpu}`);
	}

	await engine.docker('rm', '-f', container);
	const script = 'for i in 1 2 3 4 5 6 7 8 9 10; do sleep 1 & done; echo all started';
	assert.equal((await engine.docker('run', '--rm', 'host', 'sh', '-c', script)).stdout.trim(), 'all started');
	const limited = await engine.docker('run', '--rm', '--pids-limit', '5', 'host', 'sh', '-c', script).catch((error: {stderr: string; code: number}) => error);
	assert.match((limited as {stderr: string}).stderr, /Cannot fork/i, 'the pids limit stops the sixth process');
});

test('docker exec: output, exit code, -i input, -u and -w, inside the container', async t => {
	if (!requireCli(t)) return;
	const container = name('exec');
	await engine.docker('run', '-d', '--name', container, '-w', '/tmp', 'host', 'sleep', '300');
	const where = await engine.docker('exec', container, 'sh', '-c', 'echo "$(pwd) $(id -un) $(hostname)"; echo oops >&2');
	const hostname = (await engine.docker('inspect', '-f', '{{.Config.Hostname}}', container)).stdout.trim();
	assert.equal(where.stdout.trim(), `/tmp root ${hostname}`, 'the container\'s working dir and hostname');
	assert.equal(where.stderr.trim(), 'oops');
	const failed = await engine.docker('exec', container, 'sh', '-c', 'exit 9').catch((error: {code: number}) => error);
	assert.equal((failed as {code: number}).code, 9);
	const asNobody = await engine.docker('exec', '-u', 'nobody', '-w', '/', container, 'sh', '-c', 'echo "$(id -un) $(pwd)"');
	assert.equal(asNobody.stdout.trim(), 'nobody /');
	const {execFile} = await import('node:child_process');
	const upper = await new Promise<string>((resolve, reject) => {
		const child = execFile('docker', ['-H', engine.url, 'exec', '-i', container, 'tr', 'a-z', 'A-Z'], (error, out) => (error ? reject(error) : resolve(out)));
		child.stdin?.end('quiet please\n');
	});
	assert.equal(upper, 'QUIET PLEASE\n');
	const stopped = name('exec-stopped');
	await engine.docker('create', '--name', stopped, 'host', 'true');
	const refused = await engine.docker('exec', stopped, 'true').catch((error: {stderr: string}) => error);
	assert.match((refused as {stderr: string}).stderr, /is not running/);
	await engine.docker('rm', '-f', container, stopped);
});

test('docker run -v binds host paths read-write and read-only; a bad source is refused clearly', async t => {
	if (!requireCli(t)) return;
	const {mkdtempSync, readFileSync, writeFileSync} = await import('node:fs');
	const {tmpdir} = await import('node:os');
	const path = await import('node:path');
	const directory = mkdtempSync(path.join(tmpdir(), 'berth-bind-'));
	writeFileSync(path.join(directory, 'in.txt'), 'from the host\n');
	const rw = await engine.docker('run', '--rm', '-v', `${directory}:/tmp/data`, 'host', 'sh', '-c', 'cat /tmp/data/in.txt; echo from the container > /tmp/data/out.txt');
	assert.equal(rw.stdout, 'from the host\n');
	assert.equal(readFileSync(path.join(directory, 'out.txt'), 'utf8'), 'from the container\n');
	const ro = await engine.docker('run', '--rm', '-v', `${directory}:/tmp/data:ro`, 'host', 'sh', '-c', 'echo no > /tmp/data/x 2>/dev/null && echo written || echo refused');
	assert.equal(ro.stdout.trim(), 'refused');
	const inspect = await engine.docker('create', '-v', `${directory}:/tmp/data:ro`, 'host', 'true');
	const mounts = JSON.parse((await engine.docker('inspect', '-f', '{{json .Mounts}}', inspect.stdout.trim())).stdout) as Array<{Source: string; Destination: string; RW: boolean}>;
	assert.deepEqual(mounts.map(mount => [mount.Source, mount.Destination, mount.RW]), [[directory, '/tmp/data', false]]);
	await engine.docker('rm', inspect.stdout.trim());
	const bad = await engine.docker('run', '--rm', '-v', 'relative/path:/tmp/x', 'host', 'true').catch((error: {stderr: string}) => error);
	assert.match((bad as {stderr: string}).stderr, /neither an absolute path nor a volume name/);
});

test('named volumes: made on first use, kept between containers, refused removal while in use', async t => {
	if (!requireCli(t)) return;
	const volume = name('vol');
	await engine.docker('run', '--rm', '-v', `${volume}:/tmp/data`, 'host', 'sh', '-c', 'echo kept > /tmp/data/file');
	const read = await engine.docker('run', '--rm', '-v', `${volume}:/tmp/data:ro`, 'host', 'cat', '/tmp/data/file');
	assert.equal(read.stdout, 'kept\n');
	assert.match((await engine.docker('volume', 'ls', '-q')).stdout, new RegExp(`^${volume}$`, 'm'));
	const user = name('voluser');
	await engine.docker('create', '--name', user, '-v', `${volume}:/tmp/x`, 'host', 'true');
	const mounts = JSON.parse((await engine.docker('inspect', '-f', '{{json .Mounts}}', user)).stdout) as Array<{Type: string; Name: string}>;
	assert.deepEqual(mounts.map(mount => [mount.Type, mount.Name]), [['volume', volume]]);
	const refused = await engine.docker('volume', 'rm', volume).catch((error: {stderr: string}) => error);
	assert.match((refused as {stderr: string}).stderr, /volume is in use/);
	await engine.docker('rm', user);
	await engine.docker('volume', 'rm', volume);
	assert.doesNotMatch((await engine.docker('volume', 'ls', '-q')).stdout, new RegExp(`^${volume}$`, 'm'));
});

test('docker exec -it and docker attach in a real terminal', async t => {
	if (!requireCli(t)) return;
	const {Terminal} = await import('../helpers/terminal.ts');
	const container = name('it');
	await engine.docker('run', '-d', '-it', '--name', container, 'host', 'sh');
	const shell = new Terminal({command: ['docker', '-H', engine.url, 'exec', '-it', container, 'sh'], columns: 100, rows: 30});
	try {
		await shell.waitFor('#');
		shell.type('stty size; echo $((6*7)); exit 3');
		shell.press('Enter');
		const screen = await shell.waitFor('[end]');
		assert.match(screen, /^(# )?30 100\r?$/m, 'the exec\'s terminal has the client\'s size');
		assert.match(screen, /^42\r?$/m);
		assert.match(screen, /\[exit 3\]/, 'its exit status is the CLI\'s');
	} finally {
		shell.close();
	}

	const attached = new Terminal({command: ['docker', '-H', engine.url, 'attach', container], columns: 100, rows: 30});
	try {
		attached.type('echo attached to $((40+2))');
		attached.press('Enter');
		await attached.waitFor(/attached to 42\r?$/m);
		attached.type('exit 4');
		attached.press('Enter');
		await attached.waitFor('[exit 4]');
	} finally {
		attached.close();
	}

	assert.equal((await engine.docker('inspect', '-f', '{{.State.ExitCode}}', container)).stdout.trim(), '4');
	await engine.docker('rm', container);
});

test('health checks: --health-cmd and friends; starting, unhealthy after the retries, healthy once the check passes; events, the ps status, the health filter', async t => {
	if (!requireCli(t)) return;
	const container = name('health');
	const since = Math.floor(Date.now() / 1000) - 1;
	await engine.docker('run', '-d', '--name', container, '--health-cmd', 'test -e /tmp/ok && echo fine', '--health-interval', '100ms', '--health-retries', '2', '--health-timeout', '2s', 'host', 'sleep', '300');
	const health = async () => JSON.parse((await engine.docker('inspect', '-f', '{{json .State.Health}}', container)).stdout) as {Status: string; FailingStreak: number; Log: Array<{ExitCode: number; Output: string}>};
	assert.match((await engine.docker('inspect', '-f', '{{json .Config.Healthcheck}}', container)).stdout, /"Test":\["CMD-SHELL","test -e \/tmp\/ok && echo fine"\],"Interval":100000000,"Timeout":2000000000,"Retries":2/);
	assert.ok(await eventually(async () => (await health()).Status === 'unhealthy', 10_000), 'unhealthy after two failures');
	assert.ok((await health()).FailingStreak >= 2);
	assert.match((await engine.docker('ps', '--filter', `name=${container}`, '--format', '{{.Status}}')).stdout, /^Up .* \(unhealthy\)\n$/);
	await engine.docker('exec', container, 'touch', '/tmp/ok');
	assert.ok(await eventually(async () => (await health()).Status === 'healthy', 10_000), 'healthy once the check passes');
	const last = (await health()).Log.at(-1)!;
	assert.deepEqual([last.ExitCode, last.Output], [0, 'fine\n']);
	assert.match((await engine.docker('ps', '--filter', 'health=healthy', '--format', '{{.Names}} {{.Status}}')).stdout, new RegExp(`^${container} Up .* \\(healthy\\)$`, 'm'));
	const until = Math.ceil(Date.now() / 1000) + 1;
	const events = (await engine.docker('events', '--since', String(since), '--until', String(until), '--filter', `container=${container}`, '--filter', 'event=health_status', '--format', '{{.Action}}')).stdout.trim().split('\n');
	assert.deepEqual(events, ['health_status: unhealthy', 'health_status: healthy']);
	await engine.docker('rm', '-f', container);

	// A check that outlives its timeout is killed and counts as failed; a refused interval is named.
	const slow = name('slow-health');
	await engine.docker('run', '-d', '--name', slow, '--health-cmd', 'sleep 5', '--health-interval', '100ms', '--health-timeout', '200ms', '--health-retries', '1', 'host', 'sleep', '300');
	assert.ok(await eventually(async () => (JSON.parse((await engine.docker('inspect', '-f', '{{json .State.Health}}', slow)).stdout) as {Status: string}).Status === 'unhealthy', 10_000));
	assert.match((await engine.docker('inspect', '-f', '{{(index .State.Health.Log 0).Output}}', slow)).stdout, /Health check exceeded timeout \(0.2s\)/);
	await engine.docker('rm', '-f', slow);
});
