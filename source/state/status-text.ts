// Keeping "Up 3 minutes" true without asking the daemon again: the text the daemon gave is read
// back into a time, and re-worded as the clock moves, with Docker's own wording.

const units: Array<[RegExp, number]> = [
	[/^less than a second$/i, 0],
	[/^(\d+) seconds?$/i, 1],
	[/^about a minute$/i, 60],
	[/^(\d+) minutes?$/i, 60],
	[/^about an hour$/i, 3600],
	[/^(\d+) hours?$/i, 3600],
	[/^(\d+) days?$/i, 86_400],
	[/^(\d+) weeks?$/i, 604_800],
	[/^(\d+) months?$/i, 2_592_000],
	[/^(\d+) years?$/i, 31_536_000],
];

/** Seconds named by a Docker duration ("About an hour" → 3600); undefined when not one. */
export function parseHumanDuration(text: string): number | undefined {
	for (const [pattern, unit] of units) {
		const match = pattern.exec(text.trim());
		if (match) return match[1] ? Number(match[1]) * unit : unit;
	}

	return undefined;
}

/** Docker's wording for a duration (go-units HumanDuration). */
export function humanDuration(exactSeconds: number): string {
	const seconds = Math.floor(exactSeconds);
	if (seconds < 1) return 'Less than a second';
	if (seconds === 1) return '1 second';
	if (seconds < 60) return `${seconds} seconds`;
	const minutes = Math.floor(seconds / 60);
	if (minutes === 1) return 'About a minute';
	if (minutes < 60) return `${minutes} minutes`;
	const hours = Math.round(exactSeconds / 3600);
	if (hours === 1) return 'About an hour';
	if (hours < 48) return `${hours} hours`;
	if (hours < 24 * 7 * 2) return `${Math.floor(hours / 24)} days`;
	if (hours < 24 * 30 * 2) return `${Math.floor(hours / 24 / 7)} weeks`;
	if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24 / 30)} months`;
	return `${Math.floor(hours / 24 / 365)} years`;
}

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
