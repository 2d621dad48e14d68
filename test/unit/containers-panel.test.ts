// The containers panel's model (state/panels/containers.ts): columns, sorting by figures, the
// questions its actions ask, the hints, and who uses which image, volume and network.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {Container} from '../../source/state/container.ts';
import {buildRows, defaultSort, emptyList, type Figures, synced} from '../../source/state/list.ts';
import {containersPanel, figuresShown, usageOf} from '../../source/state/panels/containers.ts';
import {headerCells, layoutColumns, noUsage, rowCells} from '../../source/state/panels/panel.ts';
import {initialScreenState, screenReducer} from '../../source/state/screen.ts';
import {makeContainer} from '../helpers/fixtures.ts';

const order = (containers: Container[], sort = defaultSort, figures: ReadonlyMap<string, Figures> = new Map()) =>
	buildRows(containersPanel, containers, '', sort, figures).map(row => (row.kind === 'group' ? `[${row.group}]` : row.item.name));

test('sorting by CPU orders by the figures, busiest first, unknown last, and a project rises with its busiest member', () => {
	const containers = [
		makeContainer({id: 'a', name: 'a'}),
		makeContainer({id: 'b', name: 'b'}),
		makeContainer({id: 'c', name: 'c', state: 'exited'}),
		makeContainer({id: 'p1', name: 'p1', project: 'shop'}),
		makeContainer({id: 'p2', name: 'p2', project: 'shop'}),
	];
	const figures = new Map([
		['a', {cpu: 5, memory: 10}],
		['b', {cpu: 1, memory: 30}],
		['p1', {cpu: 50, memory: 20}],
		['p2', {cpu: 0.5, memory: 1}],
	]);
	assert.deepEqual(order(containers, {key: 'cpu', reverse: false}, figures), ['[shop]', 'p1', 'p2', 'a', 'b', 'c']);
	assert.deepEqual(order(containers, {key: 'cpu', reverse: true}, figures), ['[shop]', 'p2', 'p1', 'b', 'a', 'c']);
	assert.deepEqual(order(containers, {key: 'memory', reverse: false}, figures), ['b', '[shop]', 'p1', 'p2', 'a', 'c']);
	assert.deepEqual(order(containers, defaultSort, figures), ['a', 'b', 'c', '[shop]', 'p1', 'p2']);
	assert.deepEqual(order(containers, {key: 'name', reverse: true}), ['[shop]', 'p2', 'p1', 'c', 'b', 'a']);
	assert.deepEqual(order([makeContainer({id: 'old', name: 'old', created: 1}), makeContainer({id: 'new', name: 'new', created: 9})], {key: 'created', reverse: false}), ['new', 'old']);
	assert.deepEqual(order([makeContainer({id: 'x', name: 'x', state: 'exited'}), makeContainer({id: 'y', name: 'y', state: 'paused'}), makeContainer({id: 'z', name: 'z'})], {key: 'state', reverse: false}), ['z', 'y', 'x']);
});

test('a sort key pressed again reverses, a third time restores the default; figures re-sort only when sorted by them', () => {
	let state = screenReducer(initialScreenState(), {type: 'synced', panel: 'containers', items: [makeContainer({id: 'x', name: 'x'}), makeContainer({id: 'y', name: 'y'})]});
	const ids = () => state.lists.containers.rows.map(row => (row.kind === 'item' ? row.item.id : ''));
	state = screenReducer(state, {type: 'figures', panel: 'containers', figures: new Map([['y', {cpu: 9}]])});
	assert.deepEqual(ids(), ['x', 'y'], 'figures alone do not move rows');
	state = screenReducer(state, {type: 'sort', key: 'cpu'});
	assert.deepEqual(ids(), ['y', 'x']);
	state = screenReducer(state, {type: 'figures', panel: 'containers', figures: new Map([['x', {cpu: 20}], ['y', {cpu: 9}]])});
	assert.deepEqual(ids(), ['x', 'y'], 'new figures move rows while sorted by CPU');
	assert.equal(state.lists.containers.selectedId, 'x', 'the selection stays on its container');
	state = screenReducer(state, {type: 'sort', key: 'cpu'});
	assert.deepEqual(state.lists.containers.sort, {key: 'cpu', reverse: true});
	state = screenReducer(state, {type: 'sort', key: 'cpu'});
	assert.deepEqual(state.lists.containers.sort, defaultSort);
});

test('the columns: CPU and memory for running rows only, a pending word for the state, the sorted column\'s arrow, and the figures dropped first when narrow', () => {
	const layout = layoutColumns(containersPanel.columns, 76);
	const cells = (container: Container, pending?: string) => rowCells(containersPanel.columns, layout, container, {now: 0, pending, figures: {cpu: 12.345, memory: 1536}, usage: noUsage}).map(cell => cell.text);
	const running = cells(makeContainer({name: 'web'}));
	assert.equal(running.length, 6);
	assert.equal(running[4]!.trim(), '12.3%');
	assert.equal(running[5]!.trim(), '1.50KiB');
	assert.equal(running.join(' ').length, 76, 'the cells fill the row exactly');
	const stopped = cells(makeContainer({name: 'old', state: 'exited'}));
	assert.equal(stopped[4]!.trim() + stopped[5]!.trim(), '');
	assert.equal(cells(makeContainer({name: 'web'}), 'restart')[2]!.trim(), 'restarting…');
	assert.match(headerCells(containersPanel.columns, layout, {key: 'cpu', reverse: false}).join(' '), /CPU↓ +MEM$/);
	assert.match(headerCells(containersPanel.columns, layout, {key: 'name', reverse: true}).join(' '), /^NAME↓/);
	assert.equal(figuresShown(76), true);
	assert.equal(figuresShown(50), false, 'narrow lists drop the figures before the names');
	const wide = layoutColumns(containersPanel.columns, 150);
	assert.deepEqual(headerCells(containersPanel.columns, wide).map(title => title.trim()), ['NAME', 'IMAGE', 'STATE', 'STATUS', 'CPU', 'MEM', 'PORTS'], 'ports from 120 columns on');
	assert.equal(layoutColumns(containersPanel.columns, 119).shown.at(-1), false);
});

test('remove always asks; a running container can only be force-removed; bulk actions ask with the count and the names', () => {
	const remove = containersPanel.actions.find(action => action.command === 'remove')!;
	assert.equal(remove.askOne, true);
	const stopped = makeContainer({name: 'old', state: 'exited'});
	const running = makeContainer({name: 'web'});
	assert.deepEqual(remove.ask!([stopped]), {text: 'Remove old?', choices: [{key: 'y', label: 'yes'}, {key: 'n', label: 'no'}]});
	assert.deepEqual(remove.ask!([running]).choices.map(choice => choice.key), ['f', 'n']);
	assert.equal(remove.ask!([running]).text, 'web is running. Force remove it?');
	const many = Array.from({length: 5}, (_, index) => makeContainer({name: `w${index}`}));
	assert.equal(remove.ask!(many).text, 'Remove 5 containers (w0, w1, w2, …)? 5 are running:');
	const stop = containersPanel.actions.find(action => action.command === 'stop')!;
	assert.equal(stop.askOne, undefined, 'one stop is not asked about');
	assert.equal(stop.ask!(many.slice(0, 3)).text, 'Stop 3 containers (w0, w1, w2)?');
	const pause = containersPanel.actions.find(action => action.command === 'pause')!;
	assert.equal(pause.verbFor!(makeContainer({name: 'p', state: 'paused'})), 'unpause');
	assert.equal(pause.verbFor!(running), 'pause');
});

test('hints follow the selected container\'s state', () => {
	assert.deepEqual(containersPanel.hints(makeContainer({name: 'web'})), ['stop', 'restart', 'pause', 'logs', 'shell', 'remove']);
	assert.deepEqual(containersPanel.hints(makeContainer({name: 'p', state: 'paused'})), ['pause:unpause', 'logs', 'remove']);
	assert.deepEqual(containersPanel.hints(makeContainer({name: 'old', state: 'exited'})), ['start', 'logs', 'remove']);
	assert.deepEqual(containersPanel.hints(undefined), []);
});

test('who uses which image, volume and network is worked out from the containers', () => {
	const usage = usageOf([
		makeContainer({name: 'a', imageId: 'sha256:1', volumes: ['data'], networks: ['n1']}),
		makeContainer({name: 'b', imageId: 'sha256:1', volumes: ['data', 'logs'], networks: []}),
		makeContainer({name: 'c', imageId: 'sha256:2'}),
	]);
	assert.deepEqual(usage.byImage.get('sha256:1'), ['a', 'b']);
	assert.deepEqual(usage.byVolume.get('logs'), ['b']);
	assert.deepEqual(usage.byNetwork.get('n1'), ['a']);
	assert.equal(usage.byImage.get('sha256:3'), undefined);
	assert.equal(synced(containersPanel, emptyList<Container>(), []).loaded, true);
});
