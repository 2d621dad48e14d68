// The detail tabs' text, from a container's inspect record. Pure: record in, lines out.
import {naturalCompare} from './natural-compare.ts';

/** The parts of the inspect record the tabs read; everything is optional because engines differ. */
export type InspectRecord = {
	Id?: string;
	Name?: string;
	Created?: string;
	Path?: string;
	Args?: string[];
	RestartCount?: number;
	State?: {Status?: string; ExitCode?: number; StartedAt?: string; FinishedAt?: string; Health?: {Status?: string; FailingStreak?: number}; Error?: string};
	Config?: {
		Image?: string;
		Cmd?: string[] | null;
		Entrypoint?: string[] | string | null;
		WorkingDir?: string;
		User?: string;
		Env?: string[] | null;
		Labels?: Record<string, string> | null;
		Tty?: boolean;
		ExposedPorts?: Record<string, unknown> | null;
		Healthcheck?: {Test?: string[]; Interval?: number; Timeout?: number; Retries?: number};
	};
	HostConfig?: {
		RestartPolicy?: {Name?: string; MaximumRetryCount?: number};
		NetworkMode?: string;
		PortBindings?: Record<string, Array<{HostIp?: string; HostPort?: string}> | null> | null;
		Memory?: number;
		NanoCpus?: number;
		PidsLimit?: number | null;
	};
	Mounts?: Array<{Type?: string; Source?: string; Destination?: string; Name?: string; RW?: boolean; Mode?: string}>;
};

export function inspectLines(record: InspectRecord): string[] {
	return JSON.stringify(record, null, 2).split('\n');
}

/** Environment variables, one a line, sorted by name. */
export function envLines(record: InspectRecord): string[] {
	const env = record.Config?.Env ?? [];
	if (env.length === 0) return ['(no environment variables)'];
	return [...env].sort(naturalCompare);
}

function quoteArgs(args: string[] | string | null | undefined): string {
	if (args === null || args === undefined) return '';
	if (typeof args === 'string') return args;
	return args.map(arg => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`)).join(' ');
}

function formatBytes(bytes: number): string {
	const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
	let value = bytes;
	let unit = 0;
	while (value >= 1024 && unit < units.length - 1) {
		value /= 1024;
		unit++;
	}

	return `${Number.isInteger(value) ? value : value.toFixed(1)} ${units[unit]}`;
}

function restartPolicy(policy: {Name?: string; MaximumRetryCount?: number} | undefined): string {
	const name = policy?.Name || 'no';
	return name === 'on-failure' && policy?.MaximumRetryCount ? `on-failure:${policy.MaximumRetryCount}` : name;
}

/** The configuration a person asks about, as "label  value" lines. */
export function configLines(record: InspectRecord): string[] {
	const config = record.Config ?? {};
	const host = record.HostConfig ?? {};
	const lines: string[] = [];
	const field = (label: string, value: string) => lines.push(`${label.padEnd(12)} ${value || '-'}`);

	field('Image', config.Image ?? '');
	field('Command', quoteArgs(config.Cmd));
	field('Entrypoint', quoteArgs(config.Entrypoint));
	field('Working dir', config.WorkingDir ?? '');
	field('User', config.User ?? '');
	field('TTY', config.Tty ? 'yes' : 'no');
	field('Restart', `${restartPolicy(host.RestartPolicy)}${record.RestartCount ? ` (restarted ${record.RestartCount} times)` : ''}`);
	field('Network', host.NetworkMode ?? '');

	const health = record.State?.Health;
	const check = config.Healthcheck?.Test;
	if (health?.Status || (check && check[0] !== 'NONE')) {
		field('Health', `${health?.Status ?? 'configured'}${health?.FailingStreak ? ` (failing ${health.FailingStreak} in a row)` : ''}`);
		if (check) field('  check', quoteArgs(check.slice(check[0] === 'CMD' || check[0] === 'CMD-SHELL' ? 1 : 0)));
	}

	const limits: string[] = [];
	if (host.Memory) limits.push(`memory ${formatBytes(host.Memory)}`);
	if (host.NanoCpus) limits.push(`cpus ${host.NanoCpus / 1e9}`);
	if (host.PidsLimit && host.PidsLimit > 0) limits.push(`pids ${host.PidsLimit}`);
	field('Limits', limits.join(', '));

	const ports: string[] = [];
	for (const [containerPort, bindings] of Object.entries(host.PortBindings ?? {})) {
		if (!bindings || bindings.length === 0) ports.push(containerPort);
		for (const binding of bindings ?? []) ports.push(`${binding.HostIp ? `${binding.HostIp}:` : ''}${binding.HostPort}->${containerPort}`);
	}

	for (const exposed of Object.keys(config.ExposedPorts ?? {})) {
		if (!(exposed in (host.PortBindings ?? {}))) ports.push(`${exposed} (exposed)`);
	}

	lines.push('', 'Ports');
	lines.push(...(ports.length > 0 ? ports.map(port => `  ${port}`) : ['  -']));

	lines.push('', 'Mounts');
	const mounts = record.Mounts ?? [];
	lines.push(
		...(mounts.length > 0
			? mounts.map(mount => `  ${mount.Type === 'volume' ? (mount.Name ?? mount.Source) : mount.Source} -> ${mount.Destination}${mount.RW === false ? ' (ro)' : ''} [${mount.Type ?? 'bind'}]`)
			: ['  -']),
	);

	lines.push('', 'Labels');
	const labels = Object.entries(config.Labels ?? {}).sort(([a], [b]) => naturalCompare(a, b));
	lines.push(...(labels.length > 0 ? labels.map(([key, value]) => `  ${key}=${value}`) : ['  -']));
	return lines;
}

/** The parts of an image's inspect record its tabs read. */
export type ImageRecord = {
	Config?: {Env?: string[] | null; Cmd?: string[] | null; Entrypoint?: string[] | string | null; WorkingDir?: string; User?: string; ExposedPorts?: Record<string, unknown> | null; Labels?: Record<string, string> | null; Volumes?: Record<string, unknown> | null};
};

/** An image's configuration: what a container of it runs, and with what. */
export function imageConfigLines(record: ImageRecord): string[] {
	const config = record.Config ?? {};
	const lines: string[] = [];
	const field = (label: string, value: string) => lines.push(`${label.padEnd(12)} ${value || '-'}`);
	field('Command', quoteArgs(config.Cmd));
	field('Entrypoint', quoteArgs(config.Entrypoint));
	field('Working dir', config.WorkingDir ?? '');
	field('User', config.User ?? '');
	const list = (title: string, values: string[]) => lines.push('', title, ...(values.length > 0 ? values.map(value => `  ${value}`) : ['  -']));
	list('Env', [...(config.Env ?? [])].sort(naturalCompare));
	list('Exposed ports', Object.keys(config.ExposedPorts ?? {}));
	list('Volumes', Object.keys(config.Volumes ?? {}));
	list('Labels', Object.entries(config.Labels ?? {}).sort(([a], [b]) => naturalCompare(a, b)).map(([key, value]) => `${key}=${value}`));
	return lines;
}

export type HistoryRecord = {Id?: string; Created?: number; CreatedBy?: string; Size?: number; Comment?: string};

/** Layers newest first, as `docker history` shows them: id, age, what made it, its size. */
export function historyLines(entries: readonly HistoryRecord[], now: number, formatAge: (seconds: number, now: number) => string, formatSize: (bytes: number) => string): string[] {
	if (entries.length === 0) return ['(no history)'];
	const rows = entries.map(entry => [
		!entry.Id || entry.Id === '<missing>' ? '<missing>' : entry.Id.replace(/^sha256:/, '').slice(0, 12),
		formatAge(entry.Created ?? 0, now),
		(entry.CreatedBy ?? '').replace(/^\/bin\/sh -c #\(nop\) +/, '').replace(/\s+/g, ' ').trim(),
		formatSize(entry.Size ?? 0),
	]);
	const idWidth = Math.max(5, ...rows.map(row => row[0]!.length));
	const ageWidth = Math.max(7, ...rows.map(row => row[1]!.length));
	const sizeWidth = Math.max(4, ...rows.map(row => row[3]!.length));
	const line = (cells: string[]) => `${cells[0]!.padEnd(idWidth)}  ${cells[1]!.padEnd(ageWidth)}  ${cells[3]!.padStart(sizeWidth)}  ${cells[2]}`;
	return [line(['IMAGE', 'CREATED', 'CREATED BY', 'SIZE']), ...rows.map(row => line(row))];
}
