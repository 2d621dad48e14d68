// The engine as a registry client, against real registries (Debian's docker-registry with no
// auth, htpasswd and token auth, the last with a token server of the test's own), the real
// docker CLI and dockerd, and a registry of the test's own that lies.
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {existsSync, mkdtempSync, readdirSync, rmSync} from 'node:fs';
import http from 'node:http';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {promisify} from 'node:util';
import {suiteHasPart} from '../helpers/ci.ts';
import {busyboxLayer, craftImage, type Crafted, digestOf, pushCrafted, putManifest, savedArchive, tarOf, uploadBlob} from '../helpers/crafted-images.ts';
import {requireDaemon, saveTestImage, testImage} from '../helpers/daemon.ts';
import {startTestEngine, type TestEngine} from '../helpers/engine.ts';
import {berthBin} from '../helpers/terminal.ts';
import {type HostileRegistry, type Lie, startHostileRegistry} from '../helpers/hostile-registry.ts';
import {dockerdNetns, registryMissing, startRegistry, startTokenServer, type TestRegistry, type TokenServer} from '../helpers/registry.ts';
import {endpointsFor} from '../../source/engine/registry/session.ts';

const user = 'ann';
const password = 'pa55-word';
const has = suiteHasPart(registryMissing());
let engine: TestEngine;
let plain: TestRegistry;
let basic: TestRegistry;
let tokened: TestRegistry;
let token: TokenServer;
let hostile: HostileRegistry;
let base: Buffer;
const work = mkdtempSync(path.join(tmpdir(), 'berth-registry-test-'));

before(async () => {
	if (!has) return;
	const storage = path.join(work, 'storage');
	plain = await startRegistry({storage, dockerdNetns});
	basic = await startRegistry({storage, auth: {htpasswd: {user, password}}});
	token = await startTokenServer(work, user, password);
	tokened = await startRegistry({storage, auth: {token}});
	hostile = await startHostileRegistry();
	engine = await startTestEngine();
	base = await busyboxLayer();
});

after(async () => {
	await engine?.cleanup();
	for (const registry of [plain, basic, tokened]) await registry?.stop();
	await token?.stop();
	await hostile?.stop();
	rmSync(work, {recursive: true, force: true});
});

type Message = {status?: string; id?: string; progressDetail?: {current?: number; total?: number}; errorDetail?: {message: string}; error?: string};

/** A small layer no other test has, so that its blob is fetched. */
const uniqueLayer = (label: string) => tarOf([{name: 'etc/', type: 'directory'}, {name: `etc/${label}`, body: `${label} ${process.pid} ${Date.now()}\n`}]);

/** POST /images/create as a library sends it; the HTTP status and every message of the stream. */
function apiPull(target: TestEngine, fromImage: string, options: {tag?: string; platform?: string; auth?: object} = {}): Promise<{status: number; messages: Message[]; text: string}> {
	const query = new URLSearchParams({fromImage, ...(options.tag ? {tag: options.tag} : {}), ...(options.platform ? {platform: options.platform} : {})});
	const headers = options.auth ? {'X-Registry-Auth': Buffer.from(JSON.stringify(options.auth)).toString('base64url')} : {};
	return new Promise((resolve, reject) => {
		const request = http.request({socketPath: target.socketPath, method: 'POST', path: `/v1.41/images/create?${query}`, headers}, response => {
			let text = '';
			response.on('data', chunk => (text += chunk));
			// An engine that dies mid-stream closes it without an end: what came is the answer.
			const done = () => {
				// A line cut off by the engine's death is left out.
				const parsed = (line: string): Message[] => {
					try {
						return [JSON.parse(line) as Message];
					} catch {
						return [];
					}
				};

				const messages = response.statusCode === 200 ? text.split('\n').filter(Boolean).flatMap(parsed) : [];
				resolve({status: response.statusCode ?? 0, messages, text});
			};
			response.on('end', done);
			response.on('close', done);
			response.on('error', () => undefined);
		});
		request.on('error', reject);
		request.end();
	});
}

const failureOf = (result: {status: number; messages: Message[]; text: string}) => (result.status === 200 ? result.messages.find(message => message.errorDetail)?.errorDetail?.message : (JSON.parse(result.text) as {message: string}).message);

async function imageIds(target: TestEngine): Promise<string[]> {
	return ((await target.client.docker.listImages()) as Array<{Id: string}>).map(image => image.Id).sort();
}

/** Nothing half-made is left: no partial image, layer or blob. */
function assertNoLeftovers(target: TestEngine): void {
	const state = target.env.BERTH_ENGINE_STATE!;
	const images = path.join(state, 'images');
	for (const entry of existsSync(images) ? readdirSync(images) : []) assert.ok(existsSync(path.join(images, entry, 'image.json')), `images/${entry} is a half-made image`);
	assert.deepEqual(readdirSync(path.join(state, 'blobs', 'partial')), []);
	assert.deepEqual(readdirSync(path.join(state, 'layers', 'partial')), []);
}

const normalised = (output: string, ids: string[]) => {
	let text = output;
	for (const [index, id] of ids.entries()) text = text.replaceAll(id, `<layer${index}>`);
	return [...new Set(text.split('\n').filter(Boolean))].sort();
};

test('dockerd pushes to a loopback registry, the docker CLI pulls it into the engine: the same image id, its repo digest, and it runs', {skip: !has}, async t => {
	const daemon = await requireDaemon(t);
	if (!daemon) return;
	const name = `${plain.host}/berth/from-dockerd:1`;
	const docker = (...args: string[]) => promisify(execFile)('docker', args, {env: {...process.env}});
	await docker('tag', testImage, name);
	t.after(() => daemon.docker.getImage(name).remove().catch(() => undefined));
	const pushed = await docker('push', name);
	const digest = /digest: (sha256:[0-9a-f]{64})/.exec(pushed.stdout)?.[1];
	assert.ok(digest, pushed.stdout);
	const pulled = await engine.docker('pull', name);
	assert.match(pulled.stdout, /1: Pulling from berth\/from-dockerd\n/);
	assert.match(pulled.stdout, /: Pull complete\n/);
	assert.match(pulled.stdout, new RegExp(`Digest: ${digest}\nStatus: Downloaded newer image for ${name.replaceAll('.', '\\.')}\n`));
	const dockerdId = (await daemon.docker.getImage(testImage).inspect()).Id;
	const inspected = JSON.parse((await engine.docker('image', 'inspect', name)).stdout)[0] as {Id: string; RepoDigests: string[]; RootFS: {Layers: string[]}};
	assert.equal(inspected.Id, dockerdId);
	assert.deepEqual(inspected.RepoDigests, [`${plain.host}/berth/from-dockerd@${digest}`]);
	const dockerdLayers = (await daemon.docker.getImage(testImage).inspect()).RootFS.Layers;
	assert.deepEqual(inspected.RootFS.Layers, dockerdLayers);
	assert.equal((await engine.docker('run', '--rm', '--network', 'none', name, 'echo', 'pulled and ran')).stdout, 'pulled and ran\n');
	const again = await engine.docker('pull', name);
	assert.match(again.stdout, /Already exists\n[\s\S]*Status: Image is up to date for /);
	// By digest, as `docker pull name@sha256:…`.
	const byDigest = await engine.docker('pull', `${plain.host}/berth/from-dockerd@${digest}`);
	assert.match(byDigest.stdout, /Digest: sha256:/);
});

test('the docker CLI prints the same pull against the engine as against dockerd', {skip: !has}, async t => {
	const daemon = await requireDaemon(t);
	if (!daemon) return;
	// Layers neither side has: both fetch them all.
	const image = craftImage([{tar: await uniqueLayer('compare-1')}, {tar: await uniqueLayer('compare-2')}]);
	await pushCrafted(plain.host, 'berth/compare', 'v1', image);
	const name = `${plain.host}/berth/compare:v1`;
	const ids = image.layers.map(layer => layer.digest.slice(7, 19));
	t.after(() => daemon.docker.getImage(name).remove().catch(() => undefined));
	const fromDockerd = await promisify(execFile)('docker', ['pull', name], {env: {...process.env}});
	const fromEngine = await engine.docker('pull', name);
	// Downloads run in parallel, so the order of lines between layers differs; the lines do not.
	// dockerd passes a watcher only a transfer's latest status, so it may drop passing ones.
	const withoutWaiting = (lines: string[]) => lines.filter(line => !/: (Waiting|Verifying Checksum)$/.test(line));
	assert.deepEqual(withoutWaiting(normalised(fromEngine.stdout, ids)), withoutWaiting(normalised(fromDockerd.stdout, ids)));
});

test('the API stream: per-layer progress in dockerd\'s order, gzip, zstd and plain layers, whiteouts, three downloads at a time', {skip: !has}, async () => {
	const second = await tarOf([{name: 'etc/', type: 'directory'}, {name: 'etc/from-zstd', body: 'zstd layer\n'}, {name: 'etc/doomed', body: 'to be whited out\n'}]);
	const third = await tarOf([{name: 'etc/', type: 'directory'}, {name: 'etc/from-plain', body: 'plain layer\n'}]);
	const fourth = await tarOf([{name: 'etc/', type: 'directory'}, {name: 'etc/.wh.doomed', body: ''}, {name: 'etc/from-gzip', body: 'gzip layer\n'}]);
	const image = craftImage([{tar: base}, {tar: second, compression: 'zstd'}, {tar: third, compression: 'none'}, {tar: fourth}], {label: 'stream'});
	// The engine has the base from an earlier pull: it already exists, and only the rest come.
	await pushCrafted(plain.host, 'berth/base', 'v1', craftImage([{tar: base}], {label: 'base'}));
	assert.equal(failureOf(await apiPull(engine, `${plain.host}/berth/base:v1`)), undefined);
	await pushCrafted(plain.host, 'berth/stream', 'v1', image);
	// The short form docker-py and CLI 20.10 send: name and tag apart.
	const result = await apiPull(engine, `${plain.host}/berth/stream`, {tag: 'v1'});
	assert.equal(result.status, 200, result.text);
	assert.equal(failureOf(result), undefined);
	for (const message of result.messages) if (message.id && message.id !== 'v1') assert.equal(typeof message.progressDetail, 'object', JSON.stringify(message));
	const baseId = image.layers[0]!.digest.slice(7, 19);
	assert.deepEqual(result.messages.filter(message => message.id === baseId).map(message => message.status), ['Already exists']);
	for (const layer of image.layers.slice(1)) {
		const id = layer.digest.slice(7, 19);
		const statuses = result.messages.filter(message => message.id === id).map(message => message.status);
		const order = ['Pulling fs layer', 'Downloading', 'Download complete', 'Extracting', 'Pull complete'];
		const positions = order.map(status => statuses.indexOf(status));
		assert.ok(positions.every((position, index) => position !== -1 && (index === 0 || position > positions[index - 1]!)), `${id}: ${statuses.join(', ')}`);
		const downloading = result.messages.find(message => message.id === id && message.status === 'Downloading');
		assert.equal(downloading?.progressDetail?.total, layer.blob.length);
	}

	// Three layers to fetch, three slots: none waits. (Waiting is checked below, with four.)
	assert.ok(!result.messages.some(message => message.status === 'Waiting'));
	assert.equal(result.messages.at(-1)?.status, `Status: Downloaded newer image for ${plain.host}/berth/stream:v1`);
	const {stdout} = await engine.docker('run', '--rm', '--network', 'none', `${plain.host}/berth/stream:v1`, 'sh', '-c', 'cat /etc/from-zstd /etc/from-plain /etc/from-gzip; ls /etc/doomed 2>&1 || true');
	assert.match(stdout, /^zstd layer\nplain layer\ngzip layer\n.*No such file/);
});

test('basic auth: no credentials and wrong ones are refused, naming the registry; docker login and X-Registry-Auth pull', {skip: !has}, async () => {
	const image = craftImage([{tar: base}], {label: 'basic'});
	await pushCrafted(plain.host, 'berth/private', 'v1', image);
	const name = `${basic.host}/berth/private:v1`;
	const anonymous = await apiPull(engine, name);
	assert.match(failureOf(anonymous) ?? '', new RegExp(`registry ${basic.host} needs a login`));
	const wrong = await apiPull(engine, name, {auth: {username: user, password: 'nope'}});
	assert.match(failureOf(wrong) ?? '', /access denied|unauthorized/);
	const right = await apiPull(engine, name, {auth: {username: user, password, serveraddress: basic.host}});
	assert.equal(failureOf(right), undefined);
	const config = mkdtempSync(path.join(work, 'docker-config-'));
	const env = {...process.env, DOCKER_CONFIG: config, DOCKER_HOST: engine.url};
	const cli = (...args: string[]) => promisify(execFile)('docker', args, {env});
	await assert.rejects(cli('login', '-u', user, '-p', 'wrong', basic.host), /401|incorrect username or password/);
	assert.match((await cli('login', '-u', user, '-p', password, basic.host)).stdout, /Login Succeeded/);
	await engine.docker('rmi', name);
	assert.match((await cli('pull', name)).stdout, /Status: Downloaded newer image/);
	// The engine keeps no credential: not in its log, not in its state.
	const found = await promisify(execFile)('grep', ['-rlF', password, engine.env.BERTH_ENGINE_STATE!]).then(
		({stdout}) => stdout,
		() => '',
	);
	assert.equal(found, '');
});

test('token auth: an anonymous bearer token for a public repository, credentials for a private one', {skip: !has}, async () => {
	const image = craftImage([{tar: base}], {label: 'token'});
	await pushCrafted(plain.host, 'public/tool', 'v1', image);
	await pushCrafted(plain.host, 'team/secret', 'v1', image);
	assert.equal(failureOf(await apiPull(engine, `${tokened.host}/public/tool:v1`)), undefined);
	const denied = await apiPull(engine, `${tokened.host}/team/secret:v1`);
	assert.match(failureOf(denied) ?? '', new RegExp(`access denied for team/secret on ${tokened.host}`));
	assert.equal(failureOf(await apiPull(engine, `${tokened.host}/team/secret:v1`, {auth: {username: user, password}})), undefined);
	const refused = await apiPull(engine, `${tokened.host}/team/secret:v1`, {auth: {username: user, password: 'bad'}});
	assert.match(failureOf(refused) ?? '', /token server .* refused the credentials of ann/);
	const login = await engine.client.docker.checkAuth({username: user, password, serveraddress: tokened.host});
	assert.equal((login as {Status: string}).Status, 'Login Succeeded');
});

test('an OCI index: the host\'s platform is chosen, attestations skipped, --platform honoured, an absent one named', {skip: !has}, async () => {
	const hostArchitecture = process.arch === 'x64' ? 'amd64' : 'arm64';
	const otherArchitecture = hostArchitecture === 'amd64' ? 'arm64' : 'amd64';
	const native = craftImage([{tar: base}], {label: 'native'});
	const foreign = craftImage([{tar: base}], {label: 'foreign', architecture: otherArchitecture});
	const attestation = craftImage([{tar: await tarOf([{name: 'attestation.json', body: '{}'}])}], {label: 'attestation'});
	for (const image of [attestation, foreign, native]) await pushCrafted(plain.host, 'berth/multi', image.manifestDigest, image);
	const entry = (image: Crafted, platform: object) => ({mediaType: image.mediaType, digest: image.manifestDigest, size: image.manifest.length, platform});
	const index = Buffer.from(
		JSON.stringify({
			schemaVersion: 2,
			mediaType: 'application/vnd.oci.image.index.v1+json',
			manifests: [entry(attestation, {os: 'unknown', architecture: 'unknown'}), entry(foreign, {os: 'linux', architecture: otherArchitecture, ...(otherArchitecture === 'arm64' ? {variant: 'v8'} : {})}), entry(native, {os: 'linux', architecture: hostArchitecture})],
		}),
	);
	await putManifest(plain.host, 'berth/multi', 'v1', index, 'application/vnd.oci.image.index.v1+json');
	const name = `${plain.host}/berth/multi:v1`;
	assert.equal(failureOf(await apiPull(engine, name)), undefined);
	const pulled = await engine.client.docker.getImage(name).inspect();
	assert.equal(pulled.Id, native.configDigest);
	assert.deepEqual(pulled.RepoDigests, [`${plain.host}/berth/multi@${digestOf(index)}`]);
	assert.equal(failureOf(await apiPull(engine, name, {platform: `linux/${otherArchitecture}`})), undefined);
	assert.equal((await engine.client.docker.getImage(name).inspect()).Id, foreign.configDigest);
	const absent = await apiPull(engine, name, {platform: 'linux/s390x'});
	assert.match(failureOf(absent) ?? '', new RegExp(`no matching manifest for linux/s390x in the manifest list entries \\(linux/${otherArchitecture}`));
});

test('a missing tag is a plain 404 with dockerd\'s words; an unreachable registry is named; a blocked one is not contacted', {skip: !has}, async () => {
	const missing = await apiPull(engine, `${plain.host}/berth/stream:nope`);
	assert.equal(missing.status, 404);
	assert.match(failureOf(missing) ?? '', /manifest for .*berth\/stream:nope not found: manifest unknown/);
	const closed = await apiPull(engine, '127.0.0.1:9/x/y:1');
	assert.match(failureOf(closed) ?? '', /registry 127\.0\.0\.1:9 could not be reached/);
	// The test engines block Docker Hub: a short name is refused before any lookup leaves the machine.
	const hub = await apiPull(engine, 'alpine');
	assert.deepEqual([hub.status, failureOf(hub)], [403, 'registry docker.io is blocked by the engine\'s configuration ("blocked-registries" in daemon.json)']);
	// Plain HTTP is tried only for loopback and configured insecure registries; mirrors come first, even for a blocked Hub.
	const settings = {insecureRegistries: ['10.1.0.0/16'], mirrors: ['http://127.0.0.1:5999/'], timeoutMs: 1000, blocked: ['docker.io', 'blocked.example']};
	assert.deepEqual(endpointsFor('registry.example', settings), ['https://registry.example']);
	assert.deepEqual(endpointsFor('10.1.2.3:5000', settings), ['https://10.1.2.3:5000', 'http://10.1.2.3:5000']);
	assert.deepEqual(endpointsFor('docker.io', settings), ['http://127.0.0.1:5999']);
	assert.deepEqual(endpointsFor('docker.io', {...settings, blocked: []}), ['http://127.0.0.1:5999', 'https://registry-1.docker.io']);
	assert.deepEqual(endpointsFor('blocked.example', settings), []);
});

test('a registry that lies: wrong bytes, a cut-off blob, a missing one, an escaping layer, a wrong diff id, a 100 MB manifest; nothing half-made is kept', {skip: !has}, async () => {
	const before = await imageIds(engine);
	const cases: Array<{name: string; image: () => Promise<Crafted>; lie?: Lie; expect: RegExp}> = [
		{name: 'wrong-bytes', image: async () => craftImage([{tar: await uniqueLayer('wrong')}]), lie: 'wrong-bytes', expect: /filesystem layer verification failed for digest sha256:/},
		{name: 'truncated', image: async () => craftImage([{tar: await uniqueLayer('cut')}]), lie: 'truncated', expect: /was cut off|verification failed/},
		{name: 'missing', image: async () => craftImage([{tar: await uniqueLayer('missing')}]), lie: 'missing', expect: /blob unknown/},
		{name: 'escape', image: async () => craftImage([{tar: await tarOf([{name: '../../../../tmp/berth-escaped', body: 'out'}])}]), expect: /refused/},
		{name: 'through-link', image: async () => craftImage([{tar: await tarOf([{name: 'out', type: 'symlink', linkname: '/tmp'}, {name: 'out/berth-escaped', body: 'out'}])}]), expect: /refused/},
	];
	for (const item of cases) {
		const image = await item.image();
		hostile.images.set(`hostile/${item.name}:v1`, image);
		if (item.lie) hostile.lies.set(image.layers[0]!.digest, item.lie);
		const result = await apiPull(engine, `${hostile.host}/hostile/${item.name}:v1`);
		assert.match(failureOf(result) ?? 'no error', item.expect, item.name);
		assert.deepEqual(await imageIds(engine), before, item.name);
		assertNoLeftovers(engine);
	}

	assert.equal(existsSync('/tmp/berth-escaped'), false);
	// A config whose diff id is not what the layer unpacks to.
	const honest = craftImage([{tar: base}], {label: 'diff'});
	const config = JSON.parse(honest.config.toString()) as {rootfs: {diff_ids: string[]}};
	config.rootfs.diff_ids = [`sha256:${'0'.repeat(64)}`];
	const lyingConfig = Buffer.from(JSON.stringify(config));
	const manifest = JSON.parse(honest.manifest.toString()) as {config: {digest: string; size: number}};
	manifest.config = {...manifest.config, digest: digestOf(lyingConfig), size: lyingConfig.length};
	const manifestBytes = Buffer.from(JSON.stringify(manifest));
	hostile.images.set('hostile/diff:v1', {...honest, config: lyingConfig, manifest: manifestBytes, manifestDigest: digestOf(manifestBytes), blobs: new Map([...honest.blobs, [digestOf(lyingConfig), lyingConfig]])});
	assert.match(failureOf(await apiPull(engine, `${hostile.host}/hostile/diff:v1`)) ?? '', /not the diff id/);
	const huge = await apiPull(engine, `${hostile.host}/hostile/diff:${hostile.hugeManifestTag}`);
	assert.match(failureOf(huge) ?? '', /goes past the 4194304 bytes a manifest may have/);
	assert.deepEqual(await imageIds(engine), before);
	assertNoLeftovers(engine);
});

test('an interrupted pull leaves no image, and the next pull reuses the layers it had verified', {skip: !has}, async () => {
	const image = craftImage([{tar: await uniqueLayer('resume-1')}, {tar: await uniqueLayer('resume-2')}]);
	hostile.images.set('hostile/resume:v1', image);
	hostile.lies.set(image.layers[1]!.digest, 'missing');
	const first = await apiPull(engine, `${hostile.host}/hostile/resume:v1`);
	assert.match(failureOf(first) ?? '', /blob unknown/);
	await assert.rejects(engine.client.docker.getImage(image.configDigest).inspect(), /no such image/i);
	hostile.lies.delete(image.layers[1]!.digest);
	const again = await apiPull(engine, `${hostile.host}/hostile/resume:v1`);
	assert.equal(failureOf(again), undefined);
	assert.equal(hostile.blobGets.get(image.layers[0]!.digest), 1, 'the verified first layer is not fetched again');
	assert.ok(!again.messages.some(message => message.id === image.layers[0]!.digest.slice(7, 19) && message.status === 'Downloading'));
});

test('a pull cut by kill -9 of the engine leaves nothing half-made; after the restart the pull completes, reusing the layer it had verified', {skip: !has}, async () => {
	const image = craftImage([{tar: await uniqueLayer('crash-1')}, {tar: await uniqueLayer('crash-2')}]);
	hostile.images.set('hostile/crash:v1', image);
	hostile.lies.set(image.layers[1]!.digest, 'stall');
	const crashing = await startTestEngine({config: {'registry-timeout-seconds': 60}});
	try {
		const cut = apiPull(crashing, `${hostile.host}/hostile/crash:v1`).catch(() => undefined);
		const layers = path.join(crashing.env.BERTH_ENGINE_STATE!, 'layers');
		// Once the first layer is in and the second is half sent, the engine dies.
		const firstIn = () => existsSync(path.join(layers, image.layers[0]!.diffId.slice(7))) && (hostile.blobGets.get(image.layers[1]!.digest) ?? 0) > 0;
		for (let waited = 0; !firstIn() && waited < 200; waited++) await new Promise(resolve => setTimeout(resolve, 50));
		assert.ok(firstIn(), 'the first layer was unpacked while the second stalled');
		await crashing.crash();
		await cut;
		await crashing.restart();
		await assert.rejects(crashing.client.docker.getImage(image.configDigest).inspect(), /no such image/i);
		assertNoLeftovers(crashing);
		hostile.lies.delete(image.layers[1]!.digest);
		const before = hostile.blobGets.get(image.layers[0]!.digest);
		const again = await apiPull(crashing, `${hostile.host}/hostile/crash:v1`);
		assert.equal(failureOf(again), undefined);
		assert.equal(hostile.blobGets.get(image.layers[0]!.digest), before, 'the verified first layer is not fetched again');
		assert.equal((await crashing.client.docker.getImage(image.configDigest).inspect()).Id, image.configDigest);
	} finally {
		await crashing.cleanup();
	}
});

test('two pulls of one image at once share each download', {skip: !has}, async () => {
	const image = craftImage([{tar: await uniqueLayer('shared-1')}, {tar: await uniqueLayer('shared-2')}]);
	hostile.images.set('hostile/shared:v1', image);
	for (const layer of image.layers) hostile.lies.set(layer.digest, 'slow');
	const [one, two] = await Promise.all([apiPull(engine, `${hostile.host}/hostile/shared:v1`), apiPull(engine, `${hostile.host}/hostile/shared:v1`)]);
	assert.equal(failureOf(one), undefined);
	assert.equal(failureOf(two), undefined);
	for (const layer of image.layers) assert.equal(hostile.blobGets.get(layer.digest), 1);
});

test('four layers to fetch and three download slots: the fourth waits, then comes', {skip: !has}, async () => {
	const layers = await Promise.all([1, 2, 3, 4].map(index => uniqueLayer(`slot-${index}`)));
	const image = craftImage(layers.map(tar => ({tar})));
	hostile.images.set('hostile/slots:v1', image);
	for (const layer of image.layers) hostile.lies.set(layer.digest, 'slow');
	const result = await apiPull(engine, `${hostile.host}/hostile/slots:v1`);
	assert.equal(failureOf(result), undefined);
	const waited = image.layers.filter(layer => result.messages.some(message => message.id === layer.digest.slice(7, 19) && message.status === 'Waiting'));
	assert.deepEqual(waited.map(layer => layer.digest), [image.layers[3]!.digest]);
});

test('a registry that stops sending is given up on, naming it, after the configured time', {skip: !has}, async () => {
	const impatient = await startTestEngine({config: {'registry-timeout-seconds': 1}});
	try {
		const image = craftImage([{tar: await uniqueLayer('stall')}]);
		hostile.images.set('hostile/stall:v1', image);
		hostile.lies.set(image.layers[0]!.digest, 'stall');
		const result = await apiPull(impatient, `${hostile.host}/hostile/stall:v1`);
		assert.match(failureOf(result) ?? '', new RegExp(`registry ${hostile.host} stopped sending layer`));
		assertNoLeftovers(impatient);
	} finally {
		await impatient.cleanup();
	}
});

test('a daemon.json that cannot be read right stops the engine with the reason', {skip: !has}, async () => {
	await assert.rejects(startTestEngine({config: {'registry-mirrors': ['not a url']}}), /registry mirror "not a url" must be an http/);
});

test('the engine pushes as dockerd does: layers uploaded, then already there, then mounted into another repository; dockerd pulls it back with the same id', {skip: !has}, async t => {
	const daemon = await requireDaemon(t);
	if (!daemon) return;
	// An image the engine loaded (no blob of it yet: the layers are compressed from their exact tars) with a layer of its own.
	const layer = await uniqueLayer('pushed');
	const crafted = craftImage([{tar: base, compression: 'none'}, {tar: layer, compression: 'none'}], {label: 'pushed', cmd: ['/bin/sh', '-c', 'cat /etc/pushed']});
	const archive = await savedArchive([{image: crafted, tags: ['berth/pushed:1']}], new Map([[digestOf(base), base], [digestOf(layer), layer]]));
	await engine.client.docker.loadImage(archive as never).then(stream => new Promise(resolve => (stream as NodeJS.ReadableStream).on('end', resolve).resume()));
	const name = `${plain.host}/berth/pushed:1`;
	await engine.docker('tag', 'berth/pushed:1', name);
	const ids = crafted.layers.map(one => one.diffId.slice(7, 19));
	const first = await engine.docker('push', name);
	assert.match(first.stdout, new RegExp(`^The push refers to repository \\[${plain.host.replaceAll('.', '\\.')}/berth/pushed\\]\n`));
	for (const id of ids) {
		assert.match(first.stdout, new RegExp(`^${id}: Preparing$`, 'm'));
		assert.match(first.stdout, new RegExp(`^${id}: (Pushed|Layer already exists)$`, 'm'));
	}

	assert.match(first.stdout, new RegExp(`^${ids[1]}: Pushed$`, 'm'), 'the new layer is uploaded');
	const digest = /^1: digest: (sha256:[0-9a-f]{64}) size: \d+$/m.exec(first.stdout)?.[1];
	assert.ok(digest, first.stdout);
	assert.deepEqual(JSON.parse((await engine.docker('image', 'inspect', '-f', '{{json .RepoDigests}}', name)).stdout), [`${plain.host}/berth/pushed@${digest}`]);

	const again = await engine.docker('push', name);
	for (const id of ids) assert.match(again.stdout, new RegExp(`^${id}: Layer already exists$`, 'm'));
	assert.match(again.stdout, new RegExp(`digest: ${digest}`), 'the same blobs, the same manifest');

	const elsewhere = `${plain.host}/berth/pushed-copy:1`;
	await engine.docker('tag', name, elsewhere);
	const mounted = await engine.docker('push', elsewhere);
	assert.match(mounted.stdout, new RegExp(`^${ids[1]}: Mounted from berth/pushed$`, 'm'));

	t.after(() => daemon.docker.getImage(elsewhere).remove().catch(() => undefined));
	await promisify(execFile)('docker', ['pull', elsewhere], {env: {...process.env}});
	assert.equal((await daemon.docker.getImage(elsewhere).inspect()).Id, crafted.configDigest, 'dockerd computes the same image id from what the engine pushed');
	const ran = await promisify(execFile)('docker', ['run', '--rm', '--network', 'none', elsewhere], {env: {...process.env}});
	assert.match(ran.stdout, /^pushed \d+ \d+\n$/);

	const missing = await engine.docker('push', `${plain.host}/berth/never:1`).catch((error: {stderr: string}) => error);
	assert.match((missing as {stderr: string}).stderr, /An image does not exist locally with the tag: .*berth\/never/);
});

test('docker push prints the same lines against the engine as against dockerd, for the same image', {skip: !has}, async t => {
	const daemon = await requireDaemon(t);
	if (!daemon) return;
	await engine.docker('load', '-i', saveTestImage(work));
	const stamp = Date.now();
	const onDockerd = `${plain.host}/berth/push-dockerd-${stamp}:1`;
	const onEngine = `${plain.host}/berth/push-engine-${stamp}:1`;
	await promisify(execFile)('docker', ['tag', testImage, onDockerd], {env: {...process.env}});
	t.after(() => daemon.docker.getImage(onDockerd).remove().catch(() => undefined));
	await engine.docker('tag', testImage, onEngine);
	// Each compresses its own blobs (gzip differs), so digests and sizes differ; the lines do not.
	const lines = (output: string, repository: string) =>
		output
			.replaceAll(repository, '<repository>')
			.replace(/digest: sha256:[0-9a-f]{64} size: \d+/, 'digest: <digest> size: <size>')
			.split('\n')
			.filter(Boolean)
			.sort();
	const fromDockerd = (await promisify(execFile)('docker', ['push', onDockerd], {env: {...process.env}})).stdout;
	const fromEngine = (await engine.docker('push', onEngine)).stdout;
	assert.deepEqual(lines(fromEngine, `${plain.host}/berth/push-engine-${stamp}`), lines(fromDockerd, `${plain.host}/berth/push-dockerd-${stamp}`));
});

test('push with credentials: refused anonymously, naming the registry; after docker login, berth push succeeds and the image pulls back', {skip: !has}, async () => {
	const name = `${tokened.host}/team/pushed:1`;
	await engine.docker('tag', 'berth/pushed:1', name);
	const refused = await engine.docker('push', name).catch((error: {stderr: string; stdout: string}) => error);
	assert.match(`${(refused as {stdout: string}).stdout}${(refused as {stderr: string}).stderr}`, new RegExp(`access denied for team/pushed on ${tokened.host}.*docker login`));
	const config = mkdtempSync(path.join(work, 'docker-config-'));
	const env = {...process.env, DOCKER_CONFIG: config, DOCKER_HOST: engine.url};
	assert.match((await promisify(execFile)('docker', ['login', '-u', user, '-p', password, tokened.host], {env})).stdout, /Login Succeeded/);
	const pushed = await new Promise<{code: number; stdout: string; stderr: string}>(resolve => {
		const child = execFile(process.execPath, [berthBin, 'push', name], {env}, (error, stdout, stderr) => resolve({code: error ? ((error as {code?: number}).code ?? 1) : 0, stdout, stderr}));
		child.stdin?.end();
	});
	assert.equal(pushed.code, 0, pushed.stderr);
	assert.match(pushed.stdout, /^The push refers to repository \[.*team\/pushed\]\n/);
	assert.match(pushed.stdout, /: (Pushed|Layer already exists|Mounted from .*)\n/);
	assert.match(pushed.stdout, /\n1: digest: sha256:[0-9a-f]{64} size: \d+\n$/);
	await engine.docker('rmi', name);
	const back = await apiPull(engine, name, {auth: {username: user, password, serveraddress: tokened.host}});
	assert.equal(failureOf(back), undefined);
	const usage = await new Promise<{code: number; stderr: string}>(resolve => {
		execFile(process.execPath, [berthBin, 'push'], {env}, (error, _stdout, stderr) => resolve({code: (error as {code?: number} | null)?.code ?? 0, stderr}));
	});
	assert.deepEqual([usage.code, usage.stderr.split('\n')[0]], [2, 'berth push: berth push [-q] NAME[:TAG]']);
});
