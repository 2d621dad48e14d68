// Images on berth's engine: docker load (of a real `docker save`), docker import, tag, rmi, and
// tarballs made to escape the image root.
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {chmodSync, chownSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import http from 'node:http';
import {tmpdir} from 'node:os';
import {gzipSync} from 'node:zlib';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {pack} from 'tar-stream';
import {eventually, requireDaemon, saveTestImage, testImage} from '../helpers/daemon.ts';
import {requirePart} from '../helpers/ci.ts';
import {craftImage, digestOf, savedArchive, tarOf} from '../helpers/crafted-images.ts';
import {startTestEngine, type TestEngine} from '../helpers/engine.ts';

let engine: TestEngine;
before(async () => {
	engine = await startTestEngine();
});
after(async () => engine?.cleanup());

type Entry = {name: string; type?: 'file' | 'directory' | 'symlink' | 'link'; body?: string | Buffer; linkname?: string; mode?: number; uid?: number; gid?: number};

async function tarball(entries: Entry[]): Promise<Buffer> {
	const archive = pack();
	const chunks: Buffer[] = [];
	archive.on('data', (chunk: unknown) => chunks.push(chunk as Buffer));
	const done = new Promise<void>(resolve => archive.on('end', () => resolve()));
	for (const entry of entries) {
		await new Promise<void>((resolve, reject) => {
			archive.entry({name: entry.name, type: entry.type ?? 'file', linkname: entry.linkname, mode: entry.mode ?? (entry.type === 'directory' ? 0o755 : 0o644), uid: entry.uid ?? 0, gid: entry.gid ?? 0}, entry.body ?? '', error => (error ? reject(error) : resolve()));
		});
	}

	archive.finalize();
	await done;
	return Buffer.concat(chunks);
}

function post(pathName: string, body: Buffer): Promise<{status: number; text: string}> {
	return new Promise((resolve, reject) => {
		const request = http.request({socketPath: engine.socketPath, method: 'POST', path: pathName, headers: {'Content-Type': 'application/x-tar'}}, response => {
			let text = '';
			response.on('data', chunk => (text += chunk));
			response.on('end', () => resolve({status: response.statusCode ?? 0, text}));
		});
		request.on('error', reject);
		request.end(body);
	});
}

const busyboxTree = (extra: Entry[] = []): Entry[] => [
	{name: 'bin/', type: 'directory'},
	{name: 'etc/', type: 'directory'},
	{name: 'etc/greeting', body: 'hello from an imported root\n'},
	...extra,
];

test('docker load of a real `docker save` archive gives an image that runs, with the same id as dockerd\'s', async t => {
	const daemon = await requireDaemon(t);
	if (!daemon) return;
	const loaded = await engine.docker('load', '-i', saveTestImage(mkdtempSync(path.join(tmpdir(), 'berth-save-'))));
	assert.match(loaded.stdout, new RegExp(`Loaded image: ${testImage}:latest`));
	const dockerdId = (await daemon.docker.getImage(testImage).inspect()).Id;
	const engineId = (await engine.docker('image', 'inspect', '-f', '{{.Id}}', testImage)).stdout.trim();
	assert.equal(engineId, dockerdId, 'content-addressed: the same config, the same id');
	const {stdout} = await engine.docker('run', '--rm', testImage, 'sh', '-c', 'echo written > /new && cat /new && ls /dev/null && busybox | head -1');
	assert.match(stdout, /^written\n\/dev\/null\nBusyBox v/);
	// Each container writes to its own layer: the image is untouched.
	const again = await engine.docker('run', '--rm', testImage, 'sh', '-c', 'test -e /new && echo leaked || echo clean');
	assert.equal(again.stdout.trim(), 'clean');
});

test('an exec in an image\'s container starts in its working directory; symlinks in the path resolve inside the container', async t => {
	const daemon = await requireDaemon(t);
	if (!daemon) return;
	const {stdout: id} = await engine.docker('run', '-d', '--network', 'none', '-w', '/srv', testImage, 'sh', '-c', 'mkdir -p /srv/x && ln -s /srv/x /link && ln -s ../../../.. /srv/x/up && touch /inside && sleep 300');
	const container = id.trim();
	try {
		assert.ok(await eventually(async () => (await engine.docker('exec', container, 'test', '-e', '/inside').then(() => true, () => false))));
		assert.equal((await engine.docker('exec', container, 'pwd')).stdout.trim(), '/srv', 'the container\'s WorkingDir');
		assert.equal((await engine.docker('exec', '-w', '/link', container, 'pwd')).stdout.trim(), '/srv/x', 'an absolute symlink is the container\'s');
		const up = await engine.docker('exec', '-w', '/link/up', container, 'sh', '-c', 'pwd; test -e inside && echo in the container');
		assert.deepEqual(up.stdout.trim().split('\n'), ['/', 'in the container'], '.. stops at the container\'s root');
	} finally {
		await engine.docker('rm', '-f', container);
	}
});

test('docker import of a root filesystem; tag; rmi refuses an image in use unless forced', async t => {
	const busybox = ['/bin/busybox', '/usr/bin/busybox'].find(candidate => existsSync(candidate));
	if (!requirePart(t, busybox ? undefined : 'no static busybox (apt-get install busybox-static)')) return;

	// A root filesystem as `tar` makes it: a static busybox, a symlink, a hard link, gzip.
	const directory = mkdtempSync(path.join(tmpdir(), 'berth-import-'));
	const rootfs = path.join(directory, 'root');
	execFileSync('mkdir', ['-p', `${rootfs}/bin`, `${rootfs}/etc`]);
	execFileSync('cp', [busybox!, `${rootfs}/bin/busybox`]);
	execFileSync('ln', ['-s', 'busybox', `${rootfs}/bin/sh`]);
	execFileSync('ln', [`${rootfs}/bin/busybox`, `${rootfs}/bin/cat`]);
	writeFileSync(`${rootfs}/etc/greeting`, 'hello from an imported root\n');
	const tarFile = path.join(directory, 'root.tar.gz');
	execFileSync('tar', ['-czf', tarFile, '-C', rootfs, '.']);
	const since = Math.floor(Date.now() / 1000) - 1;
	const imported = await engine.docker('import', tarFile, 'mini:1');
	assert.match(imported.stdout.trim(), /^sha256:[0-9a-f]{64}$/);
	const {stdout} = await engine.docker('run', '--rm', 'mini:1', 'cat', '/etc/greeting');
	assert.equal(stdout, 'hello from an imported root\n');
	// --change applies Dockerfile instructions to the imported image's configuration.
	await engine.docker('import', '-c', 'CMD ["cat", "/etc/greeting"]', '-c', 'WORKDIR /etc', tarFile, 'minicmd:1');
	assert.equal((await engine.docker('run', '--rm', 'minicmd:1')).stdout, 'hello from an imported root\n');
	assert.equal((await engine.docker('run', '--rm', 'minicmd:1', 'sh', '-c', 'pwd')).stdout, '/etc\n');
	await engine.docker('rmi', 'minicmd:1');
	// Its own /etc/hostname, /etc/hosts and /etc/resolv.conf, written in its own layer.
	const etc = await engine.docker('run', '--rm', '--hostname', 'box1', 'mini:1', 'sh', '-c', 'cat /etc/hostname /etc/hosts /etc/resolv.conf; echo "10.0.0.1 other" >> /etc/hosts && echo appended');
	assert.equal(etc.stdout, 'box1\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n127.0.0.1\tbox1\n# network mode "none": no name servers\nappended\n');

	await engine.docker('tag', 'mini:1', 'mini:stable');
	const tags = (await engine.docker('images', '--format', '{{.Repository}}:{{.Tag}}')).stdout;
	assert.match(tags, /^mini:1$/m);
	assert.match(tags, /^mini:stable$/m);
	const untagged = await engine.docker('rmi', 'mini:stable');
	assert.match(untagged.stdout, /Untagged: mini:stable/);

	await engine.docker('create', '--name', 'uses-mini', 'mini:1', 'true');
	const refused = await engine.docker('rmi', 'mini:1').catch((error: {stderr: string}) => error);
	assert.match((refused as {stderr: string}).stderr, /container [0-9a-f]{12} is using its referenced image/);
	await engine.docker('rm', 'uses-mini');
	const removed = await engine.docker('rmi', 'mini:1');
	assert.match(removed.stdout, /Deleted: sha256:/);

	// Each step was an image event, with dockerd's actions, and the type filter keeps them apart.
	const until = Math.ceil(Date.now() / 1000) + 1;
	const events = await engine.docker('events', '--since', String(since), '--until', String(until), '--filter', 'type=image', '--format', '{{.Type}} {{.Action}} {{.Actor.Attributes.name}}');
	assert.deepEqual(events.stdout.trim().split('\n').filter(line => line.includes(' mini:')), ['image tag mini:1', 'image import mini:1', 'image tag mini:stable', 'image untag mini:stable', 'image untag mini:1', 'image delete mini:1']);
});

test('hostile tarballs are refused and write nothing outside the image root', async () => {
	const outside = mkdtempSync(path.join(tmpdir(), 'berth-outside-'));
	const cases: Array<[string, Entry[]]> = [
		['a .. path', busyboxTree([{name: `../../../../../../${outside.slice(1)}/dotdot.txt`, body: 'escaped'}])],
		['a write through an absolute symlink', busyboxTree([{name: 'escape', type: 'symlink', linkname: outside}, {name: 'escape/through-link.txt', body: 'escaped'}])],
		['a write through a relative symlink out', busyboxTree([{name: 'up', type: 'symlink', linkname: '../../../../../../..'}, {name: `up/${outside.slice(1)}/relative.txt`, body: 'escaped'}])],
		['a hard link out', busyboxTree([{name: 'passwd', type: 'link', linkname: '../../../etc/passwd'}])],
		['a hard link to a file the image lacks', busyboxTree([{name: 'passwd', type: 'link', linkname: '/etc/passwd'}])],
	];
	for (const [label, entries] of cases) {
		const response = await post('/images/create?fromSrc=-&repo=hostile', await tarball(entries));
		assert.equal(response.status, 400, `${label}: ${response.text}`);
		assert.match(JSON.parse(response.text).message, /outside|symlink|not a file/, label);
	}

	for (const file of ['dotdot.txt', 'through-link.txt', 'relative.txt']) assert.ok(!existsSync(path.join(outside, file)), `${file} was not written`);
	assert.ok(!(await engine.docker('images', '--format', '{{.Repository}}')).stdout.includes('hostile'), 'no half image is listed');

	// A docker-save archive whose manifest points out of the archive.
	const save = await tarball([{name: 'manifest.json', body: JSON.stringify([{Config: '../../../../etc/hostname', RepoTags: ['evil:1'], Layers: []}])}]);
	const load = await post('/images/load', save);
	assert.equal(load.status, 400);
	assert.match(JSON.parse(load.text).message, /outside|does not contain/);
	const garbage = await post('/images/load', Buffer.from('this is not a tar archive at all'.repeat(40)));
	assert.equal(garbage.status, 400);
	// The engine still serves.
	assert.equal((await engine.docker('version', '--format', '{{.Server.APIVersion}}')).stdout.trim(), '1.41');
});

test('no archive changes the mode, owner or content of a file outside the image, through a symlink, a replaced directory or a hard link to a symlink', async () => {
	// Victims a user owns (uid 4242), private: an image must not make them setuid, world-writable or root's.
	const outside = mkdtempSync(path.join(tmpdir(), 'berth-victims-'));
	chmodSync(outside, 0o755);
	const victim = (name: string) => {
		const file = path.join(outside, name);
		writeFileSync(file, `${name} belongs to 4242\n`);
		chownSync(file, 4242, 4242);
		chmodSync(file, 0o600);
		return file;
	};

	const victimDirectory = path.join(outside, 'directory');
	mkdirSync(victimDirectory);
	chownSync(victimDirectory, 4242, 4242);
	const victims = [victim('file'), victim('linked'), victim('manifest'), path.join(victimDirectory, 'x')];
	writeFileSync(victims[3]!, 'x belongs to 4242\n');
	chownSync(victims[3]!, 4242, 4242);
	chmodSync(victims[3]!, 0o600);
	const before = victims.map(file => ({file, mode: lstatSync(file).mode, uid: lstatSync(file).uid, text: readFileSync(file, 'utf8')}));
	const unchanged = (label: string) => {
		for (const was of before) {
			const now = lstatSync(was.file);
			assert.deepEqual({file: was.file, mode: now.mode, uid: now.uid, text: readFileSync(was.file, 'utf8')}, was, `${label}: ${was.file} is as it was`);
		}
	};

	// A file, then a symlink of its name to a host file; a directory's file, then the directory a
	// symlink to a host directory; a hard link to a symlink to a host file.
	const hostile: Entry[] = busyboxTree([
		{name: 'f', mode: 0o4777, body: 'setuid'},
		{name: 'f', type: 'symlink', linkname: victims[0]},
		{name: 'd/', type: 'directory'},
		{name: 'd/x', mode: 0o6777, uid: 0, body: 'setuid root'},
		{name: 'd', type: 'symlink', linkname: victimDirectory},
		{name: 's', type: 'symlink', linkname: victims[1]},
		{name: 'h', type: 'link', linkname: 's', mode: 0o4777},
	]);
	const layer = await tarball(hostile);
	for (const [label, body] of [['import', layer], ['gzip import', gzipSync(layer)]] as const) {
		const response = await post('/images/create?fromSrc=-&repo=hostile-modes', body);
		assert.ok([200, 400].includes(response.status), `${label}: ${response.status} ${response.text}`);
		unchanged(label);
	}

	// The same in a layer of a docker save archive, and in the archive itself (whose load then fails).
	const config = JSON.stringify({config: {Cmd: ['/bin/sh']}, rootfs: {type: 'layers', diff_ids: []}});
	const save = (extra: Entry[]) =>
		tarball([
			{name: 'config.json', body: config},
			{name: 'layer.tar', body: layer},
			{name: 'manifest.json', body: JSON.stringify([{Config: 'config.json', RepoTags: ['hostile-load:1'], Layers: ['layer.tar']}])},
			...extra,
		]);
	const inLayer = await post('/images/load', await save([]));
	assert.ok([200, 400].includes(inLayer.status), inLayer.text);
	unchanged('docker load, in a layer');
	const inArchive = await post('/images/load', await save([{name: 'g', mode: 0o4777, body: 'x'}, {name: 'g', type: 'symlink', linkname: victims[0]}]));
	assert.ok([200, 400].includes(inArchive.status), inArchive.text);
	unchanged('docker load, in the archive');

	// A manifest.json that is a symlink to a host file is refused, not read.
	writeFileSync(victims[2]!, JSON.stringify([{Config: 'config.json', RepoTags: ['from-host:1'], Layers: []}]));
	chmodSync(victims[2]!, 0o644);
	const linkedManifest = await post('/images/load', await tarball([{name: 'config.json', body: config}, {name: 'manifest.json', type: 'symlink', linkname: victims[2]}]));
	assert.equal(linkedManifest.status, 400, linkedManifest.text);
	assert.match(JSON.parse(linkedManifest.text).message, /leads outside/);
	assert.ok(!(await engine.docker('images', '--format', '{{.Repository}}')).stdout.includes('from-host'));
	assert.equal((await engine.docker('version', '--format', '{{.Server.APIVersion}}')).stdout.trim(), '1.41');
});

test('image filters and prune as dockerd: dangling, label, reference, before and since; prune by until and label; system df; search refused', async () => {
	const tar = await tarOf(busyboxTree());
	const tars = new Map([[digestOf(tar), tar]]);
	const crafted = (labels: Record<string, string>, created: string) => craftImage([{tar, compression: 'none'}], {labels, created});
	const old = crafted({tier: 'web'}, '2025-01-01T00:00:00Z');
	const app = crafted({tier: 'db'}, '2025-06-01T00:00:00Z');
	const loose = crafted({tier: 'web'}, '2025-09-01T00:00:00Z');
	const loaded = await post('/images/load', await savedArchive([{image: old, tags: ['filt/old:1']}, {image: app, tags: ['filt/app:2']}, {image: loose, tags: []}], tars));
	assert.equal(loaded.status, 200, loaded.text);
	const [oldId, appId, looseId] = [old.configDigest, app.configDigest, loose.configDigest];
	// Other tests' images share this engine: only these three are looked at.
	const ours = new Set([oldId, appId, looseId]);
	const listed = async (...filters: string[]) => (await engine.docker('images', '-q', '--no-trunc', ...filters.flatMap(filter => ['--filter', filter]))).stdout.trim().split('\n').filter(id => ours.has(id)).sort();
	assert.deepEqual(await listed('dangling=true'), [looseId]);
	assert.deepEqual(await listed('reference=filt/*'), [oldId, appId].sort());
	assert.deepEqual(await listed('reference=filt/app:2'), [appId]);
	assert.deepEqual(await listed('label=tier=web'), [oldId, looseId].sort());
	assert.deepEqual(await listed('reference=filt/*', 'since=filt/old:1'), [appId]);
	assert.deepEqual(await listed('reference=filt/*', 'before=filt/app:2'), [oldId]);
	const badFilter = await engine.docker('images', '--filter', 'colour=red').catch((error: {stderr: string}) => error);
	assert.match((badFilter as {stderr: string}).stderr, /invalid filter 'colour'/);

	const df = (await engine.docker('system', 'df', '--format', '{{.Type}} {{.TotalCount}}')).stdout;
	assert.match(df, /^Images [3-9]\d*$/m, 'docker system df counts the images');

	// prune: dangling ones alone by default; with until, only what is older; with -a, every unused one, here by label.
	const pruned = await engine.docker('image', 'prune', '-f', '--filter', 'until=2025-08-01T00:00:00Z');
	assert.doesNotMatch(pruned.stdout, /deleted/i, 'the dangling image is newer than until');
	const dangling = await engine.docker('image', 'prune', '-f', '--filter', 'label=tier');
	assert.match(dangling.stdout, new RegExp(`deleted: ${looseId}`, 'i'));
	await engine.docker('create', '--name', 'keeps-old', 'filt/old:1', 'true');
	const byLabel = await engine.docker('image', 'prune', '-a', '-f', '--filter', 'label=tier');
	assert.match(byLabel.stdout, new RegExp(`untagged: filt/app:2[\\s\\S]*deleted: ${appId}`, 'i'));
	assert.doesNotMatch(byLabel.stdout, new RegExp(oldId), 'an image a container uses is kept');
	await engine.docker('rm', 'keeps-old');
	await engine.docker('rmi', 'filt/old:1');

	const search = await engine.docker('search', 'alpine').catch((error: {stderr: string}) => error);
	assert.match((search as {stderr: string}).stderr, /search is not supported by berth's engine/);
});

test('layers are stored once and shared: two images on one base, system df counts it once, rmi frees a layer only when no image uses it', async t => {
	const busybox = ['/bin/busybox', '/usr/bin/busybox'].find(candidate => existsSync(candidate));
	if (!requirePart(t, busybox ? undefined : 'no static busybox (apt-get install busybox-static)')) return;
	const base = await tarOf([{name: 'bin/', type: 'directory'}, {name: 'bin/busybox', body: readFileSync(busybox!), mode: 0o755}, {name: 'bin/sh', type: 'symlink', linkname: 'busybox'}]);
	const one = await tarOf([{name: 'etc/', type: 'directory'}, {name: 'etc/which', body: 'one\n'}]);
	const two = await tarOf([{name: 'etc/', type: 'directory'}, {name: 'etc/which', body: 'two\n'}]);
	const tars = new Map([base, one, two].map(tar => [digestOf(tar), tar]));
	const first = craftImage([{tar: base, compression: 'none'}, {tar: one, compression: 'none'}], {label: 'shared-one'});
	const second = craftImage([{tar: base, compression: 'none'}, {tar: two, compression: 'none'}], {label: 'shared-two'});
	const loaded = await post('/images/load', await savedArchive([{image: first, tags: ['shared/one:1']}, {image: second, tags: ['shared/two:1']}], tars));
	assert.equal(loaded.status, 200, loaded.text);
	for (const [name, expected] of [['shared/one:1', 'one'], ['shared/two:1', 'two']]) {
		assert.equal((await engine.docker('run', '--rm', name!, 'sh', '-c', 'cat /etc/which')).stdout, `${expected}\n`);
	}

	// One directory per layer, by diff id: the base's files exist once on disk.
	const layers = path.join(engine.env.BERTH_ENGINE_STATE!, 'layers');
	const baseDiff = path.join(layers, digestOf(base).slice(7), 'diff', 'bin', 'busybox');
	assert.ok(existsSync(baseDiff));
	const rootfsLayers = async (name: string) => JSON.parse((await engine.docker('image', 'inspect', '-f', '{{json .RootFS.Layers}}', name)).stdout) as string[];
	const union = new Set([...(await rootfsLayers('shared/one:1')), ...(await rootfsLayers('shared/two:1'))]);
	assert.deepEqual([...union].sort(), [digestOf(base), digestOf(one), digestOf(two)].sort(), 'four layers named, three kept');
	const copies = execFileSync('find', [layers, '-path', '*/diff/bin/busybox', '-type', 'f'], {encoding: 'utf8'}).trim().split('\n');
	assert.equal(copies.filter(copy => [...union].some(diffId => copy.includes(diffId.slice(7)))).length, 1, `one copy of the base's files: ${copies.join(', ')}`);
	const df = JSON.parse((await new Promise<string>((resolve, reject) => {
		http.get({socketPath: engine.socketPath, path: '/system/df'}, response => {
			let text = '';
			response.on('data', chunk => (text += chunk));
			response.on('end', () => resolve(text));
		}).on('error', reject);
	}))) as {LayersSize: number; Images: Array<{Id: string; Size: number; SharedSize: number}>};
	const ours = df.Images.filter(image => image.Id === first.configDigest || image.Id === second.configDigest);
	assert.equal(ours.length, 2);
	const baseSize = readFileSync(busybox!).length + 'busybox'.length;
	for (const image of ours) assert.equal(image.SharedSize, baseSize, 'the base counts as shared in each');
	const systemDf = (await engine.docker('system', 'df', '-v', '--format', '{{range .Images}}{{.Repository}} {{.SharedSize}} {{.UniqueSize}}\n{{end}}')).stdout;
	assert.match(systemDf, /^shared\/one \S+ 4B$/m);

	await engine.docker('rmi', 'shared/one:1');
	assert.ok(existsSync(baseDiff), 'the base stays while the other image uses it');
	assert.equal(existsSync(path.join(layers, digestOf(one).slice(7))), false, 'the layer only the removed image had goes');
	assert.equal((await engine.docker('run', '--rm', 'shared/two:1', 'sh', '-c', 'cat /etc/which')).stdout, 'two\n');
	await engine.docker('rmi', 'shared/two:1');
	assert.equal(existsSync(path.join(layers, digestOf(base).slice(7))), false, 'and goes with the last image that used it');
	assert.deepEqual(readdirSync(path.join(layers, 'l')).filter(link => digestOf(base).slice(7).startsWith(link)), [], 'its short link too');
});

test('docker save gives back each layer byte for byte: dockerd and another engine load it with the same image id; history reads as dockerd\'s', async t => {
	const daemon = await requireDaemon(t);
	if (!daemon) return;
	const directory = mkdtempSync(path.join(tmpdir(), 'berth-save-'));
	await engine.docker('load', '-i', saveTestImage(directory));
	const history = (target: string[]) => execFileSync('docker', [...target, 'history', '--format', '{{.CreatedBy}}|{{.Size}}|{{.Comment}}', testImage], {encoding: 'utf8', env: {...process.env}});
	assert.equal(history(['-H', engine.url]), history([]), 'docker history: the same steps and sizes');
	const size = (target: string[]) => execFileSync('docker', [...target, 'images', '--format', '{{.Size}}', testImage], {encoding: 'utf8', env: {...process.env}});
	assert.equal(size(['-H', engine.url]), size([]), 'docker images: the same size, counted as dockerd counts a layer');

	// A crafted image with a gzip layer, a whiteout and an opaque directory, pulled through load: saved, it is the same bytes.
	const lower = await tarOf([{name: 'd/', type: 'directory'}, {name: 'd/old', body: 'old\n'}, {name: 'gone', body: 'x'}]);
	const upper = await tarOf([{name: 'd/', type: 'directory'}, {name: 'd/.wh..wh..opq'}, {name: 'd/new', body: 'new\n'}, {name: '.wh.gone'}]);
	const crafted = craftImage([{tar: lower, compression: 'none'}, {tar: upper, compression: 'none'}], {label: 'saved'});
	const tag = `berth-saved/crafted:${Date.now()}`;
	assert.equal((await post('/images/load', await savedArchive([{image: crafted, tags: [tag]}], new Map([[digestOf(lower), lower], [digestOf(upper), upper]])))).status, 200);
	const saved = path.join(directory, 'from-engine.tar');
	await engine.docker('save', '-o', saved, tag, testImage);
	const unpacked = path.join(directory, 'unpacked');
	mkdirSync(unpacked);
	execFileSync('tar', ['-xf', saved, '-C', unpacked]);
	const manifest = JSON.parse(readFileSync(path.join(unpacked, 'manifest.json'), 'utf8')) as Array<{Config: string; RepoTags: string[]; Layers: string[]}>;
	assert.deepEqual(manifest.map(entry => entry.RepoTags).sort(), [[tag], [`${testImage}:latest`]].sort());
	for (const entry of manifest) {
		const config = readFileSync(path.join(unpacked, entry.Config));
		assert.equal(digestOf(config).slice(7), entry.Config.replace(/\.json$/, ''), 'the config is kept as it came');
		const diffIds = (JSON.parse(config.toString()) as {rootfs: {diff_ids: string[]}}).rootfs.diff_ids;
		assert.deepEqual(entry.Layers.map(layer => digestOf(readFileSync(path.join(unpacked, layer)))), diffIds, 'every layer.tar hashes to its diff id');
	}

	const other = await startTestEngine();
	try {
		await other.docker('load', '-i', saved);
		assert.equal((await other.docker('image', 'inspect', '-f', '{{.Id}}', tag)).stdout.trim(), crafted.configDigest);
	} finally {
		await other.cleanup();
	}

	// dockerd checks every diff id as it loads.
	const onDockerd = execFileSync('docker', ['load', '-i', saved], {encoding: 'utf8', env: {...process.env}});
	assert.match(onDockerd, new RegExp(`Loaded image: ${tag.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
	assert.equal(execFileSync('docker', ['image', 'inspect', '-f', '{{.Id}}', tag], {encoding: 'utf8', env: {...process.env}}).trim(), crafted.configDigest);
	execFileSync('docker', ['rmi', tag], {env: {...process.env}});
	const missing = await engine.docker('save', 'no/such:image').catch((error: {stderr: string}) => error);
	assert.match((missing as {stderr: string}).stderr, /No such image: no\/such:image/);
});
