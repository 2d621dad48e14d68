// What each detail tab shows, by panel: read from the engine for the selected row (an inspect,
// a history), worked out from what the screen already has (who uses an image), or one of the
// containers' live tabs (logs, stats, processes), which have hooks of their own.
import type {EngineClient} from '../../client/engine-client.ts';
import type {Container} from '../../state/container.ts';
import {configLines, envLines, historyLines, imageConfigLines, type InspectRecord, inspectLines} from '../../state/details.ts';
import type {Item} from '../../state/list.ts';
import {type DiskItem, diskEntryLines} from '../../state/panels/disk.ts';
import {type EventItem, eventLines} from '../../state/panels/events.ts';
import {ago, type ImageItem} from '../../state/panels/images.ts';
import type {NetworkItem} from '../../state/panels/networks.ts';
import {formatSize, type PanelKind, type Usage} from '../../state/panels/panel.ts';
import type {VolumeItem} from '../../state/panels/volumes.ts';
import {currentStatus} from '../../state/status-text.ts';

export type TabContext = {now: number; usage: Usage; containers: ReadonlyMap<string, Container>};

export type TabSource =
	/** Read from the engine: tabs of one group share the read (Inspect, Env and Config one inspect). */
	| {kind: 'load'; group: string; key?(item: Item): string; load(client: EngineClient, item: Item): Promise<unknown>; lines(value: unknown, context: TabContext): string[]}
	| {kind: 'derived'; lines(item: Item, context: TabContext): string[]}
	| {kind: 'logs' | 'stats' | 'top'};

const json = (value: unknown) => JSON.stringify(value, null, 2).split('\n');

/** The containers named, one a line with their state, as the Containers tabs list them. */
function containerLines(ids: readonly string[] | undefined, context: TabContext, none: string): string[] {
	const users = [...context.containers.values()].filter(container => ids?.includes(container.name));
	if (users.length === 0) return [none];
	const width = Math.max(...users.map(container => container.name.length));
	return users.map(container => `${container.name.padEnd(width)}  ${container.state.padEnd(10)} ${currentStatus(container.status, container.statusAt, context.now)}`);
}

const containerInspect = (lines: (record: InspectRecord) => string[]): TabSource => ({
	kind: 'load',
	group: 'inspect',
	// Read again when the container's state changes.
	key: item => `${(item as Container).state} ${(item as Container).status}`,
	load: (client, item) => client.containers.inspect(item.id),
	lines: value => lines(value as InspectRecord),
});

const imageInspect = (lines: (value: unknown) => string[]): TabSource => ({kind: 'load', group: 'inspect', load: (client, item) => client.images.inspect((item as ImageItem).imageId), lines});

export const tabSources: Readonly<Record<PanelKind, Readonly<Record<string, TabSource>>>> = {
	containers: {
		Logs: {kind: 'logs'},
		Stats: {kind: 'stats'},
		Top: {kind: 'top'},
		Inspect: containerInspect(inspectLines),
		Env: containerInspect(envLines),
		Config: containerInspect(configLines),
	},
	images: {
		Inspect: imageInspect(json),
		History: {
			kind: 'load',
			group: 'history',
			load: (client, item) => client.images.history((item as ImageItem).imageId),
			lines: (value, context) => historyLines(value as [], context.now, ago, formatSize),
		},
		Config: imageInspect(value => imageConfigLines(value as {})),
		Containers: {kind: 'derived', lines: (item, context) => containerLines(context.usage.byImage.get((item as ImageItem).imageId), context, '(no container uses this image)')},
	},
	volumes: {
		Inspect: {kind: 'load', group: 'inspect', load: (client, item) => client.volumes.inspect((item as VolumeItem).name), lines: json},
		Containers: {kind: 'derived', lines: (item, context) => containerLines(context.usage.byVolume.get((item as VolumeItem).name), context, '(no container mounts this volume)')},
	},
	networks: {
		Inspect: {kind: 'load', group: 'inspect', load: (client, item) => client.networks.inspect(item.id), lines: json},
		Containers: {kind: 'derived', lines: (item, context) => containerLines(context.usage.byNetwork.get((item as NetworkItem).id), context, '(no container is attached)')},
	},
	events: {Details: {kind: 'derived', lines: item => eventLines(item as EventItem)}},
	disk: {Items: {kind: 'derived', lines: item => diskEntryLines(item as DiskItem)}},
};
