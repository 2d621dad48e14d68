// /images/...: list, inspect, load, import, tag and remove.
import type {ServerResponse} from 'node:http';
import path from 'node:path';
import {badRequest, conflict, EngineError, notFound} from '../errors.ts';
import type {Engine} from '../engine.ts';
import {importImage, loadImages} from '../image-load.ts';
import {hostImage, type Image, normaliseReference} from '../images.ts';
import {credentialsFrom, credentialsFromHeader} from '../registry/credentials.ts';
import {parsePlatform, type Platform} from '../registry/manifests.ts';
import {ProgressStream} from '../registry/progress.ts';
import {familiarName, familiarTagged, type ImageReference, parseReference} from '../registry/reference.ts';
import {RegistryError, RegistrySession} from '../registry/session.ts';
import {engineApiVersion, flag, type Router, sendJson} from './http.ts';

/** A pull's errors before its stream started are HTTP errors, as dockerd's; after, errorDetail lines. */
async function pull(engine: Engine, query: URLSearchParams, authHeader: string | string[] | undefined, response: ServerResponse): Promise<void> {
	let reference: ImageReference;
	let platform: Platform;
	try {
		reference = parseReference(query.get('fromImage')!, query.get('tag') ?? '');
		platform = parsePlatform(query.get('platform'));
	} catch (error) {
		throw badRequest((error as Error).message);
	}

	const progress = new ProgressStream(response);
	try {
		const image = await engine.puller.pull({reference, credentials: credentialsFromHeader(authHeader), platform, explicitPlatform: Boolean(query.get('platform')), progress});
		engine.events.publish('image', 'pull', image.Id, {name: familiarTagged(reference) ?? `${familiarName(reference)}@${reference.digest}`});
	} catch (error) {
		if (!(error instanceof RegistryError)) console.error('berth engine: a pull failed:', error);
		const message = (error as Error).message;
		if (!progress.hasStarted) throw (error as RegistryError).status === 404 || /access denied/.test(message) ? notFound(message) : new EngineError(500, message);

		progress.error(message);
	}

	progress.end();
}

function imageSummary(image: Image, containers: number) {
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

/** Blobs no image names any more are freed. */
function collectBlobs(engine: Engine): number {
	const keep = new Set([...engine.images.list().flatMap(image => (image.LayerBlobs ?? []).map(blob => blob.digest)), ...engine.puller.inUse()]);
	return engine.blobs.collect(keep);
}

export function addImageRoutes(router: Router, engine: Engine): void {
	const {images} = engine;
	const temporary = path.join(engine.paths.stateDirectory, 'tmp');
	const imageEvent = (action: string, image: Image, name?: string) => engine.events.publish('image', action, image.Id, {name: name ?? image.RepoTags[0] ?? image.Id});
	const find = (name: string) => {
		const image = images.resolve(name);
		if (!image) throw notFound(`No such image: ${name}`);
		return image;
	};

	router.add('GET', '/images/json', (_request, response) => {
		const records = engine.containers.all();
		sendJson(
			response,
			200,
			images.list().map(image => imageSummary(image, records.filter(record => record.Image === image.Id).length)),
		);
	});

	router.add('POST', '/images/load', async (request, response) => {
		const loaded = await loadImages(images, request.raw, temporary);
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
			await pull(engine, request.query, request.raw.headers['x-registry-auth'], response);
			return;
		}

		if (source !== '-') {
			request.raw.resume();
			throw source ? notFound('importing from a URL is not supported by the berth engine: use fromSrc=-') : badRequest('fromImage or fromSrc is required');
		}

		const repo = request.query.get('repo') ?? '';
		const tag = request.query.get('tag') ?? '';
		const reference = repo ? (tag ? `${repo}:${tag}` : repo) : undefined;
		const image = await importImage(images, request.raw, reference, temporary);
		// As dockerd: the new name's tag, then the import.
		if (image.RepoTags[0]) imageEvent('tag', image);
		imageEvent('import', image);
		sendJson(response, 200, {status: image.Id});
	});

	router.add('POST', '/auth', async (request, response) => {
		const body = await request.json<{serveraddress?: unknown; username?: unknown; password?: unknown}>();
		const server = typeof body?.serveraddress === 'string' && body.serveraddress ? body.serveraddress : 'docker.io';
		// "https://index.docker.io/v1/", "http://127.0.0.1:5000", "127.0.0.1:5000": the host is what counts.
		const host = server.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
		const domain = host === 'index.docker.io' || host === 'registry-1.docker.io' ? 'docker.io' : host;
		const session = new RegistrySession({domain, repository: 'library/login'}, credentialsFrom(body ?? {}), engine.config.registry, '');
		try {
			await session.login();
		} catch (error) {
			throw new EngineError(401, (error as Error).message);
		}

		sendJson(response, 200, {Status: 'Login Succeeded', IdentityToken: ''});
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
		if (!/^[a-z0-9]+(?:[._/-][a-z0-9]+)*(?::[\w][\w.-]{0,127})?$/.test(name)) throw badRequest(`invalid reference format: ${name}`);
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

		const tags = [...image.RepoTags];
		images.remove(image);
		collectBlobs(engine);
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
