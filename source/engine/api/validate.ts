// A create request's body, checked field by field: unknown fields are ignored (as dockerd does),
// mistyped ones are refused with the field's name.
import {availableParallelism} from 'node:os';
import {badRequest} from '../errors.ts';
import type {ContainerConfig, HostConfig} from '../containers.ts';

const isStringArray = (value: unknown): value is string[] => Array.isArray(value) && value.every(item => typeof item === 'string');
const isStringMap = (value: unknown): value is Record<string, string> =>
	Boolean(value) && typeof value === 'object' && !Array.isArray(value) && Object.values(value as object).every(item => typeof item === 'string');

function expect(ok: boolean, field: string, wanted: string): void {
	if (!ok) throw badRequest(`json: cannot unmarshal ${field}: expected ${wanted}`);
}

/** Cmd and Entrypoint may be a list or one string (split by a shell-like rule, as dockerd does). */
function stringSlice(value: unknown, field: string): string[] | undefined | null {
	if (value === undefined) return undefined;
	if (value === null) return null;
	if (typeof value === 'string') return [value];
	expect(isStringArray(value), field, 'a list of strings');
	return value as string[];
}

/** The limits and restart policy, in create's HostConfig or in an update's body: dockerd's bounds. */
function checkResources(host: Record<string, unknown>, prefix: string): void {
	for (const field of ['Memory', 'NanoCpus'] as const) {
		if (host[field] !== undefined && host[field] !== null) expect(Number.isSafeInteger(host[field]) && (host[field] as number) >= 0, `${prefix}.${field}`, 'a whole number of at least 0');
	}

	// dockerd's bounds: a cgroup cannot hold a process in less, nor give more CPUs than there are.
	if (typeof host.Memory === 'number' && host.Memory > 0 && host.Memory < 6 * 1024 * 1024) throw badRequest('Minimum memory limit allowed is 6MB');
	const cpus = availableParallelism();
	if (typeof host.NanoCpus === 'number' && host.NanoCpus > cpus * 1e9) throw badRequest(`Range of CPUs is from 0.01 to ${cpus}.00, as there are only ${cpus} CPUs available`);

	if (host.PidsLimit !== undefined && host.PidsLimit !== null) expect(Number.isInteger(host.PidsLimit), `${prefix}.PidsLimit`, 'a whole number');
	const policy = host.RestartPolicy as Record<string, unknown> | undefined;
	if (policy !== undefined && policy !== null) {
		expect(typeof policy === 'object' && !Array.isArray(policy), `${prefix}.RestartPolicy`, 'an object');
		if (policy.MaximumRetryCount !== undefined) expect(Number.isInteger(policy.MaximumRetryCount) && (policy.MaximumRetryCount as number) >= 0, `${prefix}.RestartPolicy.MaximumRetryCount`, 'a whole number of at least 0');
		const name = policy.Name ?? '';
		expect(typeof name === 'string' && ['', 'no', 'always', 'unless-stopped', 'on-failure'].includes(name), `${prefix}.RestartPolicy.Name`, 'no, always, unless-stopped or on-failure');
	}

}

export type UpdateRequest = {Memory?: number; NanoCpus?: number; PidsLimit?: number | null; RestartPolicy?: {Name?: string; MaximumRetryCount?: number}};

/** POST /containers/{id}/update: the fields the engine can change, checked as at create; others refused by name. */
export function validateUpdate(body: unknown): UpdateRequest {
	if (!body || typeof body !== 'object' || Array.isArray(body)) throw badRequest('the update needs a JSON object');
	const value = body as Record<string, unknown>;
	const supported = new Set(['Memory', 'NanoCpus', 'PidsLimit', 'RestartPolicy']);
	for (const [key, given] of Object.entries(value)) {
		// The docker CLI sends every field, zero when not asked for: only a set one is refused.
		if (!supported.has(key) && given !== 0 && given !== null && given !== '' && !(Array.isArray(given) && given.length === 0)) throw badRequest(`updating ${key} is not supported by berth's engine`);
	}

	checkResources(value, 'update');
	return value as UpdateRequest;
}

export function validateCreate(body: unknown): {config: ContainerConfig; hostConfig: HostConfig} {
	if (!body || typeof body !== 'object' || Array.isArray(body)) throw badRequest('config cannot be empty in order to create a container');
	const value = body as Record<string, unknown>;
	expect(typeof value.Image === 'string', 'Config.Image', 'a string');
	for (const field of ['Hostname', 'User', 'WorkingDir', 'StopSignal'] as const) {
		if (value[field] !== undefined) expect(typeof value[field] === 'string', `Config.${field}`, 'a string');
	}

	for (const field of ['Tty', 'OpenStdin', 'AttachStdin', 'AttachStdout', 'AttachStderr'] as const) {
		if (value[field] !== undefined) expect(typeof value[field] === 'boolean', `Config.${field}`, 'true or false');
	}

	if (value.Env !== undefined && value.Env !== null) expect(isStringArray(value.Env), 'Config.Env', 'a list of strings');
	if (value.Labels !== undefined && value.Labels !== null) expect(isStringMap(value.Labels), 'Config.Labels', 'an object of strings');
	if (value.StopTimeout !== undefined && value.StopTimeout !== null) expect(Number.isInteger(value.StopTimeout), 'Config.StopTimeout', 'a whole number');

	const check = value.Healthcheck as Record<string, unknown> | undefined | null;
	if (check !== undefined && check !== null) {
		expect(typeof check === 'object' && !Array.isArray(check), 'Config.Healthcheck', 'an object');
		if (check.Test !== undefined && check.Test !== null) {
			expect(isStringArray(check.Test), 'Config.Healthcheck.Test', 'a list of strings');
			const [kind] = check.Test as string[];
			if (kind !== undefined && !['CMD', 'CMD-SHELL', 'NONE'].includes(kind)) throw badRequest(`Healthcheck.Test must start with CMD, CMD-SHELL or NONE, not "${kind}"`);
		}

		for (const field of ['Interval', 'Timeout', 'StartPeriod', 'Retries'] as const) {
			if (check[field] !== undefined && check[field] !== null) expect(Number.isSafeInteger(check[field]) && (check[field] as number) >= 0, `Config.Healthcheck.${field}`, 'a whole number of at least 0');
		}

		// dockerd's bounds, in nanoseconds.
		for (const field of ['Interval', 'Timeout', 'StartPeriod'] as const) {
			const given = check[field] as number | undefined;
			if (given && given < 1e6) throw badRequest(`${field} in Healthcheck cannot be less than 1ms`);
		}
	}

	const host = (value.HostConfig ?? {}) as Record<string, unknown>;
	expect(typeof host === 'object' && !Array.isArray(host), 'HostConfig', 'an object');
	if (host.NetworkMode !== undefined) expect(typeof host.NetworkMode === 'string', 'HostConfig.NetworkMode', 'a string');
	checkResources(host, 'HostConfig');

	for (const field of ['Binds', 'CapAdd', 'CapDrop', 'SecurityOpt'] as const) {
		if (host[field] !== undefined && host[field] !== null) expect(isStringArray(host[field]), `HostConfig.${field}`, 'a list of strings');
	}

	for (const field of ['Privileged', 'Init', 'AutoRemove', 'ReadonlyRootfs'] as const) {
		if (host[field] !== undefined && host[field] !== null) expect(typeof host[field] === 'boolean', `HostConfig.${field}`, 'true or false');
	}

	if (host.Tmpfs !== undefined && host.Tmpfs !== null) expect(isStringMap(host.Tmpfs), 'HostConfig.Tmpfs', 'an object of strings');
	if (host.Devices !== undefined && host.Devices !== null) {
		expect(Array.isArray(host.Devices) && host.Devices.every(device => isStringMap(device)), 'HostConfig.Devices', 'a list of objects of strings');
	}

	const logConfig = host.LogConfig as Record<string, unknown> | undefined;
	if (logConfig !== undefined && logConfig !== null) {
		expect(typeof logConfig === 'object' && !Array.isArray(logConfig), 'HostConfig.LogConfig', 'an object');
		if (logConfig.Type !== undefined) expect(typeof logConfig.Type === 'string', 'HostConfig.LogConfig.Type', 'a string');
		if (logConfig.Config !== undefined && logConfig.Config !== null) expect(isStringMap(logConfig.Config), 'HostConfig.LogConfig.Config', 'an object of strings');
	}

	const config: ContainerConfig = {
		...(value as unknown as ContainerConfig),
		Cmd: stringSlice(value.Cmd, 'Config.Cmd') ?? undefined,
		Entrypoint: stringSlice(value.Entrypoint, 'Config.Entrypoint'),
		Env: (value.Env as string[] | null | undefined) ?? undefined,
		Labels: (value.Labels as Record<string, string> | null | undefined) ?? undefined,
	};
	delete (config as Record<string, unknown>).HostConfig;
	delete (config as Record<string, unknown>).NetworkingConfig;
	return {config, hostConfig: host as HostConfig};
}
