// Requests for each kind against a real Docker daemon (client/resources/*, through EngineClient):
// lifecycle actions with the daemon's own refusals, and images, volumes and networks changed and
// pruned, each checked through the API.
import assert from 'node:assert/strict';
import {after, test} from 'node:test';
import {createEngineClient} from '../../source/client/engine-client.ts';
import {daemonMessage, RequestError} from '../../source/client/errors.ts';
import {startResourceFeed} from '../../source/client/feed.ts';
import {listContainers, runAction} from '../../source/client/resources/containers.ts';
import {listImages} from '../../source/client/resources/images.ts';
import {listNetworks} from '../../source/client/resources/networks.ts';
import {listVolumes} from '../../source/client/resources/volumes.ts';
import {ownerLabels, removeTestContainers, requireDaemon, runContainer, testImage, uniqueName} from '../helpers/daemon.ts';

let cleanup: (() => Promise<void>) | undefined;
after(async () => cleanup?.());

test('a refused action carries the daemon\'s own message; starting a running container is no failure', async t => {
	const daemon = await requireDaemon(t);
	if (!daemon) return;
	cleanup = () => removeTestContainers(daemon.docker);
	const container = await runContainer(daemon.docker, {cmd: ['sleep', '300']});
	const refused = await runAction(daemon.docker, container.id, 'remove').catch((error: unknown) => error);
	assert.match(daemonMessage(refused), /You cannot remove a running container/i);
	await runAction(daemon.docker, container.id, 'start');
	await runAction(daemon.docker, container.id, 'pause');
	assert.equal((await container.inspect()).State.Paused, true);
	await runAction(daemon.docker, container.id, 'unpause');
	assert.equal((await container.inspect()).State.Paused, false);
	await runAction(daemon.docker, container.id, 'remove', {force: true});
	assert.ok(!(await listContainers(daemon.docker)).some(item => item.id === container.id));
	const missing = await runAction(daemon.docker, container.id, 'start').catch((error: unknown) => error);
	assert.match(daemonMessage(missing), /no such container/i);
});

test('images: tag, remove (refused while in use unless forced), prune dangling with the space reclaimed', async t => {
	const daemon = await requireDaemon(t);
	if (!daemon) return;
	const client = createEngineClient(daemon, startResourceFeed(daemon.docker));
	try {
		const base = (await client.images.inspect(testImage)).Id!;
		const name = `${uniqueName('img')}/busybox`;
		await client.images.tag(base, `${name}:one`);
		assert.ok((await listImages(daemon.docker)).some(image => image.reference === `${name}:one`));
		// A container of the tag: removing it is refused with the daemon's words, unless forced.
		await daemon.docker.createContainer({Image: `${name}:one`, Cmd: ['true'], Labels: ownerLabels, HostConfig: {NetworkMode: 'none'}});
		await client.images.tag(base, `${name}:two`);
		await client.images.remove(`${name}:two`, false);
		assert.ok(!(await listImages(daemon.docker)).some(image => image.reference === `${name}:two`), 'a second tag goes at once');
		// A dangling image: committed from a container, with no tag.
		const scratch = await runContainer(daemon.docker, {cmd: ['sh', '-c', 'echo data > /dangling']});
		await scratch.wait();
		const committed = (await scratch.commit({})) as {Id: string};
		assert.ok((await listImages(daemon.docker)).some(image => image.imageId === committed.Id && image.dangling), 'the commit is dangling');
		await scratch.remove();
		const result = await client.images.prune('dangling');
		assert.ok(result.deleted >= 1, `pruned ${result.deleted}`);
		assert.ok(!(await listImages(daemon.docker)).some(image => image.imageId === committed.Id), 'the dangling image is gone');
		await client.images.remove(`${name}:one`, true);
	} finally {
		client.feed.stop();
	}
});

test('volumes and networks: removed, refused while in use, pruned', async t => {
	const daemon = await requireDaemon(t);
	if (!daemon) return;
	const client = createEngineClient(daemon, startResourceFeed(daemon.docker));
	try {
		const used = uniqueName('vol');
		const unused = uniqueName('vol');
		await daemon.docker.createVolume({Name: used, Labels: ownerLabels});
		await daemon.docker.createVolume({Name: unused, Labels: ownerLabels});
		await daemon.docker.createContainer({Image: testImage, Cmd: ['true'], Labels: ownerLabels, HostConfig: {NetworkMode: 'none', Binds: [`${used}:/data`]}});
		const refused = await client.volumes.remove(used).catch((error: unknown) => error);
		assert.ok(refused instanceof RequestError && /in use/.test(refused.message), String(refused));
		const pruned = await client.volumes.prune();
		assert.ok(pruned.deleted >= 1);
		const names = (await listVolumes(daemon.docker)).map(volume => volume.name);
		assert.ok(names.includes(used) && !names.includes(unused), 'the unused one went, the used one stayed');

		const network = uniqueName('net');
		const created = await daemon.docker.createNetwork({Name: network, Labels: ownerLabels, Internal: true});
		assert.ok((await listNetworks(daemon.docker)).some(item => item.name === network));
		const predefined = await client.networks.remove('none').catch((error: unknown) => error);
		assert.ok(predefined instanceof RequestError && predefined.status === 403, 'a predefined network is refused');
		await client.networks.remove(created.id);
		assert.ok(!(await listNetworks(daemon.docker)).some(item => item.name === network));
	} finally {
		client.feed.stop();
	}
});
