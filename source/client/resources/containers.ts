// Container requests: list, fetch, inspect and the lifecycle actions.
import type Docker from 'dockerode';
import {composeLabels, composeProjectLabel, type Container, formatPorts, normaliseState} from '../../state/container.ts';
import type {InspectRecord} from '../../state/details.ts';

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
		compose: info.Labels?.[composeProjectLabel] ? composeLabels(info.Labels) : undefined,
		imageId: info.ImageID || undefined,
		volumes: (info.Mounts ?? []).flatMap(mount => (mount.Type === 'volume' && mount.Name ? [mount.Name] : [])),
		networks: Object.values(info.NetworkSettings?.Networks ?? {}).flatMap(network => (network.NetworkID ? [network.NetworkID] : [])),
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

export async function inspectContainer(docker: Docker, id: string): Promise<InspectRecord> {
	return (await docker.getContainer(id).inspect()) as unknown as InspectRecord;
}

export type RemoveOptions = {force?: boolean};

/** Runs one lifecycle action; rejects with dockerode's error (the daemon's message is in it). */
export async function runAction(docker: Docker, id: string, verb: string, options: RemoveOptions = {}): Promise<void> {
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
			return;
		}

		default: {
			throw new Error(`unknown container action "${verb}"`);
		}
	}
}

/** Creates a container from a create request (the `name` in it is the query's); returns its id. */
export async function createContainer(docker: Docker, request: Record<string, unknown>): Promise<string> {
	const container = await docker.createContainer(request as Docker.ContainerCreateOptions);
	return container.id;
}

export async function renameContainer(docker: Docker, id: string, name: string): Promise<void> {
	await docker.getContainer(id).rename({name});
}

export async function signalContainer(docker: Docker, id: string, signal: string): Promise<void> {
	await docker.getContainer(id).kill({signal});
}

/** 304 means the container was already in the state asked for: not a failure to the person asking. */
async function ignoreNotModified(promise: Promise<unknown>): Promise<void> {
	try {
		await promise;
	} catch (error) {
		if ((error as {statusCode?: number}).statusCode !== 304) throw error;
	}
}
