// A layer's framing and its unpacked files give back the very tar it came from, whatever tar wrote it.
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {createHash} from 'node:crypto';
import {mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {Readable} from 'node:stream';
import {test} from 'node:test';
import {pack} from 'tar-stream';
import {applyLayer} from '../../source/engine/image-unpack.ts';
import {reassemble, TarSplitRecorder} from '../../source/engine/tar-split.ts';

const digest = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

async function roundTrip(tar: Buffer, chunkSize: number): Promise<{again: Buffer; exact: boolean}> {
	const root = mkdtempSync(path.join(tmpdir(), 'berth-split-'));
	const recorder = new TarSplitRecorder();
	// Chunks of odd sizes, so that headers and contents are cut anywhere.
	const chunks: Buffer[] = [];
	for (let offset = 0; offset < tar.length; offset += chunkSize) chunks.push(tar.subarray(offset, offset + chunkSize));
	const source = Readable.from(chunks);
	source.on('data', (chunk: Buffer) => recorder.push(chunk));
	await applyLayer(source, root, {chown: false});
	const framing = recorder.finish();
	const parts: Buffer[] = [];
	for await (const chunk of reassemble(framing, root, digest(tar))) parts.push(chunk as Buffer);
	return {again: Buffer.concat(parts), exact: recorder.exact};
}

test('GNU, PAX and ustar archives, long names, links, empty and large files come back byte for byte', async () => {
	const tree = mkdtempSync(path.join(tmpdir(), 'berth-tree-'));
	const deep = path.join(tree, 'a'.repeat(90), 'b'.repeat(90));
	mkdirSync(deep, {recursive: true});
	writeFileSync(path.join(deep, `${'c'.repeat(120)}.txt`), 'a long name\n');
	writeFileSync(path.join(tree, 'empty'), '');
	writeFileSync(path.join(tree, 'big'), Buffer.alloc(3 * 1024 * 1024 + 17, 7));
	writeFileSync(path.join(tree, 'ünïcode name'), 'utf-8\n');
	symlinkSync('big', path.join(tree, 'link'));
	execFileSync('ln', [path.join(tree, 'big'), path.join(tree, 'hard')]);
	writeFileSync(path.join(tree, '.wh.gone'), '');
	for (const format of ['gnu', 'posix', 'ustar']) {
		let tar: Buffer;
		try {
			tar = execFileSync('tar', [`--format=${format}`, '-cf', '-', '-C', tree, '.'], {maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore']});
		} catch {
			continue; // ustar cannot hold the longest name: GNU tar refuses, and that is its business
		}

		for (const chunkSize of [1, 511, 4096, 1 << 20]) {
			if (chunkSize === 1 && tar.length > 64 * 1024) continue;
			const {again, exact} = await roundTrip(tar, chunkSize);
			assert.equal(exact, true);
			assert.equal(digest(again), digest(tar), `${format} in chunks of ${chunkSize}`);
		}
	}
});

test('a file that no longer matches, or a path written twice, is caught, not passed off as the layer', async () => {
	const tree = mkdtempSync(path.join(tmpdir(), 'berth-tree-'));
	writeFileSync(path.join(tree, 'file'), 'first\n');
	const twice = pack();
	twice.entry({name: 'file'}, 'first\n');
	twice.entry({name: 'file'}, 'second\n');
	twice.finalize();
	const chunks: Buffer[] = [];
	for await (const chunk of twice) chunks.push(chunk as Buffer);
	const recorded = new TarSplitRecorder();
	recorded.push(Buffer.concat(chunks));
	assert.equal(recorded.exact, false, 'a path that came twice is known');

	const single = execFileSync('tar', ['-cf', '-', '-C', tree, 'file']);
	const root = mkdtempSync(path.join(tmpdir(), 'berth-split-'));
	const recorder = new TarSplitRecorder();
	recorder.push(single);
	await applyLayer(Readable.from([single]), root, {chown: false});
	writeFileSync(path.join(root, 'file'), 'other\n');
	await assert.rejects(async () => {
		for await (const _ of reassemble(recorder.finish(), root, digest(single))) void _;
	}, /no longer reassembles to its diff id/);
	assert.equal(readFileSync(path.join(root, 'file'), 'utf8'), 'other\n');
});
