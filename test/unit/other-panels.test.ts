// The volumes, networks, events and disk usage panels' models (state/panels/*.ts), with the rows
// the client makes of the engine's answers (client/resources/*.ts, client/feed.ts toEventItem).
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {toEventItem} from '../../source/client/feed.ts';
import {toNetworkItem} from '../../source/client/resources/networks.ts';
import {toDiskItems} from '../../source/client/resources/system.ts';
import {toVolumeItem} from '../../source/client/resources/volumes.ts';
import {buildRows, defaultSort} from '../../source/state/list.ts';
import {diskEntryLines, diskPanel, reclaimableText} from '../../source/state/panels/disk.ts';
import {eventLines, eventsPanel, panelOfEvent} from '../../source/state/panels/events.ts';
import {networksPanel} from '../../source/state/panels/networks.ts';
import {layoutColumns, rowCells} from '../../source/state/panels/panel.ts';
import {volumesPanel} from '../../source/state/panels/volumes.ts';

test('volumes: name, driver, where, size only where the engine reports it, and who mounts it', () => {
	const volume = toVolumeItem({Name: 'data', Driver: 'local', Mountpoint: '/var/lib/docker/volumes/data/_data', CreatedAt: '2026-11-01T10:00:00Z', UsageData: {Size: -1, RefCount: -1}});
	assert.equal(volume.size, undefined, '-1 means not measured');
	assert.equal(toVolumeItem({Name: 'm', UsageData: {Size: 4096}}).size, 4096);
	const usage = {byImage: new Map(), byVolume: new Map([['data', ['web', 'db']]]), byNetwork: new Map()};
	const cells = rowCells(volumesPanel.columns, layoutColumns(volumesPanel.columns, 130), volume, {now: Date.parse('2026-11-29T10:00:00Z'), usage}).map(cell => cell.text.trim());
	assert.deepEqual(cells, ['data', 'local', '/var/lib/docker/volumes/data/_data', '4 weeks ago', '', 'web, db']);
	assert.equal(volumesPanel.actions[0]!.ask!([volume]).text, 'Remove volume data?');
});

test('networks: name, id, driver, scope, subnets, and the containers attached', () => {
	const network = toNetworkItem({Id: 'f'.repeat(64), Name: 'shop_default', Driver: 'bridge', Scope: 'local', IPAM: {Config: [{Subnet: '172.20.0.0/16'}, {Subnet: 'fd00::/64'}]}});
	assert.equal(network.subnet, '172.20.0.0/16, fd00::/64');
	const usage = {byImage: new Map(), byVolume: new Map(), byNetwork: new Map([['f'.repeat(64), ['shop_web_1']]])};
	const cells = rowCells(networksPanel.columns, layoutColumns(networksPanel.columns, 100), network, {now: 0, usage}).map(cell => cell.text.trim());
	assert.deepEqual(cells, ['shop_default', 'ffffffffffff', 'bridge', 'local', '172.20.0.0/16, fd…', 'shop_web_1']);
	const names = buildRows(networksPanel, [network, toNetworkItem({Id: '1', Name: 'bridge'})], '', defaultSort, new Map()).map(row => (row.kind === 'item' ? row.item.name : ''));
	assert.deepEqual(names, ['bridge', 'shop_default']);
});

test('events: the actor named, newest first, their details, and the panel that shows what one is about', () => {
	const start = toEventItem({Type: 'container', Action: 'start', Actor: {ID: 'c'.repeat(64), Attributes: {name: 'web', image: 'busybox'}}, timeNano: 1_700_000_000_000_000_000}, 1);
	const pull = toEventItem({Type: 'image', Action: 'pull', Actor: {ID: 'busybox:latest', Attributes: {name: 'busybox'}}, time: 1_700_000_001}, 2);
	const connect = toEventItem({Type: 'network', Action: 'connect', Actor: {ID: 'n'.repeat(64), Attributes: {container: 'c'.repeat(64), name: 'none'}}}, 3);
	assert.equal(start.actorName, 'web');
	assert.equal(pull.time, 1_700_000_001e9);
	assert.equal(connect.actorName, 'none');
	assert.equal(panelOfEvent(start), 'containers');
	assert.equal(panelOfEvent(pull), 'images');
	assert.equal(panelOfEvent({...start, type: 'daemon'}), undefined);
	assert.deepEqual(buildRows(eventsPanel, [start, pull, connect], '', defaultSort, new Map()).map(row => row.key), [connect.id, pull.id, start.id]);
	assert.deepEqual(buildRows(eventsPanel, [start, pull, connect], 'pull', defaultSort, new Map()).map(row => row.key), [pull.id]);
	assert.ok(eventLines(start).includes('  image=busybox'));
	assert.equal(eventsPanel.enter, 'jump');
});

test('disk usage is docker system df\'s figures: totals, in use, size, what could be reclaimed', () => {
	const items = toDiskItems({
		LayersSize: 3_000_000,
		Images: [
			{Id: 'sha256:a', RepoTags: ['a:1'], Size: 2_000_000, SharedSize: 0, Containers: 1},
			{Id: 'sha256:b', RepoTags: ['<none>:<none>'], Size: 1_000_000, SharedSize: 0, Containers: 0},
		],
		Containers: [{Id: 'x', Names: ['/web'], SizeRw: 10, State: 'running'}, {Id: 'y', Names: ['/old'], SizeRw: 30, State: 'exited'}],
		Volumes: [{Name: 'data', UsageData: {Size: 500, RefCount: 1}}, {Name: 'junk', UsageData: {Size: 200, RefCount: 0}}],
		BuildCache: [],
	});
	const [images, containers, volumes, cache] = items;
	assert.deepEqual([images!.total, images!.active, images!.size, images!.reclaimable], [2, 1, 3_000_000, 1_000_000]);
	assert.equal(reclaimableText(images!), '1MB (33%)');
	assert.deepEqual([containers!.total, containers!.active, containers!.size, containers!.reclaimable], [2, 1, 40, 30]);
	assert.deepEqual([volumes!.active, volumes!.size, volumes!.reclaimable], [1, 700, 200]);
	assert.equal(cache!.total, 0);
	assert.match(diskEntryLines(images!)[0]!, /^a:1 +2MB +in use$/);
	assert.deepEqual(buildRows(diskPanel, [...items].reverse(), '', defaultSort, new Map()).map(row => row.key), ['images', 'containers', 'volumes', 'build-cache']);
});
