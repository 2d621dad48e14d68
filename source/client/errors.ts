// Turning what dockerode and the socket layer throw into one line a person can act on.
import type {Endpoint} from './connect/endpoint.ts';

type DockerodeError = Error & {statusCode?: number; json?: unknown; code?: string; reason?: string};

/** The daemon's own message for a refused request, with full 64-digit ids shortened as `docker ps` shows them. */
export function daemonMessage(error: unknown): string {
	return rawDaemonMessage(error).replace(/\b([0-9a-f]{12})[0-9a-f]{52}\b/g, '$1');
}

function rawDaemonMessage(error: unknown): string {
	const value = error as DockerodeError;
	const json = value?.json;
	if (json && typeof json === 'object' && 'message' in json && typeof json.message === 'string') return json.message;
	if (Buffer.isBuffer(json) && json.length > 0) return json.toString().trim();
	if (typeof json === 'string' && json.trim()) return json.trim();
	if (value?.code) return connectionCause(value);
	return String(value?.message ?? error).replace(/^\(HTTP code \d+\) [\w ]+ - /, '').trim();
}

/**
 * A refused or failed request, as the UI sees it: the engine's own words, its status, and whether
 * the engine does not offer the endpoint at all (an older dockerd, or berth's engine) or could
 * not be reached.
 */
export class RequestError extends Error {
	constructor(
		message: string,
		readonly status: number | undefined,
		readonly unsupported: boolean,
		readonly connection: boolean,
	) {
		super(message);
	}
}

export function toRequestError(error: unknown): RequestError {
	if (error instanceof RequestError) return error;
	const message = daemonMessage(error);
	const status = statusCode(error);
	// A path the engine has no route for: dockerd says "page not found", berth's engine too.
	const unsupported = status === 404 && /page not found/i.test(message);
	return new RequestError(message, status, unsupported, isConnectionError(error));
}

/** Runs a request, turning whatever it throws into a RequestError. */
export async function request<T>(work: () => Promise<T>): Promise<T> {
	try {
		return await work();
	} catch (error) {
		throw toRequestError(error);
	}
}

export function statusCode(error: unknown): number | undefined {
	return (error as DockerodeError)?.statusCode;
}

/** True when the error means the engine itself could not be reached (as opposed to a refused request). */
export function isConnectionError(error: unknown): boolean {
	const code = (error as DockerodeError)?.code;
	return typeof code === 'string' && /^(ESSH|ECONNREFUSED|ENOENT|EACCES|EPERM|ETIMEDOUT|ECONNRESET|EPIPE|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|ERR_SSL|CERT_|UNABLE_TO|DEPTH_ZERO|SELF_SIGNED)/.test(code);
}

function connectionCause(error: DockerodeError): string {
	switch (error.code) {
		case 'ENOENT': {
			return 'no such socket';
		}

		case 'ECONNREFUSED': {
			return 'connection refused';
		}

		case 'EACCES':
		case 'EPERM': {
			return 'permission denied';
		}

		case 'ETIMEDOUT': {
			return 'timed out';
		}

		case 'ENOTFOUND':
		case 'EAI_AGAIN': {
			return 'unknown host name';
		}

		case 'ECONNRESET': {
			return 'connection reset';
		}

		default: {
			// ESSH and TLS errors carry their own sentence.
			return error.message || String(error.code);
		}
	}
}

/** One line for a failure to connect: names the host and the cause, with a hint where one helps. */
export function describeConnectError(error: unknown, endpoint: Endpoint): string {
	const value = error as DockerodeError;
	const cause = value?.code ? connectionCause(value) : daemonMessage(error);
	let hint = '';
	if (endpoint.kind === 'unix' && (value?.code === 'ENOENT' || value?.code === 'ECONNREFUSED')) {
		hint = ' (is the Docker daemon running? use --host or DOCKER_HOST to pick another)';
	} else if (endpoint.kind === 'unix' && (value?.code === 'EACCES' || value?.code === 'EPERM')) {
		hint = ' (is your user in the docker group?)';
	}

	if (endpoint.kind === 'tcp') {
		const certificateProblem = /certificate|self[- ]signed|unable to verify/i.test(`${value?.code ?? ''} ${value?.message ?? ''}`);
		if (endpoint.tls && certificateProblem) hint = ' (the daemon\'s certificate is not signed by the ca.pem berth was given: check DOCKER_CERT_PATH)';
		else if (!endpoint.tls && value?.code === 'ECONNRESET') hint = ' (if the daemon uses TLS, set DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH)';
	}

	return `cannot connect to ${endpoint.url}: ${cause}${hint}`;
}
