// The engine: its stores, its runtime and its API on a Unix socket, put together.
import {randomBytes} from 'node:crypto';
import {chmodSync, existsSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import {handleUpgrade} from './api/attach.ts';
import {LayerStore} from './layer-store.ts';
import {Pusher} from './registry/push.ts';
import {addArchiveRoutes} from './api/archive-routes.ts';
import {addRegistryRoutes} from './api/registry-routes.ts';
import {addContainerRoutes} from './api/container-routes.ts';
import {rawErrorResponse, Router} from './api/http.ts';
import {addImageRoutes} from './api/image-routes.ts';
import {addStatsRoutes} from './api/stats-routes.ts';
import {addSystemRoutes} from './api/system-routes.ts';
import {addVolumeRoutes} from './api/volume-routes.ts';
import {type CgroupDriver, detectCgroups} from './cgroups.ts';
import {type ContainerRecord, Containers} from './containers.ts';
import {EventLog} from './events.ts';
import {Execs} from './execs.ts';
import {HealthChecks} from './health.ts';
import {Volumes} from './volumes.ts';
import {ImageStore} from './images.ts';
import {BlobStore} from './blob-store.ts';
import {type EngineConfig, readEngineConfig} from './engine-config.ts';
import {Puller} from './registry/pull.ts';
import {type EnginePaths, ensureDirectories} from '../shared/engine-paths.ts';
import {detectIsolation, type Isolation} from './runtime/isolation.ts';
import {StateStore} from './state-store.ts';

export class Engine {
	readonly id: string;
	readonly events = new EventLog();
	readonly images: ImageStore;
	readonly blobs: BlobStore;
	readonly layers: LayerStore;
	readonly config: EngineConfig;
	readonly puller: Puller;
	readonly pusher: Pusher;
	readonly isolation: Isolation;
	readonly cgroups: CgroupDriver | undefined;
	readonly containers: Containers;
	readonly execs: Execs;
	readonly health: HealthChecks;
	readonly volumes: Volumes;
	private server?: http.Server;

	constructor(
		readonly paths: EnginePaths,
		private readonly report: (message: string) => void = message => process.stderr.write(`${message}\n`),
	) {
		ensureDirectories(paths);
		this.id = engineId(paths);
		this.config = readEngineConfig(paths.stateDirectory);
		this.layers = new LayerStore(path.join(paths.stateDirectory, 'layers'));
		this.images = new ImageStore(path.join(paths.stateDirectory, 'images'), this.layers);
		this.blobs = new BlobStore(path.join(paths.stateDirectory, 'blobs'));
		this.puller = new Puller(this.images, this.blobs, this.layers, () => this.config.registry);
		this.pusher = new Pusher(this.images, this.layers, this.blobs, () => this.config.registry);
		this.isolation = detectIsolation();
		this.cgroups = this.isolation.mode === 'namespaces' ? detectCgroups(`berth-${this.id.slice(0, 12)}`) : undefined;
		if (this.isolation.mode === 'namespaces' && !this.cgroups) this.isolation.missing.push('no usable cgroup filesystem: --memory, --cpus and --pids-limit are refused, stats come from /proc');
		this.volumes = new Volumes(path.join(paths.stateDirectory, 'volumes'), this.events);
		this.containers = new Containers(new StateStore<ContainerRecord>(path.join(paths.stateDirectory, 'containers')), this.images, this.events, this.isolation, this.cgroups, this.volumes, report);
		this.containers.load();
		this.execs = new Execs(this.containers, this.isolation);
		this.health = new HealthChecks(this.containers, this.execs, this.events);
		// Exec instances go with their container.
		this.events.on('event', (event: {Type: string; Action: string; Actor: {ID: string}}) => {
			if (event.Type === 'container' && event.Action === 'destroy') this.execs.forget(event.Actor.ID);
		});
	}

	async listen(): Promise<void> {
		const router = new Router();
		addSystemRoutes(router, this);
		addContainerRoutes(router, this);
		addArchiveRoutes(router, this);
		addImageRoutes(router, this);
		addRegistryRoutes(router, this);
		addStatsRoutes(router, this);
		addVolumeRoutes(router, this);
		await removeStaleSocket(this.paths.socketPath);
		// Restart policies first, so that a client that reaches the engine sees their outcome.
		await this.containers.restartOnBoot();
		// Headers up to 1 MiB, as Go's net/http (dockerd) takes them; Node's default is 16 KiB.
		const server = http.createServer({maxHeaderSize: 1024 * 1024}, (request, response) => {
			void router.handle(request, response);
		});
		server.on('upgrade', (request, socket, head) => handleUpgrade(this, request, socket, head));
		// A request the parser refuses (an unknown method, bad chunks, both Content-Length and
		// Transfer-Encoding, headers too large) is answered and the connection closed; one cut off
		// midway holds nothing: nothing changes.
		server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
			if (socket.writable && error.code !== 'ECONNRESET') socket.end(parserRefusal(error));
			else socket.destroy();
		});
		server.requestTimeout = 0;
		server.keepAliveTimeout = 5000;
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(this.paths.socketPath, resolve);
		});
		chmodSync(this.paths.socketPath, 0o600);
		writeFileSync(this.paths.pidFile, `${process.pid}\n`, {mode: 0o600});
		this.server = server;
	}

	async close(): Promise<void> {
		await this.containers.shutdown();
		await new Promise<void>(resolve => {
			if (!this.server) resolve();
			else {
				this.server.close(() => resolve());
				this.server.closeAllConnections();
			}
		});
		rmSync(this.paths.socketPath, {force: true});
		rmSync(this.paths.pidFile, {force: true});
	}
}

/** The answer to a request Node's HTTP parser could not read. */
function parserRefusal(error: NodeJS.ErrnoException): string {
	const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
	return rawErrorResponse(status, `malformed request: ${(error as {reason?: string}).reason ?? error.message}`);
}

function engineId(paths: EnginePaths): string {
	const file = path.join(paths.stateDirectory, 'engine-id');
	if (existsSync(file)) return readFileSync(file, 'utf8').trim();
	const id = randomBytes(16).toString('hex');
	writeFileSync(file, id, {mode: 0o600});
	return id;
}

/** A socket file left by an engine that is gone is removed; one that answers means an engine runs. */
async function removeStaleSocket(socketPath: string): Promise<void> {
	if (!existsSync(socketPath)) return;
	const alive = await new Promise<boolean>(resolve => {
		const socket = net.connect(socketPath, () => {
			socket.destroy();
			resolve(true);
		});
		socket.on('error', () => resolve(false));
	});
	if (alive) throw new Error(`an engine is already listening on ${socketPath}`);
	rmSync(socketPath, {force: true});
}
