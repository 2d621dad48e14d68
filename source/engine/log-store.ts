// Container logs on disk in Docker's json-file format, one entry a line:
//   {"log":"text\n","stream":"stdout","time":"2026-11-23T08:05:02.594652611Z"}
// rotated by size (max-size, max-file as Docker names them), read back oldest first, and
// announced to followers as they are written.
import {EventEmitter} from 'node:events';
import {appendFileSync, existsSync, readFileSync, renameSync, rmSync, statSync} from 'node:fs';

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

	constructor(
		private readonly file: string,
		private readonly options: LogOptions = defaultLogOptions,
	) {
		super();
		this.size = existsSync(file) ? statSync(file).size : 0;
	}

	write(stream: 'stdout' | 'stderr', text: string): void {
		const entry: LogEntry = {log: text, stream, time: timestamp()};
		const line = `${JSON.stringify(entry)}\n`;
		if (this.size + line.length > this.options.maxSize && this.size > 0) this.rotate();
		appendFileSync(this.file, line, {mode: 0o600});
		this.size += Buffer.byteLength(line);
		this.emit('entry', entry);
	}

	private rotate(): void {
		const {maxFile} = this.options;
		rmSync(`${this.file}.${maxFile - 1}`, {force: true});
		for (let index = maxFile - 2; index >= 1; index--) {
			if (existsSync(`${this.file}.${index}`)) renameSync(`${this.file}.${index}`, `${this.file}.${index + 1}`);
		}

		if (maxFile > 1) renameSync(this.file, `${this.file}.1`);
		else rmSync(this.file, {force: true});
		this.size = 0;
	}

	/** Every entry kept, oldest first. Lines that are not JSON (a torn last write) are skipped. */
	readAll(): LogEntry[] {
		const entries: LogEntry[] = [];
		for (let index = this.options.maxFile - 1; index >= 0; index--) {
			const file = index === 0 ? this.file : `${this.file}.${index}`;
			if (!existsSync(file)) continue;
			for (const line of readFileSync(file, 'utf8').split('\n')) {
				if (!line) continue;
				try {
					entries.push(JSON.parse(line) as LogEntry);
				} catch {
					// Skipped: see above.
				}
			}
		}

		return entries;
	}
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
	if (Number.isNaN(parsed)) throw new Error(`invalid time "${value}"`);
	return parsed / 1000;
}
