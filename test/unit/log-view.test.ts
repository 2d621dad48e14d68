// The log view's pure parts: lines made safe with their colours, levels, search marks, JSON; the
// bounded buffer; following, pausing, searching and filtering without a terminal.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {levelOf, markRanges, matchRanges, prettyJson, sanitizeKeepingColour, stripColour} from '../../source/state/log-line.ts';
import {FilterCache, findNext, initialLogViewState, jumpToTime, LogBuffer, type LogViewState, type RenderOptions, screenRows, scrollBy, shownLines, wrapColoured} from '../../source/state/log-view.ts';

test('a container keeps its colours and nothing else reaches the terminal', () => {
	assert.equal(sanitizeKeepingColour('\u001B[31mred\u001B[0m plain\n'), '\u001B[31mred\u001B[0m plain\u001B[0m');
	assert.equal(sanitizeKeepingColour('\u001B[2J\u001B[H\u001B]0;title\u0007\u001B[?1049lafter'), 'after');
	assert.equal(sanitizeKeepingColour('\u001B]8;;http://x\u001B\\link\u001B]8;;\u001B\\ \u001B'), 'link ');
	assert.equal(sanitizeKeepingColour('10%\r50%\r100%\r\n'), '100%');
	assert.equal(sanitizeKeepingColour('\u001B[1ma\u001B[0m\tb'), '\u001B[1ma\u001B[0m       b\u001B[0m', 'tabs count visible columns only');
	assert.equal(stripColour(sanitizeKeepingColour('bin\u0000\u0007\ufffdary')), 'bin\ufffdary');
});

test('levels: words near the start and JSON fields, not prose', () => {
	assert.deepEqual(levelOf('2026-11-24 ERROR boom'), {level: 'error', start: 11, end: 16});
	assert.equal(levelOf('[warn] disk')?.level, 'warn');
	assert.equal(levelOf('{"msg":"x","level":"debug"}')?.level, 'debug');
	assert.equal(levelOf('the info desk is closed'), undefined, 'a lower-case word in prose is not a level');
	assert.equal(levelOf(`${'x'.repeat(100)} ERROR`), undefined, 'only near the start');
});

test('search marks land on visible text, across the container\'s own colours', () => {
	const line = '\u001B[32mgreen\u001B[0m text';
	const marked = markRanges(line, matchRanges(stripColour(line), /en te/), '<', '>');
	assert.equal(marked, '\u001B[32mgre<en\u001B[0m< te>xt');
	assert.deepEqual(matchRanges('aaa', /a/), [[0, 1], [1, 2], [2, 3]]);
	assert.deepEqual(prettyJson('{"a":1}'), ['{', '  "a": 1', '}']);
	assert.equal(prettyJson('{not json}'), undefined);
});

test('wrapping counts columns, not escape bytes or UTF-16 units', () => {
	assert.deepEqual(wrapColoured('\u001B[31mabcdef\u001B[0m', 4), ['\u001B[31mabcd', 'ef\u001B[0m']);
	assert.deepEqual(wrapColoured('日本語', 4), ['日本', '語']);
});

const options: RenderOptions = {width: 40, height: 5, prefixes: [], prefixWidth: 0};
const fill = (buffer: LogBuffer, from: number, to: number) => buffer.append(Array.from({length: to - from}, (_, index) => ({source: 0, stream: 'stdout' as const, time: '', raw: `line ${from + index}${(from + index) % 10 === 0 ? ' ERROR' : ''}`})));

test('the buffer stays within its limit; following shows the end; scrolling up pauses and down resumes', () => {
	const buffer = new LogBuffer(100);
	fill(buffer, 0, 1000);
	assert.ok(buffer.lines.length <= 110 && buffer.lines.at(-1)!.raw === 'line 999');
	assert.equal(buffer.dropped + buffer.lines.length, 1000);
	let state = initialLogViewState;
	assert.deepEqual(screenRows(buffer.lines, state, options).map(row => row.text), ['line 995', 'line 996', 'line 997', 'line 998', 'line 999']);
	state = scrollBy(buffer.lines, state, options, -2, buffer.appended);
	assert.equal(state.follow, false);
	fill(buffer, 1000, 1003);
	assert.deepEqual(screenRows(buffer.lines, state, options).map(row => row.text)[0], 'line 993', 'a paused view stays put');
	assert.equal(buffer.appended - state.appendedAtPause, 3);
	state = scrollBy(buffer.lines, state, options, 100, buffer.appended);
	assert.equal(state.follow, true);
});

test('the filter cache matches a full filter as lines come and go; search jumps between matches', () => {
	const buffer = new LogBuffer(100);
	const cache = new FilterCache();
	const filter = /ERROR/;
	for (let from = 0; from < 600; from += 37) {
		fill(buffer, from, from + 37);
		assert.deepEqual(cache.lines(buffer, filter).map(line => line.seq), shownLines(buffer, {...initialLogViewState, filter}).map(line => line.seq));
	}

	let state: LogViewState = {...initialLogViewState, search: /ERROR/};
	state = findNext(buffer.lines, {...state, follow: false, topSeq: buffer.lines[0]!.seq}, options, 1, buffer.appended);
	const first = buffer.lines.find(line => line.seq === state.markSeq)!;
	assert.match(first.raw, /ERROR/);
	const next = findNext(buffer.lines, state, options, 1, buffer.appended);
	assert.equal(buffer.lines.find(line => line.seq === next.markSeq)!.seq - first.seq, 10);
	assert.equal(findNext(buffer.lines, next, options, -1, buffer.appended).markSeq, first.seq);
});

test('a jump to a time pauses there and counts what comes after as new', () => {
	const buffer = new LogBuffer(100);
	buffer.append(Array.from({length: 20}, (_, index) => ({source: 0, stream: 'stdout' as const, time: `2026-11-24T10:00:${String(index).padStart(2, '0')}.000000000Z`, raw: `line ${index}`})));
	const at = Date.parse('2026-11-24T10:00:12Z') / 1000;
	const state = jumpToTime(buffer.lines, initialLogViewState, at, buffer.appended);
	assert.equal(screenRows(buffer.lines, state, options)[0]!.text, 'line 12');
	fill(buffer, 20, 23);
	assert.equal(buffer.appended - state.appendedAtPause, 3);
});

test('without colour, a line loses the container\'s colours and its level colour, and keeps search marks', () => {
	const buffer = new LogBuffer(10);
	buffer.append([{source: 0, stream: 'stdout', time: '', raw: '\u001B[31mERROR\u001B[0m red words'}]);
	const state = {...initialLogViewState, search: /red/};
	const plain = screenRows(buffer.lines, state, {width: 80, height: 3, prefixes: [], prefixWidth: 0, colour: false});
	assert.equal(plain[0]!.text, 'ERROR \u001B[7mred\u001B[27m words');
	const coloured = screenRows(buffer.lines, state, {width: 80, height: 3, prefixes: [], prefixWidth: 0});
	assert.match(coloured[0]!.text, /\u001B\[31m/);
});
