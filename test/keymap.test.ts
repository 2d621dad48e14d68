import assert from 'node:assert/strict';
import {test} from 'node:test';
import {buildKeymap, defaultKeymap, keyName, splitPresses} from '../source/ui/keymap.ts';

test('key presses get one canonical name', () => {
	assert.equal(keyName('k', {}), 'k');
	assert.equal(keyName('G', {shift: true}), 'G');
	assert.equal(keyName('', {upArrow: true}), 'up');
	assert.equal(keyName('', {pageDown: true}), 'pagedown');
	assert.equal(keyName('\r', {return: true}), 'enter');
	assert.equal(keyName('', {tab: true}), 'tab');
	assert.equal(keyName('', {tab: true, shift: true}), 'shift+tab');
	assert.equal(keyName('c', {ctrl: true}), 'ctrl+c');
	// A lone Esc comes with meta set as well.
	assert.equal(keyName('', {escape: true, meta: true}), 'esc');
	assert.equal(keyName('x', {meta: true}), 'alt+x');
});

test('the defaults cover every key the README documents', () => {
	const {lookup, problems} = buildKeymap();
	assert.deepEqual(problems, []);
	const expected: Record<string, string> = {
		up: 'up', k: 'up', down: 'down', j: 'down', g: 'top', G: 'bottom', pageup: 'pageUp', pagedown: 'pageDown',
		tab: 'switchFocus', '[': 'prevTab', ']': 'nextTab', '/': 'filter', u: 'start', s: 'stop', r: 'restart',
		p: 'pause', K: 'kill', d: 'remove', '?': 'help', q: 'quit',
	};
	for (const [key, command] of Object.entries(expected)) assert.equal(lookup.get(key), command, `key ${key}`);
});

test('an override replaces the command\'s keys and takes the key from any other command', () => {
	const {lookup, keys, problems} = buildKeymap({stop: 'x', kill: ['s', 'ctrl+k']});
	assert.deepEqual(problems, []);
	assert.equal(lookup.get('x'), 'stop');
	assert.equal(lookup.get('s'), 'kill');
	assert.equal(lookup.get('ctrl+k'), 'kill');
	assert.equal(lookup.get('K'), undefined);
	assert.deepEqual(keys.stop, ['x']);
	assert.deepEqual(keys.kill, ['s', 'ctrl+k']);
	// Untouched commands keep their defaults.
	assert.deepEqual(keys.quit, defaultKeymap.quit);
});

test('bad overrides are reported and ignored', () => {
	const {lookup, problems} = buildKeymap({explode: 'x', stop: 42, start: []});
	assert.equal(problems.length, 3);
	assert.match(problems[0]!, /unknown command "explode"/);
	assert.equal(lookup.get('s'), 'stop');
	assert.equal(lookup.get('u'), 'start');
});

test('a chunk of several keys is split into single presses, control characters named', () => {
	assert.deepEqual(splitPresses('jj', {}), [{name: 'j', input: 'j'}, {name: 'j', input: 'j'}]);
	assert.deepEqual(
		splitPresses('web2\r', {}).map(press => press.name),
		['w', 'e', 'b', '2', 'enter'],
	);
	assert.deepEqual(splitPresses('a\u007F\u0003', {}).map(press => press.name), ['a', 'backspace', 'ctrl+c']);
	assert.deepEqual(splitPresses('', {upArrow: true}), [{name: 'up', input: ''}]);
	assert.deepEqual(splitPresses('k', {}), [{name: 'k', input: 'k'}]);
});

test('Esc and a key arriving together (read as Alt+key) are two presses unless Alt+key is bound', () => {
	assert.deepEqual(splitPresses('q', {meta: true}), [{name: 'esc', input: ''}, {name: 'q', input: 'q'}]);
	assert.deepEqual(splitPresses('q', {meta: true}, name => name === 'alt+q'), [{name: 'alt+q', input: 'q'}]);
});
