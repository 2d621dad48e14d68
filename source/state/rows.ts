// From the container collection to the rows of the list: filter, order, group. Pure.
import fuzzysort from 'fuzzysort';
import {type Container, isUp} from './container.ts';
import {naturalCompare} from './natural-compare.ts';

export type Row =
	| {kind: 'group'; key: string; project: string; running: number; total: number}
	| {kind: 'container'; key: string; container: Container};

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

export type SortKey = 'name' | 'state' | 'cpu' | 'memory' | 'created';
/** `default` is running first, then by name. */
export type Sort = {key: SortKey | 'default'; reverse: boolean};
export const defaultSort: Sort = {key: 'default', reverse: false};

/** The figures a row shows and can be sorted by; known only for running containers on screen (or all, while sorted by them). */
export type RowMetrics = {cpu?: number; memory?: number};

const stateOrder: Record<Container['state'], number> = {running: 0, restarting: 1, paused: 2, created: 3, removing: 4, exited: 5, dead: 6};

const byName = (a: Container, b: Container) => naturalCompare(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Each key's natural direction: names A to Z, states running first, the busiest and the newest first. */
export function sortComparator(sort: Sort, metrics: ReadonlyMap<string, RowMetrics> = new Map()): (a: Container, b: Container) => number {
	// Containers without a figure go last whichever the direction.
	const figure = (pick: (value: RowMetrics) => number | undefined) => (a: Container, b: Container) => {
		const x = pick(metrics.get(a.id) ?? {});
		const y = pick(metrics.get(b.id) ?? {});
		if (x === undefined || y === undefined) return x === y ? 0 : x === undefined ? 1 : -1;
		return (y - x) * direction;
	};

	const direction = sort.reverse ? -1 : 1;
	const primary: (a: Container, b: Container) => number =
		sort.key === 'name'
			? (a, b) => byName(a, b) * direction
			: sort.key === 'state'
				? (a, b) => (stateOrder[a.state] - stateOrder[b.state]) * direction
				: sort.key === 'created'
					? (a, b) => (b.created - a.created) * direction
					: sort.key === 'cpu'
						? figure(value => value.cpu)
						: sort.key === 'memory'
							? figure(value => value.memory)
							: (a, b) => (Number(isUp(b)) - Number(isUp(a))) * direction;
	return (a, b) => primary(a, b) || byName(a, b);
}

/**
 * Rows in display order. Containers of a compose project sit under one group row; the others
 * stand alone. In the default order, lone containers come first, then the groups by project name;
 * under any other sort, groups and lone containers are ordered together by their first member,
 * so the project holding the busiest container rises with it.
 */
export function buildRows(containers: Iterable<Container>, filter = '', sort: Sort = defaultSort, metrics?: ReadonlyMap<string, RowMetrics>): Row[] {
	const compare = sortComparator(sort, metrics);
	const matched = filterContainers(containers, filter).sort(compare);
	const units: Array<{first: Container; project?: string; members: Container[]}> = [];
	const projects = new Map<string, Container[]>();
	for (const container of matched) {
		if (container.project) {
			let members = projects.get(container.project);
			if (!members) {
				members = [];
				projects.set(container.project, members);
				units.push({first: container, project: container.project, members});
			}

			members.push(container);
		} else {
			units.push({first: container, members: [container]});
		}
	}

	// `matched` is sorted, so units are already ordered by their first member; the default order
	// instead puts lone containers first and groups by name.
	if (sort.key === 'default') units.sort((a, b) => (a.project === undefined ? (b.project === undefined ? 0 : -1) : b.project === undefined ? 1 : naturalCompare(a.project, b.project)));

	const rows: Row[] = [];
	for (const unit of units) {
		if (unit.project === undefined) {
			rows.push({kind: 'container', key: unit.first.id, container: unit.first});
			continue;
		}

		rows.push({kind: 'group', key: `group:${unit.project}`, project: unit.project, running: unit.members.filter(isUp).length, total: unit.members.length});
		for (const container of unit.members) rows.push({kind: 'container', key: container.id, container});
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
