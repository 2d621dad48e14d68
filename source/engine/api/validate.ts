// A create request's body, checked field by field: unknown fields are ignored (as dockerd does),
// mistyped ones are refused with the field's name.
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

	const host = (value.HostConfig ?? {}) as Record<string, unknown>;
	expect(typeof host === 'object' && !Array.isArray(host), 'HostConfig', 'an object');
	if (host.NetworkMode !== undefined) expect(typeof host.NetworkMode === 'string', 'HostConfig.NetworkMode', 'a string');
	for (const field of ['Memory', 'NanoCpus'] as const) {
		if (host[field] !== undefined && host[field] !== null) expect(Number.isInteger(host[field]) && (host[field] as number) >= 0, `HostConfig.${field}`, 'a whole number of at least 0');
	}

	if (host.Binds !== undefined && host.Binds !== null) expect(isStringArray(host.Binds), 'HostConfig.Binds', 'a list of strings');
	const policy = host.RestartPolicy as Record<string, unknown> | undefined;
	if (policy !== undefined && policy !== null) {
		expect(typeof policy === 'object', 'HostConfig.RestartPolicy', 'an object');
		const name = policy.Name ?? '';
		expect(typeof name === 'string' && ['', 'no', 'always', 'unless-stopped', 'on-failure'].includes(name), 'HostConfig.RestartPolicy.Name', 'no, always, unless-stopped or on-failure');
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
