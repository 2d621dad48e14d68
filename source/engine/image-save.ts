// `docker save`: images as a tarball `docker load` reads, dockerd's way: each image's config as
// <id>.json, each layer's tar as <diff id>/layer.tar (rebuilt byte for byte from the layer store,
// so every diff id holds and the image id is the same wherever it is loaded), and manifest.json.
import {readFile} from 'node:fs/promises';
import path from 'node:path';
import type {Readable, Writable} from 'node:stream';
import {pipeline} from 'node:stream/promises';
import {pack} from 'tar-stream';
import {badRequest, EngineError, notFound} from './errors.ts';
import {hostImage, type Image, type ImageStore, normaliseReference} from './images.ts';
import type {LayerStore} from './layer-store.ts';

type Saved = {image: Image; tags: string[]};
type SavedLayer = {diffId: string; size: number; open(): Readable};

/** Which images `names` mean, and the tags each goes with: the tag a name is (busybox is busybox:latest), none for an id. */
export function imagesToSave(store: ImageStore, names: string[]): Saved[] {
	const chosen = new Map<string, Saved>();
	for (const name of names) {
		const image = store.resolve(name);
		if (!image) throw notFound(`No such image: ${name}`);
		if (image === hostImage) throw badRequest('the built-in host image is the host itself: there is nothing to save');
		const entry = chosen.get(image.Id) ?? {image, tags: []};
		chosen.set(image.Id, entry);
		const reference = normaliseReference(name);
		if (image.RepoTags.includes(reference)) entry.tags.push(reference);
	}

	return [...chosen.values()].map(entry => ({...entry, tags: [...new Set(entry.tags)]}));
}

/** Checks that every layer can be rebuilt before the first byte goes out: an error then is still an HTTP error. */
async function layersOf(layers: LayerStore, image: Image): Promise<SavedLayer[]> {
	if (image.rootfs) throw new EngineError(409, `image ${image.RepoTags[0] ?? image.Id.slice(7, 19)} was unpacked whole by an earlier berth, without its layers: pull or load it again to save it`);
	const found: SavedLayer[] = [];
	for (const diffId of image.Layers ?? []) {
		const tar = await layers.tar(diffId);
		if (!tar) throw new EngineError(409, `layer ${diffId.slice(7, 19)} of ${image.RepoTags[0] ?? image.Id.slice(7, 19)} came as a tar naming one path twice, which cannot be rebuilt exactly: it cannot be saved`);
		found.push({diffId, ...tar});
	}

	return found;
}

export async function prepareSave(store: ImageStore, layers: LayerStore, names: string[]): Promise<(output: Writable) => Promise<void>> {
	const saved = imagesToSave(store, names);
	const contents: Array<Saved & {config: Buffer; layers: SavedLayer[]}> = [];
	for (const {image, tags} of saved) {
		const config = await readFile(path.join(store.directoryOf(image.Id), 'config.json')).catch(() => {
			throw new EngineError(409, `image ${image.RepoTags[0] ?? image.Id.slice(7, 19)} has no config kept (imported by an earlier berth): it cannot be saved`);
		});
		contents.push({image, tags, config, layers: await layersOf(layers, image)});
	}

	return async output => {
		const archive = pack();
		const done = pipeline(archive, output);
		const entry = (name: string, body: Buffer | string) => new Promise<void>((resolve, reject) => archive.entry({name, mode: 0o644, mtime: new Date(0)}, body, error => (error ? reject(error) : resolve())));
		const written = new Set<string>();
		const manifest = [];
		try {
			for (const {image, tags, config, layers: imageLayers} of contents) {
				const configName = `${image.Id.slice(7)}.json`;
				await entry(configName, config);
				const names = [];
				for (const layer of imageLayers) {
					const directory = layer.diffId.slice(7);
					names.push(`${directory}/layer.tar`);
					if (written.has(directory)) continue;
					written.add(directory);
					archive.entry({name: `${directory}/`, type: 'directory', mode: 0o755, mtime: new Date(0)});
					await entry(`${directory}/VERSION`, '1.0');
					const stream = archive.entry({name: `${directory}/layer.tar`, size: layer.size, mode: 0o644, mtime: new Date(0)});
					await pipeline(layer.open(), stream);
				}

				manifest.push({Config: configName, RepoTags: tags.length > 0 ? tags : null, Layers: names});
			}

			await entry('manifest.json', JSON.stringify(manifest));
			archive.finalize();
		} catch (error) {
			archive.destroy(error as Error);
		}

		await done;
	};
}
