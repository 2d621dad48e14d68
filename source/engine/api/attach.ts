// POST /containers/{id}/attach: the hijacked connection `docker run` and `docker attach` use.
// After "101 UPGRADED" the socket carries the container's output (multiplexed frames unless it
// has a TTY) and, with stdin=1, the client's input to the container.
import type {IncomingMessage} from 'node:http';
import type {Duplex} from 'node:stream';
import {EngineError} from '../errors.ts';
import type {ContainerRecord} from '../containers.ts';
import type {Engine} from '../engine.ts';
import {encodeEntries, encodeFrame, selectEntries} from '../log-store.ts';
import {decodeParameter, flag, parseTarget, rawErrorResponse} from './http.ts';

/** Whatever a hijacked request holds, it ends in an answer or a closed socket, never in a crash. */
export function handleUpgrade(engine: Engine, request: IncomingMessage, socket: Duplex, head: Buffer): void {
	// A client that goes away mid-stream is not an error of the engine's.
	socket.on('error', () => socket.destroy());
	const fail = (status: number, message: string) => {
		if (socket.writable) socket.end(rawErrorResponse(status, message));
	};

	const failWith = (error: unknown) => {
		if (!(error instanceof EngineError)) console.error(`berth engine: hijacked ${request.method} ${request.url?.slice(0, 200)} failed:`, error);
		fail(error instanceof EngineError ? error.status : 500, (error as Error).message);
	};

	try {
		upgrade(engine, request, socket, head, fail, failWith);
	} catch (error) {
		failWith(error);
	}
}

function upgrade(engine: Engine, request: IncomingMessage, socket: Duplex, head: Buffer, fail: (status: number, message: string) => void, failWith: (error: unknown) => void): void {
	const {path, query} = parseTarget(request.url);
	const execMatch = /^\/exec\/([^/]+)\/start$/.exec(path);
	if (execMatch && request.method === 'POST') {
		startExec(engine, decodeParameter(execMatch[1]!), request, socket, head, fail, failWith);
		return;
	}

	const match = /^\/containers\/([^/]+)\/attach$/.exec(path);
	if (!match || request.method !== 'POST') {
		fail(404, `page not found: ${path}`);
		return;
	}

	const record = engine.containers.find(decodeParameter(match[1]!));
	socket.write(upgraded);
	const id = record.Id;
	attachOutput(engine, record, query, {
		write: chunk => socket.write(chunk),
		end: () => socket.end(),
		onGone: listener => {
			socket.on('error', listener);
			socket.on('close', listener);
		},
	});

	if (flag(query, 'stdin')) {
		// `docker run -i` attaches before it starts the container: input that comes before the
		// process exists waits for it. A request body (dockerode sends its options as one) is not input.
		let bodyLeft = Number(request.headers['content-length'] ?? 0);
		const input = (chunk: Buffer) => {
			if (bodyLeft === 0) return chunk;
			const skipped = Math.min(bodyLeft, chunk.length);
			bodyLeft -= skipped;
			return chunk.subarray(skipped);
		};

		const first = input(head);
		const queued: Buffer[] = first.length > 0 ? [first] : [];
		let inputEnded = false;
		const deliver = () => {
			const stdin = engine.containers.stdinOf(id);
			if (!stdin) return;
			for (const chunk of queued.splice(0)) stdin.write(chunk);
			if (inputEnded && record.Config.StdinOnce !== false) stdin.end();
		};

		const onStart = (event: {Type: string; Action: string; Actor: {ID: string}}) => {
			if (event.Type === 'container' && event.Actor.ID === id && event.Action === 'start') deliver();
		};

		engine.events.on('event', onStart);
		socket.on('close', () => engine.events.off('event', onStart));
		socket.on('data', (chunk: Buffer) => {
			const data = input(chunk);
			if (data.length === 0) return;
			queued.push(data);
			deliver();
		});
		// The client half-closes when its input ends; with StdinOnce (docker run -i) so does the container's.
		socket.on('end', () => {
			inputEnded = true;
			deliver();
		});
	}
}

const upgraded = 'HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n';

/** Where attached output goes: a hijacked socket, or (an attach without Upgrade, as dockerode's run() sends) a response. */
export type AttachSink = {write(chunk: Buffer): void; end(): void; onGone(listener: () => void): void};

/** The container's output to `sink` (logs=1 first replays what was written), ended when the container dies. */
export function attachOutput(engine: Engine, record: ContainerRecord, query: URLSearchParams, sink: AttachSink): void {
	const stdout = flag(query, 'stdout');
	const stderr = flag(query, 'stderr');
	const tty = Boolean(record.Config.Tty);
	const log = engine.containers.log(record);
	if (flag(query, 'logs')) sink.write(encodeEntries(selectEntries(log.readAll(), {stdout, stderr}), tty, false));

	// The output as the container writes it, not line by line: a prompt shows before its newline.
	const onOutput = (stream: 'stdout' | 'stderr', chunk: Buffer) => {
		if (stream === 'stdout' ? stdout : stderr) sink.write(encodeFrame(stream, chunk, tty));
	};

	const id = record.Id;
	let finished = false;
	const finish = () => {
		if (finished) return;
		finished = true;
		log.off('output', onOutput);
		engine.events.off('event', onEvent);
		sink.end();
	};

	const onEvent = (event: {Type: string; Action: string; Actor: {ID: string}}) => {
		// Output is written before "die" is announced, so all of it has gone out by now.
		if (event.Type === 'container' && event.Actor.ID === id && (event.Action === 'die' || event.Action === 'destroy')) finish();
	};

	if (stdout || stderr) log.on('output', onOutput);
	engine.events.on('event', onEvent);
	sink.onGone(finish);
}

/**
 * POST /exec/{id}/start, hijacked: the JSON body ({"Detach", "Tty"}) comes first on the socket,
 * then the client's input. The process's output goes back multiplexed unless it has a TTY.
 */
function startExec(engine: Engine, id: string, request: IncomingMessage, socket: Duplex, head: Buffer, fail: (status: number, message: string) => void, failWith: (error: unknown) => void): void {
	const length = Number(request.headers['content-length'] ?? 0);
	let buffered = head;
	let started = false;
	const begin = () => {
		started = true;
		socket.off('data', collect);
		const body = buffered.subarray(0, length);
		const rest = buffered.subarray(length);
		let options: {Detach?: boolean} = {};
		try {
			options = body.length > 0 ? (JSON.parse(body.toString('utf8')) as {Detach?: boolean}) : {};
		} catch {
			fail(400, 'invalid JSON in the exec start body');
			return;
		}

		let instance;
		try {
			instance = engine.execs.start(id);
		} catch (error) {
			failWith(error);
			return;
		}

		socket.write(upgraded);
		const child = instance.child!;
		if (options.Detach) {
			socket.end();
			return;
		}

		const tty = Boolean(instance.config.Tty);
		if (instance.config.AttachStdout) child.stdout.on('data', (chunk: Buffer) => socket.write(encodeFrame('stdout', chunk, tty)));
		else child.stdout.resume();
		if (instance.config.AttachStderr) child.stderr.on('data', (chunk: Buffer) => socket.write(encodeFrame('stderr', chunk, tty)));
		else child.stderr.resume();
		if (instance.config.AttachStdin) {
			if (rest.length > 0) child.stdin.write(rest);
			socket.on('data', (chunk: Buffer) => child.stdin.write(chunk));
			socket.on('end', () => child.stdin.end());
		}

		socket.on('error', () => undefined);
		void instance.done!.then(() => socket.end());
	};

	const collect = (chunk: Buffer) => {
		buffered = Buffer.concat([buffered, chunk]);
		if (!started && buffered.length >= length) guarded();
	};

	// begin runs later, from a socket event: its failures are answered here, not thrown at the loop.
	const guarded = () => {
		try {
			begin();
		} catch (error) {
			failWith(error);
		}
	};

	if (!Number.isSafeInteger(length) || length < 0 || length > 1024 * 1024) fail(400, 'invalid Content-Length for an exec start');
	else if (buffered.length >= length) guarded();
	else socket.on('data', collect);
}
