// The images the engine can run: the built-in `host` (the host's own root filesystem, read-only)
// and images pulled from registries, loaded from `docker save` tarballs or imported from
// root-filesystem tarballs. Their layers live in the layer store, shared; an image is its record
// and its config beside it. (Images unpacked before layers were kept are one flattened tree.)
import {createHash} from 'node:crypto';
import {existsSync, readdirSync, readFileSync, rmSync} from 'node:fs';
import path from 'node:path';
import type {EventLog} from './events.ts';
import type {LayerStore, LowerDirs} from './layer-store.ts';
import {writeJsonAtomically} from './state-store.ts';

export type ImageConfig = {
	Env?: string[];
	Cmd?: string[] | null;
	Entrypoint?: string[] | null;
	WorkingDir?: string;
	User?: string;
	Labels?: Record<string, string> | null;
	ExposedPorts?: Record<string, object> | null;
	Volumes?: Record<string, object> | null;
	StopSignal?: string;
	Healthcheck?: import('./containers.ts').Healthcheck;
};

/** An image's config file as registries and `docker save` carry it (its digest is the image id). */
export type ImageConfigFile = {
	created?: string;
	architecture?: string;
	os?: string;
	variant?: string;
	config?: ImageConfig;
	rootfs?: {type?: string; diff_ids?: string[]};
	history?: Array<{created?: string; created_by?: string; empty_layer?: boolean; comment?: string}>;
};

export type Image = {
	Id: string;
	RepoTags: string[];
	/** "name@sha256:…" of the manifests it was pulled by. */
	RepoDigests?: string[];
	Created: string;
	Architecture?: string;
	Os?: string;
	/** Diff ids, bottom first, for images that came with a config (pulled or loaded). */
	Layers?: string[];
	/** The compressed layers as the registry served them, kept in the blob store. */
	LayerBlobs?: Array<{digest: string; size: number; mediaType: string}>;
	Config: ImageConfig;
	/** A flattened root filesystem on the host: the host image's "/", and images kept before layers were. */
	rootfs?: string;
	readOnly: boolean;
	Size?: number;
};

const defaultPath = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export const hostImage: Image = {
	Id: `sha256:${createHash('sha256').update('berth built-in image: host').digest('hex')}`,
	RepoTags: ['host:latest'],
	Created: '1970-01-01T00:00:00Z',
	Config: {Env: [defaultPath], Cmd: ['/bin/sh'], WorkingDir: '/', Labels: {'org.berth.image': 'host'}},
	rootfs: '/',
	readOnly: true,
};

/** An image event, named as dockerd names it: the name used, else its first tag, else its id. */
export function publishImageEvent(events: EventLog, action: string, image: Image, name?: string): void {
	events.publish('image', action, image.Id, {name: name ?? image.RepoTags[0] ?? image.Id});
}

/**
 * The short form `docker images` shows: "busybox" → "busybox:latest", and the default registry
 * the docker CLI spells out ("docker.io/library/busybox") dropped.
 */
export function normaliseReference(value: string): string {
	const reference = value.replace(/^(?:docker\.io|index\.docker\.io)\/(?:library\/)?/, '');
	const lastPart = reference.split('/').at(-1) ?? reference;
	return lastPart.includes(':') || reference.includes('@') ? reference : `${reference}:latest`;
}

export class ImageStore {
	private readonly images = new Map<string, Image>([[hostImage.Id, hostImage]]);

	constructor(
		private readonly directory?: string,
		private readonly layers?: LayerStore,
	) {
		if (!directory || !existsSync(directory)) return;
		for (const entry of readdirSync(directory)) {
			const file = path.join(directory, entry, 'image.json');
			try {
				const image = JSON.parse(readFileSync(file, 'utf8')) as Image;
				const whole = image.rootfs ? existsSync(image.rootfs) : (image.Layers ?? []).every(diffId => layers?.has(diffId));
				if (whole) this.images.set(image.Id, image);
			} catch {
				// A half-written image (the engine stopped while loading it) is not listed.
			}
		}
	}

	list(): Image[] {
		return [...this.images.values()];
	}

	/** By name (`host`, `busybox:1.36`), repository digest (`alpine@sha256:…`), full id, or a unique id prefix. */
	resolve(reference: string): Image | undefined {
		const name = normaliseReference(reference);
		for (const image of this.images.values()) if (image.RepoTags.includes(name) || image.RepoDigests?.includes(name)) return image;
		const id = reference.startsWith('sha256:') ? reference : `sha256:${reference}`;
		if (!/^sha256:[0-9a-f]+$/.test(id)) return undefined;
		const matches = [...this.images.values()].filter(image => image.Id.startsWith(id));
		return matches.length === 1 ? matches[0] : undefined;
	}

	/** The image's layers to mount below a container's own, top first. */
	lowerDirs(image: Image): LowerDirs {
		if (image.rootfs) return {base: path.dirname(image.rootfs), lowerdir: path.basename(image.rootfs), paths: [image.rootfs]};
		if (!this.layers) throw new Error('this image store has no layers');
		return this.layers.lowerDirs(image.Layers ?? []);
	}

	get(id: string): Image | undefined {
		return this.images.get(id);
	}

	directoryOf(id: string): string {
		if (!this.directory) throw new Error('this image store keeps nothing on disk');
		return path.join(this.directory, id.replace(/^sha256:/, ''));
	}

	/** Adds (or replaces) an image; the tags it takes are taken from any other image. */
	add(image: Image): string[] {
		const untagged = this.takeTags(image.RepoTags, image.Id);
		const existing = this.images.get(image.Id);
		const merged = existing
			? {...existing, ...image, RepoTags: [...new Set([...existing.RepoTags, ...image.RepoTags])], RepoDigests: [...new Set([...(existing.RepoDigests ?? []), ...(image.RepoDigests ?? [])])]}
			: image;
		this.images.set(image.Id, merged);
		this.save(merged);
		return untagged;
	}

	tag(image: Image, name: string): void {
		const reference = normaliseReference(name);
		this.takeTags([reference], image.Id);
		if (!image.RepoTags.includes(reference)) image.RepoTags.push(reference);
		this.save(image);
	}

	/** Removes a tag; returns whether the image has none left. */
	untag(image: Image, name: string): boolean {
		image.RepoTags = image.RepoTags.filter(tag => tag !== normaliseReference(name));
		this.save(image);
		return image.RepoTags.length === 0;
	}

	remove(image: Image): void {
		this.images.delete(image.Id);
		rmSync(this.directoryOf(image.Id), {recursive: true, force: true});
	}

	private takeTags(tags: string[], keeperId: string): string[] {
		const untagged: string[] = [];
		for (const other of this.images.values()) {
			if (other.Id === keeperId || other === hostImage) continue;
			const kept = other.RepoTags.filter(tag => !tags.includes(tag));
			if (kept.length !== other.RepoTags.length) {
				untagged.push(...other.RepoTags.filter(tag => tags.includes(tag)));
				other.RepoTags = kept;
				this.save(other);
			}
		}

		return untagged;
	}

	private save(image: Image): void {
		if (image === hostImage || !this.directory) return;
		writeJsonAtomically(path.join(this.directoryOf(image.Id), 'image.json'), image);
	}
}
