// The live feed (client/feed.ts) against a real Docker daemon: containers followed from the event
// stream, other kinds listed again after their own events, every event kept for the events panel,
// and a lost connection reported, reconnected and listed again.
import assert from 'node:assert/strict';
import {after, test} from 'node:test';
import {createDocker} from '../../source/client/connect/connect.ts';
import {listers} from '../../source/client/engine-client.ts';
import {startResourceFeed} from '../../source/client/feed.ts';
import type {Container} from '../../source/state/container.ts';
import type {ImageItem} from '../../source/state/panels/images.ts';
import type {VolumeItem} from '../../source/state/panels/volumes.ts';
import {eventually, ownerLabels, removeTestContainers, requireDaemon, runContainer, testImage, uniqueName} from '../helpers/daemon.ts';
import {startEngineProxy} from '../helpers/proxy.ts';

let cleanup: (() => Promise<void>) | undefined;
after(async () => cleanup?.());

test('containers are followed through create, start, rename, stop and remove, from the event stream alone', async t => {
	const daemon = await requireDaemon(t);
	if (!daemon) return;
	const {docker} = daemon;
	cleanup = () => removeTestContainers(docker);
	const known = new Map<string, Container>();
	let syncs = 0;
	let connected = false;
	const feed = startResourceFeed(docker);
	feed.subscribe({
		synced(containers) {
			syncs++;
			known.clear();
			for (const container of containers) known.set(container.id, container);
		},
		upserted(containers) {
			for (const container of containers) known.set(container.id, container);
		},
		removed(ids) {
			for (const id of ids) known.delete(id);
		},
		connection(status) {
			connected = status === 'connected';
		},
	});
	try {
		assert.ok(await eventually(() => syncs === 1 && connected), 'first sync');
		const name = uniqueName('watch');
		const container = await runContainer(docker, {name, cmd: ['sleep', '300'], start: false});
		const {id} = container;
		// Generous bounds: this is about the events being followed, not about speed (bench/ is).
		const seen = async (what: string, check: () => boolean) => assert.ok(await eventually(check, 5000, 10), `${what} seen (state: ${JSON.stringify(known.get(id))})`);
		await seen('create', () => known.get(id)?.state === 'created');
		await container.start();
		await seen('start', () => known.get(id)?.state === 'running');
		await container.rename({name: `${name}-renamed`});
		await seen('rename', () => known.get(id)?.name === `${name}-renamed`);
		await container.kill();
		await container.wait();
		await seen('stop', () => known.get(id)?.state === 'exited');
		await container.remove();
		await seen('remove', () => !known.has(id));
		assert.equal(syncs, 1, 'no re-listing while the stream is healthy');
	} finally {
		feed.stop();
	}
});

test('a watched kind is listed again after its own events; every event is kept for the events panel', async t => {
	const daemon = await requireDaemon(t);
	if (!daemon) return;
	const {docker} = daemon;
	const feed = startResourceFeed(docker);
	let images: ImageItem[] = [];
	let volumes: VolumeItem[] = [];
	const stopImages = feed.watch(listers.images, {synced: items => (images = items), failed: error => assert.fail(error.message)});
	const stopVolumes = feed.watch(listers.volumes, {synced: items => (volumes = items), failed: error => assert.fail(error.message)});
	const tag = uniqueName('tag');
	const volume = uniqueName('vol');
	try {
		assert.ok(await eventually(() => images.some(image => image.reference === `${testImage}:latest`)), 'the test image is listed');
		await docker.getImage(testImage).tag({repo: `${tag}/x`, tag: 'v1'});
		assert.ok(await eventually(() => images.some(image => image.reference === `${tag}/x:v1`)), 'a tag made elsewhere is listed');
		await docker.getImage(`${tag}/x:v1`).remove();
		assert.ok(await eventually(() => !images.some(image => image.reference === `${tag}/x:v1`)), 'and its removal');
		await docker.createVolume({Name: volume, Labels: ownerLabels});
		assert.ok(await eventually(() => volumes.some(item => item.name === volume)), 'a volume made elsewhere is listed');
		await docker.getVolume(volume).remove();
		assert.ok(await eventually(() => !volumes.some(item => item.name === volume)), 'and its removal');
		const recent = feed.recentEvents();
		assert.ok(recent.some(event => event.type === 'image' && event.action === 'tag'), 'the tag event is kept');
		assert.ok(recent.some(event => event.type === 'volume' && event.action === 'create' && event.actorName === volume), 'the volume event is kept, with its name');
	} finally {
		stopImages();
		stopVolumes();
		feed.stop();
	}
});

test('after the connection drops, the feed says so, reconnects and lists again', async t => {
	const daemon = await requireDaemon(t);
	if (!daemon) return;
	if (daemon.endpoint.kind !== 'unix') {
		t.skip('the proxy speaks to a unix socket daemon only');
		return;
	}

	const proxy = await startEngineProxy(daemon.endpoint.socketPath);
	const docker = createDocker({kind: 'unix', url: proxy.url, socketPath: proxy.socketPath}, daemon.apiVersion);
	const statuses: string[] = [];
	let syncs = 0;
	const feed = startResourceFeed(docker);
	let images = 0;
	feed.watch(listers.images, {synced: () => images++, failed: () => undefined});
	feed.subscribe({synced: () => syncs++, upserted() {}, removed() {}, connection: status => statuses.push(status)});
	try {
		assert.ok(await eventually(() => syncs === 1 && images >= 1), 'first lists');
		const imagesBefore = images;
		proxy.cut();
		assert.ok(await eventually(() => statuses.includes('disconnected')), 'the drop is reported');
		assert.ok(await eventually(() => syncs === 2 && statuses.at(-1) === 'connected', 10_000), 're-synced after reconnecting');
		assert.ok(await eventually(() => images > imagesBefore, 10_000), 'the watched kind is listed again too');
	} finally {
		feed.stop();
		proxy.close();
	}
});
