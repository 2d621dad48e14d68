// /volumes/...: named volumes of the local driver.
import {badRequest} from '../errors.ts';
import {newId} from '../ids.ts';
import type {Engine} from '../engine.ts';
import {diskUsage} from '../disk-usage.ts';
import type {Volume} from '../volumes.ts';
import {anyOf, booleanFilter, checkFilters, labelsMatch, matchesPattern} from './filters.ts';
import {parseFilters, type Router, sendEmpty, sendJson} from './http.ts';

export function addVolumeRoutes(router: Router, engine: Engine): void {
	const {volumes} = engine;

	const unused = (volume: Volume) => engine.containers.usersOfVolume(volume.Name).length === 0;

	router.add('GET', '/volumes', (request, response) => {
		const filters = parseFilters(request.query);
		checkFilters(filters, ['name', 'label', 'dangling', 'driver']);
		const dangling = booleanFilter(filters, 'dangling');
		const chosen = volumes.list().filter(
			volume =>
				anyOf(filters, 'name', value => value === volume.Name || matchesPattern(value, volume.Name)) &&
				anyOf(filters, 'driver', value => value === volume.Driver) &&
				labelsMatch(filters, volume.Labels) &&
				(dangling === undefined || dangling === unused(volume)),
		);
		sendJson(response, 200, {Volumes: chosen, Warnings: null});
	});

	// API 1.41, as dockerd 20.10: every volume no container uses, named or not, within the label filters.
	router.add('POST', '/volumes/prune', async (request, response) => {
		const filters = parseFilters(request.query);
		checkFilters(filters, ['label', 'label!']);
		const deleted: string[] = [];
		let reclaimed = 0;
		for (const volume of volumes.list().filter(volume => unused(volume) && labelsMatch(filters, volume.Labels))) {
			const size = await diskUsage(volume.Mountpoint);
			volumes.remove(volume.Name, engine.containers.usersOfVolume(volume.Name));
			deleted.push(volume.Name);
			reclaimed += size;
		}

		engine.events.publish('volume', 'prune', '', {reclaimed: String(reclaimed)});
		sendJson(response, 200, {VolumesDeleted: deleted.length > 0 ? deleted : null, SpaceReclaimed: reclaimed});
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
