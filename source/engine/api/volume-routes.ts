// /volumes/...: named volumes of the local driver.
import {badRequest} from '../errors.ts';
import {newId} from '../ids.ts';
import type {Engine} from '../engine.ts';
import {type Router, sendEmpty, sendJson} from './http.ts';

export function addVolumeRoutes(router: Router, engine: Engine): void {
	const {volumes} = engine;

	router.add('GET', '/volumes', (_request, response) => {
		sendJson(response, 200, {Volumes: volumes.list(), Warnings: null});
	});

	router.add('POST', '/volumes/create', async (request, response) => {
		const body = ((await request.json()) ?? {}) as {Name?: unknown; Labels?: unknown; Driver?: unknown};
		if (body.Driver !== undefined && body.Driver !== '' && body.Driver !== 'local') throw badRequest(`volume driver "${String(body.Driver)}" is not supported: only local`);
		const name = typeof body.Name === 'string' && body.Name !== '' ? body.Name : newId();
		const labels = body.Labels && typeof body.Labels === 'object' ? (body.Labels as Record<string, string>) : {};
		const volume = volumes.create(name, labels);
		sendJson(response, 201, volume);
	});

	router.add('GET', '/volumes/{name}', (request, response) => {
		sendJson(response, 200, volumes.get(request.params.name!));
	});

	router.add('DELETE', '/volumes/{name}', (request, response) => {
		const {name} = request.params;
		volumes.remove(name!, engine.containers.usersOfVolume(name!));
		sendEmpty(response);
	});
}
