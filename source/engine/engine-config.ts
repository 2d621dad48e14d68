// The engine's own settings, in a daemon.json beside its state, with dockerd's key names for
// what dockerd also has: "insecure-registries", "registry-mirrors"; and "blocked-registries",
// which dockerd has not (podman's registries.conf has `blocked`). A file that cannot be read
// right stops the engine with the reason, rather than running with half of it.
import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {defaultRegistrySettings, type RegistrySettings} from './registry/session.ts';

export type EngineConfig = {registry: RegistrySettings};

function strings(value: unknown, key: string, file: string): string[] {
	if (value === undefined) return [];
	if (!Array.isArray(value) || !value.every(item => typeof item === 'string')) throw new Error(`${file}: "${key}" must be a list of strings`);
	return value;
}

export function configFile(stateDirectory: string): string {
	return process.env.BERTH_ENGINE_CONFIG ?? path.join(stateDirectory, 'daemon.json');
}

export function readEngineConfig(stateDirectory: string): EngineConfig {
	const file = configFile(stateDirectory);
	if (!existsSync(file)) return {registry: defaultRegistrySettings};
	let raw: Record<string, unknown>;
	try {
		raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
	} catch (error) {
		throw new Error(`${file} is not valid JSON: ${(error as Error).message}`);
	}

	if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new Error(`${file} must hold a JSON object`);
	const mirrors = strings(raw['registry-mirrors'], 'registry-mirrors', file);
	for (const mirror of mirrors) if (!/^https?:\/\/[^/]+/.test(mirror)) throw new Error(`${file}: registry mirror "${mirror}" must be an http:// or https:// URL`);
	const timeout = raw['registry-timeout-seconds'];
	if (timeout !== undefined && (typeof timeout !== 'number' || !(timeout > 0))) throw new Error(`${file}: "registry-timeout-seconds" must be a positive number`);
	return {
		registry: {
			insecureRegistries: strings(raw['insecure-registries'], 'insecure-registries', file),
			mirrors,
			timeoutMs: typeof timeout === 'number' ? timeout * 1000 : defaultRegistrySettings.timeoutMs,
			blocked: strings(raw['blocked-registries'], 'blocked-registries', file).map(name => (name === 'index.docker.io' || name === 'registry-1.docker.io' ? 'docker.io' : name)),
		},
	};
}
