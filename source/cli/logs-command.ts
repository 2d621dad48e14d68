// `berth logs`: docker logs' output and flags, for one container or several merged in time order
// (named, a compose project with -p, or a label), and with -f a follow that outlives restarts and
// takes in new containers that match. Loads the client layer only, never the TUI.
import type {Endpoint, HostFlags} from '../client/connect/endpoint.ts';
import {parseArgs} from 'node:util';
import type Docker from 'dockerode';
import {daemonMessage, describeConnectError, isConnectionError, statusCode} from '../client/errors.ts';
import {type EngineEvent, type EventSource, readEvents} from '../client/event-stream.ts';
import {logAccess, LogPipeline, type LogTarget, type PipelineEntry} from '../client/logs/log-pipeline.ts';
import {namePrefix, prefixColour, smartCaseRegExp, wantColour} from '../state/log-output.ts';
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

/** Output with back-pressure: the pipeline pauses while the terminal or pipe catches up. */
class Output {
	private waiting = false;

	constructor(private readonly pipeline: () => LogPipeline | undefined) {}

	write(stdout: Buffer[], stderr: Buffer[]): void {
		const full: NodeJS.WriteStream[] = [];
		for (const [stream, buffers] of [[process.stdout, stdout], [process.stderr, stderr]] as const) {
			if (buffers.length > 0 && !stream.write(buffers.length === 1 ? buffers[0]! : Buffer.concat(buffers))) full.push(stream);
		}

		if (full.length === 0 || this.waiting) return;
		this.waiting = true;
		this.pipeline()?.pause();
		// Reading goes on once every stream that filled up has drained.
		let left = full.length;
		for (const stream of full) {
			stream.once('drain', () => {
				if (--left > 0) return;
				this.waiting = false;
				this.pipeline()?.resume();
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

	const connection = await openEngine(host, {negotiate: false});
	if (!connection) return 1;
	try {
		return await printLogs(connection.docker, options, connection.endpoint);
	} catch (error) {
		process.stderr.write(isConnectionError(error) ? `berth logs: cannot reach the engine at ${connection.endpoint.url}: ${daemonMessage(error)}\n` : `Error response from daemon: ${daemonMessage(error)}\n`);
		return 1;
	}
}

/** The containers asked for: by name (one is read at once, as named), or all those with the labels. */
async function chooseTargets(docker: Docker, options: Options): Promise<LogTarget[] | string> {
	if (options.names.length === 1) return [{id: options.names[0]!, name: options.names[0]!, askedAs: options.names[0]!}];
	if (options.names.length > 0) {
		const targets: LogTarget[] = [];
		for (const name of options.names) {
			try {
				const info = await docker.getContainer(name).inspect();
				targets.push({id: info.Id, name: info.Name.replace(/^\//, ''), tty: Boolean(info.Config.Tty), askedAs: name});
			} catch (error) {
				if (statusCode(error) === 404) return `Error response from daemon: No such container: ${name}`;
				throw error;
			}
		}

		return targets;
	}

	const found = await docker.listContainers({all: true, filters: {label: options.labels}});
	// Oldest first, so that colours stay put from one run to the next.
	found.sort((a, b) => a.Created - b.Created);
	// A list has no Tty: read it where it matters.
	return Promise.all(found.map(async info => ({id: info.Id, name: (info.Names[0] ?? info.Id).replace(/^\//, ''), tty: Boolean((await docker.getContainer(info.Id).inspect()).Config.Tty)})));
}

/** The engine's start and destroy events, for following restarts and new containers; its loss ends the run. */
function containerEvents(docker: Docker, onLost: () => void): EventSource {
	const handlers = new Set<(event: EngineEvent) => void>();
	docker.getEvents({filters: {type: ['container'], event: ['start', 'destroy']}}, (error, stream) => {
		if (error || !stream) {
			onLost();
			return;
		}

		readEvents(stream, event => {
			for (const handler of handlers) handler(event);
		});
		stream.on('end', onLost);
		stream.on('error', onLost);
	});
	return {
		subscribe(handler) {
			handlers.add(handler);
			return () => handlers.delete(handler);
		},
	};
}

function labelsMatch(labels: readonly string[], attributes: Record<string, string>): boolean {
	return labels.every(label => {
		const [key, ...rest] = label.split('=');
		return rest.length === 0 ? key! in attributes : attributes[key!] === rest.join('=');
	});
}

async function printLogs(docker: Docker, options: Options, endpoint: Endpoint): Promise<number> {
	const {url} = endpoint;
	const chosen = await chooseTargets(docker, options);
	if (typeof chosen === 'string') {
		process.stderr.write(`${chosen}\n`);
		return 1;
	}

	if (chosen.length === 0 && !options.follow) {
		process.stderr.write(`berth logs: no containers with ${options.labels.join(', ')}\n`);
		return 1;
	}

	let finish: (code: number) => void = () => undefined;
	const finished = new Promise<number>(resolve => {
		finish = resolve;
	});

	const prefixed = options.names.length !== 1;
	const colours: Array<number | undefined> = [];
	const names: string[] = [];
	let width = 0;
	const addTarget = (target: LogTarget, index: number) => {
		names[index] = target.name;
		colours[index] = options.colour ? prefixColour(index) : undefined;
		width = Math.max(width, target.name.length);
	};

	for (const [index, target] of chosen.entries()) addTarget(target, index);
	let alive = chosen.length;
	let pipeline: LogPipeline | undefined;
	const output = new Output(() => pipeline);
	const {grep, timestamps} = options;

	const write = (entries: PipelineEntry[]) => {
		// Written in runs of lines of one container, to keep the writes few.
		for (let start = 0; start < entries.length; ) {
			const source = entries[start]!.source;
			let end = start;
			while (end < entries.length && entries[end]!.source === source) end++;
			const stdout: Buffer[] = [];
			const stderr: Buffer[] = [];
			const prefix = prefixed ? Buffer.from(namePrefix(names[source] ?? '', width, colours[source])) : undefined;
			for (let index = start; index < end; index++) {
				const entry = entries[index]!;
				if (grep && !grep.test(entry.body.toString('utf8').replace(/\r?\n$/, ''))) continue;
				const out = entry.stream === 'stderr' ? stderr : stdout;
				if (prefix) out.push(prefix);
				if (timestamps && entry.time) out.push(Buffer.from(`${entry.time} `));
				out.push(entry.body);
			}

			output.write(stdout, stderr);
			start = end;
		}
	};

	const lost = () => {
		process.stderr.write(`berth logs: lost the engine at ${url}\n`);
		finish(1);
	};

	const events = options.follow ? containerEvents(docker, lost) : undefined;
	pipeline = new LogPipeline(
		logAccess(docker),
		chosen,
		{
			follow: options.follow,
			tail: options.tail,
			since: options.since,
			until: options.until,
			// Times are needed to merge, to resume a follow or to show them; without, the daemon's bytes pass as they are.
			timestamps: options.timestamps || prefixed,
			reconnect: false,
			joins: event => {
				const attributes = event.Actor?.Attributes ?? {};
				return options.names.length > 0 ? options.names.includes(attributes.name ?? '') : labelsMatch(options.labels, attributes);
			},
		},
		{
			entries: write,
			added(target, index) {
				addTarget(target, index);
				alive++;
			},
			gone() {
				alive--;
				// Named containers all gone: nothing is left to follow, unless one comes back under
				// its name at once (a re-creation, as compose does it).
				if (options.names.length > 0 && alive <= 0) {
					setTimeout(() => {
						if (alive <= 0) finish(0);
					}, 2000).unref();
				}
			},
			failed(failure, target, _index, first) {
				if (failure.status === 404) {
					// One of several removed meanwhile has nothing more to say; one asked for by name is an error.
					if (options.names.length !== 1) return;
					process.stderr.write(`Error response from daemon: No such container: ${target.askedAs ?? target.name}\n`);
				} else if (failure.connection) {
					// The same sentence as every berth command gives for an engine it cannot reach.
					process.stderr.write(first ? `berth logs: ${describeConnectError(failure.cause, endpoint)}\n` : `berth logs: lost the engine at ${url}: ${failure.message}\n`);
				} else {
					process.stderr.write(`Error response from daemon: ${failure.message}\n`);
				}

				finish(1);
			},
			finished: () => finish(0),
		},
		events,
	);
	await pipeline.start();
	return finished;
}
