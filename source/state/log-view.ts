// The full-screen log view's state, without a terminal: a bounded buffer of lines (oldest dropped
// past the limit, so memory stays flat under a flood), the position (following the end, or paused
// at a line), the toggles, search and filter, and which lines fill the screen.
import {levelColours, levelOf, markRanges, matchRanges, prettyJson, sanitizeKeepingColour, stripColour} from './log-line.ts';

export type LogLine = {
	/** Increasing in time order; older lines fetched again get lower numbers. */
	seq: number;
	/** Which of the viewed containers it came from. */
	source: number;
	stream: 'stdout' | 'stderr';
	time: string;
	raw: string;
	/** Filled in when first needed. */
	clean?: string;
	plain?: string;
};

export function cleanOf(line: LogLine): string {
	line.clean ??= sanitizeKeepingColour(line.raw);
	return line.clean;
}

export function plainOf(line: LogLine): string {
	line.plain ??= stripColour(cleanOf(line));
	return line.plain;
}

export class LogBuffer {
	lines: LogLine[] = [];
	private nextSeq = 0;
	/** Lines dropped from the front to stay within the limit. */
	dropped = 0;
	/** Lines ever appended (for "N new lines"). */
	appended = 0;

	constructor(public limit: number) {}

	/** Takes the entries as they are (they become the buffer's lines, numbered in place). */
	append(entries: Array<Omit<LogLine, 'seq'>>): void {
		for (const entry of entries) {
			(entry as LogLine).seq = this.nextSeq++;
			this.lines.push(entry as LogLine);
		}

		this.appended += entries.length;
		// Dropped in slices of a tenth, so the array is not shifted for every line.
		if (this.lines.length > this.limit * 1.1) {
			const excess = this.lines.length - this.limit;
			this.lines.splice(0, excess);
			this.dropped += excess;
		}
	}

	/** Older lines fetched again, put before the oldest. */
	prepend(entries: Array<Omit<LogLine, 'seq'>>): void {
		let seq = (this.lines[0]?.seq ?? 0) - entries.length;
		for (const entry of entries) (entry as LogLine).seq = seq++;
		this.lines.unshift(...(entries as LogLine[]));
		this.dropped = Math.max(0, this.dropped - entries.length);
	}

	/** The index of the first line with seq >= the given one. */
	indexOf(seq: number): number {
		return indexOfSeq(this.lines, seq);
	}
}

export type Prompt = {kind: 'search' | 'filter' | 'time' | 'save'; text: string};

export type LogViewState = {
	follow: boolean;
	/** When paused: the seq of the line at the top of the screen. */
	topSeq: number;
	wrap: boolean;
	timestamps: boolean;
	json: boolean;
	search?: RegExp;
	filter?: RegExp;
	/** The line the last search jump landed on; copied by y. */
	markSeq?: number;
	prompt?: Prompt;
	/** What `appended` was when following stopped. */
	appendedAtPause: number;
	message?: {text: string; tone: 'info' | 'error'};
	/** The view's keys are shown over it. */
	help?: boolean;
};

export const initialLogViewState: LogViewState = {follow: true, topSeq: 0, wrap: false, timestamps: false, json: false, appendedAtPause: 0};

/**
 * Stops following (if it was) with the line `topSeq` at the top; lines that come from now on are
 * counted as new. `appended` is the buffer's count of lines ever appended.
 */
export function pauseAt(state: LogViewState, topSeq: number, appended: number): LogViewState {
	return {...state, follow: false, topSeq, appendedAtPause: state.follow ? appended : state.appendedAtPause};
}

/** The lines the view shows in order: all of them, or those the filter keeps. */
export function shownLines(buffer: LogBuffer, state: LogViewState): LogLine[] {
	if (!state.filter) return buffer.lines;
	const filter = state.filter;
	return buffer.lines.filter(line => filter.test(plainOf(line)));
}

/** The index in `lines` of the first line at or after seq. */
export function indexOfSeq(lines: LogLine[], seq: number): number {
	let low = 0;
	let high = lines.length;
	while (low < high) {
		const middle = (low + high) >> 1;
		if (lines[middle]!.seq < seq) low = middle + 1;
		else high = middle;
	}

	return low;
}

export type RenderOptions = {
	width: number;
	height: number;
	/** Name prefix for each source, already padded and coloured; empty for a single container. */
	prefixes: string[];
	prefixWidth: number;
	/** Without colour (NO_COLOR, --no-color) lines lose the container's own colours and levels go uncoloured; inverse search marks stay. */
	colour?: boolean;
};

export type ScreenRow = {text: string; seq: number};

/** Display width of a string without colour sequences (wide characters count two). */
export function displayWidth(text: string): number {
	let width = 0;
	for (const char of stripColour(text)) {
		const code = char.codePointAt(0)!;
		width += code >= 0x1100 && (code <= 0x115f || (code >= 0x2e80 && code <= 0xa4cf) || (code >= 0xac00 && code <= 0xd7a3) || (code >= 0xf900 && code <= 0xfaff) || (code >= 0xfe30 && code <= 0xfe4f) || (code >= 0xff00 && code <= 0xff60) || (code >= 0xffe0 && code <= 0xffe6) || (code >= 0x1f300 && code <= 0x1faff) || (code >= 0x20000 && code <= 0x3fffd)) ? 2 : 1;
	}

	return width;
}

/** Cuts a coloured string into pieces of at most `width` columns. */
export function wrapColoured(text: string, width: number): string[] {
	const rows: string[] = [];
	let current = '';
	let used = 0;
	for (const part of text.split(/(\u001B\[[\d;:]*m)/)) {
		if (part.startsWith('\u001B[')) {
			current += part;
			continue;
		}

		for (const char of part) {
			const charWidth = displayWidth(char);
			if (used + charWidth > width && used > 0) {
				rows.push(current);
				current = '';
				used = 0;
			}

			current += char;
			used += charWidth;
		}
	}

	rows.push(current);
	return rows;
}

/** A line as it appears: prefix, time, level colour, search marks, and JSON expanded if asked. */
export function renderLine(line: LogLine, state: LogViewState, options: RenderOptions): string[] {
	const colour = options.colour !== false;
	const plain = plainOf(line);
	let body = colour ? cleanOf(line) : plain;
	const pretty = state.json ? prettyJson(plain) : undefined;
	const bodies = pretty ?? [body];
	const rendered: string[] = [];
	for (const [index, text] of bodies.entries()) {
		body = text;
		const plainText = pretty ? text : plain;
		if (index === 0 && !pretty && colour) {
			const level = levelOf(plainText);
			if (level) body = markRanges(body, [[level.start, level.end]], levelColours[level.level], '\u001B[22;39m');
		}

		if (state.search) body = markRanges(body, matchRanges(plainText, state.search), '\u001B[7m', '\u001B[27m');
		const prefix = options.prefixes[line.source] ?? '';
		const time = state.timestamps && line.time ? `\u001B[2m${line.time.replace(/(\.\d{3})\d*/, '$1')}\u001B[22m ` : '';
		rendered.push(index === 0 ? `${prefix}${time}${body}` : `${' '.repeat(options.prefixWidth)}${body}`);
	}

	return rendered;
}

/** What fills the screen: rows in order, each with the line it belongs to. */
export function screenRows(lines: LogLine[], state: LogViewState, options: RenderOptions): ScreenRow[] {
	const {width, height} = options;
	const rowsOf = (line: LogLine): ScreenRow[] => {
		const texts = renderLine(line, state, options);
		const out: ScreenRow[] = [];
		for (const text of texts) {
			if (state.wrap) for (const piece of wrapColoured(text, width)) out.push({text: piece, seq: line.seq});
			else out.push({text, seq: line.seq});
		}

		return out;
	};

	if (state.follow || lines.length === 0) {
		// From the end backwards until the screen is full.
		const rows: ScreenRow[] = [];
		for (let index = lines.length - 1; index >= 0 && rows.length < height; index--) rows.unshift(...rowsOf(lines[index]!));
		return rows.slice(-height);
	}

	const rows: ScreenRow[] = [];
	for (let index = Math.min(indexOfSeq(lines, state.topSeq), lines.length - 1); index < lines.length && rows.length < height; index++) rows.push(...rowsOf(lines[index]!));
	return rows.slice(0, height);
}

/** The seq of the line at the top of the screen now (to pause right there). */
export function topSeqNow(lines: LogLine[], state: LogViewState, options: RenderOptions): number {
	if (!state.follow) return state.topSeq;
	const rows = screenRows(lines, state, options);
	return rows[0]?.seq ?? lines[0]?.seq ?? 0;
}

/** Moves the top by `by` lines (negative: up); reaching the end resumes following. */
export function scrollBy(lines: LogLine[], state: LogViewState, options: RenderOptions, by: number, appended: number): LogViewState {
	if (lines.length === 0) return state;
	const top = indexOfSeq(lines, topSeqNow(lines, state, options));
	// The last top from which the screen is still full.
	const lastTop = Math.max(0, lines.length - options.height);
	const next = Math.max(0, Math.min(top + by, lastTop));
	if (by > 0 && next >= lastTop) return {...state, follow: true, message: undefined};
	return pauseAt(state, lines[next]!.seq, appended);
}

/**
 * The next (or previous) line the search matches, after the mark, or from the top of a paused
 * screen; a followed view, being at the end, looks for the newest match first. Past either end
 * the search wraps around, as a pager's does, and says so.
 */
export function findNext(lines: LogLine[], state: LogViewState, options: RenderOptions, direction: 1 | -1, appended: number): LogViewState {
	const regex = state.search;
	if (!regex) return state;
	const matches = (index: number) => regex.test(plainOf(lines[index]!));
	let start: number;
	if (state.markSeq !== undefined) {
		start = indexOfSeq(lines, state.markSeq);
		start = direction === 1 ? (lines[start]?.seq === state.markSeq ? start + 1 : start) : start - 1;
	} else if (state.follow) {
		// At the end: the newest match is the one wanted, whichever the key.
		direction = -1;
		start = lines.length - 1;
	} else {
		start = indexOfSeq(lines, state.topSeq) + (direction === 1 ? 0 : -1);
	}

	const land = (index: number, wrapped: boolean): LogViewState => {
		// The match is put a few lines below the top, so what leads to it shows too.
		const top = lines[Math.max(0, index - 3)]!.seq;
		return {...pauseAt(state, top, appended), markSeq: lines[index]!.seq, message: wrapped ? {text: `search wrapped to the ${direction === 1 ? 'top' : 'bottom'}`, tone: 'info'} : undefined};
	};

	for (let index = start; index >= 0 && index < lines.length; index += direction) if (matches(index)) return land(index, false);
	for (let index = direction === 1 ? 0 : lines.length - 1; index >= 0 && index < lines.length && index !== start; index += direction) if (matches(index)) return land(index, true);
	return {...state, message: {text: `no line matches /${regex.source}/`, tone: 'info'}};
}

/** Jumps to the first line at or after a time (seconds since the epoch). */
export function jumpToTime(lines: LogLine[], state: LogViewState, seconds: number, appended: number): LogViewState {
	const index = lines.findIndex(line => line.time && Date.parse(line.time) / 1000 >= seconds);
	if (index === -1) return {...state, message: {text: 'no line at or after that time in the buffer', tone: 'info'}};
	return {...pauseAt(state, lines[index]!.seq, appended), markSeq: lines[index]!.seq, message: undefined};
}

/**
 * The filter's matches, kept up to date as lines arrive instead of testing the whole buffer on
 * every frame: new lines are tested once, dropped ones fall off the front.
 */
export class FilterCache {
	private source = '';
	private matches: LogLine[] = [];
	private lastSeq = Number.NEGATIVE_INFINITY;
	private firstSeq = Number.NEGATIVE_INFINITY;

	lines(buffer: LogBuffer, filter: RegExp | undefined): LogLine[] {
		if (!filter) return buffer.lines;
		const key = `${filter.source}/${filter.flags}`;
		const first = buffer.lines[0]?.seq ?? 0;
		// A new filter, or older lines put back in front: start over.
		if (key !== this.source || first < this.firstSeq) {
			this.source = key;
			this.matches = buffer.lines.filter(line => filter.test(plainOf(line)));
			this.lastSeq = buffer.lines.at(-1)?.seq ?? Number.NEGATIVE_INFINITY;
			this.firstSeq = first;
			return this.matches;
		}

		if (first > this.firstSeq) {
			this.matches = this.matches.slice(indexOfSeq(this.matches, first));
			this.firstSeq = first;
		}

		for (let index = buffer.indexOf(this.lastSeq + 1); index < buffer.lines.length; index++) {
			const line = buffer.lines[index]!;
			if (filter.test(plainOf(line))) this.matches.push(line);
		}

		this.lastSeq = buffer.lines.at(-1)?.seq ?? this.lastSeq;
		return this.matches;
	}
}
