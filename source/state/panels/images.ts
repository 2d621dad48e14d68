// The images panel: a row per tag, as `docker images` lists them, with dangling images marked,
// the containers that use each, and remove, tag, pull and prune. Pure.
import {humanDuration} from '../../shared/durations.ts';
import {byText, type Comparator, type Sort} from '../list.ts';
import {describeItems, formatSize, type Column, type PanelModel, type Question} from './panel.ts';

export type ImageItem = {
	/** The row's key: one image has a row per tag. */
	id: string;
	/** sha256:… */
	imageId: string;
	repository: string;
	tag: string;
	/** What `docker rmi` is given for this row: the tag, or the short id when it has none. */
	reference: string;
	/** Seconds since the epoch. */
	created: number;
	size: number;
	/** It has no tag: `docker image prune` removes it unless a container uses it. */
	dangling: boolean;
	/** "busybox:latest", or "<none>:<none>". */
	name: string;
};

export const shortId = (id: string) => id.replace(/^sha256:/, '').slice(0, 12);

/** "3 weeks ago", as docker images words it. */
export function ago(seconds: number, now: number): string {
	if (!seconds) return '';
	return `${humanDuration(Math.max(0, now / 1000 - seconds))} ago`;
}

const byName = byText<ImageItem>(image => image.name, image => image.id);

function comparator(sort: Sort): Comparator<ImageItem> {
	const direction = sort.reverse ? -1 : 1;
	const primary: Comparator<ImageItem> =
		sort.key === 'created'
			? (a, b) => (b.created - a.created) * direction
			: sort.key === 'size'
				? (a, b) => (b.size - a.size) * direction
				: sort.key === 'name'
					? (a, b) => byName(a, b) * direction
					: // Tagged images by name, then the untagged ones, newest first.
						(a, b) => Number(a.repository === '<none>') - Number(b.repository === '<none>') || (a.repository === '<none>' ? b.created - a.created : 0);
	return (a, b) => primary(a, b) || byName(a, b);
}

const users = (image: ImageItem, usage: {byImage: ReadonlyMap<string, readonly string[]>}) => usage.byImage.get(image.imageId) ?? [];

const columns: ReadonlyArray<Column<ImageItem>> = [
	{
		title: 'REPOSITORY:TAG',
		weight: 1,
		min: 12,
		cell: image => (image.dangling ? `${image.name} (dangling)` : image.name),
		tone: image => (image.dangling ? 'muted' : undefined),
		sortKey: 'name',
		ascending: true,
	},
	{title: 'IMAGE ID', width: total => (total >= 56 ? 12 : 0), cell: image => shortId(image.imageId)},
	{title: 'CREATED', width: total => (total >= 90 ? 18 : 14), cell: (image, context) => ago(image.created, context.now), sortKey: 'created', ascending: false},
	{title: 'SIZE', width: () => 8, align: 'right', cell: image => formatSize(image.size), sortKey: 'size', ascending: false},
	{title: 'USED BY', width: total => (total >= 70 ? 8 : 0), align: 'right', cell: (image, context) => String(users(image, context.usage).length || '')},
];

const label = (image: ImageItem) => (image.repository === '<none>' ? shortId(image.imageId) : image.name);

/** In use, an image is refused unless forced (the daemon says so); force is offered every time. */
const askRemove = (items: readonly ImageItem[]): Question => ({
	text: `Remove ${describeItems(items, label, 'images')}?`,
	choices: [
		{key: 'y', label: 'yes'},
		{key: 'f', label: 'force', force: true},
		{key: 'n', label: 'no'},
	],
});

export const imagesPanel: PanelModel<ImageItem> = {
	kind: 'images',
	title: 'Images',
	noun: ['image', 'images'],
	names: ['images', 'img', 'image', 'im'],
	filterKeys: ['name', 'reference'],
	comparator,
	columns,
	tabs: ['Inspect', 'History', 'Config', 'Containers'],
	actions: [{command: 'remove', verb: 'remove', bulk: true, ask: askRemove, askOne: true}],
	commands: [
		{command: 'tag', target: 'selected', prompt: {text: 'Tag as', initial: image => (image && image.repository !== '<none>' ? `${image.repository}:` : '')}},
		{command: 'pull', target: 'none', prompt: {text: 'Pull image'}},
		{
			command: 'prune',
			target: 'none',
			ask: () => ({
				text: 'Prune images?',
				choices: [
					{key: 'd', label: 'dangling only', verb: 'dangling'},
					{key: 'a', label: 'all unused', verb: 'unused'},
					{key: 'n', label: 'no'},
				],
			}),
		},
	],
	words: {remove: ['removing', 'removed']},
	label,
	idOf: image => image.imageId,
	hints: image => (image ? ['remove', 'tag', 'pull', 'prune'] : ['pull', 'prune']),
	sorts: {sortName: 'name', sortCreated: 'created', sortSize: 'size'},
};
