// The state of the containers screen and every change to it, as one reducer: an event in, a new
// state out. No I/O here; the UI dispatches what the keyboard and the engine report.
import {type Container, isUp} from './container.ts';
import {buildRows, defaultSort, nearestContainerRow, rowIndexOf, type Row, type RowMetrics, type Sort, type SortKey} from './rows.ts';

export const detailTabs = ['Logs', 'Stats', 'Top', 'Inspect', 'Env', 'Config'] as const;
export type DetailTab = (typeof detailTabs)[number];

export type ActionVerb = 'start' | 'stop' | 'restart' | 'pause' | 'unpause' | 'kill' | 'remove';

export type Overlay =
	| {kind: 'none'}
	| {kind: 'help'}
	/** The host switcher, with the row that is selected among `count` hosts. */
	| {kind: 'hosts'; index: number; count: number}
	| {kind: 'confirm-remove'; id: string; name: string; running: boolean};

export type Notice = {id: number; text: string; tone: 'progress' | 'success' | 'error'};

export type Connection = 'connecting' | 'connected' | 'disconnected';

export type ViewState = {
	containers: ReadonlyMap<string, Container>;
	/** Derived from containers and filter; kept so that every render and key uses the same rows. */
	rows: Row[];
	selectedId?: string;
	filter: string;
	filterEditing: boolean;
	focus: 'list' | 'details';
	tab: number;
	overlay: Overlay;
	pending: Readonly<Record<string, ActionVerb>>;
	notice?: Notice;
	connection: Connection;
	connectionError?: string;
	/** Whether the first full list has arrived. */
	loaded: boolean;
	sort: Sort;
	/** CPU and memory of the rows that have been read (running ones on screen, or all while sorted by them). */
	metrics: ReadonlyMap<string, RowMetrics>;
};

export type ViewEvent =
	| {type: 'synced'; containers: Container[]}
	| {type: 'upsert'; containers: Container[]}
	| {type: 'removed'; ids: string[]}
	| {type: 'connection'; status: Connection; error?: string}
	| {type: 'move'; by: number}
	| {type: 'move-to'; where: 'top' | 'bottom'}
	| {type: 'select'; id: string}
	| {type: 'filter-start'}
	| {type: 'filter-set'; text: string}
	| {type: 'filter-accept'}
	| {type: 'filter-clear'}
	| {type: 'focus'; to?: 'list' | 'details'}
	| {type: 'tab'; by: number}
	| {type: 'overlay'; overlay: Overlay}
	| {type: 'action-started'; id: string; verb: ActionVerb; name: string; noticeId: number}
	| {type: 'action-finished'; id: string; verb: ActionVerb; name: string; error?: string; noticeId: number}
	| {type: 'notice'; text: string; tone: Notice['tone']; noticeId: number}
	| {type: 'notice-expired'; noticeId: number}
	| {type: 'sort'; key: SortKey}
	| {type: 'metrics'; metrics: ReadonlyMap<string, RowMetrics>};

export function initialViewState(): ViewState {
	return {
		containers: new Map(),
		rows: [],
		filter: '',
		filterEditing: false,
		focus: 'list',
		tab: 0,
		overlay: {kind: 'none'},
		pending: {},
		connection: 'connecting',
		loaded: false,
		sort: defaultSort,
		metrics: new Map(),
	};
}

export function selectedContainer(state: ViewState): Container | undefined {
	return state.selectedId ? state.containers.get(state.selectedId) : undefined;
}

export function counts(state: ViewState): {running: number; total: number} {
	let running = 0;
	for (const container of state.containers.values()) if (isUp(container)) running++;
	return {running, total: state.containers.size};
}

/** Rebuilds the rows and keeps the selection on the same container, or the nearest one when it went away. */
function withRows(state: ViewState, containers: ReadonlyMap<string, Container>, filter: string, sort = state.sort, metrics = state.metrics): ViewState {
	const previousIndex = rowIndexOf(state.rows, state.selectedId);
	const rows = buildRows(containers.values(), filter, sort, metrics);
	let selectedId = state.selectedId;
	if (rowIndexOf(rows, selectedId) === -1) {
		const index = nearestContainerRow(rows, previousIndex === -1 ? 0 : previousIndex);
		const row = rows[index];
		selectedId = row?.kind === 'container' ? row.container.id : undefined;
	}

	return {...state, containers, filter, rows, selectedId, sort, metrics};
}

/** The same key again reverses the order; a third time goes back to the default order. */
export function nextSort(current: Sort, key: SortKey): Sort {
	if (current.key !== key) return {key, reverse: false};
	return current.reverse ? defaultSort : {key, reverse: true};
}

function moveSelection(state: ViewState, by: number): ViewState {
	const {rows} = state;
	if (rows.length === 0) return state;
	const current = rowIndexOf(rows, state.selectedId);
	let index = current === -1 ? 0 : current;
	const step = by < 0 ? -1 : 1;
	let remaining = Math.abs(by);
	let target = current === -1 ? nearestContainerRow(rows, 0) : current;
	while (remaining > 0) {
		index += step;
		if (index < 0 || index >= rows.length) break;
		if (rows[index]!.kind === 'container') {
			target = index;
			remaining--;
		}
	}

	const row = rows[target];
	return row?.kind === 'container' ? {...state, selectedId: row.container.id} : state;
}

export function viewReducer(state: ViewState, event: ViewEvent): ViewState {
	switch (event.type) {
		case 'synced': {
			const containers = new Map(event.containers.map(container => [container.id, container]));
			// Pending marks for containers that no longer exist are dropped.
			const pending = Object.fromEntries(Object.entries(state.pending).filter(([id]) => containers.has(id)));
			return {...withRows(state, containers, state.filter), pending, loaded: true};
		}

		case 'upsert': {
			const containers = new Map(state.containers);
			for (const container of event.containers) containers.set(container.id, container);
			return withRows(state, containers, state.filter);
		}

		case 'removed': {
			const gone = new Set(event.ids.filter(id => state.containers.has(id)));
			if (gone.size === 0) return state;
			const containers = new Map(state.containers);
			for (const id of gone) containers.delete(id);
			const pending = Object.fromEntries(Object.entries(state.pending).filter(([id]) => !gone.has(id)));
			const overlay = state.overlay.kind === 'confirm-remove' && gone.has(state.overlay.id) ? {kind: 'none' as const} : state.overlay;
			return {...withRows(state, containers, state.filter), pending, overlay};
		}

		case 'connection': {
			return {...state, connection: event.status, connectionError: event.error};
		}

		case 'move': {
			return moveSelection(state, event.by);
		}

		case 'move-to': {
			const index = nearestContainerRow(state.rows, event.where === 'top' ? 0 : state.rows.length - 1);
			const row = state.rows[index];
			return row?.kind === 'container' ? {...state, selectedId: row.container.id} : state;
		}

		case 'select': {
			return state.containers.has(event.id) ? {...state, selectedId: event.id} : state;
		}

		case 'filter-start': {
			return {...state, filterEditing: true, focus: 'list'};
		}

		case 'filter-set': {
			return withRows(state, state.containers, event.text);
		}

		case 'filter-accept': {
			return {...state, filterEditing: false};
		}

		case 'filter-clear': {
			return {...withRows(state, state.containers, ''), filterEditing: false};
		}

		case 'focus': {
			const to = event.to ?? (state.focus === 'list' ? 'details' : 'list');
			return {...state, focus: to};
		}

		case 'tab': {
			const count = detailTabs.length;
			return {...state, tab: (((state.tab + event.by) % count) + count) % count};
		}

		case 'overlay': {
			return {...state, overlay: event.overlay};
		}

		case 'action-started': {
			return {
				...state,
				pending: {...state.pending, [event.id]: event.verb},
				notice: {id: event.noticeId, text: `${progressWord[event.verb]} ${event.name}…`, tone: 'progress'},
			};
		}

		case 'action-finished': {
			const {[event.id]: _, ...pending} = state.pending;
			const text = event.error ? `${event.verb} ${event.name} failed: ${event.error}` : `${doneWord[event.verb]} ${event.name}`;
			return {...state, pending, notice: {id: event.noticeId, text, tone: event.error ? 'error' : 'success'}};
		}

		case 'notice': {
			return {...state, notice: {id: event.noticeId, text: event.text, tone: event.tone}};
		}

		case 'notice-expired': {
			return state.notice?.id === event.noticeId ? {...state, notice: undefined} : state;
		}

		case 'sort': {
			return withRows(state, state.containers, state.filter, nextSort(state.sort, event.key));
		}

		case 'metrics': {
			// Rows move with the figures only while sorted by them.
			if (state.sort.key === 'cpu' || state.sort.key === 'memory') return withRows(state, state.containers, state.filter, state.sort, event.metrics);
			return {...state, metrics: event.metrics};
		}
	}
}

export const progressWord: Record<ActionVerb, string> = {
	start: 'starting',
	stop: 'stopping',
	restart: 'restarting',
	pause: 'pausing',
	unpause: 'unpausing',
	kill: 'killing',
	remove: 'removing',
};

const doneWord: Record<ActionVerb, string> = {
	start: 'started',
	stop: 'stopped',
	restart: 'restarted',
	pause: 'paused',
	unpause: 'unpaused',
	kill: 'killed',
	remove: 'removed',
};
