// The log viewer's source: several containers' logs as one stream in time order. First the end of
// each log, merged; then each running container followed from where its lines left off (nothing
// twice). A container that stops and runs again is read again when the viewer asks; older lines
// can be fetched again once the viewer has dropped them.
import type Docker from 'dockerode';
import {mergeByTime, ResumePoint} from '../state/log-output.ts';
import {apiTime, compareTimes, type LogEntry, type LogSource, readLog} from './log-source.ts';

export type LogTarget = {id: string; name: string; tty?: boolean};
export type SourcedEntry = LogEntry & {source: number};

export type MergedLogsHandlers = {
	onEntries(entries: SourcedEntry[]): void;
	onError(message: string): void;
};

/** Marks an entry (read here, so ours to change) with the container it came from. */
function withSource(entry: LogEntry, source: number): SourcedEntry {
	(entry as SourcedEntry).source = source;
	return entry as SourcedEntry;
}

export class MergedLogs {
	private readonly sources = new Map<number, LogSource>();
	/** Reads of stopped containers' logs, closed with the rest. */
	private readonly finite = new Set<LogSource>();
	private readonly points: ResumePoint[];
	private closed = false;
	private readonly startedAt = `${Date.now() / 1000}`;

	constructor(
		private readonly docker: Docker,
		private readonly targets: LogTarget[],
		private readonly handlers: MergedLogsHandlers,
	) {
		this.points = targets.map(() => new ResumePoint(compareTimes));
	}

	/**
	 * The last `tail` lines of each log, merged, then what comes. One request a container, which
	 * the daemon answers from the end of its file (asking for "since" instead makes dockerd read
	 * a whole log of any size first): lines older than the request are the part to merge; a
	 * stream's part is complete at its first newer line, when it ends, or when it pauses.
	 */
	async start(tail: number, running: boolean[]): Promise<void> {
		const requestedAt = new Date().toISOString();
		const count = this.targets.length;
		const history: SourcedEntry[][] = this.targets.map(() => []);
		const settled: boolean[] = this.targets.map(() => false);
		const lastData: number[] = this.targets.map(() => 0);
		let live: SourcedEntry[] | undefined = [];
		const opened = Date.now();
		let release: () => void = () => undefined;
		const done = new Promise<void>(resolve => {
			release = resolve;
		});
		const check = () => {
			if (!live) return;
			const now = Date.now();
			for (let index = 0; index < count; index++) {
				if (!settled[index] && ((lastData[index]! > 0 && now - lastData[index]! > 150) || now - opened > 1500)) settled[index] = true;
			}

			if (!settled.every(Boolean)) return;
			clearInterval(timer);
			const merged = mergeByTime(history, compareTimes);
			const queued = live;
			live = undefined;
			for (const entry of merged) this.points[entry.source]!.printed(entry.time);
			for (const entry of queued) this.points[entry.source]!.printed(entry.time);
			const all = [...merged, ...queued];
			if (all.length > 0) this.handlers.onEntries(all);
			release();
		};

		const timer = setInterval(check, 50);
		for (let index = 0; index < count; index++) {
			const target = this.targets[index]!;
			const source = readLog(this.docker, target.id, {follow: running[index] ?? false, tail, tty: target.tty}, {
				onEntries: entries => {
					lastData[index] = Date.now();
					const fresh: SourcedEntry[] = [];
					for (const entry of entries) {
						const sourced = withSource(entry, index);
						if (live && !settled[index] && entry.time && entry.time <= requestedAt) history[index]!.push(sourced);
						else {
							settled[index] = true;
							if (live) live.push(sourced);
							else fresh.push(sourced);
						}
					}

					for (const entry of fresh) this.points[index]!.printed(entry.time);
					if (fresh.length > 0) this.handlers.onEntries(fresh);
				},
				onEnd: failure => {
					settled[index] = true;
					this.sources.delete(index);
					if (failure && !this.closed) this.handlers.onError(`${target.name}: ${failure.message}`);
					check();
				},
			});
			if (running[index]) this.sources.set(index, source);
			else this.finite.add(source);
		}

		await done;
	}

	/** Follows a container again (it runs again); does nothing while it is followed. */
	follow(index: number): void {
		const target = this.targets[index];
		const point = this.points[index];
		if (this.closed || !target || !point || this.sources.has(index)) return;
		if (point.time) point.resume();
		const since = point.time ? apiTime(point.time) : this.startedAt;
		// With a tail, dockerd reads from the end of the file instead of all of it.
		const source = readLog(this.docker, target.id, {follow: true, since, tail: 10_000, tty: target.tty}, {
			onEntries: entries => {
				const fresh: SourcedEntry[] = [];
				for (const entry of entries) {
					if (point.seen(entry.time)) continue;
					point.printed(entry.time);
					fresh.push(withSource(entry, index));
				}

				if (fresh.length > 0) this.handlers.onEntries(fresh);
			},
			onEnd: failure => {
				this.sources.delete(index);
				if (failure && !this.closed) this.handlers.onError(`${target.name}: ${failure.message}`);
			},
		});
		this.sources.set(index, source);
	}

	/** Up to `count` lines of each log from before `until` (an RFC 3339 time), merged. */
	async older(until: string, count: number): Promise<SourcedEntry[]> {
		const untilApi = apiTime(until);
		if (!untilApi) return [];
		const lists = await Promise.all(this.targets.map((_, index) => this.read(index, {tail: count, until: untilApi})));
		// `until` includes its own second's lines: keep only what is strictly older.
		return mergeByTime(lists, compareTimes).filter(entry => compareTimes(entry.time, until) < 0);
	}

	close(): void {
		this.closed = true;
		for (const source of [...this.sources.values(), ...this.finite]) source.stop();
		this.sources.clear();
	}

	private read(index: number, request: {tail?: number; until?: string}): Promise<SourcedEntry[]> {
		const target = this.targets[index]!;
		return new Promise(resolve => {
			const entries: SourcedEntry[] = [];
			readLog(this.docker, target.id, {follow: false, tty: target.tty, ...request}, {
				onEntries: batch => {
					for (const entry of batch) entries.push(withSource(entry, index));
				},
				onEnd: failure => {
					if (failure && !this.closed) this.handlers.onError(`${target.name}: ${failure.message}`);
					resolve(entries);
				},
			});
		});
	}
}
