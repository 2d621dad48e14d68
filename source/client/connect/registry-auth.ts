// Credentials for a registry, where `docker login` saved them in docker's config.json ("auths":
// base64 "user:password" by registry host). Credential helpers (credsStore, credHelpers) keep
// theirs elsewhere and are not asked: without an entry here, a pull goes anonymous.
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {dockerConfigDirectory} from './contexts.ts';

type Env = Record<string, string | undefined>;

export type RegistryAuth = {username: string; password: string; serveraddress: string};

/** The registry a repository lives in, as docker decides: a first part with a dot, a colon or "localhost". */
export function registryOf(repository: string): string {
	const first = repository.split('/')[0] ?? '';
	return repository.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost') ? first : 'docker.io';
}

export function registryAuth(repository: string, env: Env = process.env): RegistryAuth | undefined {
	let auths: Record<string, {auth?: string}>;
	try {
		auths = (JSON.parse(readFileSync(path.join(dockerConfigDirectory(env), 'config.json'), 'utf8')) as {auths?: Record<string, {auth?: string}>}).auths ?? {};
	} catch {
		return undefined;
	}

	const registry = registryOf(repository);
	const keys = registry === 'docker.io' ? ['https://index.docker.io/v1/', 'docker.io', 'index.docker.io', 'registry-1.docker.io'] : [registry, `https://${registry}`, `http://${registry}`];
	for (const key of keys) {
		const encoded = auths[key]?.auth;
		if (!encoded) continue;
		const decoded = Buffer.from(encoded, 'base64').toString('utf8');
		const colon = decoded.indexOf(':');
		if (colon === -1) continue;
		return {username: decoded.slice(0, colon), password: decoded.slice(colon + 1), serveraddress: key};
	}

	return undefined;
}
