// The engine's json-file log store: batched writes, rotation, and tails read from the end.
import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {test} from 'node:test';
import {ContainerLog, queryLog} from '../../source/engine/log-store.ts';

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
