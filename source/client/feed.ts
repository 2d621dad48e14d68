// A live picture of the engine from its event stream, not by polling. The stream is opened
// first, then the container list is read, so nothing that happens in between is lost; this
// starts as soon as the engine's address is known, before the UI has loaded, so that the first
// frame can show the list. Containers named in a burst of events are re-read with one request.
// Other kinds (images, volumes, networks, disk usage) are listed only once a panel asks for
// them, and again after each burst of their own events. Every event is also kept (a bounded
// history) for the events panel, and handed to whoever follows them. When the stream breaks,
// it reconnects with back-off and lists everything again.
import type Docker from 'dockerode';
import type {Container} from '../state/container.ts';
import {eventHistory, eventId, type EventItem} from '../state/panels/events.ts';
import {daemonMessage, type RequestError, toRequestError} from './errors.ts';
import {type EngineEvent, eventAction, eventActor, eventType, readEvents} from './event-stream.ts';
import {fetchContainers, listContainers} from './resources/containers.ts';

export type ContainerHandlers = {
	synced(containers: Container[]): void;
	upserted(containers: Container[]): void;
	removed(ids: string[]): void;
	connection(status: 'connected' | 'disconnected', error?: string): void;
};

export type ListHandlers<T> = {synced(items: T[]): void; failed(error: RequestError): void};

/** How each watched kind is listed, and which events make it list again. */
export type Lister<T> = {list(docker: Docker): Promise<T[]>; affectedBy(event: EngineEvent): boolean; /** The least time between two lists (some are costly). */ spacingMs?: number};

export type ResourceFeed = {
	subscribe(handlers: ContainerHandlers): () => void;
	/** What has arrived so far, before anyone subscribed: the UI starts from it. */
	early(): {containers?: Container[]; connected: boolean};
	/** Called once, when the first full list arrives (at once if it has). */
	onFirstList(callback: (containers: Container[]) => void): void;
	/** Lists a kind now, and again after its events, until the returned function is called. */
	watch<T>(lister: Lister<T>, handlers: ListHandlers<T>): () => void;
	/** Every event as it comes, in the bursts they come in. */
	onEvents(handler: (events: EventItem[]) => void): () => void;
	/** Each event as it comes, for those that follow single events (the log pipeline). */
	onEvent(handler: (event: EngineEvent) => void): () => void;
	/** The events kept so far, oldest first. */
	recentEvents(): EventItem[];
	stop(): void;
};

const upActions = new Set(['start', 'restart', 'unpause']);
const downActions = new Set(['die', 'stop', 'oom']);

/** Container actions that change nothing the list shows. */
const ignoredActions = /^(exec_|attach|detach|resize|top|archive-path|extract-to-dir|export|commit|copy)/;

export function toEventItem(event: EngineEvent, sequence: number): EventItem {
	const attributes = event.Actor?.Attributes ?? {};
	const actorId = eventActor(event);
	const time = event.timeNano ?? (event.time ? event.time * 1e9 : Date.now() * 1e6);
	return {id: eventId(sequence), time, type: eventType(event), action: eventAction(event), actorId, actorName: attributes.name ?? attributes.container ?? (actorId.length > 20 ? actorId.replace(/^sha256:/, '').slice(0, 12) : actorId), attributes};
}

/** `onStop` runs when the feed stops (a feed with a client of its own closes it there). */
export function startResourceFeed(docker: Docker, {coalesceMs = 40, onStop}: {coalesceMs?: number; onStop?: () => void} = {}): ResourceFeed {
	let stopped = false;
	let stream: (NodeJS.ReadableStream & {destroy?: () => void}) | undefined;
	let retryTimer: NodeJS.Timeout | undefined;
	let flushTimer: NodeJS.Timeout | undefined;
	let attempt = 0;
	const dirty = new Set<string>();
	// What the last event said a container's state now is. dockerd announces an exit a moment
	// before its list shows it, so a read that disagrees is tried again shortly.
	const expected = new Map<string, {up: boolean; retries: number}>();

	let subscriber: ContainerHandlers | undefined;
	// What arrived before anyone subscribed (kept only until then).
	let pending: {containers?: Map<string, Container>; connection?: {status: 'connected' | 'disconnected'; error?: string}} | undefined = {};
	let firstList: Container[] | undefined;
	let firstListWaiter: ((containers: Container[]) => void) | undefined;

	const history: EventItem[] = [];
	let sequence = 0;
	let burst: EventItem[] = [];
	let burstTimer: NodeJS.Timeout | undefined;
	const eventBatchHandlers = new Set<(events: EventItem[]) => void>();
	const eventHandlers = new Set<(event: EngineEvent) => void>();
	const watchers = new Set<Watcher>();

	type Watcher = {lister: Lister<unknown>; handlers: ListHandlers<unknown>; timer?: NodeJS.Timeout; busy: boolean; again: boolean; lastAt: number; relist(): void; stop(): void};

	const containers: ContainerHandlers = {
		synced(list) {
			if (!firstList) {
				firstList = list;
				firstListWaiter?.(list);
				firstListWaiter = undefined;
			}

			if (subscriber) subscriber.synced(list);
			else if (pending) pending.containers = new Map(list.map(container => [container.id, container]));
		},
		upserted(list) {
			if (subscriber) subscriber.upserted(list);
			else for (const container of list) pending?.containers?.set(container.id, container);
		},
		removed(ids) {
			if (subscriber) subscriber.removed(ids);
			else for (const id of ids) pending?.containers?.delete(id);
		},
		connection(status, error) {
			if (subscriber) subscriber.connection(status, error);
			else if (pending) pending.connection = {status, error};
		},
	};

	// One re-read at a time: two in flight can answer out of order, and the older answer (a
	// container still running) would overwrite the newer (paused), with no event left to fix it.
	let flushing = false;
	const flush = async () => {
		flushTimer = undefined;
		if (dirty.size === 0 || stopped || flushing) return;
		const ids = [...dirty];
		dirty.clear();
		flushing = true;
		try {
			const found = await fetchContainers(docker, ids);
			if (stopped) return;
			const present = new Set(found.map(container => container.id));
			if (found.length > 0) containers.upserted(found);
			const gone = ids.filter(id => !present.has(id));
			if (gone.length > 0) containers.removed(gone);
			for (const container of found) {
				const wanted = expected.get(container.id);
				if (!wanted) continue;
				const up = container.state === 'running' || container.state === 'paused' || container.state === 'restarting';
				if (up === wanted.up || wanted.retries >= 5) {
					expected.delete(container.id);
					continue;
				}

				wanted.retries++;
				dirty.add(container.id);
				flushTimer ??= setTimeout(flush, 100);
			}

			for (const id of gone) expected.delete(id);
		} catch {
			// The stream's own error handling reconnects and re-lists.
		} finally {
			flushing = false;
			// What changed while this read was under way is read next.
			if (dirty.size > 0 && !stopped) flushTimer ??= setTimeout(flush, coalesceMs);
		}
	};

	const markDirty = (id: string) => {
		dirty.add(id);
		flushTimer ??= setTimeout(flush, coalesceMs);
	};

	const onContainerEvent = (action: string, id: string) => {
		if (!id || ignoredActions.test(action)) return;
		if (action === 'destroy') {
			dirty.delete(id);
			containers.removed([id]);
			return;
		}

		if (upActions.has(action)) expected.set(id, {up: true, retries: 0});
		else if (downActions.has(action)) expected.set(id, {up: false, retries: 0});
		markDirty(id);
	};

	const onEvent = (event: EngineEvent) => {
		const type = eventType(event);
		const action = eventAction(event);
		if (type === 'container') onContainerEvent(action, eventActor(event));
		// A container joined or left a network: its own record lists its networks.
		if (type === 'network' && (action === 'connect' || action === 'disconnect') && event.Actor?.Attributes?.container) markDirty(event.Actor.Attributes.container);
		for (const watcher of watchers) if (watcher.lister.affectedBy(event)) watcher.relist();
		for (const handler of eventHandlers) handler(event);
		const item = toEventItem(event, sequence++);
		history.push(item);
		if (history.length > eventHistory * 1.1) history.splice(0, history.length - eventHistory);
		if (eventBatchHandlers.size === 0) return;
		burst.push(item);
		burstTimer ??= setTimeout(() => {
			burstTimer = undefined;
			const batch = burst;
			burst = [];
			for (const handler of eventBatchHandlers) handler(batch);
		}, coalesceMs);
	};

	const retry = (error: unknown) => {
		if (stopped) return;
		stream = undefined;
		containers.connection('disconnected', daemonMessage(error));
		const delay = Math.min(5000, 250 * 2 ** attempt);
		attempt++;
		retryTimer = setTimeout(open, delay);
	};

	const open = async () => {
		retryTimer = undefined;
		if (stopped) return;
		try {
			const events = (await docker.getEvents()) as NodeJS.ReadableStream & {destroy(): void};
			if (stopped) {
				events.destroy();
				return;
			}

			stream = events;
			let failed = false;
			const fail = (error: unknown) => {
				if (failed) return;
				failed = true;
				retry(error);
			};

			readEvents(events, onEvent);
			events.on('error', fail);
			events.on('end', () => fail(new Error('the event stream ended')));
			events.on('close', () => fail(new Error('the event stream closed')));

			const list = await listContainers(docker);
			if (stopped || failed) return;
			attempt = 0;
			containers.connection('connected');
			containers.synced(list);
			// Whatever changed while the stream was down is read again.
			for (const watcher of watchers) watcher.relist();
		} catch (error) {
			retry(error);
		}
	};

	void open();

	return {
		subscribe(handlers) {
			subscriber = handlers;
			const early = pending;
			pending = undefined;
			if (early?.connection) handlers.connection(early.connection.status, early.connection.error);
			if (early?.containers) handlers.synced([...early.containers.values()]);
			return () => {
				if (subscriber === handlers) subscriber = undefined;
			};
		},
		early() {
			return {containers: pending?.containers ? [...pending.containers.values()] : undefined, connected: pending?.connection?.status === 'connected'};
		},
		onFirstList(callback) {
			if (firstList) callback(firstList);
			else firstListWaiter = callback;
		},
		watch(lister, handlers) {
			const watcher: Watcher = {
				lister: lister as Lister<unknown>,
				handlers: handlers as ListHandlers<unknown>,
				busy: false,
				again: false,
				lastAt: 0,
				relist() {
					if (watcher.busy) {
						watcher.again = true;
						return;
					}

					if (watcher.timer) return;
					// Bursts are coalesced; a costly list is not read more often than its spacing allows.
					const wait = Math.max(coalesceMs, (lister.spacingMs ?? 0) - (Date.now() - watcher.lastAt));
					watcher.timer = setTimeout(read, wait);
				},
				stop() {
					clearTimeout(watcher.timer);
					watchers.delete(watcher);
				},
			};

			const read = async () => {
				watcher.timer = undefined;
				if (stopped || !watchers.has(watcher)) return;
				watcher.busy = true;
				watcher.lastAt = Date.now();
				try {
					const items = await lister.list(docker);
					if (watchers.has(watcher)) handlers.synced(items);
				} catch (error) {
					if (watchers.has(watcher)) handlers.failed(toRequestError(error));
				} finally {
					watcher.busy = false;
					if (watcher.again) {
						watcher.again = false;
						watcher.relist();
					}
				}
			};

			watchers.add(watcher);
			void read();
			return () => watcher.stop();
		},
		onEvents(handler) {
			eventBatchHandlers.add(handler);
			return () => eventBatchHandlers.delete(handler);
		},
		onEvent(handler) {
			eventHandlers.add(handler);
			return () => eventHandlers.delete(handler);
		},
		recentEvents() {
			return history.slice(-eventHistory);
		},
		stop() {
			stopped = true;
			clearTimeout(retryTimer);
			clearTimeout(flushTimer);
			clearTimeout(burstTimer);
			for (const watcher of watchers) watcher.stop();
			stream?.destroy?.();
			onStop?.();
		},
	};
}
