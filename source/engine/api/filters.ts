// dockerd's list and prune filters, in one place: which keys a list accepts, label matching
// ("k", "k=v", and label! for prune), booleans, and the "until" cut-off (a time or a duration ago).
import {badRequest} from '../errors.ts';

export type Filters = Record<string, string[]>;

/** Refuses keys the endpoint does not know, as dockerd does ("invalid filter 'x'"). */
export function checkFilters(filters: Filters, known: readonly string[]): void {
	for (const key of Object.keys(filters)) if (!known.includes(key)) throw badRequest(`invalid filter '${key}'`);
}

/** True when the key is absent, or when any of its values passes. */
export function anyOf(filters: Filters, key: string, test: (value: string) => boolean): boolean {
	const values = filters[key];
	return !values || values.length === 0 || values.some(test);
}

/** A value as dockerd's filters read it, a regular expression ("name=^web"); one that is not, refused. */
export function matchesPattern(pattern: string, value: string): boolean {
	try {
		return new RegExp(pattern).test(value);
	} catch {
		throw badRequest(`invalid filter '${pattern.slice(0, 100)}': not a regular expression`);
	}
}

function hasLabel(labels: Record<string, string>, value: string): boolean {
	const equals = value.indexOf('=');
	if (equals === -1) return Object.hasOwn(labels, value);
	const key = value.slice(0, equals);
	return Object.hasOwn(labels, key) && labels[key] === value.slice(equals + 1);
}

/** label=…: every value must match; label!=… (prune's): none may. */
export function labelsMatch(filters: Filters, labels: Record<string, string> | null | undefined): boolean {
	const own = labels ?? {};
	return (filters.label ?? []).every(value => hasLabel(own, value)) && !(filters['label!'] ?? []).some(value => hasLabel(own, value));
}

/** A boolean filter (dangling=true): undefined when absent; "true"/"1" or "false"/"0" else refused. */
export function booleanFilter(filters: Filters, key: string): boolean | undefined {
	const values = filters[key];
	if (!values || values.length === 0) return undefined;
	const parsed = values.map(value => {
		if (value === 'true' || value === '1') return true;
		if (value === 'false' || value === '0') return false;
		throw badRequest(`invalid filter '${key}=${value}'`);
	});
	if (parsed.some(value => value !== parsed[0])) throw badRequest(`invalid filter '${key}': conflicting values`);
	return parsed[0];
}

const durationUnits: Record<string, number> = {ns: 1e-9, us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600};

/** A Go duration ("90m", "1h30m", "10s") in seconds, or undefined when `value` is not one. */
function goDuration(value: string): number | undefined {
	if (!/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(value)) return undefined;
	let seconds = 0;
	for (const part of value.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) seconds += Number(part[1]) * durationUnits[part[2]!]!;
	return seconds;
}

/** until=…: a Unix time, an RFC 3339 date, or a duration before `now`; in seconds since the epoch. */
export function untilCutoff(filters: Filters, now = Date.now()): number | undefined {
	const values = filters.until;
	if (!values || values.length === 0) return undefined;
	if (values.length > 1) throw badRequest('more than one until filter specified');
	const value = values[0]!;
	if (/^\d+(\.\d+)?$/.test(value)) return Number(value);
	const duration = goDuration(value);
	if (duration !== undefined) return now / 1000 - duration;
	const parsed = Date.parse(value);
	if (Number.isNaN(parsed)) throw badRequest(`invalid filter 'until=${value.slice(0, 100)}'`);
	return parsed / 1000;
}
