// What keys mean (ui/key-handler.ts): state and key in, effects out, without a terminal.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {emptyList} from '../../source/state/list.ts';
import {containersPanel} from '../../source/state/panels/containers.ts';
import type {ImageItem} from '../../source/state/panels/images.ts';
import {initialScreenState, type ScreenState, screenReducer} from '../../source/state/screen.ts';
import {type Effect, handleKey, hintsFor} from '../../source/ui/key-handler.ts';
import {buildKeymap} from '../../source/ui/keymap.ts';
import {makeContainer} from '../helpers/fixtures.ts';

const keymap = buildKeymap();
const running = makeContainer({name: 'web', id: 'web'});
const paused = makeContainer({name: 'zz-paused', id: 'paused', state: 'paused'});
const stopped = makeContainer({name: 'old', id: 'old', state: 'exited'});
const image: ImageItem = {id: 'sha256:1|busybox:latest', imageId: 'sha256:1', repository: 'busybox', tag: 'latest', reference: 'busybox:latest', created: 0, size: 1, dangling: false, name: 'busybox:latest'};

function state(change: (value: ScreenState) => ScreenState = value => value): ScreenState {
	let value = screenReducer(initialScreenState(), {type: 'synced', panel: 'containers', items: [running, paused, stopped]});
	value = screenReducer(value, {type: 'synced', panel: 'images', items: [image]});
	value = screenReducer(value, {type: 'connection', status: 'connected'});
	return change(value);
}

const containersList = (value: ScreenState, change: Partial<ScreenState['lists']['containers']>): ScreenState => ({...value, lists: {...value.lists, containers: {...value.lists.containers, ...change}}});
const press = (value: ScreenState, name: string, input = name) => handleKey({state: value, keymap, listPage: 10, detailsPage: 5, hostNames: ['prod', 'lab']}, name, input);
const action = (verb: string, container = running, extra: Partial<Extract<Effect, {kind: 'action'}>> = {}): Effect => ({kind: 'action', panel: 'containers', command: verb, verb, targets: [{item: container, verb}], ...extra});

test('lifecycle keys act on the selected container at once', () => {
	assert.deepEqual(press(state(), 's'), [action('stop')]);
	assert.deepEqual(press(containersList(state(), {selectedId: 'old'}), 'u'), [action('start', stopped)]);
	assert.deepEqual(press(state(), 'K'), [action('kill')]);
	assert.deepEqual(press(state(), 'r'), [action('restart')]);
});

test('p pauses a running container and unpauses a paused one', () => {
	assert.deepEqual(press(state(), 'p'), [{kind: 'action', panel: 'containers', command: 'pause', verb: 'pause', targets: [{item: running, verb: 'pause'}]}]);
	assert.deepEqual(press(containersList(state(), {selectedId: 'paused'}), 'p'), [{kind: 'action', panel: 'containers', command: 'pause', verb: 'pause', targets: [{item: paused, verb: 'unpause'}]}]);
});

test('d asks first; a running container can only be force-removed; n and Esc cancel', () => {
	const asked = press(state(), 'd');
	assert.equal(asked.length, 1);
	const overlay = (asked[0] as Extract<Effect, {kind: 'dispatch'}>).event;
	assert.ok(overlay.type === 'overlay' && overlay.overlay.kind === 'confirm');
	const asking = screenReducer(state(), overlay);
	assert.deepEqual(press(asking, 'y'), [], 'y is not an answer when only force is offered');
	assert.deepEqual(press(asking, 's'), [], 'other keys do nothing while the question is open');
	assert.deepEqual(press(asking, 'f')[1], action('remove', running, {force: true}));
	assert.deepEqual(press(asking, 'n'), [{kind: 'dispatch', event: {type: 'overlay', overlay: {kind: 'none'}}}]);
	assert.deepEqual(press(asking, 'esc', ''), [{kind: 'dispatch', event: {type: 'overlay', overlay: {kind: 'none'}}}]);
	const stoppedAsking = screenReducer(containersList(state(), {selectedId: 'old'}), (press(containersList(state(), {selectedId: 'old'}), 'd')[0] as Extract<Effect, {kind: 'dispatch'}>).event);
	assert.deepEqual(press(stoppedAsking, 'y')[1], action('remove', stopped));
});

test('marked rows: one question names how many and which, then every one is acted on', () => {
	const marked = containersList(state(), {marks: new Set(['web', 'old'])});
	const asked = press(marked, 's');
	const event = (asked[0] as Extract<Effect, {kind: 'dispatch'}>).event;
	assert.ok(event.type === 'overlay' && event.overlay.kind === 'confirm');
	assert.equal(event.overlay.question.text, 'Stop 2 containers (web, old)?');
	const answered = press(screenReducer(marked, event), 'y');
	assert.deepEqual(answered[1], {kind: 'action', panel: 'containers', command: 'stop', verb: 'stop', targets: [{item: running, verb: 'stop'}, {item: stopped, verb: 'stop'}]});
	assert.deepEqual(press(marked, 'esc', ''), [{kind: 'dispatch', event: {type: 'marks-clear'}}], 'Esc clears the marks first');
	assert.deepEqual(press(state(), ' '), [{kind: 'dispatch', event: {type: 'mark'}}, {kind: 'dispatch', event: {type: 'move', by: 1}}], 'Space marks and moves on');
	assert.deepEqual(press(state(), '*'), [{kind: 'dispatch', event: {type: 'mark-all'}}]);
});

test('nothing is sent while disconnected or while a row is busy', () => {
	const offline = press({...state(), connection: 'disconnected'}, 's');
	assert.deepEqual(offline, [{kind: 'notice', text: 'not connected: stop not sent', tone: 'error'}]);
	const busy = press(containersList(state(), {pending: {web: 'restart'}}), 's');
	assert.deepEqual(busy, [{kind: 'notice', text: 'web is busy: wait for restart to finish', tone: 'error'}]);
});

test('typing in the filter goes to the filter, not to commands', () => {
	const typing = containersList(state(), {filterEditing: true, filter: 'w'});
	assert.deepEqual(press(typing, 's'), [{kind: 'dispatch', event: {type: 'filter-set', text: 'ws'}}]);
	assert.deepEqual(press(typing, 'q'), [{kind: 'dispatch', event: {type: 'filter-set', text: 'wq'}}]);
	assert.deepEqual(press(typing, 'backspace', ''), [{kind: 'dispatch', event: {type: 'filter-set', text: ''}}]);
	assert.deepEqual(press(typing, 'esc', ''), [{kind: 'dispatch', event: {type: 'filter-clear'}}]);
	assert.deepEqual(press(typing, 'enter', '\r'), [{kind: 'dispatch', event: {type: 'filter-accept'}}]);
	assert.deepEqual(press(typing, 'down', ''), [{kind: 'dispatch', event: {type: 'move', by: 1}}]);
});

test('Ctrl-C closes what is open before it quits', () => {
	assert.equal(press({...state(), overlay: {kind: 'help'}}, 'ctrl+c', 'c')[0]!.kind, 'dispatch');
	assert.deepEqual(press(containersList(state(), {filterEditing: true}), 'ctrl+c', 'c'), [{kind: 'dispatch', event: {type: 'filter-clear'}}]);
	assert.deepEqual(press(state(), 'ctrl+c', 'c'), [{kind: 'quit'}]);
	assert.deepEqual(press(state(), 'q'), [{kind: 'quit'}]);
});

test('with the details focused, movement keys scroll the details; Esc goes back to the list', () => {
	const details = {...state(), focus: 'details' as const};
	assert.deepEqual(press(details, 'j'), [{kind: 'scroll-details', by: 1}]);
	assert.deepEqual(press(details, 'pagedown', ''), [{kind: 'scroll-details', by: 5}]);
	assert.deepEqual(press(details, 'ctrl+f', ''), [{kind: 'scroll-details', by: 5}]);
	assert.deepEqual(press(details, 'G'), [{kind: 'scroll-details-to', where: 'bottom'}]);
	assert.deepEqual(press(details, 'home', ''), [{kind: 'scroll-details-to', where: 'top'}]);
	assert.deepEqual(press(details, 'esc', ''), [{kind: 'dispatch', event: {type: 'focus', to: 'list'}}]);
	assert.deepEqual(press(state(), 'enter', '\r'), [{kind: 'dispatch', event: {type: 'focus', to: 'details'}}]);
	assert.deepEqual(press(state(), 'ctrl+b', ''), [{kind: 'dispatch', event: {type: 'move', by: -10}}]);
	assert.deepEqual(press(state(), 'end', ''), [{kind: 'dispatch', event: {type: 'move-to', where: 'bottom'}}]);
});

test('the help overlay swallows every key but the ones that close it', () => {
	const help = {...state(), overlay: {kind: 'help' as const}};
	assert.deepEqual(press(help, 's'), []);
	assert.equal(press(help, '?').length, 1);
	assert.equal(press(help, 'esc', '').length, 1);
});

test('l opens the selected container\'s logs, L every listed one', () => {
	assert.deepEqual(press(state(), 'l'), [{kind: 'run', panel: 'containers', command: 'logs', items: [running]}]);
	const all = press(state(), 'L')[0];
	assert.ok(all?.kind === 'run' && all.items.length === 3);
});

test('sort keys sort; each panel has its own', () => {
	assert.deepEqual(press(state(), 'C'), [{kind: 'dispatch', event: {type: 'sort', key: 'cpu'}}]);
	assert.deepEqual(press(state(), 'M'), [{kind: 'dispatch', event: {type: 'sort', key: 'memory'}}]);
	assert.deepEqual(press(state(), 'N'), [{kind: 'dispatch', event: {type: 'sort', key: 'name'}}]);
	assert.deepEqual(press(state(), 'S'), [{kind: 'dispatch', event: {type: 'sort', key: 'state'}}]);
	assert.deepEqual(press(state(), 'A'), [{kind: 'dispatch', event: {type: 'sort', key: 'created'}}]);
	assert.deepEqual(press({...state(), panel: 'images'}, 'S'), [{kind: 'dispatch', event: {type: 'sort', key: 'size'}}]);
});

test('number keys and : go to panels; : knows aliases, suggests for a typo, and :q quits', () => {
	assert.deepEqual(press(state(), '2'), [{kind: 'dispatch', event: {type: 'panel', to: 'images'}}]);
	assert.deepEqual(press(state(), '5'), [{kind: 'dispatch', event: {type: 'panel', to: 'events'}}]);
	const opened = press(state(), ':')[0] as Extract<Effect, {kind: 'dispatch'}>;
	const line = (text: string) => screenReducer(state(), opened.event.type === 'overlay' ? {type: 'overlay', overlay: {...(opened.event.overlay as Extract<ScreenState['overlay'], {kind: 'prompt'}>), text}} : opened.event);
	assert.deepEqual(press(line('img'), 'enter', '\r'), [{kind: 'dispatch', event: {type: 'panel', to: 'images'}}]);
	assert.deepEqual(press(line('vol'), 'enter', '\r'), [{kind: 'dispatch', event: {type: 'panel', to: 'volumes'}}]);
	assert.deepEqual(press(line('q'), 'enter', '\r')[1], {kind: 'quit'});
	assert.deepEqual(press(line('imgaes'), 'enter', '\r')[1], {kind: 'notice', text: 'unknown command "imgaes"; did you mean :images?', tone: 'error'});
	assert.deepEqual(press(line('host prod'), 'enter', '\r')[1], {kind: 'switch-host-named', name: 'prod'});
	const completed = press(line('ne'), 'tab', '\t')[0] as Extract<Effect, {kind: 'dispatch'}>;
	assert.ok(completed.event.type === 'overlay' && completed.event.overlay.kind === 'prompt' && completed.event.overlay.text === 'networks');
	assert.deepEqual(press(line('x'), 'esc', ''), [{kind: 'dispatch', event: {type: 'overlay', overlay: {kind: 'none'}}}]);
});

test('Esc goes back to the panel before; in a panel with nothing to undo at the first panel, it does nothing', () => {
	const images = screenReducer(state(), {type: 'panel', to: 'images'});
	assert.deepEqual(press(images, 'esc', ''), [{kind: 'dispatch', event: {type: 'back'}}]);
	assert.deepEqual(press(state(), 'esc', ''), []);
});

test('images: d asks with force offered, t asks for the new name, p for the image to pull, P which to prune', () => {
	const images = screenReducer(state(), {type: 'panel', to: 'images'});
	const question = (effects: Effect[]) => ((effects[0] as Extract<Effect, {kind: 'dispatch'}>).event as {overlay: {question?: {text: string}; label?: string; text?: string}}).overlay;
	assert.equal(question(press(images, 'd')).question!.text, 'Remove busybox:latest?');
	assert.deepEqual([question(press(images, 't')).label, question(press(images, 't')).text], ['Tag as', 'busybox:']);
	assert.equal(question(press(images, 'p')).label, 'Pull image');
	const prune = screenReducer(images, (press(images, 'P')[0] as Extract<Effect, {kind: 'dispatch'}>).event);
	assert.deepEqual(press(prune, 'a')[1], {kind: 'run', panel: 'images', command: 'prune', items: [], choice: 'unused'});
	const tagging = screenReducer(images, {type: 'overlay', overlay: {kind: 'prompt', panel: 'images', command: 'tag', ids: [image.id], label: 'Tag as', text: 'busybox:v2'}});
	assert.deepEqual(press(tagging, 'enter', '\r')[1], {kind: 'run', panel: 'images', command: 'tag', items: [image], input: 'busybox:v2'});
});

test('y copies the id, Y the name', () => {
	assert.deepEqual(press(state(), 'y'), [{kind: 'copy', text: 'web', what: 'id'}]);
	const images = screenReducer(state(), {type: 'panel', to: 'images'});
	assert.deepEqual(press(images, 'y'), [{kind: 'copy', text: 'sha256:1', what: 'id'}]);
	assert.deepEqual(press(images, 'Y'), [{kind: 'copy', text: 'busybox:latest', what: 'name'}]);
});

test('the status line offers what applies to the selection, and the marks when there are some', () => {
	const {keys} = keymap;
	assert.match(hintsFor(state(), keys), /^s stop · r restart · p pause · l logs · e shell · d rm/);
	assert.match(hintsFor(containersList(state(), {selectedId: 'old'}), keys), /^u start · l logs · d rm/);
	assert.match(hintsFor(containersList(state(), {selectedId: 'paused'}), keys), /^p unpause/);
	assert.match(hintsFor(containersList(state(), {filterEditing: true}), keys), /type to filter/);
	assert.match(hintsFor(containersList(state(), {marks: new Set(['web', 'old'])}), keys), /^2 marked · u start · s stop .* Esc unmark$/);
	assert.match(hintsFor(screenReducer(state(), {type: 'panel', to: 'images'}), keys), /^d rm · t tag · p pull · P prune/);
});

test('H opens the host switcher; in it j/k move within the list, Enter switches, Esc, q and H close; other keys do nothing', () => {
	assert.deepEqual(press(state(), 'H'), [{kind: 'open-hosts'}]);
	const open = {...state(), overlay: {kind: 'hosts' as const, index: 1, count: 3}};
	assert.deepEqual(press(open, 'j'), [{kind: 'dispatch', event: {type: 'overlay', overlay: {kind: 'hosts', index: 2, count: 3}}}]);
	assert.deepEqual(press({...open, overlay: {kind: 'hosts', index: 2, count: 3}}, 'j'), [{kind: 'dispatch', event: {type: 'overlay', overlay: {kind: 'hosts', index: 2, count: 3}}}], 'stops at the last');
	assert.deepEqual(press(open, 'g'), [{kind: 'dispatch', event: {type: 'overlay', overlay: {kind: 'hosts', index: 0, count: 3}}}]);
	assert.deepEqual(press(open, 'enter', '\r'), [{kind: 'dispatch', event: {type: 'overlay', overlay: {kind: 'none'}}}, {kind: 'switch-host', index: 1}]);
	for (const key of ['esc', 'q', 'H']) assert.deepEqual(press(open, key), [{kind: 'dispatch', event: {type: 'overlay', overlay: {kind: 'none'}}}]);
	assert.deepEqual(press(open, 's'), [], 'no action reaches a container while the switcher is open');
});

test('events: Enter goes to what the event is about; p pauses the stream; marks do nothing there', () => {
	let events = screenReducer(state(), {type: 'panel', to: 'events'});
	const event = {id: 'e0000000001', time: 1, type: 'container', action: 'start', actorId: 'web', actorName: 'web', attributes: {}};
	events = screenReducer(events, {type: 'synced', panel: 'events', items: [event]});
	assert.deepEqual(press(events, 'enter', '\r'), [{kind: 'jump', event}]);
	assert.deepEqual(press(events, 'p'), [{kind: 'run', panel: 'events', command: 'pauseEvents', items: []}]);
	assert.equal(press(events, ' ')[0]!.kind, 'notice');
	assert.equal(emptyList().marks.size, 0);
	assert.equal(containersPanel.kind, 'containers');
});
