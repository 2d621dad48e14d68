// The state of the whole screen and every change to it, as one reducer: an event in, a new state
// out. It hosts one list per panel and knows them only through the panel models. No I/O here:
// the UI dispatches what the keyboard and the engine report.
import type {Container} from './container.ts';
import {isUp} from './container.ts';
import * as list from './list.ts';
import type {Figures, Item, ListState} from './list.ts';
import type {DiskItem} from './panels/disk.ts';
import {eventHistory, type EventItem} from './panels/events.ts';
import type {ImageItem} from './panels/images.ts';
import {panels} from './panels/index.ts';
import type {NetworkItem} from './panels/networks.ts';
import type {PanelKind, Question} from './panels/panel.ts';
import type {VolumeItem} from './panels/volumes.ts';
import type {RunForm} from './run-form.ts';

export type Lists = {
	containers: ListState<Container>;
	images: ListState<ImageItem>;
	volumes: ListState<VolumeItem>;
	networks: ListState<NetworkItem>;
	events: ListState<EventItem>;
	disk: ListState<DiskItem>;
};

export type Overlay =
	| {kind: 'none'}
	/** The keys in force, a page of them at a time where they do not all fit. */
	| {kind: 'help'; page?: number}
	/** The host switcher, with the row that is selected among `count` hosts. */
	| {kind: 'hosts'; index: number; count: number}
	/** The run form: a new container, or a copy or replacement of one. */
	| {kind: 'form'; form: RunForm}
	/** The user's own commands that apply in this panel, with the one that is selected. */
	| {kind: 'menu'; panel: PanelKind; index: number; count: number}
	/** A question before an action or a command, about these rows of this panel. */
	| {kind: 'confirm'; panel: PanelKind; command: string; ids: string[]; question: Question}
	/** A value typed for a command (a tag, an image to pull), or the `:` command line. */
	| {kind: 'prompt'; panel: PanelKind; command: string; ids: string[]; label: string; text: string};

export type Notice = {id: number; text: string; tone: 'progress' | 'success' | 'error'};

export type Connection = 'connecting' | 'connected' | 'disconnected';

/** An action on several rows: how many are done, and what went wrong. */
export type Run = {panel: PanelKind; verb: string; total: number; done: number; failures: Array<{name: string; error: string}>; names: string[]};

export type ScreenState = {
	panel: PanelKind;
	/** Panels visited before this one, for Esc to go back to. */
	previous: PanelKind[];
	lists: Lists;
	focus: 'list' | 'details';
	/** The detail tab open in each panel. */
	tabs: Readonly<Record<PanelKind, number>>;
	overlay: Overlay;
	notice?: Notice;
	connection: Connection;
	connectionError?: string;
	runs: Readonly<Record<number, Run>>;
	/** The events panel's stream is paused: events are kept, not shown, and counted. */
	eventsPaused: boolean;
	eventsMissed: number;
};

export type ScreenEvent =
	| {type: 'synced'; panel: PanelKind; items: Item[]}
	| {type: 'upsert'; panel: PanelKind; items: Item[]}
	| {type: 'removed'; panel: PanelKind; ids: string[]}
	| {type: 'problem'; panel: PanelKind; text: string}
	| {type: 'figures'; panel: PanelKind; figures: ReadonlyMap<string, Figures>}
	| {type: 'connection'; status: Connection; error?: string}
	| {type: 'move'; by: number}
	| {type: 'move-to'; where: 'top' | 'bottom'}
	| {type: 'select'; id: string; panel?: PanelKind}
	| {type: 'filter-start'}
	| {type: 'filter-set'; text: string}
	| {type: 'filter-accept'}
	| {type: 'filter-clear'}
	| {type: 'focus'; to?: 'list' | 'details'}
	| {type: 'tab'; by: number}
	| {type: 'overlay'; overlay: Overlay}
	| {type: 'panel'; to: PanelKind}
	| {type: 'back'}
	| {type: 'mark'}
	| {type: 'mark-all'}
	| {type: 'marks-clear'}
	| {type: 'sort'; key: string}
	| {type: 'action-started'; panel: PanelKind; verb: string; ids: string[]; names: string[]; noticeId: number; /** The verb for each row, where it differs (pause or unpause). */ pending?: Record<string, string>}
	| {type: 'action-done'; panel: PanelKind; verb: string; id: string; name: string; error?: string; noticeId: number}
	| {type: 'notice'; text: string; tone: Notice['tone']; noticeId: number}
	| {type: 'notice-expired'; noticeId: number}
	| {type: 'events-pause'};

const noTabs: Record<PanelKind, number> = {containers: 0, images: 0, volumes: 0, networks: 0, events: 0, disk: 0};

export function initialScreenState(): ScreenState {
	return {
		panel: 'containers',
		previous: [],
		lists: {containers: list.emptyList(), images: list.emptyList(), volumes: list.emptyList(), networks: list.emptyList(), events: list.emptyList(), disk: list.emptyList()},
		focus: 'list',
		tabs: noTabs,
		overlay: {kind: 'none'},
		connection: 'connecting',
		runs: {},
		eventsPaused: false,
		eventsMissed: 0,
	};
}

export function currentList(state: ScreenState): ListState<Item> {
	return state.lists[state.panel] as ListState<Item>;
}

export function selectedOf(state: ScreenState): Item | undefined {
	return list.selectedItem(currentList(state));
}

export function containerCounts(state: ScreenState): {running: number; total: number} {
	let running = 0;
	for (const container of state.lists.containers.items.values()) if (isUp(container)) running++;
	return {running, total: state.lists.containers.items.size};
}

/** The tab open in the current panel, by name. */
export function currentTab(state: ScreenState): string {
	const {tabs} = panels[state.panel];
	return tabs[state.tabs[state.panel] % tabs.length] ?? '';
}

function withList(state: ScreenState, panel: PanelKind, next: ListState<Item>): ScreenState {
	if (next === state.lists[panel]) return state;
	return {...state, lists: {...state.lists, [panel]: next}};
}

function updateCurrent(state: ScreenState, change: (current: ListState<Item>) => ListState<Item>): ScreenState {
	return withList(state, state.panel, change(currentList(state)));
}

const shape = (panel: PanelKind) => panels[panel];

/** The questions and prompts about rows that are gone close with them. */
function closeStaleOverlay(state: ScreenState, panel: PanelKind, gone: ReadonlySet<string>): ScreenState {
	const {overlay} = state;
	if ((overlay.kind === 'confirm' || overlay.kind === 'prompt') && overlay.panel === panel && overlay.ids.length > 0 && overlay.ids.every(id => gone.has(id))) {
		return {...state, overlay: {kind: 'none'}};
	}

	return state;
}

function runNotice(run: Run, noticeId: number, panel: PanelKind): Notice {
	const model = panels[panel];
	const [progress, doneWord] = model.words[run.verb] ?? [`${run.verb}ing`, `${run.verb}ed`];
	const what = run.total === 1 ? run.names[0]! : `${run.total} ${model.noun[1]}`;
	if (run.done < run.total) {
		return {id: noticeId, tone: 'progress', text: run.total === 1 ? `${progress} ${what}…` : `${progress} ${what}… ${run.done}/${run.total}`};
	}

	if (run.failures.length === 0) return {id: noticeId, tone: 'success', text: `${doneWord} ${what}`};
	if (run.total === 1) return {id: noticeId, tone: 'error', text: `${run.verb} ${what} failed: ${run.failures[0]!.error}`};
	const first = run.failures[0]!;
	return {id: noticeId, tone: 'error', text: `${run.verb}: ${run.total - run.failures.length} of ${run.total} done; ${first.name} failed: ${first.error}${run.failures.length > 1 ? ` (and ${run.failures.length - 1} more)` : ''}`};
}

export function screenReducer(state: ScreenState, event: ScreenEvent): ScreenState {
	switch (event.type) {
		case 'synced': {
			const {panel} = event;
			if (panel === 'events' && state.eventsPaused) return state;
			const next = list.synced(shape(panel), state.lists[panel] as ListState<Item>, event.items);
			const gone = new Set([...state.lists[panel].items.keys()].filter(id => !next.items.has(id)));
			return closeStaleOverlay(withList(state, panel, next), panel, gone);
		}

		case 'upsert': {
			const {panel} = event;
			if (panel === 'events') {
				if (state.eventsPaused) return {...state, eventsMissed: state.eventsMissed + event.items.length};
				const current = state.lists.events;
				let next = list.upserted(shape(panel), current as ListState<Item>, event.items);
				// A bounded history: the oldest go.
				if (next.items.size > eventHistory) {
					const ids = [...next.items.keys()].sort().slice(0, next.items.size - eventHistory);
					next = list.removed(shape(panel), next, ids);
				}

				return withList(state, panel, {...next, loaded: true});
			}

			return withList(state, panel, list.upserted(shape(panel), state.lists[panel] as ListState<Item>, event.items));
		}

		case 'removed': {
			const {panel} = event;
			const gone = new Set(event.ids.filter(id => state.lists[panel].items.has(id)));
			if (gone.size === 0) return state;
			return closeStaleOverlay(withList(state, panel, list.removed(shape(panel), state.lists[panel] as ListState<Item>, event.ids)), panel, gone);
		}

		case 'problem': {
			const current = state.lists[event.panel] as ListState<Item>;
			return withList(state, event.panel, {...current, problem: event.text, loaded: true});
		}

		case 'figures': {
			const current = state.lists[event.panel] as ListState<Item>;
			// Rows move with the figures only while sorted by them.
			const sortedByThem = current.sort.key === 'cpu' || current.sort.key === 'memory';
			return withList(state, event.panel, sortedByThem ? list.rebuild(shape(event.panel), current, {figures: event.figures}) : {...current, figures: event.figures});
		}

		case 'connection': {
			return {...state, connection: event.status, connectionError: event.error};
		}

		case 'move': {
			return updateCurrent(state, current => list.moved(current, event.by));
		}

		case 'move-to': {
			return updateCurrent(state, current => list.movedTo(current, event.where));
		}

		case 'select': {
			const panel = event.panel ?? state.panel;
			const current = state.lists[panel] as ListState<Item>;
			// A selection hidden by the filter brings its row back into view (an item's, or a group's header).
			const visible = list.rowIndexOf(current.rows, event.id) !== -1 ? current : list.rebuild(shape(panel), current, {filter: ''});
			if (list.rowIndexOf(visible.rows, event.id) === -1) return state;
			return withList(state, panel, {...visible, selectedId: event.id, filterEditing: false});
		}

		case 'filter-start': {
			return {...updateCurrent(state, current => ({...current, filterEditing: true})), focus: 'list'};
		}

		case 'filter-set': {
			return updateCurrent(state, current => list.rebuild(shape(state.panel), current, {filter: event.text}));
		}

		case 'filter-accept': {
			return updateCurrent(state, current => ({...current, filterEditing: false}));
		}

		case 'filter-clear': {
			return updateCurrent(state, current => ({...list.rebuild(shape(state.panel), current, {filter: ''}), filterEditing: false}));
		}

		case 'focus': {
			const to = event.to ?? (state.focus === 'list' ? 'details' : 'list');
			return {...state, focus: to};
		}

		case 'tab': {
			const count = panels[state.panel].tabs.length;
			if (count === 0) return state;
			const index = (((state.tabs[state.panel] + event.by) % count) + count) % count;
			return {...state, tabs: {...state.tabs, [state.panel]: index}};
		}

		case 'overlay': {
			return {...state, overlay: event.overlay};
		}

		case 'panel': {
			if (event.to === state.panel) return {...state, overlay: {kind: 'none'}};
			const previous = [...state.previous.filter(kind => kind !== event.to), state.panel].slice(-10);
			return {...state, panel: event.to, previous, focus: 'list', overlay: {kind: 'none'}};
		}

		case 'back': {
			const to = state.previous.at(-1);
			if (!to) return state;
			return {...state, panel: to, previous: state.previous.slice(0, -1), focus: 'list'};
		}

		case 'mark': {
			return updateCurrent(state, current => list.toggledMark(current));
		}

		case 'mark-all': {
			return updateCurrent(state, current => list.toggledAllMarks(current));
		}

		case 'marks-clear': {
			return updateCurrent(state, current => (current.marks.size === 0 ? current : {...current, marks: new Set()}));
		}

		case 'sort': {
			return updateCurrent(state, current => list.rebuild(shape(state.panel), current, {sort: list.nextSort(current.sort, event.key)}));
		}

		case 'action-started': {
			const current = state.lists[event.panel] as ListState<Item>;
			const pending = {...current.pending};
			for (const id of event.ids) pending[id] = event.pending?.[id] ?? event.verb;
			// The marks have done their work; what each row became shows beside it instead.
			const outcomes = Object.fromEntries(Object.entries(current.outcomes).filter(([id]) => !event.ids.includes(id)));
			const run: Run = {panel: event.panel, verb: event.verb, total: event.ids.length, done: 0, failures: [], names: event.names};
			const next = withList(state, event.panel, {...current, pending, outcomes, marks: event.ids.length > 1 ? new Set() : current.marks});
			return {...next, runs: {...state.runs, [event.noticeId]: run}, notice: runNotice(run, event.noticeId, event.panel)};
		}

		case 'action-done': {
			const current = state.lists[event.panel] as ListState<Item>;
			const {[event.id]: _, ...pending} = current.pending;
			const run = state.runs[event.noticeId];
			const words = panels[event.panel].words[event.verb];
			const outcomes = run && run.total > 1 ? {...current.outcomes, [event.id]: {ok: !event.error, text: event.error ?? words?.[1] ?? event.verb, noticeId: event.noticeId}} : current.outcomes;
			const next = withList(state, event.panel, {...current, pending, outcomes});
			if (!run) return next;
			const updated: Run = {...run, done: run.done + 1, failures: event.error ? [...run.failures, {name: event.name, error: event.error}] : run.failures};
			const runs = {...state.runs};
			if (updated.done >= updated.total) delete runs[event.noticeId];
			else runs[event.noticeId] = updated;
			return {...next, runs, notice: runNotice(updated, event.noticeId, event.panel)};
		}

		case 'notice': {
			return {...state, notice: {id: event.noticeId, text: event.text, tone: event.tone}};
		}

		case 'notice-expired': {
			if (state.notice?.id !== event.noticeId) return state;
			// Outcomes beside rows go with the notice that told of them.
			let next: ScreenState = {...state, notice: undefined};
			for (const kind of Object.keys(state.lists) as PanelKind[]) {
				const current = state.lists[kind] as ListState<Item>;
				if (!Object.values(current.outcomes).some(outcome => outcome.noticeId === event.noticeId)) continue;
				next = withList(next, kind, {...current, outcomes: Object.fromEntries(Object.entries(current.outcomes).filter(([, outcome]) => outcome.noticeId !== event.noticeId))});
			}

			return next;
		}

		case 'events-pause': {
			return state.eventsPaused ? {...state, eventsPaused: false, eventsMissed: 0} : {...state, eventsPaused: true, eventsMissed: 0};
		}
	}
}
