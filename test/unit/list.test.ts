// The list every panel shares (state/list.ts): order, groups, the filter, the window, the
// selection, marks and what an action applies to. Tried with the containers panel's shape.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {Container} from '../../source/state/container.ts';
import {actionTargets, buildRows, defaultSort, emptyList, type Figures, groupKey, type ListState, moved, movedTo, nearestItemRow, removed, type Row, scrollTop, selectedGroup, selectedItem, synced, toggledAllMarks, toggledMark, rebuild} from '../../source/state/list.ts';
import {naturalCompare} from '../../source/state/natural-compare.ts';
import {containersPanel} from '../../source/state/panels/containers.ts';
import {makeContainer} from '../helpers/fixtures.ts';

const rows = (containers: Container[], filter = '', sort = defaultSort, figures: ReadonlyMap<string, Figures> = new Map()) => buildRows(containersPanel, containers, filter, sort, figures);
const names = (list: Array<Row<Container>>) => list.map(row => (row.kind === 'group' ? `[${row.group} ${containersPanel.groupDetail!(row.members)}]` : row.item.name));

test('running containers come first, then by name, numbers in natural order', () => {
	const list = rows([makeContainer({name: 'zeta'}), makeContainer({name: 'alpha', state: 'exited'}), makeContainer({name: 'web10'}), makeContainer({name: 'web9'}), makeContainer({name: 'beta', state: 'paused'})]);
	assert.deepEqual(names(list), ['beta', 'web9', 'web10', 'zeta', 'alpha']);
});

test('compose projects are grouped under a header with their counts, after loose containers', () => {
	const list = rows([
		makeContainer({name: 'shop-db', project: 'shop', state: 'exited'}),
		makeContainer({name: 'solo'}),
		makeContainer({name: 'shop-web', project: 'shop'}),
		makeContainer({name: 'blog-web', project: 'blog'}),
	]);
	assert.deepEqual(names(list), ['solo', '[blog 1/1 running]', 'blog-web', '[shop 1/2 running]', 'shop-web', 'shop-db']);
});

test('the filter matches names and images, as typed first, else fuzzily', () => {
	const containers = [makeContainer({name: 'payments-api', image: 'node:20'}), makeContainer({name: 'postgres', image: 'postgres:16'}), makeContainer({name: 'cache', image: 'redis:7'})];
	assert.deepEqual(names(rows(containers, 'pay')), ['payments-api']);
	assert.deepEqual(names(rows(containers, 'pmtapi')), ['payments-api']);
	assert.deepEqual(names(rows(containers, 'redis')), ['cache']);
	assert.deepEqual(names(rows(containers, 'zzz')), []);
	assert.equal(rows(containers, '  ').length, 3);
	const many = Array.from({length: 200}, (_, index) => makeContainer({name: `web-18499-${index}`}));
	assert.deepEqual(names(rows(many, '199')), ['web-18499-199']);
	assert.equal(rows(many, 'WEB-18499-19').length, 11);
});

test('a group header is a row to select: the list opens on an item, moving stops on headers too, and acts on the members', () => {
	const list = rows([makeContainer({name: 'a', id: 'a', project: 'p'}), makeContainer({name: 'b', id: 'b', project: 'p'}), makeContainer({name: 'c', id: 'c', project: 'q'})]);
	assert.equal(list[0]!.kind, 'group');
	assert.equal(nearestItemRow(list, 0), 1);
	assert.equal(nearestItemRow([], 0), -1);
	let state = synced(containersPanel, emptyList<Container>(), [makeContainer({name: 'a', id: 'a', project: 'p'}), makeContainer({name: 'b', id: 'b', project: 'p'}), makeContainer({name: 'c', id: 'c', project: 'q'})]);
	assert.equal(state.selectedId, 'a', 'the first item, not the first header');
	state = moved(state, 1);
	assert.equal(state.selectedId, 'b');
	state = moved(state, 1);
	assert.equal(state.selectedId, groupKey('q'), 'the header of q');
	assert.equal(selectedItem(state), undefined);
	assert.deepEqual(selectedGroup(state)?.members.map(member => member.id), ['c']);
	assert.deepEqual(actionTargets(state).map(item => item.id), ['c'], 'an action on the header acts on its members');
	assert.equal(moved(state, 5).selectedId, 'c');
	assert.equal(moved(state, -50).selectedId, groupKey('p'));
	assert.equal(movedTo(state, 'top').selectedId, groupKey('p'));
	const marked = toggledMark(moved(state, -50));
	assert.deepEqual([...marked.marks].sort(), ['a', 'b'], 'Space on a header marks its members');
	assert.deepEqual([...toggledMark(marked).marks], [], 'and again unmarks them');
	// The header stays selected while its project changes, and goes to a neighbour when the project is gone.
	const kept = synced(containersPanel, state, [makeContainer({name: 'a', id: 'a', project: 'p'}), makeContainer({name: 'c', id: 'c', project: 'q'}), makeContainer({name: 'd', id: 'd', project: 'q'})]);
	assert.equal(kept.selectedId, groupKey('q'));
	const gone = synced(containersPanel, kept, [makeContainer({name: 'a', id: 'a', project: 'p'})]);
	assert.equal(gone.selectedId, 'a');
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

const three = () => synced(containersPanel, emptyList<Container>(), ['a', 'b', 'c'].map(name => makeContainer({name: `${name}-svc`, id: name})));

test('Space marks the selected row; * marks every listed row, and again unmarks them; a filter limits *', () => {
	let state: ListState<Container> = toggledMark(three());
	assert.deepEqual([...state.marks], ['a']);
	state = toggledMark(state);
	assert.deepEqual([...state.marks], []);
	state = toggledAllMarks(state);
	assert.deepEqual([...state.marks].sort(), ['a', 'b', 'c']);
	state = toggledAllMarks(state);
	assert.equal(state.marks.size, 0);
	state = toggledAllMarks(rebuild(containersPanel, state, {filter: 'b-svc'}));
	assert.deepEqual([...state.marks], ['b'], 'only the rows the filter shows');
});

test('an action applies to the marked rows in list order, else to the selected one; a removed row loses its mark', () => {
	let state = three();
	assert.deepEqual(actionTargets(state).map(item => item.id), ['a']);
	state = {...state, marks: new Set(['c', 'a'])};
	assert.deepEqual(actionTargets(state).map(item => item.id), ['a', 'c']);
	state = removed(containersPanel, state, ['c']);
	assert.deepEqual([...state.marks], ['a']);
});
