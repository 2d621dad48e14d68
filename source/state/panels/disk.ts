// Disk usage, as `docker system df` shows it: images, containers, local volumes and the build
// cache, each with what is in use and what could be reclaimed; the Items tab lists the largest
// of each kind. Pure.
import type {Comparator} from '../list.ts';
import {formatSize, type Column, type PanelModel} from './panel.ts';

export type DiskItem = {
	id: 'images' | 'containers' | 'volumes' | 'build-cache';
	type: string;
	total: number;
	active: number;
	size: number;
	reclaimable: number;
	/** The items of this kind, largest first: name, size and whether something uses it. */
	entries: ReadonlyArray<{name: string; size: number; active: boolean}>;
};

const order = ['images', 'containers', 'volumes', 'build-cache'];
const comparator = (): Comparator<DiskItem> => (a, b) => order.indexOf(a.id) - order.indexOf(b.id);

/** "1.2GB (45%)", as docker system df words it. */
export function reclaimableText(item: DiskItem): string {
	const share = item.size > 0 ? Math.round((item.reclaimable / item.size) * 100) : 0;
	return `${formatSize(item.reclaimable)} (${share}%)`;
}

const columns: ReadonlyArray<Column<DiskItem>> = [
	{title: 'TYPE', width: () => 14, cell: item => item.type},
	{title: 'TOTAL', width: () => 6, align: 'right', cell: item => String(item.total)},
	{title: 'ACTIVE', width: () => 6, align: 'right', cell: item => String(item.active)},
	{title: 'SIZE', width: () => 9, align: 'right', cell: item => formatSize(item.size)},
	{title: 'RECLAIMABLE', weight: 1, min: 12, cell: item => reclaimableText(item)},
];

export function diskEntryLines(item: DiskItem, limit = 500): string[] {
	if (item.entries.length === 0) return [`(no ${item.type.toLowerCase()})`];
	const width = Math.min(60, Math.max(...item.entries.map(entry => entry.name.length)));
	return item.entries.slice(0, limit).map(entry => `${entry.name.padEnd(width)}  ${formatSize(entry.size).padStart(8)}  ${entry.active ? 'in use' : ''}`);
}

export const diskPanel: PanelModel<DiskItem> = {
	kind: 'disk',
	title: 'Disk usage',
	noun: ['kind', 'kinds'],
	names: ['disk', 'df', 'system-df'],
	filterKeys: ['type'],
	comparator,
	columns,
	tabs: ['Items'],
	actions: [],
	commands: [],
	words: {},
	label: item => item.type,
	hints: () => [],
	sorts: {},
};
