import assert from 'node:assert/strict';
import {test} from 'node:test';
import {sanitizeLine} from '../../source/state/log-line.ts';

test('escape sequences that could move the cursor, clear the screen or retitle the window are removed', () => {
	assert.equal(sanitizeLine('\u001B[2J\u001B[Hcleared'), 'cleared');
	assert.equal(sanitizeLine('\u001B]0;evil title\u0007after'), 'after');
	assert.equal(sanitizeLine('\u001B]8;;http://x\u001B\\link\u001B]8;;\u001B\\'), 'link');
	assert.equal(sanitizeLine('\u001B[?1049lescape'), 'escape');
	assert.equal(sanitizeLine('\u001B[31mred\u001B[0m'), 'red');
	assert.equal(sanitizeLine('bell\u0007 back\bspace'), 'bell backspace');
});

test('a carriage return keeps what was drawn last, as a terminal would show it', () => {
	assert.equal(sanitizeLine('10%\r50%\r100%'), '100%');
	assert.equal(sanitizeLine('done\r'), 'done');
});

test('tabs become spaces up to the next tab stop', () => {
	assert.equal(sanitizeLine('a\tb'), 'a       b');
	assert.equal(sanitizeLine('abcdefgh\tc', 8), 'abcdefgh        c');
});
