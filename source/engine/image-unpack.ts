// Unpacking tarballs into a root filesystem, safely. Layers are applied in order onto one
// directory: whiteouts (.wh.NAME) delete what a lower layer made, opaque markers (.wh..wh..opq)
// empty a directory of it; hard links and symlinks are kept. No entry may land outside the root:
// ".." and absolute names are refused, and a path is never written through a symlink (each
// parent is checked to be a real directory), so a link pointing out cannot be followed out.
// Owners, modes and times are set at the end, on what each path finally is: never through a
// symlink (a file, then a symlink of the same name to a host file, must not chmod the host file),
// and not at all for a path a later entry replaced or removed.
import {createWriteStream} from 'node:fs';
import {chmod, lchown, link, lstat, lutimes, mkdir, readdir, rm, symlink} from 'node:fs/promises';
import path from 'node:path';
import type {Readable} from 'node:stream';
import {pipeline} from 'node:stream/promises';
import {promisify} from 'node:util';
import {execFile} from 'node:child_process';
import {extract, type Header as Headers} from 'tar-stream';
import {decompressed} from './decompress.ts';

const execFileAsync = promisify(execFile);

export class UnsafeArchiveError extends Error {}

/** The entry's path relative to the root, or undefined for the root itself; throws when it would leave it. */
export function safeRelativePath(name: string): string | undefined {
	const parts = name.split('/').filter(part => part !== '' && part !== '.');
	if (parts.some(part => part === '..')) throw new UnsafeArchiveError(`archive entry "${name}" would land outside the root`);
	return parts.length === 0 ? undefined : parts.join('/');
}

/** Makes sure every directory from the root down to `relative`'s parent is a real directory, creating what is missing. */
async function ensureParents(root: string, relative: string): Promise<void> {
	const parts = relative.split('/').slice(0, -1);
	let current = root;
	for (const part of parts) {
		current = path.join(current, part);
		const stat = await lstat(current).catch(() => undefined);
		if (!stat) {
			await mkdir(current, {mode: 0o755});
			continue;
		}

		if (stat.isSymbolicLink()) throw new UnsafeArchiveError(`archive entry "${relative}" would be written through the symlink ${path.relative(root, current)}`);
		if (!stat.isDirectory()) throw new UnsafeArchiveError(`archive entry "${relative}" needs ${path.relative(root, current)} to be a directory`);
	}
}

/** Whether every directory from the root down to `relative`'s parent is a real one (no symlink on the way). */
async function parentsAreReal(root: string, relative: string): Promise<boolean> {
	let current = root;
	for (const part of relative.split('/').slice(0, -1)) {
		current = path.join(current, part);
		const stat = await lstat(current).catch(() => undefined);
		if (!stat || stat.isSymbolicLink() || !stat.isDirectory()) return false;
	}

	return true;
}

export type UnpackOptions = {
	/** Give files the owners the archive names (needs root). */
	chown?: boolean;
	/**
	 * "apply" (the default) deletes what whiteouts name from `root`; "overlay" keeps them in
	 * overlayfs's form for a layer unpacked on its own: a 0/0 character device for a deleted path,
	 * the trusted.overlay.opaque xattr for an opaque directory (both need root: without it they are skipped).
	 */
	whiteouts?: 'apply' | 'overlay';
};

/** Makes overlayfs whiteouts (mknod c 0 0) and opaque markers (setfattr), many per process. */
async function writeOverlayMarks(root: string, whiteouts: string[], opaque: string[]): Promise<void> {
	if (process.getuid?.() !== 0) return;
	const batches = <T>(items: T[]) => Array.from({length: Math.ceil(items.length / 500)}, (_, index) => items.slice(index * 500, index * 500 + 500));
	for (const batch of batches(whiteouts)) {
		await execFileAsync('/bin/sh', ['-c', 'for p; do mknod -- "$p" c 0 0 || exit 1; done', 'berth-whiteouts', ...batch.map(relative => path.join(root, relative))]);
	}

	for (const batch of batches(opaque)) {
		await execFileAsync('setfattr', ['-n', 'trusted.overlay.opaque', '-v', 'y', '--', ...batch.map(relative => (relative === '.' ? root : path.join(root, relative)))]).catch((error: NodeJS.ErrnoException) => {
			throw new Error(error.code === 'ENOENT' ? 'setfattr is needed to keep an opaque directory of a layer (apt-get install attr)' : `setfattr failed: ${(error as Error).message}`);
		});
	}
}

/** Applies one layer (or a whole root filesystem) from a tar stream, gzip, zstd or plain, onto `root`. */
export async function applyLayer(source: Readable, root: string, {chown = process.getuid?.() === 0, whiteouts = 'apply'}: UnpackOptions = {}): Promise<void> {
	const overlayWhiteouts = new Set<string>();
	const overlayOpaque = new Set<string>();
	const written = new Set<string>();
	// Each path's last entry, in the order first written; a path removed or replaced goes, with what was below it.
	const deferred = new Map<string, Headers>();
	const forget = (relative: string, wasDirectory: boolean) => {
		deferred.delete(relative);
		if (wasDirectory) for (const known of deferred.keys()) if (known.startsWith(`${relative}/`)) deferred.delete(known);
	};

	const tar = extract();
	const handle = async (headers: Headers, stream: Readable) => {
		const relative = safeRelativePath(headers.name);
		if (relative === undefined) {
			stream.resume();
			return;
		}

		const base = path.posix.basename(relative);
		const parent = path.posix.dirname(relative);
		if (base.startsWith('.wh.')) {
			stream.resume();
			await ensureParents(root, relative);
			const parentPath = parent === '.' ? root : path.join(root, parent);
			if (whiteouts === 'overlay') {
				if (base === '.wh..wh..opq') overlayOpaque.add(parent);
				else overlayWhiteouts.add(parent === '.' ? base.slice(4) : `${parent}/${base.slice(4)}`);
				return;
			}

			if (base === '.wh..wh..opq') {
				// Opaque: the directory keeps only what this layer puts in it.
				for (const child of await readdir(parentPath).catch(() => [])) {
					const childRelative = parent === '.' ? child : `${parent}/${child}`;
					if (!written.has(childRelative)) {
						const gone = await lstat(path.join(parentPath, child)).catch(() => undefined);
						await rm(path.join(parentPath, child), {recursive: true, force: true});
						forget(childRelative, Boolean(gone?.isDirectory()));
					}
				}
			} else {
				const hidden = base.slice('.wh.'.length);
				const hiddenRelative = parent === '.' ? hidden : `${parent}/${hidden}`;
				if (!written.has(hiddenRelative)) {
					const gone = await lstat(path.join(parentPath, hidden)).catch(() => undefined);
					await rm(path.join(parentPath, hidden), {recursive: true, force: true});
					forget(hiddenRelative, Boolean(gone?.isDirectory()));
				}
			}

			return;
		}

		await ensureParents(root, relative);
		const target = path.join(root, relative);
		const existing = await lstat(target).catch(() => undefined);
		// Whatever was there is replaced (a directory kept as it is): its owner and mode no longer apply.
		if (existing && !(headers.type === 'directory' && existing.isDirectory())) forget(relative, existing.isDirectory());
		const mode = (headers.mode ?? 0o644) & 0o7777;
		switch (headers.type) {
			case 'directory': {
				if (existing && !existing.isDirectory()) await rm(target, {recursive: true, force: true});
				if (!existing || !existing.isDirectory()) await mkdir(target, {mode});
				stream.resume();
				break;
			}

			case 'file':
			case 'contiguous-file': {
				if (existing) await rm(target, {recursive: true, force: true});
				await pipeline(stream, createWriteStream(target, {mode, flags: 'wx'}));
				break;
			}

			case 'symlink': {
				stream.resume();
				if (existing) await rm(target, {recursive: true, force: true});
				await symlink(headers.linkname ?? '', target);
				break;
			}

			case 'link': {
				stream.resume();
				const linkRelative = safeRelativePath(headers.linkname ?? '');
				if (linkRelative === undefined) throw new UnsafeArchiveError(`hard link "${relative}" has no target`);
				await ensureParents(root, linkRelative);
				const source = await lstat(path.join(root, linkRelative)).catch(() => undefined);
				if (!source || source.isDirectory()) throw new UnsafeArchiveError(`hard link "${relative}" points to "${headers.linkname}", which is not a file in this image`);
				if (existing) await rm(target, {recursive: true, force: true});
				await link(path.join(root, linkRelative), target);
				break;
			}

			default: {
				// Devices and FIFOs are not made: a container gets its /dev from the engine.
				stream.resume();
				return;
			}
		}

		written.add(relative);
		deferred.set(relative, headers);
	};

	tar.on('entry', (headers, stream, next) => {
		handle(headers, stream as unknown as Readable).then(
			() => next(),
			(error: unknown) => {
				stream.resume();
				tar.destroy(error as Error);
			},
		);
	});
	await pipeline(decompressed(source), tar);
	if (whiteouts === 'overlay') {
		// A path this layer itself writes is not hidden by it; each mark is made on a real parent.
		const marks: string[] = [];
		for (const relative of overlayWhiteouts) {
			if (written.has(relative) || !(await parentsAreReal(root, relative))) continue;
			if (await lstat(path.join(root, relative)).catch(() => undefined)) continue;
			marks.push(relative);
		}

		const opaque: string[] = [];
		for (const relative of overlayOpaque) {
			const stat = await lstat(relative === '.' ? root : path.join(root, relative)).catch(() => undefined);
			if (stat?.isDirectory() && (relative === '.' || (await parentsAreReal(root, relative)))) opaque.push(relative);
		}

		await writeOverlayMarks(root, marks, opaque);
	}

	// Ownership, modes and times last, so that a read-only directory was still writable while
	// filled; deepest first. Nothing runs concurrently in this directory, so what is checked holds.
	for (const [relative, headers] of [...deferred].reverse()) {
		if (!(await parentsAreReal(root, relative))) continue;
		const target = path.join(root, relative);
		const stat = await lstat(target).catch(() => undefined);
		if (!stat) continue;
		if (chown) await lchown(target, headers.uid ?? 0, headers.gid ?? 0).catch(() => undefined);
		// chmod follows a symlink; a symlink has no mode of its own (a hard link to one is one too).
		if (!stat.isSymbolicLink()) await chmod(target, (headers.mode ?? 0o644) & 0o7777).catch(() => undefined);
		const time = headers.mtime ?? new Date(0);
		await lutimes(target, time, time).catch(() => undefined);
	}
}
