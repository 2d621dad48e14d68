// /_ping, /version, /info and /events.
import os from 'node:os';
import type {ServerResponse} from 'node:http';
import {version as berthVersion} from '../../shared/version.ts';
import {badRequest} from '../errors.ts';
import {type EngineEvent, matchesEvent} from '../events.ts';
import type {Engine} from '../engine.ts';
import {diskUsage} from '../disk-usage.ts';
import {hostImage} from '../images.ts';
import {parseTime} from '../log-store.ts';
import {summary} from './container-routes.ts';
import {imageSummary} from './image-routes.ts';
import {engineApiVersion, minimumApiVersion, parseFilters, type Router, sendJson} from './http.ts';

export function addSystemRoutes(router: Router, engine: Engine): void {
	router.add('GET', '/_ping', (request, response) => {
		response.writeHead(200, {
			'Content-Type': 'text/plain; charset=utf-8',
			'Api-Version': engineApiVersion,
			Ostype: 'linux',
			'Docker-Experimental': 'false',
			'Cache-Control': 'no-cache, no-store, must-revalidate',
			Pragma: 'no-cache',
			Server: `berth/${berthVersion} (linux)`,
		});
		response.end(request.method === 'HEAD' ? undefined : 'OK');
	});

	router.add('GET', '/version', (_request, response) => {
		const details = {ApiVersion: engineApiVersion, MinAPIVersion: minimumApiVersion, Isolation: engine.isolation.mode};
		sendJson(response, 200, {
			Platform: {Name: 'berth engine'},
			Components: [{Name: 'Engine', Version: berthVersion, Details: details}],
			Version: berthVersion,
			ApiVersion: engineApiVersion,
			MinAPIVersion: minimumApiVersion,
			GitCommit: '',
			GoVersion: `node ${process.version}`,
			Os: 'linux',
			Arch: process.arch === 'x64' ? 'amd64' : process.arch,
			KernelVersion: os.release(),
			BuildTime: '',
		});
	});

	router.add('GET', '/info', (_request, response) => {
		const containers = engine.containers.all();
		const running = containers.filter(record => record.State.Running && !record.State.Paused).length;
		const paused = containers.filter(record => record.State.Paused).length;
		sendJson(response, 200, {
			ID: engine.id,
			Name: os.hostname(),
			ServerVersion: berthVersion,
			Containers: containers.length,
			ContainersRunning: running,
			ContainersPaused: paused,
			ContainersStopped: containers.length - running - paused,
			Images: engine.images.list().length,
			Driver: 'berth',
			DriverStatus: [['Isolation', engine.isolation.mode], ['Why', engine.isolation.reason]],
			// berth's own: which isolation is in force, and why (the TUI shows it).
			Isolation: engine.isolation.mode,
			IsolationReason: engine.isolation.reason,
			// berth's own: what all containers together use (CPU time so far, memory without the
			// page cache), from the kernel's sums for the engine's cgroup, so a client needs no
			// stats request per container for a total. Absent without cgroups.
			...usage(engine),
			LoggingDriver: 'json-file',
			CgroupDriver: engine.cgroups ? 'cgroupfs' : 'none',
			CgroupVersion: engine.cgroups ? String(engine.cgroups.version) : '',
			KernelVersion: os.release(),
			OperatingSystem: `${os.type()} ${os.release()}`,
			OSType: 'linux',
			Architecture: os.machine(),
			NCPU: os.cpus().length,
			MemTotal: os.totalmem(),
			DockerRootDir: engine.paths.stateDirectory,
			IndexServerAddress: '',
			RegistryConfig: {IndexConfigs: {}, InsecureRegistryCIDRs: [], Mirrors: []},
			Plugins: {Volume: [], Network: ['host', 'null'], Authorization: null, Log: ['json-file']},
			// What is in force, as dockerd words it, and each thing this machine lacks as a warning (docker info prints them).
			SecurityOptions: engine.isolation.securityOptions,
			Labels: [],
			Warnings: engine.isolation.mode === 'process' ? [`WARNING: containers are not isolated (${engine.isolation.reason})`] : engine.isolation.missing.map(line => `WARNING: ${line}`),
			Runtimes: {berth: {path: 'unshare'}},
			DefaultRuntime: 'berth',
			Swarm: {LocalNodeState: 'inactive', ControlAvailable: false, NodeID: '', NodeAddr: ''},
			// Containers outlive the engine under their monitors, and are adopted when it starts again.
			LiveRestoreEnabled: true,
			ExperimentalBuild: false,
			HttpProxy: '',
			HttpsProxy: '',
			NoProxy: '',
			SystemTime: new Date().toISOString(),
		});
	});

	// docker system df: what images, containers and volumes hold on disk. A layer two images
	// share is counted once in LayersSize, and in each image's SharedSize.
	router.add('GET', '/system/df', async (_request, response) => {
		const records = engine.containers.all();
		const images = engine.images.list().filter(image => image !== hostImage);
		const users = (id: string) => records.filter(record => record.Image === id).length;
		const containers = [];
		for (const record of records) {
			const sizeRw = await diskUsage(engine.containers.writableLayer(record.Id));
			containers.push({...summary(record, engine), SizeRw: sizeRw, SizeRootFs: sizeRw + (engine.images.get(record.Image)?.Size ?? 0)});
		}

		const volumes = [];
		for (const volume of engine.volumes.list()) {
			volumes.push({...volume, UsageData: {Size: await diskUsage(volume.Mountpoint), RefCount: engine.containers.usersOfVolume(volume.Name).length}});
		}

		const uses = new Map<string, number>();
		for (const image of images) for (const diffId of new Set(image.Layers ?? [])) uses.set(diffId, (uses.get(diffId) ?? 0) + 1);
		// Images kept flattened (from before layers were) count whole, shared with none.
		const flattened = images.filter(image => image.rootfs).reduce((total, image) => total + (image.Size ?? 0), 0);
		const layersSize = [...uses.keys()].reduce((total, diffId) => total + engine.layers.size(diffId), flattened);
		const shared = (image: (typeof images)[number]) => [...new Set(image.Layers ?? [])].filter(diffId => (uses.get(diffId) ?? 0) > 1).reduce((total, diffId) => total + engine.layers.size(diffId), 0);
		sendJson(response, 200, {
			LayersSize: layersSize,
			Images: images.map(image => ({...imageSummary(image, users(image.Id)), SharedSize: shared(image)})),
			Containers: containers,
			Volumes: volumes,
			BuildCache: [],
		});
	});

	router.add('GET', '/events', (request, response) => {
		const filters = parseFilters(request.query);
		const since = parseTime(request.query.get('since') ?? undefined);
		const until = parseTime(request.query.get('until') ?? undefined);
		if (since !== undefined && until !== undefined && until < since) throw badRequest('`until` must be after `since`');
		streamEvents(response, engine, filters, since, until);
	});
}

function streamEvents(response: ServerResponse, engine: Engine, filters: Record<string, string[]>, since: number | undefined, until: number | undefined): void {
	response.writeHead(200, {'Content-Type': 'application/json', 'Api-Version': engineApiVersion});
	// Headers first, so a client knows the stream is open before any event comes.
	response.flushHeaders();
	const send = (event: EngineEvent) => {
		if (until !== undefined && event.timeNano / 1e9 > until) return;
		if (matchesEvent(event, filters)) response.write(`${JSON.stringify(event)}\n`);
	};

	if (since !== undefined) for (const event of engine.events.since(since)) send(event);
	const now = Date.now() / 1000;
	if (until !== undefined && until <= now) {
		response.end();
		return;
	}

	engine.events.on('event', send);
	const timer = until === undefined ? undefined : setTimeout(() => response.end(), (until - now) * 1000);
	const close = () => {
		engine.events.off('event', send);
		clearTimeout(timer);
	};

	response.on('close', close);
}

function usage(engine: Engine): {BerthUsage?: {CpuNanoseconds: number; MemoryBytes: number; Read: number}} {
	if (!engine.cgroups) return {};
	const totals = engine.cgroups.totals();
	return {BerthUsage: {CpuNanoseconds: totals.cpuNanoseconds, MemoryBytes: totals.memoryBytes, Read: Date.now()}};
}
