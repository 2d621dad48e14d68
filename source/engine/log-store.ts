// Container logs on disk in Docker's json-file format, one entry a line:
//   {"log":"text\n","stream":"stdout","time":"2026-11-23T08:05:02.594652611Z"}
// rotated by size (max-size, max-file as Docker names them), read back oldest first (or from the
// end, for a tail), and announced to followers as they are written, a batch at a time.
import {EventEmitter} from 'node:events';
import {closeSync, existsSync, fstatSync, openSync, readFileSync, readSync, renameSync, rmSync, statSync, writeSync} from 'node:fs';
import {badRequest} from './errors.ts';

export type LogEntry = {log: string; stream: 'stdout' | 'stderr'; time: string};

export type LogOptions = {maxSize: number; maxFile: number};

export const defaultLogOptions: LogOptions = {maxSize: 10 * 1024 * 1024, maxFile: 3};

/** Docker's size syntax: 10m, 512k, 1g, or bytes. */
export function parseSize(value: string | undefined, fallback: number): number {
	if (!value) return fallback;
	const match = /^(\d+(?:\.\d+)?)\s*([kmg]?)b?$/i.exec(value.trim());
	if (!match) throw new Error(`invalid size "${value}": use a number with k, m or g`);
	const unit = {'': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3}[match[2]!.toLowerCase() as '' | 'k' | 'm' | 'g'];
	return Math.floor(Number(match[1]) * unit);
}

let lastMs = 0;
let sequence = 0;

/** An RFC 3339 time with nine fractional digits, strictly increasing within this process. */
export function timestamp(now = Date.now()): string {
	if (now === lastMs) sequence++;
	else {
		lastMs = now;
		sequence = 0;
	}

	const iso = new Date(now).toISOString();
	return `${iso.slice(0, 23)}${String(sequence).padStart(6, '0')}Z`;
}

export class ContainerLog extends EventEmitter {
	private size: number;
	private fd: number | undefined;

	constructor(
		private readonly file: string,
		private readonly options: LogOptions = defaultLogOptions,
	) {
		super();
		this.size = existsSync(file) ? statSync(file).size : 0;
	}

	write(stream: 'stdout' | 'stderr', text: string): void {
		this.writeMany(stream, [text]);
	}

	/**
	 * Several entries of one stream at once, as one write to the file and one announcement
	 * ('entries', with the array): a container that floods its output costs a write per chunk
	 * it sends, not per line.
	 */
	writeMany(stream: 'stdout' | 'stderr', texts: string[]): void {
		if (texts.length === 0) return;
		const entries: LogEntry[] = texts.map(log => ({log, stream, time: timestamp()}));
		let pending = '';
		let pendingBytes = 0;
		for (const entry of entries) {
			const line = `${JSON.stringify(entry)}\n`;
			const bytes = Buffer.byteLength(line);
			if (this.size + pendingBytes + bytes > this.options.maxSize && this.size + pendingBytes > 0) {
				this.append(pending, pendingBytes);
				pending = '';
				pendingBytes = 0;
				this.rotate();
			}

			pending += line;
			pendingBytes += bytes;
		}

		this.append(pending, pendingBytes);
		this.emit('entries', entries);
	}

	/** Lets go of the file until the next write (the container has stopped). */
	close(): void {
		if (this.fd !== undefined) closeSync(this.fd);
		this.fd = undefined;
	}

	private append(text: string, bytes: number): void {
		if (!text) return;
		this.fd ??= openSync(this.file, 'a', 0o600);
		// A file opened to append takes a whole write (no partial writes as on pipes).
		writeSync(this.fd, text);
		this.size += bytes;
	}

	private rotate(): void {
		const {maxFile} = this.options;
		rmSync(`${this.file}.${maxFile - 1}`, {force: true});
		for (let index = maxFile - 2; index >= 1; index--) {
			if (existsSync(`${this.file}.${index}`)) renameSync(`${this.file}.${index}`, `${this.file}.${index + 1}`);
		}

		this.close();
		if (maxFile > 1) renameSync(this.file, `${this.file}.1`);
		else rmSync(this.file, {force: true});
		this.size = 0;
	}

	/** Every entry kept, oldest first. Lines that are not JSON (a torn last write) are skipped. */
	readAll(): LogEntry[] {
		const entries: LogEntry[] = [];
		for (const file of this.files()) {
			for (const line of readFileSync(file, 'utf8').split('\n')) {
				const entry = parseEntry(line);
				if (entry) entries.push(entry);
			}
		}

		return entries;
	}

	/**
	 * The last entries of the streams asked for, oldest first, read from the end of the files
	 * backwards, so that `--tail 100` of a large log reads a few kilobytes, not all of it.
	 */
	readTail(count: number, wanted: (entry: LogEntry) => boolean): LogEntry[] {
		const found: LogEntry[] = [];
		if (count <= 0) return found;
		for (const file of this.files().reverse()) {
			const fd = openSync(file, 'r');
			try {
				let end = fstatSync(fd).size;
				let carry = Buffer.alloc(0);
				while (end > 0 && found.length < count) {
					const start = Math.max(0, end - 64 * 1024);
					const chunk = Buffer.alloc(end - start);
					readSync(fd, chunk, 0, chunk.length, start);
					end = start;
					const text = Buffer.concat([chunk, carry]);
					// The first line of a chunk may be cut: keep it for the next read, unless at the start.
					const firstNewline = start === 0 ? -1 : text.indexOf(10);
					if (start > 0 && firstNewline === -1) {
						// No line starts in this chunk: all of it belongs to a longer line.
						carry = text;
						continue;
					}

					carry = firstNewline === -1 ? Buffer.alloc(0) : text.subarray(0, firstNewline);
					const lines = text.subarray(firstNewline + 1).toString('utf8').split('\n');
					for (let index = lines.length - 1; index >= 0 && found.length < count; index--) {
						const entry = parseEntry(lines[index]!);
						if (entry && wanted(entry)) found.push(entry);
					}

					if (start === 0) break;
				}
			} finally {
				closeSync(fd);
			}

			if (found.length >= count) break;
		}

		return found.reverse();
	}

	/** The log's files, oldest first. */
	private files(): string[] {
		const files: string[] = [];
		for (let index = this.options.maxFile - 1; index >= 0; index--) {
			const file = index === 0 ? this.file : `${this.file}.${index}`;
			if (existsSync(file)) files.push(file);
		}

		return files;
	}
}

function parseEntry(line: string): LogEntry | undefined {
	if (!line) return undefined;
	try {
		return JSON.parse(line) as LogEntry;
	} catch {
		return undefined;
	}
}

/** The entries of a `logs` request, reading only the end of the log when only the end is asked for. */
export function queryLog(log: ContainerLog, query: LogQuery): LogEntry[] {
	if (query.since === undefined && query.until === undefined && query.tail !== undefined && query.tail >= 0) {
		return log.readTail(query.tail, entry => (entry.stream === 'stdout' ? query.stdout : query.stderr));
	}

	return selectEntries(log.readAll(), query);
}

export type LogQuery = {stdout: boolean; stderr: boolean; since?: number; until?: number; tail?: number};

/** The entries a `logs` request asks for; since and until are seconds since the epoch. */
export function selectEntries(entries: LogEntry[], query: LogQuery): LogEntry[] {
	let selected = entries.filter(entry => (entry.stream === 'stdout' ? query.stdout : query.stderr));
	if (query.since !== undefined || query.until !== undefined) {
		selected = selected.filter(entry => {
			const seconds = Date.parse(entry.time) / 1000;
			return (query.since === undefined || seconds >= query.since) && (query.until === undefined || seconds <= query.until);
		});
	}

	if (query.tail !== undefined && query.tail >= 0) selected = query.tail === 0 ? [] : selected.slice(-query.tail);
	return selected;
}

/** Output as the API sends it: an 8-byte multiplexing header (stream, length) unless there is a TTY. */
export function encodeFrame(stream: 'stdout' | 'stderr', payload: Buffer, tty: boolean): Buffer {
	if (tty) return payload;
	const header = Buffer.alloc(8);
	header[0] = stream === 'stdout' ? 1 : 2;
	header.writeUInt32BE(payload.length, 4);
	return Buffer.concat([header, payload]);
}

/** One log entry as the logs and attach endpoints send it. */
export function encodeEntry(entry: LogEntry, tty: boolean, timestamps: boolean): Buffer {
	return encodeFrame(entry.stream, Buffer.from(timestamps ? `${entry.time} ${entry.log}` : entry.log), tty);
}

/** Docker's time arguments: seconds since the epoch (with a fraction), or an RFC 3339 time. */
export function parseTime(value: string | undefined): number | undefined {
	if (value === undefined || value === '' || value === '0') return undefined;
	if (/^\d+(\.\d+)?$/.test(value)) return Number(value);
	const parsed = Date.parse(value);
	if (Number.isNaN(parsed)) throw badRequest(`invalid time "${value.slice(0, 100)}"`);
	return parsed / 1000;
}
