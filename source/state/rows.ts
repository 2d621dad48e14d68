// From the container collection to the rows of the list: filter, order, group. Pure.
import fuzzysort from 'fuzzysort';
import {type Container, isUp} from './container.ts';

export type Row =
	| {kind: 'group'; key: string; project: string; running: number; total: number}
	| {kind: 'container'; key: string; container: Container};

/** Running first, then by name. */
export function compareContainers(a: Container, b: Container): number {
	const up = Number(isUp(b)) - Number(isUp(a));
	if (up !== 0) return up;
	return a.name.localeCompare(b.name, 'en', {numeric: true}) || a.id.localeCompare(b.id);
}

/**
 * Containers whose name or image match the filter. Where any contain it as typed (ignoring case),
 * only those are shown; otherwise it matches fuzzily (its letters in order, gaps allowed), so
 * "199" finds web-199 among 200 webs, and "pmtapi" still finds payments-api.
 */
export function filterContainers(containers: Iterable<Container>, filter: string): Container[] {
	const all = [...containers];
	const query = filter.trim();
	if (!query) return all;
	const needle = query.toLowerCase();
	const exact = all.filter(container => container.name.toLowerCase().includes(needle) || container.image.toLowerCase().includes(needle));
	if (exact.length > 0) return exact;
	return fuzzysort.go(query, all, {keys: ['name', 'image']}).map(result => result.obj);
}

/**
 * Rows in display order: containers that belong to no compose project first, then one group a
 * project with its containers under it. Each part is ordered running first, then by name.
 */
export function buildRows(containers: Iterable<Container>, filter = ''): Row[] {
	const matched = filterContainers(containers, filter).sort(compareContainers);
	const loose: Row[] = [];
	const projects = new Map<string, Container[]>();
	for (const container of matched) {
		if (container.project) {
			const members = projects.get(container.project) ?? [];
			members.push(container);
			projects.set(container.project, members);
		} else {
			loose.push({kind: 'container', key: container.id, container});
		}
	}

	const rows = loose;
	for (const project of [...projects.keys()].sort((a, b) => a.localeCompare(b))) {
		const members = projects.get(project)!;
		rows.push({kind: 'group', key: `group:${project}`, project, running: members.filter(isUp).length, total: members.length});
		for (const container of members) rows.push({kind: 'container', key: container.id, container});
	}

	return rows;
}

/** Index of the row holding this container, or -1. */
export function rowIndexOf(rows: Row[], id: string | undefined): number {
	if (!id) return -1;
	return rows.findIndex(row => row.kind === 'container' && row.container.id === id);
}

/** The nearest container row at or after `index` (before, when none after); -1 when there is none. */
export function nearestContainerRow(rows: Row[], index: number): number {
	const start = Math.max(0, Math.min(index, rows.length - 1));
	for (let i = start; i < rows.length; i++) if (rows[i]!.kind === 'container') return i;
	for (let i = start - 1; i >= 0; i--) if (rows[i]!.kind === 'container') return i;
	return -1;
}

/** The first row to show so that `selected` stays in a window of `height` rows, moving as little as possible. */
export function scrollTop(selected: number, rowCount: number, height: number, previousTop: number): number {
	if (height <= 0 || rowCount <= height) return 0;
	let top = Math.min(previousTop, rowCount - height);
	if (selected < top) top = selected;
	if (selected >= top + height) top = selected - height + 1;
	return Math.max(0, top);
}
