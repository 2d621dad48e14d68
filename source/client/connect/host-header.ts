// The Host header for requests to an engine, given rather than left to Node: Node checks every
// host for IPv6 first, and its first check compiles a regular expression that costs about 13 ms
// of start-up. Unix sockets and ssh links have no host name; the docker CLI sends "docker" too.
import http from 'node:http';
import type {Endpoint} from './endpoint.ts';

export function hostHeader(endpoint: Endpoint): string {
	if (endpoint.kind !== 'tcp') return 'docker';
	return `${endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host}:${endpoint.port}`;
}

/**
 * An agent for Unix sockets that names no TLS server: Node otherwise works one out for every
 * request, checking the host for an IP address, which costs the same first-time 13 ms.
 */
export class SocketAgent extends http.Agent {
	constructor() {
		super();
		// addRequest is Node's internal hook, absent from the public types.
		const self = this as unknown as {addRequest(request: unknown, options: {servername?: string}, ...rest: unknown[]): void};
		const addRequest = self.addRequest.bind(this);
		self.addRequest = (request, options, ...rest) => {
			options.servername ??= '';
			addRequest(request, options, ...rest);
		};
	}
}

let socketAgent: SocketAgent | undefined;
export function unixSocketAgent(): SocketAgent {
	socketAgent ??= new SocketAgent();
	return socketAgent;
}
