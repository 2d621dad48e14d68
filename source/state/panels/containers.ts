// The containers panel: rows grouped by compose project, the columns `docker ps` users know plus
// CPU and memory, the detail tabs, and the lifecycle actions. Pure.
import {type Container, type ContainerState, isUp} from '../container.ts';
import {byFigure, byText, type Comparator, type Figures, type Sort} from '../list.ts';
import {formatBytes, formatPercent} from '../stats.ts';
import {currentStatus} from '../status-text.ts';
import {type ActionSpec, capitalised, type Column, describeItems, layoutColumns, type PanelModel, type Question, type Usage, yesNo} from './panel.ts';

const stateOrder: Record<ContainerState, number> = {running: 0, restarting: 1, paused: 2, created: 3, removing: 4, exited: 5, dead: 6};

const byName = byText<Container>(container => container.name, container => container.id);

/** Each key's natural direction: names A to Z, states running first, the busiest and the newest first. */
function comparator(sort: Sort, figures: ReadonlyMap<string, Figures>): Comparator<Container> {
	const direction = sort.reverse ? -1 : 1;
	const primary: Comparator<Container> =
		sort.key === 'name'
			? (a, b) => byName(a, b) * direction
			: sort.key === 'state'
				? (a, b) => (stateOrder[a.state] - stateOrder[b.state]) * direction
				: sort.key === 'created'
					? (a, b) => (b.created - a.created) * direction
					: sort.key === 'cpu' || sort.key === 'memory'
						? byFigure(figures, sort.key, direction)
						: (a, b) => (Number(isUp(b)) - Number(isUp(a))) * direction;
	return (a, b) => primary(a, b) || byName(a, b);
}

export const containerWords = {
	start: ['starting', 'started'],
	stop: ['stopping', 'stopped'],
	restart: ['restarting', 'restarted'],
	pause: ['pausing', 'paused'],
	unpause: ['unpausing', 'unpaused'],
	kill: ['killing', 'killed'],
	remove: ['removing', 'removed'],
} as const;

const isRunningNow = (container: Container) => container.state === 'running' || container.state === 'paused' || container.state === 'restarting';

const label = (container: Container) => container.name;
const describe = (items: readonly Container[]) => describeItems(items, label, 'containers');

/** Bulk actions ask first; so does remove, and a running container can only be force-removed. */
function askRemove(items: readonly Container[]): Question {
	const running = items.filter(isRunningNow);
	if (running.length === 0) return yesNo(`Remove ${describe(items)}?`);
	const why = items.length === 1 ? `${items[0]!.name} is running.` : `Remove ${describe(items)}? ${running.length} ${running.length === 1 ? 'is' : 'are'} running:`;
	return {text: items.length === 1 ? `${why} Force remove it?` : why, choices: [{key: 'f', label: 'force', force: true}, {key: 'n', label: 'cancel'}]};
}

const lifecycle = (command: string, verb: string): ActionSpec<Container> => ({command, verb, bulk: true, ask: items => yesNo(`${capitalised(verb)} ${describe(items)}?`)});

const cpuTitle = 'CPU';

const columns: ReadonlyArray<Column<Container>> = [
	{title: 'NAME', weight: 0.55, min: 6, cell: container => container.name, sortKey: 'name', ascending: true},
	{title: 'IMAGE', weight: 0.45, min: 4, cell: container => container.image},
	{
		title: 'STATE',
		// Wide enough for the longest pending word, "restarting…".
		width: () => 11,
		cell: (container, context) => (context.pending ? `${containerWords[context.pending as keyof typeof containerWords]?.[0] ?? context.pending}…` : container.state),
		tone: (container, context) => (context.pending ? 'progress' : `state.${container.state}`),
		sortKey: 'state',
		ascending: true,
	},
	{
		title: 'STATUS',
		width: total => (total >= 100 ? 26 : total >= 90 ? 22 : total >= 70 ? 16 : 14),
		cell: (container, context) => currentStatus(container.status, container.statusAt, context.now),
		// Age is read from the status column ("Up 3 hours").
		sortKey: 'created',
		ascending: false,
	},
	// CPU and memory once there is room for the names beside them.
	{
		title: cpuTitle,
		width: total => (total >= 60 ? 6 : 0),
		align: 'right',
		cell: (container, context) => (container.state === 'running' && context.figures?.cpu !== undefined ? formatPercent(context.figures.cpu) : ''),
		sortKey: 'cpu',
		ascending: false,
	},
	{
		title: 'MEM',
		width: total => (total >= 60 ? 7 : 0),
		align: 'right',
		cell: (container, context) => (container.state === 'running' && context.figures?.memory !== undefined ? formatBytes(context.figures.memory) : ''),
		sortKey: 'memory',
		ascending: false,
	},
	{title: 'PORTS', width: total => (total >= 120 ? Math.min(28, Math.floor(total * 0.18)) : 0), cell: container => container.ports},
];

export const containersPanel: PanelModel<Container> = {
	kind: 'containers',
	title: 'Containers',
	noun: ['container', 'containers'],
	names: ['containers', 'ctr', 'ps', 'co'],
	filterKeys: ['name', 'image'],
	comparator,
	groupOf: container => container.project,
	groupDetail: members => `${members.filter(isUp).length}/${members.length} running`,
	groupNoun: 'compose project',
	groupHints: ['stop', 'restart', 'logs', 'composeUp', 'composeDown'],
	columns,
	tabs: ['Logs', 'Stats', 'Top', 'Inspect', 'Env', 'Config'],
	actions: [
		lifecycle('start', 'start'),
		lifecycle('stop', 'stop'),
		lifecycle('restart', 'restart'),
		{command: 'pause', verb: 'pause', verbFor: container => (container.state === 'paused' ? 'unpause' : 'pause'), bulk: true, ask: items => yesNo(`Pause or unpause ${describe(items)}?`)},
		lifecycle('kill', 'kill'),
		{command: 'remove', verb: 'remove', bulk: true, ask: askRemove, askOne: true},
	],
	commands: [
		{command: 'logs', target: 'selected', orGroup: true},
		{command: 'logsAll', target: 'listed'},
		{command: 'shell', target: 'selected'},
		{command: 'exec', target: 'selected', prompt: {text: 'run in the container:'}},
		{command: 'attach', target: 'selected'},
		{command: 'composeUp', target: 'group'},
		{
			command: 'composeDown',
			target: 'group',
			ask: items => yesNo(`compose down ${items[0]?.project ?? ''}: stop and remove its ${items.length === 1 ? 'container' : `${items.length} containers`} and its networks?`),
		},
		{command: 'composePull', target: 'group'},
		{command: 'composeBuild', target: 'group'},
		{command: 'composeRestart', target: 'selected'},
		{command: 'composeRecreate', target: 'selected'},
	],
	words: containerWords,
	label,
	hints(container) {
		if (!container) return [];
		const up = container.state === 'running' || container.state === 'restarting';
		const lifecycle = container.state === 'paused' ? ['pause:unpause'] : up ? ['stop', 'restart', 'pause'] : ['start'];
		return [...lifecycle, 'logs', ...(container.state === 'running' ? ['shell'] : []), 'remove'];
	},
	sorts: {sortName: 'name', sortState: 'state', sortCpu: 'cpu', sortMemory: 'memory', sortCreated: 'created'},
};

/** Whether a list this wide (its rows' width) shows the CPU and memory columns, so that figures are worth reading. */
export function figuresShown(total: number): boolean {
	return layoutColumns(columns, total).shown[columns.findIndex(column => column.title === cpuTitle)] ?? false;
}

/** The sort keys whose figures must be read for every running container, not only those on screen. */
export const figureSorts = new Set(['cpu', 'memory']);

/** Which containers use each image, volume and network, by name, from the container list. */
export function usageOf(containers: Iterable<Container>): Usage {
	const byImage = new Map<string, string[]>();
	const byVolume = new Map<string, string[]>();
	const byNetwork = new Map<string, string[]>();
	const add = (map: Map<string, string[]>, key: string, name: string) => {
		const names = map.get(key);
		if (names) names.push(name);
		else map.set(key, [name]);
	};

	for (const container of containers) {
		if (container.imageId) add(byImage, container.imageId, container.name);
		for (const volume of container.volumes ?? []) add(byVolume, volume, container.name);
		for (const network of container.networks ?? []) add(byNetwork, network, container.name);
	}

	return {byImage, byVolume, byNetwork};
}
