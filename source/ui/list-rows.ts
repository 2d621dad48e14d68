// What the list pane shows, as text: its title, column header and the rows in its window, each
// row's cells fitted to their columns. Pure, and shared by the list pane and the first frame
// drawn before Ink loads, so that both show the same characters.
import type {Item, ListState, Outcome} from '../state/list.ts';
import {type Cell, headerCells, layoutColumns, type PanelModel, rowCells, type Usage} from '../state/panels/panel.ts';

export type ListPaneView = {
	panel: PanelModel<Item>;
	list: ListState<Item>;
	/** The first row in the window. */
	top: number;
	height: number;
	width: number;
	now: number;
	usage: Usage;
	title: string;
	/** Why there is no list (the engine does not offer it, or it failed). */
	problem?: string;
	/** Said after a group's own detail ("compose files gone"). */
	groupNotes?: ReadonlyMap<string, string>;
};

export type VisibleRow =
	| {kind: 'group'; key: string; group: string; detail: string; selected: boolean}
	| {kind: 'item'; key: string; selected: boolean; marked: boolean; pending?: string; outcome?: Outcome; cells: Cell[]};

/** "Containers (12)", or "Containers (3 of 12)" while filtered; the title alone until the list has come. */
export function listTitle(panel: PanelModel<Item>, list: ListState<Item>): string {
	// No count before the list has come: "(0)" would say something untrue.
	if (!list.loaded) return panel.title;
	const total = list.items.size;
	if (!list.filter) return `${panel.title} (${total})`;
	let shown = 0;
	for (const row of list.rows) if (row.kind === 'item') shown++;
	return `${panel.title} (${shown} of ${total})`;
}

export function emptyText(panel: PanelModel<Item>, list: ListState<Item>): string {
	if (list.problem) return list.problem;
	if (!list.loaded) return 'loading…';
	return list.filter ? `no ${panel.noun[0]} matches the filter` : `no ${panel.noun[1]}`;
}

/** The second character of a row: marked, how its action ended, or in flight. */
export function rowMark(row: Extract<VisibleRow, {kind: 'item'}>): string {
	if (row.marked) return '●';
	if (row.outcome) return row.outcome.ok ? '✓' : '✗';
	if (row.pending) return '…';
	return ' ';
}

export function listPaneLines(view: ListPaneView): {filter?: string; header: string; rows: VisibleRow[]; empty: string} {
	const {panel, list} = view;
	const layout = layoutColumns(panel.columns, view.width - 2);
	const header = `  ${headerCells(panel.columns, layout, list.sort).join(' ')}`;
	const rows: VisibleRow[] = [];
	for (const row of list.rows.slice(view.top, view.top + view.height)) {
		if (row.kind === 'group') {
			const note = view.groupNotes?.get(row.group);
			const detail = [panel.groupDetail?.(row.members) ?? '', note ?? ''].filter(Boolean).join(' · ');
			rows.push({kind: 'group', key: row.key, group: row.group, detail, selected: row.key === list.selectedId});
			continue;
		}

		const {item} = row;
		const pending = list.pending[item.id];
		rows.push({
			kind: 'item',
			key: row.key,
			selected: item.id === list.selectedId,
			marked: list.marks.has(item.id),
			...(pending ? {pending} : {}),
			...(list.outcomes[item.id] ? {outcome: list.outcomes[item.id]} : {}),
			cells: rowCells(panel.columns, layout, item, {now: view.now, pending, figures: list.figures.get(item.id), usage: view.usage}),
		});
	}

	return {
		filter: list.filterEditing || list.filter ? `  /${list.filter}${list.filterEditing ? '▏' : ''}` : undefined,
		header,
		rows,
		empty: view.problem ?? emptyText(panel, list),
	};
}
