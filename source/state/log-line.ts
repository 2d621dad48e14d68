// Text from a container is never trusted to reach the terminal as it is. A log line made fit for
// berth's screen: the container's own colours (SGR) kept, everything else that could move the
// cursor, clear the screen, switch screens or set titles removed; a \r progress bar shows its
// last state; tabs become spaces. Then what berth adds: log levels in colour, search matches in
// reverse video, JSON pretty-printed on demand.

// CSI sequences (SGR among them), OSC (ended by BEL or ST), DCS/SOS/PM/APC strings, other
// two-byte escapes, and C1 CSI.
// eslint-disable-next-line no-control-regex
const escapes = /\u001B\[[0-?]*[ -/]*[@-~]|\u001B\][^\u0007\u001B]*(?:\u0007|\u001B\\)?|\u001B[PX^_][^\u001B]*(?:\u001B\\)?|\u001B[@-Z\\-_]|\u009B[0-?]*[ -/]*[@-~]|\u001B/g;
// eslint-disable-next-line no-control-regex
const controls = /[\u0000-\u0008\u000B-\u001A\u001C-\u001F\u007F-\u009F]/g;
// eslint-disable-next-line no-control-regex
const sgrOnly = /^\u001B\[[\d;:]*m$/;
// eslint-disable-next-line no-control-regex
const anySgr = /\u001B\[[\d;:]*m/g;

function expandTabs(line: string, width = 8): string {
	if (!line.includes('\t')) return line;
	let out = '';
	let column = 0;
	for (const part of line.split(/(\u001B\[[\d;:]*m)/)) {
		if (part.startsWith('\u001B[')) {
			out += part;
			continue;
		}

		for (const char of part) {
			if (char === '\t') {
				const spaces = width - (column % width);
				out += ' '.repeat(spaces);
				column += spaces;
			} else {
				out += char;
				column++;
			}
		}
	}

	return out;
}

/** The line as berth may print it: only colour sequences survive; ends with a colour reset if it set one. */
export function sanitizeKeepingColour(text: string, tabWidth = 8): string {
	let line = text.endsWith('\n') ? text.slice(0, text.endsWith('\r\n') ? -2 : -1) : text;
	if (line.includes('\r')) {
		const parts = line.split('\r').filter(part => part !== '');
		line = parts.at(-1) ?? '';
	}

	let coloured = false;
	line = line.replace(escapes, sequence => {
		if (sgrOnly.test(sequence)) {
			coloured = true;
			return sequence;
		}

		return '';
	});
	line = line.replace(controls, '');
	line = expandTabs(line, tabWidth);
	return coloured ? `${line}\u001B[0m` : line;
}

export function stripColour(text: string): string {
	return text.replace(anySgr, '');
}

/** The line with no escape sequence at all, colours included (where berth colours it itself). */
export function sanitizeLine(text: string, tabWidth = 8): string {
	return stripColour(sanitizeKeepingColour(text, tabWidth));
}

export type Level = 'error' | 'warn' | 'info' | 'debug';

const levelWord = /\b(FATAL|PANIC|CRIT(?:ICAL)?|ERROR|ERR|EROR|WARN(?:ING)?|WRN|INFO|INF|DEBUG|DBG|TRACE|TRC)\b/i;
const jsonLevel = /"(?:level|lvl|severity|log\.level)"\s*:\s*"([a-zA-Z]+)"/;

const levels: Record<string, Level> = {
	fatal: 'error', panic: 'error', crit: 'error', critical: 'error', error: 'error', err: 'error', eror: 'error',
	warn: 'warn', warning: 'warn', wrn: 'warn',
	info: 'info', inf: 'info',
	debug: 'debug', dbg: 'debug', trace: 'debug', trc: 'debug',
};

/** The line's log level, from a level word near its start or a JSON "level" field. */
export function levelOf(plain: string): {level: Level; start: number; end: number} | undefined {
	const json = jsonLevel.exec(plain);
	if (json) {
		const level = levels[json[1]!.toLowerCase()];
		if (level) {
			const start = json.index + json[0].lastIndexOf(json[1]!);
			return {level, start, end: start + json[1]!.length};
		}
	}

	// Only near the start: a word "error" deep in a message is not the line's level.
	const word = levelWord.exec(plain.slice(0, 80));
	if (!word) return undefined;
	// Lower-case short forms ("err", "info") count only in upper case or bracketed, to spare prose.
	const text = word[1]!;
	if (text !== text.toUpperCase() && !/[[<(=:]/.test(plain[word.index - 1] ?? '')) return undefined;
	return {level: levels[text.toLowerCase()]!, start: word.index, end: word.index + text.length};
}

export const levelColours: Record<Level, string> = {error: '\u001B[1;31m', warn: '\u001B[33m', info: '\u001B[32m', debug: '\u001B[2m'};

/**
 * Inserts `open`/`close` around plain-text ranges of a line that carries colour sequences,
 * counting only visible characters, and opening again after any sequence inside a range (a
 * reset there would otherwise end it).
 */
export function markRanges(line: string, ranges: Array<[number, number]>, open: string, close: string): string {
	if (ranges.length === 0) return line;
	let out = '';
	let visible = 0;
	let range = 0;
	let inside = false;
	for (let index = 0; index < line.length; ) {
		if (line[index] === '\u001B') {
			const match = /^\u001B\[[\d;:]*m/.exec(line.slice(index));
			if (match) {
				out += match[0];
				if (inside) out += open;
				index += match[0].length;
				continue;
			}
		}

		while (range < ranges.length && visible >= ranges[range]![1]) {
			if (inside) {
				out += close;
				inside = false;
			}

			range++;
		}

		if (range < ranges.length && !inside && visible >= ranges[range]![0]) {
			out += open;
			inside = true;
		}

		const code = line.codePointAt(index)!;
		const char = String.fromCodePoint(code);
		out += char;
		index += char.length;
		visible += char.length;
	}

	if (inside) out += close;
	return out;
}

/** Where a regular expression matches in the plain text, at most 50 times. */
export function matchRanges(plain: string, regex: RegExp): Array<[number, number]> {
	const ranges: Array<[number, number]> = [];
	const global = new RegExp(regex.source, regex.flags.includes('g') ? regex.flags : `${regex.flags}g`);
	for (const match of plain.matchAll(global)) {
		if (match[0].length === 0) break;
		ranges.push([match.index, match.index + match[0].length]);
		if (ranges.length >= 50) break;
	}

	return ranges;
}

/** A JSON object line as indented lines, or undefined when the line is not one. */
export function prettyJson(plain: string): string[] | undefined {
	const trimmed = plain.trim();
	if (!trimmed.startsWith('{') || !trimmed.endsWith('}')) return undefined;
	try {
		return JSON.stringify(JSON.parse(trimmed), undefined, 2).split('\n');
	} catch {
		return undefined;
	}
}
