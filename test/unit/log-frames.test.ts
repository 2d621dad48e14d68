import assert from 'node:assert/strict';
import {test} from 'node:test';
import {LineSplitter} from '../../source/client/line-splitter.ts';
import {FrameDecoder} from '../../source/client/logs/log-frames.ts';

function frame(stream: number, text: string | Buffer): Buffer {
	const payload = typeof text === 'string' ? Buffer.from(text) : text;
	const header = Buffer.alloc(8);
	header[0] = stream;
	header.writeUInt32BE(payload.length, 4);
	return Buffer.concat([header, payload]);
}

test('frames split at every byte still decode to the same payloads', () => {
	const bytes = Buffer.concat([frame(1, 'hello\n'), frame(2, 'oops\n'), frame(1, 'bye\n')]);
	for (let cut = 1; cut < bytes.length; cut++) {
		const decoder = new FrameDecoder();
		const frames = [...decoder.push(bytes.subarray(0, cut)), ...decoder.push(bytes.subarray(cut))];
		assert.deepEqual(
			frames.map(f => `${f.stream}:${f.payload.toString()}`).join('').replaceAll('\n', '|'),
			'stdout:hello|stderr:oops|stdout:bye|',
			`cut at ${cut}`,
		);
	}
});

test('a stream that is not multiplexed is passed through whole', () => {
	const decoder = new FrameDecoder();
	const frames = decoder.push(Buffer.from('plain text from a tty\n'));
	assert.equal(frames.length, 1);
	assert.equal(frames[0]!.payload.toString(), 'plain text from a tty\n');
	assert.equal(decoder.push(Buffer.from('more'))[0]!.payload.toString(), 'more');
});

test('lines split in the middle of a UTF-8 character come out whole', () => {
	const bytes = Buffer.from('grüße 🚢\nzweite\n');
	for (let cut = 1; cut < bytes.length; cut++) {
		const splitter = new LineSplitter();
		const lines = [...splitter.push(bytes.subarray(0, cut)), ...splitter.push(bytes.subarray(cut)), ...splitter.end()];
		assert.deepEqual(lines, ['grüße 🚢', 'zweite'], `cut at ${cut}`);
	}
});

test('CRLF endings are trimmed, the last unterminated line comes out at the end, and an endless line is cut', () => {
	const splitter = new LineSplitter(10);
	assert.deepEqual(splitter.push(Buffer.from('a\r\nb')), ['a']);
	assert.deepEqual(splitter.end(), ['b']);
	const long = new LineSplitter(10);
	assert.deepEqual(long.push(Buffer.from('x'.repeat(25))), ['x'.repeat(25)]);
});
