// Containers: their records, their lifecycle and the shapes the API returns. Every change is
// saved before it is announced, so what a client is told has happened survives a restart.
import {spawnSync} from 'node:child_process';
import {constants} from 'node:os';
import {existsSync, mkdirSync, readdirSync, readFileSync, rmSync, truncateSync} from 'node:fs';
import path from 'node:path';
import {humanDuration} from '../shared/durations.ts';
import {badRequest, conflict, EngineError, notFound, notModified} from './errors.ts';
import type {EventLog} from './events.ts';
import {newId, randomName, validName} from './ids.ts';
import {hostImage, type Image, type ImageStore} from './images.ts';
import {familiarString} from './registry/reference.ts';
import {ContainerLog, defaultLogOptions, type LogOptions, parseSize} from './log-store.ts';
import type {CgroupDriver, CgroupStats, ContainerCgroup} from './cgroups.ts';
import type {Volumes} from './volumes.ts';
import {findInLayers, resolveInRoot} from './in-root.ts';
import {type Change, containerChanges, mountPointsOf, mountStoppedRoot} from './container-fs.ts';
import {type DeviceRequest, parseDevices, parseTmpfs} from './mounts.ts';
import {checkProcessStrings} from './process-strings.ts';
import type {UpdateRequest} from './api/validate.ts';
import {capabilityNumbers, checkCapabilities, containerCapabilities} from './runtime/capabilities.ts';
import type {Isolation} from './runtime/isolation.ts';
import {adoptContainer, type Bind, containerFiles, isMonitor, launchContainer, readExit, type RunningContainer, type StdinMode} from './runtime/launch.ts';
import {SpoolReader} from './runtime/spool.ts';
import {OutputLines} from './output-lines.ts';
import {alive, processesOf, resizeTerminal} from './runtime/processes.ts';
import {seccompProgram} from './runtime/seccomp.ts';
import type {StateStore} from './state-store.ts';

export type ContainerConfig = {
	Hostname?: string;
	User?: string;
	Env?: string[];
	Cmd?: string[];
	Entrypoint?: string[] | null;
	Image: string;
	WorkingDir?: string;
	Labels?: Record<string, string>;
	Tty?: boolean;
	OpenStdin?: boolean;
	AttachStdin?: boolean;
	AttachStdout?: boolean;
	AttachStderr?: boolean;
	StdinOnce?: boolean;
	StopSignal?: string;
	StopTimeout?: number;
	ExposedPorts?: Record<string, object>;
	Healthcheck?: Healthcheck;
};

/** Docker's health check: Test is ["CMD", …], ["CMD-SHELL", "…"] or ["NONE"]; durations in nanoseconds. */
export type Healthcheck = {Test?: string[] | null; Interval?: number; Timeout?: number; StartPeriod?: number; Retries?: number};

export type HealthState = {Status: 'starting' | 'healthy' | 'unhealthy'; FailingStreak: number; Log: Array<{Start: string; End: string; ExitCode: number; Output: string}>};

export type HostConfig = {
	NetworkMode?: string;
	RestartPolicy?: {Name?: string; MaximumRetryCount?: number};
	AutoRemove?: boolean;
	LogConfig?: {Type?: string; Config?: Record<string, string>};
	Memory?: number;
	NanoCpus?: number;
	PidsLimit?: number | null;
	Binds?: string[] | null;
	CapAdd?: string[] | null;
	CapDrop?: string[] | null;
	Privileged?: boolean;
	SecurityOpt?: string[] | null;
	Init?: boolean | null;
	ReadonlyRootfs?: boolean;
	/** Mount point → tmpfs options (`--tmpfs`). */
	Tmpfs?: Record<string, string> | null;
	Devices?: DeviceRequest[] | null;
};

export type ContainerState = {
	Status: 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';
	Running: boolean;
	Paused: boolean;
	Restarting: boolean;
	OOMKilled: boolean;
	Dead: boolean;
	Pid: number;
	ExitCode: number;
	Error: string;
	StartedAt: string;
	FinishedAt: string;
	Health?: HealthState;
};

export type ContainerRecord = {
	Id: string;
	Name: string;
	Created: string;
	Path: string;
	Args: string[];
	Image: string;
	ImageName: string;
	Config: ContainerConfig;
	HostConfig: HostConfig;
	State: ContainerState;
	RestartCount: number;
	LogPath: string;
	/** Stopped by a person (docker stop): unless-stopped leaves it so, even across engine restarts. */
	ManuallyStopped?: boolean;
	/** It was running when the engine stopped, so its restart policy may bring it back. */
	RunningAtShutdown?: boolean;
	/** The host pid of the monitor that holds it, to find it again after the engine restarts. */
	MonitorPid?: number;
};

/** What a container is allowed, worked out from its HostConfig and what the machine can do. */
export type Privileges = {capabilities: string[]; seccomp: boolean; noNewPrivileges: boolean; privileged: boolean};

const securityOption = (hostConfig: HostConfig, name: string) => (hostConfig.SecurityOpt ?? []).map(option => option.replace('=', ':')).find(option => option === name || option.startsWith(`${name}:`));

export function privilegesOf(hostConfig: HostConfig, isolation: Isolation): Privileges {
	const privileged = Boolean(hostConfig.Privileged);
	const wanted = containerCapabilities({capAdd: hostConfig.CapAdd, capDrop: hostConfig.CapDrop, privileged}, isolation.lastCap);
	// A container cannot have what the engine itself does not.
	const capabilities = wanted.filter(name => (isolation.ownCapabilities >> BigInt(capabilityNumbers[name]!)) & 1n);
	const seccompOption = securityOption(hostConfig, 'seccomp');
	const noNewPrivileges = securityOption(hostConfig, 'no-new-privileges');
	return {
		capabilities,
		seccomp: isolation.seccomp && !privileged && seccompOption !== 'seccomp:unconfined',
		noNewPrivileges: noNewPrivileges !== undefined && noNewPrivileges !== 'no-new-privileges:false',
		privileged,
	};
}

const zeroTime = '0001-01-01T00:00:00Z';

/** SIGTERM, TERM, 15: all the spellings docker accepts. */
export function parseSignal(value: string | undefined, fallback: NodeJS.Signals | number = 'SIGKILL'): NodeJS.Signals | number {
	if (!value) return fallback;
	if (/^\d+$/.test(value)) return Number(value);
	const name = value.toUpperCase().startsWith('SIG') ? value.toUpperCase() : `SIG${value.toUpperCase()}`;
	if (!(name in constants.signals)) throw badRequest(`Invalid signal: ${value}`);
	return name as NodeJS.Signals;
}

type Live = {process: RunningContainer; log: ContainerLog; stopping: boolean; cgroup?: ContainerCgroup};

/** The largest max-file accepted: more would be a thousand names to look for at every read. */
const maxLogFiles = 100;
/** The files the engine writes into each container's layer (etc-files.ts): not the container's changes. */
export const engineWrittenFiles = new Set(['/etc/hostname', '/etc/hosts', '/etc/resolv.conf']);

export class Containers {
	private readonly records = new Map<string, ContainerRecord>();
	private readonly live = new Map<string, Live>();
	/** Containers between the making of their cgroup and their first process: their cgroup is theirs. */
	private readonly launching = new Set<string>();
	private readonly logs = new Map<string, ContainerLog>();
	private readonly exitWaiters = new Map<string, Array<(code: number) => void>>();
	private readonly removeWaiters = new Map<string, Array<() => void>>();
	private readonly restartTimers = new Map<string, NodeJS.Timeout>();
	private readonly backoff = new Map<string, number>();
	/** One state change at a time per container: each waits for the one before. */
	private readonly operations = new Map<string, Promise<unknown>>();
	private shuttingDown = false;

	constructor(
		private readonly store: StateStore<ContainerRecord>,
		private readonly images: ImageStore,
		private readonly events: EventLog,
		private readonly isolation: Isolation,
		private readonly cgroups: CgroupDriver | undefined,
		private readonly volumes: Volumes,
		private readonly report: (message: string) => void,
	) {}

	/**
	 * Loads the saved records. A container that was running is found again under its monitor,
	 * which kept it running while the engine was away; one whose monitor is gone is recorded with
	 * the exit status the monitor left (and when), or as lost. What has no record is cleaned up:
	 * processes, directories, cgroups.
	 */
	load(): void {
		this.unmountStaleViews();
		for (const record of this.store.loadAll(this.report)) {
			this.records.set(record.Id, record);
			const wasRunning = record.State.Running || record.State.Status === 'restarting' || record.State.Status === 'paused';
			const directory = this.store.directoryOf(record.Id);
			const adopted = wasRunning ? adoptContainer(record.Id, directory, {monitorPid: record.MonitorPid, pid: record.State.Pid, stdin: this.stdinMode(record), group: this.isolation.mode === 'process' && !record.Config.Tty}) : undefined;
			if (adopted) {
				const cgroup = this.cgroups?.create(record.Id, this.limits(record));
				// Made again thawed; a container paused when the engine went stays paused.
				if (record.State.Paused) cgroup?.freeze();
				this.wire(record, adopted, cgroup);
				continue;
			}

			// Started by an engine killed before it saved the start: nothing may run that the record does not say runs.
			if (!wasRunning && isMonitor(Number(readFile(path.join(directory, 'monitor.pid')).trim()), record.Id)) this.killOrphan(record.Id, directory);
			if (wasRunning) {
				// What it wrote while the engine was away, up to its end, is in its spools still.
				this.catchUp(record, directory);
				const exit = readExit(directory);
				record.State = {
					...record.State,
					Status: 'exited',
					Running: false,
					Paused: false,
					Restarting: false,
					Pid: 0,
					ExitCode: exit?.code ?? 255,
					FinishedAt: new Date(exit?.at ?? Date.now()).toISOString(),
					Error: exit ? '' : 'the engine and the container\'s monitor both stopped while it ran',
				};
				record.RunningAtShutdown = true;
				this.store.save(record);
			}
		}

		this.cleanLeftovers();
	}

	/** Puts what is left in a container's spools, once it has ended, in its log. */
	private catchUp(record: ContainerRecord, directory: string): void {
		const log = this.log(record);
		const files = containerFiles(directory);
		for (const stream of ['stdout', 'stderr'] as const) {
			const reader = new SpoolReader(files[stream]);
			const flush = spoolToLog(reader, log, stream);
			reader.open(log.positions()[stream]);
			reader.drain();
			flush();
			reader.close();
		}

		log.close();
	}

	/** Directories without a record (a kill during create or remove) and cgroups of no running container. */
	private cleanLeftovers(): void {
		for (const id of this.store.ids()) {
			if (this.records.has(id)) continue;
			const directory = this.store.directoryOf(id);
			this.killOrphan(id, directory);
			rmSync(directory, {recursive: true, force: true});
			this.report(`container directory ${id} had no record: removed`);
		}

		for (const id of this.cgroups?.ids() ?? []) {
			if (this.live.has(id)) continue;
			this.discardCgroup(id, this.cgroups!.create(id, {}));
		}
	}

	/**
	 * Kills what is left in a container's cgroup and removes the cgroup once it is empty: killed
	 * processes take the kernel a moment to reap, and a cgroup that still has some cannot go. The
	 * retries only remove; they stop when the container starts again (its cgroup is then its own).
	 */
	private discardCgroup(id: string, cgroup: ContainerCgroup): void {
		cgroup.kill();
		cgroup.remove();
		let tries = 0;
		const retry = () => {
			if (this.live.has(id) || this.launching.has(id) || !cgroup.exists() || ++tries > 50) return;
			cgroup.remove();
			setTimeout(retry, 100).unref();
		};

		setTimeout(retry, 100).unref();
	}

	/** Ends every process a monitor without a running record holds. */
	private killOrphan(id: string, directory: string): void {
		const monitor = Number(readFile(path.join(directory, 'monitor.pid')).trim());
		if (!isMonitor(monitor, id)) return;
		const child = readFile(`/proc/${monitor}/task/${monitor}/children`).trim().split(/\s+/).filter(Boolean).map(Number);
		for (const pid of [...child, monitor]) {
			try {
				process.kill(pid, 'SIGKILL');
			} catch {
				// Gone meanwhile.
			}
		}
	}

	/** Applies restart policies as the engine starts: always, unless-stopped (if not stopped by hand), on-failure (if it was running). */
	async restartOnBoot(): Promise<void> {
		for (const record of this.records.values()) {
			if (this.live.has(record.Id)) continue;
			const policy = record.HostConfig.RestartPolicy?.Name ?? 'no';
			const wanted =
				policy === 'always' || (policy === 'unless-stopped' && !record.ManuallyStopped) || (policy === 'on-failure' && record.RunningAtShutdown && record.State.ExitCode !== 0);
			if (record.RunningAtShutdown) {
				record.RunningAtShutdown = false;
				this.save(record);
			}

			if (!wanted) continue;
			try {
				await this.start(record.Id);
			} catch (error) {
				this.report(`container ${record.Name.slice(1)}: restart policy ${policy}: ${(error as Error).message}`);
			}
		}
	}

	all(): ContainerRecord[] {
		return [...this.records.values()];
	}

	/** By full id, exact name, or unique id prefix, as dockerd finds them. */
	find(reference: string): ContainerRecord {
		const wanted = reference.replace(/^\//, '');
		const exact = this.records.get(wanted);
		if (exact) return exact;
		for (const record of this.records.values()) if (record.Name === `/${wanted}`) return record;
		const matches = [...this.records.values()].filter(record => record.Id.startsWith(wanted));
		if (matches.length === 1 && wanted.length > 0) return matches[0]!;
		if (matches.length > 1) throw new EngineError(400, `multiple IDs found with provided prefix: ${wanted}`);
		throw notFound(`No such container: ${reference}`);
	}

	private attributes(record: ContainerRecord, extra: Record<string, string> = {}): Record<string, string> {
		return {...record.Config.Labels, image: record.ImageName, name: record.Name.slice(1), ...extra};
	}

	/** Saves a record that still exists: a change that comes after a remove does not bring it back. */
	private save(record: ContainerRecord): void {
		if (this.records.get(record.Id) === record) this.store.save(record);
	}

	/** Runs `work` once the container's earlier state changes are done. */
	private serial<T>(id: string, work: () => Promise<T>): Promise<T> {
		const previous = this.operations.get(id) ?? Promise.resolve();
		const next = previous.then(work, work);
		const settled = next.then(
			() => undefined,
			() => undefined,
		);
		this.operations.set(id, settled);
		void settled.then(() => {
			if (this.operations.get(id) === settled) this.operations.delete(id);
		});
		return next;
	}

	create(name: string | undefined, config: ContainerConfig, hostConfig: HostConfig = {}): {Id: string; Warnings: string[]} {
		if (!config || typeof config !== 'object') throw badRequest('config cannot be empty in order to create a container');
		if (typeof config.Image !== 'string' || config.Image === '') throw badRequest('No command specified: the Image field is required');
		const image = this.images.resolve(config.Image);
		if (!image) throw notFound(`No such image: ${familiarString(config.Image)}`);
		if (name !== undefined && name !== '') {
			if (!validName.test(name)) throw badRequest(`Invalid container name (${name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`);
		}

		const finalName = name ? name.replace(/^\//, '') : randomName(candidate => this.nameTaken(candidate));
		if (this.nameTaken(finalName)) {
			const holder = [...this.records.values()].find(record => record.Name === `/${finalName}`)!;
			throw conflict(`Conflict. The container name "/${finalName}" is already in use by container "${holder.Id}". You have to remove (or rename) that container to be able to reuse that name.`);
		}

		const binds = parseBinds(hostConfig.Binds ?? []);
		const tmpfs = parseTmpfs(hostConfig.Tmpfs, Boolean(hostConfig.Privileged));
		const devices = parseDevices(hostConfig.Devices);
		const mounts = [...binds, ...tmpfs, ...devices];
		if ((mounts.length > 0 || hostConfig.ReadonlyRootfs) && this.isolation.mode !== 'namespaces') {
			throw badRequest(`bind mounts need namespaces (as do --tmpfs, --device and --read-only), which this engine does not have (${this.isolation.reason})`);
		}

		// The host image is read-only: a mount point must be there already, or under the tmpfs it gets at /tmp, /run or /dev.
		if (image === hostImage) {
			for (const {destination} of mounts) {
				const onTmpfs = /^\/(tmp|run|dev)\/./.test(destination);
				if (!onTmpfs && !existsSync(path.join('/', resolveInRoot('/', destination)))) {
					throw badRequest(`cannot make the mount point ${destination}: the host image is read-only there (mount on a path that exists, or under /tmp)`);
				}
			}
		}

		const network = hostConfig.NetworkMode || 'none';
		if (!['none', 'host', 'default', 'bridge'].includes(network)) throw badRequest(`network mode "${network}" is not supported by the berth engine: use none or host`);
		// Checked now, so that a bad option fails the create and not a later start.
		this.logOptions(hostConfig);
		checkCapabilities({capAdd: hostConfig.CapAdd, capDrop: hostConfig.CapDrop});
		for (const option of hostConfig.SecurityOpt ?? []) {
			if (!/^(no-new-privileges([:=](true|false))?|seccomp[:=](unconfined|default)|label[:=].*|apparmor[:=].*)$/.test(option)) throw badRequest(`Invalid --security-opt: "${option}"`);
		}

		if (hostConfig.Init && !this.isolation.tools.tini && this.isolation.mode === 'namespaces') throw badRequest('--init needs tini (Debian: tini), which this machine does not have');
		const workingDir = config.WorkingDir || image.Config.WorkingDir || '';
		if (workingDir && !workingDir.startsWith('/')) throw badRequest(`the working directory '${workingDir}' is invalid, it needs to be an absolute path`);
		checkProcessStrings([workingDir, ...(config.Env ?? []), ...(config.Cmd ?? []), ...(config.Entrypoint ?? [])]);
		const user = config.User || image.Config.User || '';
		this.checkUser(user, image);
		const entrypoint = config.Entrypoint === null || config.Entrypoint === undefined ? (image.Config.Entrypoint ?? []) : config.Entrypoint;
		const cmd = config.Cmd && config.Cmd.length > 0 ? config.Cmd : config.Entrypoint && config.Entrypoint.length > 0 ? [] : (image.Config.Cmd ?? []);
		const argv = [...(entrypoint ?? []), ...cmd];
		if (argv.length === 0) throw badRequest('No command specified');
		if (argv.reduce((sum, word) => sum + word.length + 1, 0) + (config.Env ?? []).reduce((sum, entry) => sum + entry.length + 1, 0) > 1024 * 1024) throw badRequest('argument list too long: the command and environment together are over 1 MiB');

		const id = newId();
		const record: ContainerRecord = {
			Id: id,
			Name: `/${finalName}`,
			Created: new Date().toISOString(),
			Path: argv[0]!,
			Args: argv.slice(1),
			Image: image.Id,
			ImageName: config.Image,
			Config: {
				...config,
				Hostname: config.Hostname || id.slice(0, 12),
				Env: mergeEnv(image.Config.Env ?? [], config.Env ?? []),
				Cmd: cmd,
				Entrypoint: entrypoint && entrypoint.length > 0 ? entrypoint : null,
				WorkingDir: workingDir,
				User: user,
				Labels: {...image.Config.Labels, ...config.Labels},
				Tty: Boolean(config.Tty),
				...(mergeHealthcheck(image.Config.Healthcheck, config.Healthcheck) ? {Healthcheck: mergeHealthcheck(image.Config.Healthcheck, config.Healthcheck)} : {}),
			},
			HostConfig: {...hostConfig, NetworkMode: network === 'default' || network === 'bridge' ? 'none' : network, RestartPolicy: hostConfig.RestartPolicy ?? {Name: 'no', MaximumRetryCount: 0}},
			State: {Status: 'created', Running: false, Paused: false, Restarting: false, OOMKilled: false, Dead: false, Pid: 0, ExitCode: 0, Error: '', StartedAt: zeroTime, FinishedAt: zeroTime},
			RestartCount: 0,
			LogPath: path.join(this.store.directoryOf(id), `${id}-json.log`),
		};
		// Written whole before it is listed: a record that cannot be saved (too deep to write, a full
		// disk) fails the create and leaves nothing behind.
		try {
			this.store.save(record);
		} catch (error) {
			this.store.remove(id);
			throw new EngineError(error instanceof RangeError ? 400 : 500, `the container cannot be created: ${(error as Error).message}`);
		}

		this.records.set(id, record);
		// A volume named here is made now if it does not exist yet, as dockerd does.
		for (const bind of binds) if (bind.volume) this.volumes.create(bind.volume);
		this.events.publish('container', 'create', id, this.attributes(record));
		const warnings: string[] = [];
		if (!this.cgroups && (hostConfig.Memory || hostConfig.NanoCpus || (hostConfig.PidsLimit ?? 0) > 0)) {
			warnings.push('this engine has no cgroups (it is not root, or the cgroup filesystem is missing): memory, CPU and pids limits are not enforced');
		}

		return {Id: id, Warnings: warnings};
	}

	/** A named user must be in the image's /etc/passwd, as it will be at start. */
	private checkUser(user: string, image: Image): void {
		const [name = ''] = user.split(':');
		if (!name || /^\d+$/.test(name) || this.isolation.mode !== 'namespaces') return;
		const file = image === hostImage ? path.join('/', resolveInRoot('/', '/etc/passwd')) : findInLayers(this.images.lowerDirs(image).paths, '/etc/passwd');
		const passwd = file ? readFile(file) : '';
		if (!passwd.split('\n').some(line => line.split(':')[0] === name)) throw badRequest(`unable to find user ${name}: no matching entries in passwd file`);
	}

	private nameTaken(name: string): boolean {
		for (const record of this.records.values()) if (record.Name === `/${name}`) return true;
		return false;
	}

	private logOptions(hostConfig: HostConfig): LogOptions {
		const config = hostConfig.LogConfig?.Config ?? {};
		const type = hostConfig.LogConfig?.Type;
		if (type && type !== 'json-file' && type !== 'local') throw badRequest(`logging driver "${type}" is not supported by the berth engine: use json-file`);
		let maxFile = defaultLogOptions.maxFile;
		if (config['max-file'] !== undefined) {
			if (!/^\d+$/.test(config['max-file']) || Number(config['max-file']) < 1 || Number(config['max-file']) > maxLogFiles) throw badRequest(`invalid value for log opt max-file: ${config['max-file']}: a whole number from 1 to ${maxLogFiles}`);
			maxFile = Number(config['max-file']);
		}

		try {
			return {maxSize: parseSize(config['max-size'], defaultLogOptions.maxSize), maxFile};
		} catch (error) {
			throw badRequest((error as Error).message);
		}
	}

	log(record: ContainerRecord): ContainerLog {
		let log = this.logs.get(record.Id);
		if (!log) {
			log = new ContainerLog(record.LogPath, this.logOptions(record.HostConfig));
			this.logs.set(record.Id, log);
		}

		return log;
	}

	start(reference: string): Promise<void> {
		const record = this.find(reference);
		return this.serial(record.Id, () => this.startNow(record));
	}

	private async startNow(record: ContainerRecord): Promise<void> {
		if (!this.records.has(record.Id)) throw notFound(`No such container: ${record.Id}`);
		this.cancelRestart(record);
		if (record.State.Running || this.live.has(record.Id)) throw notModified();
		if (record.State.Status === 'removing') throw conflict(`container ${record.Id} is being removed`);
		const image = this.images.resolve(record.Image) ?? this.images.resolve(record.ImageName);
		if (!image) throw notFound(`No such image: ${record.ImageName}`);
		record.ManuallyStopped = false;
		await this.launch(record, image);
	}

	private limits(record: ContainerRecord) {
		return {
			memory: record.HostConfig.Memory,
			nanoCpus: record.HostConfig.NanoCpus,
			pidsLimit: record.HostConfig.PidsLimit,
			allDevices: Boolean(record.HostConfig.Privileged),
			devices: record.HostConfig.Privileged ? [] : parseDevices(record.HostConfig.Devices).map(device => device.rule),
		};
	}

	private stdinMode(record: ContainerRecord): StdinMode {
		return !record.Config.OpenStdin ? 'none' : record.Config.StdinOnce ? 'once' : 'held';
	}

	/** What an exec in this container is allowed: what the container is. */
	privileges(id: string): Privileges {
		return privilegesOf(this.find(id).HostConfig, this.isolation);
	}

	private async launch(record: ContainerRecord, image: Image): Promise<void> {
		let cgroup: ContainerCgroup | undefined;
		let running: RunningContainer;
		const privileges = privilegesOf(record.HostConfig, this.isolation);
		try {
			this.launching.add(record.Id);
			cgroup = this.cgroups?.create(record.Id, this.limits(record));
			// The spools are made anew, empty: the log reads them from their start.
			this.log(record).resetPositions();
			running = await launchContainer(
				{
					id: record.Id,
					directory: this.store.directoryOf(record.Id),
					root: image === hostImage ? {host: true} : {lower: this.images.lowerDirs(image)},
					readOnlyRoot: Boolean(record.HostConfig.ReadonlyRootfs),
					hostname: record.Config.Hostname ?? record.Id.slice(0, 12),
					workingDir: record.Config.WorkingDir || '/',
					user: record.Config.User || undefined,
					env: record.Config.Env ?? [],
					argv: [record.Path, ...record.Args],
					network: record.HostConfig.NetworkMode === 'host' ? 'host' : 'none',
					cgroupProcs: cgroup?.procsFiles,
					tty: Boolean(record.Config.Tty),
					stdin: this.stdinMode(record),
					binds: this.prepareBinds(record),
					capabilities: privileges.capabilities.map(name => capabilityNumbers[name]!),
					seccomp: privileges.seccomp && this.isolation.arch ? seccompProgram(this.isolation.arch, privileges.capabilities) : undefined,
					noNewPrivileges: privileges.noNewPrivileges,
					privileged: privileges.privileged,
					init: Boolean(record.HostConfig.Init),
				},
				this.isolation,
			);
		} catch (error) {
			if (cgroup) this.discardCgroup(record.Id, cgroup);
			throw new EngineError(500, `failed to start container: ${(error as Error).message}`);
		} finally {
			this.launching.delete(record.Id);
		}

		const live = this.wire(record, running, cgroup);
		try {
			await running.ready;
		} catch (error) {
			// The set-up failed before the command ran: the start fails, as dockerd's does.
			await running.exited;
			await this.exitHandled.get(live);
			record.State.Error = (error as Error).message;
			this.save(record);
			throw new EngineError(/not found|no such file/.test((error as Error).message) ? 400 : 500, `failed to start container ${record.Id.slice(0, 12)}: ${(error as Error).message}`);
		}

		if (this.live.get(record.Id) !== live) return;
		record.MonitorPid = running.monitorPid;
		record.State = {...record.State, Status: 'running', Running: true, Paused: false, Restarting: false, OOMKilled: false, Pid: running.pid, ExitCode: 0, Error: '', StartedAt: new Date().toISOString(), FinishedAt: zeroTime};
		// A container with a health check starts "starting" again at every start, as under dockerd.
		if (hasHealthcheck(record.Config.Healthcheck)) record.State.Health = {Status: 'starting', FailingStreak: 0, Log: []};
		this.save(record);
		this.events.publish('container', 'start', record.Id, this.attributes(record));
	}

	private readonly exitHandled = new WeakMap<Live, Promise<void>>();

	/** Connects a running container (new or found again) to its log, its waiters and its exit. */
	private wire(record: ContainerRecord, running: RunningContainer, cgroup: ContainerCgroup | undefined): Live {
		const log = this.log(record);
		const live: Live = {process: running, log, stopping: false, cgroup};
		this.live.set(record.Id, live);
		const forward = (stream: 'stdout' | 'stderr') => {
			const flush = spoolToLog(running[stream], log, stream);
			running[stream].start(log.positions()[stream]);
			return flush;
		};

		const flushOut = forward('stdout');
		const flushErr = forward('stderr');
		this.exitHandled.set(
			live,
			running.exited.then(exit => {
				flushOut();
				flushErr();
				this.exited(record, live, exit.code, exit.at);
			}),
		);
		return live;
	}

	private exited(record: ContainerRecord, live: Live, code: number, at?: number): void {
		if (this.live.get(record.Id) !== live) return;
		this.live.delete(record.Id);
		// Killed for want of memory: told as dockerd tells it, an "oom" event and OOMKilled.
		const oomKilled = (live.cgroup?.oomKills() ?? 0) > 0;
		if (live.cgroup) this.discardCgroup(record.Id, live.cgroup);
		record.MonitorPid = undefined;
		record.State = {...record.State, Status: 'exited', Running: false, Paused: false, Restarting: false, OOMKilled: oomKilled, Pid: 0, ExitCode: code, FinishedAt: new Date(at ?? Date.now()).toISOString()};
		this.save(record);
		// All its output is in the log (and the record says it ended): the spools' space goes.
		const files = containerFiles(this.store.directoryOf(record.Id));
		for (const spool of [files.stdout, files.stderr]) truncateQuietly(spool);
		live.log.resetPositions();
		live.log.close();
		if (oomKilled) this.events.publish('container', 'oom', record.Id, this.attributes(record));
		this.events.publish('container', 'die', record.Id, this.attributes(record, {exitCode: String(code)}));
		if (live.stopping) this.events.publish('container', 'stop', record.Id, this.attributes(record));
		const waiters = this.exitWaiters.get(record.Id) ?? [];
		this.exitWaiters.delete(record.Id);
		for (const waiter of waiters) waiter(code);
		if (record.HostConfig.AutoRemove && this.records.has(record.Id)) {
			void this.remove(record.Id, true).catch(() => undefined);
			return;
		}

		this.applyRestartPolicy(record, live, code);
	}

	/**
	 * Restarts an exited container as its policy says, with back-off: 100 ms, doubling up to a
	 * minute, back to the start once a run has lasted 10 s (as dockerd does).
	 */
	private applyRestartPolicy(record: ContainerRecord, live: Live, code: number): void {
		const policy = record.HostConfig.RestartPolicy ?? {};
		const name = policy.Name ?? 'no';
		if (this.shuttingDown || live.stopping || !this.records.has(record.Id) || name === 'no' || name === '') return;
		if (name === 'on-failure' && (code === 0 || (policy.MaximumRetryCount && record.RestartCount >= policy.MaximumRetryCount))) return;
		const ranFor = Date.now() - Date.parse(record.State.StartedAt);
		const previous = this.backoff.get(record.Id) ?? 0;
		const delay = ranFor >= 10_000 || previous === 0 ? 100 : Math.min(60_000, previous * 2);
		this.backoff.set(record.Id, delay);
		record.State = {...record.State, Status: 'restarting', Restarting: true};
		this.save(record);
		const timer = setTimeout(() => {
			this.restartTimers.delete(record.Id);
			void this.serial(record.Id, async () => {
				if (!this.records.has(record.Id) || this.live.has(record.Id) || this.shuttingDown || record.State.Status !== 'restarting') return;
				record.RestartCount++;
				const image = this.images.resolve(record.Image) ?? this.images.resolve(record.ImageName);
				if (!image) return;
				await this.launch(record, image).then(
					() => this.events.publish('container', 'restart', record.Id, this.attributes(record)),
					(error: unknown) => this.report(`container ${record.Name.slice(1)}: restart failed: ${(error as Error).message}`),
				);
			});
		}, delay);
		this.restartTimers.set(record.Id, timer);
	}

	private cancelRestart(record: ContainerRecord): void {
		const timer = this.restartTimers.get(record.Id);
		if (!timer) return;
		clearTimeout(timer);
		this.restartTimers.delete(record.Id);
		record.State = {...record.State, Status: 'exited', Restarting: false};
	}

	/** The live process's standard input, for an attached client; undefined when it takes none. */
	stdinOf(id: string): NodeJS.WritableStream | undefined {
		const live = this.live.get(id);
		const record = this.records.get(id);
		return live && record?.Config.OpenStdin ? live.process.stdin : undefined;
	}

	/** Resolves when the container's current run ends (at once when it is not running). */
	ended(id: string): Promise<number> {
		return this.live.has(id) ? this.nextExit(id) : Promise.resolve(this.records.get(id)?.State.ExitCode ?? 0);
	}

	/** Stops with the container's stop signal, then SIGKILL after `timeout` seconds. */
	stop(reference: string, timeout?: number, signal?: string, byHand = true): Promise<void> {
		const record = this.find(reference);
		// A bad signal is refused before anything changes.
		const stopSignal = parseSignal(signal ?? record.Config.StopSignal, 'SIGTERM');
		return this.serial(record.Id, () => this.stopNow(record, stopSignal, timeout, byHand));
	}

	private async stopNow(record: ContainerRecord, stopSignal: NodeJS.Signals | number, timeout: number | undefined, byHand: boolean): Promise<void> {
		const waitingToRestart = byHand && this.restartTimers.has(record.Id);
		if (byHand) this.cancelRestart(record);
		const live = this.live.get(record.Id);
		if (!live) {
			// A container waiting out its restart back-off is stopped by cancelling the restart.
			if (!waitingToRestart) throw notModified();
			record.ManuallyStopped = true;
			this.save(record);
			this.events.publish('container', 'stop', record.Id, this.attributes(record));
			return;
		}

		live.stopping = true;
		if (byHand) {
			record.ManuallyStopped = true;
			this.save(record);
		}

		if (record.State.Paused) this.setPaused(record, live, false);
		const seconds = timeout ?? record.Config.StopTimeout ?? 10;
		const exited = this.nextExit(record.Id);
		live.process.signal(stopSignal);
		const timer = setTimeout(() => this.killAll(live), Math.max(0, seconds) * 1000);
		await exited;
		clearTimeout(timer);
	}

	/** SIGKILL to the first process (the kernel then ends its pid namespace), and to what is left in its cgroup. */
	private killAll(live: Live): void {
		live.process.signal('SIGKILL');
		live.cgroup?.kill();
	}

	restart(reference: string, timeout?: number): Promise<void> {
		const record = this.find(reference);
		return this.serial(record.Id, async () => {
			if (this.live.has(record.Id)) await this.stopNow(record, parseSignal(record.Config.StopSignal, 'SIGTERM'), timeout, true);
			await this.startNow(record);
			this.events.publish('container', 'restart', record.Id, this.attributes(record));
		});
	}

	kill(reference: string, signal?: string): Promise<void> {
		const record = this.find(reference);
		const value = parseSignal(signal, 'SIGKILL');
		return this.serial(record.Id, async () => {
			const live = this.live.get(record.Id);
			if (!live) throw conflict(`Cannot kill container: ${reference}: Container ${record.Id} is not running`);
			const number = typeof value === 'number' ? value : constants.signals[value];
			this.events.publish('container', 'kill', record.Id, this.attributes(record, {signal: String(number)}));
			if (number === 9) this.killAll(live);
			else live.process.signal(value);
		});
	}

	private nextExit(id: string): Promise<number> {
		return new Promise(resolve => {
			const waiters = this.exitWaiters.get(id) ?? [];
			waiters.push(resolve);
			this.exitWaiters.set(id, waiters);
		});
	}

	/** dockerd's wait conditions: not-running (the default), next-exit, removed. */
	static checkCondition(condition: string | undefined): string {
		const wanted = condition ?? 'not-running';
		if (!['not-running', 'next-exit', 'removed'].includes(wanted)) throw badRequest(`invalid condition: "${wanted}"`);
		return wanted;
	}

	async wait(reference: string, condition = 'not-running'): Promise<{StatusCode: number; Error: null}> {
		const record = this.find(reference);
		Containers.checkCondition(condition);
		if (condition === 'removed') {
			await new Promise<void>(resolve => {
				const waiters = this.removeWaiters.get(record.Id) ?? [];
				waiters.push(resolve);
				this.removeWaiters.set(record.Id, waiters);
			});
			return {StatusCode: record.State.ExitCode, Error: null};
		}

		if (condition === 'not-running' && !this.live.has(record.Id)) return {StatusCode: record.State.ExitCode, Error: null};
		const code = await this.nextExit(record.Id);
		return {StatusCode: code, Error: null};
	}

	remove(reference: string, force: boolean): Promise<void> {
		const record = this.find(reference);
		return this.serial(record.Id, async () => {
			if (!this.records.has(record.Id)) throw notFound(`No such container: ${reference}`);
			const live = this.live.get(record.Id);
			if (live && !force) throw conflict(`You cannot remove a running container ${record.Id}. Stop the container before attempting removal or force remove`);
			this.cancelRestart(record);
			this.backoff.delete(record.Id);
			if (live) {
				live.stopping = true;
				const exited = this.nextExit(record.Id);
				// A paused container is thawed, or its processes could not die.
				if (record.State.Paused) this.setPaused(record, live, false);
				this.killAll(live);
				await exited;
			}

			// A cgroup left by a start a crash cut, or by processes slow to die, goes with its container.
			if (this.cgroups?.ids().includes(record.Id)) this.discardCgroup(record.Id, this.cgroups.create(record.Id, {}));
			this.records.delete(record.Id);
			this.logs.get(record.Id)?.removeAllListeners();
			this.logs.delete(record.Id);
			this.store.remove(record.Id);
			this.events.publish('container', 'destroy', record.Id, this.attributes(record));
			const waiters = this.removeWaiters.get(record.Id) ?? [];
			this.removeWaiters.delete(record.Id);
			for (const waiter of waiters) waiter();
		});
	}

	rename(reference: string, name: string): Promise<void> {
		const record = this.find(reference);
		if (!name || !validName.test(name)) throw badRequest(`Invalid container name (${name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`);
		return this.serial(record.Id, async () => {
			const wanted = name.replace(/^\//, '');
			if (this.nameTaken(wanted) && record.Name !== `/${wanted}`) throw conflict(`Conflict. The container name "/${wanted}" is already in use.`);
			const oldName = record.Name.slice(1);
			record.Name = `/${wanted}`;
			this.save(record);
			this.events.publish('container', 'rename', record.Id, this.attributes(record, {oldName: `/${oldName}`}));
		});
	}

	/**
	 * The container's mounts in the order the set-up makes them: binds and volumes (missing host
	 * directories made, as dockerd makes them), then tmpfs mounts, then devices.
	 */
	private prepareBinds(record: ContainerRecord): Bind[] {
		const binds: Bind[] = parseBinds(record.HostConfig.Binds ?? []).map(bind => {
			const source = bind.volume ? this.volumes.create(bind.volume).Mountpoint : bind.source;
			if (!existsSync(source)) mkdirSync(source, {recursive: true});
			return {source, destination: bind.destination, readOnly: bind.readOnly};
		});
		const tmpfs: Bind[] = parseTmpfs(record.HostConfig.Tmpfs, Boolean(record.HostConfig.Privileged)).map(({destination, options}) => ({source: 'tmpfs', destination, readOnly: false, tmpfs: options}));
		const devices: Bind[] = parseDevices(record.HostConfig.Devices).map(({source, destination}) => ({source, destination, readOnly: false, device: true}));
		return [...binds, ...tmpfs, ...devices];
	}

	/** The containers that mount a volume. */
	/**
	 * Runs `work` on the container's root as it sees it: /proc/PID/root while it runs, else its
	 * overlay mounted for the time of `work` (serialised with starts, so it is never mounted twice).
	 */
	async withRoot<T>(reference: string, writable: boolean, work: (root: string, record: ContainerRecord, mounts: string[]) => Promise<T>): Promise<T> {
		const record = this.find(reference);
		const pid = this.initPid(record.Id);
		if (pid) return work(`/proc/${pid}/root`, record, mountPointsOf(pid));
		const image = this.images.get(record.Image);
		if (!image) throw conflict(`the image of container ${record.Id.slice(0, 12)} is gone: its files cannot be reached`);
		if (image === hostImage || this.isolation.mode !== 'namespaces') {
			if (writable) throw badRequest(`container ${record.Id.slice(0, 12)} is not running and its root is the read-only host image: there is nowhere to write`);
			return work('/', record, []);
		}

		return this.serial(record.Id, async () => {
			const started = this.initPid(record.Id);
			if (started) return work(`/proc/${started}/root`, record, mountPointsOf(started));
			const directory = this.store.directoryOf(record.Id);
			const target = path.join(directory, 'files');
			const unmount = await mountStoppedRoot(this.isolation.tools.mount!, {upper: path.join(directory, 'upper'), work: path.join(directory, 'work')}, this.images.lowerDirs(image), target, writable);
			try {
				return await work(target, record, []);
			} finally {
				await unmount();
			}
		});
	}

	/** docker update: limits and restart policy, kept in the record and, while it runs, applied to its cgroup. A zero leaves a field as it was. */
	update(reference: string, request: UpdateRequest): Promise<{Warnings: string[]}> {
		const record = this.find(reference);
		return this.serial(record.Id, async () => {
			const host = record.HostConfig;
			if (request.RestartPolicy?.Name) {
				if (host.AutoRemove && request.RestartPolicy.Name !== 'no') throw conflict('Restart policy cannot be updated because AutoRemove is enabled for the container');
				host.RestartPolicy = {Name: request.RestartPolicy.Name, MaximumRetryCount: request.RestartPolicy.MaximumRetryCount ?? 0};
			}

			if (request.Memory) host.Memory = request.Memory;
			if (request.NanoCpus) host.NanoCpus = request.NanoCpus;
			if (request.PidsLimit !== undefined && request.PidsLimit !== null) host.PidsLimit = request.PidsLimit > 0 ? request.PidsLimit : 0;
			const limited = Boolean(request.Memory || request.NanoCpus || (request.PidsLimit !== undefined && request.PidsLimit !== null));
			if (limited && this.live.has(record.Id)) {
				if (!this.cgroups) throw badRequest(`limits need cgroups, which this engine does not have (${this.isolation.reason ?? 'not root'})`);
				try {
					this.cgroups.create(record.Id, {...this.limits(record), reset: true});
				} catch (error) {
					throw new EngineError(500, `the new limits could not be applied: ${(error as Error).message}`);
				}
			}

			this.save(record);
			this.events.publish('container', 'update', record.Id, this.attributes(record));
			return {Warnings: []};
		});
	}

	/** A health check's result, kept in the record; a change of status is announced as dockerd announces it. */
	setHealth(id: string, health: HealthState): void {
		const record = this.records.get(id);
		if (!record || !record.State.Running) return;
		const before = record.State.Health?.Status;
		record.State.Health = health;
		this.save(record);
		if (before !== health.Status) this.announce(id, `health_status: ${health.Status}`);
	}

	/** An engine killed while a stopped container's files were mounted for a request leaves the mount: taken away at start. */
	private unmountStaleViews(): void {
		if (this.isolation.mode !== 'namespaces') return;
		const root = `${this.store.directoryOf('')}/`;
		for (const point of mountPointsOf(process.pid)) {
			if (point.startsWith(root) && point.endsWith('/files')) spawnSync(this.isolation.tools.mount!.replace(/mount$/, 'umount'), ['-l', point], {stdio: 'ignore'});
		}
	}

	/** `docker diff`: the container's layer against its image's. */
	changes(reference: string): Change[] {
		const record = this.find(reference);
		const image = this.images.get(record.Image);
		if (!image || image === hostImage) return [];
		return containerChanges(this.writableLayer(record.Id), this.images.lowerDirs(image).paths, engineWrittenFiles);
	}

	/** The container's own changes to its image (the overlay's upper directory). */
	writableLayer(id: string): string {
		return path.join(this.store.directoryOf(id), 'upper');
	}

	usersOfVolume(name: string): string[] {
		return this.all()
			.filter(record => parseBinds(record.HostConfig.Binds ?? []).some(bind => bind.volume === name))
			.map(record => record.Id);
	}

	exists(id: string): boolean {
		return this.records.has(id);
	}

	/** The host pid of a running container's first process. */
	initPid(id: string): number | undefined {
		const live = this.live.get(id);
		return live && live.process.pid > 0 && alive(live.process.pid) ? live.process.pid : undefined;
	}

	isPaused(id: string): boolean {
		return Boolean(this.records.get(id)?.State.Paused);
	}

	/** Sets the size of a TTY container's terminal. */
	resize(reference: string, rows: number, columns: number): void {
		const record = this.find(reference);
		const live = this.live.get(record.Id);
		if (!live) throw conflict(`Container ${record.Id} is not running`);
		if (!record.Config.Tty) return;
		try {
			resizeTerminal(live.process.pid, rows, columns);
		} catch (error) {
			throw new EngineError(500, `cannot resize the terminal: ${(error as Error).message}`);
		}
	}

	cgroupProcsOf(id: string): string[] {
		return this.live.get(id)?.cgroup?.procsFiles ?? [];
	}

	/** Publishes an event about a container (exec_create, exec_start, exec_die…). */
	announce(id: string, action: string, extra: Record<string, string> = {}): void {
		const record = this.records.get(id);
		if (record) this.events.publish('container', action, id, this.attributes(record, extra));
	}

	/** Every process of a running container, as the host sees them. */
	processes(id: string): number[] {
		const live = this.live.get(id);
		if (!live) return [];
		return live.cgroup ? live.cgroup.pids() : processesOf(live.process.pid, this.isolation.mode === 'namespaces' ? 'namespace' : 'group');
	}

	private setPaused(record: ContainerRecord, live: Live, paused: boolean): void {
		if (live.cgroup) {
			if (paused) live.cgroup.freeze();
			else live.cgroup.thaw();
		} else {
			// Without a freezer: stop and continue every process.
			for (const pid of this.processes(record.Id)) {
				try {
					process.kill(pid, paused ? 'SIGSTOP' : 'SIGCONT');
				} catch {
					// Gone meanwhile.
				}
			}
		}

		record.State = {...record.State, Paused: paused, Status: paused ? 'paused' : 'running'};
		this.save(record);
	}

	pause(reference: string): Promise<void> {
		const record = this.find(reference);
		return this.serial(record.Id, async () => {
			const live = this.live.get(record.Id);
			if (!live) throw conflict(`Container ${record.Id} is not running`);
			if (record.State.Paused) throw conflict(`Container ${record.Id} is already paused`);
			this.setPaused(record, live, true);
			this.events.publish('container', 'pause', record.Id, this.attributes(record));
		});
	}

	unpause(reference: string): Promise<void> {
		const record = this.find(reference);
		return this.serial(record.Id, async () => {
			const live = this.live.get(record.Id);
			if (!live || !record.State.Paused) throw conflict(`Container ${record.Id} is not paused`);
			this.setPaused(record, live, false);
			this.events.publish('container', 'unpause', record.Id, this.attributes(record));
		});
	}

	/** The container's resource use: from its cgroup, or summed over its processes from /proc. */
	usage(reference: string): {record: ContainerRecord; stats?: CgroupStats} {
		const record = this.find(reference);
		const live = this.live.get(record.Id);
		if (!live) return {record};
		if (live.cgroup) return {record, stats: live.cgroup.stats()};
		let ticks = 0;
		let userTicks = 0;
		let rss = 0;
		const pids = this.processes(record.Id);
		for (const pid of pids) {
			try {
				const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
				const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
				userTicks += Number(fields[11]);
				ticks += Number(fields[11]) + Number(fields[12]);
				rss += Number(fields[21]) * 4096;
			} catch {
				// Gone meanwhile.
			}
		}

		const nanosecondsPerTick = 1e9 / 100;
		return {
			record,
			stats: {cpuTotal: ticks * nanosecondsPerTick, cpuUser: userTicks * nanosecondsPerTick, cpuKernel: (ticks - userTicks) * nanosecondsPerTick, memoryUsage: rss, memoryStats: {}, pids: pids.length, ioRead: 0, ioWrite: 0},
		};
	}

	/** Stops every running container, as dockerd does on shutdown without live-restore. */
	async shutdown(timeoutSeconds = 10): Promise<void> {
		this.shuttingDown = true;
		for (const timer of this.restartTimers.values()) clearTimeout(timer);
		for (const id of this.live.keys()) {
			const record = this.records.get(id);
			if (record) {
				record.RunningAtShutdown = true;
				this.save(record);
			}
		}

		await Promise.all([...this.live.keys()].map(id => this.stop(id, timeoutSeconds, undefined, false).catch(() => undefined)));
	}

	isRunning(id: string): boolean {
		return this.live.has(id);
	}
}

function readFile(file: string): string {
	try {
		return readFileSync(file, 'utf8');
	} catch {
		return '';
	}
}

export type ParsedBind = Bind & {volume?: string};

/** -v SOURCE:DESTINATION[:ro|rw], where SOURCE is an absolute host path or a volume's name. */
export function parseBinds(binds: string[]): ParsedBind[] {
	return binds.map(bind => {
		const [source = '', destination = '', mode = 'rw', ...rest] = bind.split(':');
		if (rest.length > 0 || !destination) throw badRequest(`invalid volume specification: '${bind}'`);
		const volume = source.startsWith('/') ? undefined : source;
		if (volume !== undefined && !validName.test(volume)) throw badRequest(`invalid volume specification: '${bind}': "${volume}" is neither an absolute path nor a volume name`);
		if (!destination.startsWith('/')) throw badRequest(`invalid volume specification: '${bind}': the destination must be an absolute path`);
		if (path.normalize(destination) === '/') throw badRequest(`invalid volume specification: '${bind}': cannot mount over /`);
		const modes = mode.split(',');
		if (!modes.every(item => ['ro', 'rw', 'z', 'Z'].includes(item))) throw badRequest(`invalid mode: ${mode}`);
		return {source: volume === undefined ? path.normalize(source) : '', destination: path.normalize(destination), readOnly: modes.includes('ro'), volume};
	});
}

function mergeEnv(base: string[], overrides: string[]): string[] {
	const result = new Map<string, string>();
	for (const entry of [...base, ...overrides]) {
		const index = entry.indexOf('=');
		result.set(index === -1 ? entry : entry.slice(0, index), entry);
	}

	return [...result.values()];
}

/** The text `docker ps` shows in STATUS. */
/** The container's check over its image's, field by field, as dockerd merges them; undefined when neither has one. */
export function mergeHealthcheck(fromImage: Healthcheck | undefined, own: Healthcheck | undefined): Healthcheck | undefined {
	if (!fromImage && !own) return undefined;
	const test = own?.Test && own.Test.length > 0 ? own.Test : fromImage?.Test;
	return {
		Test: test ?? null,
		...(own?.Interval || fromImage?.Interval ? {Interval: own?.Interval || fromImage?.Interval} : {}),
		...(own?.Timeout || fromImage?.Timeout ? {Timeout: own?.Timeout || fromImage?.Timeout} : {}),
		...(own?.StartPeriod || fromImage?.StartPeriod ? {StartPeriod: own?.StartPeriod || fromImage?.StartPeriod} : {}),
		...(own?.Retries || fromImage?.Retries ? {Retries: own?.Retries || fromImage?.Retries} : {}),
	};
}

export const hasHealthcheck = (check: Healthcheck | undefined): boolean => Boolean(check?.Test && check.Test.length > 0 && check.Test[0] !== 'NONE');

export function statusText(state: ContainerState, now = Date.now()): string {
	const since = (time: string) => humanDuration(Math.max(0, (now - Date.parse(time)) / 1000));
	const health = state.Health ? (state.Health.Status === 'starting' ? ' (health: starting)' : ` (${state.Health.Status})`) : '';
	if (state.Running) return `Up ${since(state.StartedAt)}${state.Paused ? ' (Paused)' : health}`;
	if (state.Status === 'created') return 'Created';
	if (state.Status === 'dead') return 'Dead';
	return `Exited (${state.ExitCode}) ${since(state.FinishedAt)} ago`;
}

/**
 * A spool's chunks, as they are read, cut into entries of the log, each with where it ends in the
 * spool; attached clients get the chunks themselves (a shell's prompt has no newline, and `docker
 * run … > file` must get binary output unchanged). Gives what ends the stream: the last entry
 * with no newline.
 */
function spoolToLog(reader: SpoolReader, log: ContainerLog, stream: 'stdout' | 'stderr'): () => void {
	const lines = new OutputLines(log.positions()[stream]);
	reader.on('data', (chunk: Buffer) => {
		log.emit('output', stream, chunk);
		const {texts, ends} = lines.push(chunk);
		log.writeMany(stream, texts, ends);
		if (ends.length > 0) reader.logged(ends.at(-1)!);
	});
	return () => {
		const {texts, ends} = lines.flush();
		log.writeMany(stream, texts, ends);
	};
}

function truncateQuietly(file: string): void {
	try {
		truncateSync(file, 0);
	} catch {
		// Never made (an older container), or gone with its directory.
	}
}
