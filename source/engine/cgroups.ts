// A cgroup a container: it enforces the memory, CPU and pids limits, feeds stats, and freezes
// for pause. cgroup v2 where the unified hierarchy holds the controllers, v1 otherwise. The
// container's first process moves itself in (writes 0 to each cgroup.procs) before it runs the
// command, so everything the command starts is inside.
import {existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync} from 'node:fs';
import path from 'node:path';

export type Limits = {/** Lift the limits not given (docker update): written as "no limit", not left as they were. */ reset?: boolean; memory?: number; nanoCpus?: number; pidsLimit?: number | null; /** Every device, not Docker's default few (--privileged). */ allDevices?: boolean; /** Rules for the devices given (--device), "c 1:3 rwm". */ devices?: string[]};

/**
 * The devices a container may use, as dockerd allows them: mknod of any (whether it may then be
 * opened is what counts), null, zero, full, tty, random, urandom, console, ptmx, pts, tun and fuse.
 */
export const defaultDeviceRules = ['c *:* m', 'b *:* m', 'c 1:3 rwm', 'c 1:5 rwm', 'c 1:7 rwm', 'c 5:0 rwm', 'c 1:8 rwm', 'c 1:9 rwm', 'c 5:1 rwm', 'c 5:2 rwm', 'c 136:* rwm', 'c 10:200 rwm', 'c 10:229 rwm'];

export type CgroupStats = {
	cpuTotal: number;
	cpuUser: number;
	cpuKernel: number;
	memoryUsage: number;
	memoryLimit?: number;
	memoryStats: Record<string, number>;
	pids: number;
	pidsLimit?: number;
	ioRead: number;
	ioWrite: number;
};

export type ContainerCgroup = {
	/** The cgroup.procs files the container's first process writes 0 to. */
	procsFiles: string[];
	freeze(): void;
	thaw(): void;
	pids(): number[];
	stats(): CgroupStats;
	/** How many times the kernel killed a process of it for want of memory. */
	oomKills(): number;
	/** SIGKILL to every process in it. */
	kill(): void;
	remove(): void;
	/** Whether any of its directories is still there. */
	exists(): boolean;
};

/** What every container together uses: CPU time so far, and memory without the page cache. */
export type CgroupTotals = {cpuNanoseconds: number; memoryBytes: number};

export type CgroupDriver = {
	version: 1 | 2;
	/** A container's cgroup, made or made again (a leftover freeze is thawed). */
	create(id: string, limits: Limits): ContainerCgroup;
	/** The containers that have a cgroup here. */
	ids(): string[];
	/** Whether device access is restricted (v1's devices controller; v2 needs a BPF program berth does not load). */
	devices: boolean;
	/** Read from the parent of the containers' cgroups, which the kernel keeps summed: a few small files. */
	totals(): CgroupTotals;
};

/** Memory in use as docker stats counts it: usage less the inactive page cache. */
function withoutCache(usage: number, stats: Record<string, number>): number {
	const cache = stats.total_inactive_file ?? stats.inactive_file ?? 0;
	return cache < usage ? usage - cache : usage;
}

const root = '/sys/fs/cgroup';
const v1Controllers = ['memory', 'cpu', 'cpuacct', 'pids', 'freezer', 'blkio', 'devices'] as const;

const readText = (file: string) => {
	try {
		return readFileSync(file, 'utf8');
	} catch {
		return '';
	}
};

const readNumber = (file: string) => {
	const value = Number.parseInt(readText(file).trim(), 10);
	return Number.isFinite(value) ? value : 0;
};

function keyValues(text: string): Record<string, number> {
	const result: Record<string, number> = {};
	for (const line of text.split('\n')) {
		const [key, value] = line.trim().split(/\s+/);
		if (key && value !== undefined && /^\d+$/.test(value)) result[key] = Number(value);
	}

	return result;
}

function write(file: string, value: string): void {
	writeFileSync(file, value);
}

function killAll(procs: string): void {
	for (const pid of readPids(procs)) {
		try {
			process.kill(pid, 'SIGKILL');
		} catch {
			// Gone meanwhile.
		}
	}
}

function listDirectories(directory: string): string[] {
	try {
		return readdirSync(directory, {withFileTypes: true}).filter(entry => entry.isDirectory() && /^[\da-f]{64}$/.test(entry.name)).map(entry => entry.name);
	} catch {
		return [];
	}
}

/**
 * The driver this machine supports, or undefined (not root, no cgroup filesystem). The
 * containers' cgroups go under `parentName`, one per engine: an engine cleaning up the cgroups
 * it has no container for must never reach another engine's.
 */
export function detectCgroups(parentName: string): CgroupDriver | undefined {
	if (process.platform !== 'linux' || process.getuid?.() !== 0) return undefined;
	const unifiedControllers = readText(path.join(root, 'cgroup.controllers'));
	if (unifiedControllers.includes('memory') && unifiedControllers.includes('pids')) return v2Driver(parentName);
	if (v1Controllers.every(controller => existsSync(path.join(root, controller, 'cgroup.procs')))) return v1Driver(parentName);
	return undefined;
}

function v1Driver(parentName: string): CgroupDriver {
	return {
		version: 1,
		devices: true,
		ids: () => listDirectories(path.join(root, 'memory', parentName)),
		totals: () => ({
			cpuNanoseconds: readNumber(path.join(root, 'cpuacct', parentName, 'cpuacct.usage')),
			memoryBytes: withoutCache(readNumber(path.join(root, 'memory', parentName, 'memory.usage_in_bytes')), keyValues(readText(path.join(root, 'memory', parentName, 'memory.stat')))),
		}),
		create(id, limits) {
			const directory = (controller: string) => path.join(root, controller, parentName, id);
			for (const controller of v1Controllers) mkdirSync(directory(controller), {recursive: true});
			if (limits.memory) write(path.join(directory('memory'), 'memory.limit_in_bytes'), String(limits.memory));
			else if (limits.reset) write(path.join(directory('memory'), 'memory.limit_in_bytes'), '-1');
			if (limits.nanoCpus) {
				write(path.join(directory('cpu'), 'cpu.cfs_period_us'), '100000');
				write(path.join(directory('cpu'), 'cpu.cfs_quota_us'), String(Math.max(1000, Math.round((limits.nanoCpus / 1e9) * 100_000))));
			} else if (limits.reset) write(path.join(directory('cpu'), 'cpu.cfs_quota_us'), '-1');

			if (limits.pidsLimit && limits.pidsLimit > 0) write(path.join(directory('pids'), 'pids.max'), String(limits.pidsLimit));
			else if (limits.reset) write(path.join(directory('pids'), 'pids.max'), 'max');
			const freezer = path.join(directory('freezer'), 'freezer.state');
			// A cgroup left frozen by an engine that was killed while the container was paused.
			if (!limits.reset) write(freezer, 'THAWED'); // an update leaves a paused container paused
			if (!limits.allDevices) {
				try {
					write(path.join(directory('devices'), 'devices.deny'), 'a');
					for (const rule of [...defaultDeviceRules, ...(limits.devices ?? [])]) write(path.join(directory('devices'), 'devices.allow'), rule);
				} catch {
					// A cgroup that already has processes cannot have its rules narrowed: they stay as they were.
				}
			}

			return {
				kill: () => killAll(path.join(directory('pids'), 'cgroup.procs')),
				procsFiles: v1Controllers.map(controller => path.join(directory(controller), 'cgroup.procs')),
				freeze: () => write(freezer, 'FROZEN'),
				// "oom_kill N" from Linux 4.13; before that only "under_oom".
				oomKills: () => keyValues(readText(path.join(directory('memory'), 'memory.oom_control'))).oom_kill ?? 0,
				thaw: () => write(freezer, 'THAWED'),
				pids: () => readPids(path.join(directory('pids'), 'cgroup.procs')),
				stats() {
					const memoryStats = keyValues(readText(path.join(directory('memory'), 'memory.stat')));
					const limit = readNumber(path.join(directory('memory'), 'memory.limit_in_bytes'));
					let ioRead = 0;
					let ioWrite = 0;
					for (const line of readText(path.join(directory('blkio'), 'blkio.throttle.io_service_bytes')).split('\n')) {
						const [, operation, value] = line.trim().split(/\s+/);
						if (operation === 'Read') ioRead += Number(value) || 0;
						if (operation === 'Write') ioWrite += Number(value) || 0;
					}

					const ticks = keyValues(readText(path.join(directory('cpuacct'), 'cpuacct.stat')));
					const nanosecondsPerTick = 1e9 / 100;
					const pidsMax = readText(path.join(directory('pids'), 'pids.max')).trim();
					return {
						cpuTotal: readNumber(path.join(directory('cpuacct'), 'cpuacct.usage')),
						cpuUser: (ticks.user ?? 0) * nanosecondsPerTick,
						cpuKernel: (ticks.system ?? 0) * nanosecondsPerTick,
						memoryUsage: readNumber(path.join(directory('memory'), 'memory.usage_in_bytes')),
						// v1 reports "no limit" as a huge number.
						memoryLimit: limit > 0 && limit < 2 ** 60 ? limit : undefined,
						memoryStats,
						pids: readNumber(path.join(directory('pids'), 'pids.current')),
						pidsLimit: /^\d+$/.test(pidsMax) ? Number(pidsMax) : undefined,
						ioRead,
						ioWrite,
					};
				},
				exists: () => v1Controllers.some(controller => existsSync(directory(controller))),
				remove() {
					for (const controller of v1Controllers) {
						try {
							rmdirSync(directory(controller));
						} catch {
							// Still has processes or is already gone; nothing more to do.
						}
					}
				},
			};
		},
	};
}

function v2Driver(parentName: string): CgroupDriver {
	const parent = path.join(root, parentName);
	return {
		version: 2,
		devices: false,
		ids: () => listDirectories(parent),
		totals: () => ({
			cpuNanoseconds: (keyValues(readText(path.join(parent, 'cpu.stat'))).usage_usec ?? 0) * 1000,
			memoryBytes: withoutCache(readNumber(path.join(parent, 'memory.current')), keyValues(readText(path.join(parent, 'memory.stat')))),
		}),
		create(id, limits) {
			mkdirSync(parent, {recursive: true});
			// Controllers must be handed down to be usable in the containers' cgroups.
			for (const directory of [root, parent]) {
				try {
					write(path.join(directory, 'cgroup.subtree_control'), '+memory +cpu +pids +io');
				} catch {
					// Some may not be available; the limits that need them then fail below.
				}
			}

			const directory = path.join(parent, id);
			mkdirSync(directory, {recursive: true});
			if (limits.memory) write(path.join(directory, 'memory.max'), String(limits.memory));
			else if (limits.reset) write(path.join(directory, 'memory.max'), 'max');
			if (limits.nanoCpus) write(path.join(directory, 'cpu.max'), `${Math.max(1000, Math.round((limits.nanoCpus / 1e9) * 100_000))} 100000`);
			else if (limits.reset) write(path.join(directory, 'cpu.max'), 'max 100000');
			if (limits.pidsLimit && limits.pidsLimit > 0) write(path.join(directory, 'pids.max'), String(limits.pidsLimit));
			else if (limits.reset) write(path.join(directory, 'pids.max'), 'max');
			try {
				if (!limits.reset) write(path.join(directory, 'cgroup.freeze'), '0'); // an update leaves a paused container paused
			} catch {
				// No freezer here.
			}

			return {
				kill() {
					if (existsSync(path.join(directory, 'cgroup.kill'))) write(path.join(directory, 'cgroup.kill'), '1');
					else killAll(path.join(directory, 'cgroup.procs'));
				},
				procsFiles: [path.join(directory, 'cgroup.procs')],
				freeze: () => write(path.join(directory, 'cgroup.freeze'), '1'),
				oomKills: () => keyValues(readText(path.join(directory, 'memory.events'))).oom_kill ?? 0,
				thaw: () => write(path.join(directory, 'cgroup.freeze'), '0'),
				pids: () => readPids(path.join(directory, 'cgroup.procs')),
				stats() {
					const cpu = keyValues(readText(path.join(directory, 'cpu.stat')));
					const memoryStats = keyValues(readText(path.join(directory, 'memory.stat')));
					const limit = readText(path.join(directory, 'memory.max')).trim();
					let ioRead = 0;
					let ioWrite = 0;
					for (const line of readText(path.join(directory, 'io.stat')).split('\n')) {
						ioRead += Number(/rbytes=(\d+)/.exec(line)?.[1] ?? 0);
						ioWrite += Number(/wbytes=(\d+)/.exec(line)?.[1] ?? 0);
					}

					const pidsMax = readText(path.join(directory, 'pids.max')).trim();
					return {
						cpuTotal: (cpu.usage_usec ?? 0) * 1000,
						cpuUser: (cpu.user_usec ?? 0) * 1000,
						cpuKernel: (cpu.system_usec ?? 0) * 1000,
						memoryUsage: readNumber(path.join(directory, 'memory.current')),
						memoryLimit: /^\d+$/.test(limit) ? Number(limit) : undefined,
						memoryStats,
						pids: readNumber(path.join(directory, 'pids.current')),
						pidsLimit: /^\d+$/.test(pidsMax) ? Number(pidsMax) : undefined,
						ioRead,
						ioWrite,
					};
				},
				exists: () => existsSync(directory),
				remove() {
					try {
						rmdirSync(directory);
					} catch {
						// As for v1.
					}
				},
			};
		},
	};
}

function readPids(file: string): number[] {
	return readText(file)
		.split('\n')
		.map(line => Number.parseInt(line, 10))
		.filter(pid => Number.isInteger(pid) && pid > 0);
}
