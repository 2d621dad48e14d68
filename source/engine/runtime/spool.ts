// A container's stdout and stderr reach the engine through spools: files its output relay
// appends to, where the output stays until the engine has put it in the log, whatever happens to
// the engine meanwhile. (Read straight from a pipe, each byte went to one read: an engine killed
// between that read and its write to the log lost it.) The engine reads a spool from the offset
// its log says it has reached, so after a crash it reads again what it had not logged; it is
// woken by inotify when the relay writes, and frees what it has logged by punching holes in the
// file, which keeps its size (the relay's O_APPEND writes are unaffected) but not its blocks.
import {execFile} from 'node:child_process';
import {closeSync, type FSWatcher, fstatSync, openSync, readSync, watch} from 'node:fs';
import {EventEmitter} from 'node:events';

/** At most this much is read before the event loop gets a turn: a flood does not starve it. */
const readPerTurn = 1024 * 1024;
/** Logged output is freed once this much has gathered: one `fallocate` per 8 MiB of output. */
const punchEvery = 8 * 1024 * 1024;
/** How far apart reads of a spool that keeps being written are. */
const batchMs = 5;

/** One buffer for every spool's reads: they are synchronous, and each chunk is copied out of it. */
const readBuffer = Buffer.alloc(65_536);

/** A spool read from an offset on; 'data' gives each chunk as it is read. */
export class SpoolReader extends EventEmitter {
	private fd: number | undefined;
	private position = 0;
	private watcher: FSWatcher | undefined;
	private scheduled = false;
	/** Whether the last turn found output. */
	private busy = false;
	private punched = 0;
	private punching = false;
	private closed = false;

	constructor(readonly file: string) {
		super();
	}

	/** Opens the spool to read at `from` (what the log has already); reads nothing yet. */
	open(from: number): boolean {
		if (this.closed) return false;
		if (this.fd !== undefined) return true;
		try {
			this.fd = openSync(this.file, 'r');
		} catch {
			return false;
		}

		// A spool shorter than that was made anew: it is read from its start.
		this.position = from <= fstatSync(this.fd).size ? from : 0;
		this.punched = this.position;
		return true;
	}

	/** Reads from `from` on, now and whenever the container writes. */
	start(from: number): void {
		if (this.watcher || !this.open(from)) return;
		try {
			this.watcher = watch(this.file, {persistent: false}, () => this.schedule());
			this.watcher.on('error', () => undefined);
		} catch {
			// Out of inotify watches: read on a timer instead.
			const timer = setInterval(() => this.schedule(), 250);
			timer.unref();
			this.once('closed', () => clearInterval(timer));
		}

		this.schedule();
	}

	/** Reads all there is now, at once (the container has exited: this is its last output). */
	drain(): void {
		while (this.readTurn());
	}

	/**
	 * The log has everything before `offset`: its blocks may go. Done now and then, in the
	 * background; a file system that cannot punch holes keeps them until the next start.
	 */
	logged(offset: number): void {
		if (this.punching || offset - this.punched < punchEvery) return;
		this.punching = true;
		const from = this.punched;
		execFile('fallocate', ['--punch-hole', '--offset', String(from), '--length', String(offset - from), this.file], error => {
			this.punching = false;
			if (!error) this.punched = offset;
			else this.punched = Number.POSITIVE_INFINITY;
		});
	}

	close(): void {
		this.closed = true;
		this.watcher?.close();
		this.emit('closed');
		if (this.fd !== undefined) closeSync(this.fd);
		this.fd = undefined;
	}

	private schedule(): void {
		if (this.scheduled || this.closed) return;
		this.scheduled = true;
		const turn = () => {
			this.scheduled = false;
			const before = this.position;
			const more = this.readTurn();
			this.busy = this.position !== before;
			if (more) this.schedule();
		};

		// Output that comes steadily is read in batches, a few milliseconds apart, not a line a
		// wake-up; the first after a quiet spell is read at once.
		if (this.busy) setTimeout(turn, batchMs);
		else setImmediate(turn);
	}

	/** One turn of reading; true when there may be more. */
	private readTurn(): boolean {
		if (this.fd === undefined) return false;
		let total = 0;
		while (total < readPerTurn) {
			let read = 0;
			try {
				read = readSync(this.fd, readBuffer, 0, readBuffer.length, this.position);
			} catch {
				return false;
			}

			if (read <= 0) {
				// Made anew under the reader (a new run): read from its start.
				if (fstatSync(this.fd).size >= this.position) return false;
				this.position = 0;
				this.punched = 0;
				continue;
			}

			this.position += read;
			total += read;
			this.emit('data', Buffer.from(readBuffer.subarray(0, read)));
		}

		return true;
	}
}
