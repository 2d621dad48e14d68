// Opening an engine: a dockerode client for an endpoint, with the API version negotiated the way
// the docker CLI does (the lower of what the daemon speaks and what berth was written for).
import Docker from 'dockerode';
import type {Endpoint} from './endpoint.ts';
import {hostHeader, unixSocketAgent} from './host-header.ts';
import {ping} from './ping.ts';
import {createSshAgent} from './ssh-agent.ts';

/** The newest Engine API berth knows; older daemons are spoken to in their own version. */
export const clientApiVersion = '1.47';
/** Below this the fields berth reads are missing. */
export const minimumApiVersion = '1.24';

/** An open connection to an engine (dockerd or berth's own), with what it said of itself. */
export type Connection = {
	docker: Docker;
	endpoint: Endpoint;
	apiVersion: string;
	serverVersion: string;
	/** "Docker", or another engine's own name when it says so. */
	serverName: string;
	/** Closes kept-alive connections (for ssh, the ssh processes behind them). */
	close(): void;
};

/** "Docker 20.10.24", "berth engine 0.1.0": how the header names the engine. */
export const engineLabelOf = (engine: Pick<Connection, 'serverName' | 'serverVersion'>) =>
	engine.serverName === 'berth' ? `berth engine ${engine.serverVersion}` : `${engine.serverName} ${engine.serverVersion}`;

/** "Docker/20.10.24 (linux)" (or another engine's own name) as the name and version it gives. */
export function serverOf(header: string | undefined): Pick<Connection, 'serverName' | 'serverVersion'> {
	const server = /^([^/\s]+)\/(\S+)/.exec(header ?? '');
	return {serverName: server?.[1] ?? 'Docker', serverVersion: server?.[2] ?? ''};
}

/**
 * Closes a client's kept-alive connections (for ssh, the ssh processes behind them). Unix
 * sockets share one agent across clients, so closing one client leaves it to the others.
 */
export function closeDocker(docker: Docker, endpoint: Endpoint): void {
	if (endpoint.kind !== 'unix') (docker.modem as unknown as {agent?: {destroy(): void}}).agent?.destroy();
}

export function createDocker(endpoint: Endpoint, apiVersion?: string): Docker {
	const version = apiVersion ? `v${apiVersion}` : undefined;
	// Every field is given so that docker-modem's own DOCKER_HOST reading never overrides the choice.
	const base = {host: undefined, port: undefined, socketPath: undefined, protocol: undefined, ca: undefined, cert: undefined, key: undefined, version, headers: {Host: hostHeader(endpoint)}};
	switch (endpoint.kind) {
		case 'unix': {
			return new Docker({...base, socketPath: endpoint.socketPath, agent: unixSocketAgent()} as Docker.DockerOptions);
		}

		case 'tcp': {
			const tls = endpoint.tls;
			return new Docker({
				...base,
				host: endpoint.host,
				port: endpoint.port,
				protocol: tls ? 'https' : 'http',
				ca: tls?.ca,
				cert: tls?.cert,
				key: tls?.key,
				...(tls && !tls.verify ? {checkServerIdentity: () => undefined} : {}),
			} as Docker.DockerOptions);
		}

		case 'ssh': {
			return new Docker({...base, host: 'localhost', port: 80, protocol: 'http', agent: createSshAgent(endpoint)} as Docker.DockerOptions);
		}
	}
}

export function compareVersions(a: string, b: string): number {
	const [aMajor = 0, aMinor = 0] = a.split('.').map(Number);
	const [bMajor = 0, bMinor = 0] = b.split('.').map(Number);
	return aMajor === bMajor ? aMinor - bMinor : aMajor - bMajor;
}

export function negotiateVersion(serverApiVersion: string | undefined): string {
	if (!serverApiVersion) return clientApiVersion;
	return compareVersions(serverApiVersion, clientApiVersion) < 0 ? serverApiVersion : clientApiVersion;
}

/**
 * Connects and negotiates; throws the socket's error when the engine cannot be reached. With
 * `negotiate: false` nothing is sent first: requests go to unversioned paths, which every engine
 * answers in its own current version (for one quick request whose shape has not changed, such as
 * a log read, where a round trip first would be most of the wait).
 */
export async function connect(endpoint: Endpoint, {timeoutMs = 8000, negotiate = true} = {}): Promise<Connection> {
	if (!negotiate) {
		const docker = createDocker(endpoint);
		return {docker, close: () => closeDocker(docker, endpoint), endpoint, apiVersion: '', serverVersion: '', serverName: ''};
	}

	const answer = await ping(endpoint, timeoutMs);
	const apiVersion = negotiateVersion(answer.apiVersion);
	if (compareVersions(apiVersion, minimumApiVersion) < 0) {
		throw new Error(`${endpoint.url} speaks Engine API ${apiVersion}; berth needs ${minimumApiVersion} or newer`);
	}

	const docker = createDocker(endpoint, apiVersion);
	return {docker, close: () => closeDocker(docker, endpoint), endpoint, apiVersion, ...serverOf(answer.server)};
}
