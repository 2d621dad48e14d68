// The screen's reducer (state/screen.ts): lists by panel, selection, filter, panels and going
// back, actions in flight on one row or many, and notices.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {containerCounts, currentTab, initialScreenState, type ScreenEvent, type ScreenState, screenReducer, selectedOf} from '../../source/state/screen.ts';
import {eventHistory, eventId} from '../../source/state/panels/events.ts';
import {makeContainer} from '../helpers/fixtures.ts';

const apply = (state: ScreenState, ...events: ScreenEvent[]) => events.reduce(screenReducer, state);
const web = makeContainer({name: 'web', id: 'web'});
const db = makeContainer({name: 'db', id: 'db'});
const old = makeContainer({name: 'old', id: 'old', state: 'exited'});
const containers = (state: ScreenState) => state.lists.containers;

function synced(): ScreenState {
	return apply(initialScreenState(), {type: 'synced', panel: 'containers', items: [web, db, old]});
}

test('the first sync selects the first container and counts what runs', () => {
	const state = synced();
	assert.equal(containers(state).loaded, true);
	assert.equal(containers(state).selectedId, 'db');
	assert.deepEqual(containerCounts(state), {running: 2, total: 3});
});

test('moving stops at the ends and jumps to top and bottom', () => {
	let state = apply(synced(), {type: 'move', by: 1});
	assert.equal(containers(state).selectedId, 'web');
	state = apply(state, {type: 'move', by: 10});
	assert.equal(containers(state).selectedId, 'old');
	state = apply(state, {type: 'move', by: -10});
	assert.equal(containers(state).selectedId, 'db');
	state = apply(state, {type: 'move-to', where: 'bottom'});
	assert.equal(containers(state).selectedId, 'old');
});

test('the selection stays on its container when the order changes, and moves to the nearest when it goes', () => {
	let state = apply(synced(), {type: 'select', id: 'old'}, {type: 'upsert', panel: 'containers', items: [{...old, state: 'running'} as typeof old]});
	assert.equal(containers(state).selectedId, 'old');
	assert.equal((selectedOf(state) as typeof old).state, 'running');
	state = apply(synced(), {type: 'select', id: 'web'}, {type: 'removed', panel: 'containers', ids: ['web']});
	assert.equal(containers(state).selectedId, 'old');
	state = apply(state, {type: 'removed', panel: 'containers', ids: ['old', 'db']});
	assert.equal(containers(state).selectedId, undefined);
	assert.equal(containers(state).rows.length, 0);
});

test('filtering narrows the rows and moves the selection into them; clearing restores all', () => {
	let state = apply(synced(), {type: 'filter-start'}, {type: 'filter-set', text: 'ol'});
	assert.equal(containers(state).filterEditing, true);
	assert.deepEqual(containers(state).rows.map(row => row.key), ['old']);
	assert.equal(containers(state).selectedId, 'old');
	state = apply(state, {type: 'filter-accept'});
	assert.equal(containers(state).filterEditing, false);
	assert.equal(containers(state).filter, 'ol');
	state = apply(state, {type: 'filter-clear'});
	assert.equal(containers(state).rows.length, 3);
	assert.equal(containers(state).selectedId, 'old');
});

test('each panel keeps its own list, filter and tab; Esc goes back through the panels visited', () => {
	let state = apply(synced(), {type: 'filter-set', text: 'w'}, {type: 'tab', by: 2}, {type: 'panel', to: 'images'});
	assert.equal(state.panel, 'images');
	assert.equal(currentTab(state), 'Inspect');
	state = apply(state, {type: 'tab', by: 1}, {type: 'panel', to: 'volumes'});
	assert.deepEqual(state.previous, ['containers', 'images']);
	state = apply(state, {type: 'back'});
	assert.equal(state.panel, 'images');
	assert.equal(currentTab(state), 'History');
	state = apply(state, {type: 'back'});
	assert.equal(state.panel, 'containers');
	assert.equal(containers(state).filter, 'w');
	assert.equal(currentTab(state), 'Top');
	assert.equal(apply(state, {type: 'back'}), state, 'nothing before the first');
});

test('one action is pending until it finishes, and its outcome is the notice', () => {
	let state = apply(synced(), {type: 'action-started', panel: 'containers', verb: 'stop', ids: ['web'], names: ['web'], noticeId: 1});
	assert.equal(containers(state).pending.web, 'stop');
	assert.equal(state.notice?.text, 'stopping web…');
	state = apply(state, {type: 'action-done', panel: 'containers', verb: 'stop', id: 'web', name: 'web', noticeId: 1, error: 'cannot stop: permission denied'});
	assert.equal(containers(state).pending.web, undefined);
	assert.deepEqual(state.notice, {id: 1, text: 'stop web failed: cannot stop: permission denied', tone: 'error'});
	assert.deepEqual(containers(state).outcomes, {}, 'one row needs no mark beside it');
	assert.equal(apply(state, {type: 'notice-expired', noticeId: 2}).notice?.id, 1);
	assert.equal(apply(state, {type: 'notice-expired', noticeId: 1}).notice, undefined);
});

test('an action on several rows counts them as they finish, marks each row with its outcome, and names what failed', () => {
	let state = apply(synced(), {type: 'mark-all'});
	assert.equal(containers(state).marks.size, 3);
	state = apply(state, {type: 'action-started', panel: 'containers', verb: 'stop', ids: ['db', 'web', 'old'], names: ['db', 'web', 'old'], noticeId: 7});
	assert.equal(containers(state).marks.size, 0, 'the marks have done their work');
	assert.equal(state.notice?.text, 'stopping 3 containers… 0/3');
	state = apply(state, {type: 'action-done', panel: 'containers', verb: 'stop', id: 'db', name: 'db', noticeId: 7});
	assert.equal(state.notice?.text, 'stopping 3 containers… 1/3');
	state = apply(state, {type: 'action-done', panel: 'containers', verb: 'stop', id: 'web', name: 'web', noticeId: 7}, {type: 'action-done', panel: 'containers', verb: 'stop', id: 'old', name: 'old', noticeId: 7, error: 'is not running'});
	assert.equal(state.notice?.text, 'stop: 2 of 3 done; old failed: is not running');
	assert.equal(state.notice?.tone, 'error');
	assert.deepEqual(Object.fromEntries(Object.entries(containers(state).outcomes).map(([id, outcome]) => [id, outcome.ok])), {db: true, web: true, old: false});
	state = apply(state, {type: 'notice-expired', noticeId: 7});
	assert.deepEqual(containers(state).outcomes, {}, 'outcomes go with their notice');
});

test('tabs wrap around both ways, per panel', () => {
	let state = apply(synced(), {type: 'tab', by: -1});
	assert.equal(currentTab(state), 'Config');
	state = apply(state, {type: 'tab', by: 1});
	assert.equal(currentTab(state), 'Logs');
});

test('a question closes when every row it is about is removed elsewhere', () => {
	let state = apply(synced(), {type: 'overlay', overlay: {kind: 'confirm', panel: 'containers', command: 'remove', ids: ['web'], question: {text: 'Remove web?', choices: []}}});
	state = apply(state, {type: 'removed', panel: 'containers', ids: ['web']});
	assert.equal(state.overlay.kind, 'none');
});

test('a re-sync after a lost connection replaces the list and drops stale pending marks', () => {
	let state = apply(synced(), {type: 'action-started', panel: 'containers', verb: 'stop', ids: ['web'], names: ['web'], noticeId: 1});
	state = apply(state, {type: 'connection', status: 'disconnected', error: 'connection refused'});
	assert.equal(state.connection, 'disconnected');
	state = apply(state, {type: 'synced', panel: 'containers', items: [db]}, {type: 'connection', status: 'connected'});
	assert.deepEqual(Object.keys(containers(state).pending), []);
	assert.equal(containers(state).items.size, 1);
	assert.equal(state.connection, 'connected');
});

test('a panel the engine does not offer says so in its list', () => {
	const state = apply(initialScreenState(), {type: 'problem', panel: 'networks', text: 'berth engine 0.1.0 does not offer networks'});
	assert.equal(state.lists.networks.problem, 'berth engine 0.1.0 does not offer networks');
	assert.equal(state.lists.networks.loaded, true);
});

test('events: newest first, a bounded history, and a pause that counts what it holds back', () => {
	const event = (sequence: number) => ({id: eventId(sequence), time: sequence, type: 'container', action: 'start', actorId: `c${sequence}`, actorName: `c${sequence}`, attributes: {}});
	let state = apply(initialScreenState(), {type: 'synced', panel: 'events', items: [event(1), event(2)]});
	assert.deepEqual(state.lists.events.rows.map(row => row.key), [eventId(2), eventId(1)]);
	state = apply(state, {type: 'upsert', panel: 'events', items: Array.from({length: eventHistory + 5}, (_, index) => event(index + 3))});
	assert.equal(state.lists.events.items.size, eventHistory);
	assert.ok(!state.lists.events.items.has(eventId(1)), 'the oldest go');
	state = apply(state, {type: 'events-pause'}, {type: 'upsert', panel: 'events', items: [event(99_999)]});
	assert.equal(state.eventsMissed, 1);
	assert.ok(!state.lists.events.items.has(eventId(99_999)));
	state = apply(state, {type: 'events-pause'});
	assert.equal(state.eventsPaused, false);
});
