// One repository on one registry, spoken to over the Registry HTTP API v2: which endpoint (a
// mirror, https, or plain http where allowed), and the authentication its challenge asks for
// (anonymous or credentialed bearer tokens, or basic). Credentials live only in this object.
import {isIP} from 'node:net';
import type {ImageReference} from './reference.ts';

export type Credentials = {username?: string; password?: string; registryToken?: string};

export type RegistrySettings = {
	/** Hosts (host or host:port) or CIDRs reached over plain HTTP; loopback always is. */
	insecureRegistries: string[];
	/** Base URLs tried before Docker Hub, for docker.io images. */
	mirrors: string[];
	/** How long a registry may take to answer, or to send more of a body. */
	timeoutMs: number;
	/** Registries the engine must never contact (a server kept off the internet, podman's `blocked`). */
	blocked: string[];
};

export const defaultRegistrySettings: RegistrySettings = {insecureRegistries: [], mirrors: [], timeoutMs: 30_000, blocked: []};

export class RegistryError extends Error {
	constructor(
		message: string,
		readonly status?: number,
		readonly code?: string,
	) {
		super(message);
	}

	/** For a network failure, what went wrong without the registry's name (said once by whoever reports it). */
	detail?: string;
}

function hostOf(domain: string): string {
	const bracket = /^\[([^\]]+)\]/.exec(domain);
	if (bracket) return bracket[1]!;
	return domain.replace(/:\d+$/, '');
}

function ipv4InCidr(ip: string, cidr: string): boolean {
	const [network, bits] = cidr.split('/');
	if (!network || bits === undefined || isIP(network) !== 4 || isIP(ip) !== 4) return false;
	const toNumber = (value: string) => value.split('.').reduce((sum, part) => sum * 256 + Number(part), 0);
	const mask = Number(bits) === 0 ? 0 : 2 ** 32 - 2 ** (32 - Number(bits));
	return (toNumber(ip) & mask) >>> 0 === (toNumber(network) & mask) >>> 0;
}

export function isLoopback(domain: string): boolean {
	const host = hostOf(domain);
	return host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
}

/** Whether plain HTTP may be used: loopback, or listed as insecure (by host, host:port or CIDR). */
export function allowsPlainHttp(domain: string, settings: RegistrySettings): boolean {
	if (isLoopback(domain)) return true;
	const host = hostOf(domain);
	return settings.insecureRegistries.some(entry => entry === domain || entry === host || (entry.includes('/') && ipv4InCidr(host, entry)));
}

/** The base URLs to try, in order. */
/** The endpoint each registry last answered on: tried first, so a plain-HTTP registry does not cost a failed TLS handshake per pull. */
const answered = new Map<string, string>();

/** Where to reach `domain`: for docker.io, the mirrors first (allowed even when Docker Hub itself is blocked). */
export function endpointsFor(domain: string, settings: RegistrySettings): string[] {
	const all = configuredEndpoints(domain, settings);
	const known = answered.get(domain);
	return known && all.includes(known) ? [known, ...all.filter(base => base !== known)] : all;
}

function configuredEndpoints(domain: string, settings: RegistrySettings): string[] {
	const blocked = settings.blocked.includes(domain);
	if (domain === 'docker.io') return [...settings.mirrors.map(mirror => mirror.replace(/\/+$/, '')), ...(blocked ? [] : ['https://registry-1.docker.io'])];
	if (blocked) return [];
	return allowsPlainHttp(domain, settings) ? [`https://${domain}`, `http://${domain}`] : [`https://${domain}`];
}

type Challenge = {scheme: string; params: Record<string, string>};

export function parseChallenge(header: string | null): Challenge | undefined {
	if (!header) return undefined;
	const match = /^\s*(\w+)\s*(.*)$/.exec(header);
	if (!match) return undefined;
	const params: Record<string, string> = {};
	for (const pair of match[2]!.matchAll(/(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g)) params[pair[1]!.toLowerCase()] = pair[2] ?? pair[3] ?? '';
	return {scheme: match[1]!.toLowerCase(), params};
}

/** Network failures in the words of dialling (fetch hides them in `cause`). */
const networkWords: Record<string, string> = {
	ENOTFOUND: 'no such host',
	EAI_AGAIN: 'name resolution failed for now',
	ECONNREFUSED: 'connection refused',
	ECONNRESET: 'connection reset by the registry',
	EHOSTUNREACH: 'no route to host',
	ENETUNREACH: 'network is unreachable',
	UND_ERR_SOCKET: 'the connection closed',
};

function describe(error: unknown): string {
	const cause = (error as {cause?: {code?: string; message?: string}}).cause;
	if (cause?.code && networkWords[cause.code]) return `${networkWords[cause.code]} (${cause.code})`;
	return cause?.message ?? cause?.code ?? (error as Error).message;
}

export class RegistrySession {
	private base?: string;
	private authorization?: string;

	constructor(
		readonly reference: ImageReference,
		private readonly credentials: Credentials,
		private readonly settings: RegistrySettings,
		private readonly actions = 'pull',
	) {}

	get registry(): string {
		return this.reference.domain;
	}

	/** Finds an endpoint that answers `GET /v2/` and authenticates as its challenge asks. */
	async open(): Promise<void> {
		const endpoints = endpointsFor(this.reference.domain, this.settings);
		if (endpoints.length === 0) throw new RegistryError(`registry ${this.reference.domain} is blocked by the engine's configuration ("blocked-registries" in daemon.json)`, 403, 'blocked');
		const failures: string[] = [];
		for (const base of endpoints) {
			let response: Response;
			try {
				response = await this.send(`${base}/v2/`, {});
			} catch (error) {
				failures.push(`GET ${base}/v2/: ${error instanceof RegistryError ? (error.detail ?? error.message) : describe(error)}`);
				continue;
			}

			await response.body?.cancel();
			if (response.status === 401) {
				this.base = base;
				answered.set(this.reference.domain, base);
				await this.authenticate(response.headers.get('www-authenticate'));
				return;
			}

			if (response.ok) {
				this.base = base;
				answered.set(this.reference.domain, base);
				return;
			}

			failures.push(`${base}: GET /v2/ answered ${response.status}`);
		}

		throw new RegistryError(`registry ${this.reference.domain} could not be reached: ${failures.join('; ')}`);
	}

	/** Checks the credentials (`docker login`): `GET /v2/` must answer 200 with them. */
	async login(): Promise<void> {
		await this.open();
		const response = await this.send(`${this.base}/v2/`, {headers: this.authorization ? {Authorization: this.authorization} : {}});
		await response.body?.cancel();
		if (!response.ok) throw new RegistryError(`login to ${this.registry} failed: HTTP ${response.status}${response.status === 401 ? ' unauthorized: incorrect username or password' : ''}`, 401);
	}

	/** Repositories a cross-repository mount reads from: their pull scope is asked for with the token. */
	readonly alsoPulls: string[] = [];

	/**
	 * A request to `/v2/<repository>/<suffix>` (or to a URL the registry gave, absolute or not).
	 * A body that is a stream is given as a function, so that the retry after a 401 has a fresh one.
	 */
	async request(suffix: string, init: Omit<RequestInit, 'body'> & {body?: RequestInit['body'] | (() => RequestInit['body'])} = {}, retried = false): Promise<Response> {
		if (!this.base) await this.open();
		const url = /^https?:\/\//.test(suffix) ? suffix : suffix.startsWith('/') ? `${this.base}${suffix}` : `${this.base}/v2/${this.reference.repository}/${suffix}`;
		const headers = new Headers(init.headers);
		if (this.authorization) headers.set('Authorization', this.authorization);
		const body = typeof init.body === 'function' ? init.body() : init.body;
		const response = await this.send(url, {...init, body, headers, ...(body && typeof body === 'object' && 'pipe' in body ? {duplex: 'half'} : {})} as RequestInit);
		if (response.status === 401 && !retried) {
			await response.body?.cancel();
			await this.authenticate(response.headers.get('www-authenticate'));
			return this.request(suffix, init, true);
		}

		return response;
	}

	/** The registry's own words for a failed response, named with the registry. */
	async failure(response: Response, what: string): Promise<RegistryError> {
		let detail = '';
		try {
			const text = (await response.text()).slice(0, 4096);
			const body = JSON.parse(text) as {errors?: Array<{code?: string; message?: string}>};
			const first = body.errors?.[0];
			if (first) detail = `${(first.code ?? '').toLowerCase().replaceAll('_', ' ')}: ${first.message ?? ''}`.trim();
		} catch {
			// Not the registry's JSON: the status says enough.
		}

		const code = detail.split(':')[0];
		if (response.status === 401 || response.status === 403) {
			return new RegistryError(`${this.actions === 'pull' ? 'pull' : 'push'} access denied for ${this.reference.repository} on ${this.registry}, repository does not exist or may require 'docker login': ${detail || `HTTP ${response.status}`}`, response.status, code);
		}

		return new RegistryError(`${what}: ${detail || `HTTP ${response.status} from ${this.registry}`}`, response.status, code);
	}

	private async send(url: string, init: RequestInit): Promise<Response> {
		try {
			return await fetch(url, {...init, redirect: 'follow', signal: init.signal ?? AbortSignal.timeout(this.settings.timeoutMs)});
		} catch (error) {
			if ((error as Error).name === 'TimeoutError') {
				const detail = `no answer within ${Math.round(this.settings.timeoutMs / 1000)} s`;
				throw Object.assign(new RegistryError(`registry ${this.reference.domain} did not answer within ${Math.round(this.settings.timeoutMs / 1000)} s (${init.method ?? 'GET'} ${new URL(url).pathname})`), {detail});
			}

			const detail = describe(error);
			throw Object.assign(new RegistryError(`registry ${this.reference.domain}: ${detail}`), {detail});
		}
	}

	private async authenticate(header: string | null): Promise<void> {
		const challenge = parseChallenge(header);
		const {username, password, registryToken} = this.credentials;
		if (registryToken) {
			this.authorization = `Bearer ${registryToken}`;
			return;
		}

		if (challenge?.scheme === 'basic') {
			if (!username) throw new RegistryError(`registry ${this.registry} needs a login (basic authentication) and none was given`, 401);
			this.authorization = `Basic ${Buffer.from(`${username}:${password ?? ''}`).toString('base64')}`;
			return;
		}

		if (challenge?.scheme !== 'bearer' || !challenge.params.realm) throw new RegistryError(`registry ${this.registry} asks for authentication berth does not know: ${header ?? 'no WWW-Authenticate header'}`, 401);
		const realm = new URL(challenge.params.realm);
		if (realm.protocol !== 'https:' && !(realm.protocol === 'http:' && allowsPlainHttp(realm.host, this.settings))) {
			throw new RegistryError(`registry ${this.registry} sends tokens from ${realm.origin}, which is neither https nor an allowed insecure host`);
		}

		if (challenge.params.service) realm.searchParams.set('service', challenge.params.service);
		// A login asks for no scope: it only proves the credentials.
		if (this.actions) realm.searchParams.set('scope', `repository:${this.reference.repository}:${this.actions}`);
		for (const repository of this.alsoPulls) realm.searchParams.append('scope', `repository:${repository}:pull`);
		const headers: Record<string, string> = {};
		if (username) headers.Authorization = `Basic ${Buffer.from(`${username}:${password ?? ''}`).toString('base64')}`;
		let response: Response;
		try {
			response = await fetch(realm, {headers, signal: AbortSignal.timeout(this.settings.timeoutMs)});
		} catch (error) {
			throw new RegistryError(`the token server of ${this.registry} (${realm.origin}) failed: ${(error as Error).name === 'TimeoutError' ? 'no answer in time' : describe(error)}`);
		}

		if (!response.ok) {
			await response.body?.cancel();
			throw new RegistryError(`the token server of ${this.registry} refused ${username ? `the credentials of ${username}` : 'an anonymous token'}: HTTP ${response.status}`, response.status === 401 ? 401 : 500);
		}

		const body = (await response.json().catch(() => ({}))) as {token?: string; access_token?: string};
		const token = body.token ?? body.access_token;
		if (typeof token !== 'string' || !token) throw new RegistryError(`the token server of ${this.registry} answered without a token`);
		this.authorization = `Bearer ${token}`;
	}
}
