// `docker push` done by the engine: each layer as a gzip blob (the one it was pulled as, when the
// registry has it or can mount it from the repository the image came from; else one compressed
// here from the layer's exact tar), skipped when the registry has it, else uploaded (POST, PATCH,
// PUT); then the config, then a Docker schema 2 manifest under the tag.
// The progress stream is dockerd's: Preparing, Waiting, Pushing, Pushed / Layer already exists /
// Mounted from, then "TAG: digest: … size: …" and the aux line the CLI reads.
import {createHash} from 'node:crypto';
import {createReadStream} from 'node:fs';
import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {Transform} from 'node:stream';
import {createGzip} from 'node:zlib';
import type {BlobStore} from '../blob-store.ts';
import type {Image, ImageStore} from '../images.ts';
import type {LayerStore} from '../layer-store.ts';
import type {ProgressStream} from './progress.ts';
import {familiarName, type ImageReference, parseReference} from './reference.ts';
import {type Credentials, RegistryError, RegistrySession, type RegistrySettings} from './session.ts';

const manifestType = 'application/vnd.docker.distribution.manifest.v2+json';
const configType = 'application/vnd.docker.container.image.v1+json';
const layerType = 'application/vnd.docker.image.rootfs.diff.tar.gzip';
const gzipTypes = new Set([layerType, 'application/vnd.oci.image.layer.v1.tar+gzip']);
/** dockerd's max-concurrent-uploads. */
const parallelUploads = 5;

type Blob = {digest: string; size: number};

export type PushRequest = {image: Image; reference: ImageReference; credentials: Credentials; progress: ProgressStream};

export class Pusher {
	constructor(
		private readonly images: ImageStore,
		private readonly layers: LayerStore,
		private readonly blobs: BlobStore,
		private readonly settings: () => RegistrySettings,
	) {}

	async push({image, reference, credentials, progress}: PushRequest): Promise<{digest: string; size: number}> {
		if (image.rootfs) throw new RegistryError(`image ${image.RepoTags[0] ?? image.Id.slice(7, 19)} was unpacked whole by an earlier berth, without its layers: pull or load it again to push it`, 409);
		const session = new RegistrySession(reference, credentials, this.settings(), 'pull,push');
		// Where the image was pulled from on this registry: its blobs can be mounted from there.
		const source = (image.RepoDigests ?? []).map(digest => parseReference(digest)).find(from => from.domain === reference.domain && from.repository !== reference.repository);
		if (source) session.alsoPulls.push(source.repository);
		progress.status(`The push refers to repository [${familiarName(reference).includes('/') || reference.domain !== 'docker.io' ? `${reference.domain}/${reference.repository}` : reference.repository}]`);
		await session.open();
		const diffIds = image.Layers ?? [];
		// Listed top first, as dockerd lists them.
		for (const diffId of [...diffIds].reverse()) progress.status('Preparing', diffId.slice(7, 19));
		const pushed: Blob[] = new Array(diffIds.length);
		// Blobs compressed for this push: not kept once it is done (their digests are, with the image).
		const made: string[] = [];
		let next = 0;
		const worker = async () => {
			while (next < diffIds.length) {
				const index = next++;
				pushed[index] = await this.pushLayer(session, image, index, source, progress, made);
			}
		};

		if (diffIds.length > parallelUploads) for (const diffId of [...diffIds].reverse().slice(parallelUploads)) progress.status('Waiting', diffId.slice(7, 19));
		await Promise.all(Array.from({length: Math.min(parallelUploads, diffIds.length)}, worker));

		const config = await readFile(path.join(this.images.directoryOf(image.Id), 'config.json')).catch(() => {
			throw new RegistryError(`image ${image.Id.slice(7, 19)} has no config kept (imported by an earlier berth): it cannot be pushed`, 409);
		});
		const configBlob = {digest: image.Id, size: config.length};
		if (!(await this.exists(session, configBlob.digest))) await this.upload(session, configBlob, () => Buffer.from(config), undefined);
		const manifest = Buffer.from(
			JSON.stringify({
				schemaVersion: 2,
				mediaType: manifestType,
				config: {mediaType: configType, size: config.length, digest: image.Id},
				layers: pushed.map(blob => ({mediaType: layerType, size: blob.size, digest: blob.digest})),
			}),
		);
		const tag = reference.tag ?? 'latest';
		const response = await session.request(`manifests/${tag}`, {method: 'PUT', headers: {'Content-Type': manifestType}, body: manifest});
		if (!response.ok) throw await session.failure(response, `the manifest for ${familiarName(reference)}:${tag} was refused`);
		await response.body?.cancel();
		const digest = `sha256:${createHash('sha256').update(manifest).digest('hex')}`;
		progress.status(`${tag}: digest: ${digest} size: ${manifest.length}`);
		progress.send({progressDetail: {}, aux: {Tag: tag, Digest: digest, Size: manifest.length}});
		this.images.add({...image, RepoTags: [], RepoDigests: [`${familiarName(reference)}@${digest}`], LayerBlobs: pushed.map(blob => ({...blob, mediaType: layerType}))});
		for (const blob of made) this.blobs.remove(blob);
		return {digest, size: manifest.length};
	}

	/** Layer `index` compressed here from its exact tar, into the blob store (zlib's gzip is deterministic: the same digest each time). */
	private async compress(image: Image, index: number): Promise<Blob> {
		const diffId = image.Layers![index]!;
		const tar = await this.layers.tar(diffId);
		if (!tar) throw new RegistryError(`layer ${diffId.slice(7, 19)} came as a tar naming one path twice, which cannot be rebuilt exactly: it cannot be pushed`, 409);
		return this.blobs.writeNew(tar.open().pipe(createGzip()));
	}

	/**
	 * One layer: the gzip blob it was pulled as, if the registry has it or can mount it from the
	 * repository it came from (as dockerd does, the blob itself is not kept); else compressed here
	 * and uploaded, unless the registry has that one.
	 */
	private async pushLayer(session: RegistrySession, image: Image, index: number, source: ImageReference | undefined, progress: ProgressStream, made: string[]): Promise<Blob> {
		const short = image.Layers![index]!.slice(7, 19);
		const known = image.LayerBlobs?.[index];
		const reusable = known && gzipTypes.has(known.mediaType) ? {digest: known.digest, size: known.size} : undefined;
		let opened: string | undefined;
		if (reusable) {
			if (await this.exists(session, reusable.digest)) {
				progress.status('Layer already exists', short);
				return reusable;
			}

			if (source) {
				const mounted = await this.mount(session, reusable, source.repository);
				if (mounted === true) {
					progress.status(`Mounted from ${source.repository}`, short);
					return reusable;
				}

				opened = mounted;
			}
		}

		const blob = reusable && this.blobs.has(reusable.digest) ? reusable : await this.compress(image, index);
		if (blob !== reusable) {
			made.push(blob.digest);
			if (await this.exists(session, blob.digest)) {
				progress.status('Layer already exists', short);
				return blob;
			}
		}

		await this.upload(session, blob, () => createReadStream(this.blobs.path(blob.digest), {highWaterMark: 1 << 20}), (current) => progress.bytes('Pushing', short, current, blob.size), opened);
		progress.status('Pushed', short);
		return blob;
	}

	private async exists(session: RegistrySession, digest: string): Promise<boolean> {
		const response = await session.request(`blobs/${digest}`, {method: 'HEAD'});
		await response.body?.cancel();
		if (response.status === 200) return true;
		if (response.status === 404) return false;
		throw await session.failure(response, `checking for blob ${digest.slice(7, 19)}`);
	}

	/** true when mounted; otherwise the upload location the registry opened instead. */
	private async mount(session: RegistrySession, blob: Blob, from: string): Promise<true | string> {
		const response = await session.request(`blobs/uploads/?mount=${encodeURIComponent(blob.digest)}&from=${encodeURIComponent(from)}`, {method: 'POST'});
		await response.body?.cancel();
		if (response.status === 201) return true;
		if (response.status !== 202) throw await session.failure(response, `mounting blob ${blob.digest.slice(7, 19)} from ${from}`);
		return this.location(session, response);
	}

	private location(session: RegistrySession, response: Response): string {
		const location = response.headers.get('location');
		if (!location) throw new RegistryError(`registry ${session.registry} opened an upload without saying where (no Location header)`);
		return location;
	}

	/** POST (unless a location is open), one PATCH with the bytes, then PUT with the digest: what dockerd sends. */
	private async upload(session: RegistrySession, blob: Blob, open: () => NodeJS.ReadableStream | Buffer, onBytes: ((current: number) => void) | undefined, opened?: string): Promise<void> {
		let location = opened;
		if (!location) {
			const started = await session.request('blobs/uploads/', {method: 'POST'});
			await started.body?.cancel();
			if (started.status !== 202) throw await session.failure(started, `starting the upload of ${blob.digest.slice(7, 19)}`);
			location = this.location(session, started);
		}

		// The registry may take its time over a big blob, but not stop listening: a stall is an error.
		const timeout = this.settings().timeoutMs;
		const controller = new AbortController();
		let timer = setTimeout(() => controller.abort(), timeout);
		try {
			const patched = await session.request(location, {
				method: 'PATCH',
				headers: {'Content-Type': 'application/octet-stream', 'Content-Length': String(blob.size)},
				signal: controller.signal,
				body: () => {
					const body = open();
					if (Buffer.isBuffer(body)) return body as unknown as RequestInit['body'];
					// Counted as fetch reads it: a 'data' listener on the file would start it flowing
					// before fetch reads, and what flowed by first would be missing from the upload.
					let current = 0;
					const counted = new Transform({
						transform(chunk: Buffer, _encoding, callback) {
							current += chunk.length;
							clearTimeout(timer);
							timer = setTimeout(() => controller.abort(), timeout);
							onBytes?.(current);
							callback(null, chunk);
						},
					});
					body.on('error', error => counted.destroy(error as Error));
					body.pipe(counted);
					return counted as unknown as RequestInit['body'];
				},
			});
			await patched.body?.cancel();
			if (patched.status !== 202 && patched.status !== 204) throw await session.failure(patched, `uploading ${blob.digest.slice(7, 19)}`);
			location = this.location(session, patched);
		} catch (error) {
			if (controller.signal.aborted) throw new RegistryError(`registry ${session.registry} stopped taking blob ${blob.digest.slice(7, 19)} (nothing for ${Math.round(timeout / 1000)} s)`);
			throw error;
		} finally {
			clearTimeout(timer);
		}

		const url = `${location}${location.includes('?') ? '&' : '?'}digest=${encodeURIComponent(blob.digest)}`;
		const put = await session.request(url, {method: 'PUT', headers: {'Content-Length': '0'}});
		await put.body?.cancel();
		if (put.status !== 201) throw await session.failure(put, `finishing the upload of ${blob.digest.slice(7, 19)}`);
	}
}
