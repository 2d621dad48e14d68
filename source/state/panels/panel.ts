// What a panel is: one resource kind, with its rows (pure functions from an item to cells), its
// columns, its detail tabs and its actions. The screen, the key handler, the hint line and the
// help overlay read panels only through this shape, so a new kind is a new file here (and its
// loaders in the UI), not a change to them.
import type {Figures, Item, ListShape} from '../list.ts';

export const panelKinds = ['containers', 'images', 'volumes', 'networks', 'events', 'disk'] as const;
export type PanelKind = (typeof panelKinds)[number];

/** A colour by meaning; the theme decides what it looks like. */
export type Tone = 'accent' | 'muted' | 'error' | 'success' | 'progress' | `state.${string}`;

/** What a cell may need beyond its item: the clock, an action in flight, figures read apart, who uses what. */
export type CellContext = {
	now: number;
	pending?: string;
	figures?: Figures;
	usage: Usage;
};

/** Which containers use an image, a volume or a network (their names), worked out from the container list. */
export type Usage = {
	byImage: ReadonlyMap<string, readonly string[]>;
	byVolume: ReadonlyMap<string, readonly string[]>;
	byNetwork: ReadonlyMap<string, readonly string[]>;
};

export const noUsage: Usage = {byImage: new Map(), byVolume: new Map(), byNetwork: new Map()};

export type Column<T> = {
	title: string;
	/** A fixed width for a list this wide (0 hides the column); a column without one shares the rest by `weight`. */
	width?: (total: number) => number;
	weight?: number;
	/** The least a shared column is given. */
	min?: number;
	align?: 'left' | 'right';
	cell(item: T, context: CellContext): string;
	tone?(item: T, context: CellContext): Tone | undefined;
	/** The sort key whose arrow this column's title carries, and that key's natural direction. */
	sortKey?: string;
	ascending?: boolean;
};

/** A question asked before an action: its text, and the keys that answer it. */
export type Question = {text: string; choices: Array<{key: string; label: string; verb?: string; force?: boolean}>};

export type ActionSpec<T> = {
	/** The command (from the command table) whose keys start it. */
	command: string;
	/** What the client is asked to do; `verbFor` may pick another by the item (pause or unpause). */
	verb: string;
	verbFor?(item: T): string;
	/** Whether it applies to several marked rows at once. */
	bulk: boolean;
	/** The question asked first: always for several rows, and for one too where `askOne`. */
	ask?(items: readonly T[]): Question;
	askOne?: boolean;
};

/** A panel's command that is not a row action: it may ask for a value or a choice first. */
export type PanelCommand<T> = {
	command: string;
	/**
	 * What it acts on: the selected row, every listed row, the members of the selected group (or
	 * of the selected row's group), or nothing in particular.
	 */
	target: 'selected' | 'listed' | 'group' | 'none';
	/** With a group's header selected, a 'selected' command acts on the group's members instead. */
	orGroup?: boolean;
	prompt?: {text: string; initial?(item: T | undefined): string};
	/** A question first; the chosen answer's verb is handed on. */
	ask?(items: readonly T[]): Question;
};

/** Progress and done words for a verb: "stopping", "stopped". */
export type VerbWords = Record<string, readonly [progress: string, done: string]>;

export type PanelModel<T extends Item> = ListShape<T> & {
	kind: PanelKind;
	title: string;
	noun: readonly [one: string, many: string];
	/** `:` names it answers to, the full one first. */
	names: readonly string[];
	columns: ReadonlyArray<Column<T>>;
	tabs: readonly string[];
	/** Row actions, each with progress shown on its rows; they apply to every marked row. */
	actions: ReadonlyArray<ActionSpec<T>>;
	/** Other commands (open the logs, pull, prune), run by the UI's part of the panel. */
	commands: ReadonlyArray<PanelCommand<T>>;
	/** What Enter does on a row: focus the details (the default), or go to the object it names. */
	enter?: 'details' | 'jump';
	words: VerbWords;
	/** How a row is named in notices and questions, and what `copyName` copies. */
	label(item: T): string;
	/** What `copyId` copies (the item's key by default). */
	idOf?(item: T): string;
	/** The commands the hint line offers for the selected row (it shows what fits); "pause:unpause" names its label. */
	hints(item: T | undefined): string[];
	/** The text of a group's header, after its name ("2/3 running"). */
	groupDetail?(members: readonly T[]): string;
	/** What a group is called ("compose project"). */
	groupNoun?: string;
	/** The commands the hint line offers with a group's header selected. */
	groupHints?: string[];
	/** Sort commands (from the command table) and the key each sets. */
	sorts: Readonly<Record<string, string>>;
};

/** "web", or "3 containers (web, db, cache)", or "12 containers (web, db, cache, …)". */
export function describeItems<T>(items: readonly T[], label: (item: T) => string, many: string): string {
	const names = items.map(item => label(item));
	if (names.length === 1) return names[0]!;
	const shown = names.slice(0, 3).join(', ');
	return `${names.length} ${many} (${shown}${names.length > 3 ? ', …' : ''})`;
}

export const capitalised = (verb: string) => verb.charAt(0).toUpperCase() + verb.slice(1);

export const yesNo = (text: string): Question => ({text, choices: [{key: 'y', label: 'yes'}, {key: 'n', label: 'no'}]});

const gap = 1;

export type ColumnLayout = {widths: number[]; shown: boolean[]};

/**
 * Widths for a row of `total` columns: fixed columns first (those given 0 are hidden), then the
 * rest shared by weight among the others, each getting at least its minimum.
 */
export function layoutColumns<T>(columns: ReadonlyArray<Column<T>>, total: number): ColumnLayout {
	const widths = columns.map(column => (column.width ? Math.max(0, column.width(total)) : -1));
	const shown = widths.map(width => width !== 0);
	const count = shown.filter(Boolean).length;
	const fixed = widths.reduce((sum, width) => sum + Math.max(0, width), 0) + gap * Math.max(0, count - 1);
	const rest = Math.max(10, total - fixed);
	const shared = columns.map((column, index) => (widths[index] === -1 ? (column.weight ?? 1) : 0));
	const weightSum = shared.reduce((sum, weight) => sum + weight, 0);
	let left = rest;
	const last = shared.reduce((found, weight, index) => (weight > 0 ? index : found), -1);
	for (let index = 0; index < columns.length; index++) {
		if (widths[index] !== -1) continue;
		const min = columns[index]!.min ?? 4;
		const width = index === last ? Math.max(min, left) : Math.max(min, Math.ceil((rest * shared[index]!) / weightSum));
		widths[index] = width;
		left -= width;
	}

	return {widths, shown};
}

export function fit(text: string, width: number): string {
	if (width <= 0) return '';
	if (text.length <= width) return text.padEnd(width);
	return width === 1 ? '…' : `${text.slice(0, width - 1)}…`;
}

function fitRight(text: string, width: number): string {
	return text.length <= width ? text.padStart(width) : fit(text, width);
}

export type Cell = {text: string; tone?: Tone};

/** A row's cells, fitted to their widths; hidden columns are left out. */
export function rowCells<T>(columns: ReadonlyArray<Column<T>>, layout: ColumnLayout, item: T, context: CellContext): Cell[] {
	const cells: Cell[] = [];
	for (const [index, column] of columns.entries()) {
		if (!layout.shown[index]) continue;
		const width = layout.widths[index]!;
		const text = column.cell(item, context);
		cells.push({text: column.align === 'right' ? fitRight(text, width) : fit(text, width), tone: column.tone?.(item, context)});
	}

	return cells;
}

/** Column titles; the column the list is sorted by carries an arrow (↑ ascending, ↓ descending). */
export function headerCells<T>(columns: ReadonlyArray<Column<T>>, layout: ColumnLayout, sort?: {key: string; reverse: boolean}): string[] {
	const titles: string[] = [];
	for (const [index, column] of columns.entries()) {
		if (!layout.shown[index]) continue;
		const arrow = sort && column.sortKey === sort.key ? ((column.ascending ?? true) !== sort.reverse ? '↑' : '↓') : '';
		const title = `${column.title}${arrow}`;
		titles.push(column.align === 'right' ? fitRight(title, layout.widths[index]!) : fit(title, layout.widths[index]!));
	}

	return titles;
}

/** Sizes as docker prints them: 1000-based, three significant digits ("12.3MB"). */
export function formatSize(bytes: number | undefined): string {
	if (bytes === undefined || bytes < 0 || !Number.isFinite(bytes)) return '';
	const units = ['B', 'kB', 'MB', 'GB', 'TB'];
	let value = bytes;
	let unit = 0;
	while (value >= 1000 && unit < units.length - 1) {
		value /= 1000;
		unit++;
	}

	return `${unit === 0 ? value : Number(value.toPrecision(3))}${units[unit]}`;
}
