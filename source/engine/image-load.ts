// `docker load` (a `docker save` tarball: manifest.json, image configs, layer tarballs) and
// `docker import` (a root-filesystem tarball). Each image becomes one flattened root filesystem,
// unpacked beside its final place and renamed into it, so a failed load leaves nothing behind.
import {createHash} from 'node:crypto';
import {createReadStream, existsSync, realpathSync} from 'node:fs';
import {mkdir, mkdtemp, readFile, rename, rm} from 'node:fs/promises';
import path from 'node:path';
import {PassThrough, type Readable} from 'node:stream';
import {badRequest} from './errors.ts';
import {applyLayer, UnsafeArchiveError} from './image-unpack.ts';
import {type Image, type ImageConfig, type ImageStore, normaliseReference} from './images.ts';

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

async function unpackInto(store: ImageStore, id: string, layers: Array<() => Readable>): Promise<string> {
	const directory = store.directoryOf(id);
	const rootfs = path.join(directory, 'rootfs');
	if (existsSync(rootfs)) return rootfs;
	const partial = path.join(directory, 'rootfs.partial');
	await rm(partial, {recursive: true, force: true});
	await mkdir(partial, {recursive: true, mode: 0o755});
	try {
		for (const layer of layers) await applyLayer(layer(), partial);
		await rename(partial, rootfs);
	} catch (error) {
		await rm(directory, {recursive: true, force: true});
		if (error instanceof UnsafeArchiveError) throw badRequest(error.message);
		throw badRequest(`the layer could not be unpacked: ${(error as Error).message}`);
	}

	return rootfs;
}

/** Loads every image of a `docker save` tarball; returns what the API reports for each. */
export async function loadImages(store: ImageStore, body: Readable, temporaryRoot: string): Promise<Array<{id: string; tags: string[]}>> {
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
			let config: {created?: string; config?: ImageConfig};
			try {
				config = JSON.parse(configBytes.toString('utf8')) as typeof config;
			} catch {
				throw badRequest(`${entry.Config} is not JSON`);
			}

			const layerFiles = entry.Layers.map(layer => inside(archive, layer));
			const rootfs = await unpackInto(store, id, layerFiles.map(file => () => createReadStream(file)));
			const tags = (entry.RepoTags ?? []).map(tag => normaliseReference(tag));
			store.add({Id: id, RepoTags: tags, Created: config.created ?? new Date().toISOString(), Config: config.config ?? {}, rootfs, readOnly: false});
			loaded.push({id, tags});
		}

		return loaded;
	} finally {
		await rm(archive, {recursive: true, force: true});
	}
}

/** Imports a root-filesystem tarball (gzip or not) as a one-layer image, tagged `reference` if given. */
export async function importImage(store: ImageStore, body: Readable, reference: string | undefined, temporaryRoot: string): Promise<Image> {
	await mkdir(temporaryRoot, {recursive: true, mode: 0o700});
	const staging = await mkdtemp(path.join(temporaryRoot, 'import-'));
	const digest = createHash('sha256');
	const tee = new PassThrough();
	body.on('data', (chunk: Buffer) => digest.update(chunk));
	body.pipe(tee);
	try {
		try {
			await applyLayer(tee, staging);
		} catch (error) {
			throw badRequest(error instanceof UnsafeArchiveError ? error.message : `not a tar archive: ${(error as Error).message}`);
		}

		const created = new Date().toISOString();
		const config: ImageConfig = {Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin']};
		const id = `sha256:${createHash('sha256').update(JSON.stringify({created, config, layer: digest.digest('hex')})).digest('hex')}`;
		const directory = store.directoryOf(id);
		await mkdir(directory, {recursive: true, mode: 0o700});
		const rootfs = path.join(directory, 'rootfs');
		await rename(staging, rootfs);
		const image: Image = {Id: id, RepoTags: reference ? [normaliseReference(reference)] : [], Created: created, Config: config, rootfs, readOnly: false};
		store.add(image);
		return image;
	} finally {
		await rm(staging, {recursive: true, force: true});
	}
}
