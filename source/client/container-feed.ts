// The container list, started as soon as the engine answers and before the UI has loaded, so
// that the first frame can show it. The UI subscribes when it is ready and is handed what has
// arrived so far, then every change after it.
import type Docker from 'dockerode';
import type {Container} from '../state/container.ts';
import {type ContainerWatchHandlers, watchContainers} from './watch-containers.ts';

export type ContainerFeed = {
	subscribe(handlers: ContainerWatchHandlers): () => void;
	/** What has arrived so far, before anyone subscribed: the UI starts from it. */
	early(): {containers?: Container[]; connected: boolean};
	/** Called once, when the first full list arrives (at once if it has). */
	onFirstList(callback: (containers: Container[]) => void): void;
	stop(): void;
};

/** `onStop` runs when the feed stops (a feed with a client of its own closes it there). */
export function startContainerFeed(docker: Docker, onStop?: () => void): ContainerFeed {
	let subscriber: ContainerWatchHandlers | undefined;
	// What arrived before anyone subscribed (kept only until then).
	let pending: {containers?: Map<string, Container>; connection?: {status: 'connected' | 'disconnected'; error?: string}} | undefined = {};
	let firstList: Container[] | undefined;
	let firstListWaiter: ((containers: Container[]) => void) | undefined;

	const stop = watchContainers(docker, {
		synced(containers) {
			if (!firstList) {
				firstList = containers;
				firstListWaiter?.(containers);
				firstListWaiter = undefined;
			}

			if (subscriber) subscriber.synced(containers);
			else if (pending) pending.containers = new Map(containers.map(container => [container.id, container]));
		},
		upserted(containers) {
			if (subscriber) subscriber.upserted(containers);
			else for (const container of containers) pending?.containers?.set(container.id, container);
		},
		removed(ids) {
			if (subscriber) subscriber.removed(ids);
			else for (const id of ids) pending?.containers?.delete(id);
		},
		connection(status, error) {
			if (subscriber) subscriber.connection(status, error);
			else if (pending) pending.connection = {status, error};
		},
	});

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
		stop() {
			stop();
			onStop?.();
		},
	};
}
