// A container's files from outside, on berth's engine, with the docker CLI, beside dockerd where
// the answer should be the same: docker cp both ways (running and stopped), diff, export, commit
// and update. A symlink the container holds never leads a copy out to the host.
import assert from 'node:assert/strict';
import {execFile, execFileSync} from 'node:child_process';
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import http from 'node:http';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {promisify} from 'node:util';
import {tarOf} from '../helpers/crafted-images.ts';
import {requireDaemon, saveTestImage, testImage} from '../helpers/daemon.ts';
import {requireCgroups, requireNamespaces, startTestEngine, type TestEngine} from '../helpers/engine.ts';

let engine: TestEngine;
const work = mkdtempSync(path.join(tmpdir(), 'berth-files-'));
before(async () => {
	engine = await startTestEngine();
});
after(async () => {
	await engine?.cleanup();
	rmSync(work, {recursive: true, force: true});
});

const unique = (label: string) => `files-${label}-${Math.random().toString(36).slice(2, 7)}`;
const dockerd = (...args: string[]) => promisify(execFile)('docker', args, {env: {...process.env}});

let loaded = false;
/** The test image from dockerd, loaded into the engine once. */
async function loadTestImage(t: import('node:test').TestContext): Promise<boolean> {
	if (!(await requireDaemon(t))) return false;
	if (!(await requireNamespaces(t, engine))) return false;
	if (!loaded) await engine.docker('load', '-i', saveTestImage(work));
	loaded = true;

	return true;
}

test('docker cp both ways, running and stopped; a symlink in the container leads nowhere outside it; a hostile tar is refused', async t => {
	if (!(await loadTestImage(t))) return;
	const name = unique('cp');
	await engine.docker('run', '-d', '--name', name, testImage, 'sleep', '300');
	// Links pointing at host paths: inside the container they mean its own /tmp and /etc.
	await engine.docker('exec', name, 'sh', '-c', 'mkdir -p /tmp /etc /data/sub && echo inside > /data/sub/file && ln -s /tmp /escape && mkdir /links && ln -s ../../../../etc /links/up');
	const source = path.join(work, 'sent.txt');
	const marker = `berth-cp-${process.pid}-${Date.now()}`;
	writeFileSync(source, `${marker}\n`);
	await engine.docker('cp', source, `${name}:/escape/${marker}`);
	await engine.docker('cp', source, `${name}:/links/up/${marker}`);
	assert.equal(existsSync(`/tmp/${marker}`), false, 'nothing lands in the host\'s /tmp');
	assert.equal(existsSync(`/etc/${marker}`), false, 'nothing lands in the host\'s /etc');
	assert.equal((await engine.docker('exec', name, 'cat', `/tmp/${marker}`, `/etc/${marker}`)).stdout, `${marker}\n${marker}\n`);

	const out = path.join(work, 'out');
	mkdirSync(out);
	await engine.docker('cp', `${name}:/data`, out);
	assert.equal(readFileSync(path.join(out, 'data', 'sub', 'file'), 'utf8'), 'inside\n');
	const stat = await engine.docker('cp', `${name}:/nope`, out).catch((error: {stderr: string}) => error);
	assert.match((stat as {stderr: string}).stderr, new RegExp(`Could not find the file /nope in container ${name}`));

	await engine.docker('stop', '-t', '0', name);
	// Stopped: read from its layers, written into its own layer, there at the next start.
	const stopped = path.join(work, 'stopped');
	mkdirSync(stopped);
	await engine.docker('cp', `${name}:/data/sub/file`, stopped);
	assert.equal(readFileSync(path.join(stopped, 'file'), 'utf8'), 'inside\n');
	await engine.docker('cp', source, `${name}:/data/while-stopped`);
	await engine.docker('start', name);
	assert.equal((await engine.docker('exec', name, 'cat', '/data/while-stopped')).stdout, `${marker}\n`);

	// A tar that climbs out of the target is refused, and writes nothing.
	const hostile = await tarOf([{name: '../../../../../tmp/climbed', body: 'x'}]);
	const refused = await new Promise<{status: number; text: string}>((resolve, reject) => {
		const request = http.request({socketPath: engine.socketPath, method: 'PUT', path: `/containers/${name}/archive?path=/data`, headers: {'Content-Type': 'application/x-tar'}}, response => {
			let text = '';
			response.on('data', chunk => (text += chunk));
			response.on('end', () => resolve({status: response.statusCode ?? 0, text}));
		});
		request.on('error', reject);
		request.end(hostile);
	});
	assert.equal(refused.status, 400);
	assert.match(refused.text, /would land outside the target/);
	assert.equal(existsSync('/tmp/climbed'), false);
	await engine.docker('rm', '-f', name);
});

test('docker diff reads as dockerd\'s; export holds the container\'s files; commit makes an image of them that runs and saves', async t => {
	if (!(await loadTestImage(t))) return;
	const script = 'rm /bin/vi && mkdir -p /made/deep && echo new > /made/deep/file && echo changed > /bin/changed';
	const onDockerd = unique('diff');
	await dockerd('run', '--name', onDockerd, '--network', 'none', testImage, 'sh', '-c', script);
	t.after(() => dockerd('rm', '-f', onDockerd).catch(() => undefined));
	const onEngine = unique('diff');
	await engine.docker('run', '--name', onEngine, testImage, 'sh', '-c', script);
	// dockerd lists in the order its walk finds them: compared as sets.
	const diff = async (run: (...args: string[]) => Promise<{stdout: string}>, name: string) => (await run('diff', name)).stdout.split('\n').filter(Boolean).sort();
	assert.deepEqual(await diff(engine.docker, onEngine), await diff(dockerd, onDockerd));

	const exported = execFileSync('sh', ['-c', `docker -H ${engine.url} export ${onEngine} | tar -t`], {encoding: 'utf8'}).split('\n');
	for (const entry of ['./made/deep/file', './bin/changed', './bin/busybox']) assert.ok(exported.includes(entry), `${entry} is exported`);
	assert.equal(exported.includes('./bin/vi'), false, 'a deleted file is not');
	assert.equal(exported.some(entry => entry.startsWith('./proc/') && entry !== './proc/'), false, 'nothing of /proc');

	const committed = `files/committed:${Date.now()}`;
	const id = (await engine.docker('commit', '-m', 'made by the test', onEngine, committed)).stdout.trim();
	assert.match(id, /^sha256:[0-9a-f]{64}$/);
	assert.equal((await engine.docker('run', '--rm', committed, 'sh', '-c', 'cat /made/deep/file /bin/changed; test -e /bin/vi || echo no vi')).stdout, 'new\nchanged\nno vi\n');
	const history = (await engine.docker('history', '--no-trunc', '--format', '{{.CreatedBy}}|{{.Comment}}', committed)).stdout.split('\n')[0];
	assert.equal(history, `sh -c ${script}|made by the test`);
	// Its new layer rebuilds exactly: dockerd loads the saved image with the same id.
	const archive = path.join(work, 'committed.tar');
	await engine.docker('save', '-o', archive, committed);
	await dockerd('load', '-i', archive);
	t.after(() => dockerd('rmi', committed).catch(() => undefined));
	assert.equal((await dockerd('image', 'inspect', '-f', '{{.Id}}', committed)).stdout.trim(), id);
	assert.equal((await dockerd('run', '--rm', '--network', 'none', committed, 'cat', '/made/deep/file')).stdout, 'new\n');
	// --change, as Dockerfile instructions: the new image's configuration; one it cannot apply is refused before anything is made.
	const changed = `${committed}-changed`;
	await engine.docker('commit', '-c', 'CMD ["cat", "/made/deep/file"]', '-c', 'ENV GREETING="hello there"', '-c', 'LABEL stage=test', onEngine, changed);
	assert.equal((await engine.docker('run', '--rm', changed)).stdout, 'new\n');
	assert.equal((await engine.docker('run', '--rm', changed, 'sh', '-c', 'echo $GREETING')).stdout, 'hello there\n');
	assert.equal((await engine.docker('image', 'inspect', '-f', '{{.Config.Labels.stage}}', changed)).stdout.trim(), 'test');
	const badChange = await engine.docker('commit', '-c', 'RUN true', onEngine, `${committed}-bad`).catch((error: {stderr: string}) => error);
	assert.match((badChange as {stderr: string}).stderr, /invalid --change "RUN true": RUN is not a change/);
	await engine.docker('rmi', changed);

	// Forced out from under a stopped container: only its names go, and the container starts as before.
	const user = unique('user');
	await engine.docker('create', '--name', user, committed, 'cat', '/made/deep/file');
	const forced = await engine.docker('rmi', '-f', committed);
	assert.match(forced.stdout, new RegExp(`Untagged: ${committed}`));
	assert.equal((await engine.docker('start', '-a', user)).stdout, 'new\n');
	await engine.docker('rm', onEngine, user);
});

test('docker update: limits reach the running container\'s cgroup and the record; a paused one stays paused; what it cannot change is named', async t => {
	if (!(await loadTestImage(t))) return;
	if (!(await requireCgroups(t, engine))) return;
	const name = unique('update');
	await engine.docker('run', '-d', '--name', name, testImage, 'sleep', '300');
	await engine.docker('pause', name);
	await engine.docker('update', '--memory', '64m', '--cpus', '0.5', '--pids-limit', '40', '--restart', 'on-failure:2', name);
	const inspected = JSON.parse((await engine.docker('inspect', name)).stdout)[0] as {State: {Status: string}; HostConfig: {Memory: number; NanoCpus: number; PidsLimit: number; RestartPolicy: {Name: string; MaximumRetryCount: number}}};
	assert.equal(inspected.State.Status, 'paused');
	assert.deepEqual([inspected.HostConfig.Memory, inspected.HostConfig.NanoCpus, inspected.HostConfig.PidsLimit, inspected.HostConfig.RestartPolicy], [64 * 1024 * 1024, 5e8, 40, {Name: 'on-failure', MaximumRetryCount: 2}]);
	await engine.docker('unpause', name);
	const limit = (await engine.docker('stats', '--no-stream', '--format', '{{.MemUsage}}', name)).stdout;
	assert.match(limit, /\/ 64MiB/);
	const refused = await engine.docker('update', '--blkio-weight', '300', name).catch((error: {stderr: string}) => error);
	assert.match((refused as {stderr: string}).stderr, /updating BlkioWeight is not supported/);
	await engine.docker('rm', '-f', name);
});
