// A Unix-socket proxy in front of an engine, for tests that must see what berth asks (each
// request's method and path, counted) or cut its connections (a lost engine, on demand).
import {mkdtempSync, rmSync} from 'node:fs';
import net from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';

export type EngineProxy = {
	socketPath: string;
	url: string;
	/** Every request seen so far: "GET /v1.41/containers/json?all=1". */
	requests: string[];
	/** The most requests matching this pattern that were ever waiting for their answer at once. */
	mostAtOnce(pattern: RegExp): number;
	/** Requests whose path matches, from now on (call `mark` first). */
	since(mark: number, pattern?: RegExp): string[];
	mark(): number;
	/** Cuts every open connection. */
	cut(): void;
	close(): void;
};

const requestLine = /(?:^|\r\n)(GET|POST|PUT|DELETE|HEAD) (\S+) HTTP\/1\.[01]\r\n/g;
const statusLine = /(?:^|\r\n)HTTP\/1\.[01] \d{3} /g;

export async function startEngineProxy(targetSocket: string): Promise<EngineProxy> {
	const directory = mkdtempSync(path.join(tmpdir(), 'berth-proxy-'));
	const socketPath = path.join(directory, 'proxy.sock');
	const open = new Set<net.Socket>();
	const requests: string[] = [];
	// Per connection, the requests sent and not answered yet (HTTP/1.1 answers in order).
	const waiting = new Map<net.Socket, string[]>();
	const peaks = new Map<string, number>();
	const watched: RegExp[] = [];
	const count = (pattern: RegExp) => [...waiting.values()].reduce((sum, list) => sum + list.filter(request => pattern.test(request)).length, 0);
	const server = net.createServer(client => {
		const upstream = net.connect(targetSocket);
		open.add(client);
		open.add(upstream);
		waiting.set(client, []);
		client.on('data', (chunk: Buffer) => {
			// Request lines start a message; a hijacked stream's bytes after them are not read as requests.
			for (const match of chunk.toString('latin1').matchAll(requestLine)) {
				const request = `${match[1]} ${match[2]}`;
				requests.push(request);
				waiting.get(client)?.push(request);
				for (const pattern of watched) peaks.set(pattern.source, Math.max(peaks.get(pattern.source) ?? 0, count(pattern)));
			}
		});
		upstream.on('data', (chunk: Buffer) => {
			for (const _ of chunk.toString('latin1').matchAll(statusLine)) waiting.get(client)?.shift();
		});
		client.pipe(upstream).pipe(client);
		const drop = () => {
			client.destroy();
			upstream.destroy();
			open.delete(client);
			open.delete(upstream);
		};

		client.on('error', drop).on('close', () => {
			waiting.delete(client);
			drop();
		});
		upstream.on('error', drop).on('close', drop);
	});
	await new Promise<void>(resolve => server.listen(socketPath, resolve));
	return {
		socketPath,
		url: `unix://${socketPath}`,
		requests,
		mostAtOnce(pattern) {
			if (!watched.some(known => known.source === pattern.source)) watched.push(pattern);
			return peaks.get(pattern.source) ?? 0;
		},
		mark: () => requests.length,
		since: (mark, pattern) => requests.slice(mark).filter(request => !pattern || pattern.test(request)),
		cut() {
			for (const socket of open) socket.destroy();
		},
		close() {
			server.close();
			for (const socket of open) socket.destroy();
			rmSync(directory, {recursive: true, force: true});
		},
	};
}
