// Resource figures from the engine's stats records, computed as `docker stats` computes them, and
// a bounded history of them for charts. Pure.

/** The part of a stats record (GET /containers/{id}/stats) that berth reads. */
export type StatsRecord = {
	read?: string;
	cpu_stats?: CpuStats;
	precpu_stats?: CpuStats;
	memory_stats?: {usage?: number; limit?: number; stats?: Record<string, number>};
	networks?: Record<string, {rx_bytes?: number; tx_bytes?: number}>;
	blkio_stats?: {io_service_bytes_recursive?: Array<{op?: string; value?: number}> | null};
	pids_stats?: {current?: number; limit?: number};
};

type CpuStats = {
	cpu_usage?: {total_usage?: number; percpu_usage?: number[]};
	system_cpu_usage?: number;
	online_cpus?: number;
};

export type Sample = {
	/** ms since the epoch, when the engine read it (or when it arrived). */
	at: number;
	/** Percent of one CPU (200 = two CPUs busy), as docker stats shows it; undefined without a previous reading. */
	cpu?: number;
	/** Bytes in use, page cache not counted. */
	memory: number;
	memoryLimit: number;
	rx: number;
	tx: number;
	blockRead: number;
	blockWrite: number;
	pids: number;
	/** Raw counters kept to compute the next CPU figure from two one-shot readings. */
	cpuTotal: number;
	systemTotal: number;
	onlineCpus: number;
};

/** Memory in use without the reclaimable page cache: what `docker stats` calls MEM USAGE. */
export function memoryInUse(memory: StatsRecord['memory_stats']): number {
	const usage = memory?.usage ?? 0;
	const stats = memory?.stats ?? {};
	// cgroup v1 names it total_inactive_file, v2 inactive_file; docker stats subtracts whichever is there.
	const cache = stats.total_inactive_file ?? stats.inactive_file ?? 0;
	return cache < usage ? usage - cache : usage;
}

function cpuPercent(cpuDelta: number, systemDelta: number, onlineCpus: number): number | undefined {
	if (systemDelta <= 0 || cpuDelta < 0) return undefined;
	return (cpuDelta / systemDelta) * onlineCpus * 100;
}

/**
 * One sample from a record. CPU needs two readings: the record's own `precpu_stats` (streamed
 * records carry the previous second), or else the previous sample taken of the same container.
 */
export function toSample(record: StatsRecord, previous?: Sample, now = Date.now()): Sample {
	const cpu = record.cpu_stats;
	const cpuTotal = cpu?.cpu_usage?.total_usage ?? 0;
	const systemTotal = cpu?.system_cpu_usage ?? 0;
	const onlineCpus = cpu?.online_cpus || cpu?.cpu_usage?.percpu_usage?.length || 1;
	const pre = record.precpu_stats;
	let percent: number | undefined;
	if (pre?.system_cpu_usage) percent = cpuPercent(cpuTotal - (pre.cpu_usage?.total_usage ?? 0), systemTotal - pre.system_cpu_usage, onlineCpus);
	else if (previous && previous.systemTotal > 0) percent = cpuPercent(cpuTotal - previous.cpuTotal, systemTotal - previous.systemTotal, onlineCpus);

	let rx = 0;
	let tx = 0;
	for (const network of Object.values(record.networks ?? {})) {
		rx += network.rx_bytes ?? 0;
		tx += network.tx_bytes ?? 0;
	}

	let blockRead = 0;
	let blockWrite = 0;
	for (const entry of record.blkio_stats?.io_service_bytes_recursive ?? []) {
		const op = entry.op?.toLowerCase();
		if (op === 'read') blockRead += entry.value ?? 0;
		else if (op === 'write') blockWrite += entry.value ?? 0;
	}

	const read = record.read ? Date.parse(record.read) : Number.NaN;
	return {
		// Engines send the zero time for a container that is not running.
		at: Number.isFinite(read) && read > 0 ? read : now,
		cpu: percent,
		memory: memoryInUse(record.memory_stats),
		memoryLimit: record.memory_stats?.limit ?? 0,
		rx,
		tx,
		blockRead,
		blockWrite,
		pids: record.pids_stats?.current ?? 0,
		cpuTotal,
		systemTotal,
		onlineCpus,
	};
}

/** Bytes per second between two samples of a counter; 0 when the counter went back (a restart). */
export function ratePerSecond(current: number, previous: number, ms: number): number {
	if (ms <= 0 || current < previous) return 0;
	return ((current - previous) * 1000) / ms;
}

/** The newest samples of one container, oldest first, at most `capacity` of them. */
export class SampleHistory {
	readonly samples: Sample[] = [];
	constructor(readonly capacity: number) {}

	add(sample: Sample): void {
		this.samples.push(sample);
		if (this.samples.length > this.capacity) this.samples.splice(0, this.samples.length - this.capacity);
	}

	get latest(): Sample | undefined {
		return this.samples.at(-1);
	}
}

const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** 1536 → "1.5KiB", as docker stats writes sizes. */
export function formatBytes(bytes: number): string {
	let value = Math.max(0, bytes);
	let unit = 0;
	while (value >= 1024 && unit < units.length - 1) {
		value /= 1024;
		unit++;
	}

	const digits = unit === 0 || value >= 100 ? 0 : value >= 10 ? 1 : 2;
	return `${value.toFixed(digits)}${units[unit]}`;
}

export function formatPercent(value: number | undefined): string {
	if (value === undefined) return '-';
	return `${value >= 100 ? value.toFixed(0) : value.toFixed(1)}%`;
}
