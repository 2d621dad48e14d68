// The events panel: the engine's event stream as a list, newest first, kept to a bounded
// history; filtered like any list, paused and resumed, and Enter goes to what an event is about
// while it still exists. Pure.
import type {Comparator, Sort} from '../list.ts';
import type {Column, PanelModel} from './panel.ts';
import type {PanelKind} from './panel.ts';

export type EventItem = {
	/** The arrival order, zero-padded so that it sorts as text too. */
	id: string;
	/** Nanoseconds since the epoch. */
	time: number;
	type: string;
	action: string;
	actorId: string;
	/** The actor's name where the event gives one, else its short id. */
	actorName: string;
	attributes: Readonly<Record<string, string>>;
};

/** How many events the panel keeps. */
export const eventHistory = 1000;

export const eventId = (sequence: number) => `e${String(sequence).padStart(10, '0')}`;

/** "14:05:09", local time, as a person reads a clock. */
export function clock(nanoseconds: number): string {
	const date = new Date(nanoseconds / 1e6);
	const two = (value: number) => String(value).padStart(2, '0');
	return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}

function comparator(sort: Sort): Comparator<EventItem> {
	const newestFirst: Comparator<EventItem> = (a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
	return sort.reverse ? (a, b) => -newestFirst(a, b) : newestFirst;
}

const columns: ReadonlyArray<Column<EventItem>> = [
	{title: 'TIME', width: () => 8, cell: event => clock(event.time)},
	{title: 'TYPE', width: () => 9, cell: event => event.type, tone: () => 'muted'},
	{title: 'ACTION', weight: 0.4, min: 8, cell: event => event.action, tone: event => (/^(die|kill|oom|destroy|delete|remove)/.test(event.action) ? 'error' : /^(start|create|pull|tag)/.test(event.action) ? 'success' : undefined)},
	{title: 'NAME', weight: 0.6, min: 8, cell: event => event.actorName},
];

/** Which panel shows what an event is about, if any does. */
export function panelOfEvent(event: EventItem): PanelKind | undefined {
	const kinds: Record<string, PanelKind> = {container: 'containers', image: 'images', volume: 'volumes', network: 'networks'};
	return kinds[event.type];
}

/** The event's fields, for its detail tab. */
export function eventLines(event: EventItem): string[] {
	const lines = [`Time      ${new Date(event.time / 1e6).toISOString()}`, `Type      ${event.type}`, `Action    ${event.action}`, `Actor     ${event.actorId}`, '', 'Attributes'];
	const attributes = Object.entries(event.attributes).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
	lines.push(...(attributes.length > 0 ? attributes.map(([key, value]) => `  ${key}=${value}`) : ['  -']));
	return lines;
}

export const eventsPanel: PanelModel<EventItem> = {
	kind: 'events',
	title: 'Events',
	noun: ['event', 'events'],
	names: ['events', 'ev', 'event'],
	filterKeys: ['actorName', 'action', 'type'],
	comparator,
	columns,
	tabs: ['Details'],
	actions: [],
	commands: [{command: 'pauseEvents', target: 'none'}],
	enter: 'jump',
	words: {},
	label: event => event.actorName,
	idOf: event => event.actorId,
	hints: event => (event ? ['drillIn', 'pauseEvents'] : ['pauseEvents']),
	sorts: {},
};
