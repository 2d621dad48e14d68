// What a new container is to be, as a person says it (`docker run`'s options, or the run form's
// fields), and the one mapping from that to the Engine API's create request. `berth run` and the
// form both go through it, so they cannot drift apart; a container read back (inspect) maps to the
// same options, for duplicating it. Pure.
import {joinCommand, splitCommand} from '../shared/argv.ts';

export type RunOptions = {
	image: string;
	name: string;
	/** The command, as words; empty for the image's own. */
	command: string[];
	/** Undefined for the image's own; [] to clear it (`--entrypoint ''`). */
	entrypoint?: string[];
	env: string[];
	/** "8080:80", "127.0.0.1:8080:80/udp", "80" (exposed, not published). */
	ports: string[];
	/** "NAME:/path", "/host/path:/path", with ":ro" or ":rw". */
	volumes: string[];
	labels: Record<string, string>;
	restart: string;
	network: string;
	memory: string;
	cpus: string;
	pidsLimit: string;
	workdir: string;
	user: string;
	tty: boolean;
	stdin: boolean;
	autoRemove: boolean;
};

export const emptyRunOptions = (): RunOptions => ({
	image: '',
	name: '',
	command: [],
	env: [],
	ports: [],
	volumes: [],
	labels: {},
	restart: '',
	network: '',
	memory: '',
	cpus: '',
	pidsLimit: '',
	workdir: '',
	user: '',
	tty: false,
	stdin: false,
	autoRemove: false,
});

/** The fields a problem can be about (the form shows it next to that field). */
export type RunField = keyof RunOptions;

export type RunProblems = Partial<Record<RunField, string>>;

type PortBindings = Record<string, Array<{HostIp?: string; HostPort?: string}>>;

export type CreateRequest = {
	name?: string;
	Image: string;
	Cmd?: string[];
	Entrypoint?: string[];
	Env?: string[];
	Labels?: Record<string, string>;
	WorkingDir?: string;
	User?: string;
	Tty?: boolean;
	OpenStdin?: boolean;
	ExposedPorts?: Record<string, Record<string, never>>;
	HostConfig: {
		Binds?: string[];
		PortBindings?: PortBindings;
		NetworkMode?: string;
		Memory?: number;
		NanoCpus?: number;
		PidsLimit?: number;
		RestartPolicy?: {Name: string; MaximumRetryCount: number};
		AutoRemove?: boolean;
		[other: string]: unknown;
	};
	[other: string]: unknown;
};

/** Docker's sizes: 512m, 1g, 64k, or bytes. */
export function parseBytes(value: string): number | undefined {
	const match = /^(\d+(?:\.\d+)?)([bkmg]?)$/i.exec(value.trim());
	if (!match) return undefined;
	const unit = {'': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3}[match[2]!.toLowerCase() as '' | 'b' | 'k' | 'm' | 'g'];
	return Math.floor(Number(match[1]) * unit);
}

export function parseRestart(value: string): {Name: string; MaximumRetryCount: number} | undefined {
	const [name = '', count] = value.split(':');
	if (!['no', 'always', 'unless-stopped', 'on-failure'].includes(name)) return undefined;
	if (count !== undefined && (name !== 'on-failure' || !/^\d+$/.test(count))) return undefined;
	return {Name: name, MaximumRetryCount: count ? Number(count) : 0};
}

/** "[ip:][host:]container[/proto]", as `docker run -p` reads it. */
export function parsePort(spec: string): {key: string; binding?: {HostIp?: string; HostPort?: string}} | undefined {
	const match = /^(?:(?:(\[[\da-f:]+\]|[\d.]+):)?(\d*):)?(\d+)(?:\/(tcp|udp|sctp))?$/i.exec(spec.trim());
	if (!match) return undefined;
	const [, ip, hostPort, containerPort, protocol = 'tcp'] = match;
	const port = Number(containerPort);
	if (port < 1 || port > 65_535 || (hostPort && (Number(hostPort) < 1 || Number(hostPort) > 65_535))) return undefined;
	const key = `${port}/${protocol.toLowerCase()}`;
	if (hostPort === undefined && ip === undefined) return {key};
	return {key, binding: {...(ip ? {HostIp: ip.replace(/^\[|\]$/g, '')} : {}), HostPort: hostPort ?? ''}};
}

const envName = /^[^=\s]+(=|$)/;
const volumeSpec = /^([^:]+):(\/[^:]*)(?::(ro|rw|z|Z|ro,z|ro,Z))?$/;
const nameSpec = /^\/?[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

/** The create request for these options, or what is wrong with them, field by field, before anything is sent. */
export function toCreateRequest(options: RunOptions, base?: CreateRequest): {request: CreateRequest} | {problems: RunProblems} {
	const problems: RunProblems = {};
	if (!options.image.trim()) problems.image = 'an image is needed';
	if (options.name && !nameSpec.test(options.name)) problems.name = 'letters, digits, and _ . - after the first';
	const badEnv = options.env.find(entry => !envName.test(entry));
	if (badEnv) problems.env = `"${badEnv}" is not NAME=value`;
	const exposed: Record<string, Record<string, never>> = {};
	const bindings: PortBindings = {};
	for (const spec of options.ports) {
		const port = parsePort(spec);
		if (!port) {
			problems.ports = `"${spec}" is not a port ([ip:][host:]container[/tcp|udp])`;
			break;
		}

		exposed[port.key] = {};
		if (port.binding) (bindings[port.key] ??= []).push(port.binding);
	}

	const badVolume = options.volumes.find(spec => !volumeSpec.test(spec));
	if (badVolume) problems.volumes = `"${badVolume}" is not NAME:/path or /host/path:/path (with :ro)`;
	const restart = options.restart ? parseRestart(options.restart) : undefined;
	if (options.restart && !restart) problems.restart = 'no, always, unless-stopped or on-failure[:N]';
	if (options.autoRemove && restart && restart.Name !== 'no') problems.restart = 'a container removed when it stops cannot have a restart policy';
	const memory = options.memory ? parseBytes(options.memory) : undefined;
	if (options.memory && (memory === undefined || memory < 6 * 1024 * 1024)) problems.memory = memory === undefined ? 'a size: 512m, 1g' : 'at least 6m';
	const cpus = options.cpus ? Number(options.cpus) : undefined;
	if (options.cpus && !(cpus! > 0)) problems.cpus = 'a number above 0: 0.5, 2';
	const pids = options.pidsLimit ? Number(options.pidsLimit) : undefined;
	if (options.pidsLimit && !Number.isInteger(pids)) problems.pidsLimit = 'a whole number';
	if (Object.keys(problems).length > 0) return {problems};

	const host = {...base?.HostConfig};
	const request: CreateRequest = {
		...base,
		...(options.name ? {name: options.name.replace(/^\//, '')} : {}),
		Image: options.image.trim(),
		Cmd: options.command.length > 0 ? options.command : base ? [] : undefined,
		Entrypoint: options.entrypoint,
		Env: options.env,
		Labels: options.labels,
		WorkingDir: options.workdir || undefined,
		User: options.user || undefined,
		Tty: options.tty,
		OpenStdin: options.stdin,
		ExposedPorts: Object.keys(exposed).length > 0 ? {...base?.ExposedPorts, ...exposed} : base?.ExposedPorts,
		HostConfig: {
			...host,
			Binds: options.volumes.length > 0 ? options.volumes : undefined,
			PortBindings: Object.keys(bindings).length > 0 ? bindings : undefined,
			NetworkMode: options.network || undefined,
			Memory: memory,
			NanoCpus: cpus === undefined ? undefined : Math.round(cpus * 1e9),
			PidsLimit: pids,
			RestartPolicy: restart,
			AutoRemove: options.autoRemove,
		},
	};
	// An empty command with a base means "the image's own", which the API reads from no Cmd at all.
	if (request.Cmd?.length === 0) delete request.Cmd;
	return {request};
}

export type InspectedContainer = {
	Name: string;
	Config: {Image: string; Cmd?: string[] | null; Entrypoint?: string[] | string | null; Env?: string[] | null; Labels?: Record<string, string> | null; WorkingDir?: string; User?: string; Tty?: boolean; OpenStdin?: boolean; ExposedPorts?: Record<string, unknown> | null; [other: string]: unknown};
	HostConfig: {
		Binds?: string[] | null;
		PortBindings?: PortBindings | null;
		NetworkMode?: string;
		Memory?: number;
		NanoCpus?: number;
		PidsLimit?: number | null;
		RestartPolicy?: {Name?: string; MaximumRetryCount?: number};
		AutoRemove?: boolean;
		[other: string]: unknown;
	};
};

const composeLabel = /^com\.docker\.compose\./;

/** Docker's sizes back: the largest unit that divides evenly. */
function formatBytesExactly(bytes: number): string {
	for (const [unit, size] of [['g', 1024 ** 3], ['m', 1024 ** 2], ['k', 1024]] as const) if (bytes % size === 0) return `${bytes / size}${unit}`;
	return String(bytes);
}

/**
 * A container read back as options, with the rest of its configuration as the base of a new
 * create request. For a copy, compose's labels are left out (the copy is not one of the
 * project's containers); a replacement keeps them.
 */
export function fromInspect(inspect: InspectedContainer, purpose: 'copy' | 'replace'): {options: RunOptions; base: CreateRequest} {
	const {Config: config, HostConfig: host} = inspect;
	const labels = Object.fromEntries(Object.entries(config.Labels ?? {}).filter(([key]) => purpose === 'replace' || !composeLabel.test(key)));
	const ports: string[] = [];
	for (const [key, list] of Object.entries(host.PortBindings ?? {})) {
		const [port, protocol] = key.split('/');
		const suffix = protocol && protocol !== 'tcp' ? `/${protocol}` : '';
		for (const binding of list ?? []) ports.push(`${binding.HostIp ? `${binding.HostIp.includes(':') ? `[${binding.HostIp}]` : binding.HostIp}:` : ''}${binding.HostPort ?? ''}:${port}${suffix}`);
	}

	const restart = host.RestartPolicy?.Name && host.RestartPolicy.Name !== 'no' ? `${host.RestartPolicy.Name}${host.RestartPolicy.MaximumRetryCount ? `:${host.RestartPolicy.MaximumRetryCount}` : ''}` : '';
	const entrypoint = config.Entrypoint == null ? undefined : Array.isArray(config.Entrypoint) ? config.Entrypoint : [config.Entrypoint];
	const options: RunOptions = {
		image: config.Image,
		name: inspect.Name.replace(/^\//, ''),
		command: config.Cmd ?? [],
		entrypoint,
		env: config.Env ?? [],
		ports,
		volumes: host.Binds ?? [],
		labels,
		restart,
		network: host.NetworkMode && host.NetworkMode !== 'default' ? host.NetworkMode : '',
		memory: host.Memory ? formatBytesExactly(host.Memory) : '',
		cpus: host.NanoCpus ? String(host.NanoCpus / 1e9) : '',
		pidsLimit: host.PidsLimit ? String(host.PidsLimit) : '',
		workdir: config.WorkingDir ?? '',
		user: config.User ?? '',
		tty: Boolean(config.Tty),
		stdin: Boolean(config.OpenStdin),
		autoRemove: Boolean(host.AutoRemove),
	};
	// What the options do not name is carried over as it was; the hostname and the rest that
	// dockerd fills in per container are not.
	const {Hostname: _hostname, Domainname: _domain, Image: _image, ...restOfConfig} = config;
	const base: CreateRequest = {...(restOfConfig as Record<string, unknown>), Image: config.Image, HostConfig: {...host}} as CreateRequest;
	return {options, base};
}

/** A list field as one line, and back: words as a shell would split them. */
export const listToText = (list: readonly string[]) => joinCommand(list);
export function textToList(text: string): {list: string[]} | {error: string} {
	const split = splitCommand(text);
	return 'error' in split ? split : {list: split.argv};
}
