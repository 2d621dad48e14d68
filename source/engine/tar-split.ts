// A layer's tar, kept as its framing: every byte of the archive but the contents of its regular
// files (headers, PAX and long-name records, padding, the end blocks), with a reference to each
// file's contents in place. With the layer's unpacked files, that gives back the very bytes the
// layer was, so `docker save` and push reproduce its diff id without keeping the tar twice.
// (dockerd keeps the same for the same reason, in its own "tar-split" format.)
import {createHash} from 'node:crypto';
import {createReadStream} from 'node:fs';
import path from 'node:path';
import {Readable} from 'node:stream';
import {gunzipSync, gzipSync} from 'node:zlib';
import {safeRelativePath} from './image-unpack.ts';

const block = 512;
/** Regular files: their contents are read back from the unpacked layer. */
const regularTypes = new Set(['0', '\0', '7']);

type Segment = {raw: Buffer} | {file: string; size: number};

function field(header: Buffer, start: number, length: number): string {
	const end = header.indexOf(0, start);
	return header.toString('utf8', start, end === -1 || end > start + length ? start + length : end);
}

/** A header's size field: octal, or base-256 when its first byte has the high bit set. */
function sizeField(header: Buffer): number {
	if (header[124]! & 0x80) {
		let value = 0;
		for (let index = 125; index < 136; index++) value = value * 256 + header[index]!;
		return value;
	}

	const text = field(header, 124, 12).trim();
	return text === '' ? 0 : Number.parseInt(text, 8);
}

/** PAX records "LEN key=value\n": the path and size they override, if any. */
function paxOverrides(data: Buffer): {path?: string; size?: number} {
	const result: {path?: string; size?: number} = {};
	let offset = 0;
	while (offset < data.length) {
		const space = data.indexOf(0x20, offset);
		if (space === -1) break;
		const length = Number(data.toString('utf8', offset, space));
		if (!Number.isInteger(length) || length <= 0) break;
		const record = data.toString('utf8', space + 1, offset + length - 1);
		const equals = record.indexOf('=');
		const key = record.slice(0, equals);
		const value = record.slice(equals + 1);
		if (key === 'path') result.path = value;
		if (key === 'size') result.size = Number(value);
		offset += length;
	}

	return result;
}

/** The path an entry unpacks to; undefined for the root or a name the unpacker refuses (it fails the layer then). */
function safeOrUndefined(name: string): string | undefined {
	try {
		return safeRelativePath(name);
	} catch {
		return undefined;
	}
}

/** Watches a tar stream go by and records its framing. */
export class TarSplitRecorder {
	private readonly segments: Segment[] = [];
	private pending: Buffer = Buffer.alloc(0);
	private raw: Buffer[] = [];
	/** What the bytes now arriving are: a header, the content of an entry, or the rest after the end. */
	private state: {kind: 'header'} | {kind: 'metadata'; left: number; type: string; parts: Buffer[]} | {kind: 'content'; left: number; file?: string} | {kind: 'padding'; left: number} = {kind: 'header'};
	private nextPath?: string;
	private nextSize?: number;
	private readonly names = new Set<string>();
	/** False when a path came twice: the first's contents are gone from the unpacked layer. */
	exact = true;

	push(chunk: Buffer): void {
		this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
		let offset = 0;
		while (offset < this.pending.length) {
			const state = this.state;
			if (state.kind === 'header') {
				if (this.pending.length - offset < block) break;
				const header = this.pending.subarray(offset, offset + block);
				offset += block;
				this.raw.push(Buffer.from(header));
				if (header.every(byte => byte === 0)) continue;
				const type = String.fromCharCode(header[156]!);
				const size = this.nextSize ?? sizeField(header);
				let name = field(header, 0, 100);
				if (field(header, 257, 5) === 'ustar') {
					const prefix = field(header, 345, 155);
					if (prefix) name = `${prefix}/${name}`;
				}

				name = this.nextPath ?? name;
				const metadata = type === 'x' || type === 'g' || type === 'L' || type === 'K';
				if (!metadata) {
					this.nextPath = undefined;
					this.nextSize = undefined;
				}

				const padding = (block - (size % block)) % block;
				if (metadata) this.state = {kind: 'metadata', left: size, type, parts: []};
				else if (regularTypes.has(type) && size > 0 && safeOrUndefined(name) !== undefined) {
					const file = safeOrUndefined(name)!;
					if (this.names.has(file)) this.exact = false;
					this.names.add(file);
					this.flushRaw();
					this.segments.push({file, size});
					this.state = {kind: 'content', left: size, file};
				} else this.state = size > 0 ? {kind: 'content', left: size} : {kind: 'header'};
				this.afterContent = padding;
				continue;
			}

			if (state.kind === 'padding') {
				const take = Math.min(state.left, this.pending.length - offset);
				this.raw.push(Buffer.from(this.pending.subarray(offset, offset + take)));
				offset += take;
				state.left -= take;
				if (state.left === 0) this.state = {kind: 'header'};
				continue;
			}

			const take = Math.min(state.left, this.pending.length - offset);
			const bytes = this.pending.subarray(offset, offset + take);
			offset += take;
			state.left -= take;
			if (state.kind === 'metadata') {
				this.raw.push(Buffer.from(bytes));
				state.parts.push(Buffer.from(bytes));
			} else if (state.file === undefined) this.raw.push(Buffer.from(bytes));
			if (state.left > 0) continue;
			if (state.kind === 'metadata') {
				const data = Buffer.concat(state.parts);
				if (state.type === 'x') {
					const overrides = paxOverrides(data);
					if (overrides.path !== undefined) this.nextPath = overrides.path;
					if (overrides.size !== undefined) this.nextSize = overrides.size;
				} else if (state.type === 'L') this.nextPath = data.toString('utf8').replace(/\0+$/, '');
			}

			this.state = this.afterContent > 0 ? {kind: 'padding', left: this.afterContent} : {kind: 'header'};
		}

		this.pending = this.pending.subarray(offset);
	}

	private afterContent = 0;

	private flushRaw(): void {
		if (this.raw.length === 0) return;
		this.segments.push({raw: Buffer.concat(this.raw)});
		this.raw = [];
	}

	/** The framing, compressed: headers compress to little. */
	finish(): Buffer {
		// Whatever followed the end blocks, and a last partial block, are kept as they came.
		if (this.pending.length > 0) this.raw.push(Buffer.from(this.pending));
		this.pending = Buffer.alloc(0);
		this.flushRaw();
		const parts: Buffer[] = [];
		for (const segment of this.segments) {
			if ('raw' in segment) {
				const head = Buffer.alloc(5);
				head[0] = 0;
				head.writeUInt32BE(segment.raw.length, 1);
				parts.push(head, segment.raw);
			} else {
				const name = Buffer.from(segment.file, 'utf8');
				const head = Buffer.alloc(13);
				head[0] = 1;
				head.writeUInt32BE(name.length, 1);
				head.writeBigUInt64BE(BigInt(segment.size), 5);
				parts.push(head, name);
			}
		}

		return gzipSync(Buffer.concat(parts));
	}
}

function* segmentsOf(framing: Buffer): Generator<Segment> {
	const data = gunzipSync(framing);
	let offset = 0;
	while (offset < data.length) {
		const kind = data[offset]!;
		const length = data.readUInt32BE(offset + 1);
		if (kind === 0) {
			yield {raw: data.subarray(offset + 5, offset + 5 + length)};
			offset += 5 + length;
		} else {
			const size = Number(data.readBigUInt64BE(offset + 5));
			yield {file: data.toString('utf8', offset + 13, offset + 13 + length), size};
			offset += 13 + length;
		}
	}
}

/** How many bytes the reassembled tar has, from the framing alone. */
export function reassembledSize(framing: Buffer): number {
	let size = 0;
	for (const segment of segmentsOf(framing)) size += 'raw' in segment ? segment.raw.length : segment.size;
	return size;
}

/** The layer's tar again, from its framing and its unpacked files in `root`; fails if it does not hash to `diffId`. */
export function reassemble(framing: Buffer, root: string, diffId: string): Readable {
	const hash = createHash('sha256');
	async function* generate(): AsyncGenerator<Buffer> {
		for (const segment of segmentsOf(framing)) {
			if ('raw' in segment) {
				hash.update(segment.raw);
				yield segment.raw;
				continue;
			}

			let sent = 0;
			for await (const chunk of createReadStream(path.join(root, segment.file), {start: 0, end: segment.size - 1, highWaterMark: 1 << 20})) {
				const bytes = chunk as Buffer;
				hash.update(bytes);
				sent += bytes.length;
				yield bytes;
			}

			if (sent !== segment.size) throw new Error(`the layer's file ${segment.file} is ${sent} bytes, not the ${segment.size} it had`);
		}

		const actual = `sha256:${hash.digest('hex')}`;
		if (actual !== diffId) throw new Error(`the layer ${diffId.slice(7, 19)} no longer reassembles to its diff id (got ${actual.slice(7, 19)})`);
	}

	return Readable.from(generate(), {objectMode: false});
}
