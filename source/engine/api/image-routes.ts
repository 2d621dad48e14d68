// /images/...: listing and inspecting what the engine can run.
import {notFound} from '../errors.ts';
import type {Engine} from '../engine.ts';
import type {Image} from '../images.ts';
import {type Router, sendJson} from './http.ts';

function imageSummary(image: Image, containers: number) {
	return {
		Id: image.Id,
		ParentId: '',
		RepoTags: image.RepoTags,
		RepoDigests: [],
		Created: Math.floor(Date.parse(image.Created) / 1000),
		Size: 0,
		SharedSize: -1,
		VirtualSize: 0,
		Labels: image.Config.Labels ?? {},
		Containers: containers,
	};
}

export function addImageRoutes(router: Router, engine: Engine): void {
	router.add('GET', '/images/json', (_request, response) => {
		const records = engine.containers.all();
		sendJson(
			response,
			200,
			engine.images.list().map(image => imageSummary(image, records.filter(record => record.Image === image.Id).length)),
		);
	});

	router.add('GET', '/images/{name}/json', (request, response) => {
		const image = engine.images.resolve(request.params.name!);
		if (!image) throw notFound(`No such image: ${request.params.name}`);
		sendJson(response, 200, {
			Id: image.Id,
			RepoTags: image.RepoTags,
			RepoDigests: [],
			Parent: '',
			Comment: image.rootfs === '/' ? 'the host\'s own root filesystem, read-only' : '',
			Created: image.Created,
			Config: {...image.Config, Image: '', Volumes: null, OnBuild: null},
			Architecture: process.arch === 'x64' ? 'amd64' : process.arch,
			Os: 'linux',
			Size: 0,
			VirtualSize: 0,
			GraphDriver: {Name: 'berth', Data: null},
			RootFS: {Type: 'layers', Layers: []},
			Metadata: {LastTagTime: '0001-01-01T00:00:00Z'},
		});
	});
}
