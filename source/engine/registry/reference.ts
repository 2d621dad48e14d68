// Image references as dockerd reads them: "alpine" is docker.io/library/alpine:latest,
// "localhost:5000/x", "host:port/a/b:tag" and "name@sha256:…" keep their registry and pin.
export type ImageReference = {
	/** The registry's host (and port): "docker.io", "localhost:5000". */
	domain: string;
	/** The repository within it: "library/alpine", "team/app". */
	repository: string;
	tag?: string;
	digest?: string;
};

const component = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const tagPattern = /^[\w][\w.-]{0,127}$/;
const digestPattern = /^sha256:[0-9a-f]{64}$/;

export class ReferenceError extends Error {}

/** Parses `value`, with `tag` (a tag or a digest) from the query when the name has none. */
export function parseReference(value: string, tag = ''): ImageReference {
	let rest = value.trim();
	let digest: string | undefined;
	const at = rest.indexOf('@');
	if (at !== -1) {
		digest = rest.slice(at + 1);
		rest = rest.slice(0, at);
	}

	let name = rest;
	let parsedTag: string | undefined;
	const colon = rest.lastIndexOf(':');
	if (colon > rest.lastIndexOf('/')) {
		name = rest.slice(0, colon);
		parsedTag = rest.slice(colon + 1);
	}

	if (tag) {
		if (digestPattern.test(tag)) digest ??= tag;
		else parsedTag ??= tag;
	}

	const slash = name.indexOf('/');
	const first = slash === -1 ? '' : name.slice(0, slash);
	const hasDomain = first !== '' && (first.includes('.') || first.includes(':') || first === 'localhost');
	let domain = hasDomain ? first : 'docker.io';
	let repository = hasDomain ? name.slice(slash + 1) : name;
	if (domain === 'index.docker.io') domain = 'docker.io';
	if (domain === 'docker.io' && !repository.includes('/')) repository = `library/${repository}`;
	if (!repository || !repository.split('/').every(part => component.test(part))) throw new ReferenceError(`invalid reference format: repository name (${name}) must be lowercase, made of [a-z0-9] and separators`);
	if (hasDomain && !/^[a-zA-Z0-9.-]+(?::\d{1,5})?$|^\[[0-9a-fA-F:]+\](?::\d{1,5})?$/.test(domain)) throw new ReferenceError(`invalid reference format: bad registry host ${domain}`);
	if (parsedTag !== undefined && !tagPattern.test(parsedTag)) throw new ReferenceError(`invalid reference format: bad tag "${parsedTag}"`);
	if (digest !== undefined && !digestPattern.test(digest)) throw new ReferenceError(`invalid reference format: bad digest "${digest}" (only sha256 is supported)`);
	return {domain, repository, tag: parsedTag ?? (digest ? undefined : 'latest'), digest};
}

/** The name without tag or digest, as `docker images` shows it: "alpine", "localhost:5000/x". */
export function familiarName(reference: ImageReference): string {
	if (reference.domain !== 'docker.io') return `${reference.domain}/${reference.repository}`;
	return reference.repository.replace(/^library\//, '');
}

/** The full name, as the docker CLI 28 prints it: "docker.io/library/alpine". */
export function fullName(reference: ImageReference): string {
	return `${reference.domain}/${reference.repository}`;
}

export function familiarTagged(reference: ImageReference): string | undefined {
	return reference.tag ? `${familiarName(reference)}:${reference.tag}` : undefined;
}

/** How dockerd names an image it cannot find: "alpine:latest", "x@sha256:…"; `value` itself when it is no reference. */
export function familiarString(value: string): string {
	try {
		const reference = parseReference(value);
		return reference.digest ? `${familiarName(reference)}@${reference.digest}` : familiarTagged(reference)!;
	} catch {
		return value;
	}
}
