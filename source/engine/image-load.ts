// `docker load` (a `docker save` tarball: manifest.json, image configs, layer tarballs) and
// `docker import` (a root-filesystem tarball). Each layer goes to the layer store (once: a layer
// the engine has is not unpacked again), checked against the diff id its config names; an image
// is recorded only once all its layers are in, so a failed load leaves no image behind.
import {createHash} from 'node:crypto';
import {createReadStream, existsSync, realpathSync} from 'node:fs';
import {mkdir, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import path from 'node:path';
import type {Readable} from 'node:stream';
import {badRequest} from './errors.ts';
import {applyLayer, UnsafeArchiveError} from './image-unpack.ts';
import {type Image, type ImageConfig, type ImageConfigFile, type ImageStore, normaliseReference} from './images.ts';
import {applyConfigChange} from './dockerfile/config-change.ts';
import {DiffIdMismatchError, type LayerStore} from './layer-store.ts';

type ManifestEntry = {Config?: string; RepoTags?: string[] | null; Layers?: string[]};

/** A path named inside the archive, resolved, and refused if it (or a link on the way) leads out. */
function inside(root: string, name: string): string {
	const resolved = path.resolve(root, name);
	let real: string;
	try {
		real = realpathSync(resolved);
	} catch {
		throw badRequest(`the archive names "${name}", which it does not contain`);
	}

	const realRoot = realpathSync(root);
	if (real !== realRoot && !real.startsWith(`${realRoot}${path.sep}`)) throw badRequest(`the archive's "${name}" leads outside it`);
	return real;
}

/** Puts each layer in the store; returns the diff ids (checked against `expected` where the config names them) and the total size. */
async function storeLayers(layers: LayerStore, files: string[], expected: string[] | undefined): Promise<{diffIds: string[]; size: number}> {
	if (expected && expected.length !== files.length) throw badRequest(`the image config lists ${expected.length} layers but manifest.json ${files.length}`);
	const diffIds: string[] = [];
	let size = 0;
	for (const [index, file] of files.entries()) {
		try {
			const added = await layers.add(() => createReadStream(file), expected?.[index]);
			diffIds.push(added.diffId);
			size += added.size;
		} catch (error) {
			if (error instanceof UnsafeArchiveError || error instanceof DiffIdMismatchError) throw badRequest(error.message);
			throw badRequest(`the layer could not be unpacked: ${(error as Error).message}`);
		}
	}

	return {diffIds, size};
}

/** Loads every image of a `docker save` tarball; returns what the API reports for each. */
export async function loadImages(store: ImageStore, layers: LayerStore, body: Readable, temporaryRoot: string): Promise<Array<{id: string; tags: string[]}>> {
	await mkdir(temporaryRoot, {recursive: true, mode: 0o700});
	const archive = await mkdtemp(path.join(temporaryRoot, 'load-'));
	try {
		try {
			await applyLayer(body, archive, {chown: false});
		} catch (error) {
			throw badRequest(error instanceof UnsafeArchiveError ? error.message : `not a tar archive: ${(error as Error).message}`);
		}

		let manifest: ManifestEntry[];
		// Read where it really is, refused when a symlink takes it out of the archive.
		const manifestFile = existsSync(path.join(archive, 'manifest.json')) ? inside(archive, 'manifest.json') : path.join(archive, 'manifest.json');
		try {
			manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as ManifestEntry[];
		} catch {
			throw badRequest('not a `docker save` archive: it has no readable manifest.json (use import for a root-filesystem tarball)');
		}

		if (!Array.isArray(manifest) || manifest.length === 0) throw badRequest('manifest.json lists no image');
		const loaded: Array<{id: string; tags: string[]}> = [];
		for (const entry of manifest) {
			if (typeof entry.Config !== 'string' || !Array.isArray(entry.Layers)) throw badRequest('manifest.json: an entry has no Config or Layers');
			const configBytes = await readFile(inside(archive, entry.Config));
			const id = `sha256:${createHash('sha256').update(configBytes).digest('hex')}`;
			let config: ImageConfigFile;
			try {
				config = JSON.parse(configBytes.toString('utf8')) as ImageConfigFile;
			} catch {
				throw badRequest(`${entry.Config} is not JSON`);
			}

			const named = config.rootfs?.diff_ids;
			if (named !== undefined && !(Array.isArray(named) && named.every(diffId => typeof diffId === 'string' && /^sha256:[0-9a-f]{64}$/.test(diffId)))) throw badRequest(`${entry.Config}: rootfs.diff_ids is not a list of sha256 digests`);
			const {diffIds, size} = await storeLayers(layers, entry.Layers.map(layer => inside(archive, layer)), named);
			const tags = (entry.RepoTags ?? []).map(tag => normaliseReference(tag));
			const directory = store.directoryOf(id);
			await mkdir(directory, {recursive: true, mode: 0o700});
			await writeFile(path.join(directory, 'config.json'), configBytes, {mode: 0o600});
			store.add({Id: id, RepoTags: tags, Created: config.created ?? new Date().toISOString(), Config: config.config ?? {}, Architecture: config.architecture, Os: config.os, Layers: diffIds, readOnly: false, Size: size});
			loaded.push({id, tags});
		}

		return loaded;
	} finally {
		await rm(archive, {recursive: true, force: true});
	}
}

/** Imports a root-filesystem tarball (gzip or not) as a one-layer image, tagged `reference` if given, with a config as dockerd writes one. */
export async function importImage(store: ImageStore, layers: LayerStore, body: Readable, reference: string | undefined, changes: string[] = []): Promise<Image> {
	let diffId: string;
	let size: number;
	try {
		({diffId, size} = await layers.add(() => body));
	} catch (error) {
		throw badRequest(error instanceof UnsafeArchiveError ? error.message : `not a tar archive: ${(error as Error).message}`);
	}

	const created = new Date().toISOString();
	let config: ImageConfig = {Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin']};
	for (const change of changes) config = applyConfigChange(config, change);
	const architecture = process.arch === 'x64' ? 'amd64' : process.arch;
	const file: ImageConfigFile = {architecture, os: 'linux', created, config, rootfs: {type: 'layers', diff_ids: [diffId]}, history: [{created, comment: 'Imported from -'}]};
	const configBytes = Buffer.from(JSON.stringify(file));
	const id = `sha256:${createHash('sha256').update(configBytes).digest('hex')}`;
	const directory = store.directoryOf(id);
	await mkdir(directory, {recursive: true, mode: 0o700});
	await writeFile(path.join(directory, 'config.json'), configBytes, {mode: 0o600});
	const image: Image = {Id: id, RepoTags: reference ? [normaliseReference(reference)] : [], Created: created, Config: config, Architecture: architecture, Os: 'linux', Layers: [diffId], readOnly: false, Size: size};
	store.add(image);
	return image;
}
