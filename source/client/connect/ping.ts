// GET /_ping, as the docker CLI starts every command: the cheapest request an engine answers, and
// its headers carry the API version (for negotiation) and the server's name and version. (GET
// /version is much slower on dockerd, which asks containerd and runs runc to answer it.)
import http from 'node:http';
import type https from 'node:https';
import {createRequire} from 'node:module';
import type {Endpoint} from './endpoint.ts';
import {hostHeader, unixSocketAgent} from './host-header.ts';
import {createSshAgent} from './ssh-agent.ts';

export type Ping = {apiVersion?: string; server?: string; osType?: string};

// https loads Node's TLS and crypto (about 5 ms): only for endpoints that use TLS.
const requireBuiltin = createRequire(import.meta.url);

export function ping(endpoint: Endpoint, timeoutMs: number): Promise<Ping> {
	return new Promise((resolve, reject) => {
		const options: https.RequestOptions = {method: 'GET', path: '/_ping', timeout: timeoutMs, headers: {Host: hostHeader(endpoint)}};
		let client: typeof http | typeof https = http;
		if (endpoint.kind === 'unix') {
			options.socketPath = endpoint.socketPath;
			options.agent = unixSocketAgent();
		} else if (endpoint.kind === 'tcp') {
			options.host = endpoint.host;
			options.port = endpoint.port;
			if (endpoint.tls) {
				client = requireBuiltin('node:https') as typeof https;
				Object.assign(options, {ca: endpoint.tls.ca, cert: endpoint.tls.cert, key: endpoint.tls.key});
				if (!endpoint.tls.verify) options.checkServerIdentity = () => undefined;
			}
		} else {
			options.host = 'localhost';
			options.agent = createSshAgent(endpoint);
		}

		const request = client.request(options, response => {
			response.resume();
			response.on('end', () => {
				if (response.statusCode !== 200) {
					reject(Object.assign(new Error(`${endpoint.url} answered /_ping with HTTP ${response.statusCode}`), {statusCode: response.statusCode}));
					return;
				}

				const header = (name: string) => {
					const value = response.headers[name];
					return Array.isArray(value) ? value[0] : value;
				};

				resolve({apiVersion: header('api-version'), server: header('server'), osType: header('ostype')});
				if (endpoint.kind === 'ssh') (options.agent as http.Agent | undefined)?.destroy();
			});
		});
		request.on('timeout', () => {
			request.destroy(Object.assign(new Error(`no answer from ${endpoint.url} within ${timeoutMs / 1000} s`), {code: 'ETIMEDOUT'}));
		});
		request.on('error', reject);
		request.end();
	});
}
