// What the screens may ask of an engine: the live feed, and the operations each panel needs,
// each rejecting with a RequestError (the engine's own words). This is the UI's only way to an
// engine; no dockerode object reaches a component or a hook, and component tests give the App a
// stand-in of this shape.
import type Docker from 'dockerode';
import type {InspectRecord} from '../state/details.ts';
import type {DiskItem} from '../state/panels/disk.ts';
import type {ImageItem} from '../state/panels/images.ts';
import type {NetworkItem} from '../state/panels/networks.ts';
import type {VolumeItem} from '../state/panels/volumes.ts';
import type {PullMessage} from '../state/pull-progress.ts';
import type {StatsRecord} from '../state/stats.ts';
import {hostEnvironment} from './compose/compose-cli.ts';
import {type Connection, engineLabelOf} from './connect/connect.ts';
import {request} from './errors.ts';
import type {EngineEvent} from './event-stream.ts';
import {eventAction, eventType} from './event-stream.ts';
import type {Lister, ResourceFeed} from './feed.ts';
import {logAccess, LogPipeline, type LogTarget, type PipelineOptions, type PipelineSink} from './logs/log-pipeline.ts';
import {createContainer, inspectContainer, renameContainer, runAction, signalContainer} from './resources/containers.ts';
import {findShell, openAttach, openExec, type AttachInfo, type ExecOptions, type Session} from './resources/sessions.ts';
import {type HistoryEntry, imageHistory, type ImageRecord, inspectImage, listImages, pruneImages, pullImage, type PruneResult, removeImage, tagImage} from './resources/images.ts';
import {inspectNetwork, listNetworks, pruneNetworks, removeNetwork} from './resources/networks.ts';
import {type ProcessTable, readProcesses, readStatsOnce, type StatsStream, streamStats} from './resources/stats.ts';
import {diskUsage, type MachineInfo, machineInfo} from './resources/system.ts';
import {inspectVolume, listVolumes, pruneVolumes, removeVolume} from './resources/volumes.ts';

export type {MachineInfo} from './resources/system.ts';
export type {PruneResult, HistoryEntry, ImageRecord} from './resources/images.ts';
export type {ProcessTable, StatsStream} from './resources/stats.ts';
export type {AttachInfo, ExecOptions, Session} from './resources/sessions.ts';

export type WatchedKind = 'images' | 'volumes' | 'networks' | 'disk';

export type Listers = {
	images: Lister<ImageItem>;
	volumes: Lister<VolumeItem>;
	networks: Lister<NetworkItem>;
	disk: Lister<DiskItem>;
};

export type EngineClient = {
	/** Where it is: "unix:///var/run/docker.sock", "ssh://me@box". */
	readonly url: string;
	/** What it is: "Docker 20.10.24", "berth engine 0.1.0". */
	readonly label: string;
	readonly isBerthEngine: boolean;
	/** The environment that points a docker or compose CLI at this engine. */
	readonly hostEnv: Record<string, string | undefined>;
	readonly feed: ResourceFeed;
	readonly listers: Listers;
	readonly containers: {
		inspect(id: string): Promise<InspectRecord>;
		act(id: string, verb: string, options?: {force?: boolean}): Promise<void>;
		stats(id: string, handlers: {onRecord(record: StatsRecord): void; onEnd(error?: string): void}): StatsStream;
		statsOnce(id: string, signal?: AbortSignal): Promise<StatsRecord>;
		top(id: string): Promise<ProcessTable>;
		/** Creates a container (not started) from a create request; its id. */
		create(request: Record<string, unknown>): Promise<string>;
		rename(id: string, name: string): Promise<void>;
		/** Sends a signal to the main process ("SIGINT"). */
		signal(id: string, signal: string): Promise<void>;
		/** The path of the best shell the container has (bash, then ash, then sh), or undefined. */
		findShell(id: string): Promise<string | undefined>;
		exec(id: string, options: ExecOptions): Promise<Session>;
		attach(id: string, detachKeys: string): Promise<{session: Session; info: AttachInfo}>;
	};
	readonly images: {
		inspect(reference: string): Promise<ImageRecord>;
		history(reference: string): Promise<HistoryEntry[]>;
		remove(reference: string, force: boolean): Promise<void>;
		tag(imageId: string, reference: string): Promise<void>;
		pull(reference: string, onMessage: (message: PullMessage) => void, signal?: AbortSignal): Promise<void>;
		prune(mode: 'dangling' | 'unused'): Promise<PruneResult>;
	};
	readonly volumes: {inspect(name: string): Promise<Record<string, unknown>>; remove(name: string): Promise<void>; prune(): Promise<PruneResult>};
	readonly networks: {inspect(id: string): Promise<Record<string, unknown>>; remove(id: string): Promise<void>; prune(): Promise<PruneResult>};
	readonly system: {machine(): Promise<MachineInfo>};
	/** A log pipeline over this engine, following restarts through the feed's events. */
	logs(targets: LogTarget[], options: PipelineOptions, sink: PipelineSink): LogPipeline;
	/** Stops the feed and closes kept-alive connections. */
	close(): void;
};

const ofType = (type: string, actions?: RegExp) => (event: EngineEvent) => eventType(event) === type && (!actions || actions.test(eventAction(event)));

/** How each kind is listed, and which events change it. */
export const listers: Listers = {
	images: {list: listImages, affectedBy: ofType('image')},
	volumes: {list: listVolumes, affectedBy: ofType('volume', /^(create|destroy)$/)},
	networks: {list: listNetworks, affectedBy: ofType('network', /^(create|destroy|remove)$/)},
	// dockerd measures every layer and volume to answer: not more than once every 5 s.
	disk: {
		list: diskUsage,
		affectedBy: event => ofType('image')(event) || ofType('volume', /^(create|destroy)$/)(event) || ofType('container', /^(create|destroy|die|commit)$/)(event),
		spacingMs: 5000,
	},
};

export function createEngineClient(connection: Connection, feed: ResourceFeed): EngineClient {
	const docker: Docker = connection.docker;
	const access = logAccess(docker);
	return {
		url: connection.endpoint.url,
		label: engineLabelOf(connection),
		isBerthEngine: connection.serverName === 'berth',
		hostEnv: hostEnvironment(connection.endpoint),
		feed,
		listers,
		containers: {
			inspect: id => request(() => inspectContainer(docker, id)),
			act: (id, verb, options = {}) => request(() => runAction(docker, id, verb, options)),
			stats: (id, handlers) => streamStats(docker, id, handlers),
			statsOnce: (id, signal) => request(() => readStatsOnce(docker, id, signal)),
			top: id => request(() => readProcesses(docker, id)),
			create: body => request(() => createContainer(docker, body)),
			rename: (id, name) => request(() => renameContainer(docker, id, name)),
			signal: (id, signal) => request(() => signalContainer(docker, id, signal)),
			findShell: id => request(() => findShell(docker, id)),
			exec: (id, options) => request(() => openExec(docker, id, options)),
			attach: (id, detachKeys) => request(() => openAttach(docker, id, detachKeys)),
		},
		images: {
			inspect: reference => request(() => inspectImage(docker, reference)),
			history: reference => request(() => imageHistory(docker, reference)),
			remove: (reference, force) => request(() => removeImage(docker, reference, force)),
			tag: (imageId, reference) => request(() => tagImage(docker, imageId, reference)),
			pull: (reference, onMessage, signal) => request(() => pullImage(docker, reference, onMessage, signal)),
			prune: mode => request(() => pruneImages(docker, mode)),
		},
		volumes: {
			inspect: name => request(() => inspectVolume(docker, name)),
			remove: name => request(() => removeVolume(docker, name)),
			prune: () => request(() => pruneVolumes(docker, connection.apiVersion)),
		},
		networks: {
			inspect: id => request(() => inspectNetwork(docker, id)),
			remove: id => request(() => removeNetwork(docker, id)),
			prune: () => request(() => pruneNetworks(docker)),
		},
		system: {machine: () => request(() => machineInfo(docker))},
		logs: (targets, options, sink) => new LogPipeline(access, targets, options, sink, {subscribe: handler => feed.onEvent(handler)}),
		close() {
			feed.stop();
			connection.close();
		},
	};
}
