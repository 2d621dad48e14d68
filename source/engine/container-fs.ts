// A container's files from outside, for docker cp, export, diff and commit. A running container is
// read through /proc/PID/root (its own view, volumes included); a stopped one through its overlay
// (its image's layers under its own layer), mounted read-only for the time of the request in a
// directory of its own. Paths are resolved inside that root, so no symlink leads out of it.
import {execFile} from 'node:child_process';
import {createReadStream, lstatSync, mkdirSync, readdirSync, readFileSync, type Stats} from 'node:fs';
import {lstat, readdir, readlink, stat} from 'node:fs/promises';
import path from 'node:path';
import {pipeline} from 'node:stream/promises';
import {promisify} from 'node:util';
import type {Pack} from 'tar-stream';
import {findInLayers} from './in-root.ts';
import type {LowerDirs} from './layer-store.ts';

const execFileAsync = promisify(execFile);

/** Go's os.FileMode bits, which the docker CLI reads from X-Docker-Container-Path-Stat. */
const goMode = {dir: 2 ** 31, symlink: 2 ** 27, device: 2 ** 26, namedPipe: 2 ** 25, socket: 2 ** 24, setuid: 2 ** 23, setgid: 2 ** 22, charDevice: 2 ** 21, sticky: 2 ** 20};

/** Linux's dev_t split as glibc's major() and minor() split it. */
const deviceNumbers = (rdev: number) => ({devmajor: (rdev >>> 8) & 0xfff, devminor: (rdev & 0xff) | ((rdev >>> 12) & 0xfff00)});

export function goFileMode(stats: Stats): number {
	let mode = stats.mode & 0o777;
	if (stats.isDirectory()) mode += goMode.dir;
	if (stats.isSymbolicLink()) mode += goMode.symlink;
	if (stats.isBlockDevice()) mode += goMode.device;
	if (stats.isCharacterDevice()) mode += goMode.device + goMode.charDevice;
	if (stats.isFIFO()) mode += goMode.namedPipe;
	if (stats.isSocket()) mode += goMode.socket;
	if (stats.mode & 0o4000) mode += goMode.setuid;
	if (stats.mode & 0o2000) mode += goMode.setgid;
	if (stats.mode & 0o1000) mode += goMode.sticky;
	return mode;
}

/**
 * Mounts a stopped container's overlay at `target`: read-only with its layer as the top lower one
 * (nothing a read does can change it), or writable as at its start (docker cp into it).
 */
export async function mountStoppedRoot(mount: string, layer: {upper: string; work: string}, lower: LowerDirs, target: string, writable: boolean): Promise<() => Promise<void>> {
	mkdirSync(target, {recursive: true, mode: 0o700});
	mkdirSync(layer.upper, {recursive: true});
	mkdirSync(layer.work, {recursive: true});
	const options = writable ? `lowerdir=${lower.lowerdir},upperdir=${layer.upper},workdir=${layer.work}` : `ro,lowerdir=${path.relative(lower.base, layer.upper)}:${lower.lowerdir}`;
	await execFileAsync(mount, ['-t', 'overlay', 'overlay', '-o', `${options},nodev`, target], {cwd: lower.base});
	return async () => {
		await execFileAsync(mount.replace(/mount$/, 'umount'), [target]).catch(() => execFileAsync(mount.replace(/mount$/, 'umount'), ['-l', target]));
	};
}

type PackOptions = {
	/** Paths (inside the root, "/etc/hosts") left out. */
	skip?: Set<string>;
	/** Mount points: a directory entry for each, and nothing of what is mounted there. */
	hollow?: Set<string>;
};

/** The mount points of a running container, as it sees them ("/proc", "/data"), from its mountinfo. */
export function mountPointsOf(pid: number): string[] {
	try {
		return readFileSync(`/proc/${pid}/mountinfo`, 'utf8')
			.split('\n')
			.map(line => line.split(' ')[4])
			.filter((point): point is string => Boolean(point) && point !== '/')
			.map(point => point.replace(/\\(\d{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8))));
	} catch {
		return [];
	}
}

/** Writes host files into a tar as they are: one entry each, a file met again through another hard link as a link. */
class TarWriter {
	private readonly links = new Map<string, string>();

	constructor(private readonly archive: Pack) {}

	entry(header: Parameters<Pack['entry']>[0], body: Buffer | string = ''): Promise<void> {
		return new Promise((resolve, reject) => {
			this.archive.entry(header, body, error => (error ? reject(error) : resolve()));
		});
	}

	/** The entry for `host` (a directory's own entry only: its contents are the caller's to walk). */
	async add(host: string, name: string, stats: Stats): Promise<void> {
		const common = {name, mode: stats.mode & 0o7777, uid: stats.uid, gid: stats.gid, mtime: stats.mtime};
		if (stats.isDirectory()) return this.entry({...common, name: `${name.replace(/\/$/, '')}/`, type: 'directory'});
		if (stats.isSymbolicLink()) return this.entry({...common, type: 'symlink', linkname: await readlink(host)});
		if (stats.isFile()) {
			const key = `${stats.dev}:${stats.ino}`;
			const first = stats.nlink > 1 ? this.links.get(key) : undefined;
			if (first) return this.entry({...common, type: 'link', linkname: first});
			if (stats.nlink > 1) this.links.set(key, name);
			return pipeline(createReadStream(host), this.archive.entry({...common, type: 'file', size: stats.size}));
		}

		const type = stats.isCharacterDevice() ? 'character-device' : stats.isBlockDevice() ? 'block-device' : stats.isFIFO() ? 'fifo' : undefined;
		if (type) await this.entry({...common, type, ...deviceNumbers(stats.rdev)});
	}
}

/** Packs `source` (a path on the host, inside `root`) into `archive` as `name`, with what is under it. */
export async function packTree(archive: Pack, root: string, source: string, name: string, options: PackOptions = {}): Promise<void> {
	const writer = new TarWriter(archive);
	const walk = async (hostPath: string, entryName: string): Promise<void> => {
		const inside = `/${path.relative(root, hostPath)}`;
		if (options.skip?.has(inside)) return;
		let stats: Stats;
		try {
			// The root itself may be /proc/PID/root, a link to follow.
			stats = hostPath === root ? await stat(hostPath) : await lstat(hostPath);
		} catch {
			return; // gone meanwhile
		}

		const hollow = options.hollow?.has(inside);
		// A file mounted over (a bind of one file) is left out; a directory one is kept, empty.
		if (hollow && !stats.isDirectory()) return;
		await writer.add(hostPath, entryName, stats);
		if (!stats.isDirectory() || hollow) return;
		const children = await readdir(hostPath).catch(() => [] as string[]);
		for (const child of children.sort()) await walk(path.join(hostPath, child), `${entryName.replace(/\/$/, '')}/${child}`);
	};

	await walk(source, name);
}

export type Change = {Path: string; Kind: 0 | 1 | 2};

const engineMountPoints = new Set(['/proc', '/sys', '/dev']);

/** `docker diff`: what the container's layer changed, added or deleted over its image's, less the files the engine writes. */
export function containerChanges(upper: string, lower: readonly string[], engineFiles: Set<string>): Change[] {
	const changes: Change[] = [];
	const walk = (relative: string): boolean => {
		let entries: string[];
		try {
			entries = readdirSync(path.join(upper, relative));
		} catch {
			return false;
		}

		let any = false;
		for (const name of entries.sort()) {
			const inside = `/${relative ? `${relative}/` : ''}${name}`;
			if (engineFiles.has(inside)) continue;
			// The mount points the engine makes for an image without them are not the container's doing.
			if (engineMountPoints.has(inside) && !findInLayers(lower, inside) && readdirSync(path.join(upper, relative, name)).length === 0) continue;
			const stats = lstatSync(path.join(upper, relative, name));
			const below = findInLayers(lower, inside) !== undefined;
			if (stats.isCharacterDevice() && stats.rdev === 0) {
				changes.push({Path: inside, Kind: 2});
				any = true;
				continue;
			}

			if (stats.isDirectory()) {
				const index = changes.length;
				const inner = walk(inside.slice(1));
				// A directory the image had shows as changed only when something under it did.
				if (!below) changes.splice(index, 0, {Path: inside, Kind: 1});
				else if (inner) changes.splice(index, 0, {Path: inside, Kind: 0});
				any ||= !below || inner;
				continue;
			}

			changes.push({Path: inside, Kind: below ? 0 : 1});
			any = true;
		}

		return any;
	};

	walk('');
	return changes;
}

/** The directories overlayfs marked opaque in `upper` (trusted.overlay.opaque=y), read with getfattr in one run. */
async function opaqueDirectories(upper: string): Promise<Set<string>> {
	const found = new Set<string>();
	let output = '';
	try {
		({stdout: output} = await execFileAsync('getfattr', ['-R', '--absolute-names', '-d', '-m', '^trusted\\.overlay\\.opaque$', upper], {maxBuffer: 64 * 1024 * 1024}));
	} catch (error) {
		const failed = error as NodeJS.ErrnoException & {stdout?: string};
		if (failed.code === 'ENOENT') throw new Error('getfattr is needed to read the container\'s opaque directories (apt-get install attr)');
		output = failed.stdout ?? ''; // it reports files it could not read, and goes on
	}

	let current: string | undefined;
	for (const line of output.split('\n')) {
		if (line.startsWith('# file: ')) current = line.slice(8).replace(/\\(\d{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)));
		else if (current && line === 'trusted.overlay.opaque="y"') found.add(`/${path.relative(upper, current)}`);
	}

	return found;
}

/**
 * The container's layer as a layer tar (docker commit): its files, its deletions as ".wh." entries
 * and its opaque directories as ".wh..wh..opq", without what the engine wrote there itself.
 */
export async function packUpperLayer(archive: Pack, upper: string, lower: readonly string[], engineFiles: Set<string>): Promise<void> {
	const opaque = await opaqueDirectories(upper);
	const writer = new TarWriter(archive);
	const walk = async (relative: string): Promise<void> => {
		const names = await readdir(path.join(upper, relative)).catch(() => [] as string[]);
		for (const name of names.sort()) {
			const inside = `/${relative ? `${relative}/` : ''}${name}`;
			if (engineFiles.has(inside)) continue;
			const host = path.join(upper, relative, name);
			const stats = await lstat(host);
			if (engineMountPoints.has(inside) && stats.isDirectory() && !findInLayers(lower, inside) && (await readdir(host)).length === 0) continue;
			const entryName = inside.slice(1);
			if (stats.isCharacterDevice() && stats.rdev === 0) {
				await writer.entry({name: path.posix.join(path.posix.dirname(entryName), `.wh.${name}`), type: 'file', mode: 0o644, mtime: stats.mtime});
				continue;
			}

			await writer.add(host, entryName, stats);
			if (!stats.isDirectory()) continue;
			if (opaque.has(inside)) await writer.entry({name: `${entryName}/.wh..wh..opq`, type: 'file', mode: 0o644, mtime: stats.mtime});
			await walk(entryName);
		}
	};

	await walk('');
}
