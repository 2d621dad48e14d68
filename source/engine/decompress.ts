// A layer as it comes (a registry blob, a tarball's member) made a plain tar stream: gzip is
// undone by zlib, zstd by the `zstd` program (Node 20's zlib has no zstd), anything else passes.
import {spawn} from 'node:child_process';
import {PassThrough, type Readable} from 'node:stream';
import {createGunzip} from 'node:zlib';

export type Compression = 'gzip' | 'zstd' | 'none';

export function compressionOf(head: Buffer): Compression {
	if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
	if (head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return 'zstd';
	return 'none';
}

function zstdDecoder(): {input: NodeJS.WritableStream; output: Readable; failed: Promise<Error>} {
	const child = spawn('zstd', ['-d', '-c', '-q'], {stdio: ['pipe', 'pipe', 'pipe']});
	let stderr = '';
	child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
	const failed = new Promise<Error>(resolve => {
		child.on('error', error => resolve(new Error(`a zstd layer needs the zstd program: ${error.message}`)));
		child.on('close', code => {
			if (code !== 0) resolve(new Error(`zstd could not decompress the layer: ${stderr.trim() || `exit ${code}`}`));
		});
	});
	return {input: child.stdin, output: child.stdout, failed};
}

/** The uncompressed bytes of `source`, whatever of gzip, zstd or nothing it was compressed with. */
export function decompressed(source: Readable): Readable {
	const output = new PassThrough({highWaterMark: 1 << 20});
	let decided = false;
	source.once('error', error => output.destroy(error));
	source.on('data', function first(chunk: Buffer) {
		if (decided) return;
		decided = true;
		source.off('data', first);
		source.pause();
		const kind = compressionOf(chunk);
		if (kind === 'zstd') {
			const decoder = zstdDecoder();
			void decoder.failed.then(error => output.destroy(error));
			decoder.output.pipe(output);
			decoder.input.write(chunk);
			source.pipe(decoder.input as unknown as NodeJS.WritableStream);
		} else {
			const target = kind === 'gzip' ? createGunzip({chunkSize: 1 << 20}) : new PassThrough({highWaterMark: 1 << 20});
			target.on('error', error => output.destroy(error));
			target.pipe(output);
			target.write(chunk);
			source.pipe(target);
		}

		source.resume();
	});
	source.once('end', () => {
		if (!decided) output.end();
	});
	return output;
}
