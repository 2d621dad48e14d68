// The HTTP layer: versioned and unversioned paths, a small router, request bodies with a size
// limit, and replies (JSON, errors as dockerd writes them, streams).
import type {IncomingMessage, ServerResponse} from 'node:http';
import {badRequest, EngineError} from '../errors.ts';

export const engineApiVersion = '1.41';
export const minimumApiVersion = '1.24';
const maxBodyBytes = 1024 * 1024;

export type ApiRequest = {
	method: string;
	/** The path without its /v1.xx prefix. */
	path: string;
	params: Record<string, string>;
	query: URLSearchParams;
	raw: IncomingMessage;
	json<T>(): Promise<T | undefined>;
};

export type Handler = (request: ApiRequest, response: ServerResponse) => unknown;

type Route = {method: string; pattern: RegExp; handler: Handler};

export class Router {
	private readonly routes: Route[] = [];

	add(method: string, path: string, handler: Handler): this {
		// "/containers/{id}/json" → /^\/containers\/(?<id>[^/]+)\/json$/; {name+} may hold slashes (image names).
		const source = path
			.replace(/[.*?^$()|[\]\\]/g, '\\$&')
			.replace(/\{(\w+)\+\}/g, '(?<$1>.+)')
			.replace(/\{(\w+)\}/g, '(?<$1>[^/]+)');
		this.routes.push({method, pattern: new RegExp(`^${source}$`), handler});
		return this;
	}

	async handle(raw: IncomingMessage, response: ServerResponse): Promise<void> {
		try {
			const {path, query} = parseTarget(raw.url);
			let pathMatched = false;
			for (const route of this.routes) {
				const match = route.pattern.exec(path);
				if (!match) continue;
				pathMatched = true;
				if (route.method !== raw.method && !(route.method === 'GET' && raw.method === 'HEAD')) continue;
				const params = Object.fromEntries(Object.entries(match.groups ?? {}).map(([key, value]) => [key, decodeParameter(value)]));
				await route.handler({method: raw.method ?? 'GET', path, params, query, raw, json: () => readJson(raw)}, response);
				return;
			}

			throw pathMatched ? new EngineError(405, `method ${raw.method} not allowed for ${path}`) : new EngineError(404, `page not found: ${path}`);
		} catch (error) {
			// A client's mistake is an EngineError; anything else is the engine's, and said once here.
			if (!(error instanceof EngineError)) console.error(`berth engine: ${raw.method} ${raw.url?.slice(0, 200)} failed:`, error);
			sendError(response, error);
		}
	}
}

/**
 * A request target split by hand, not by `new URL` (which reads "//x" as a host and throws):
 * the path without its /v1.xx prefix, and the query. A version outside what this engine speaks
 * is refused as dockerd refuses it.
 */
export function parseTarget(target = '/'): {path: string; query: URLSearchParams} {
	const mark = target.indexOf('?');
	const pathname = mark === -1 ? target : target.slice(0, mark);
	const query = new URLSearchParams(mark === -1 ? '' : target.slice(mark + 1));
	if (!pathname.startsWith('/')) throw badRequest(`invalid request target: ${pathname.slice(0, 100)}`);
	const versioned = /^\/v(\d+)\.(\d+)(\/.*)$/.exec(pathname);
	if (!versioned) return {path: pathname, query};
	const version = [Number(versioned[1]), Number(versioned[2])] as const;
	const compare = (other: string) => {
		const [major, minor] = other.split('.').map(Number) as [number, number];
		return version[0] === major ? version[1] - minor : version[0] - major;
	};

	const asked = `${versioned[1]}.${versioned[2]}`;
	if (compare(engineApiVersion) > 0) throw badRequest(`client version ${asked} is too new. Maximum supported API version is ${engineApiVersion}`);
	if (compare(minimumApiVersion) < 0) throw badRequest(`client version ${asked} is too old. Minimum supported API version is ${minimumApiVersion}, please upgrade your client to a newer version`);
	return {path: versioned[3]!, query};
}

/** A %-escaped id or name; a malformed escape is the client's mistake. */
export function decodeParameter(value: string): string {
	try {
		return decodeURIComponent(value);
	} catch {
		throw badRequest(`malformed %-escape in ${JSON.stringify(value.slice(0, 100))}`);
	}
}

async function readJson<T>(request: IncomingMessage): Promise<T | undefined> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of request as AsyncIterable<Buffer>) {
		size += chunk.length;
		if (size > maxBodyBytes) throw new EngineError(413, `request body larger than ${maxBodyBytes} bytes`);
		chunks.push(chunk);
	}

	const text = Buffer.concat(chunks).toString('utf8').trim();
	if (text === '') return undefined;
	try {
		return JSON.parse(text) as T;
	} catch (error) {
		throw badRequest(`invalid JSON: ${(error as Error).message}`);
	}
}

export function sendJson(response: ServerResponse, status: number, value: unknown): void {
	const body = JSON.stringify(value);
	response.writeHead(status, {'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), 'Api-Version': engineApiVersion});
	response.end(body);
}

export function sendEmpty(response: ServerResponse, status = 204): void {
	response.writeHead(status, {'Api-Version': engineApiVersion});
	response.end();
}

/**
 * An error answer written straight to a socket, for requests the HTTP server does not answer
 * itself: hijacked ones, and those its parser refused. The connection closes after it.
 */
export function rawErrorResponse(status: number, message: string): string {
	const reason = {400: 'Bad Request', 404: 'Not Found', 408: 'Request Timeout', 409: 'Conflict', 431: 'Request Header Fields Too Large'}[status] ?? 'Error';
	const body = JSON.stringify({message});
	return `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nApi-Version: ${engineApiVersion}\r\nConnection: close\r\n\r\n${body}`;
}

export function sendError(response: ServerResponse, error: unknown): void {
	const status = error instanceof EngineError ? error.status : 500;
	if (response.headersSent) {
		response.destroy();
		return;
	}

	if (status === 304) {
		sendEmpty(response, 304);
		return;
	}

	const message = error instanceof Error ? error.message : String(error);
	sendJson(response, status, {message});
}

/** A query flag as the docker CLI sends them: 1, true, True. */
export function flag(query: URLSearchParams, name: string): boolean {
	const value = query.get(name);
	return value !== null && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}

/** The filters parameter: {"key":["a","b"]}, or the older {"key":{"a":true}}. */
export function parseFilters(query: URLSearchParams): Record<string, string[]> {
	const raw = query.get('filters');
	if (!raw) return {};
	let parsed: unknown;
	try {
		parsed = JSON.parse(raw);
	} catch {
		throw badRequest(`invalid filter: ${raw}`);
	}

	if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw badRequest(`invalid filter: ${raw}`);
	const filters: Record<string, string[]> = {};
	for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
		if (Array.isArray(value)) filters[key] = value.map(String);
		else if (value && typeof value === 'object') filters[key] = Object.keys(value).filter(name => (value as Record<string, unknown>)[name]);
		else throw badRequest(`invalid filter: ${key}`);
	}

	return filters;
}
