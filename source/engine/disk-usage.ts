// Bytes under a directory, as dockerd counts them for `docker system df` and prune: the sizes of
// the files (links counted once), without following symbolic links or leaving the tree.
import {lstat, readdir} from 'node:fs/promises';
import path from 'node:path';

export async function diskUsage(directory: string): Promise<number> {
	const seen = new Set<string>();
	let total = 0;
	const walk = async (current: string): Promise<void> => {
		let entries;
		try {
			entries = await readdir(current, {withFileTypes: true});
		} catch {
			return;
		}

		for (const entry of entries) {
			const full = path.join(current, entry.name);
			if (entry.isDirectory()) {
				await walk(full);
				continue;
			}

			const stats = await lstat(full).catch(() => undefined);
			if (!stats) continue;
			if (stats.nlink > 1) {
				const key = `${stats.dev}:${stats.ino}`;
				if (seen.has(key)) continue;
				seen.add(key);
			}

			total += stats.size;
		}
	};

	await walk(directory);
	return total;
}
