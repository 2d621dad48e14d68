import assert from 'node:assert/strict';
import {test} from 'node:test';
import {counts, initialViewState, selectedContainer, type ViewEvent, type ViewState, viewReducer} from '../source/state/view.ts';
import {detailTabs} from '../source/state/view.ts';
import {makeContainer} from './helpers/fixtures.ts';

const apply = (state: ViewState, ...events: ViewEvent[]) => events.reduce(viewReducer, state);
const web = makeContainer({name: 'web', id: 'web'});
const db = makeContainer({name: 'db', id: 'db'});
const old = makeContainer({name: 'old', id: 'old', state: 'exited'});

function synced(): ViewState {
	return apply(initialViewState(), {type: 'synced', containers: [web, db, old]});
}

test('the first sync selects the first container and counts what runs', () => {
	const state = synced();
	assert.equal(state.loaded, true);
	assert.equal(state.selectedId, 'db');
	assert.deepEqual(counts(state), {running: 2, total: 3});
});

test('moving stops at the ends and jumps to top and bottom', () => {
	let state = synced();
	state = apply(state, {type: 'move', by: 1});
	assert.equal(state.selectedId, 'web');
	state = apply(state, {type: 'move', by: 10});
	assert.equal(state.selectedId, 'old');
	state = apply(state, {type: 'move', by: -10});
	assert.equal(state.selectedId, 'db');
	state = apply(state, {type: 'move-to', where: 'bottom'});
	assert.equal(state.selectedId, 'old');
});

test('the selection stays on its container when the order changes', () => {
	let state = apply(synced(), {type: 'select', id: 'old'});
	state = apply(state, {type: 'upsert', containers: [{...old, state: 'running'}]});
	assert.equal(state.selectedId, 'old');
	assert.equal(selectedContainer(state)?.state, 'running');
});

test('when the selected container goes, the one in its place is selected', () => {
	let state = apply(synced(), {type: 'select', id: 'web'});
	state = apply(state, {type: 'removed', ids: ['web']});
	assert.equal(state.selectedId, 'old');
	state = apply(state, {type: 'removed', ids: ['old', 'db']});
	assert.equal(state.selectedId, undefined);
	assert.equal(state.rows.length, 0);
});

test('filtering narrows the rows and moves the selection into them; clearing restores all', () => {
	let state = apply(synced(), {type: 'filter-start'}, {type: 'filter-set', text: 'ol'});
	assert.equal(state.filterEditing, true);
	assert.deepEqual(state.rows.map(row => row.key), ['old']);
	assert.equal(state.selectedId, 'old');
	state = apply(state, {type: 'filter-accept'});
	assert.equal(state.filterEditing, false);
	assert.equal(state.filter, 'ol');
	state = apply(state, {type: 'filter-clear'});
	assert.equal(state.rows.length, 3);
	assert.equal(state.selectedId, 'old');
});

test('an action is pending until it finishes, and its outcome is the notice', () => {
	let state = apply(synced(), {type: 'action-started', id: 'web', verb: 'stop', name: 'web', noticeId: 1});
	assert.equal(state.pending.web, 'stop');
	assert.equal(state.notice?.text, 'stopping web…');
	state = apply(state, {type: 'action-finished', id: 'web', verb: 'stop', name: 'web', noticeId: 2, error: 'cannot stop: permission denied'});
	assert.equal(state.pending.web, undefined);
	assert.deepEqual(state.notice, {id: 2, text: 'stop web failed: cannot stop: permission denied', tone: 'error'});
	assert.equal(apply(state, {type: 'notice-expired', noticeId: 1}).notice?.id, 2);
	assert.equal(apply(state, {type: 'notice-expired', noticeId: 2}).notice, undefined);
});

test('tabs wrap around both ways', () => {
	let state = apply(synced(), {type: 'tab', by: -1});
	assert.equal(state.tab, detailTabs.length - 1);
	state = apply(state, {type: 'tab', by: 1});
	assert.equal(state.tab, 0);
});

test('a remove question closes when its container is removed elsewhere', () => {
	let state = apply(synced(), {type: 'overlay', overlay: {kind: 'confirm-remove', id: 'web', name: 'web', running: true}});
	state = apply(state, {type: 'removed', ids: ['web']});
	assert.equal(state.overlay.kind, 'none');
});

test('a re-sync after a lost connection replaces the list and drops stale pending marks', () => {
	let state = apply(synced(), {type: 'action-started', id: 'web', verb: 'stop', name: 'web', noticeId: 1});
	state = apply(state, {type: 'connection', status: 'disconnected', error: 'connection refused'});
	assert.equal(state.connection, 'disconnected');
	state = apply(state, {type: 'synced', containers: [db]}, {type: 'connection', status: 'connected'});
	assert.deepEqual(Object.keys(state.pending), []);
	assert.equal(state.containers.size, 1);
	assert.equal(state.connection, 'connected');
});
