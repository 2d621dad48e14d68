// Where the engine lives: parsed from --host, DOCKER_HOST or the local default, the way the
// docker CLI reads them. Pure apart from the file-system checks in `localDockerEndpoint`.
import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {enginePaths} from '../../shared/engine-paths.ts';
import {ContextError, currentContextName, defaultContextName, type DockerContext, readContext} from './contexts.ts';

export type Tls = {ca?: Buffer; cert?: Buffer; key?: Buffer; verify: boolean};

export type Endpoint =
	| {kind: 'unix'; url: string; socketPath: string}
	| {kind: 'tcp'; url: string; host: string; port: number; tls?: Tls}
	| {kind: 'ssh'; url: string; host: string; user?: string; port?: number};

export class EndpointError extends Error {}

export const localDockerSocket = '/var/run/docker.sock';

type Env = Record<string, string | undefined>;

/** Parses a host URL as the docker CLI accepts it: unix://, tcp://, ssh://, or a bare host:port. */
export function parseHost(raw: string, env: Env = process.env): Endpoint {
	const value = raw.trim();
	if (value === '') throw new EndpointError('empty host');

	if (value.startsWith('unix://')) {
		const socketPath = value.slice('unix://'.length) || localDockerSocket;
		return {kind: 'unix', url: `unix://${socketPath}`, socketPath};
	}

	if (value.startsWith('/')) return {kind: 'unix', url: `unix://${value}`, socketPath: value};

	const withScheme = value.includes('://') ? value : `tcp://${value}`;
	let url: URL;
	try {
		url = new URL(withScheme);
	} catch {
		throw new EndpointError(`invalid host "${raw}": expected unix:///path, tcp://host:port or ssh://user@host`);
	}

	switch (url.protocol) {
		case 'tcp:':
		case 'http:':
		case 'https:': {
			if (!url.hostname) throw new EndpointError(`invalid host "${raw}": no host name`);
			const tls = readTls(env, url.protocol === 'https:');
			const port = url.port ? Number(url.port) : tls ? 2376 : 2375;
			return {kind: 'tcp', url: `tcp://${url.hostname}:${port}`, host: unbracket(url.hostname), port, tls};
		}

		case 'ssh:': {
			if (!url.hostname) throw new EndpointError(`invalid host "${raw}": no host name`);
			if (url.pathname && url.pathname !== '/') {
				throw new EndpointError(`invalid host "${raw}": an ssh host takes no path`);
			}

			return {
				kind: 'ssh',
				url: `ssh://${url.username ? `${decodeURIComponent(url.username)}@` : ''}${url.host}`,
				host: unbracket(url.hostname),
				user: url.username ? decodeURIComponent(url.username) : undefined,
				port: url.port ? Number(url.port) : undefined,
			};
		}

		default: {
			throw new EndpointError(`unsupported host scheme "${url.protocol.replace(/:$/, '')}" in "${raw}": use unix://, tcp:// or ssh://`);
		}
	}
}

function unbracket(hostname: string): string {
	return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}

/** TLS as the docker CLI reads it: DOCKER_TLS_VERIFY turns it on; DOCKER_CERT_PATH (or ~/.docker) holds ca/cert/key.pem. */
function readTls(env: Env, forced: boolean): Tls | undefined {
	const verify = Boolean(env.DOCKER_TLS_VERIFY) && env.DOCKER_TLS_VERIFY !== '0';
	if (!verify && !forced && !env.DOCKER_TLS) return undefined;
	const directory = env.DOCKER_CERT_PATH ?? path.join(env.HOME ?? '', '.docker');
	const read = (name: string) => {
		const file = path.join(directory, name);
		try {
			return readFileSync(file);
		} catch {
			if (verify) throw new EndpointError(`TLS is on (DOCKER_TLS_VERIFY) but ${file} cannot be read`);
			return undefined;
		}
	};

	return {ca: read('ca.pem'), cert: read('cert.pem'), key: read('key.pem'), verify};
}

export type HostChoice = {endpoint: Endpoint; source: 'flag' | 'env' | 'context' | 'remembered' | 'docker' | 'engine'; context?: string};

export type HostFlags = {host?: string; context?: string};

/**
 * The docker CLI's precedence: --host (or --context; not both), then DOCKER_HOST, then
 * DOCKER_CONTEXT, then the current context in docker's config.json, then the local Docker
 * socket; where there is no Docker, berth's own engine (started on demand by the caller).
 * The context named "default" means DOCKER_HOST or the local socket, as for docker.
 */
export function chooseEndpoint(flags: HostFlags | string | undefined, env: Env = process.env): HostChoice {
	const {host, context} = typeof flags === 'string' || flags === undefined ? {host: flags, context: undefined} : flags;
	if (host && context) throw new EndpointError('conflicting options: give --host or --context, not both');
	if (host) return {endpoint: parseHost(host, env), source: 'flag'};
	try {
		if (context && context !== defaultContextName) return fromContext(readContext(context, env), env);
		if (!context) {
			if (env.DOCKER_HOST) return {endpoint: parseHost(env.DOCKER_HOST, env), source: 'env'};
			const named = env.DOCKER_CONTEXT || currentContextName(env);
			if (named && named !== defaultContextName) return fromContext(readContext(named, env), env);
		} else if (env.DOCKER_HOST) {
			return {endpoint: parseHost(env.DOCKER_HOST, env), source: 'env'};
		}
	} catch (error) {
		if (error instanceof ContextError) throw new EndpointError(error.message);
		throw error;
	}

	const docker = localDockerEndpointOf(env);
	if (docker) return {endpoint: docker, source: 'docker'};
	const {socketPath} = enginePaths(env);
	return {endpoint: {kind: 'unix', url: `unix://${socketPath}`, socketPath}, source: 'engine'};
}

function fromContext(context: DockerContext, env: Env): HostChoice {
	return {endpoint: contextEndpoint(context, env), source: 'context', context: context.name};
}

/** A context's endpoint; TLS comes from the context's own files (port 2376 then, unless given), not from DOCKER_TLS_VERIFY. */
export function contextEndpoint(context: DockerContext, env: Env): Endpoint {
	const endpoint = parseHost(context.host, {HOME: env.HOME});
	if (endpoint.kind !== 'tcp' || !context.tls) return endpoint;
	const port = new URL(context.host.includes('://') ? context.host : `tcp://${context.host}`).port ? endpoint.port : 2376;
	return {...endpoint, tls: context.tls, port, url: `tcp://${endpoint.host}:${port}`};
}

/** The local Docker socket, where there is one (rootful, rootless, Docker Desktop). */
export function localDockerEndpointOf(env: Env): Endpoint | undefined {
	// Rootless Docker and Docker Desktop put their socket under the user's runtime or home directory.
	const candidates = [
		localDockerSocket,
		env.XDG_RUNTIME_DIR ? path.join(env.XDG_RUNTIME_DIR, 'docker.sock') : undefined,
		env.HOME ? path.join(env.HOME, '.docker', 'run', 'docker.sock') : undefined,
	].filter((candidate): candidate is string => Boolean(candidate));
	const socketPath = candidates.find(candidate => existsSync(candidate));
	return socketPath ? {kind: 'unix', url: `unix://${socketPath}`, socketPath} : undefined;
}
