// What the README says of berth's engine, each tried for real: `berth engine start|status|stop`,
// the TUI starting the engine on a machine with no Docker, the default paths and their owner-only
// permissions, network modes, the memory limit, log rotation, wait conditions, restart back-off,
// layers on load (whiteouts, opaque directories, order), volumes, `docker run -it` and streamed
// stats.
import assert from 'node:assert/strict';
import {execFile, spawn} from 'node:child_process';
import {mkdtempSync, readdirSync, readFileSync, rmSync, statSync} from 'node:fs';
import http from 'node:http';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {promisify} from 'node:util';
import type Docker from 'dockerode';
import {pack} from 'tar-stream';
import {enginePaths} from '../../source/shared/engine-paths.ts';
import {requirePart} from '../helpers/ci.ts';
import {eventually} from '../helpers/daemon.ts';
import {collectLogs} from '../helpers/logs.ts';
import {requireCgroups, requireNamespaces, startTestEngine, type TestEngine} from '../helpers/engine.ts';
import {berthBin, Terminal} from '../helpers/terminal.ts';

const run = promisify(execFile);
let engine: TestEngine;
let docker: Docker;
before(async () => {
	engine = await startTestEngine();
	docker = engine.client.docker;
});
after(async () => engine?.cleanup());

const name = (label: string) => `claim-${label}-${Math.random().toString(36).slice(2, 7)}`;
const logsOf = async (container: Docker.Container) => (await collectLogs(docker, container.id)).map(line => `${line.text}\n`).join('');

test('the default paths: /var/lib/berth and /run/berth as root, the XDG directories otherwise', () => {
	assert.deepEqual(enginePaths({}, 0), {stateDirectory: '/var/lib/berth', runDirectory: '/run/berth', socketPath: '/run/berth/engine.sock', pidFile: '/run/berth/engine.pid', logFile: '/var/lib/berth/engine.log'});
	const user = enginePaths({XDG_DATA_HOME: '/home/u/.data', XDG_RUNTIME_DIR: '/run/user/1000'}, 1000);
	assert.equal(user.stateDirectory, '/home/u/.data/berth');
	assert.equal(user.socketPath, '/run/user/1000/berth/engine.sock');
	assert.equal(enginePaths({XDG_DATA_HOME: '/home/u/.data'}, 1000).socketPath, '/home/u/.data/berth/run/engine.sock', 'no runtime directory: under the state');
});

test('berth engine start, status and stop; state and socket readable by their owner only', async () => {
	const root = mkdtempSync(path.join(tmpdir(), 'berth-claims-'));
	const env = {...process.env, BERTH_ENGINE_STATE: path.join(root, 'state'), BERTH_ENGINE_RUN: path.join(root, 'run'), NODE_EXTRA_CA_CERTS: undefined};
	const berth = (...args: string[]) => run(process.execPath, [berthBin, 'engine', ...args], {env}).catch((error: {stdout: string; stderr: string; code: number}) => error);
	try {
		const before = await berth('status');
		assert.equal((before as {code?: number}).code, 3, 'status says not running, with exit code 3');
		assert.match((before as {stdout: string}).stdout, /berth engine is not running/);
		const started = await berth('start');
		assert.equal((started as {stdout: string}).stdout.trim(), `unix://${path.join(root, 'run', 'engine.sock')}`);
		assert.equal(((await berth('start')) as {stdout: string}).stdout.trim(), `unix://${path.join(root, 'run', 'engine.sock')}`, 'start again is no error');
		const status = (await berth('status')) as {stdout: string};
		assert.match(status.stdout, /^pid +\d+$/m);
		assert.match(status.stdout, /^isolation +(namespaces|process) /m);
		assert.match(status.stdout, /^containers +0 \(0 running/m);
		const mode = (file: string) => statSync(file).mode & 0o777;
		assert.equal(mode(path.join(root, 'state')), 0o700, 'the state directory');
		assert.equal(mode(path.join(root, 'run')), 0o700, 'the run directory');
		assert.equal(mode(path.join(root, 'run', 'engine.sock')), 0o600, 'the socket');
		assert.equal(mode(path.join(root, 'run', 'engine.pid')), 0o600, 'the pid file');
		assert.match(((await berth('stop')) as {stdout: string}).stdout, /berth engine stopped/);
		assert.equal(((await berth('status')) as {code?: number}).code, 3);
		assert.match(((await berth('stop')) as {stdout: string}).stdout, /not running/);
	} finally {
		await berth('stop');
		rmSync(root, {recursive: true, force: true});
	}
});

test('on a machine with no Docker, berth starts its own engine and opens on it', async t => {
	// No Docker here, made so: a mount namespace where /run (and /var/run) are empty, so no Docker socket is found.
	if (!requirePart(t, process.getuid?.() === 0 ? undefined : 'hiding the Docker socket needs root (a mount namespace)')) return;
	const root = mkdtempSync(path.join(tmpdir(), 'berth-nodocker-'));
	const env = {BERTH_ENGINE_STATE: path.join(root, 'state'), BERTH_ENGINE_RUN: path.join(root, 'run'), DOCKER_HOST: undefined, HOME: root, XDG_RUNTIME_DIR: undefined};
	const hide = 'mount -t tmpfs none /run && { [ -L /var/run ] || mount -t tmpfs none /var/run; } && exec node "$0"';
	const screen = new Terminal({command: ['unshare', '--mount', '--propagation', 'private', 'sh', '-c', hide, berthBin], env, columns: 120, rows: 30});
	try {
		const shown = await screen.waitFor(/berth engine [\d.]+ │ \d+\/\d+ running/, 20_000);
		assert.ok(shown.includes(path.join(root, 'run', 'engine.sock')), 'on the engine it started');
		screen.press('q');
		await screen.waitFor('[exit 0]');
		const status = await run(process.execPath, [berthBin, 'engine', 'status'], {env: {...process.env, ...env}});
		assert.match(status.stdout, /^pid +\d+$/m, 'the engine keeps running after the TUI exits');
	} finally {
		screen.close();
		await run(process.execPath, [berthBin, 'engine', 'stop'], {env: {...process.env, ...env}}).catch(() => undefined);
		rmSync(root, {recursive: true, force: true});
	}
});

test('network mode none gives a namespace with only loopback; host shares the host\'s', async t => {
	if (!(await requireNamespaces(t, engine))) return;
	const interfaces = async (mode: string) => {
		const container = await docker.createContainer({name: name(mode), Image: 'host', Cmd: ['sh', '-c', 'tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d " "'], HostConfig: {NetworkMode: mode}});
		await container.start();
		await container.wait();
		const text = await logsOf(container);
		await container.remove();
		return text.split('\n').filter(Boolean).sort();
	};

	assert.deepEqual(await interfaces('none'), ['lo']);
	const own = readFileSync('/proc/net/dev', 'utf8').split('\n').slice(2).map(line => line.split(':')[0]!.trim()).filter(Boolean).sort();
	assert.deepEqual(await interfaces('host'), own);
});

test('--memory is enforced: a container that takes more is killed, and says it was OOM', async t => {
	if (!(await requireCgroups(t, engine))) return;
	const container = await docker.createContainer({name: name('oom'), Image: 'host', Cmd: ['sh', '-c', 'a=$(head -c 200000000 /dev/zero | tr "\\000" x); echo survived'], HostConfig: {Memory: 32 * 1024 * 1024}});
	const events = (await docker.getEvents({filters: {type: ['container'], event: ['oom'], container: [container.id]}})) as NodeJS.ReadableStream & {destroy(): void};
	let oom = false;
	events.on('data', () => (oom = true));
	await container.start();
	const {StatusCode} = await container.wait();
	assert.notEqual(StatusCode, 0, 'it did not finish its work');
	assert.equal((await container.inspect()).State.OOMKilled, true);
	assert.doesNotMatch(await logsOf(container), /survived/);
	assert.ok(await eventually(() => oom), 'an oom event');
	events.destroy();
	await container.remove();
});

test('--log-opt max-size and max-file rotate the log; the API reads what was kept', async () => {
	const container = await docker.createContainer({
		name: name('rotate'),
		Image: 'host',
		Cmd: ['sh', '-c', 'i=0; while [ $i -lt 300 ]; do i=$((i+1)); echo "line $i of a log long enough to rotate"; done'],
		HostConfig: {LogConfig: {Type: 'json-file', Config: {'max-size': '2k', 'max-file': '3'}}},
	});
	await container.start();
	await container.wait();
	const {LogPath} = await container.inspect();
	const files = readdirSync(path.dirname(LogPath)).filter(file => file.startsWith(path.basename(LogPath))).sort();
	assert.deepEqual(files, [path.basename(LogPath), `${path.basename(LogPath)}.1`, `${path.basename(LogPath)}.2`], 'the current file and two rotated ones');
	for (const file of files) assert.ok(statSync(path.join(path.dirname(LogPath), file)).size <= 2048 + 200, `${file} stays near max-size`);
	const kept = (await logsOf(container)).trim().split('\n');
	assert.ok(kept.length < 300 && kept.length > 10, `only what was kept (${kept.length} lines)`);
	assert.match(kept.at(-1)!, /line 300 /);
	assert.doesNotMatch(kept[0]!, /line 1 /);
	const bad = await docker.createContainer({Image: 'host', Cmd: ['true'], HostConfig: {LogConfig: {Type: 'json-file', Config: {'max-size': 'lots'}}}}).catch((error: {statusCode: number}) => error);
	assert.equal((bad as {statusCode: number}).statusCode, 400, 'a bad max-size is refused at create');
	await container.remove();
});

/** POST /containers/ID/wait?condition=…, answered when the condition holds. */
function waitFor(id: string, condition: string): Promise<{StatusCode: number}> {
	return new Promise((resolve, reject) => {
		const request = http.request({socketPath: engine.socketPath, method: 'POST', path: `/containers/${id}/wait?condition=${condition}`}, response => {
			let text = '';
			response.on('data', chunk => (text += chunk));
			response.on('end', () => resolve(JSON.parse(text) as {StatusCode: number}));
		});
		request.on('error', reject);
		request.end();
	});
}

test('wait conditions: next-exit answers at the next exit of a created container, removed once it is gone', async () => {
	const container = await docker.createContainer({name: name('wait'), Image: 'host', Cmd: ['sh', '-c', 'exit 7']});
	let exited = false;
	const nextExit = waitFor(container.id, 'next-exit').then(result => {
		exited = true;
		return result;
	});
	const removed = waitFor(container.id, 'removed');
	// Not before it has even run: a container that has not started has not exited.
	await (await docker.getContainer(container.id)).inspect();
	assert.equal(exited, false);
	await container.start();
	assert.equal((await nextExit).StatusCode, 7);
	let gone = false;
	void removed.then(() => (gone = true));
	assert.equal((await container.inspect()).State.Status, 'exited');
	assert.equal(gone, false, 'not removed yet');
	await container.remove();
	assert.equal((await removed).StatusCode, 7);
});

test('restart back-off: from 100 ms, doubling between runs that fail at once', async () => {
	const container = await docker.createContainer({name: name('backoff'), Image: 'host', Cmd: ['sh', '-c', 'exit 1'], HostConfig: {RestartPolicy: {Name: 'always'}}});
	const events = (await docker.getEvents({filters: {type: ['container'], event: ['start', 'die'], container: [container.id]}})) as NodeJS.ReadableStream & {destroy(): void};
	const seen: Array<{action: string; at: number}> = [];
	events.on('data', (chunk: Buffer) => {
		for (const line of chunk.toString().split('\n').filter(Boolean)) {
			const event = JSON.parse(line) as {Action: string; timeNano: number};
			seen.push({action: event.Action, at: event.timeNano / 1e6});
		}
	});
	await container.start();
	assert.ok(await eventually(() => seen.filter(event => event.action === 'start').length >= 5, 20_000), 'restarted again and again');
	await container.stop({t: 0});
	events.destroy();
	// From each exit to the next start: at least the back-off, which doubles (a loaded machine only adds to it).
	const gaps: number[] = [];
	for (const [index, event] of seen.entries()) if (event.action === 'start' && index > 0 && seen[index - 1]!.action === 'die') gaps.push(event.at - seen[index - 1]!.at);
	assert.ok(gaps.length >= 4, JSON.stringify(seen));
	for (const [index, gap] of gaps.slice(0, 4).entries()) assert.ok(gap >= 100 * 2 ** index - 5, `back-off ${index + 1} was ${gap.toFixed(0)} ms, at least ${100 * 2 ** index}`);
	await container.remove({force: true});
});

type Entry = {name: string; type?: 'file' | 'directory' | 'symlink'; body?: string | Buffer; linkname?: string};

async function tarOf(entries: Entry[]): Promise<Buffer> {
	const archive = pack();
	const chunks: Buffer[] = [];
	archive.on('data', (chunk: unknown) => chunks.push(chunk as Buffer));
	const done = new Promise<void>(resolve => archive.on('end', () => resolve()));
	for (const entry of entries) {
		await new Promise<void>((resolve, reject) => {
			archive.entry({name: entry.name, type: entry.type ?? 'file', linkname: entry.linkname, mode: entry.type === 'directory' ? 0o755 : entry.name.startsWith('bin/') ? 0o755 : 0o644}, entry.body ?? '', error => (error ? reject(error) : resolve()));
		});
	}

	archive.finalize();
	await done;
	return Buffer.concat(chunks);
}

test('docker load applies layers in order: a whiteout deletes, an opaque directory empties, a later file wins', async t => {
	if (!(await requireNamespaces(t, engine))) return;
	const busybox = ['/bin/busybox', '/usr/bin/busybox'].find(file => statSync(file, {throwIfNoEntry: false}));
	if (!requirePart(t, busybox ? undefined : 'no static busybox (apt-get install busybox-static)')) return;
	const binary = readFileSync(busybox!);
	const base = await tarOf([
		{name: 'bin/', type: 'directory'},
		{name: 'bin/busybox', body: binary},
		{name: 'bin/sh', type: 'symlink', linkname: 'busybox'},
		{name: 'a/', type: 'directory'},
		{name: 'a/gone', body: 'deleted above'},
		{name: 'a/stays', body: 'kept'},
		{name: 'b/', type: 'directory'},
		{name: 'b/old', body: 'hidden by the opaque marker above'},
		{name: 'which', body: 'first'},
	]);
	const upper = await tarOf([
		{name: 'a/', type: 'directory'},
		{name: 'a/.wh.gone'},
		{name: 'b/', type: 'directory'},
		{name: 'b/.wh..wh..opq'},
		{name: 'b/new', body: 'from the upper layer'},
		{name: 'which', body: 'second'},
	]);
	const {createHash} = await import('node:crypto');
	const sha = (buffer: Buffer) => createHash('sha256').update(buffer).digest('hex');
	const config = Buffer.from(JSON.stringify({architecture: 'amd64', os: 'linux', config: {Cmd: ['/bin/busybox', 'sh']}, rootfs: {type: 'layers', diff_ids: [`sha256:${sha(base)}`, `sha256:${sha(upper)}`]}}));
	const archive = await tarOf([
		{name: 'base/layer.tar', body: base},
		{name: 'upper/layer.tar', body: upper},
		{name: `${sha(config)}.json`, body: config},
		{name: 'manifest.json', body: JSON.stringify([{Config: `${sha(config)}.json`, RepoTags: ['layered:test'], Layers: ['base/layer.tar', 'upper/layer.tar']}])},
	]);
	const response = (await docker.loadImage(archive as never)) as unknown as NodeJS.ReadableStream;
	let text = '';
	for await (const chunk of response as AsyncIterable<Buffer>) text += chunk.toString();
	assert.match(text, /Loaded image: layered:test/);
	const container = await docker.createContainer({name: name('layers'), Image: 'layered:test', Cmd: ['/bin/busybox', 'sh', '-c', 'echo "a: $(/bin/busybox ls /a)"; echo "b: $(/bin/busybox ls /b)"; echo "which: $(/bin/busybox cat /which)"']});
	await container.start();
	await container.wait();
	assert.equal(await logsOf(container), 'a: stays\nb: new\nwhich: second\n');
	await container.remove();
	await docker.getImage('layered:test').remove();
});

test('docker volume create and inspect, through the docker CLI; create and destroy are events', async () => {
	const volume = name('vol');
	const since = Math.floor(Date.now() / 1000);
	const created = await engine.docker('volume', 'create', '--label', 'tier=data', volume);
	assert.equal(created.stdout.trim(), volume);
	const inspect = await engine.docker('volume', 'inspect', '--format', '{{.Name}} {{.Driver}} {{.Labels.tier}} {{.Mountpoint}}', volume);
	const [shownName, driver, label, mountpoint] = inspect.stdout.trim().split(' ');
	assert.deepEqual([shownName, driver, label], [volume, 'local', 'data']);
	assert.ok(statSync(mountpoint!).isDirectory(), 'its mountpoint exists');
	const listed = await engine.docker('volume', 'ls', '--format', '{{.Name}}');
	assert.ok(listed.stdout.split('\n').includes(volume));
	await engine.docker('volume', 'rm', volume);
	const missing = await engine.docker('volume', 'inspect', volume).catch((error: {stderr: string}) => error);
	assert.match((missing as {stderr: string}).stderr, /no such volume/i);
	const events = await engine.docker('events', '--since', String(since), '--until', String(Math.floor(Date.now() / 1000) + 1), '--filter', 'type=volume', '--filter', `volume=${volume}`, '--format', '{{.Type}} {{.Action}} {{.Actor.ID}}');
	assert.deepEqual(events.stdout.trim().split('\n'), [`volume create ${volume}`, `volume destroy ${volume}`]);
});

test('docker run -it, in a real terminal: a shell that answers, and the exit code back', async () => {
	const screen = new Terminal({command: ['docker', '-H', engine.url, 'run', '-it', '--rm', 'host', 'sh'], env: {DOCKER_HOST: undefined}});
	try {
		await screen.waitFor(/^# ?$/m, 15_000);
		screen.type('echo $((6*7)); exit 3');
		// What is typed is echoed by the container's terminal, as dockerd's does.
		await screen.waitFor('# echo $((6*7)); exit 3');
		screen.press('Enter');
		const after = await screen.waitFor('[end]', 15_000);
		assert.match(after, /^42$/m);
		assert.match(after, /\[exit 3\] icanon echo \[end\]/);
	} finally {
		screen.close();
	}
});

test('docker stats streams: new figures keep coming for a running container', async () => {
	const container = await docker.createContainer({name: name('stats'), Image: 'host', Cmd: ['sleep', '300']});
	await container.start();
	const child = spawn('docker', ['-H', engine.url, 'stats', '--format', '{{.Name}} {{.MemUsage}}', container.id], {env: {...process.env, DOCKER_HOST: ''}});
	let output = '';
	child.stdout.on('data', chunk => (output += String(chunk)));
	try {
		assert.ok(await eventually(() => (output.match(new RegExp(`claim-stats-\\w+ `, 'g'))?.length ?? 0) >= 3, 15_000), `three readings: ${JSON.stringify(output)}`);
	} finally {
		const exited = new Promise(resolve => child.once('exit', resolve));
		child.kill('SIGKILL');
		await exited;
		await container.remove({force: true});
	}
});
