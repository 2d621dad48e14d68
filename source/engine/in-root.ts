// Paths inside a container's root, resolved as the container would see them: symlinks (absolute
// or relative) and `..` never lead outside the root, whatever the image holds. The host's view
// of the root (/proc/PID/root, an unpacked layer) is walked one component at a time.
import {lstatSync, readlinkSync} from 'node:fs';
import path from 'node:path';

const maxLinks = 40;

/** The path within `root` (absolute, no symlinks left in it) that `target` names from inside; missing components are kept as named. */
export function resolveInRoot(root: string, target: string): string {
	return resolveInLayers([root], target);
}

/**
 * The same inside an overlay of layers (the first on top): each component is looked up in the
 * topmost layer that has it, as the mounted overlay would show it. (Whiteouts are not read: a
 * path the upper layer deleted resolves as the lower layer has it.)
 */
export function resolveInLayers(layers: readonly string[], target: string): string {
	let resolved: string[] = [];
	let pending = target.split('/').filter(Boolean);
	let links = 0;
	while (pending.length > 0) {
		const part = pending.shift()!;
		if (part === '.') continue;
		if (part === '..') {
			resolved.pop();
			continue;
		}

		const candidate = [...resolved, part];
		let stat;
		let layer: string | undefined;
		for (const root of layers) {
			try {
				stat = lstatSync(path.join(root, ...candidate));
				layer = root;
				break;
			} catch {
				// Not in this layer.
			}
		}

		if (!stat || !layer) {
			resolved = [...candidate, ...pending.filter(rest => rest !== '.')];
			break;
		}

		if (!stat.isSymbolicLink()) {
			resolved = candidate;
			continue;
		}

		if (++links > maxLinks) throw new Error(`too many levels of symbolic links in ${target}`);
		const link = readlinkSync(path.join(layer, ...candidate));
		if (link.startsWith('/')) resolved = [];
		pending = [...link.split('/').filter(Boolean), ...pending];
	}

	return `/${resolved.join('/')}`;
}
