// The `:` command line, as k9s users know it: a panel by name or short alias, `host NAME` for the
// host switcher, `q` to quit. Completion, and the nearest known command for a typo. Pure.
import {panels} from './panels/index.ts';
import {panelKinds, type PanelKind} from './panels/panel.ts';

export type CommandLine =
	| {kind: 'panel'; panel: PanelKind}
	| {kind: 'host'; name: string}
	| {kind: 'hosts'}
	| {kind: 'quit'}
	| {kind: 'help'}
	| {kind: 'none'}
	| {kind: 'error'; message: string};

const words: ReadonlyArray<{word: string; mean: CommandLine}> = [
	...panelKinds.flatMap(panel => panels[panel].names.map(word => ({word, mean: {kind: 'panel', panel} as CommandLine}))),
	{word: 'host', mean: {kind: 'hosts'}},
	{word: 'q', mean: {kind: 'quit'}},
	{word: 'quit', mean: {kind: 'quit'}},
	{word: 'help', mean: {kind: 'help'}},
];

/** What is offered first when completing: the full names, not every alias. */
const primary = [...panelKinds.map(panel => panels[panel].names[0]!), 'host', 'quit', 'help'];

/** Edit distance, for suggesting what a typo meant. */
export function distance(a: string, b: string): number {
	const row = Array.from({length: b.length + 1}, (_, index) => index);
	for (let i = 1; i <= a.length; i++) {
		let diagonal = row[0]!;
		row[0] = i;
		for (let j = 1; j <= b.length; j++) {
			const above = row[j]!;
			row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
			diagonal = above;
		}
	}

	return row[b.length]!;
}

/** The known word nearest to a typed one: the one it begins, else the fewest edits away. */
export function nearest(word: string, known: readonly string[] = primary): string | undefined {
	const prefixed = known.find(candidate => candidate.startsWith(word));
	if (prefixed) return prefixed;
	let best: string | undefined;
	let bestDistance = Number.POSITIVE_INFINITY;
	for (const candidate of known) {
		const value = distance(word, candidate);
		if (value < bestDistance) {
			best = candidate;
			bestDistance = value;
		}
	}

	return bestDistance <= Math.max(2, Math.floor(word.length / 2)) ? best : undefined;
}

export function parseCommandLine(text: string, hostNames: readonly string[] = []): CommandLine {
	const [word = '', ...rest] = text.trim().replace(/^:/, '').split(/\s+/).filter(Boolean);
	if (!word) return {kind: 'none'};
	const lower = word.toLowerCase();
	const known = words.find(entry => entry.word === lower);
	if (known?.mean.kind === 'hosts') {
		const name = rest.join(' ');
		if (!name) return {kind: 'hosts'};
		const host = hostNames.find(candidate => candidate === name) ?? hostNames.find(candidate => candidate.toLowerCase() === name.toLowerCase());
		if (host) return {kind: 'host', name: host};
		const guess = nearest(name, hostNames);
		return {kind: 'error', message: `no host named "${name}"${guess ? `; did you mean ${guess}?` : hostNames.length > 0 ? ` (hosts: ${hostNames.join(', ')})` : ''}`};
	}

	if (known) return rest.length === 0 ? known.mean : {kind: 'error', message: `:${word} takes no arguments`};
	const guess = nearest(lower, words.map(entry => entry.word));
	return {kind: 'error', message: `unknown command "${word}"${guess ? `; did you mean :${guess}?` : ''}`};
}

/** What Tab makes of the typed text: the longest common completion, and the candidates (full names first, aliases only when no full name fits). */
export function completeCommandLine(text: string, hostNames: readonly string[] = []): {text: string; candidates: string[]} {
	const typed = text.replace(/^:/, '');
	const hostMatch = /^(host)\s+(.*)$/i.exec(typed);
	const part = hostMatch ? hostMatch[2]! : typed;
	const fits = (pool: readonly string[]) => [...new Set(pool.filter(candidate => candidate.toLowerCase().startsWith(part.toLowerCase())))];
	const candidates = hostMatch ? fits(hostNames) : fits(primary).length > 0 ? fits(primary) : fits(words.map(entry => entry.word));
	if (candidates.length === 0) return {text, candidates};
	let common = candidates[0]!;
	for (const candidate of candidates) while (!candidate.toLowerCase().startsWith(common.toLowerCase())) common = common.slice(0, -1);
	// One full match is completed; `host` then waits for the name.
	const completed = candidates.length === 1 ? `${candidates[0]}${!hostMatch && candidates[0] === 'host' ? ' ' : ''}` : common.length > part.length ? common : part;
	return {text: `${hostMatch ? `${hostMatch[1]} ` : ''}${completed}`, candidates: candidates.slice(0, 12)};
}
