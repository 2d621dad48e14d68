// /containers/{id}/stats, /top, /pause and /unpause.
import {execFile} from 'node:child_process';
import {readFileSync} from 'node:fs';
import os from 'node:os';
import type {ServerResponse} from 'node:http';
import {promisify} from 'node:util';
import type {CgroupStats} from '../cgroups.ts';
import {badRequest, conflict} from '../errors.ts';
import type {Engine} from '../engine.ts';
import {engineApiVersion, flag, type Router, sendEmpty, sendJson} from './http.ts';

/** The whole machine's CPU time in nanoseconds, from the first line of /proc/stat. */
function systemCpuNanoseconds(): number {
	const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
	const ticks = line.trim().split(/\s+/).slice(1, 8).reduce((sum, value) => sum + Number(value), 0);
	return ticks * (1e9 / 100);
}

type Sample = {read: string; stats?: CgroupStats; system: number};

function sample(engine: Engine, id: string): Sample {
	const {stats} = engine.containers.usage(id);
	return {read: new Date().toISOString(), stats, system: systemCpuNanoseconds()};
}

function cpuStats(sampleValue: Sample | undefined) {
	const stats = sampleValue?.stats;
	return {
		cpu_usage: {total_usage: stats?.cpuTotal ?? 0, usage_in_kernelmode: stats?.cpuKernel ?? 0, usage_in_usermode: stats?.cpuUser ?? 0},
		system_cpu_usage: sampleValue?.stats ? sampleValue.system : 0,
		online_cpus: os.cpus().length,
		throttling_data: {periods: 0, throttled_periods: 0, throttled_time: 0},
	};
}

/** One stats record in dockerd's shape. */
function statsRecord(engine: Engine, id: string, current: Sample, previous: Sample | undefined) {
	const record = engine.containers.find(id);
	const stats = current.stats;
	return {
		read: current.read,
		preread: previous?.read ?? '0001-01-01T00:00:00Z',
		pids_stats: stats ? {current: stats.pids, ...(stats.pidsLimit === undefined ? {} : {limit: stats.pidsLimit})} : {},
		blkio_stats: {
			io_service_bytes_recursive: stats
				? [
						{major: 0, minor: 0, op: 'read', value: stats.ioRead},
						{major: 0, minor: 0, op: 'write', value: stats.ioWrite},
					]
				: null,
			io_serviced_recursive: null,
			io_queue_recursive: null,
			io_service_time_recursive: null,
			io_wait_time_recursive: null,
			io_merged_recursive: null,
			io_time_recursive: null,
			sectors_recursive: null,
		},
		num_procs: 0,
		storage_stats: {},
		cpu_stats: cpuStats(current),
		precpu_stats: cpuStats(previous),
		memory_stats: stats ? {usage: stats.memoryUsage, limit: stats.memoryLimit ?? os.totalmem(), stats: stats.memoryStats} : {},
		name: record.Name,
		id: record.Id,
	};
}

export function addStatsRoutes(router: Router, engine: Engine): void {
	const {containers} = engine;

	router.add('POST', '/containers/{id}/pause', async (request, response) => {
		await containers.pause(request.params.id!);
		sendEmpty(response);
	});

	router.add('POST', '/containers/{id}/unpause', async (request, response) => {
		await containers.unpause(request.params.id!);
		sendEmpty(response);
	});

	router.add('GET', '/containers/{id}/stats', async (request, response) => {
		const record = containers.find(request.params.id!);
		const stream = request.query.get('stream') === null ? true : flag(request.query, 'stream');
		if (!stream) {
			// One record; unless one-shot, with a CPU reading half a second earlier to compare with.
			const first = flag(request.query, 'one-shot') ? undefined : sample(engine, record.Id);
			if (first) await new Promise(resolve => setTimeout(resolve, 500));
			sendJson(response, 200, statsRecord(engine, record.Id, sample(engine, record.Id), first));
			return;
		}

		streamStats(response, engine, record.Id);
	});

	router.add('GET', '/containers/{id}/top', async (request, response) => {
		const record = containers.find(request.params.id!);
		if (!containers.isRunning(record.Id)) throw conflict(`Container ${record.Id} is not running`);
		const psArgs = (request.query.get('ps_args') || '-ef').trim().split(/\s+/);
		if (psArgs.some(argument => !/^[\w,=-]+$/.test(argument))) throw badRequest(`invalid ps arguments: ${psArgs.join(' ')}`);
		const pids = new Set(containers.processes(record.Id));
		let output: string;
		try {
			// Every process of the machine, as dockerd reads them, then this container's: a busy host lists thousands.
			output = (await promisify(execFile)('ps', psArgs, {maxBuffer: 64 * 1024 * 1024})).stdout;
		} catch (error) {
			throw badRequest(`ps ${psArgs.join(' ')} failed: ${(error as Error).message.split('\n')[0]}`);
		}

		const [header = '', ...lines] = output.trimEnd().split('\n');
		const titles = header.trim().split(/\s+/);
		const pidColumn = titles.indexOf('PID');
		if (pidColumn === -1) throw badRequest('ps output has no PID column: use ps arguments that show one');
		const processes = lines
			.map(line => {
				const fields = line.trim().split(/\s+/);
				return [...fields.slice(0, titles.length - 1), fields.slice(titles.length - 1).join(' ')];
			})
			.filter(fields => pids.has(Number(fields[pidColumn])));
		sendJson(response, 200, {Titles: titles, Processes: processes});
	});
}

function streamStats(response: ServerResponse, engine: Engine, id: string): void {
	response.writeHead(200, {'Content-Type': 'application/json', 'Api-Version': engineApiVersion});
	let previous: Sample | undefined;
	const tick = () => {
		try {
			const current = sample(engine, id);
			response.write(`${JSON.stringify(statsRecord(engine, id, current, previous))}\n`);
			previous = current;
		} catch {
			// The container was removed: the stream ends.
			response.end();
		}
	};

	tick();
	const timer = setInterval(tick, 1000);
	response.on('close', () => clearInterval(timer));
}
