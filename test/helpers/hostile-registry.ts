// A registry of the test's own that lies on request: a blob with other bytes than its digest,
// one cut off midway, one missing, one that stalls, a manifest of 100 MB. It speaks enough of
// the Registry API v2 (no auth) to serve crafted images, and counts what it is asked for.
import http from 'node:http';
import type net from 'node:net';
import type {Crafted} from './crafted-images.ts';

export type Lie = 'wrong-bytes' | 'truncated' | 'missing' | 'stall' | 'slow';

export type HostileRegistry = {
	host: string;
	/** Per repository:tag. */
	images: Map<string, Crafted>;
	/** Per blob digest. */
	lies: Map<string, Lie>;
	/** Manifests of this tag are 100 MB of JSON-looking bytes. */
	hugeManifestTag: string;
	/** GETs per blob digest. */
	blobGets: Map<string, number>;
	stop(): Promise<void>;
};

export async function startHostileRegistry(): Promise<HostileRegistry> {
	const images = new Map<string, Crafted>();
	const lies = new Map<string, Lie>();
	const blobGets = new Map<string, number>();
	const sockets = new Set<net.Socket>();
	const registry = {hugeManifestTag: 'huge'} as HostileRegistry;
	const server = http.createServer((request, response) => {
		const url = new URL(request.url ?? '/', 'http://registry');
		if (url.pathname === '/v2/') {
			response.writeHead(200, {'Content-Type': 'application/json'}).end('{}');
			return;
		}

		const manifest = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(url.pathname);
		if (manifest) {
			const [, repository, reference] = manifest as unknown as [string, string, string];
			if (reference === registry.hugeManifestTag) {
				response.writeHead(200, {'Content-Type': 'application/vnd.oci.image.manifest.v1+json'});
				const chunk = Buffer.alloc(1024 * 1024, 0x20);
				let sent = 0;
				const more = () => {
					while (sent < 100 && response.write(chunk)) sent++;
					if (sent >= 100) response.end();
					else response.once('drain', more);
				};
				response.on('error', () => undefined);
				more();
				return;
			}

			const image = [...images.entries()].find(([name, crafted]) => name === `${repository}:${reference}` || (name.startsWith(`${repository}:`) && crafted.manifestDigest === reference))?.[1];
			if (!image) {
				response.writeHead(404, {'Content-Type': 'application/json'}).end('{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}');
				return;
			}

			response.writeHead(200, {'Content-Type': image.mediaType, 'Docker-Content-Digest': image.manifestDigest, 'Content-Length': image.manifest.length}).end(image.manifest);
			return;
		}

		const blob = /^\/v2\/(.+)\/blobs\/(sha256:[0-9a-f]{64})$/.exec(url.pathname);
		const digest = blob?.[2];
		const bytes = digest ? [...images.values()].map(image => image.blobs.get(digest)).find(Boolean) : undefined;
		if (!digest || !bytes) {
			response.writeHead(404, {'Content-Type': 'application/json'}).end('{"errors":[{"code":"BLOB_UNKNOWN","message":"blob unknown to registry"}]}');
			return;
		}

		blobGets.set(digest, (blobGets.get(digest) ?? 0) + 1);
		const lie = lies.get(digest);
		if (lie === 'missing') {
			response.writeHead(404, {'Content-Type': 'application/json'}).end('{"errors":[{"code":"BLOB_UNKNOWN","message":"blob unknown to registry"}]}');
			return;
		}

		response.writeHead(200, {'Content-Type': 'application/octet-stream', 'Content-Length': bytes.length});
		if (lie === 'wrong-bytes') response.end(Buffer.from(bytes).fill(0x41, 0, Math.min(64, bytes.length)));
		else if (lie === 'truncated') {
			response.write(bytes.subarray(0, Math.floor(bytes.length / 2)));
			setImmediate(() => request.socket.destroy());
		} else if (lie === 'stall') response.write(bytes.subarray(0, Math.floor(bytes.length / 2)));
		else if (lie === 'slow') setTimeout(() => response.end(bytes), 300);
		else response.end(bytes);
	});
	server.on('connection', socket => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const {port} = server.address() as net.AddressInfo;
	return Object.assign(registry, {
		host: `127.0.0.1:${port}`,
		images,
		lies,
		blobGets,
		stop: () =>
			new Promise<void>(resolve => {
				for (const socket of sockets) socket.destroy();
				server.close(() => resolve());
			}),
	});
}
