// A container's output cut into log entries, as dockerd cuts it: an entry a line, and a line with no
// end in sight written in pieces past 16 KiB. The cutting is done on bytes, so that every entry
// knows where it ends in the spool it came from: the log records that offset, and after a crash
// the engine reads again from the end of the last entry it wrote (a line it held half of included).

/** Past this many bytes a line with no newline yet is written as a piece of its own. */
export const pieceBytes = 16 * 1024;

export type Entries = {texts: string[]; ends: number[]};

export class OutputLines {
	private partial = Buffer.alloc(0);

	/** The spool offset just past the last byte pushed. */
	private end: number;

	/** `start`: the spool offset of the first byte that will be pushed. */
	constructor(start: number) {
		this.end = start;
	}

	/** The entries a chunk completes, with the spool offset each ends at. */
	push(chunk: Buffer): Entries {
		const texts: string[] = [];
		const ends: number[] = [];
		let data = this.partial.length > 0 ? Buffer.concat([this.partial, chunk]) : chunk;
		// `data` starts at spool offset `base`; its first `consumed` bytes are in entries.
		const base = this.end - this.partial.length;
		let consumed = 0;
		for (let newline = data.indexOf(10); newline !== -1; newline = data.indexOf(10, consumed)) {
			// A newline byte is never inside a UTF-8 character: each line decodes on its own.
			texts.push(data.toString('utf8', consumed, newline + 1));
			consumed = newline + 1;
			ends.push(base + consumed);
		}

		data = data.subarray(consumed);
		if (data.length > pieceBytes) {
			// Cut where a character starts, so that none is split between two entries.
			const cut = completeLength(data) || data.length;
			texts.push(data.toString('utf8', 0, cut));
			consumed += cut;
			ends.push(base + consumed);
			data = data.subarray(cut);
		}

		this.partial = Buffer.from(data);
		this.end = base + consumed + this.partial.length;
		return {texts, ends};
	}

	/** What is left (the output has ended): a last entry with no newline, if any. */
	flush(): Entries {
		if (this.partial.length === 0) return {texts: [], ends: []};
		const text = this.partial.toString('utf8');
		this.partial = Buffer.alloc(0);
		return {texts: [text], ends: [this.end]};
	}
}

/** How many bytes of `data` hold whole characters: all, unless the last one is cut short. */
function completeLength(data: Buffer): number {
	let start = data.length - 1;
	for (let back = 0; start > 0 && back < 3 && (data[start]! & 0xc0) === 0x80; back++) start--;
	const lead = data[start]!;
	const length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
	return start + length <= data.length ? data.length : start;
}
