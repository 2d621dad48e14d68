// One container's log as entries with their times: the Engine API's logs endpoint asked for
// timestamps (so that several containers can be merged and a follow can resume where it left off
// without repeating itself), the multiplexed frames or the raw TTY stream taken apart, and the
// timestamp cut off each entry. Bytes stay bytes: decoding is for whoever shows them.
import type Docker from 'dockerode';
import {daemonMessage, isConnectionError, statusCode} from '../errors.ts';
import {FrameDecoder} from './log-frames.ts';
import {parseTimeSpec} from '../../state/time-spec.ts';

export type LogEntry = {stream: 'stdout' | 'stderr'; /** RFC 3339 with nanoseconds, as the daemon sent it. */ time: string; body: Buffer};

export type LogRequest = {
	follow: boolean;
	/** Lines from the end; undefined for all. */
	tail?: number;
	/** Seconds since the epoch, as the API takes them ("1700000000.123456789"). */
	since?: string;
	until?: string;
	/** Whether the container has a TTY (a raw stream); undefined to tell from the stream itself. */
	tty?: boolean;
	stdout?: boolean;
	stderr?: boolean;
	/** Ask for each entry's time (the default); without, entries come with none. */
	timestamps?: boolean;
};

export type LogSource = {
	/** Stops reading; the stream is closed. */
	stop(): void;
	pause(): void;
	resume(): void;
};

/** Why a read ended early: the daemon's message, its HTTP status, or a lost connection. */
export type LogFailure = {message: string; status?: number; connection: boolean; /** What was thrown, for a fuller sentence where one helps. */ cause?: unknown};

export type LogHandlers = {
	/** Entries in the order the daemon sent them, a batch per chunk read. */
	onEntries(entries: LogEntry[]): void;
	/** The stream ended: the container stopped (follow), or everything asked for was sent. */
	onEnd(failure?: LogFailure): void;
};

function failureOf(error: unknown): LogFailure {
	return {message: daemonMessage(error), status: statusCode(error), connection: isConnectionError(error), cause: error};
}

const space = 0x20;
const newline = 0x0a;

/** Splits "TIME TEXT" at the first space; an entry without one keeps all its bytes as text. */
export function cutTimestamp(entry: Buffer): {time: string; body: Buffer} {
	const at = entry.indexOf(space);
	if (at < 20 || at > 40) return {time: '', body: entry};
	return {time: entry.toString('latin1', 0, at), body: entry.subarray(at + 1)};
}

// The daemon's own time format, as it prefixes each piece of a long line.
const embeddedTime = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?(?:Z|[+-]\d\d:\d\d) /g;

/**
 * A raw stream gives a line longer than 16 KiB as pieces, each with its time in front and no
 * separator: the times after the first are taken out again.
 */
function joinPieces(body: Buffer): Buffer {
	if (body.length <= 16 * 1024) return body;
	const text = body.toString('latin1');
	const pieces: Buffer[] = [];
	let from = 0;
	for (const match of text.matchAll(embeddedTime)) {
		pieces.push(body.subarray(from, match.index));
		from = match.index + match[0].length;
	}

	if (pieces.length === 0) return body;
	pieces.push(body.subarray(from));
	return Buffer.concat(pieces);
}

function rawEntry(data: Buffer, timestamps: boolean): LogEntry {
	if (!timestamps) return {stream: 'stdout', time: '', body: data};
	const {time, body} = cutTimestamp(data);
	return {stream: 'stdout', time, body: joinPieces(body)};
}

/** Reads a TTY container's raw stream: each entry is a line, each line starts with its time. */
export class RawEntryReader {
	private partial: Buffer = Buffer.alloc(0);

	constructor(private readonly timestamps = true) {}

	push(chunk: Buffer): LogEntry[] {
		const data = this.partial.length > 0 ? Buffer.concat([this.partial, chunk]) : chunk;
		const entries: LogEntry[] = [];
		let start = 0;
		for (let end = data.indexOf(newline); end !== -1; end = data.indexOf(newline, start)) {
			entries.push(rawEntry(data.subarray(start, end + 1), this.timestamps));
			start = end + 1;
		}

		this.partial = data.subarray(start);
		// A line with no end in sight is handed on in pieces rather than held forever.
		if (this.partial.length > 1024 * 1024) {
			entries.push(rawEntry(this.partial, this.timestamps));
			this.partial = Buffer.alloc(0);
		}

		return entries;
	}

	end(): LogEntry[] {
		const rest = this.partial;
		this.partial = Buffer.alloc(0);
		return rest.length > 0 ? [rawEntry(rest, this.timestamps)] : [];
	}
}

export function readLog(docker: Docker, id: string, request: LogRequest, handlers: LogHandlers): LogSource {
	let stopped = false;
	let readable: (NodeJS.ReadableStream & {destroy(): void}) | undefined;
	let paused = false;
	const decoder = new FrameDecoder();
	const timestamps = request.timestamps ?? true;
	const raw = new RawEntryReader(timestamps);

	let tty = request.tty;
	const take = (chunk: Buffer) => {
		// A multiplexed stream starts with a header: stream 0-2, then three zero bytes. A raw one
		// starts with its first line's time ("2026-...").
		tty ??= !(chunk.length >= 4 && chunk[0]! <= 2 && chunk[1] === 0 && chunk[2] === 0 && chunk[3] === 0);
		let entries: LogEntry[];
		if (tty) entries = raw.push(chunk);
		else {
			entries = [];
			for (const frame of decoder.push(chunk)) {
				const stream = frame.stream === 'stderr' ? 'stderr' : 'stdout';
				entries.push(timestamps ? {stream, ...cutTimestamp(frame.payload)} : {stream, time: '', body: frame.payload});
			}
		}

		if (entries.length > 0 && !stopped) handlers.onEntries(entries);
	};

	const finish = (failure?: LogFailure) => {
		if (stopped) return;
		const rest = tty ? raw.end() : [];
		if (rest.length > 0) handlers.onEntries(rest);
		stopped = true;
		handlers.onEnd(failure);
	};

	const options: Record<string, unknown> = {
		follow: request.follow,
		stdout: request.stdout ?? true,
		stderr: request.stderr ?? true,
		timestamps,
	};
	if (request.tail !== undefined) options.tail = request.tail;
	if (request.since !== undefined) options.since = request.since;
	if (request.until !== undefined) options.until = request.until;

	// Through dockerode's modem, as its own logs() does, but always as a stream: a log read to its
	// end comes out as it arrives too, instead of all at once when it is complete.
	new Promise<unknown>((resolve, reject) => {
		docker.modem.dial(
			{path: `/containers/${encodeURIComponent(id)}/logs?`, method: 'GET', isStream: true, statusCodes: {200: true, 404: 'no such container', 500: 'server error'}, options},
			(error: unknown, data: unknown) => (error ? reject(error) : resolve(data)),
		);
	})
		.then(stream => {
			const source = stream as unknown as NodeJS.ReadableStream & {destroy(): void};
			if (stopped) {
				source.destroy();
				return;
			}

			readable = source;
			if (paused) source.pause();
			source.on('data', take);
			source.on('end', () => finish());
			source.on('error', error => finish(failureOf(error)));
		})
		.catch(error => finish(failureOf(error)));

	return {
		stop() {
			stopped = true;
			readable?.destroy();
		},
		pause() {
			paused = true;
			readable?.pause();
		},
		resume() {
			paused = false;
			readable?.resume();
		},
	};
}

/** A daemon's RFC 3339 time as the API's "seconds.nanoseconds". */
export function apiTime(time: string): string | undefined {
	const value = parseTimeSpec(time);
	return value instanceof Error ? undefined : value;
}

/** Orders two daemon times to the nanosecond, whatever their zones and fraction lengths. */
export function compareTimes(a: string, b: string): number {
	// The daemon's usual form (UTC, fixed nine digits) orders as text: the fast path for merging.
	if (a.length === b.length && a.endsWith('Z') && b.endsWith('Z')) return a < b ? -1 : a > b ? 1 : 0;
	const left = apiTime(a);
	const right = apiTime(b);
	if (!left || !right) return a < b ? -1 : a > b ? 1 : 0;
	const [leftSeconds, leftFraction] = left.split('.') as [string, string];
	const [rightSeconds, rightFraction] = right.split('.') as [string, string];
	const bySeconds = Number(leftSeconds) - Number(rightSeconds);
	if (bySeconds !== 0) return bySeconds < 0 ? -1 : 1;
	return leftFraction < rightFraction ? -1 : leftFraction > rightFraction ? 1 : 0;
}
