// `berth logs`: docker logs' output and flags, for one container or several merged in time order
// (named, a compose project with -p, or a label), and with -f a follow that outlives restarts and
// takes in new containers that match. Loads the client layer only, never the TUI.
import type {HostFlags} from '../client/endpoint.ts';
import {parseArgs} from 'node:util';
import type Docker from 'dockerode';
import {daemonMessage, isConnectionError, statusCode} from '../client/errors.ts';
import {readEvents} from '../client/event-stream.ts';
import {apiTime, compareTimes, type LogEntry, type LogFailure, type LogSource, readLog} from '../client/log-source.ts';
import {mergeByTime, namePrefix, prefixColour, ResumePoint, smartCaseRegExp, wantColour} from '../state/log-output.ts';
import {parseTimeSpec} from '../state/time-spec.ts';
import {openEngine} from './open-engine.ts';

class UsageError extends Error {}

export const logsUsage = `Usage: berth logs [OPTIONS] CONTAINER...
       berth logs [OPTIONS] -p PROJECT | --label KEY=VALUE

Print containers' logs; several are merged in time order with their names.

Options:
  -f, --follow         keep printing new lines, across restarts, and from new
                       containers that match -p or --label
  -n, --tail N         lines from the end of each log (default: all)
      --since TIME     lines since TIME (10m, 1h30m, 2026-11-24T10:00:00Z, a date,
                       or seconds since the epoch)
      --until TIME     lines before TIME
  -t, --timestamps     show each line's time
      --grep REGEX     only lines that match (smart case: all lower case
                       matches either case)
  -p, --project NAME   every container of a compose project
      --label K=V      every container with this label (repeatable)
      --no-color       no colours (also when NO_COLOR is set or output is not
                       a terminal)`;

type Options = {
	follow: boolean;
	tail?: number;
	since?: string;
	until?: string;
	timestamps: boolean;
	grep?: RegExp;
	colour: boolean;
	names: string[];
	labels: string[];
};

export function parseLogsArgs(args: string[], environment: NodeJS.ProcessEnv = process.env, isTerminal = Boolean(process.stdout.isTTY)): Options | 'help' {
	let parsed;
	try {
		parsed = parseArgs({
			args,
			allowPositionals: true,
			strict: true,
			options: {
				follow: {type: 'boolean', short: 'f'},
				tail: {type: 'string', short: 'n'},
				since: {type: 'string'},
				until: {type: 'string'},
				timestamps: {type: 'boolean', short: 't'},
				grep: {type: 'string'},
				project: {type: 'string', short: 'p'},
				label: {type: 'string', multiple: true},
				'no-color': {type: 'boolean'},
				details: {type: 'boolean'},
				help: {type: 'boolean', short: 'h'},
			},
		});
	} catch (error) {
		const message = (error as Error).message;
		const unknown = /Unknown option '([^']+)'/.exec(message);
		const missing = /Option '(?:-\w, )?(--[\w-]+)/.exec(message);
		throw new UsageError(unknown ? `unknown option ${unknown[1]}` : missing && /argument missing/.test(message) ? `option ${missing[1]} needs a value` : message.split('\n')[0]);
	}

	const {values, positionals} = parsed;
	if (values.help) return 'help';
	const labels = [...(values.label ?? [])];
	for (const label of labels) if (!/^[^=]+(=.*)?$/.test(label)) throw new UsageError(`invalid label "${label}": use KEY or KEY=VALUE`);
	if (values.project !== undefined) {
		if (!values.project) throw new UsageError('option --project needs a name');
		labels.push(`com.docker.compose.project=${values.project}`);
	}

	if (positionals.length === 0 && labels.length === 0) throw new UsageError('name at least one container, or a project (-p) or label (--label)');
	if (positionals.length > 0 && labels.length > 0) throw new UsageError('name containers, or select them with -p or --label, not both');
	let tail: number | undefined;
	if (values.tail !== undefined && values.tail !== 'all') {
		if (!/^-?\d+$/.test(values.tail)) throw new UsageError(`invalid --tail "${values.tail}": use a number of lines or "all"`);
		tail = Number(values.tail) < 0 ? undefined : Number(values.tail);
	}

	const time = (value: string | undefined) => {
		if (value === undefined) return undefined;
		const parsedTime = parseTimeSpec(value);
		if (parsedTime instanceof Error) throw new UsageError(parsedTime.message);
		return parsedTime;
	};

	let grep: RegExp | undefined;
	if (values.grep !== undefined) {
		const compiled = smartCaseRegExp(values.grep);
		if (compiled instanceof Error) throw new UsageError(compiled.message);
		grep = compiled;
	}

	return {
		follow: Boolean(values.follow),
		tail,
		since: time(values.since),
		until: time(values.until),
		timestamps: Boolean(values.timestamps),
		grep,
		colour: wantColour(isTerminal, environment, Boolean(values['no-color'])),
		names: positionals,
		labels,
	};
}

type Target = {
	id: string;
	name: string;
	tty?: boolean;
	colour?: number;
	/** The name it was asked for by, to follow a container re-created under the same name. */
	askedAs?: string;
	resume: ResumePoint;
	source?: LogSource;
};

/** Output with back-pressure: sources pause while the terminal or pipe catches up. */
class Output {
	private waiting = false;
	readonly sources = new Set<LogSource>();

	write(stdout: Buffer[], stderr: Buffer[]): void {
		const full: NodeJS.WriteStream[] = [];
		for (const [stream, buffers] of [[process.stdout, stdout], [process.stderr, stderr]] as const) {
			if (buffers.length > 0 && !stream.write(buffers.length === 1 ? buffers[0]! : Buffer.concat(buffers))) full.push(stream);
		}

		if (full.length === 0 || this.waiting) return;
		this.waiting = true;
		for (const source of this.sources) source.pause();
		// Reading goes on once every stream that filled up has drained.
		let left = full.length;
		for (const stream of full) {
			stream.once('drain', () => {
				if (--left > 0) return;
				this.waiting = false;
				for (const source of this.sources) source.resume();
			});
		}
	}
}

export async function runLogsCommand(args: string[], host: HostFlags): Promise<number> {
	let options: Options | 'help';
	try {
		options = parseLogsArgs(args);
	} catch (error) {
		if (!(error instanceof UsageError)) throw error;
		process.stderr.write(`berth logs: ${error.message}\nRun 'berth logs --help' for usage.\n`);
		return 2;
	}

	if (options === 'help') {
		process.stdout.write(`${logsUsage}\n`);
		return 0;
	}

	// A reader that has gone (`| head`) ends berth quietly, as it ends the docker CLI.
	for (const stream of [process.stdout, process.stderr]) {
		stream.on('error', (error: NodeJS.ErrnoException) => {
			if (error.code === 'EPIPE') process.exit(0);
			throw error;
		});
	}

	const engine = await openEngine(host, {negotiate: false});
	if (!engine) return 1;
	try {
		return await new LogsRun(engine.docker, options, engine.endpoint.url).run();
	} catch (error) {
		const lost = error instanceof LogsError ? error.failure.connection : isConnectionError(error);
		const message = error instanceof LogsError ? error.message : daemonMessage(error);
		process.stderr.write(lost ? `berth logs: cannot reach the engine at ${engine.endpoint.url}: ${message}\n` : `Error response from daemon: ${message}\n`);
		return 1;
	}
}

class LogsRun {
	private readonly targets = new Map<string, Target>();
	private readonly output = new Output();
	private width = 0;
	private nextColour = 0;
	private finish: (code: number) => void = () => undefined;
	private readonly finished = new Promise<number>(resolve => {
		this.finish = resolve;
	});

	private readonly prefixed: boolean;
	/** Where a follow with nothing printed yet starts: lines older than berth's start are not new. */
	private readonly startedAt = `${Date.now() / 1000}`;

	constructor(
		private readonly docker: Docker,
		private readonly options: Options,
		private readonly url: string,
	) {
		this.prefixed = options.names.length !== 1;
	}

	async run(): Promise<number> {
		const {options} = this;
		if (options.names.length === 1) {
			// One container: its stream is asked for at once and goes straight out; what it is (its
			// id, for following it across restarts) is learnt meanwhile.
			const [name] = options.names as [string];
			const target = this.add(name, name, undefined, name);
			this.follow(target, true);
			if (options.follow) {
				void this.docker
					.getContainer(name)
					.inspect()
					.then(info => {
						this.targets.delete(target.id);
						target.id = info.Id;
						target.tty = Boolean(info.Config.Tty);
						this.targets.set(target.id, target);
						this.watchEvents();
					})
					.catch(() => undefined);
			}

			return this.finished;
		}

		if (options.names.length > 0) {
			for (const name of options.names) {
				try {
					const info = await this.docker.getContainer(name).inspect();
					this.add(info.Id, info.Name.replace(/^\//, ''), Boolean(info.Config.Tty), name);
				} catch (error) {
					if (statusCode(error) === 404) {
						process.stderr.write(`Error response from daemon: No such container: ${name}\n`);
						return 1;
					}

					throw error;
				}
			}
		} else {
			const found = await this.docker.listContainers({all: true, filters: {label: options.labels}});
			// Oldest first, so that colours stay put from one run to the next.
			found.sort((a, b) => a.Created - b.Created);
			for (const info of found) this.add(info.Id, (info.Names[0] ?? info.Id).replace(/^\//, ''), false);
			// A list has no Tty: read it where it matters.
			await Promise.all([...this.targets.values()].map(async target => {
				target.tty = Boolean((await this.docker.getContainer(target.id).inspect()).Config.Tty);
			}));
			if (this.targets.size === 0 && !options.follow) {
				process.stderr.write(`berth logs: no containers with ${options.labels.join(', ')}\n`);
				return 1;
			}
		}

		await this.printMerged();
		if (!options.follow) return 0;
		for (const target of this.targets.values()) await this.followIfRunning(target);
		this.watchEvents();
		return this.finished;
	}

	private add(id: string, name: string, tty: boolean | undefined, askedAs?: string): Target {
		const target: Target = {id, name, tty, askedAs, resume: new ResumePoint(compareTimes), colour: this.options.colour ? prefixColour(this.nextColour++) : undefined};
		this.targets.set(id, target);
		this.width = Math.max(this.width, name.length);
		return target;
	}

	private format(target: Target, entries: LogEntry[]): {stdout: Buffer[]; stderr: Buffer[]} {
		const stdout: Buffer[] = [];
		const stderr: Buffer[] = [];
		const {grep, timestamps} = this.options;
		const prefix = this.prefixed ? Buffer.from(namePrefix(target.name, this.width, target.colour)) : undefined;
		for (const entry of entries) {
			if (target.resume.seen(entry.time)) continue;
			target.resume.printed(entry.time);
			if (grep && !grep.test(entry.body.toString('utf8').replace(/\r?\n$/, ''))) continue;
			const out = entry.stream === 'stderr' ? stderr : stdout;
			if (prefix) out.push(prefix);
			if (timestamps && entry.time) out.push(Buffer.from(`${entry.time} `));
			out.push(entry.body);
		}

		return {stdout, stderr};
	}

	/** The first part, every container's lines merged in time order. */
	private async printMerged(): Promise<void> {
		const {options} = this;
		const targets = [...this.targets.values()];
		const histories = await Promise.all(
			targets.map(
				target =>
					new Promise<Array<LogEntry & {target: Target}>>((resolve, reject) => {
						const entries: Array<LogEntry & {target: Target}> = [];
						readLog(this.docker, target.id, {follow: false, tail: options.tail, since: options.since, until: options.until, tty: target.tty}, {
							onEntries: batch => {
								for (const entry of batch) entries.push({...entry, target});
							},
							// A container removed meanwhile has nothing more to say.
							onEnd: failure => (failure && failure.status !== 404 ? reject(new LogsError(failure)) : resolve(entries)),
						});
					}),
			),
		);
		const merged = mergeByTime(histories, compareTimes);
		// Written in runs of lines of one container, to keep the writes few.
		for (let start = 0; start < merged.length; ) {
			const target = merged[start]!.target;
			let end = start;
			while (end < merged.length && merged[end]!.target === target) end++;
			const {stdout, stderr} = this.format(target, merged.slice(start, end));
			this.output.write(stdout, stderr);
			start = end;
		}
	}

	private async followIfRunning(target: Target): Promise<void> {
		try {
			const info = await this.docker.getContainer(target.id).inspect();
			if (info.State.Running || info.State.Restarting) this.follow(target, false);
		} catch (error) {
			if (statusCode(error) !== 404) throw error;
		}
	}

	/** Follows one container's stream; `first` asks for the user's tail and since, later ones resume. */
	private follow(target: Target, first: boolean): void {
		if (target.source) return;
		const {options} = this;
		const resumeAt = target.resume.time;
		if (resumeAt) target.resume.resume();
		const since = resumeAt ? apiTime(resumeAt) : first ? options.since : options.since ?? this.startedAt;
		const source = readLog(
			this.docker,
			target.id,
			// Times are needed to resume a follow or to show them; without, the daemon's bytes pass as they are.
			{follow: options.follow, tail: first ? options.tail : resumeAt ? 50_000 : undefined, since, until: options.until, tty: target.tty, timestamps: options.follow || options.timestamps || this.prefixed},
			{
				onEntries: entries => {
					const {stdout, stderr} = this.format(target, entries);
					this.output.write(stdout, stderr);
				},
				onEnd: failure => {
					this.output.sources.delete(source);
					target.source = undefined;
					if (failure?.status === 404) {
						if (first) {
							process.stderr.write(`Error response from daemon: No such container: ${target.askedAs ?? target.name}\n`);
							this.finish(1);
						} else this.forget(target);
						return;
					}

					if (failure) {
						process.stderr.write(`${this.describe(failure, first)}\n`);
						this.finish(1);
						return;
					}

					if (!options.follow) {
						this.finish(0);
						return;
					}

					// Stopped, or restarted before its stream ended: read on if it runs again.
					void this.followIfRunning(target).catch(error => {
						process.stderr.write(`berth logs: lost the engine at ${this.url}: ${daemonMessage(error)}\n`);
						this.finish(1);
					});
				},
			},
		);
		target.source = source;
		this.output.sources.add(source);
	}

	private describe(failure: LogFailure, first: boolean): string {
		if (!failure.connection) return `Error response from daemon: ${failure.message}`;
		return first ? `berth logs: cannot connect to the engine at ${this.url}: ${failure.message}` : `berth logs: lost the engine at ${this.url}: ${failure.message}`;
	}

	private forget(target: Target): void {
		target.source?.stop();
		this.targets.delete(target.id);
		// Named containers all gone: nothing is left to follow, unless one comes back under its
		// name at once (a re-creation, as compose does it).
		if (this.options.names.length > 0 && this.targets.size === 0) {
			setTimeout(() => {
				if (this.targets.size === 0) this.finish(0);
			}, 2000).unref();
		}
	}

	private watchEvents(): void {
		this.docker.getEvents({filters: {type: ['container'], event: ['start', 'destroy']}}, (error, stream) => {
			if (error || !stream) {
				process.stderr.write(`berth logs: cannot watch for restarts: ${daemonMessage(error)}\n`);
				this.finish(1);
				return;
			}

			readEvents(stream, event => this.onEvent(event.Action ?? event.status ?? '', event.Actor?.ID ?? event.id ?? '', event.Actor?.Attributes ?? {}));
			const lost = () => {
				process.stderr.write(`berth logs: lost the engine at ${this.url}\n`);
				this.finish(1);
			};

			stream.on('end', lost);
			stream.on('error', lost);
		});
	}

	private onEvent(action: string, id: string, attributes: Record<string, string>): void {
		const known = this.targets.get(id);
		if (action === 'destroy') {
			if (known) this.forget(known);
			return;
		}

		if (action !== 'start') return;
		if (known) {
			this.follow(known, false);
			return;
		}

		const name = attributes.name ?? id.slice(0, 12);
		const matches =
			this.options.names.length > 0
				? this.options.names.includes(name)
				: this.options.labels.every(label => {
						const [key, ...rest] = label.split('=');
						return rest.length === 0 ? key! in attributes : attributes[key!] === rest.join('=');
					});
		if (!matches) return;
		// A new container (or one re-created under a name asked for): all its lines are new.
		void this.docker
			.getContainer(id)
			.inspect()
			.then(info => {
				if (this.targets.has(id)) return;
				const target = this.add(id, name, Boolean(info.Config.Tty), name);
				this.follow(target, false);
			})
			.catch(() => undefined);
	}
}

/** A read that failed, as the run's caller reports it. */
class LogsError extends Error {
	constructor(readonly failure: LogFailure) {
		super(failure.message);
	}
}
