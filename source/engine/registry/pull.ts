// `docker pull` done by the engine: the manifest (chosen from a list by platform), the config,
// then the layers, three downloads at a time shared with any other pull of the same blob, each
// blob's digest and each layer's diff id checked, and the image put in place only when whole.
import {createReadStream} from 'node:fs';
import {mkdir, rm, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {PassThrough, Readable, Transform, type TransformCallback} from 'node:stream';
import {type BlobStore, DigestMismatchError} from '../blob-store.ts';
import {UnsafeArchiveError} from '../image-unpack.ts';
import {DiffIdMismatchError, type LayerStore} from '../layer-store.ts';
import type {Image, ImageConfigFile, ImageStore} from '../images.ts';
import {choosePlatform, type Descriptor, describePlatform, fetchManifest, type ImageManifest, type ManifestList, type Platform, readLimited, sha256} from './manifests.ts';
import type {ProgressStream} from './progress.ts';
import {familiarName, familiarTagged, type ImageReference} from './reference.ts';
import {type Credentials, RegistryError, type RegistrySession, type RegistrySettings, RegistrySession as Session} from './session.ts';

/** dockerd's default max-concurrent-downloads. */
const parallelDownloads = 3;
const maxConfigBytes = 8 * 1024 * 1024;

/** Passes its input on in pieces of at least `size` bytes (the last may be smaller). */
class Coalesce extends Transform {
	private parts: Buffer[] = [];
	private length = 0;

	constructor(private readonly size: number) {
		super({highWaterMark: size});
	}

	override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
		this.parts.push(chunk);
		this.length += chunk.length;
		if (this.length >= this.size) this.flushParts();
		callback();
	}

	override _flush(callback: TransformCallback): void {
		this.flushParts();
		callback();
	}

	private flushParts(): void {
		if (this.length === 0) return;
		this.push(this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts, this.length));
		this.parts = [];
		this.length = 0;
	}
}

class Slots {
	private free = parallelDownloads;
	private readonly waiting: Array<() => void> = [];

	/** Takes a slot; `onWait` is called when none is free now. */
	async take(onWait: () => void): Promise<() => void> {
		if (this.free > 0) this.free--;
		else {
			onWait();
			await new Promise<void>(resolve => this.waiting.push(resolve));
		}

		return () => {
			const next = this.waiting.shift();
			if (next) next();
			else this.free++;
		};
	}
}

type PullRequest = {reference: ImageReference; credentials: Credentials; platform: Platform; explicitPlatform: boolean; progress: ProgressStream};

export class Puller {
	private readonly slots = new Slots();
	private readonly downloads = new Map<string, Promise<number | undefined>>();
	private readonly unpacking = new Map<string, Promise<void>>();
	/** Blobs of pulls under way, which a collection must not take. */
	private readonly active = new Map<string, number>();

	constructor(
		private readonly images: ImageStore,
		private readonly blobs: BlobStore,
		private readonly layers: LayerStore,
		private readonly settings: () => RegistrySettings,
	) {}

	async pull({reference, credentials, platform, explicitPlatform, progress}: PullRequest): Promise<Image> {
		const session = new Session(reference, credentials, this.settings());
		const asked = reference.digest ?? reference.tag!;
		const top = await fetchManifest(session, asked);
		// Said once the manifest is found, as dockerd: a missing tag is a plain HTTP error.
		progress.status(`Pulling from ${reference.repository}`, asked);
		let manifest: ImageManifest;
		if ('manifests' in top.json) {
			const chosen = choosePlatform(top.json as ManifestList, platform);
			if (!chosen) {
				const offered = (top.json as ManifestList).manifests.map(entry => describePlatform(entry.platform ?? {})).filter(name => !name.startsWith('unknown'));
				throw new RegistryError(`no matching manifest for ${describePlatform(platform)} in the manifest list entries (${offered.join(', ') || 'none'})`);
			}

			manifest = (await fetchManifest(session, chosen.digest)).json as ImageManifest;
			if (!('layers' in manifest)) throw new RegistryError(`the manifest list of ${reference.repository} names another list for ${describePlatform(platform)}`);
		} else manifest = top.json as ImageManifest;

		const {bytes: configBytes, config} = await this.fetchConfig(session, manifest.config);
		const diffIds = config.rootfs?.diff_ids ?? [];
		if (diffIds.length !== manifest.layers.length) throw new RegistryError(`the image config lists ${diffIds.length} layers but the manifest ${manifest.layers.length}`);
		if (!diffIds.every(id => /^sha256:[0-9a-f]{64}$/.test(id))) throw new RegistryError('the image config has a diff id that is not a sha256 digest');
		if (explicitPlatform && config.architecture && config.architecture !== platform.architecture) {
			throw new RegistryError(`image ${familiarName(reference)} is for ${config.os}/${config.architecture}, not the ${describePlatform(platform)} asked for`);
		}

		const id = manifest.config.digest;
		const tagged = familiarTagged(reference);
		const wasTagged = tagged !== undefined && this.images.resolve(tagged)?.Id === id;
		if (this.images.get(id)) {
			for (const layer of manifest.layers) progress.status('Already exists', layer.digest.slice(7, 19));
		} else {
			let unpacked = this.unpacking.get(id);
			if (!unpacked) {
				unpacked = this.fetchAndUnpack(session, id, manifest, configBytes, config, progress).finally(() => this.unpacking.delete(id));
				this.unpacking.set(id, unpacked);
			} else for (const layer of manifest.layers) progress.status('Waiting', layer.digest.slice(7, 19));
			await unpacked;
		}

		const image = this.images.get(id)!;
		const repoDigest = `${familiarName(reference)}@${top.digest}`;
		this.images.add({...image, RepoTags: tagged ? [tagged] : [], RepoDigests: [repoDigest]});
		progress.status(`Digest: ${top.digest}`);
		const shown = tagged ?? `${familiarName(reference)}@${reference.digest}`;
		progress.status(wasTagged ? `Status: Image is up to date for ${shown}` : `Status: Downloaded newer image for ${shown}`);
		return this.images.get(id)!;
	}

	private async fetchConfig(session: RegistrySession, descriptor: Descriptor): Promise<{bytes: Buffer; config: ImageConfigFile}> {
		const response = await session.request(`blobs/${descriptor.digest}`);
		if (!response.ok) throw await session.failure(response, `the image config ${descriptor.digest} could not be fetched`);
		const bytes = await readLimited(response, maxConfigBytes, `the image config ${descriptor.digest}`);
		if (sha256(bytes) !== descriptor.digest) throw new RegistryError(`the image config from ${session.registry} does not match its digest ${descriptor.digest}`);
		try {
			return {bytes, config: JSON.parse(bytes.toString('utf8')) as ImageConfigFile};
		} catch {
			throw new RegistryError(`the image config ${descriptor.digest} is not JSON`);
		}
	}

	inUse(): Set<string> {
		return new Set(this.active.keys());
	}

	private async fetchAndUnpack(session: RegistrySession, id: string, manifest: ImageManifest, configBytes: Buffer, config: ImageConfigFile, progress: ProgressStream): Promise<void> {
		const digests = manifest.layers.map(layer => layer.digest);
		for (const digest of digests) this.active.set(digest, (this.active.get(digest) ?? 0) + 1);
		try {
			await this.unpackLayers(session, id, manifest, configBytes, config, progress);
		} finally {
			for (const digest of digests) {
				const count = (this.active.get(digest) ?? 1) - 1;
				if (count > 0) this.active.set(digest, count);
				else this.active.delete(digest);
			}
		}
	}

	private async unpackLayers(session: RegistrySession, id: string, manifest: ImageManifest, configBytes: Buffer, config: ImageConfigFile, progress: ProgressStream): Promise<void> {
		const layers = manifest.layers;
		const diffIds = config.rootfs!.diff_ids!;
		// A layer the engine has (another image's) is neither fetched nor unpacked: it already exists.
		const needed = diffIds.map(diffId => !this.layers.has(diffId));
		for (const [index, layer] of layers.entries()) {
			if (!needed[index]) progress.status('Already exists', layer.digest.slice(7, 19));
			else if (!this.blobs.has(layer.digest)) progress.status('Pulling fs layer', layer.digest.slice(7, 19));
		}

		// Every download starts now, each layer unpacked as its bytes arrive: layers are kept apart
		// (layer-store.ts), so unlike dockerd's chain none waits for the one below.
		const unpacked = layers.map(async (layer, index) => {
			if (!needed[index]) return this.layers.size(diffIds[index]!);
			const size = await this.download(session, layer, diffIds[index]!, progress);
			// A blob the engine had (an interrupted pull's) is unpacked quietly: to the user it already exists.
			if (size === undefined) return this.extract(layer, diffIds[index]!, undefined);
			progress.status('Pull complete', layer.digest.slice(7, 19));
			return size;
		});
		for (const promise of unpacked) promise.catch(() => undefined);
		const size = (await Promise.all(unpacked)).reduce((total, one) => total + one, 0);

		const directory = this.images.directoryOf(id);
		try {
			await mkdir(directory, {recursive: true, mode: 0o700});
			await writeFile(path.join(directory, 'config.json'), configBytes, {mode: 0o600});
			this.images.add({
				Id: id,
				RepoTags: [],
				RepoDigests: [],
				Created: config.created ?? new Date(0).toISOString(),
				Config: config.config ?? {},
				Architecture: config.architecture,
				Os: config.os,
				Layers: diffIds,
				LayerBlobs: layers.map(layer => ({digest: layer.digest, size: layer.size, mediaType: layer.mediaType ?? ''})),
				readOnly: false,
				Size: size,
			});
		} catch (error) {
			await rm(directory, {recursive: true, force: true});
			throw error;
		}

		// The image is whole: its compressed blobs are not kept (as dockerd keeps none), only their
		// digests, which a push offers the registry first. One another pull still needs stays.
		for (const layer of layers) if ((this.active.get(layer.digest) ?? 0) <= 1) await rm(this.blobs.path(layer.digest), {force: true});
	}

	/**
	 * Brings one layer in: its blob into the store and, as the bytes arrive, the layer unpacked
	 * (layers are independent, so none waits for another), or waits for the pull already doing
	 * it. Returns the layer's size, or undefined when its blob was there and it is still to unpack.
	 */
	private async download(session: RegistrySession, layer: Descriptor, diffId: string, progress: ProgressStream): Promise<number | undefined> {
		const short = layer.digest.slice(7, 19);
		if (this.blobs.has(layer.digest)) {
			progress.status('Already exists', short);
			return undefined;
		}

		const running = this.downloads.get(layer.digest);
		if (running) {
			progress.status('Waiting', short);
			const size = await running;
			progress.status('Download complete', short);
			return size;
		}

		const task = (async () => {
			const release = await this.slots.take(() => progress.status('Waiting', short));
			try {
				return await this.fetchBlob(session, layer, current => progress.bytes('Downloading', short, current, layer.size), stream => this.extract(layer, diffId, undefined, stream));
			} finally {
				release();
			}
		})().finally(() => this.downloads.delete(layer.digest));
		this.downloads.set(layer.digest, task);
		const size = await task;
		progress.status('Verifying Checksum', short);
		progress.status('Download complete', short);
		// The unpack ran with the download: what the CLI draws as extracting is already done.
		progress.bytes('Extracting', short, layer.size, layer.size);
		return size;
	}

	/**
	 * Fetches a blob into the store; with `unpack`, the bytes go to it too as they arrive (backpressure
	 * from either side slows the download), and its answer is returned once both are done.
	 */
	private async fetchBlob(session: RegistrySession, layer: Descriptor, onBytes: (current: number) => void, unpack?: (stream: Readable) => Promise<number>): Promise<number | undefined> {
		const timeout = this.settings().timeoutMs;
		const controller = new AbortController();
		let timer = setTimeout(() => controller.abort(), timeout);
		const stalled = () => new RegistryError(`registry ${session.registry} stopped sending layer ${layer.digest.slice(7, 19)} (nothing for ${Math.round(timeout / 1000)} s)`);
		try {
			const response = await session.request(`blobs/${layer.digest}`, {signal: controller.signal});
			if (!response.ok) throw await session.failure(response, `layer ${layer.digest} could not be fetched`);
			if (!response.body) throw new RegistryError(`registry ${session.registry} sent layer ${layer.digest.slice(7, 19)} without a body`);
			let current = 0;
			const received = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>);
			// fetch hands over 16 to 64 KiB at a time: gathered into 1 MiB, each write and each inflate call costs a sixteenth.
			const counted = received.pipe(new Coalesce(1 << 20));
			received.on('error', error => counted.destroy(error));
			// A registry that sends slowly is not one that stopped: every arrival counts.
			received.on('data', (chunk: Buffer) => {
				current += chunk.length;
				clearTimeout(timer);
				timer = setTimeout(() => controller.abort(), timeout);
				onBytes(current);
			});
			let unpacked: Promise<number> | undefined;
			if (unpack) {
				const copy = new PassThrough({highWaterMark: 1 << 20});
				counted.pipe(copy);
				counted.on('error', error => copy.destroy(error));
				// An unpack that fails lets go of the download, which goes on to its end so that its
				// digest is still checked: a blob with wrong bytes is named as such, not as a bad tar.
				unpacked = unpack(copy).catch((error: unknown) => {
					counted.unpipe(copy);
					copy.destroy();
					throw error;
				});
				unpacked.catch(() => undefined);
			}

			const written = this.blobs.write(layer.digest, counted, layer.size).catch((error: unknown) => {
				if (controller.signal.aborted) throw stalled();
				if (error instanceof DigestMismatchError) throw new RegistryError(`filesystem layer verification failed for digest ${layer.digest} from ${session.registry}: ${error.message}`);
				throw new RegistryError(`layer ${layer.digest.slice(7, 19)} from ${session.registry} was cut off: ${(error as Error).message}`);
			});
			if (!unpacked) {
				await written;
				return undefined;
			}

			// A blob that is not what it should be says why first; else the unpack's own error.
			const [blob, size] = await Promise.allSettled([written, unpacked]);
			if (blob.status === 'rejected') throw blob.reason;
			if (size.status === 'rejected') throw size.reason;
			return size.value;
		} catch (error) {
			if (controller.signal.aborted && !(error instanceof RegistryError && /stopped sending/.test(error.message))) throw stalled();
			throw error;
		} finally {
			clearTimeout(timer);
		}
	}

	/** Unpacks a layer into the layer store, from its blob on disk or from the stream given; returns its size. Refused if it is not the diff id's tar. */
	private async extract(layer: Descriptor, diffId: string, progress: ProgressStream | undefined, stream?: Readable): Promise<number> {
		const short = layer.digest.slice(7, 19);
		const open = () => {
			if (stream) return stream;
			const file = createReadStream(this.blobs.path(layer.digest), {highWaterMark: 1 << 20});
			let read = 0;
			file.on('data', (chunk: string | Buffer) => {
				read += chunk.length;
				progress?.bytes('Extracting', short, read, layer.size);
			});
			return file;
		};

		try {
			const {size} = await this.layers.add(open, diffId);
			// The store had it (another pull's): the download still has to be read to its end.
			stream?.resume();
			return size;
		} catch (error) {
			if (error instanceof RegistryError) throw error;
			if (error instanceof UnsafeArchiveError) throw new RegistryError(`layer ${short} is refused: ${error.message}`);
			if (error instanceof DiffIdMismatchError) {
				await rm(this.blobs.path(layer.digest), {force: true});
				throw new RegistryError(`layer ${short} ${error.message.replace(/^the layer /, '')}`);
			}

			throw new RegistryError(`layer ${short} could not be unpacked: ${(error as Error).message}`);
		}
	}
}
