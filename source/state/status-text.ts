// Keeping "Up 3 minutes" true without asking the daemon again: the text the daemon gave is read
// back into a time, and re-worded as the clock moves, with Docker's own wording.

import {humanDuration, parseHumanDuration} from '../shared/durations.ts';

const upPattern = /^Up (.+?)( \(.*\))?$/;
const exitedPattern = /^Exited \((-?\d+)\) (.+) ago$/;

/** The status text as it reads `now`, given the text the daemon gave at `statusAt`. */
export function currentStatus(status: string, statusAt: number, now: number): string {
	const elapsed = Math.max(0, (now - statusAt) / 1000);
	if (elapsed < 1) return status;
	const up = upPattern.exec(status);
	if (up?.[1]) {
		const seconds = parseHumanDuration(up[1]);
		return seconds === undefined ? status : `Up ${humanDuration(seconds + elapsed)}${up[2] ?? ''}`;
	}

	const exited = exitedPattern.exec(status);
	if (exited?.[2]) {
		const seconds = parseHumanDuration(exited[2]);
		return seconds === undefined ? status : `Exited (${exited[1]}) ${humanDuration(seconds + elapsed)} ago`;
	}

	return status;
}
