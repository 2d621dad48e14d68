import assert from 'node:assert/strict';
import {test} from 'node:test';
import {buildRows, nearestContainerRow, scrollTop} from '../source/state/rows.ts';
import {naturalCompare} from '../source/state/natural-compare.ts';
import {makeContainer} from './helpers/fixtures.ts';

const names = (rows: ReturnType<typeof buildRows>) => rows.map(row => (row.kind === 'group' ? `[${row.project} ${row.running}/${row.total}]` : row.container.name));

test('running containers come first, then by name, numbers in natural order', () => {
	const rows = buildRows([
		makeContainer({name: 'zeta'}),
		makeContainer({name: 'alpha', state: 'exited'}),
		makeContainer({name: 'web10'}),
		makeContainer({name: 'web9'}),
		makeContainer({name: 'beta', state: 'paused'}),
	]);
	assert.deepEqual(names(rows), ['beta', 'web9', 'web10', 'zeta', 'alpha']);
});

test('compose projects are grouped under a header with their counts, after loose containers', () => {
	const rows = buildRows([
		makeContainer({name: 'shop-db', project: 'shop', state: 'exited'}),
		makeContainer({name: 'solo'}),
		makeContainer({name: 'shop-web', project: 'shop'}),
		makeContainer({name: 'blog-web', project: 'blog'}),
	]);
	assert.deepEqual(names(rows), ['solo', '[blog 1/1]', 'blog-web', '[shop 1/2]', 'shop-web', 'shop-db']);
});

test('the filter matches names and images fuzzily', () => {
	const containers = [
		makeContainer({name: 'payments-api', image: 'node:20'}),
		makeContainer({name: 'postgres', image: 'postgres:16'}),
		makeContainer({name: 'cache', image: 'redis:7'}),
	];
	assert.deepEqual(names(buildRows(containers, 'pay')), ['payments-api']);
	assert.deepEqual(names(buildRows(containers, 'pmtapi')), ['payments-api']);
	assert.deepEqual(names(buildRows(containers, 'redis')), ['cache']);
	assert.deepEqual(names(buildRows(containers, 'zzz')), []);
	assert.equal(buildRows(containers, '  ').length, 3);
});

test('where the filter appears as typed, only those containers are shown', () => {
	const containers = Array.from({length: 200}, (_, index) => makeContainer({name: `web-18499-${index}`}));
	assert.deepEqual(names(buildRows(containers, '199')), ['web-18499-199']);
	assert.deepEqual(names(buildRows(containers, 'WEB-18499-19')).length, 11);
});

test('a group header is never a selection target', () => {
	const rows = buildRows([makeContainer({name: 'a', project: 'p'}), makeContainer({name: 'b', project: 'p'})]);
	assert.equal(rows[0]!.kind, 'group');
	assert.equal(nearestContainerRow(rows, 0), 1);
	assert.equal(nearestContainerRow([], 0), -1);
});

test('the window scrolls only as far as it must', () => {
	assert.equal(scrollTop(0, 100, 10, 0), 0);
	assert.equal(scrollTop(9, 100, 10, 0), 0);
	assert.equal(scrollTop(10, 100, 10, 0), 1);
	assert.equal(scrollTop(50, 100, 10, 45), 45);
	assert.equal(scrollTop(40, 100, 10, 45), 40);
	assert.equal(scrollTop(99, 100, 10, 0), 90);
	assert.equal(scrollTop(3, 5, 10, 7), 0);
	// A shrinking list pulls the window back so it stays full.
	assert.equal(scrollTop(20, 25, 10, 18), 15);
});

test('names compare naturally: case folded, digit runs by value', () => {
	const sorted = ['web10', 'Web9', 'web9', 'api', 'web009x', 'web-2', 'web1', 'b', 'A'].sort(naturalCompare);
	assert.deepEqual(sorted, ['A', 'api', 'b', 'web-2', 'web1', 'Web9', 'web9', 'web009x', 'web10']);
	assert.equal(naturalCompare('same', 'same'), 0);
	assert.ok(naturalCompare('a2', 'a10') < 0 && naturalCompare('a10', 'a2') > 0);
});
