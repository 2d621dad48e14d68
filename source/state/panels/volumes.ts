// The volumes panel: each named volume with its driver, where it lives, its size where the
// engine reports it, and the containers that mount it; remove and prune. Pure.
import {byText, type Comparator, type Sort} from '../list.ts';
import {describeItems, formatSize, type Column, type PanelModel, yesNo} from './panel.ts';
import {ago} from './images.ts';

export type VolumeItem = {
	/** The volume's name, which is its key. */
	id: string;
	name: string;
	driver: string;
	mountpoint: string;
	/** Seconds since the epoch; 0 when unknown. */
	created: number;
	/** Bytes, where the engine reports it without being asked to measure. */
	size?: number;
	scope: string;
};

const byName = byText<VolumeItem>(volume => volume.name);

function comparator(sort: Sort): Comparator<VolumeItem> {
	const direction = sort.reverse ? -1 : 1;
	if (sort.key === 'created') return (a, b) => (b.created - a.created) * direction || byName(a, b);
	return (a, b) => byName(a, b) * direction;
}

const users = (volume: VolumeItem, usage: {byVolume: ReadonlyMap<string, readonly string[]>}) => usage.byVolume.get(volume.name) ?? [];

const columns: ReadonlyArray<Column<VolumeItem>> = [
	{title: 'NAME', weight: 0.35, min: 10, cell: volume => volume.name, sortKey: 'name', ascending: true},
	{title: 'DRIVER', width: () => 7, cell: volume => volume.driver},
	{title: 'MOUNTPOINT', weight: 0.4, min: 8, cell: volume => volume.mountpoint},
	{title: 'CREATED', width: total => (total >= 100 ? 14 : 0), cell: (volume, context) => ago(volume.created, context.now), sortKey: 'created', ascending: false},
	{title: 'SIZE', width: () => 7, align: 'right', cell: volume => formatSize(volume.size)},
	{title: 'USED BY', weight: 0.25, min: 7, cell: (volume, context) => users(volume, context.usage).join(', ')},
];

const label = (volume: VolumeItem) => volume.name;

export const volumesPanel: PanelModel<VolumeItem> = {
	kind: 'volumes',
	title: 'Volumes',
	noun: ['volume', 'volumes'],
	names: ['volumes', 'vol', 'volume', 'vo'],
	filterKeys: ['name', 'driver'],
	comparator,
	columns,
	tabs: ['Inspect', 'Containers'],
	actions: [{command: 'remove', verb: 'remove', bulk: true, askOne: true, ask: items => yesNo(`Remove ${items.length === 1 ? 'volume ' : ''}${describeItems(items, label, 'volumes')}?`)}],
	commands: [{command: 'prune', target: 'none', ask: () => yesNo('Prune every volume no container uses?')}],
	words: {remove: ['removing', 'removed']},
	label,
	hints: item => (item ? ['remove', 'prune'] : ['prune']),
	sorts: {sortName: 'name', sortCreated: 'created'},
};
