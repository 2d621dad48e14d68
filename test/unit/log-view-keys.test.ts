// The log view's keys (ui/log-view-keys.ts): from the keymap's logView scope, to a new state and
// effects, without a terminal.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {initialLogViewState, LogBuffer, type RenderOptions, screenRows} from '../../source/state/log-view.ts';
import {buildKeymap} from '../../source/ui/keymap.ts';
import {handleLogKey, type LogKeyContext, promptText} from '../../source/ui/log-view-keys.ts';

const options: RenderOptions = {width: 80, height: 5, prefixes: [], prefixWidth: 0};
const buffer = new LogBuffer(1000);
buffer.append(Array.from({length: 50}, (_, index) => ({source: 0, stream: 'stdout' as const, time: `2026-11-24T10:00:${String(index).padStart(2, '0')}.000000000Z`, raw: index % 10 === 3 ? `error ${index}` : `line ${index}`})));

function context(overrides: Record<string, unknown> = {}, state = initialLogViewState): LogKeyContext {
	return {lookup: buildKeymap(overrides).lookupIn('logView'), lines: buffer.lines, appended: buffer.appended, options, rows: screenRows(buffer.lines, state, options), saveName: '/tmp/x.log', canFetchOlder: true};
}

test('f pauses and follows again; k at the top asks for older lines; q closes', () => {
	const paused = handleLogKey(context(), initialLogViewState, 'f', 'f');
	assert.equal(paused.state.follow, false);
	assert.equal(handleLogKey(context(), paused.state, 'f', 'f').state.follow, true);
	const top = handleLogKey(context(), initialLogViewState, 'g', 'g');
	assert.equal(top.state.topSeq, buffer.lines[0]!.seq);
	assert.deepEqual(handleLogKey(context(), top.state, 'k', 'k').effects, [{kind: 'fetch-older'}]);
	assert.deepEqual(handleLogKey({...context(), canFetchOlder: false}, top.state, 'k', 'k').effects, []);
	assert.deepEqual(handleLogKey(context(), initialLogViewState, 'q', 'q').effects, [{kind: 'close'}]);
});

test('search is typed, then n and N move between matches; Esc clears the search before it closes', () => {
	let state = handleLogKey(context(), initialLogViewState, '/', '/').state;
	assert.equal(promptText(state), 'search /█');
	for (const character of 'error') state = handleLogKey(context(), state, character, character).state;
	state = handleLogKey(context(), state, 'enter', '\r').state;
	const first = state.markSeq;
	const marked = () => buffer.lines.find(line => line.seq === state.markSeq)?.raw;
	assert.equal(marked(), 'error 43', 'a followed view finds the newest match first');
	assert.equal(state.follow, false);
	state = handleLogKey(context(), state, 'N', 'N').state;
	assert.equal(marked(), 'error 33');
	state = handleLogKey(context(), state, 'n', 'n').state;
	assert.equal(state.markSeq, first);
	state = handleLogKey(context(), state, 'n', 'n').state;
	assert.equal(marked(), 'error 3', 'past the newest it wraps to the oldest');
	assert.equal(state.message?.text, 'search wrapped to the top');
	state = handleLogKey(context(), state, 'esc', '').state;
	assert.equal(state.search, undefined);
	assert.deepEqual(handleLogKey(context(), state, 'esc', '').effects, [{kind: 'close'}]);
});

test('y copies the marked line; s offers a file name and saves there; t, w and J toggle', () => {
	const copied = handleLogKey(context(), initialLogViewState, 'y', 'y');
	assert.deepEqual(copied.effects, [{kind: 'copy', text: 'line 49'}]);
	const saving = handleLogKey(context(), initialLogViewState, 's', 's').state;
	assert.equal(saving.prompt?.text, '/tmp/x.log');
	const saved = handleLogKey(context(), saving, 'enter', '\r');
	assert.equal(saved.effects[0]?.kind, 'save');
	for (const [key, field] of [['t', 'timestamps'], ['w', 'wrap'], ['J', 'json']] as const) assert.equal(handleLogKey(context(), initialLogViewState, key, key).state[field], true);
	assert.equal(handleLogKey(context(), initialLogViewState, '?', '?').state.help, true);
});

test('remapped keys work and the old key gives way', () => {
	const remapped = context({'log.follow': 'F'});
	assert.equal(handleLogKey(remapped, initialLogViewState, 'F', 'F').state.follow, false);
	assert.equal(handleLogKey(remapped, initialLogViewState, 'f', 'f').state.follow, true, 'f does nothing now');
	assert.equal(handleLogKey(remapped, initialLogViewState, '&', '&').state.prompt?.kind, 'filter', 'the filter keeps its other key');
});
