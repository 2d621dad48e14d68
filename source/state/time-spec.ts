// Times as the docker CLI's --since and --until take them, turned into the API's
// "seconds.nanoseconds": a duration back from now (10m, 1h30m, 1.5h, 250ms), an RFC 3339 time
// (a time without a zone is local, as docker reads it), a date, seconds since the epoch, and,
// for jumping in the log view, a time of day today (14:05, 14:05:30).

const units: Record<string, number> = {ns: 1e-9, us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600};

/** Seconds in a Go-style duration, or undefined when it is not one. */
export function parseDuration(text: string): number | undefined {
	const match = /^(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h)(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h))*$/.exec(text);
	if (!match) return undefined;
	let seconds = 0;
	for (const [, value, unit] of text.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g)) seconds += Number(value) * units[unit!]!;
	return seconds;
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

function localOffset(date: Date): string {
	const minutes = -date.getTimezoneOffset();
	const sign = minutes >= 0 ? '+' : '-';
	return `${sign}${pad(Math.floor(Math.abs(minutes) / 60))}:${pad(Math.abs(minutes) % 60)}`;
}

function fromSeconds(seconds: number): string {
	const whole = Math.floor(seconds);
	const nanos = Math.round((seconds - whole) * 1e9);
	return `${whole}.${pad(Math.min(nanos, 999_999_999), 9)}`;
}

/**
 * The API's "seconds.nanoseconds" for a time the user typed, or an Error that says what is
 * accepted. `now` is in milliseconds, a parameter for tests.
 */
export function parseTimeSpec(text: string, now = Date.now()): string | Error {
	const value = text.trim();
	if (/^\d+(\.\d{1,9})?$/.test(value)) {
		const [seconds, fraction = ''] = value.split('.');
		return `${seconds}.${fraction.padEnd(9, '0')}`;
	}

	const duration = parseDuration(value);
	if (duration !== undefined) return fromSeconds(now / 1000 - duration);

	const timeOfDay = /^(\d{1,2}):(\d\d)(?::(\d\d))?$/.exec(value);
	if (timeOfDay) {
		const date = new Date(now);
		date.setHours(Number(timeOfDay[1]), Number(timeOfDay[2]), Number(timeOfDay[3] ?? 0), 0);
		return fromSeconds(date.getTime() / 1000);
	}

	const rfc = /^(\d{4})-(\d\d)-(\d\d)(?:[T ](\d\d)(?::(\d\d)(?::(\d\d)(?:\.(\d{1,9}))?)?)?)?(Z|[+-]\d\d:\d\d)?$/.exec(value);
	if (rfc) {
		const [, year, month, day, hour = '00', minute = '00', second = '00', fraction = '', zone] = rfc;
		const base = `${year}-${month}-${day}T${hour}:${minute}:${second}`;
		const offset = zone ?? localOffset(new Date(`${base}`));
		const milliseconds = Date.parse(`${base}${offset}`);
		if (!Number.isNaN(milliseconds)) return `${milliseconds / 1000}.${fraction.padEnd(9, '0')}`;
	}

	return new Error(`invalid time "${text}": use a duration (10m, 1h30m), an RFC 3339 time (2026-11-24T10:00:00Z), a date, or seconds since the epoch`);
}
