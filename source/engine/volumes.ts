// Named volumes: directories the engine keeps under its state, mounted into containers by name
// (-v NAME:/path). Made on first use, as dockerd's local driver makes them.
import {existsSync, mkdirSync, readdirSync, readFileSync, rmSync} from 'node:fs';
import path from 'node:path';
import {badRequest, conflict, notFound} from './errors.ts';
import {validName} from './ids.ts';
import type {EventLog} from './events.ts';
import {writeJsonAtomically} from './state-store.ts';

export type Volume = {Name: string; Driver: 'local'; Mountpoint: string; CreatedAt: string; Labels: Record<string, string>; Scope: 'local'; Options: null};

export class Volumes {
	private readonly volumes = new Map<string, Volume>();

	constructor(
		private readonly directory: string,
		private readonly events?: EventLog,
	) {
		if (!existsSync(directory)) return;
		for (const name of readdirSync(directory)) {
			try {
				this.volumes.set(name, JSON.parse(readFileSync(path.join(directory, name, 'volume.json'), 'utf8')) as Volume);
			} catch {
				// Not a volume this engine made.
			}
		}
	}

	list(): Volume[] {
		return [...this.volumes.values()];
	}

	get(name: string): Volume {
		const volume = this.volumes.get(name);
		if (!volume) throw notFound(`get ${name}: no such volume`);
		return volume;
	}

	/** Creates the volume, or returns it when it exists (as dockerd does). */
	create(name: string, labels: Record<string, string> = {}): Volume {
		if (!validName.test(name)) throw badRequest(`create ${name}: "${name}" includes invalid characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed`);
		// A name is a directory's name: the file system's limit is 255 bytes.
		if (Buffer.byteLength(name) > 255) throw badRequest(`create ${name.slice(0, 40)}…: a volume name is at most 255 characters`);
		const existing = this.volumes.get(name);
		if (existing) return existing;
		const mountpoint = path.join(this.directory, name, '_data');
		mkdirSync(mountpoint, {recursive: true, mode: 0o755});
		const volume: Volume = {Name: name, Driver: 'local', Mountpoint: mountpoint, CreatedAt: new Date().toISOString(), Labels: labels, Scope: 'local', Options: null};
		writeJsonAtomically(path.join(this.directory, name, 'volume.json'), volume);
		this.volumes.set(name, volume);
		this.events?.publish('volume', 'create', name, {driver: 'local'});
		return volume;
	}

	remove(name: string, users: string[]): void {
		this.get(name);
		if (users.length > 0) throw conflict(`remove ${name}: volume is in use - [${users.join(', ')}]`);
		this.volumes.delete(name);
		rmSync(path.join(this.directory, name), {recursive: true, force: true});
		this.events?.publish('volume', 'destroy', name, {driver: 'local'});
	}
}
