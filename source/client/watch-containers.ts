// Keeps a live picture of the containers from the daemon's event stream, not by polling: the event
// stream is opened first, then the full list is read, so nothing that happens in between is lost.
// Events are coalesced: the containers named in one burst are re-read with a single request.
// When the stream breaks, it reconnects with back-off and re-lists.
import type Docker from 'dockerode';
import type {Container} from '../state/container.ts';
import {fetchContainers, listContainers} from './containers.ts';
import {daemonMessage} from './errors.ts';
import {type EngineEvent, readEvents} from './event-stream.ts';

export type ContainerWatchHandlers = {
	synced(containers: Container[]): void;
	upserted(containers: Container[]): void;
	removed(ids: string[]): void;
	connection(status: 'connected' | 'disconnected', error?: string): void;
};

const upActions = new Set(['start', 'restart', 'unpause']);
const downActions = new Set(['die', 'stop', 'oom']);

/** Actions that change nothing the list shows. */
const ignoredActions = /^(exec_|attach|detach|resize|top|archive-path|extract-to-dir|export|commit|copy)/;

export function watchContainers(docker: Docker, handlers: ContainerWatchHandlers, {coalesceMs = 40} = {}): () => void {
	let stopped = false;
	let stream: NodeJS.ReadableStream | undefined;
	let retryTimer: NodeJS.Timeout | undefined;
	let flushTimer: NodeJS.Timeout | undefined;
	let attempt = 0;
	const dirty = new Set<string>();
	// What the last event said a container's state now is. dockerd announces an exit a moment
	// before its list shows it, so a read that disagrees is tried again shortly.
	const expected = new Map<string, {up: boolean; retries: number}>();

	const flush = async () => {
		flushTimer = undefined;
		if (dirty.size === 0 || stopped) return;
		const ids = [...dirty];
		dirty.clear();
		try {
			const found = await fetchContainers(docker, ids);
			if (stopped) return;
			const present = new Set(found.map(container => container.id));
			if (found.length > 0) handlers.upserted(found);
			const gone = ids.filter(id => !present.has(id));
			if (gone.length > 0) handlers.removed(gone);
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
		}
	};

	const onEvent = (event: EngineEvent) => {
		const type = event.Type ?? 'container';
		const action = event.Action ?? event.status ?? '';
		const id = event.Actor?.ID ?? event.id;
		if (type !== 'container' || !id || ignoredActions.test(action)) return;
		if (action === 'destroy') {
			dirty.delete(id);
			handlers.removed([id]);
			return;
		}

		if (upActions.has(action)) expected.set(id, {up: true, retries: 0});
		else if (downActions.has(action)) expected.set(id, {up: false, retries: 0});
		dirty.add(id);
		flushTimer ??= setTimeout(flush, coalesceMs);
	};

	const retry = (error: unknown) => {
		if (stopped) return;
		stream = undefined;
		handlers.connection('disconnected', daemonMessage(error));
		const delay = Math.min(5000, 250 * 2 ** attempt);
		attempt++;
		retryTimer = setTimeout(open, delay);
	};

	const open = async () => {
		retryTimer = undefined;
		if (stopped) return;
		try {
			const events = (await docker.getEvents({filters: {type: ['container']}})) as NodeJS.ReadableStream;
			if (stopped) {
				(events as unknown as {destroy(): void}).destroy();
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

			const containers = await listContainers(docker);
			if (stopped || failed) return;
			attempt = 0;
			handlers.connection('connected');
			handlers.synced(containers);
		} catch (error) {
			retry(error);
		}
	};

	void open();

	return () => {
		stopped = true;
		clearTimeout(retryTimer);
		clearTimeout(flushTimer);
		(stream as unknown as {destroy?: () => void})?.destroy?.();
	};
}
