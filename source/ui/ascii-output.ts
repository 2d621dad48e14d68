// A terminal whose locale is not UTF-8 (LANG=C, POSIX, latin1…) cannot show box-drawing lines,
// braille charts or "…". berth draws in Unicode everywhere and, for such a terminal, turns what
// it writes into ASCII at the last step, one column for one column, so layouts stay aligned:
// lines become + - |, marks become > v ^ ~, braille dots become a density ramp, and any other
// character becomes "?" ("??" for the wide ones that take two columns).

type Env = Record<string, string | undefined>;

/** The locale in force for characters (LC_ALL, then LC_CTYPE, then LANG), as the C library picks it. */
export function localeIsUtf8(env: Env): boolean {
	const locale = env.LC_ALL || env.LC_CTYPE || env.LANG || '';
	return /utf-?8/i.test(locale);
}

const replacements: Record<string, string> = {
	'─': '-', '━': '-', '│': '|', '┃': '|', '┤': '|', '├': '|', '┬': '+', '┴': '+', '┼': '+',
	'╭': '+', '╮': '+', '╰': '+', '╯': '+', '┌': '+', '┐': '+', '└': '+', '┘': '+',
	'▸': '>', '▶': '>', '▾': 'v', '▼': 'v', '▲': '^', '↑': '^', '↓': 'v', '→': '>', '←': '<',
	'…': '~', '·': '-', '—': '-', '–': '-', '▏': '|', '“': '"', '”': '"', '‘': "'", '’': "'",
	'\u00A0': ' ',
};

// Braille cells by how many of their 8 dots are set.
const densityRamp = ' .:-=+*#%';

function brailleAscii(code: number): string {
	let bits = code - 0x2800;
	let dots = 0;
	while (bits) {
		dots += bits & 1;
		bits >>= 1;
	}

	return densityRamp[dots]!;
}

function isWide(code: number): boolean {
	return (
		(code >= 0x1100 && code <= 0x115f) ||
		(code >= 0x2e80 && code <= 0xa4cf) ||
		(code >= 0xac00 && code <= 0xd7a3) ||
		(code >= 0xf900 && code <= 0xfaff) ||
		(code >= 0xfe30 && code <= 0xfe4f) ||
		(code >= 0xff00 && code <= 0xff60) ||
		(code >= 0xffe0 && code <= 0xffe6) ||
		(code >= 0x1f300 && code <= 0x1faff) ||
		(code >= 0x20000 && code <= 0x3fffd)
	);
}

/** The same text in ASCII, column for column. Escape sequences (all ASCII) pass through. */
export function toAscii(text: string): string {
	// The common case, a frame already in ASCII, costs one test.
	if (!/[^\u0000-\u007F]/.test(text)) return text;
	let out = '';
	for (const character of text) {
		const code = character.codePointAt(0)!;
		if (code < 0x80) out += character;
		else if (replacements[character] !== undefined) out += replacements[character];
		else if (code >= 0x2800 && code <= 0x28ff) out += brailleAscii(code);
		else if ((code >= 0x0300 && code <= 0x036f) || code === 0x200d || (code >= 0xfe00 && code <= 0xfe0f)) continue;
		else out += isWide(code) ? '??' : '?';
	}

	return out;
}

/** From now on, everything written to `stream` as text is written in ASCII. */
export function writeAsciiFrom(stream: NodeJS.WriteStream): void {
	const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
	stream.write = ((chunk: unknown, ...rest: unknown[]) => write(typeof chunk === 'string' ? toAscii(chunk) : chunk, ...rest)) as typeof stream.write;
}
