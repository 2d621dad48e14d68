// The one log pipeline: the history of one container or several merged in time order, then each
// followed as it runs, read again when it runs again (after a restart, or once a lost connection
// is back) from where its lines left off, so that nothing shows twice or goes missing; new
// containers that match join it. `berth logs`, the log view and the Logs tab are its consumers,
// each with a sink of its own.
//
// With several containers the history is read first, one request each, and merged once all have
// answered; then each is followed from its last line. One container alone is read in one request
// (history and follow together), so that its first line comes as soon as the engine sends it.
import type Docker from 'dockerode';
import {mergeByTime, ResumePoint} from '../../state/log-output.ts';
import {statusCode} from '../errors.ts';
import type {EngineEvent, EventSource} from '../event-stream.ts';
import {eventAction, eventActor, eventType} from '../event-stream.ts';
import {apiTime, compareTimes, type LogEntry, type LogFailure, type LogRequest, type LogSource, readLog} from './log-source.ts';

export type LogTarget = {
	/** The container's id, or the name it was asked for by until its id is known. */
	id: string;
	name: string;
	tty?: boolean;
	/** The name it was asked for by: a container re-created under it is the same log to a person. */
	askedAs?: string;
};

export type PipelineEntry = LogEntry & {source: number};

export type PipelineOptions = {
	follow: boolean;
	/** Lines from the end of each log (all when undefined). */
	tail?: number;
	/** The API's "seconds.nanoseconds". */
	since?: string;
	until?: string;
	/** Whether entries need their times when only one container is read without following (merging and resuming always do). */
	timestamps?: boolean;
	/** After a lost connection: try again and resume (a screen), or report it and stop (berth logs). */
	reconnect?: boolean;
	/** Whether a container that starts, and is not one of the targets yet, joins them. */
	joins?(event: EngineEvent): boolean;
};

export type PipelineSink = {
	/** Entries in time order, a batch at a time. */
	entries(batch: PipelineEntry[]): void;
	/** A target was added (a new container that matched) at this index. */
	added?(target: LogTarget, index: number): void;
	/** A target's container was removed. */
	gone?(target: LogTarget, index: number): void;
	/** A read failed: the engine refused it, or the connection went (and is not retried); `first` when it was the target's first read. */
	failed(failure: LogFailure, target: LogTarget, index: number, first: boolean): void;
	/** A read without following is complete. */
	finished?(): void;
	/** The connection went and the pipeline is trying again, or it is back. */
	reconnecting?(lost: boolean): void;
};

/** What the pipeline needs of the engine: its log reads and a look at a container. */
export type LogAccess = {
	read(id: string, request: LogRequest, handlers: {onEntries(entries: LogEntry[]): void; onEnd(failure?: LogFailure): void}): LogSource;
	inspect(id: string): Promise<{id: string; name: string; tty: boolean; running: boolean}>;
};

export function logAccess(docker: Docker): LogAccess {
	return {
		read: (id, request, handlers) => readLog(docker, id, request, handlers),
		async inspect(id) {
			const info = await docker.getContainer(id).inspect();
			return {id: info.Id, name: info.Name.replace(/^\//, ''), tty: Boolean(info.Config.Tty), running: Boolean(info.State.Running || info.State.Restarting)};
		},
	};
}

type Followed = {
	target: LogTarget;
	point: ResumePoint;
	source?: LogSource;
	removed: boolean;
	retryTimer?: NodeJS.Timeout;
	retries: number;
	/** Whether this target's first read (which may report it missing) is over. */
	reached: boolean;
};

/** A follow that resumes reads at most this many lines again from the end, to find its place. */
const resumeTail = 50_000;

export class LogPipeline {
	private readonly followed: Followed[] = [];
	/** Reads that end by themselves (histories, older lines), stopped too if the pipeline closes first. */
	private readonly finite = new Set<LogSource>();
	private closed = false;
	private paused = false;
	private unsubscribe?: () => void;
	/** Where a follow with nothing read yet starts: lines older than the pipeline are not new. */
	private readonly startedAt = `${Date.now() / 1000}`;

	constructor(
		private readonly access: LogAccess,
		targets: LogTarget[],
		private readonly options: PipelineOptions,
		private readonly sink: PipelineSink,
		private readonly events?: EventSource,
	) {
		for (const target of targets) this.followed.push(this.entry(target));
	}

	get targets(): LogTarget[] {
		return this.followed.map(entry => entry.target);
	}

	private entry(target: LogTarget): Followed {
		return {target, point: new ResumePoint(compareTimes), removed: false, retries: 0, reached: false};
	}

	/** Reads the history (merged), then follows; resolves once the history has been handed on. */
	async start(): Promise<void> {
		if (this.options.follow && this.events) this.unsubscribe = this.events.subscribe(event => this.onEvent(event));
		if (this.followed.length === 1) {
			this.readAlone(this.followed[0]!);
			return;
		}

		await this.readMerged();
		if (!this.options.follow) {
			if (!this.closed) this.sink.finished?.();
			return;
		}

		for (const entry of this.followed) this.follow(entry);
	}

	/** One container: history and follow in one request, entries straight through. */
	private readAlone(entry: Followed): void {
		const {options} = this;
		const timestamps = options.follow || options.timestamps !== false;
		entry.source = this.access.read(entry.target.id, {follow: options.follow, tail: options.tail, since: options.since, until: options.until, tty: entry.target.tty, timestamps}, {
			onEntries: entries => this.deliver(entry, entries),
			onEnd: failure => {
				entry.source = undefined;
				if (failure) {
					this.onFailure(entry, failure);
					return;
				}

				entry.reached = true;
				if (!options.follow) this.sink.finished?.();
				else this.afterEnd(entry);
			},
		});
		this.applyPause(entry.source);
		// Its id is learnt meanwhile, to know it in the event stream across restarts.
		if (options.follow) void this.learn(entry);
	}

	private async learn(entry: Followed): Promise<void> {
		try {
			const info = await this.access.inspect(entry.target.id);
			entry.target = {...entry.target, id: info.id, name: entry.target.name || info.name, tty: info.tty};
		} catch {
			// Missing: the read says so itself.
		}
	}

	/** Every target's history, one request each, merged once all have answered. */
	private async readMerged(): Promise<void> {
		const {options} = this;
		const histories = await Promise.all(
			this.followed.map(
				(entry, index) =>
					new Promise<PipelineEntry[]>(resolve => {
						const collected: PipelineEntry[] = [];
						const source = this.access.read(entry.target.id, {follow: false, tail: options.tail, since: options.since, until: options.until, tty: entry.target.tty}, {
							onEntries: batch => {
								for (const item of batch) collected.push(withSource(item, index));
							},
							onEnd: failure => {
								this.finite.delete(source);
								if (failure) this.onFailure(entry, failure);
								entry.reached = true;
								resolve(collected);
							},
						});
						this.finite.add(source);
						this.applyPause(source);
					}),
			),
		);
		if (this.closed) return;
		const merged = mergeByTime(histories, compareTimes);
		for (const item of merged) this.followed[item.source]!.point.printed(item.time);
		if (merged.length > 0) this.sink.entries(merged);
	}

	/** Follows one target from its last line (or from now, when nothing of it was read). */
	private follow(entry: Followed): void {
		if (this.closed || entry.removed || entry.source) return;
		clearTimeout(entry.retryTimer);
		entry.retryTimer = undefined;
		const {point} = entry;
		const resumed = Boolean(point.time);
		if (resumed) point.resume();
		// With a tail, dockerd reads from the end of its file instead of all of it.
		const request: LogRequest = resumed
			? {follow: true, since: apiTime(point.time), tail: resumeTail, until: this.options.until, tty: entry.target.tty}
			: {follow: true, since: this.options.since ?? this.startedAt, until: this.options.until, tty: entry.target.tty};
		entry.source = this.access.read(entry.target.id, request, {
			onEntries: entries => {
				// Lines again after the engine went: the notice goes.
				if (entry.retries > 0) this.sink.reconnecting?.(false);
				entry.retries = 0;
				this.deliver(entry, entries);
			},
			onEnd: failure => {
				entry.source = undefined;
				if (failure) this.onFailure(entry, failure);
				else this.afterEnd(entry);
			},
		});
		this.applyPause(entry.source);
	}

	private deliver(entry: Followed, entries: LogEntry[]): void {
		if (this.closed) return;
		entry.reached = true;
		const index = this.followed.indexOf(entry);
		const fresh: PipelineEntry[] = [];
		for (const item of entries) {
			if (entry.point.seen(item.time)) continue;
			entry.point.printed(item.time);
			fresh.push(withSource(item, index));
		}

		if (fresh.length > 0) this.sink.entries(fresh);
	}

	/** A follow ended without a failure: the container stopped, or restarted before the stream ended. */
	private afterEnd(entry: Followed): void {
		if (this.closed || entry.removed || !this.options.follow) return;
		void this.access.inspect(entry.target.id).then(
			info => {
				if (info.running) this.follow(entry);
			},
			error => {
				if (statusCode(error) === 404) this.remove(entry);
				else this.onFailure(entry, {message: (error as Error).message, connection: true});
			},
		);
	}

	private onFailure(entry: Followed, failure: LogFailure): void {
		if (this.closed) return;
		const index = this.followed.indexOf(entry);
		const first = !entry.reached;
		entry.reached = true;
		if (failure.status === 404) {
			// Missing from the start is the consumer's to report; gone later, it was removed.
			if (first) this.sink.failed(failure, entry.target, index, true);
			else this.remove(entry);
			return;
		}

		if (failure.connection && this.options.reconnect && this.options.follow) {
			// The engine went: try again with back-off, and resume where the lines left off.
			this.sink.reconnecting?.(true);
			const delay = Math.min(5000, 250 * 2 ** entry.retries);
			entry.retries++;
			entry.retryTimer = setTimeout(() => this.follow(entry), delay);
			return;
		}

		this.sink.failed(failure, entry.target, index, first);
	}

	private remove(entry: Followed): void {
		if (entry.removed) return;
		entry.removed = true;
		entry.source?.stop();
		entry.source = undefined;
		this.sink.gone?.(entry.target, this.followed.indexOf(entry));
	}

	private onEvent(event: EngineEvent): void {
		if (this.closed || eventType(event) !== 'container') return;
		const action = eventAction(event);
		const id = eventActor(event);
		const known = this.followed.find(entry => entry.target.id === id);
		if (action === 'destroy') {
			if (known) this.remove(known);
			return;
		}

		if (action !== 'start') return;
		if (known) {
			if (known.retries > 0) this.sink.reconnecting?.(false);
			known.retries = 0;
			this.follow(known);
			return;
		}

		if (!this.options.joins?.(event)) return;
		// A new container (or one re-created under a name asked for): all its lines are new.
		void this.access.inspect(id).then(
			info => {
				if (this.closed || this.followed.some(entry => entry.target.id === info.id)) return;
				const entry = this.entry({id: info.id, name: info.name, tty: info.tty, askedAs: event.Actor?.Attributes?.name});
				entry.reached = true;
				this.followed.push(entry);
				this.sink.added?.(entry.target, this.followed.length - 1);
				this.follow(entry);
			},
			() => undefined,
		);
	}

	/** Up to `count` lines of each log from before `until` (an RFC 3339 time), merged. */
	async older(until: string, count: number): Promise<PipelineEntry[]> {
		const untilApi = apiTime(until);
		if (!untilApi) return [];
		const lists = await Promise.all(
			this.followed.map(
				(entry, index) =>
					new Promise<PipelineEntry[]>(resolve => {
						const collected: PipelineEntry[] = [];
						const source = this.access.read(entry.target.id, {follow: false, tty: entry.target.tty, tail: count, until: untilApi}, {
							onEntries: batch => {
								for (const item of batch) collected.push(withSource(item, index));
							},
							onEnd: () => {
								this.finite.delete(source);
								resolve(collected);
							},
						});
						this.finite.add(source);
					}),
			),
		);
		// `until` includes its own second's lines: keep only what is strictly older.
		return mergeByTime(lists, compareTimes).filter(item => compareTimes(item.time, until) < 0);
	}

	/** Holds the reads while a slow consumer catches up. */
	pause(): void {
		this.paused = true;
		for (const source of this.sources()) source.pause();
	}

	resume(): void {
		this.paused = false;
		for (const source of this.sources()) source.resume();
	}

	private sources(): LogSource[] {
		return [...this.followed.flatMap(entry => (entry.source ? [entry.source] : [])), ...this.finite];
	}

	private applyPause(source: LogSource): void {
		if (this.paused) source.pause();
	}

	close(): void {
		this.closed = true;
		this.unsubscribe?.();
		for (const source of this.sources()) source.stop();
		this.finite.clear();
		for (const entry of this.followed) {
			clearTimeout(entry.retryTimer);
			entry.source = undefined;
		}
	}
}

/** Marks an entry (read here, so ours to change) with the target it came from. */
function withSource(entry: LogEntry, source: number): PipelineEntry {
	(entry as PipelineEntry).source = source;
	return entry as PipelineEntry;
}
