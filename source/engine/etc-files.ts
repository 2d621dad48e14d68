// The files a container reads to know its own name and how to resolve others: /etc/hostname,
// /etc/hosts and /etc/resolv.conf, written per container over the image's own, as dockerd does.
// (The host image shows the host's own /etc, read-only, as it shows the rest of the host.)
import {lstatSync, mkdirSync, readFileSync, rmSync, type Stats, writeFileSync} from 'node:fs';
import path from 'node:path';
import {findInLayers} from './in-root.ts';

export type EtcFilesSpec = {
	hostname: string;
	network: 'none' | 'host';
};

function lstatOrUndefined(file: string): Stats | undefined {
	try {
		return lstatSync(file);
	} catch {
		return undefined;
	}
}

function hostFile(name: string): string | undefined {
	try {
		return readFileSync(path.join('/etc', name), 'utf8');
	} catch {
		return undefined;
	}
}

export function etcFileContents(spec: EtcFilesSpec): Record<string, string> {
	if (spec.network === 'host') {
		// The host's network: its name resolution as it is, as dockerd does with --network host.
		return {
			hostname: `${spec.hostname}\n`,
			hosts: hostFile('hosts') ?? '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n',
			'resolv.conf': hostFile('resolv.conf') ?? '',
		};
	}

	// Only loopback: the container's own name resolves to it; there is nothing to ask for others.
	return {
		hostname: `${spec.hostname}\n`,
		hosts: `127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n127.0.0.1\t${spec.hostname}\n`,
		'resolv.conf': '# network mode "none": no name servers\n',
	};
}

/**
 * Writes the files into the container's own writable layer, over the image's, where they cost no
 * mount at start. Images without /etc (a lone static binary) are left as they are.
 */
export function writeEtcFiles(spec: EtcFilesSpec & {layers: readonly string[]; upper: string}): void {
	const imageEtc = findInLayers(spec.layers, '/etc');
	if (!imageEtc || !lstatSync(imageEtc).isDirectory()) return;
	const etc = path.join(spec.upper, 'etc');
	// The layer is the container's to shape: an etc it made a link (or deleted) is not followed.
	const found = lstatOrUndefined(etc);
	if (!found) mkdirSync(etc);
	else if (!found.isDirectory()) return;
	for (const [name, content] of Object.entries(etcFileContents(spec))) {
		const file = path.join(etc, name);
		// A real file (not a link the image or the container made) is replaced, never followed.
		rmSync(file, {force: true});
		writeFileSync(file, content, {mode: 0o644, flag: 'wx'});
	}
}
