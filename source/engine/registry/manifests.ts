// Manifests as registries serve them: Docker schema 2 and OCI image manifests, and the lists
// (Docker manifest lists, OCI indexes) from which the host's platform is chosen.
import {createHash} from 'node:crypto';
import {RegistryError, type RegistrySession} from './session.ts';

export const mediaTypes = {
	dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
	dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
	ociManifest: 'application/vnd.oci.image.manifest.v1+json',
	ociIndex: 'application/vnd.oci.image.index.v1+json',
	dockerConfig: 'application/vnd.docker.container.image.v1+json',
	dockerLayer: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
} as const;

const accepted = [mediaTypes.dockerManifest, mediaTypes.dockerList, mediaTypes.ociManifest, mediaTypes.ociIndex].join(', ');
/** Far above any real manifest; a registry that sends more is refused before it fills memory. */
const maxManifestBytes = 4 * 1024 * 1024;

export type Descriptor = {mediaType?: string; digest: string; size: number; platform?: Platform; urls?: string[]};
export type Platform = {os?: string; architecture?: string; variant?: string};
export type ImageManifest = {schemaVersion: number; mediaType?: string; config: Descriptor; layers: Descriptor[]};
export type ManifestList = {schemaVersion: number; mediaType?: string; manifests: Descriptor[]};
export type Fetched = {bytes: Buffer; digest: string; mediaType: string; json: ImageManifest | ManifestList};

export const sha256 = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** Reads a body up to `limit` bytes, refusing (and cutting off) one that goes past it. */
export async function readLimited(response: Response, limit: number, what: string): Promise<Buffer> {
	const declared = Number(response.headers.get('content-length') ?? -1);
	if (declared > limit) {
		await response.body?.cancel();
		throw new RegistryError(`${what} is ${declared} bytes, more than the ${limit} a manifest may have`);
	}

	const chunks: Buffer[] = [];
	let total = 0;
	for await (const chunk of response.body ?? []) {
		total += (chunk as Uint8Array).byteLength;
		if (total > limit) throw new RegistryError(`${what} goes past the ${limit} bytes a manifest may have`);
		chunks.push(Buffer.from(chunk as Uint8Array));
	}

	return Buffer.concat(chunks);
}

function isDigest(value: unknown): value is string {
	return typeof value === 'string' && /^sha256:[0-9a-f]{64}$/.test(value);
}

function checkDescriptor(descriptor: Descriptor | undefined, what: string): Descriptor {
	if (!descriptor || !isDigest(descriptor.digest) || typeof descriptor.size !== 'number' || descriptor.size < 0) {
		throw new RegistryError(`the manifest's ${what} has no valid sha256 digest and size`);
	}

	return descriptor;
}

/** GETs a manifest by tag or digest, checks its digest, and reads what kind it is. */
export async function fetchManifest(session: RegistrySession, tagOrDigest: string): Promise<Fetched> {
	const response = await session.request(`manifests/${tagOrDigest}`, {headers: {Accept: accepted}});
	const name = `${session.reference.repository}:${tagOrDigest}`;
	if (!response.ok) {
		const error = await session.failure(response, `manifest for ${session.registry}/${name} not found`);
		throw error;
	}

	const bytes = await readLimited(response, maxManifestBytes, `the manifest of ${name}`);
	const digest = sha256(bytes);
	if (tagOrDigest.startsWith('sha256:') && digest !== tagOrDigest) throw new RegistryError(`the manifest ${name} from ${session.registry} has digest ${digest}: the registry sent the wrong content`);
	const claimed = response.headers.get('docker-content-digest');
	if (claimed && claimed !== digest) throw new RegistryError(`the manifest of ${name} from ${session.registry} does not match its Docker-Content-Digest (${claimed}, but its bytes are ${digest})`);
	let json: ImageManifest | ManifestList;
	try {
		json = JSON.parse(bytes.toString('utf8')) as typeof json;
	} catch {
		throw new RegistryError(`the manifest of ${name} from ${session.registry} is not JSON`);
	}

	const mediaType = (json as {mediaType?: string}).mediaType ?? response.headers.get('content-type')?.split(';')[0] ?? '';
	if ((json as {schemaVersion?: number}).schemaVersion === 1 || mediaType.startsWith('application/vnd.docker.distribution.manifest.v1')) {
		throw new RegistryError(`${name} on ${session.registry} has only a schema 1 manifest, which berth (like current Docker) does not pull`);
	}

	if ('manifests' in json && Array.isArray(json.manifests)) json.manifests.forEach((entry, index) => checkDescriptor(entry, `entry ${index}`));
	else if ('layers' in json && Array.isArray(json.layers)) {
		checkDescriptor(json.config, 'config');
		json.layers.forEach((layer, index) => checkDescriptor(layer, `layer ${index}`));
	} else throw new RegistryError(`the manifest of ${name} from ${session.registry} is neither an image manifest nor a list (${mediaType || 'no media type'})`);
	return {bytes, digest, mediaType, json};
}

export function hostPlatform(): Platform {
	const architecture = {x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64'}[process.arch as string] ?? process.arch;
	return {os: 'linux', architecture, variant: architecture === 'arm64' ? 'v8' : undefined};
}

/** "linux/arm64/v8" → a platform; empty → the host's. */
export function parsePlatform(value: string | null | undefined): Platform {
	if (!value) return hostPlatform();
	const [os, architecture, variant] = value.toLowerCase().split('/');
	if (!os || !architecture) throw new RegistryError(`invalid platform "${value}": expected os/arch[/variant]`, 400);
	return {os, architecture: architecture === 'x86_64' ? 'amd64' : architecture === 'aarch64' ? 'arm64' : architecture, variant};
}

/** The entry of a list for `wanted`, skipping attestations (unknown/unknown). */
export function choosePlatform(list: ManifestList, wanted: Platform): Descriptor | undefined {
	const candidates = list.manifests.filter(entry => entry.platform?.os !== 'unknown' && entry.platform?.architecture !== 'unknown');
	const matches = candidates.filter(entry => entry.platform?.os === wanted.os && entry.platform?.architecture === wanted.architecture);
	if (wanted.variant) {
		const exact = matches.find(entry => entry.platform?.variant === wanted.variant);
		if (exact) return exact;
	}

	return matches.find(entry => !entry.platform?.variant) ?? matches[0];
}

export function describePlatform(platform: Platform): string {
	return [platform.os, platform.architecture, platform.variant].filter(Boolean).join('/');
}
