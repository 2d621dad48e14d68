// Sessions with a container's processes over hijacked API streams: an exec (a shell, one
// command) and an attach to the main process. Through dockerode only, so they work where there
// is no docker CLI, over ssh:// and tcp://, and against berth's engine alike.
import type {Duplex} from 'node:stream';
import type Docker from 'dockerode';
import {shellPaths, shellProbe} from '../../state/hands-on/shells.ts';
import {FrameDecoder} from '../logs/log-frames.ts';

/** A process's terminal end: bytes in, bytes out (stdout and stderr apart when there is no TTY). */
export type Session = {
	readonly tty: boolean;
	/** Whether the process reads what is written (an attach to a container without an open stdin does not). */
	readonly acceptsInput: boolean;
	write(bytes: Uint8Array): void;
	/** The end of input (ctrl-d on a line of its own without a TTY). */
	endInput(): void;
	onOutput(handler: (bytes: Buffer, stream: 'stdout' | 'stderr') => void): void;
	resize(columns: number, rows: number): Promise<void>;
	/** Settles when the stream ends: with why, when it was cut rather than ended. */
	readonly ended: Promise<{cut?: string}>;
	/** The process's exit code once it ended (an exec's; a container's, for an attach). */
	exitCode(): Promise<number | undefined>;
	/** Closes the stream, leaving the process as it is (a detach). */
	close(): void;
};

type Hijacked = Duplex & {end(): void};

function wrapStream(stream: Hijacked, tty: boolean, acceptsInput: boolean, resize: Session['resize'], exitCode: Session['exitCode']): Session {
	const handlers: Array<(bytes: Buffer, name: 'stdout' | 'stderr') => void> = [];
	const decoder = tty ? undefined : new FrameDecoder();
	stream.on('data', (chunk: Buffer) => {
		if (!decoder) {
			for (const handler of handlers) handler(chunk, 'stdout');
			return;
		}

		for (const frame of decoder.push(chunk)) {
			if (frame.stream === 'stdin') continue;
			for (const handler of handlers) handler(frame.payload, frame.stream);
		}
	});
	const ended = new Promise<{cut?: string}>(resolve => {
		stream.on('end', () => resolve({}));
		stream.on('close', () => resolve({}));
		stream.on('error', (error: Error) => resolve({cut: error.message}));
	});
	return {
		tty,
		acceptsInput,
		write(bytes) {
			if (acceptsInput && !stream.destroyed) stream.write(bytes);
		},
		endInput() {
			if (!stream.destroyed) stream.end();
		},
		onOutput(handler) {
			handlers.push(handler);
		},
		resize,
		ended,
		exitCode,
		close() {
			stream.destroy();
		},
	};
}

/**
 * The daemon may not take a size until the process has started: asked again a few times, as
 * the docker CLI does, then given up (the session works, at the old size).
 */
async function resizeSoon(resize: () => Promise<unknown>): Promise<void> {
	for (let attempt = 0; attempt < 5; attempt++) {
		try {
			await resize();
			return;
		} catch {
			await new Promise(resolve => setTimeout(resolve, 10 * (attempt + 1)));
		}
	}
}

export type ExecOptions = {command: readonly string[]; tty: boolean; user?: string; env?: string[]; columns?: number; rows?: number};

export async function openExec(docker: Docker, id: string, options: ExecOptions): Promise<Session> {
	const exec = await docker.getContainer(id).exec({
		Cmd: [...options.command],
		AttachStdin: true,
		AttachStdout: true,
		AttachStderr: true,
		Tty: options.tty,
		...(options.user ? {User: options.user} : {}),
		...(options.env ? {Env: options.env} : {}),
	});
	const stream = (await exec.start({hijack: true, stdin: true, Tty: options.tty})) as unknown as Hijacked;
	const resize = (columns: number, rows: number) => resizeSoon(() => exec.resize({w: columns, h: rows}));
	if (options.tty && options.columns && options.rows) await resize(options.columns, options.rows);
	return wrapStream(stream, options.tty, true, resize, () => execExitCode(exec));
}

/** The exec's exit code: read once it no longer runs (the stream may end a moment before). */
async function execExitCode(exec: Docker.Exec): Promise<number | undefined> {
	for (let attempt = 0; attempt < 40; attempt++) {
		try {
			const info = await exec.inspect();
			if (!info.Running) return info.ExitCode ?? undefined;
		} catch {
			return undefined;
		}

		await new Promise(resolve => setTimeout(resolve, 25));
	}

	return undefined;
}

/** Runs a command without a terminal and returns its output and exit code (for probes). */
export async function runQuietly(docker: Docker, id: string, command: readonly string[]): Promise<{output: string; exitCode?: number}> {
	const session = await openExec(docker, id, {command, tty: false});
	let output = '';
	session.onOutput((bytes, stream) => {
		if (stream === 'stdout') output += bytes.toString();
	});
	session.endInput();
	await session.ended;
	return {output, exitCode: await session.exitCode()};
}

/**
 * The best shell the container has, asked the container itself through `sh` (its PATH, its
 * user), or tried path by path where there is no `sh`. Undefined when it has none. It does not
 * read /etc/passwd, so a USER with no entry there or a login shell of /sbin/nologin changes nothing.
 */
export async function findShell(docker: Docker, id: string): Promise<string | undefined> {
	const asked = await runQuietly(docker, id, shellProbe).catch(() => undefined);
	const found = asked?.exitCode === 0 ? asked.output.trim().split('\n').at(-1)?.trim() : undefined;
	if (found?.startsWith('/')) return found;
	// `command -v` of a builtin prints only its name; it still runs by name.
	if (found && /^[\w.-]+$/.test(found)) return found;
	for (const path of shellPaths) {
		const tried = await runQuietly(docker, id, [path, '-c', 'exit 0']).catch(() => undefined);
		if (tried?.exitCode === 0) return path;
	}

	return undefined;
}

export type AttachInfo = {tty: boolean; openStdin: boolean; running: boolean};

/** Attaches to the main process: its output from now on, and its input when it has an open stdin. */
export async function openAttach(docker: Docker, id: string, detachKeys: string): Promise<{session: Session; info: AttachInfo}> {
	const container = docker.getContainer(id);
	const inspect = await container.inspect();
	const info: AttachInfo = {tty: Boolean(inspect.Config.Tty), openStdin: Boolean(inspect.Config.OpenStdin), running: inspect.State.Running};
	const stream = (await container.attach({stream: true, stdin: info.openStdin, stdout: true, stderr: true, hijack: true, detachKeys} as Docker.ContainerAttachOptions)) as unknown as Hijacked;
	const resize = (columns: number, rows: number) => (info.tty ? resizeSoon(() => container.resize({w: columns, h: rows})) : Promise.resolve());
	const exitCode = async () => {
		try {
			const state = (await container.inspect()).State;
			return state.Running ? undefined : state.ExitCode;
		} catch {
			return undefined;
		}
	};

	return {session: wrapStream(stream, info.tty, info.openStdin, resize, exitCode), info};
}
