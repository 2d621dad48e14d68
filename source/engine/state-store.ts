// Container records on disk, one JSON file each, written atomically: to a temporary file that
// is flushed and then renamed over the old one, so a crash mid-write leaves the old record whole.
import {closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync} from 'node:fs';
import path from 'node:path';

export function writeJsonAtomically(file: string, value: unknown): void {
	mkdirSync(path.dirname(file), {recursive: true, mode: 0o700});
	const temporary = `${file}.${process.pid}.tmp`;
	// Serialised first: a value that cannot be written (too deep) leaves no file behind.
	const text = JSON.stringify(value);
	const descriptor = openSync(temporary, 'w', 0o600);
	try {
		writeSync(descriptor, text);
		fsyncSync(descriptor);
	} catch (error) {
		closeSync(descriptor);
		rmSync(temporary, {force: true});
		throw error;
	}

	closeSync(descriptor);
	renameSync(temporary, file);
}

export class StateStore<T extends {Id: string}> {
	constructor(private readonly directory: string) {}

	private file(id: string): string {
		return path.join(this.directory, id, 'config.json');
	}

	directoryOf(id: string): string {
		return path.join(this.directory, id);
	}

	save(record: T): void {
		writeJsonAtomically(this.file(record.Id), record);
	}

	/** Every record that can be read; a record that cannot is reported and skipped, never deleted. */
	loadAll(report: (message: string) => void): T[] {
		let entries: string[];
		try {
			entries = readdirSync(this.directory);
		} catch {
			return [];
		}

		const records: T[] = [];
		for (const id of entries) {
			// A directory left by a kill during create or remove has no record: cleaned up by the caller, not reported at every start.
			if (!existsSync(this.file(id))) continue;
			try {
				records.push(JSON.parse(readFileSync(this.file(id), 'utf8')) as T);
			} catch (error) {
				report(`container ${id}: record not read (${(error as Error).message}); left on disk`);
			}
		}

		return records;
	}

	/** The ids of every container directory, with a record or not. */
	ids(): string[] {
		try {
			return readdirSync(this.directory, {withFileTypes: true}).filter(entry => entry.isDirectory()).map(entry => entry.name);
		} catch {
			return [];
		}
	}

	remove(id: string): void {
		rmSync(this.directoryOf(id), {recursive: true, force: true});
	}
}
