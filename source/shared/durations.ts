// Docker's wording for durations (go-units HumanDuration), and the same wording read back into
// seconds. Shared: the engine words its status texts this way, the client advances them.

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
