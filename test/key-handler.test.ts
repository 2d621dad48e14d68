import assert from 'node:assert/strict';
import {test} from 'node:test';
import {initialViewState, type ViewState, viewReducer} from '../source/state/view.ts';
import {handleKey, hintsFor} from '../source/ui/key-handler.ts';
import {buildKeymap} from '../source/ui/keymap.ts';
import {makeContainer} from './helpers/fixtures.ts';

const {lookup, keys} = buildKeymap();
const running = makeContainer({name: 'web', id: 'web'});
const paused = makeContainer({name: 'zz-paused', id: 'paused', state: 'paused'});
const stopped = makeContainer({name: 'old', id: 'old', state: 'exited'});

function state(extra: Partial<ViewState> = {}): ViewState {
	let value = viewReducer(initialViewState(), {type: 'synced', containers: [running, paused, stopped]});
	value = viewReducer(value, {type: 'connection', status: 'connected'});
	return {...value, ...extra};
}

const press = (value: ViewState, name: string, input = name) => handleKey({state: value, lookup, listPage: 10, detailsPage: 5}, name, input);

test('lifecycle keys act on the selected container', () => {
	assert.deepEqual(press(state(), 's'), [{kind: 'action', verb: 'stop', container: running}]);
	assert.deepEqual(press(state({selectedId: 'old'}), 'u'), [{kind: 'action', verb: 'start', container: stopped}]);
	assert.deepEqual(press(state(), 'K'), [{kind: 'action', verb: 'kill', container: running}]);
	assert.deepEqual(press(state(), 'r'), [{kind: 'action', verb: 'restart', container: running}]);
});

test('p pauses a running container and unpauses a paused one', () => {
	assert.equal((press(state(), 'p')[0] as {verb: string}).verb, 'pause');
	assert.equal((press(state({selectedId: 'paused'}), 'p')[0] as {verb: string}).verb, 'unpause');
});

test('d asks first; a running container can only be force-removed', () => {
	const asked = press(state(), 'd');
	assert.deepEqual(asked, [{kind: 'dispatch', event: {type: 'overlay', overlay: {kind: 'confirm-remove', id: 'web', name: 'web', running: true}}}]);
	const asking = state({overlay: {kind: 'confirm-remove', id: 'web', name: 'web', running: true}});
	assert.deepEqual(press(asking, 'y'), []);
	assert.deepEqual(press(asking, 's'), [], 'other keys do nothing while the question is open');
	assert.deepEqual(press(asking, 'f')[1], {kind: 'action', verb: 'remove', container: running, force: true});
	assert.equal(press(asking, 'n')[0]!.kind, 'dispatch');
	const stoppedAsking = state({selectedId: 'old', overlay: {kind: 'confirm-remove', id: 'old', name: 'old', running: false}});
	assert.deepEqual(press(stoppedAsking, 'y')[1], {kind: 'action', verb: 'remove', container: stopped});
});

test('nothing is sent while disconnected or while the container is busy', () => {
	const offline = press(state({connection: 'disconnected'}), 's');
	assert.deepEqual(offline, [{kind: 'notice', text: 'not connected: stop not sent', tone: 'error'}]);
	const busy = press(state({pending: {web: 'restart'}}), 's');
	assert.equal(busy[0]!.kind, 'notice');
});

test('typing in the filter goes to the filter, not to commands', () => {
	const typing = state({filterEditing: true, filter: 'w'});
	assert.deepEqual(press(typing, 's'), [{kind: 'dispatch', event: {type: 'filter-set', text: 'ws'}}]);
	assert.deepEqual(press(typing, 'q'), [{kind: 'dispatch', event: {type: 'filter-set', text: 'wq'}}]);
	assert.deepEqual(press(typing, 'backspace', ''), [{kind: 'dispatch', event: {type: 'filter-set', text: ''}}]);
	assert.deepEqual(press(typing, 'esc', ''), [{kind: 'dispatch', event: {type: 'filter-clear'}}]);
	assert.deepEqual(press(typing, 'enter', '\r'), [{kind: 'dispatch', event: {type: 'filter-accept'}}]);
	assert.deepEqual(press(typing, 'down', ''), [{kind: 'dispatch', event: {type: 'move', by: 1}}]);
});

test('Ctrl-C closes what is open before it quits', () => {
	assert.equal(press(state({overlay: {kind: 'help'}}), 'ctrl+c', 'c')[0]!.kind, 'dispatch');
	assert.deepEqual(press(state({filterEditing: true}), 'ctrl+c', 'c'), [{kind: 'dispatch', event: {type: 'filter-clear'}}]);
	assert.deepEqual(press(state(), 'ctrl+c', 'c'), [{kind: 'quit'}]);
	assert.deepEqual(press(state(), 'q'), [{kind: 'quit'}]);
});

test('with the details focused, movement keys scroll the details', () => {
	const details = state({focus: 'details'});
	assert.deepEqual(press(details, 'j'), [{kind: 'scroll-details', by: 1}]);
	assert.deepEqual(press(details, 'pagedown', ''), [{kind: 'scroll-details', by: 5}]);
	assert.deepEqual(press(details, 'G'), [{kind: 'scroll-details-to', where: 'bottom'}]);
	assert.deepEqual(press(details, 'esc', ''), [{kind: 'dispatch', event: {type: 'focus', to: 'list'}}]);
});

test('the help overlay swallows every key but the ones that close it', () => {
	const help = state({overlay: {kind: 'help'}});
	assert.deepEqual(press(help, 's'), []);
	assert.equal(press(help, '?').length, 1);
	assert.equal(press(help, 'esc', '').length, 1);
});

test('l opens the selected container\'s logs, L every listed one', () => {
	const opened = handleKey({state: state(), lookup: buildKeymap().lookup, listPage: 10, detailsPage: 10}, 'l', 'l');
	assert.equal(opened[0]?.kind, 'open-logs');
	const all = handleKey({state: state(), lookup: buildKeymap().lookup, listPage: 10, detailsPage: 10}, 'L', 'L');
	assert.ok(all[0]?.kind === 'open-logs' && all[0].containers.length > 1);
});

test('the status line offers what applies to the selection', () => {
	assert.match(hintsFor(state(), keys), /^s stop · r restart · p pause · l logs · d rm/);
	assert.match(hintsFor(state({selectedId: 'old'}), keys), /^u start · l logs · d rm/);
	assert.match(hintsFor(state({selectedId: 'paused'}), keys), /^p unpause/);
	assert.match(hintsFor(state({filterEditing: true}), keys), /type to filter/);
});

test('H opens the host switcher; in it j/k move within the list, Enter switches, Esc, q and H close; other keys do nothing', () => {
	assert.deepEqual(press(state(), 'H'), [{kind: 'open-hosts'}]);
	const open = state({overlay: {kind: 'hosts', index: 1, count: 3}});
	assert.deepEqual(press(open, 'j'), [{kind: 'dispatch', event: {type: 'overlay', overlay: {kind: 'hosts', index: 2, count: 3}}}]);
	assert.deepEqual(press(state({overlay: {kind: 'hosts', index: 2, count: 3}}), 'j'), [{kind: 'dispatch', event: {type: 'overlay', overlay: {kind: 'hosts', index: 2, count: 3}}}], 'stops at the last');
	assert.deepEqual(press(open, 'g'), [{kind: 'dispatch', event: {type: 'overlay', overlay: {kind: 'hosts', index: 0, count: 3}}}]);
	assert.deepEqual(press(open, 'enter', '\r'), [{kind: 'dispatch', event: {type: 'overlay', overlay: {kind: 'none'}}}, {kind: 'switch-host', index: 1}]);
	for (const key of ['esc', 'q', 'H']) assert.deepEqual(press(open, key), [{kind: 'dispatch', event: {type: 'overlay', overlay: {kind: 'none'}}}]);
	assert.deepEqual(press(open, 's'), [], 'no action reaches a container while the switcher is open');
});
