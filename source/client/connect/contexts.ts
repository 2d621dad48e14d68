// Docker contexts, read the way the docker CLI stores them: the current one named in
// config.json, each one's endpoint in contexts/meta/<sha256 of its name>/meta.json, and its TLS
// files, if any, in contexts/tls/<same>/docker/. The config directory is $DOCKER_CONFIG or
// ~/.docker. Reads only; berth never writes docker's files.
import {readdirSync, readFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import path from 'node:path';

// node:crypto (for the name hash) costs start-up a few ms; only a context lookup needs it.
const requireBuiltin = createRequire(import.meta.url);

type Env = Record<string, string | undefined>;

export type DockerContext = {
	name: string;
	description?: string;
	/** The endpoint's host URL ("ssh://me@box", "tcp://10.0.0.5:2376", "unix:///var/run/docker.sock"). */
	host: string;
	/** PEM files from the context's TLS directory, when it has one. */
	tls?: {ca?: Buffer; cert?: Buffer; key?: Buffer; verify: boolean};
};

/** The name docker uses for "DOCKER_HOST, or the local socket". */
export const defaultContextName = 'default';

export class ContextError extends Error {}

export function dockerConfigDirectory(env: Env): string {
	return env.DOCKER_CONFIG || path.join(env.HOME ?? '', '.docker');
}

/** The context config.json names as current, if any ("default" counts as none). */
export function currentContextName(env: Env): string | undefined {
	const file = path.join(dockerConfigDirectory(env), 'config.json');
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch {
		return undefined;
	}

	try {
		const name = (JSON.parse(text) as {currentContext?: unknown}).currentContext;
		return typeof name === 'string' && name !== '' && name !== defaultContextName ? name : undefined;
	} catch {
		throw new ContextError(`${file} is not valid JSON, so the current docker context cannot be read`);
	}
}

const contextId = (name: string) => (requireBuiltin('node:crypto') as typeof import('node:crypto')).createHash('sha256').update(name).digest('hex');

type Meta = {Name?: string; Metadata?: {Description?: string}; Endpoints?: {docker?: {Host?: string; SkipTLSVerify?: boolean}}};

function fromMeta(directory: string, id: string, meta: Meta): DockerContext | undefined {
	const name = meta.Name;
	const host = meta.Endpoints?.docker?.Host;
	if (!name || !host) return undefined;
	const tlsDirectory = path.join(directory, 'contexts', 'tls', id, 'docker');
	const read = (file: string) => {
		try {
			return readFileSync(path.join(tlsDirectory, file));
		} catch {
			return undefined;
		}
	};

	const ca = read('ca.pem');
	const cert = read('cert.pem');
	const key = read('key.pem');
	const skip = Boolean(meta.Endpoints?.docker?.SkipTLSVerify);
	const tls = ca || cert || key || skip ? {ca, cert, key, verify: !skip} : undefined;
	return {name, description: meta.Metadata?.Description || undefined, host, tls};
}

/** One context by name; throws ContextError, in the docker CLI's words, when there is none. */
export function readContext(name: string, env: Env): DockerContext {
	const directory = dockerConfigDirectory(env);
	const id = contextId(name);
	const file = path.join(directory, 'contexts', 'meta', id, 'meta.json');
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch {
		throw new ContextError(`context "${name}" does not exist (docker context ls lists them)`);
	}

	let meta: Meta;
	try {
		meta = JSON.parse(text) as Meta;
	} catch {
		throw new ContextError(`context "${name}": ${file} is not valid JSON`);
	}

	const context = fromMeta(directory, id, meta);
	if (!context) throw new ContextError(`context "${name}" has no docker endpoint (${file})`);
	return context;
}

/** Every context docker knows, by name; unreadable entries are left out. */
export function listContexts(env: Env): DockerContext[] {
	const directory = dockerConfigDirectory(env);
	const metaDirectory = path.join(directory, 'contexts', 'meta');
	let ids: string[];
	try {
		ids = readdirSync(metaDirectory);
	} catch {
		return [];
	}

	const contexts: DockerContext[] = [];
	for (const id of ids) {
		try {
			const context = fromMeta(directory, id, JSON.parse(readFileSync(path.join(metaDirectory, id, 'meta.json'), 'utf8')) as Meta);
			if (context) contexts.push(context);
		} catch {
			// A half-written or foreign entry: docker context ls would complain; berth skips it.
		}
	}

	return contexts.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
