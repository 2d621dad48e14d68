// Blobs (compressed layers) by digest, while they are needed: what a pull downloads before it
// unpacks (kept until its image is whole, so that an interrupted pull finds them again), and what
// a push compresses before it uploads. A blob is written to a partial file and renamed into place
// only once its digest is checked.
import {createHash, randomBytes} from 'node:crypto';
import {createWriteStream, existsSync, mkdirSync, readdirSync, rmSync, statSync} from 'node:fs';
import {rename, rm} from 'node:fs/promises';
import path from 'node:path';
import type {Readable} from 'node:stream';
import {pipeline} from 'node:stream/promises';

export class DigestMismatchError extends Error {}

export class BlobStore {
	private readonly partial: string;

	constructor(private readonly directory: string) {
		this.partial = path.join(directory, 'partial');
		// What a stopped engine left half-written is of no use.
		rmSync(this.partial, {recursive: true, force: true});
		mkdirSync(this.partial, {recursive: true, mode: 0o700});
		mkdirSync(path.join(directory, 'sha256'), {recursive: true, mode: 0o700});
	}

	path(digest: string): string {
		if (!/^sha256:[0-9a-f]{64}$/.test(digest)) throw new Error(`not a sha256 digest: ${digest}`);
		return path.join(this.directory, 'sha256', digest.slice(7));
	}

	has(digest: string): boolean {
		return existsSync(this.path(digest));
	}

	size(digest: string): number {
		return statSync(this.path(digest)).size;
	}

	/** Writes `source` as the blob `digest`, refused (and nothing kept) if its bytes are not that. */
	async write(digest: string, source: Readable, expectedSize?: number): Promise<void> {
		await this.spool(source, `${digest.slice(7, 19)}-`, (actual, size) => {
			if (expectedSize !== undefined && size !== expectedSize) throw new DigestMismatchError(`${size} bytes arrived where ${expectedSize} were announced`);
			if (actual !== digest) throw new DigestMismatchError(`its content has digest ${actual}`);
		});
	}

	/** Writes `source` as a blob whose digest is found as it is written (a layer compressed here). */
	writeNew(source: Readable): Promise<{digest: string; size: number}> {
		return this.spool(source, 'new-');
	}

	/** Writes `source` to a partial file, hashing it; once `check` accepts it, renames it to its digest. */
	private async spool(source: Readable, prefix: string, check?: (digest: string, size: number) => void): Promise<{digest: string; size: number}> {
		const partial = path.join(this.partial, `${prefix}${randomBytes(6).toString('hex')}`);
		const hash = createHash('sha256');
		let size = 0;
		source.on('data', (chunk: Buffer) => {
			hash.update(chunk);
			size += chunk.length;
		});
		try {
			await pipeline(source, createWriteStream(partial, {mode: 0o600}));
			const digest = `sha256:${hash.digest('hex')}`;
			check?.(digest, size);
			await rename(partial, this.path(digest));
			return {digest, size};
		} finally {
			await rm(partial, {force: true});
		}
	}

	remove(digest: string): void {
		rmSync(this.path(digest), {force: true});
	}

	/** Removes every blob not in `keep`; returns the bytes freed. */
	collect(keep: Set<string>): number {
		let freed = 0;
		for (const entry of readdirSync(path.join(this.directory, 'sha256'))) {
			if (keep.has(`sha256:${entry}`)) continue;
			const file = path.join(this.directory, 'sha256', entry);
			freed += statSync(file).size;
			rmSync(file, {force: true});
		}

		return freed;
	}
}
