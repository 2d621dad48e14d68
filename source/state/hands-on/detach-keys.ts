// Detach keys, as docker reads them ("ctrl-p,ctrl-q", "ctrl-a,d"): the bytes that leave an
// attached session with the container still running. Typed input is watched for them; bytes
// that begin the sequence are held back until it is complete (detach) or broken (they are sent
// on), as docker does. Pure.

export const defaultDetachKeys = 'ctrl-p,ctrl-q';

/** The byte sequence for a spec, or an error naming the key that cannot be read. */
export function parseDetachKeys(spec: string): {bytes: number[]} | {error: string} {
	const bytes: number[] = [];
	for (const key of spec.split(',')) {
		const lower = key.toLowerCase();
		if (key.length === 1) {
			bytes.push(key.charCodeAt(0));
		} else if (lower.startsWith('ctrl-') && key.length === 6) {
			const char = lower[5]!;
			if (char >= 'a' && char <= 'z') bytes.push(char.charCodeAt(0) - 96);
			else if ('@[\\]^_'.includes(char)) bytes.push(char.charCodeAt(0) - 64);
			else return {error: `"${key}" is not a key docker can detach with`};
		} else {
			return {error: `"${key}" is not a key docker can detach with (a letter, or ctrl- and a letter or one of @[\\]^_)`};
		}
	}

	return bytes.length === 0 ? {error: 'no detach keys given'} : {bytes};
}

/** "ctrl-p ctrl-q", for telling the user. */
export function describeDetachKeys(spec: string): string {
	return spec.split(',').join(' ');
}

export type DetachWatcher = {
	/** What of this chunk goes on to the container, and whether the sequence is now complete. */
	feed(chunk: Uint8Array): {forward: Uint8Array; detach: boolean};
};

export function watchForDetach(sequence: readonly number[]): DetachWatcher {
	let matched = 0;
	return {
		feed(chunk) {
			const forward: number[] = [];
			for (const byte of chunk) {
				if (byte === sequence[matched]) {
					matched++;
					if (matched === sequence.length) return {forward: Uint8Array.from(forward), detach: true};
					continue;
				}

				// A broken sequence: what was held goes on, and this byte may begin a new one.
				forward.push(...sequence.slice(0, matched));
				matched = 0;
				if (byte === sequence[0]) matched = 1;
				else forward.push(byte);
			}

			return {forward: Uint8Array.from(forward), detach: false};
		},
	};
}
