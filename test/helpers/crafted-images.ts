// Images made in the test, byte by byte: layer tarballs (gzip, zstd or plain), a config with
// their diff ids, and a manifest, to serve from a real registry (uploaded through its API) or
// from a hostile one that alters what it serves.
import {execFileSync} from 'node:child_process';
import {createHash} from 'node:crypto';
import {readFileSync} from 'node:fs';
import {gzipSync} from 'node:zlib';
import {pack} from 'tar-stream';

export type Entry = {name: string; type?: 'file' | 'directory' | 'symlink' | 'link'; body?: string | Buffer; linkname?: string; mode?: number};

export const digestOf = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

export async function tarOf(entries: Entry[]): Promise<Buffer> {
	const archive = pack();
	const chunks: Buffer[] = [];
	archive.on('data', (chunk: unknown) => chunks.push(chunk as Buffer));
	const done = new Promise<void>(resolve => archive.on('end', () => resolve()));
	for (const entry of entries) {
		await new Promise<void>((resolve, reject) => {
			const type = entry.type ?? 'file';
			archive.entry({name: entry.name, type, linkname: entry.linkname, mode: entry.mode ?? (type === 'directory' ? 0o755 : 0o644), uid: 0, gid: 0, mtime: new Date(1_700_000_000_000)}, type === 'file' ? (entry.body ?? '') : '', error => (error ? reject(error) : resolve()));
		});
	}

	archive.finalize();
	await done;
	return Buffer.concat(chunks);
}

/** A static busybox and its sh, so that the image runs. */
export async function busyboxLayer(): Promise<Buffer> {
	const busybox = execFileSync('sh', ['-c', 'command -v busybox']).toString().trim();
	return tarOf([
		{name: 'bin/', type: 'directory'},
		{name: 'bin/busybox', body: readFileSync(busybox), mode: 0o755},
		{name: 'bin/sh', type: 'symlink', linkname: 'busybox'},
		{name: 'bin/cat', type: 'symlink', linkname: 'busybox'},
		{name: 'bin/ls', type: 'symlink', linkname: 'busybox'},
		{name: 'etc/', type: 'directory'},
	]);
}

export type Compression = 'gzip' | 'zstd' | 'none';

export function compress(tar: Buffer, compression: Compression): Buffer {
	if (compression === 'gzip') return gzipSync(tar);
	if (compression === 'zstd') return execFileSync('zstd', ['-q', '-c'], {input: tar});
	return tar;
}

const layerType = {gzip: 'application/vnd.oci.image.layer.v1.tar+gzip', zstd: 'application/vnd.oci.image.layer.v1.tar+zstd', none: 'application/vnd.oci.image.layer.v1.tar'};

export type Crafted = {
	config: Buffer;
	configDigest: string;
	manifest: Buffer;
	manifestDigest: string;
	mediaType: string;
	layers: Array<{blob: Buffer; digest: string; diffId: string}>;
	blobs: Map<string, Buffer>;
};

export function craftImage(layers: Array<{tar: Buffer; compression?: Compression}>, options: {architecture?: string; label?: string; labels?: Record<string, string>; cmd?: string[]; created?: string} = {}): Crafted {
	const made = layers.map(({tar, compression = 'gzip'}) => {
		const blob = compress(tar, compression);
		return {blob, digest: digestOf(blob), diffId: digestOf(tar), mediaType: layerType[compression]};
	});
	const config = Buffer.from(
		JSON.stringify({
			architecture: options.architecture ?? (process.arch === 'x64' ? 'amd64' : process.arch),
			os: 'linux',
			created: options.created ?? '2026-01-02T03:04:05Z',
			config: {Env: ['PATH=/bin'], Cmd: options.cmd ?? ['/bin/sh'], Labels: options.label || options.labels ? {...(options.label ? {'berth.test.crafted': options.label} : {}), ...options.labels} : null},
			rootfs: {type: 'layers', diff_ids: made.map(layer => layer.diffId)},
			history: made.map(() => ({created: '2026-01-02T03:04:05Z', created_by: 'crafted by the test'})),
		}),
	);
	const mediaType = 'application/vnd.oci.image.manifest.v1+json';
	const manifest = Buffer.from(
		JSON.stringify({
			schemaVersion: 2,
			mediaType,
			config: {mediaType: 'application/vnd.oci.image.config.v1+json', digest: digestOf(config), size: config.length},
			layers: made.map(layer => ({mediaType: layer.mediaType, digest: layer.digest, size: layer.blob.length})),
		}),
	);
	const blobs = new Map<string, Buffer>([[digestOf(config), config], ...made.map(layer => [layer.digest, layer.blob] as [string, Buffer])]);
	return {config, configDigest: digestOf(config), manifest, manifestDigest: digestOf(manifest), mediaType, layers: made, blobs};
}

/** A `docker save` archive of crafted images (layers uncompressed, as docker save writes them), each with its tags. */
export async function savedArchive(images: Array<{image: Crafted; tags: string[]}>, tars: Map<string, Buffer>): Promise<Buffer> {
	const entries: Entry[] = [];
	const manifest = images.map(({image, tags}) => {
		const config = `${image.configDigest.slice(7)}.json`;
		entries.push({name: config, body: image.config});
		const layers = image.layers.map(layer => {
			const name = `${layer.diffId.slice(7)}/layer.tar`;
			if (!entries.some(entry => entry.name === name)) entries.push({name: `${layer.diffId.slice(7)}/`, type: 'directory'}, {name, body: tars.get(layer.diffId)!});
			return name;
		});
		return {Config: config, RepoTags: tags, Layers: layers};
	});
	entries.push({name: 'manifest.json', body: JSON.stringify(manifest)});
	return tarOf(entries);
}

/** Uploads blobs and a manifest to a registry without auth, through its HTTP API. */
export async function uploadBlob(host: string, repository: string, bytes: Buffer): Promise<void> {
	const started = await fetch(`http://${host}/v2/${repository}/blobs/uploads/`, {method: 'POST'});
	if (started.status !== 202) throw new Error(`upload start: ${started.status} ${await started.text()}`);
	const location = new URL(started.headers.get('location')!, `http://${host}`);
	location.searchParams.set('digest', digestOf(bytes));
	const put = await fetch(location, {method: 'PUT', body: new Uint8Array(bytes), headers: {'Content-Type': 'application/octet-stream'}});
	if (put.status !== 201) throw new Error(`upload: ${put.status} ${await put.text()}`);
}

export async function putManifest(host: string, repository: string, reference: string, bytes: Buffer, mediaType: string): Promise<void> {
	const response = await fetch(`http://${host}/v2/${repository}/manifests/${reference}`, {method: 'PUT', body: new Uint8Array(bytes), headers: {'Content-Type': mediaType}});
	if (response.status !== 201) throw new Error(`manifest ${reference}: ${response.status} ${await response.text()}`);
}

export async function pushCrafted(host: string, repository: string, tag: string, image: Crafted): Promise<void> {
	for (const blob of image.blobs.values()) await uploadBlob(host, repository, blob);
	await putManifest(host, repository, tag, image.manifest, image.mediaType);
}
