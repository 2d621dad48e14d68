// /images/...: list, inspect, history, save, load, import, tag, remove and prune (pulls, pushes and
// logins are registry-routes', commits archive-routes').
import {readFile} from 'node:fs/promises';
import type {ServerResponse} from 'node:http';
import path from 'node:path';
import {badRequest, conflict, EngineError, notFound} from '../errors.ts';
import type {Engine} from '../engine.ts';
import {importImage, loadImages} from '../image-load.ts';
import {prepareSave} from '../image-save.ts';
import {applyConfigChange} from '../dockerfile/config-change.ts';
import {hostImage, type Image, type ImageConfigFile, normaliseReference, publishImageEvent} from '../images.ts';
import {parseReference} from '../registry/reference.ts';
import {pullImage} from './registry-routes.ts';
import {engineApiVersion, flag, parseFilters, type Router, sendJson} from './http.ts';
import {filterImageList, imagesToPrune} from './image-filters.ts';

/** docker history: the config's history, newest first; the entries that made a layer carry its size. */
async function imageHistory(engine: Engine, image: Image) {
	const created = (value: string | undefined) => Math.floor(Date.parse(value ?? image.Created) / 1000) || 0;
	let history: ImageConfigFile['history'] = [];
	try {
		history = (JSON.parse(await readFile(path.join(engine.images.directoryOf(image.Id), 'config.json'), 'utf8')) as ImageConfigFile).history ?? [];
	} catch {
		// Imported before configs were kept, or the host image: one entry.
	}

	if (history.length === 0) return [{Id: image.Id, Created: created(undefined), CreatedBy: '', Tags: image.RepoTags, Size: image.Size ?? 0, Comment: image === hostImage ? "the host's own root filesystem" : ''}];
	const layers = image.Layers ?? [];
	let layer = 0;
	const entries = history.map((entry: NonNullable<ImageConfigFile['history']>[number]) => {
		const size = entry.empty_layer ? 0 : engine.layers.size(layers[layer++] ?? '');
		return {Id: '<missing>', Created: created(entry.created), CreatedBy: entry.created_by ?? '', Tags: null as string[] | null, Size: size, Comment: entry.comment ?? ''};
	});
	entries.reverse();
	entries[0] = {...entries[0]!, Id: image.Id, Tags: image.RepoTags};
	return entries;
}

/** Refuses, before anything is made, a --change that is not one the engine applies. */
export function checkChanges(changes: string[]): void {
	for (const change of changes) {
		try {
			applyConfigChange({}, change);
		} catch (error) {
			throw badRequest(`invalid --change "${change.slice(0, 200)}": ${(error as Error).message}`);
		}
	}
}

export function imageSummary(image: Image, containers: number) {
	return {
		Id: image.Id,
		ParentId: '',
		RepoTags: image.RepoTags,
		RepoDigests: image.RepoDigests ?? [],
		Created: Math.floor(Date.parse(image.Created) / 1000),
		Size: image.Size ?? 0,
		SharedSize: -1,
		VirtualSize: image.Size ?? 0,
		Labels: image.Config.Labels ?? {},
		Containers: containers,
	};
}

/** Layers and blobs no image names any more are freed; returns the layers' bytes. */
function collectUnused(engine: Engine): number {
	const images = engine.images.list();
	const blobs = new Set([...images.flatMap(image => (image.LayerBlobs ?? []).map(blob => blob.digest)), ...engine.puller.inUse()]);
	engine.blobs.collect(blobs);
	return engine.layers.collect(new Set(images.flatMap(image => image.Layers ?? [])));
}

export function addImageRoutes(router: Router, engine: Engine): void {
	const {images} = engine;
	const temporary = path.join(engine.paths.stateDirectory, 'tmp');
	const imageEvent = (action: string, image: Image, name?: string) => publishImageEvent(engine.events, action, image, name);
	const find = (name: string) => {
		const image = images.resolve(name);
		if (!image) throw notFound(`No such image: ${name}`);
		return image;
	};

	router.add('GET', '/images/json', (request, response) => {
		const records = engine.containers.all();
		const chosen = filterImageList(images.list(), parseFilters(request.query), name => images.resolve(name));
		sendJson(
			response,
			200,
			chosen.map(image => imageSummary(image, records.filter(record => record.Image === image.Id).length)),
		);
	});

	router.add('POST', '/images/prune', (request, response) => {
		const records = engine.containers.all();
		const chosen = imagesToPrune(images.list(), parseFilters(request.query), image => image === hostImage || records.some(record => record.Image === image.Id));
		const deleted: Array<Record<string, string>> = [];
		let reclaimed = 0;
		for (const image of chosen) {
			const tags = [...image.RepoTags];
			images.remove(image);
			for (const tag of tags) {
				deleted.push({Untagged: tag});
				imageEvent('untag', image, tag);
			}

			deleted.push({Deleted: image.Id});
			imageEvent('delete', image, tags[0] ?? image.Id);
		}

		// What was freed: a layer another image still uses stays.
		if (chosen.length > 0) reclaimed = collectUnused(engine);
		engine.events.publish('image', 'prune', '', {reclaimed: String(reclaimed)});
		sendJson(response, 200, {ImagesDeleted: deleted.length > 0 ? deleted : null, SpaceReclaimed: reclaimed});
	});

	router.add('POST', '/images/load', async (request, response) => {
		const loaded = await loadImages(images, engine.layers, request.raw, temporary);
		response.writeHead(200, {'Content-Type': 'application/json', 'Api-Version': engineApiVersion});
		for (const {id, tags} of loaded) {
			const image = images.resolve(id);
			if (image) imageEvent('load', image);
			const lines = tags.length > 0 ? tags.map(tag => `Loaded image: ${tag}\n`) : [`Loaded image ID: ${id}\n`];
			for (const line of lines) response.write(`${JSON.stringify({stream: line})}\n`);
		}

		response.end();
	});

	router.add('POST', '/images/create', async (request, response) => {
		const source = request.query.get('fromSrc');
		const fromImage = request.query.get('fromImage');
		if (fromImage && !source) {
			request.raw.resume();
			await pullImage(engine, request.query, request.raw.headers['x-registry-auth'], response);
			return;
		}

		if (source !== '-') {
			request.raw.resume();
			throw source ? notFound('importing from a URL is not supported by the berth engine: use fromSrc=-') : badRequest('fromImage or fromSrc is required');
		}

		const repo = request.query.get('repo') ?? '';
		const tag = request.query.get('tag') ?? '';
		const reference = repo ? (tag ? `${repo}:${tag}` : repo) : undefined;
		const changes = request.query.getAll('changes').filter(Boolean);
		checkChanges(changes);
		const image = await importImage(images, engine.layers, request.raw, reference, changes);
		// As dockerd: the new name's tag, then the import.
		if (image.RepoTags[0]) imageEvent('tag', image);
		imageEvent('import', image);
		sendJson(response, 200, {status: image.Id});
	});

	// docker save: every check made before the first byte, so a refusal is still an HTTP error.
	const save = async (names: string[], response: ServerResponse) => {
		if (names.length === 0) throw badRequest('no image named: GET /images/get?names=NAME');
		const write = await prepareSave(images, engine.layers, names);
		response.writeHead(200, {'Content-Type': 'application/x-tar', 'Api-Version': engineApiVersion});
		await write(response).catch((error: unknown) => {
			console.error('berth engine: a save was cut off:', (error as Error).message);
			response.destroy();
		});
		for (const name of names) {
			const image = images.resolve(name);
			if (image) imageEvent('save', image, name);
		}
	};

	router.add('GET', '/images/get', (request, response) => save(request.query.getAll('names'), response));
	router.add('GET', '/images/{name+}/get', (request, response) => save([request.params.name!], response));

	// Searching is Docker Hub's service, not the Registry API's: nothing a private registry offers.
	router.add('GET', '/images/search', () => {
		throw new EngineError(501, "search is not supported by berth's engine: it is a Docker Hub service that registries do not offer; look for images in your registry's own interface");
	});

	router.add('GET', '/images/{name+}/history', async (request, response) => {
		sendJson(response, 200, await imageHistory(engine, find(request.params.name!)));
	});

	router.add('GET', '/images/{name+}/json', (request, response) => {
		const image = find(request.params.name!);
		sendJson(response, 200, {
			Id: image.Id,
			RepoTags: image.RepoTags,
			RepoDigests: image.RepoDigests ?? [],
			Parent: '',
			Comment: image === hostImage ? 'the host\'s own root filesystem, read-only' : '',
			Created: image.Created,
			Config: {...image.Config, Image: '', Volumes: null, OnBuild: null},
			Architecture: image.Architecture ?? (process.arch === 'x64' ? 'amd64' : process.arch),
			Os: image.Os ?? 'linux',
			Size: image.Size ?? 0,
			VirtualSize: image.Size ?? 0,
			GraphDriver: {Name: 'berth', Data: null},
			RootFS: {Type: 'layers', Layers: image.Layers ?? []},
			Metadata: {LastTagTime: '0001-01-01T00:00:00Z'},
		});
	});

	router.add('POST', '/images/{name+}/tag', (request, response) => {
		const image = find(request.params.name!);
		const repo = request.query.get('repo');
		if (!repo) throw badRequest('repository name must have at least one component');
		if (image === hostImage) throw badRequest('the built-in host image cannot be tagged');
		const tag = request.query.get('tag') || 'latest';
		const name = `${repo}:${tag}`;
		try {
			if (repo.includes('@') || parseReference(repo).tag !== 'latest' || repo.endsWith(':latest')) throw new Error('a tag or digest in the repository');
			parseReference(name);
		} catch {
			throw badRequest(`invalid reference format: ${name}`);
		}
		images.tag(image, name);
		imageEvent('tag', image, normaliseReference(name));
		response.writeHead(201, {'Api-Version': engineApiVersion});
		response.end();
	});

	router.add('DELETE', '/images/{name+}', (request, response) => {
		const name = request.params.name!;
		const image = find(name);
		if (image === hostImage) throw conflict('the built-in host image cannot be removed');
		const force = flag(request.query, 'force');
		const reference = normaliseReference(name);
		const byTag = image.RepoTags.includes(reference);
		const result: Array<Record<string, string>> = [];
		// A tag of an image with other tags: only the tag goes.
		if (byTag && image.RepoTags.length > 1) {
			images.untag(image, reference);
			imageEvent('untag', image, reference);
			sendJson(response, 200, [{Untagged: reference}]);
			return;
		}

		const users = engine.containers.all().filter(record => record.Image === image.Id);
		if (users.length > 0 && !force) {
			throw conflict(`conflict: unable to remove repository reference "${name}" (must force) - container ${users[0]!.Id.slice(0, 12)} is using its referenced image ${image.Id.slice(7, 19)}`);
		}

		if (users.some(record => engine.containers.isRunning(record.Id))) {
			throw conflict(`conflict: unable to delete ${image.Id.slice(7, 19)} (cannot be forced) - image is being used by running container ${users[0]!.Id.slice(0, 12)}`);
		}

		// Forced, with stopped containers on it: its names go, its layers stay for them (they start again as before).
		if (users.length > 0) {
			for (const tag of [...image.RepoTags]) {
				images.untag(image, tag);
				result.push({Untagged: tag});
				imageEvent('untag', image, tag);
			}

			sendJson(response, 200, result);
			return;
		}

		const tags = [...image.RepoTags];
		images.remove(image);
		collectUnused(engine);
		// As dockerd: each tag's untag, then the delete.
		for (const tag of tags) {
			result.push({Untagged: tag});
			imageEvent('untag', image, tag);
		}

		result.push({Deleted: image.Id});
		imageEvent('delete', image, tags[0] ?? image.Id);
		sendJson(response, 200, result);
	});
}
