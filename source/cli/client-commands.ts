// `berth run`, `berth pull`, `berth push`, `berth load`, `berth import`: small client commands for people without a docker
// CLI, with the docker CLI's flags and output, against any engine (dockerd or berth's own).
import type {HostFlags} from '../client/connect/endpoint.ts';
import {createReadStream, existsSync} from 'node:fs';
import {parseArgs} from 'node:util';
import type Docker from 'dockerode';
import {daemonMessage, statusCode} from '../client/errors.ts';
import {FrameDecoder} from '../client/logs/log-frames.ts';
import {pullImage, pushImage} from '../client/resources/images.ts';
import {ProgressPrinter} from './progress-output.ts';
import type {ClientCommand} from './args.ts';
import {openEngine} from './open-engine.ts';
import {emptyRunOptions, type RunField, type RunOptions, toCreateRequest} from '../state/run-options.ts';
import type {PullMessage} from '../state/pull-progress.ts';

class UsageError extends Error {}

export async function runClientCommand(command: ClientCommand, args: string[], host: HostFlags): Promise<number> {
	try {
		// Flags are checked before anything connects.
		const prepared = command === 'run' ? prepareRun(args) : command === 'load' ? prepareLoad(args) : command === 'pull' ? preparePull(args) : command === 'push' ? preparePush(args) : prepareImport(args);
		const engine = await openEngine(host);
		if (!engine) return 1;
		return await prepared(engine.docker);
	} catch (error) {
		if (error instanceof UsageError) {
			process.stderr.write(`berth ${command}: ${error.message}\nRun 'berth --help' for usage.\n`);
			return 2;
		}

		process.stderr.write(`berth ${command}: ${daemonMessage(error)}\n`);
		return statusCode(error) === 404 ? 125 : 1;
	}
}

type Action = (docker: Docker) => Promise<number>;

const runValueOptions = new Set(['e', 'env', 'v', 'volume', 'p', 'publish', 'name', 'w', 'workdir', 'u', 'user', 'm', 'memory', 'cpus', 'pids-limit', 'restart', 'network', 'l', 'label', 'entrypoint', 'pull', 'platform']);

/** Where the image name is: flags before it are run's own, everything after belongs to the command. */
function imageIndex(args: string[]): number {
	for (let index = 0; index < args.length; index++) {
		const argument = args[index]!;
		if (argument === '--') return index + 1;
		if (argument.startsWith('--')) {
			if (!argument.includes('=') && runValueOptions.has(argument.slice(2))) index++;
			continue;
		}

		if (argument.startsWith('-') && argument.length > 1) {
			// A group of short flags (-it, -dit), of which only the last may take a value (-e X, -eX).
			for (let position = 1; position < argument.length; position++) {
				if (runValueOptions.has(argument[position]!)) {
					if (position === argument.length - 1) index++;
					break;
				}
			}

			continue;
		}

		return index;
	}

	return -1;
}

/** docker run's --pull: pull a missing image (the default), pull every time, or never. */
export type PullPolicy = 'missing' | 'always' | 'never';
export type RunPlan = {create: Docker.ContainerCreateOptions; detach: boolean; interactive: boolean; tty: boolean; pull: PullPolicy; platform?: string};

/** Each option's flag, for saying which one a problem is about. */
const flagOf: Partial<Record<RunField, string>> = {
	image: 'image',
	name: '--name',
	env: '-e',
	ports: '-p',
	volumes: '-v',
	restart: '--restart',
	memory: '--memory',
	cpus: '--cpus',
	pidsLimit: '--pids-limit',
};

export function parseRun(args: string[]): RunPlan {
	const at = imageIndex(args);
	if (at === -1 || at >= args.length) throw new UsageError('needs an image: berth run [OPTIONS] IMAGE [COMMAND...]');
	let values;
	try {
		({values} = parseArgs({
			args: args.slice(0, at).filter(argument => argument !== '--'),
			strict: true,
			options: {
				detach: {type: 'boolean', short: 'd'},
				rm: {type: 'boolean'},
				interactive: {type: 'boolean', short: 'i'},
				tty: {type: 'boolean', short: 't'},
				env: {type: 'string', short: 'e', multiple: true},
				volume: {type: 'string', short: 'v', multiple: true},
				publish: {type: 'string', short: 'p', multiple: true},
				label: {type: 'string', short: 'l', multiple: true},
				name: {type: 'string'},
				workdir: {type: 'string', short: 'w'},
				user: {type: 'string', short: 'u'},
				memory: {type: 'string', short: 'm'},
				cpus: {type: 'string'},
				'pids-limit': {type: 'string'},
				restart: {type: 'string'},
				network: {type: 'string'},
				entrypoint: {type: 'string'},
				pull: {type: 'string'},
				platform: {type: 'string'},
			},
		}));
	} catch (error) {
		throw new UsageError((error as Error).message.split('\n')[0]!.replace(/^Unknown option '([^']+)'.*$/, 'unknown option $1'));
	}

	const labels = Object.fromEntries(
		(values.label ?? []).map(label => {
			const index = label.indexOf('=');
			return index === -1 ? [label, ''] : [label.slice(0, index), label.slice(index + 1)];
		}),
	);
	const interactive = Boolean(values.interactive);
	const detach = Boolean(values.detach);
	const pull = values.pull ?? 'missing';
	if (pull !== 'missing' && pull !== 'always' && pull !== 'never') throw new UsageError(`invalid --pull: "${pull}" is not one of missing, always, never`);
	const options: RunOptions = {
		...emptyRunOptions(),
		image: args[at]!,
		name: values.name ?? '',
		command: args.slice(at + 1),
		entrypoint: values.entrypoint === undefined ? undefined : values.entrypoint === '' ? [] : [values.entrypoint],
		env: values.env ?? [],
		ports: values.publish ?? [],
		volumes: values.volume ?? [],
		labels,
		restart: values.restart ?? '',
		network: values.network ?? '',
		memory: values.memory ?? '',
		cpus: values.cpus ?? '',
		pidsLimit: values['pids-limit'] ?? '',
		workdir: values.workdir ?? '',
		user: values.user ?? '',
		tty: Boolean(values.tty),
		stdin: interactive,
		autoRemove: Boolean(values.rm),
	};
	const mapped = toCreateRequest(options);
	if ('problems' in mapped) {
		const [field, problem] = Object.entries(mapped.problems)[0]!;
		throw new UsageError(`invalid ${flagOf[field as RunField] ?? field}: ${problem}`);
	}

	return {
		detach,
		interactive,
		tty: options.tty,
		pull,
		...(values.platform ? {platform: values.platform} : {}),
		create: {
			...(mapped.request as Docker.ContainerCreateOptions),
			StdinOnce: interactive && !detach,
			AttachStdin: interactive && !detach,
			AttachStdout: !detach,
			AttachStderr: !detach,
		},
	};
}

function prepareRun(args: string[]): Action {
	const plan = parseRun(args);
	return async docker => {
		const image = String(plan.create.Image);
		const pull = () => pullWithProgress(docker, image, printerFor(process.stderr), plan.platform);
		if (plan.pull === 'always' && (await pull()) !== 0) return 125;
		let container: Docker.Container;
		try {
			container = await docker.createContainer(plan.create);
		} catch (error) {
			if (plan.pull !== 'missing' || !(statusCode(error) === 404 && /no such image/i.test(daemonMessage(error)))) throw error;
			// As docker run: the image is pulled, its progress on stderr, and the run goes on.
			process.stderr.write(`Unable to find image '${image}' locally\n`);
			if ((await pull()) !== 0) return 125;
			container = await docker.createContainer(plan.create);
		}

		if (plan.detach) {
			await container.start();
			process.stdout.write(`${container.id}\n`);
			return 0;
		}

		return attachAndRun(container, plan);
	};
}

/** Runs in the foreground: output to ours, our input to it (-i), our terminal raw (-t), its exit code ours. */
async function attachAndRun(container: Docker.Container, plan: RunPlan): Promise<number> {
	const stream = (await container.attach({stream: true, stdout: true, stderr: true, stdin: plan.interactive, hijack: true})) as NodeJS.ReadWriteStream;
	const outputDone = new Promise<void>(resolve => {
		stream.on('end', () => resolve());
		stream.on('close', () => resolve());
		stream.on('error', () => resolve());
	});
	if (plan.tty) {
		stream.on('data', (chunk: Buffer) => process.stdout.write(chunk));
	} else {
		const decoder = new FrameDecoder();
		stream.on('data', (chunk: Buffer) => {
			for (const frame of decoder.push(chunk)) (frame.stream === 'stderr' ? process.stderr : process.stdout).write(frame.payload);
		});
	}

	const exited = container.wait({condition: 'next-exit'}) as Promise<{StatusCode: number}>;
	const terminal = plan.tty && plan.interactive && process.stdin.isTTY;
	const restore = () => {
		if (terminal) process.stdin.setRawMode(false);
	};

	try {
		if (terminal) process.stdin.setRawMode(true);
		await container.start();
		if (plan.tty && process.stdout.isTTY) {
			const resize = () => container.resize({h: process.stdout.rows, w: process.stdout.columns}).catch(() => undefined);
			await resize();
			process.stdout.on('resize', resize);
		}

		if (plan.interactive) {
			process.stdin.pipe(stream as NodeJS.WritableStream);
			// Our input ended: half-close, so the container sees the end of its input.
			process.stdin.on('end', () => (stream as unknown as {end(): void}).end());
		}

		const {StatusCode} = await exited;
		await Promise.race([outputDone, new Promise(resolve => setTimeout(resolve, 2000))]);
		return StatusCode;
	} finally {
		restore();
		process.stdin.unpipe();
		process.stdin.pause();
	}
}

function readSource(file: string | undefined): NodeJS.ReadableStream {
	if (!file || file === '-') {
		if (process.stdin.isTTY) throw new UsageError('reads the archive from standard input, which is a terminal here: give a file or pipe one in');
		return process.stdin;
	}

	if (!existsSync(file)) throw new UsageError(`no such file: ${file}`);
	return createReadStream(file);
}

/** Prints the JSON messages an image endpoint streams back ("Loaded image: …"). */
async function printMessages(response: NodeJS.ReadableStream): Promise<number> {
	let text = '';
	for await (const chunk of response as AsyncIterable<Buffer>) text += chunk.toString();
	for (const line of text.split('\n').filter(Boolean)) {
		let message: {stream?: string; status?: string; error?: string; errorDetail?: {message?: string}};
		try {
			message = JSON.parse(line) as typeof message;
		} catch {
			process.stdout.write(`${line}\n`);
			continue;
		}

		if (message.error || message.errorDetail) {
			process.stderr.write(`${message.error ?? message.errorDetail?.message}\n`);
			return 1;
		}

		if (message.stream) process.stdout.write(message.stream);
		else if (message.status) process.stdout.write(`${message.status}\n`);
	}

	return 0;
}

function prepareLoad(args: string[]): Action {
	let values;
	try {
		({values} = parseArgs({args, strict: true, options: {input: {type: 'string', short: 'i'}, quiet: {type: 'boolean', short: 'q'}}}));
	} catch (error) {
		throw new UsageError((error as Error).message.split('\n')[0]!);
	}

	const source = readSource(values.input);
	return async docker => printMessages((await docker.loadImage(source as unknown as string)) as unknown as NodeJS.ReadableStream);
}

const printerFor = (output: NodeJS.WriteStream) => new ProgressPrinter(text => output.write(text), Boolean(output.isTTY), output.columns || 80);

/** Runs a pull or push, its progress printed (without a printer, kept quiet); 0, or 1 after printing the error. */
async function withProgress(transfer: (onMessage: (message: PullMessage) => void) => Promise<void>, printer?: ProgressPrinter): Promise<number> {
	let failure: string | undefined;
	try {
		await transfer(message => {
			failure ??= printer ? printer.print(message) : message.errorDetail?.message ?? message.error;
		});
	} catch (error) {
		failure ??= daemonMessage(error);
	}

	if (failure === undefined) return 0;
	process.stderr.write(`${failure}\n`);
	return 1;
}

const pullWithProgress = (docker: Docker, reference: string, printer?: ProgressPrinter, platform?: string) => withProgress(onMessage => pullImage(docker, reference, onMessage, undefined, platform), printer);

function preparePull(args: string[]): Action {
	let parsed;
	try {
		parsed = parseArgs({args, allowPositionals: true, strict: true, options: {quiet: {type: 'boolean', short: 'q'}, platform: {type: 'string'}}});
	} catch (error) {
		throw new UsageError((error as Error).message.split('\n')[0]!);
	}

	const [reference, ...rest] = parsed.positionals;
	if (!reference || rest.length > 0) throw new UsageError('berth pull [-q] NAME[:TAG|@DIGEST]');
	const {quiet, platform} = parsed.values;
	return async docker => {
		const code = await pullWithProgress(docker, reference, quiet ? undefined : printerFor(process.stdout), platform);
		if (code === 0 && quiet) process.stdout.write(`${reference}\n`);
		return code;
	};
}

function preparePush(args: string[]): Action {
	let parsed;
	try {
		parsed = parseArgs({args, allowPositionals: true, strict: true, options: {quiet: {type: 'boolean', short: 'q'}}});
	} catch (error) {
		throw new UsageError((error as Error).message.split('\n')[0]!);
	}

	const [reference, ...rest] = parsed.positionals;
	if (!reference || rest.length > 0) throw new UsageError('berth push [-q] NAME[:TAG]');
	const printer = parsed.values.quiet ? undefined : printerFor(process.stdout);
	return docker => withProgress(onMessage => pushImage(docker, reference, onMessage), printer);
}

function prepareImport(args: string[]): Action {
	const [file, reference, ...rest] = args;
	if (!file || rest.length > 0) throw new UsageError('berth import FILE|- [REPOSITORY[:TAG]]');
	const source = readSource(file);
	let repo: string | undefined;
	let tag: string | undefined;
	if (reference) {
		const colon = reference.lastIndexOf(':');
		[repo, tag] = colon > reference.lastIndexOf('/') ? [reference.slice(0, colon), reference.slice(colon + 1)] : [reference, undefined];
	}

	return async docker => printMessages((await docker.importImage(source as unknown as string, {repo, tag})) as unknown as NodeJS.ReadableStream);
}
