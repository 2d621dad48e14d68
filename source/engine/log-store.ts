// Container logs on disk in Docker's json-file format, one entry a line:
//   {"log":"text\n","stream":"stdout","time":"2026-11-23T08:05:02.594652611Z"}
// rotated by size (max-size, max-file as Docker names them), read back oldest first (or from the
// end, for a tail), and announced to followers as they are written, a batch at a time.
// Beside the log, a position file says how far into each of the container's spools the log has
// got, and how long the log file was then: written after every append (and around a rotation),
// so that after a crash the lines written past it are cut off and read again from the spool,
// neither lost nor doubled.
import {EventEmitter} from 'node:events';
import {closeSync, constants as fsConstants, existsSync, fstatSync, openSync, readFileSync, readSync, renameSync, rmSync, statSync, truncateSync, writeSync} from 'node:fs';
import path from 'node:path';
import {badRequest} from './errors.ts';

export type LogEntry = {log: string; stream: 'stdout' | 'stderr'; time: string};

export type LogOptions = {maxSize: number; maxFile: number};

/** The position file's name, in the log's directory (the container's, where the spools are too). */
export const positionsFileName = 'log-positions';

/** How far into its spools (stdout, stderr) a container's log has got. */
export type Positions = {stdout: number; stderr: number};

/** The position file: the spools' offsets, and the log file (inode, size) they were reached with. */
type Saved = Positions & {ino: number; size: number};

/** Written whole at offset 0 each time: one small pwrite, which a kill cannot cut in two. */
const savedLength = 128;

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
let lastIso = '';
let sequence = 0;

/** An RFC 3339 time with nine fractional digits, strictly increasing within this process. */
export function timestamp(now = Date.now()): string {
	if (now === lastMs) sequence++;
	else {
		lastMs = now;
		// Made once a millisecond: a flood logs hundreds of lines in one.
		lastIso = new Date(now).toISOString().slice(0, 23);
		sequence = 0;
	}

	return `${lastIso}${String(sequence).padStart(6, '0')}Z`;
}

export class ContainerLog extends EventEmitter {
	private size: number;
	private fd: number | undefined;
	private ino = 0;
	private positionFd: number | undefined;
	private readonly positionFile: string;
	private saved: Saved;

	constructor(
		private readonly file: string,
		private readonly options: LogOptions = defaultLogOptions,
	) {
		super();
		// Named apart from the log, so that what globs the log files (*-json.log*) does not take it.
		this.positionFile = path.join(path.dirname(file), positionsFileName);
		this.saved = this.recover();
		this.size = existsSync(file) ? statSync(file).size : 0;
	}

	/** How far into each spool the log has got. */
	positions(): Positions {
		return {stdout: this.saved.stdout, stderr: this.saved.stderr};
	}

	/** A new run of the container: its spools start again, empty. */
	resetPositions(): void {
		this.save({stdout: 0, stderr: 0});
	}

	write(stream: 'stdout' | 'stderr', text: string): void {
		this.writeMany(stream, [text]);
	}

	/**
	 * Several entries of one stream at once, as one write to the file and one announcement
	 * ('entries', with the array): a container that floods its output costs a write per chunk
	 * it sends, not per line. `ends`: where each entry ends in the stream's spool.
	 */
	writeMany(stream: 'stdout' | 'stderr', texts: string[], ends?: number[]): void {
		if (texts.length === 0) return;
		const now = Date.now();
		const entries: LogEntry[] = texts.map(log => ({log, stream, time: timestamp(now)}));
		// The position once the entries before `index` are in.
		const reached = (index: number) => ({[stream]: index > 0 && ends ? ends[index - 1]! : this.saved[stream]});
		let pending = '';
		let pendingBytes = 0;
		for (const [index, entry] of entries.entries()) {
			// JSON.stringify(entry), spelled out: a string is quicker to quote than an object to walk.
			const line = `{"log":${JSON.stringify(entry.log)},"stream":"${stream}","time":"${entry.time}"}\n`;
			const bytes = Buffer.byteLength(line);
			if (this.size + pendingBytes + bytes > this.options.maxSize && this.size + pendingBytes > 0) {
				this.append(pending, pendingBytes);
				this.save(reached(index));
				pending = '';
				pendingBytes = 0;
				this.rotate();
				this.save(reached(index));
			}

			pending += line;
			pendingBytes += bytes;
		}

		this.append(pending, pendingBytes);
		this.save(reached(entries.length));
		this.emit('entries', entries);
	}

	/** Lets go of the file until the next write (the container has stopped). */
	close(): void {
		if (this.fd !== undefined) closeSync(this.fd);
		if (this.positionFd !== undefined) closeSync(this.positionFd);
		this.fd = undefined;
		this.positionFd = undefined;
	}

	private open(): number {
		if (this.fd === undefined) {
			this.fd = openSync(this.file, 'a', 0o600);
			this.ino = fstatSync(this.fd).ino;
		}

		return this.fd;
	}

	private append(text: string, bytes: number): void {
		if (!text) return;
		// A file opened to append takes a whole write (no partial writes as on pipes).
		writeSync(this.open(), text);
		this.size += bytes;
	}

	/** Records the positions given (the others as they were) with the log file as it is now. */
	private save(positions: Partial<Positions>): void {
		this.open();
		this.saved = {...this.saved, ...positions, ino: this.ino, size: this.size};
		this.positionFd ??= openSync(this.positionFile, fsConstants.O_WRONLY | fsConstants.O_CREAT, 0o600);
		writeSync(this.positionFd, `${JSON.stringify(this.saved).padEnd(savedLength - 1, ' ')}\n`, 0, 'utf8');
	}

	/**
	 * After a crash: what was appended after the last saved position is cut off (the spools
	 * still hold it, and are read again from that position). The saved file is found by inode,
	 * as a rotation may have renamed it; files newer than it hold only such lines.
	 */
	private recover(): Saved {
		const none: Saved = {stdout: 0, stderr: 0, ino: 0, size: 0};
		let saved: Saved;
		try {
			saved = {...none, ...(JSON.parse(readFileSync(this.positionFile, 'utf8')) as Partial<Saved>)};
		} catch {
			return none;
		}

		const files = this.files();
		const index = files.findIndex(file => statSync(file).ino === saved.ino);
		if (index === -1) return saved;
		if (statSync(files[index]!).size > saved.size) truncateSync(files[index]!, saved.size);
		for (const newer of files.slice(index + 1)) rmSync(newer, {force: true});
		return saved;
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

/** Log entries as the logs endpoint sends them, in one buffer: a header each unless there is a TTY. */
export function encodeEntries(entries: readonly LogEntry[], tty: boolean, timestamps: boolean): Buffer {
	const texts = entries.map(entry => (timestamps ? `${entry.time} ${entry.log}` : entry.log));
	const lengths = texts.map(text => Buffer.byteLength(text));
	const header = tty ? 0 : 8;
	const buffer = Buffer.allocUnsafe(lengths.reduce((sum, length) => sum + length + header, 0));
	let offset = 0;
	for (const [index, text] of texts.entries()) {
		if (!tty) {
			buffer.writeUInt32BE(entries[index]!.stream === 'stdout' ? 0x01_00_00_00 : 0x02_00_00_00, offset);
			buffer.writeUInt32BE(lengths[index]!, offset + 4);
			offset += 8;
		}

		offset += buffer.write(text, offset, 'utf8');
	}

	return buffer;
}

/** Docker's time arguments: seconds since the epoch (with a fraction), or an RFC 3339 time. */
export function parseTime(value: string | undefined): number | undefined {
	if (value === undefined || value === '' || value === '0') return undefined;
	if (/^\d+(\.\d+)?$/.test(value)) return Number(value);
	const parsed = Date.parse(value);
	if (Number.isNaN(parsed)) throw badRequest(`invalid time "${value.slice(0, 100)}"`);
	return parsed / 1000;
}
