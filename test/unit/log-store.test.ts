// The engine's json-file log store: batched writes, rotation, tails read from the end, and the
// positions in the spools that make a crash lose and double nothing; output cut into entries.
import assert from 'node:assert/strict';
import {existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {test} from 'node:test';
import {ContainerLog, queryLog} from '../../source/engine/log-store.ts';
import {OutputLines, pieceBytes} from '../../source/engine/output-lines.ts';

const fresh = (maxSize: number, maxFile = 3) => {
	const directory = mkdtempSync(path.join(tmpdir(), 'berth-log-'));
	return {log: new ContainerLog(path.join(directory, 'c-json.log'), {maxSize, maxFile}), file: path.join(directory, 'c-json.log'), cleanup: () => rmSync(directory, {recursive: true})};
};

test('a batch is one announcement; tails come from the end, across rotated files, per stream', () => {
	const {log, cleanup} = fresh(4096);
	const announced: number[] = [];
	log.on('entries', (entries: unknown[]) => announced.push(entries.length));
	for (let batch = 0; batch < 50; batch++) {
		log.writeMany('stdout', Array.from({length: 10}, (_, index) => `out ${batch * 10 + index}\n`));
		log.write('stderr', `err ${batch}\n`);
	}

	assert.equal(announced.length, 100);
	assert.deepEqual(announced.slice(0, 2), [10, 1]);
	const all = log.readAll();
	assert.ok(all.length < 550 && all.length > 20, 'rotation dropped the oldest files');
	const tail = queryLog(log, {stdout: true, stderr: true, tail: 3});
	assert.deepEqual(tail.map(entry => entry.log), ['out 498\n', 'out 499\n', 'err 49\n']);
	const stderrOnly = queryLog(log, {stdout: false, stderr: true, tail: 2});
	assert.deepEqual(stderrOnly.map(entry => entry.log), ['err 48\n', 'err 49\n']);
	// A tail longer than what one file holds reads on into the older files, in order.
	const long = queryLog(log, {stdout: true, stderr: false, tail: 60});
	assert.deepEqual(long.map(entry => entry.log), Array.from({length: 60}, (_, index) => `out ${440 + index}\n`));
	assert.deepEqual(long, all.filter(entry => entry.stream === 'stdout').slice(-60), 'the same as reading everything');
	cleanup();
});

test('lines longer than a read chunk and a torn last line are handled', () => {
	const {log, file, cleanup} = fresh(10 * 1024 * 1024);
	const big = `${'x'.repeat(200_000)}\n`;
	log.write('stdout', 'before\n');
	log.write('stdout', big);
	log.write('stdout', 'after\n');
	log.close();
	// A crash mid-write leaves half a line at the end.
	const torn = readFileSync(file, 'utf8') + '{"log":"half';
	writeFileSync(file, torn);
	assert.deepEqual(queryLog(log, {stdout: true, stderr: true, tail: 3}).map(entry => entry.log.length), [7, 200_001, 6]);
	cleanup();
});

test('after a crash, lines appended past the saved position are cut off, in the current file or a rotated one', () => {
	const {log, file, cleanup} = fresh(10 * 1024 * 1024);
	log.writeMany('stdout', ['a\n', 'b\n'], [2, 4]);
	log.writeMany('stderr', ['e\n'], [2]);
	log.close();
	// Killed after an append, before its position was saved: the spool still has those lines.
	writeFileSync(file, `${JSON.stringify({log: 'c\n', stream: 'stdout', time: '2026-12-03T00:00:00.000000000Z'})}\n`, {flag: 'a'});
	const again = new ContainerLog(file, {maxSize: 10 * 1024 * 1024, maxFile: 3});
	assert.deepEqual(again.positions(), {stdout: 4, stderr: 2});
	assert.deepEqual(again.readAll().map(entry => entry.log), ['a\n', 'b\n', 'e\n'], 'the unsaved line is gone, to be read again');
	// Killed after a rotation, before the position was saved with the new file.
	again.close();
	renameSync(file, `${file}.1`);
	writeFileSync(file, `${JSON.stringify({log: 'c\n', stream: 'stdout', time: '2026-12-03T00:00:00.000000000Z'})}\n`);
	const third = new ContainerLog(file, {maxSize: 10 * 1024 * 1024, maxFile: 3});
	assert.deepEqual(third.readAll().map(entry => entry.log), ['a\n', 'b\n', 'e\n']);
	third.writeMany('stdout', ['c\n'], [6]);
	assert.deepEqual(third.readAll().map(entry => entry.log), ['a\n', 'b\n', 'e\n', 'c\n']);
	assert.deepEqual(third.positions(), {stdout: 6, stderr: 2});
	third.resetPositions();
	assert.deepEqual(third.positions(), {stdout: 0, stderr: 0}, 'a new run starts its spools again');
	cleanup();
});

test('a rotation in the middle of a batch saves the position where the first file ends', () => {
	const {log, file, cleanup} = fresh(200, 3);
	const texts = Array.from({length: 6}, (_, index) => `line ${index}\n`);
	log.writeMany('stdout', texts, texts.map((_, index) => (index + 1) * 7));
	assert.ok(existsSync(`${file}.1`), 'the batch rotated the log');
	assert.equal(log.positions().stdout, 42);
	log.close();
	assert.deepEqual(new ContainerLog(file, {maxSize: 200, maxFile: 3}).readAll().map(entry => entry.log), texts, 'nothing cut from a log whose positions were saved');
	cleanup();
});

test('output is cut into entries on bytes: each knows where it ends in the spool, characters are never split', () => {
	const lines = new OutputLines(100);
	assert.deepEqual(lines.push(Buffer.from('one\ntw')), {texts: ['one\n'], ends: [104]});
	// "é" is two bytes, split between two chunks.
	const e = Buffer.from('é');
	assert.deepEqual(lines.push(Buffer.concat([Buffer.from('o '), e.subarray(0, 1)])), {texts: [], ends: []});
	assert.deepEqual(lines.push(Buffer.concat([e.subarray(1), Buffer.from('\nthree')])), {texts: ['two é\n'], ends: [111]});
	assert.deepEqual(lines.flush(), {texts: ['three'], ends: [116]});
	assert.deepEqual(lines.flush(), {texts: [], ends: []});
	// A line with no end in sight goes in pieces past 16 KiB, cut before a character cut short.
	const long = new OutputLines(0);
	const chunk = Buffer.concat([Buffer.from('x'.repeat(pieceBytes)), e.subarray(0, 1)]);
	const {texts, ends} = long.push(chunk);
	assert.deepEqual(texts, ['x'.repeat(pieceBytes)]);
	assert.deepEqual(ends, [pieceBytes]);
	assert.deepEqual(long.push(Buffer.from([e[1]!, 10])), {texts: ['é\n'], ends: [pieceBytes + 3]});
});
