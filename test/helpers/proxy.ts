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
	/** Requests whose path matches, from now on (call `mark` first). */
	since(mark: number, pattern?: RegExp): string[];
	mark(): number;
	/** Cuts every open connection. */
	cut(): void;
	close(): void;
};

const requestLine = /(?:^|\r\n)(GET|POST|PUT|DELETE|HEAD) (\S+) HTTP\/1\.[01]\r\n/g;

export async function startEngineProxy(targetSocket: string): Promise<EngineProxy> {
	const directory = mkdtempSync(path.join(tmpdir(), 'berth-proxy-'));
	const socketPath = path.join(directory, 'proxy.sock');
	const open = new Set<net.Socket>();
	const requests: string[] = [];
	const server = net.createServer(client => {
		const upstream = net.connect(targetSocket);
		open.add(client);
		open.add(upstream);
		client.on('data', (chunk: Buffer) => {
			// Request lines start a message; a hijacked stream's bytes after them are not read as requests.
			for (const match of chunk.toString('latin1').matchAll(requestLine)) requests.push(`${match[1]} ${match[2]}`);
		});
		client.pipe(upstream).pipe(client);
		const drop = () => {
			client.destroy();
			upstream.destroy();
			open.delete(client);
			open.delete(upstream);
		};

		client.on('error', drop).on('close', drop);
		upstream.on('error', drop).on('close', drop);
	});
	await new Promise<void>(resolve => server.listen(socketPath, resolve));
	return {
		socketPath,
		url: `unix://${socketPath}`,
		requests,
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
