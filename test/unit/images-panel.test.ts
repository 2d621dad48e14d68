// The images panel's model (state/panels/images.ts) and the rows the client makes of dockerd's
// image list (client/resources/images.ts toImageItems): a row a tag, dangling images marked, who
// uses each, and the questions its actions ask.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {splitReference, toImageItems} from '../../source/client/resources/images.ts';
import {buildRows, defaultSort} from '../../source/state/list.ts';
import {ago, type ImageItem, imagesPanel} from '../../source/state/panels/images.ts';
import {formatSize, layoutColumns, rowCells} from '../../source/state/panels/panel.ts';

const id = `sha256:${'ab'.repeat(32)}`;

test('an image has a row for each tag; an untagged one a <none> row, under its repository when it came by digest', () => {
	const rows = toImageItems({Id: id, RepoTags: ['busybox:latest', 'localhost:5000/team/busybox:1.36'], RepoDigests: [], Created: 100, Size: 2_000_000} as never);
	assert.deepEqual(rows.map(row => [row.repository, row.tag, row.reference, row.dangling]), [
		['busybox', 'latest', 'busybox:latest', false],
		['localhost:5000/team/busybox', '1.36', 'localhost:5000/team/busybox:1.36', false],
	]);
	assert.notEqual(rows[0]!.id, rows[1]!.id, 'each row has a key of its own');
	const dangling = toImageItems({Id: id, RepoTags: ['<none>:<none>'], RepoDigests: ['<none>@<none>'], Created: 1, Size: 1} as never);
	assert.deepEqual(dangling.map(row => [row.name, row.reference, row.dangling]), [['<none>:<none>', 'abababababab', true]]);
	const digested = toImageItems({Id: id, RepoTags: [], RepoDigests: ['alpine@sha256:99'], Created: 1, Size: 1} as never);
	assert.equal(digested[0]!.name, 'alpine:<none>');
});

test('a reference splits into repository and tag the way docker reads it', () => {
	assert.deepEqual(splitReference('busybox'), {repo: 'busybox', tag: 'latest'});
	assert.deepEqual(splitReference('localhost:5000/x'), {repo: 'localhost:5000/x', tag: 'latest'});
	assert.deepEqual(splitReference('localhost:5000/a/b:v1'), {repo: 'localhost:5000/a/b', tag: 'v1'});
	assert.deepEqual(splitReference('alpine@sha256:abc'), {repo: 'alpine', tag: 'sha256:abc'});
});

const image = (name: string, extra: Partial<ImageItem> = {}): ImageItem => {
	const [repository = name, tag = 'latest'] = name.split(':');
	return {id: `${id}|${name}`, imageId: id, repository, tag, reference: name, created: 0, size: 1_500_000, dangling: false, name, ...extra};
};

test('the columns: name (dangling marked), id, age, size as docker prints it, and how many containers use it', () => {
	const layout = layoutColumns(imagesPanel.columns, 78);
	const usage = {byImage: new Map([[id, ['web', 'db']]]), byVolume: new Map(), byNetwork: new Map()};
	const now = Date.now();
	const cells = rowCells(imagesPanel.columns, layout, image('busybox:latest', {created: now / 1000 - 7200}), {now, usage}).map(cell => cell.text.trim());
	assert.deepEqual(cells, ['busybox:latest', 'abababababab', '2 hours ago', '1.5MB', '2']);
	const dangling = rowCells(imagesPanel.columns, layout, image('<none>:<none>', {dangling: true, repository: '<none>'}), {now, usage: {byImage: new Map(), byVolume: new Map(), byNetwork: new Map()}});
	assert.equal(dangling[0]!.text.trim(), '<none>:<none> (dangling)');
	assert.equal(dangling[0]!.tone, 'muted');
	assert.equal(formatSize(999), '999B');
	assert.equal(formatSize(12_345_678), '12.3MB');
	assert.equal(ago(0, now), '', 'no date, no age');
});

test('images sort by name with the untagged last, or by size or age; remove asks and offers force', () => {
	const items = [image('zeta:1', {size: 5, created: 3}), image('<none>:<none>', {repository: '<none>', dangling: true, id: 'x', size: 9, created: 9}), image('alpha:2', {size: 1, created: 5})];
	const names = (sort = defaultSort) => buildRows(imagesPanel, items, '', sort, new Map()).map(row => (row.kind === 'item' ? row.item.name : ''));
	assert.deepEqual(names(), ['alpha:2', 'zeta:1', '<none>:<none>']);
	assert.deepEqual(names({key: 'size', reverse: false}), ['<none>:<none>', 'zeta:1', 'alpha:2']);
	assert.deepEqual(names({key: 'created', reverse: false}), ['<none>:<none>', 'alpha:2', 'zeta:1']);
	const remove = imagesPanel.actions[0]!;
	assert.deepEqual(remove.ask!([image('busybox:latest')]).choices.map(choice => choice.key), ['y', 'f', 'n']);
	assert.equal(remove.ask!([image('a:1'), image('b:1')]).text, 'Remove 2 images (a:1, b:1)?');
	const prune = imagesPanel.commands.find(command => command.command === 'prune')!;
	assert.deepEqual(prune.ask!([]).choices.map(choice => choice.verb), ['dangling', 'unused', undefined]);
});
