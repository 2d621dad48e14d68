// Container requests: list, fetch, inspect and the lifecycle actions. The only module besides the
// watchers that calls dockerode for containers.
import type Docker from 'dockerode';
import {composeProjectLabel, type Container, formatPorts, normaliseState} from '../state/container.ts';
import type {ActionVerb} from '../state/view.ts';

export function toContainer(info: Docker.ContainerInfo, now = Date.now()): Container {
	const name = (info.Names?.[0] ?? info.Id.slice(0, 12)).replace(/^\//, '');
	return {
		id: info.Id,
		name,
		image: info.Image?.startsWith('sha256:') ? info.Image.slice(7, 19) : (info.Image ?? ''),
		state: normaliseState(info.State),
		status: info.Status ?? '',
		statusAt: now,
		created: info.Created ?? 0,
		ports: formatPorts(info.Ports),
		project: info.Labels?.[composeProjectLabel] || undefined,
	};
}

export async function listContainers(docker: Docker): Promise<Container[]> {
	const list = await docker.listContainers({all: true});
	const now = Date.now();
	return list.map(info => toContainer(info, now));
}

/** The current records of these containers; an id missing from the answer no longer exists. */
export async function fetchContainers(docker: Docker, ids: string[]): Promise<Container[]> {
	const list = await docker.listContainers({all: true, filters: {id: ids}});
	const now = Date.now();
	return list.map(info => toContainer(info, now));
}

export async function inspectContainer(docker: Docker, id: string): Promise<Docker.ContainerInspectInfo> {
	return docker.getContainer(id).inspect();
}

export type RemoveOptions = {force?: boolean};

/** Runs one lifecycle action; rejects with dockerode's error (the daemon's message is in it). */
export async function runAction(docker: Docker, id: string, verb: ActionVerb, options: RemoveOptions = {}): Promise<void> {
	const container = docker.getContainer(id);
	switch (verb) {
		case 'start': {
			await ignoreNotModified(container.start());
			return;
		}

		case 'stop': {
			await ignoreNotModified(container.stop());
			return;
		}

		case 'restart': {
			await container.restart();
			return;
		}

		case 'pause': {
			await container.pause();
			return;
		}

		case 'unpause': {
			await container.unpause();
			return;
		}

		case 'kill': {
			await container.kill();
			return;
		}

		case 'remove': {
			await container.remove({force: Boolean(options.force)});
		}
	}
}

/** 304 means the container was already in the state asked for: not a failure to the person asking. */
async function ignoreNotModified(promise: Promise<unknown>): Promise<void> {
	try {
		await promise;
	} catch (error) {
		if ((error as {statusCode?: number}).statusCode !== 304) throw error;
	}
}
