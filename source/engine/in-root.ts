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

/** overlayfs's mark of a path an upper layer deleted: a character device 0/0. */
const isWhiteout = (stat: {isCharacterDevice(): boolean; rdev: number}) => stat.isCharacterDevice() && stat.rdev === 0;

/**
 * The same inside an overlay of layers (the first on top): each component is looked up in the
 * topmost layer that has it, as the mounted overlay would show it; a whiteout hides it below.
 * (Opaque directories are not read: their xattr is out of Node's reach. A lower layer's entry
 * under one may still be found, where the mounted overlay would hide it.)
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
			} catch {
				continue; // Not in this layer.
			}

			if (isWhiteout(stat)) stat = undefined;
			else layer = root;
			break;
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

/** Where on the host the file `target` names inside the layers is (the topmost that has it); undefined when none has it. */
export function findInLayers(layers: readonly string[], target: string): string | undefined {
	const resolved = resolveInLayers(layers, target);
	for (const root of layers) {
		const candidate = path.join(root, resolved);
		try {
			const stat = lstatSync(candidate);
			return isWhiteout(stat) ? undefined : candidate;
		} catch {
			// Not in this layer.
		}
	}

	return undefined;
}
