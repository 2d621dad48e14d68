// One list of one resource kind as the screen keeps it: its items, the rows they make for a
// filter and an order, the selection, the marks, and what is in flight for which rows. Pure. The
// panel says how its items are matched by the filter, ordered and grouped; the rest is the same
// for every kind.
import fuzzysort from 'fuzzysort';
import {naturalCompare} from './natural-compare.ts';

export type Item = {id: string};

/** Numbers read apart from the list (a container's CPU and memory), which some orders sort by. */
export type Figures = Readonly<Record<string, number | undefined>>;

export type Row<T> = {kind: 'item'; key: string; item: T} | {kind: 'group'; key: string; group: string; members: readonly T[]};

export type Sort = {key: string; reverse: boolean};
/** Each panel's own default order. */
export const defaultSort: Sort = {key: 'default', reverse: false};

/** How an action ended for one row, shown beside it until its notice goes. */
export type Outcome = {ok: boolean; text: string; noticeId: number};

export type ListState<T extends Item> = {
	items: ReadonlyMap<string, T>;
	/** Derived from the items, the filter and the order; kept so that every key and render sees the same rows. */
	rows: Array<Row<T>>;
	selectedId?: string;
	filter: string;
	filterEditing: boolean;
	sort: Sort;
	/** Rows marked for an action on several at once. */
	marks: ReadonlySet<string>;
	/** The verb in flight for a row. */
	pending: Readonly<Record<string, string>>;
	outcomes: Readonly<Record<string, Outcome>>;
	/** Whether the first full list has arrived. */
	loaded: boolean;
	/** Why there is no list: the engine does not offer this kind, or reading it failed. */
	problem?: string;
	figures: ReadonlyMap<string, Figures>;
};

export type Comparator<T> = (a: T, b: T) => number;

/** What a list needs to know of its kind. */
export type ListShape<T extends Item> = {
	/** The text fields the filter looks in. */
	filterKeys: ReadonlyArray<keyof T & string>;
	/** The order for a sort key (the panel's default for 'default'), given the figures read so far. */
	comparator(sort: Sort, figures: ReadonlyMap<string, Figures>): Comparator<T>;
	/** Items of one group sit together under a header row (a compose project). */
	groupOf?(item: T): string | undefined;
};

export function emptyList<T extends Item>(sort: Sort = defaultSort): ListState<T> {
	return {items: new Map(), rows: [], filter: '', filterEditing: false, sort, marks: new Set(), pending: {}, outcomes: {}, loaded: false, figures: new Map()};
}

/**
 * Items whose filter fields contain the filter as typed (ignoring case); where none do, the
 * filter matches fuzzily (its letters in order, gaps allowed), so "199" finds web-199 among 200
 * webs and "pmtapi" still finds payments-api.
 */
export function filterItems<T extends Item>(items: Iterable<T>, filter: string, keys: ReadonlyArray<keyof T & string>): T[] {
	const all = [...items];
	const query = filter.trim();
	if (!query) return all;
	const needle = query.toLowerCase();
	const text = (item: T, key: keyof T & string) => {
		const value = item[key];
		return typeof value === 'string' ? value : '';
	};

	const exact = all.filter(item => keys.some(key => text(item, key).toLowerCase().includes(needle)));
	if (exact.length > 0) return exact;
	return fuzzysort.go(query, all, {keys: keys as string[]}).map(result => result.obj);
}

/**
 * Rows in display order. Items of a group sit under one header row; the others stand alone. In
 * the default order, lone items come first, then the groups by name; under any other order,
 * groups and lone items are ordered together by their first member, so a project holding the
 * busiest container rises with it.
 */
export function buildRows<T extends Item>(shape: ListShape<T>, items: Iterable<T>, filter: string, sort: Sort, figures: ReadonlyMap<string, Figures>): Array<Row<T>> {
	const compare = shape.comparator(sort, figures);
	const matched = filterItems(items, filter, shape.filterKeys).sort(compare);
	if (!shape.groupOf) return matched.map(item => ({kind: 'item', key: item.id, item}));
	const units: Array<{first: T; group?: string; members: T[]}> = [];
	const groups = new Map<string, T[]>();
	for (const item of matched) {
		const group = shape.groupOf(item);
		if (group === undefined) {
			units.push({first: item, members: [item]});
			continue;
		}

		let members = groups.get(group);
		if (!members) {
			members = [];
			groups.set(group, members);
			units.push({first: item, group, members});
		}

		members.push(item);
	}

	if (sort.key === 'default') units.sort((a, b) => (a.group === undefined ? (b.group === undefined ? 0 : -1) : b.group === undefined ? 1 : naturalCompare(a.group, b.group)));
	const rows: Array<Row<T>> = [];
	for (const unit of units) {
		if (unit.group !== undefined) rows.push({kind: 'group', key: `group:${unit.group}`, group: unit.group, members: unit.members});
		for (const item of unit.members) rows.push({kind: 'item', key: item.id, item});
	}

	return rows;
}

/** The selection's key for a group's header row (an item's is its id). */
export const groupKey = (group: string) => `group:${group}`;

/** Index of the row with this key (an item's id, or a group's key), or -1. */
export function rowIndexOf<T extends Item>(rows: ReadonlyArray<Row<T>>, id: string | undefined): number {
	if (id === undefined) return -1;
	return rows.findIndex(row => row.key === id);
}

/** The nearest item row at or after `index` (before, when none after); -1 when there is none. */
export function nearestItemRow<T extends Item>(rows: ReadonlyArray<Row<T>>, index: number): number {
	const start = Math.max(0, Math.min(index, rows.length - 1));
	for (let i = start; i < rows.length; i++) if (rows[i]!.kind === 'item') return i;
	for (let i = start - 1; i >= 0; i--) if (rows[i]!.kind === 'item') return i;
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

export function selectedItem<T extends Item>(list: ListState<T>): T | undefined {
	return list.selectedId === undefined ? undefined : list.items.get(list.selectedId);
}

/** The group whose header row is selected, with its members as listed. */
export function selectedGroup<T extends Item>(list: ListState<T>): {group: string; members: readonly T[]} | undefined {
	if (!list.selectedId?.startsWith('group:')) return undefined;
	const row = list.rows.find(candidate => candidate.key === list.selectedId);
	return row?.kind === 'group' ? {group: row.group, members: row.members} : undefined;
}

/** The item rows, in order. */
export function listedItems<T extends Item>(list: ListState<T>): T[] {
	const items: T[] = [];
	for (const row of list.rows) if (row.kind === 'item') items.push(row.item);
	return items;
}

/** What an action applies to: the marked items in list order, else the selected one. */
export function actionTargets<T extends Item>(list: ListState<T>): T[] {
	if (list.marks.size === 0) {
		const selected = selectedItem(list);
		return selected ? [selected] : [...(selectedGroup(list)?.members ?? [])];
	}

	return listedItems(list).filter(item => list.marks.has(item.id)).concat([...list.marks].filter(id => rowIndexOf(list.rows, id) === -1).flatMap(id => list.items.get(id) ?? []));
}

/** Rebuilds the rows and keeps the selection on the same item, or the nearest one when it went away. */
export function rebuild<T extends Item>(shape: ListShape<T>, list: ListState<T>, changes: Partial<Pick<ListState<T>, 'items' | 'filter' | 'sort' | 'figures'>>): ListState<T> {
	const next = {...list, ...changes};
	const previousIndex = rowIndexOf(list.rows, list.selectedId);
	const rows = buildRows(shape, next.items.values(), next.filter, next.sort, next.figures);
	let {selectedId} = list;
	if (rowIndexOf(rows, selectedId) === -1) {
		const index = nearestItemRow(rows, previousIndex === -1 ? 0 : previousIndex);
		const row = rows[index];
		selectedId = row?.kind === 'item' ? row.item.id : undefined;
	}

	return {...next, rows, selectedId};
}

/** Only what still exists keeps its mark, its pending verb and its outcome. */
function prune<T extends Item>(list: ListState<T>): ListState<T> {
	const keep = <V>(record: Readonly<Record<string, V>>) => Object.fromEntries(Object.entries(record).filter(([id]) => list.items.has(id)));
	const marks = [...list.marks].every(id => list.items.has(id)) ? list.marks : new Set([...list.marks].filter(id => list.items.has(id)));
	return {...list, marks, pending: keep(list.pending), outcomes: keep(list.outcomes)};
}

export function synced<T extends Item>(shape: ListShape<T>, list: ListState<T>, items: readonly T[]): ListState<T> {
	return {...prune(rebuild(shape, list, {items: new Map(items.map(item => [item.id, item]))})), loaded: true, problem: undefined};
}

export function upserted<T extends Item>(shape: ListShape<T>, list: ListState<T>, items: readonly T[]): ListState<T> {
	const next = new Map(list.items);
	for (const item of items) next.set(item.id, item);
	return rebuild(shape, list, {items: next});
}

export function removed<T extends Item>(shape: ListShape<T>, list: ListState<T>, ids: readonly string[]): ListState<T> {
	const gone = ids.filter(id => list.items.has(id));
	if (gone.length === 0) return list;
	const next = new Map(list.items);
	for (const id of gone) next.delete(id);
	return prune(rebuild(shape, list, {items: next}));
}

/** Moves the selection by `by` rows, a group's header row among them, stopping at the ends. */
export function moved<T extends Item>(list: ListState<T>, by: number): ListState<T> {
	const {rows} = list;
	if (rows.length === 0) return list;
	const current = rowIndexOf(rows, list.selectedId);
	const target = current === -1 ? nearestItemRow(rows, 0) : Math.max(0, Math.min(rows.length - 1, current + by));
	const row = rows[target];
	return row ? {...list, selectedId: row.key} : list;
}

export function movedTo<T extends Item>(list: ListState<T>, where: 'top' | 'bottom'): ListState<T> {
	const row = list.rows[where === 'top' ? 0 : list.rows.length - 1];
	return row ? {...list, selectedId: row.key} : list;
}

/** The same key again reverses the order; a third time goes back to the default order. */
export function nextSort(current: Sort, key: string): Sort {
	if (current.key !== key) return {key, reverse: false};
	return current.reverse ? defaultSort : {key, reverse: true};
}

/** Marks or unmarks the selected row; on a group's header, all its members (unmarked if all were marked). */
export function toggledMark<T extends Item>(list: ListState<T>): ListState<T> {
	const id = list.selectedId;
	if (id === undefined) return list;
	const marks = new Set(list.marks);
	const group = selectedGroup(list);
	if (group) {
		const ids = group.members.map(member => member.id);
		const all = ids.every(member => marks.has(member));
		for (const member of ids) {
			if (all) marks.delete(member);
			else marks.add(member);
		}

		return {...list, marks};
	}

	if (marks.has(id)) marks.delete(id);
	else marks.add(id);
	return {...list, marks};
}

/** Marks every listed (filtered) row; when all of them are marked already, unmarks them. */
export function toggledAllMarks<T extends Item>(list: ListState<T>): ListState<T> {
	const ids = listedItems(list).map(item => item.id);
	const allMarked = ids.length > 0 && ids.every(id => list.marks.has(id));
	return {...list, marks: allMarked ? new Set([...list.marks].filter(id => !ids.includes(id))) : new Set([...list.marks, ...ids])};
}

/** A comparator by name, the tie-breaker every order ends with. */
export function byText<T>(pick: (item: T) => string, tie: (item: T) => string = pick): Comparator<T> {
	return (a, b) => naturalCompare(pick(a), pick(b)) || (tie(a) < tie(b) ? -1 : tie(a) > tie(b) ? 1 : 0);
}

/** Orders by a figure, largest first; items without one go last, whichever the direction. */
export function byFigure<T extends Item>(figures: ReadonlyMap<string, Figures>, name: string, direction: number): Comparator<T> {
	return (a, b) => {
		const x = figures.get(a.id)?.[name];
		const y = figures.get(b.id)?.[name];
		if (x === undefined || y === undefined) return x === y ? 0 : x === undefined ? 1 : -1;
		return (y - x) * direction;
	};
}
