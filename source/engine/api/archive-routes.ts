// docker cp both ways (/containers/{id}/archive: GET, HEAD, PUT), docker export, docker diff
// (/changes) and docker commit, on the container's root and layer as it sees them (container-fs.ts).
import {lstat} from 'node:fs/promises';
import type {ServerResponse} from 'node:http';
import path from 'node:path';
import {pipeline} from 'node:stream/promises';
import {pack} from 'tar-stream';
import {goFileMode, packTree} from '../container-fs.ts';
import {engineWrittenFiles} from '../containers.ts';
import {badRequest, EngineError, notFound} from '../errors.ts';
import type {Engine} from '../engine.ts';
import {commitContainer} from '../image-commit.ts';
import {hostImage, type Image, normaliseReference, publishImageEvent} from '../images.ts';
import {parseReference} from '../registry/reference.ts';
import {resolveInRoot} from '../in-root.ts';
import {untarInRoot} from '../runtime/untar-in-root.ts';
import {engineApiVersion, type Router, sendJson} from './http.ts';
import {checkChanges} from './image-routes.ts';

/** Where `wanted` is inside the root: symlinks on the way resolved, the last one kept unless the path ends in "/" or "/.". */
function locate(root: string, wanted: string): string {
	const follow = /\/\.?$/.test(wanted);
	const absolute = path.posix.join('/', wanted);
	if (follow || absolute === '/') return resolveInRoot(root, absolute);
	return path.posix.join(resolveInRoot(root, path.posix.dirname(absolute)), path.posix.basename(absolute));
}

/** What a copy of a running container's files leaves out: its pseudo filesystems (and, for export, every mount). */
function skipped(mounts: string[], all: boolean): Set<string> {
	return new Set(all ? mounts : mounts.filter(point => /^\/(proc|sys|dev)(\/|$)/.test(point)));
}

async function statHeader(host: string, inside: string, root: string): Promise<string> {
	const stats = await lstat(host);
	let linkTarget = '';
	if (stats.isSymbolicLink()) linkTarget = resolveInRoot(root, inside);
	const stat = {name: path.posix.basename(inside) || '/', size: stats.size, mode: goFileMode(stats), mtime: stats.mtime.toISOString(), linkTarget};
	return Buffer.from(JSON.stringify(stat)).toString('base64');
}

export function addArchiveRoutes(router: Router, engine: Engine): void {
	const {containers} = engine;
	const wantedPath = (query: URLSearchParams) => {
		const wanted = query.get('path');
		if (!wanted) throw badRequest('Bad parameter: path cannot be empty');
		if (wanted.includes('\0')) throw badRequest('Bad parameter: path holds a NUL byte');
		return wanted;
	};

	const read = (head: boolean) => async (request: {params: Record<string, string>; query: URLSearchParams}, response: ServerResponse) => {
		const wanted = wantedPath(request.query);
		await containers.withRoot(request.params.id!, false, async (root, record, mounts) => {
			const inside = locate(root, wanted);
			const host = path.join(root, inside);
			if (!(await lstat(host).catch(() => undefined))) throw notFound(`Could not find the file ${wanted} in container ${record.Name.slice(1)}`);
			response.writeHead(200, {'Content-Type': 'application/x-tar', 'X-Docker-Container-Path-Stat': await statHeader(host, inside, root), 'Api-Version': engineApiVersion});
			if (head) {
				response.end();
				return;
			}

			const archive = pack();
			const done = pipeline(archive, response);
			const name = inside === '/' ? '.' : path.posix.basename(inside);
			try {
				await packTree(archive, root, host, name, {hollow: skipped(mounts, false)});
				archive.finalize();
			} catch (error) {
				archive.destroy(error as Error);
			}

			await done.catch(() => response.destroy());
		});
	};

	// HEAD first: the router would otherwise answer it with the GET route.
	router.add('HEAD', '/containers/{id}/archive', read(true));
	router.add('GET', '/containers/{id}/archive', read(false));

	router.add('PUT', '/containers/{id}/archive', async (request, response) => {
		const wanted = wantedPath(request.query);
		await containers.withRoot(request.params.id!, true, async (root, record) => {
			if (record.HostConfig.ReadonlyRootfs) throw new EngineError(403, 'container rootfs is marked read-only');
			const inside = resolveInRoot(root, path.posix.join('/', wanted));
			const stats = await lstat(path.join(root, inside)).catch(() => undefined);
			if (!stats) throw notFound(`Could not find the file ${wanted} in container ${record.Name.slice(1)}`);
			if (!stats.isDirectory()) throw badRequest(`extraction point is not a directory: ${wanted}`);
			try {
				await untarInRoot(engine.isolation.tools.perl ?? 'perl', root, inside, request.raw);
			} catch (error) {
				throw badRequest(`the archive could not be copied into ${wanted}: ${(error as Error).message}`);
			}

			response.writeHead(200, {'Api-Version': engineApiVersion});
			response.end();
		});
	});

	// The root filesystem as the container sees it, without its volumes and pseudo filesystems, as dockerd exports it.
	router.add('GET', '/containers/{id}/export', async (request, response) => {
		await containers.withRoot(request.params.id!, false, async (root, record, mounts) => {
			if (record.Image === hostImage.Id) throw badRequest("the container's root is the host's own root filesystem (the host image): there is nothing of its own to export");
			response.writeHead(200, {'Content-Type': 'application/x-tar', 'Api-Version': engineApiVersion});
			const archive = pack();
			const done = pipeline(archive, response);
			try {
				await packTree(archive, root, root, '.', {skip: engineWrittenFiles, hollow: skipped(mounts, true)});
				archive.finalize();
			} catch (error) {
				archive.destroy(error as Error);
			}

			await done.catch(() => response.destroy());
		});
	});

	// docker commit: the container paused meanwhile unless pause=0, as dockerd does.
	router.add('POST', '/commit', async (request, response) => {
		const {query} = request;
		const record = containers.find(query.get('container') ?? '');
		const changes = query.getAll('changes').filter(Boolean);
		checkChanges(changes);
		const repo = query.get('repo') ?? '';
		const reference = repo ? `${repo}:${query.get('tag') || 'latest'}` : undefined;
		if (reference) {
			try {
				parseReference(reference);
			} catch {
				throw badRequest(`invalid reference format: ${reference}`);
			}
		}

		const pause = query.get('pause') !== '0' && query.get('pause') !== 'false';
		const wasPaused = containers.isPaused(record.Id);
		const paused = pause && containers.isRunning(record.Id) && !wasPaused;
		if (paused) await containers.pause(record.Id);
		let image: Image;
		try {
			image = await commitContainer(engine.images, engine.layers, {record, upper: containers.writableLayer(record.Id), reference, comment: query.get('comment') ?? undefined, author: query.get('author') ?? undefined, changes});
		} finally {
			if (paused) await containers.unpause(record.Id).catch(() => undefined);
		}

		engine.events.publish('container', 'commit', record.Id, {comment: query.get('comment') ?? '', imageID: image.Id, imageRef: reference ?? '', name: record.Name.slice(1)});
		if (reference) publishImageEvent(engine.events, 'tag', image, normaliseReference(reference));
		sendJson(response, 201, {Id: image.Id});
	});

	router.add('GET', '/containers/{id}/changes', (request, response) => {
		sendJson(response, 200, containers.changes(request.params.id!));
	});
}
