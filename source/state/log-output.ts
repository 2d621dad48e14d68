// How `berth logs` lays lines out: merged in time order, each with its container's name in a
// colour of its own and padded so that the text lines up, and filtered by a regular expression
// with smart case (all lower case matches either case).

export function smartCaseRegExp(pattern: string): RegExp | Error {
	try {
		return new RegExp(pattern, pattern === pattern.toLowerCase() ? 'i' : '');
	} catch (error) {
		return new Error(`invalid regular expression "${pattern}": ${(error as Error).message.replace(/^Invalid regular expression: \/.*\/\w*: /, '')}`);
	}
}

// Cyan, yellow, green, magenta, blue, then their bright forms; red is kept for errors.
const palette = [36, 33, 32, 35, 34, 96, 93, 92, 95, 94];

export function prefixColour(index: number): number {
	return palette[index % palette.length]!;
}

/** "name   | " (coloured when asked), padded to the widest name. */
export function namePrefix(name: string, width: number, colour: number | undefined): string {
	const padded = `${name.padEnd(width)} | `;
	return colour === undefined ? padded : `\u001B[${colour}m${name.padEnd(width)} |\u001B[0m `;
}

/** Whether colour is wanted: a terminal, NO_COLOR unset or empty, and no --no-color. */
export function wantColour(isTerminal: boolean, environment: NodeJS.ProcessEnv, noColorFlag: boolean): boolean {
	return isTerminal && !noColorFlag && !environment.NO_COLOR;
}

export type Timed = {time: string};

/**
 * Merges lists each already in time order into one, in time order; equal times keep the order
 * of the lists. Times are RFC 3339 strings; `compare` orders two of them.
 */
export function mergeByTime<T extends Timed>(lists: T[][], compare: (a: string, b: string) => number): T[] {
	const merged: T[] = [];
	const positions = lists.map(() => 0);
	const total = lists.reduce((sum, list) => sum + list.length, 0);
	while (merged.length < total) {
		let best = -1;
		for (let index = 0; index < lists.length; index++) {
			const candidate = lists[index]![positions[index]!];
			if (!candidate) continue;
			if (best === -1 || compare(candidate.time, lists[best]![positions[best]!]!.time) < 0) best = index;
		}

		merged.push(lists[best]![positions[best]!]!);
		positions[best]!++;
	}

	return merged;
}

/**
 * Drops what a follow that resumes at `since` sends again: entries older than the last one
 * printed, and as many at that same time as were printed already.
 */
export class ResumePoint {
	time = '';
	private countAtTime = 0;
	private skipAtTime = 0;
	/** The time a resumed stream starts at, while its entries may repeat what was printed. */
	private resumedAt: string | undefined;

	constructor(private readonly compare: (a: string, b: string) => number) {}

	/** Records an entry printed. */
	printed(time: string): void {
		if (!time) return;
		if (time === this.time) this.countAtTime++;
		else {
			this.time = time;
			this.countAtTime = 1;
		}
	}

	/** Called when a new stream starts at `this.time`. */
	resume(): void {
		this.skipAtTime = this.countAtTime;
		this.resumedAt = this.time || undefined;
	}

	/**
	 * Whether an entry of the resumed stream was printed before. Only a resumed stream repeats:
	 * in a first stream an entry older than one printed is new (stdout and stderr are stamped
	 * apart, and one can be written to the log after a newer line of the other).
	 */
	seen(time: string): boolean {
		if (this.resumedAt === undefined || !time) return false;
		const order = this.compare(time, this.resumedAt);
		if (order < 0) return true;
		if (order === 0 && this.skipAtTime > 0) {
			this.skipAtTime--;
			return true;
		}

		// Past where it resumed: what follows is new.
		if (order > 0) this.resumedAt = undefined;
		return false;
	}
}
