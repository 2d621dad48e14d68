// Image requests: the list as rows (one a tag), inspect, history, remove, tag, pull with its
// progress stream, and prune.
import type Docker from 'dockerode';
import type {ImageItem} from '../../state/panels/images.ts';
import {shortId} from '../../state/panels/images.ts';
import type {PullMessage} from '../../state/pull-progress.ts';
import {registryAuth} from '../connect/registry-auth.ts';
import {LineSplitter} from '../line-splitter.ts';

/** An image's rows: one for each of its tags, or one `<none>:<none>` row when it has none. */
export function toImageItems(info: Docker.ImageInfo): ImageItem[] {
	const tags = (info.RepoTags ?? []).filter(tag => tag !== '<none>:<none>');
	const base = {imageId: info.Id, created: info.Created ?? 0, size: info.Size ?? 0};
	if (tags.length === 0) {
		// An untagged image that came by digest is listed under its repository, as docker images does.
		const digested = (info.RepoDigests ?? []).find(digest => !digest.startsWith('<none>'));
		const repository = digested ? digested.slice(0, digested.indexOf('@')) : '<none>';
		return [{...base, id: info.Id, repository, tag: '<none>', reference: shortId(info.Id), name: `${repository}:<none>`, dangling: true}];
	}

	return tags.map(tag => {
		const colon = tag.lastIndexOf(':');
		const repository = colon > tag.lastIndexOf('/') ? tag.slice(0, colon) : tag;
		return {...base, id: `${info.Id}|${tag}`, repository, tag: colon > tag.lastIndexOf('/') ? tag.slice(colon + 1) : 'latest', reference: tag, name: tag, dangling: false};
	});
}

export async function listImages(docker: Docker): Promise<ImageItem[]> {
	return (await docker.listImages()).flatMap(info => toImageItems(info));
}

export type ImageRecord = {
	Id?: string;
	RepoTags?: string[];
	RepoDigests?: string[];
	Created?: string;
	Size?: number;
	Architecture?: string;
	Os?: string;
	Config?: {Env?: string[] | null; Cmd?: string[] | null; Entrypoint?: string[] | string | null; WorkingDir?: string; User?: string; ExposedPorts?: Record<string, unknown> | null; Labels?: Record<string, string> | null; Volumes?: Record<string, unknown> | null};
	RootFS?: {Layers?: string[]};
};

export async function inspectImage(docker: Docker, reference: string): Promise<ImageRecord> {
	return (await docker.getImage(reference).inspect()) as unknown as ImageRecord;
}

export type HistoryEntry = {Id?: string; Created?: number; CreatedBy?: string; Size?: number; Comment?: string; Tags?: string[] | null};

export async function imageHistory(docker: Docker, reference: string): Promise<HistoryEntry[]> {
	return (await docker.getImage(reference).history()) as HistoryEntry[];
}

export async function removeImage(docker: Docker, reference: string, force: boolean): Promise<void> {
	await docker.getImage(reference).remove({force});
}

/** Tags the image as REPOSITORY[:TAG] (latest when no tag is given). */
export async function tagImage(docker: Docker, imageId: string, reference: string): Promise<void> {
	const {repo, tag} = splitReference(reference);
	await docker.getImage(imageId).tag({repo, tag});
}

export function splitReference(reference: string): {repo: string; tag: string} {
	const at = reference.indexOf('@');
	if (at !== -1) return {repo: reference.slice(0, at), tag: reference.slice(at + 1)};
	const colon = reference.lastIndexOf(':');
	if (colon > reference.lastIndexOf('/')) return {repo: reference.slice(0, colon), tag: reference.slice(colon + 1)};
	return {repo: reference, tag: 'latest'};
}

/** Reads a progress stream (pull or push), handing on each message; rejects with the error it reports. */
function followProgress(stream: NodeJS.ReadableStream, onMessage: (message: PullMessage) => void): Promise<void> {
	return new Promise<void>((resolve, reject) => {
		const lines = new LineSplitter(1024 * 1024);
		let failure: string | undefined;
		stream.on('data', (chunk: Buffer) => {
			for (const line of lines.push(chunk)) {
				if (!line.trim()) continue;
				let message: PullMessage;
				try {
					message = JSON.parse(line) as PullMessage;
				} catch {
					continue;
				}

				if (message.error || message.errorDetail) failure = message.errorDetail?.message ?? message.error;
				onMessage(message);
			}
		});
		stream.on('end', () => (failure ? reject(new Error(failure)) : resolve()));
		stream.on('error', reject);
	});
}

/**
 * Pulls an image, handing on each message of the engine's progress stream. Rejects with the
 * engine's message when the stream reports an error (after it started, as an errorDetail line).
 */
export async function pullImage(docker: Docker, reference: string, onMessage: (message: PullMessage) => void, signal?: AbortSignal, platform?: string): Promise<void> {
	const {repo, tag} = splitReference(reference);
	const separator = tag.startsWith('sha256:') ? '@' : ':';
	const auth = registryAuth(repo);
	const stream = (await docker.pull(`${repo}${separator}${tag}`, {...(auth ? {authconfig: auth} : {}), ...(platform ? {platform} : {}), abortSignal: signal})) as NodeJS.ReadableStream;
	await followProgress(stream, onMessage);
}

/** Pushes NAME[:TAG] to its registry (credentials from docker's config.json), handing on each progress message. */
export async function pushImage(docker: Docker, reference: string, onMessage: (message: PullMessage) => void): Promise<void> {
	const {repo, tag} = splitReference(reference);
	const auth = registryAuth(repo);
	// dockerd wants an X-Registry-Auth on every push, as the docker CLI sends one: "{}" without credentials.
	const stream = (await docker.getImage(repo).push({tag, authconfig: auth ?? {}})) as NodeJS.ReadableStream;
	await followProgress(stream, onMessage);
}

export type PruneResult = {deleted: number; reclaimed: number};

/** Dangling images only, or every image no container uses. */
export async function pruneImages(docker: Docker, mode: 'dangling' | 'unused'): Promise<PruneResult> {
	const result = (await docker.pruneImages({filters: {dangling: {[mode === 'dangling' ? 'true' : 'false']: true}}})) as {ImagesDeleted?: Array<{Deleted?: string}> | null; SpaceReclaimed?: number};
	return {deleted: (result.ImagesDeleted ?? []).filter(entry => entry.Deleted).length, reclaimed: result.SpaceReclaimed ?? 0};
}
