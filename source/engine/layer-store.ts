// Layers as layers, as dockerd's overlay2 driver keeps them: each layer unpacked once, by its diff
// id, into a directory of its own with whiteouts in overlayfs's form, and stacked as lower
// directories under a container's writable layer. Two images on one base share its files.
// Beside each layer: its size, and its tar's framing (tar-split.ts), which with its files gives
// the exact tar back for save and push. A layer is made in a partial directory and renamed into
// place once its diff id is checked, so a failed or cut-off unpack leaves nothing.
import {createHash, randomBytes} from 'node:crypto';
import {existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync} from 'node:fs';
import {readFile, rename, rm, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {PassThrough, type Readable} from 'node:stream';
import {decompressed} from './decompress.ts';
import {diskUsage} from './disk-usage.ts';
import {applyLayer} from './image-unpack.ts';
import {reassemble, reassembledSize, TarSplitRecorder} from './tar-split.ts';

export class DiffIdMismatchError extends Error {}

const hexOf = (diffId: string) => {
	if (!/^sha256:[0-9a-f]{64}$/.test(diffId)) throw new Error(`not a diff id: ${diffId}`);
	return diffId.slice(7);
};

/** A short name per layer, so that a mount's lowerdir list of up to ~140 layers fits in one page (as overlay2's "l/"). */
const shortName = (diffId: string) => hexOf(diffId).slice(0, 20);

export type LowerDirs = {
	/** Where the mount runs, for the relative names in `lowerdir` to resolve. */
	base: string;
	/** Top first, colon-separated, relative to `base`. */
	lowerdir: string;
	/** The same layers as absolute paths, top first, for reading an image's files without mounting. */
	paths: string[];
};

export class LayerStore {
	private readonly partial: string;
	private readonly links: string;
	private readonly adding = new Map<string, Promise<{diffId: string; size: number}>>();

	constructor(private readonly directory: string) {
		this.partial = path.join(directory, 'partial');
		this.links = path.join(directory, 'l');
		rmSync(this.partial, {recursive: true, force: true});
		mkdirSync(this.partial, {recursive: true, mode: 0o700});
		mkdirSync(this.links, {recursive: true, mode: 0o700});
		mkdirSync(path.join(directory, 'empty'), {recursive: true, mode: 0o755});
	}

	private directoryOf(diffId: string): string {
		return path.join(this.directory, hexOf(diffId));
	}

	has(diffId: string): boolean {
		return existsSync(path.join(this.directoryOf(diffId), 'size'));
	}

	/** The bytes of the layer's files; 0 for one not here. */
	size(diffId: string): number {
		try {
			return Number(readFileSync(path.join(this.directoryOf(diffId), 'size'), 'utf8')) || 0;
		} catch {
			return 0;
		}
	}

	diffPath(diffId: string): string {
		return path.join(this.directoryOf(diffId), 'diff');
	}

	/**
	 * Unpacks a layer (gzip, zstd or plain) unless it is here already; gives its diff id and size.
	 * With `expected`, a tar that is not that diff id is refused. Two adds of one layer at once
	 * share the work.
	 */
	async add(source: () => Readable, expected?: string): Promise<{diffId: string; size: number}> {
		if (expected && this.has(expected)) return {diffId: expected, size: this.size(expected)};
		if (!expected) return this.unpack(source(), undefined);
		const running = this.adding.get(expected);
		if (running) return running;
		const task = this.unpack(source(), expected).finally(() => this.adding.delete(expected));
		this.adding.set(expected, task);
		return task;
	}

	private async unpack(source: Readable, expected: string | undefined): Promise<{diffId: string; size: number}> {
		const partial = path.join(this.partial, randomBytes(8).toString('hex'));
		const diff = path.join(partial, 'diff');
		mkdirSync(diff, {recursive: true, mode: 0o755});
		try {
			const hash = createHash('sha256');
			const recorder = new TarSplitRecorder();
			const plain = decompressed(source);
			const tar = new PassThrough({highWaterMark: 1 << 20});
			plain.on('data', (chunk: Buffer) => {
				hash.update(chunk);
				recorder.push(chunk);
			});
			plain.on('error', error => tar.destroy(error));
			plain.pipe(tar);
			await applyLayer(tar, diff, {whiteouts: 'overlay'});
			const diffId = `sha256:${hash.digest('hex')}`;
			if (expected && diffId !== expected) throw new DiffIdMismatchError(`the layer unpacks to ${diffId}, not the diff id ${expected} its image config names`);
			if (this.has(diffId)) return {diffId, size: this.size(diffId)};
			// Without an exact framing (a tar naming one path twice), save and push cannot rebuild it: none is kept.
			if (recorder.exact) await writeFile(path.join(partial, 'tar-split.gz'), recorder.finish(), {mode: 0o600});
			// Its size as dockerd counts a layer's: the bytes of its files and links, not of its tar.
			const size = await diskUsage(diff);
			await writeFile(path.join(partial, 'size'), String(size), {mode: 0o600});
			const target = this.directoryOf(diffId);
			await rm(target, {recursive: true, force: true});
			await rename(partial, target);
			this.link(diffId);
			return {diffId, size};
		} finally {
			await rm(partial, {recursive: true, force: true});
		}
	}

	private link(diffId: string): void {
		const link = path.join(this.links, shortName(diffId));
		const target = path.join('..', hexOf(diffId), 'diff');
		try {
			if (readlinkSync(link) === target) return;
			rmSync(link, {force: true});
		} catch {
			// Not there yet.
		}

		symlinkSync(target, link);
	}

	/** The lower directories for `diffIds` (bottom first, as in an image config). */
	lowerDirs(diffIds: readonly string[]): LowerDirs {
		const top = [...diffIds].reverse();
		if (top.length === 0) return {base: this.directory, lowerdir: 'empty', paths: [path.join(this.directory, 'empty')]};
		return {base: this.directory, lowerdir: top.map(diffId => `l/${shortName(diffId)}`).join(':'), paths: top.map(diffId => this.diffPath(diffId))};
	}

	/** The layer's tar, byte for byte as it came, and its length; undefined when its framing could not be kept. */
	async tar(diffId: string): Promise<{size: number; open(): Readable} | undefined> {
		let framing: Buffer;
		try {
			framing = await readFile(path.join(this.directoryOf(diffId), 'tar-split.gz'));
		} catch {
			return undefined;
		}

		return {size: reassembledSize(framing), open: () => reassemble(framing, this.diffPath(diffId), diffId)};
	}

	/** Removes every layer not in `keep`; returns the bytes freed. */
	collect(keep: Set<string>): number {
		let freed = 0;
		for (const entry of readdirSync(this.directory)) {
			if (!/^[0-9a-f]{64}$/.test(entry)) continue;
			const diffId = `sha256:${entry}`;
			if (keep.has(diffId) || this.adding.has(diffId)) continue;
			freed += this.size(diffId);
			rmSync(path.join(this.links, shortName(diffId)), {force: true});
			rmSync(path.join(this.directory, entry), {recursive: true, force: true});
		}

		return freed;
	}
}
