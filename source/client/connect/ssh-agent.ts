// ssh://user@host the way the docker CLI does it: run the user's own `ssh` (so ~/.ssh/config,
// the agent and key files all apply) with `docker system dial-stdio` on the far side (or berth's
// own `berth engine dial-stdio` where there is no docker CLI), and speak
// HTTP over the child's standard input and output.
import type {ChildProcessWithoutNullStreams} from 'node:child_process';
import {createRequire} from 'node:module';
import {Agent} from 'node:http';
import {Duplex} from 'node:stream';
import type {Endpoint} from './endpoint.ts';

type SshEndpoint = Extract<Endpoint, {kind: 'ssh'}>;

// child_process costs every start-up a few milliseconds to load; only ssh endpoints need it.
const requireBuiltin = createRequire(import.meta.url);
const spawnPiped = (command: string, args: string[]): ChildProcessWithoutNullStreams =>
	(requireBuiltin('node:child_process') as typeof import('node:child_process')).spawn(command, args, {stdio: ['pipe', 'pipe', 'pipe']});

export function sshArguments(endpoint: SshEndpoint, remoteCommand: string[]): string[] {
	const args = ['-o', 'ConnectTimeout=10', '-T'];
	if (endpoint.user) args.push('-l', endpoint.user);
	if (endpoint.port) args.push('-p', String(endpoint.port));
	args.push('--', endpoint.host, ...remoteCommand);
	return args;
}

/**
 * One HTTP connection over one ssh child. The read side ends only once ssh's exit code is known,
 * so a failed login reaches the request as ssh's own last words, not as a bare "socket hang up".
 */
class SshConnection extends Duplex {
	private stderr = '';

	constructor(private readonly child: ChildProcessWithoutNullStreams, host: string) {
		super();
		child.stderr.on('data', (chunk: Buffer) => {
			this.stderr = (this.stderr + chunk.toString()).slice(-2000);
		});
		child.stdout.on('data', (chunk: Buffer) => {
			if (!this.push(chunk)) child.stdout.pause();
		});
		// Writes after ssh has gone fail with EPIPE; its exit below says why.
		child.stdin.on('error', () => undefined);
		child.on('error', error => this.destroy(error));
		child.on('close', code => {
			if (code === 0 || code === null) {
				this.push(null);
				return;
			}

			const reason = this.stderr.trim().split('\n').at(-1);
			this.destroy(Object.assign(new Error(`ssh to ${host} exited with code ${code}${reason ? `: ${reason}` : ''}`), {code: 'ESSH'}));
		});
	}

	override _read(): void {
		this.child.stdout.resume();
	}

	override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
		this.child.stdin.write(chunk, () => callback());
	}

	override _final(callback: (error?: Error | null) => void): void {
		this.child.stdin.end();
		callback();
	}

	override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
		this.child.kill();
		callback(error);
	}

	// The HTTP client treats the connection as a socket and may call these.
	setTimeout(): this {
		return this;
	}

	setNoDelay(): this {
		return this;
	}

	setKeepAlive(): this {
		return this;
	}

	ref(): this {
		return this;
	}

	unref(): this {
		return this;
	}
}

/**
 * What runs on the far side: the docker CLI's own bridge where there is a docker CLI, as `docker
 * -H ssh://` does; else berth's, which reaches (and if need be starts) berth's engine there. One
 * line for the remote user's shell, as ssh passes any command.
 */
export const remoteDialCommand = ['command -v docker >/dev/null 2>&1 && exec docker system dial-stdio || exec berth engine dial-stdio'];

export function createSshAgent(endpoint: SshEndpoint, remoteCommand = remoteDialCommand): Agent {
	const agent = new Agent({keepAlive: true, maxFreeSockets: 2});
	(agent as unknown as {createConnection: () => Duplex}).createConnection = () => {
		const connection = new SshConnection(spawnPiped('ssh', sshArguments(endpoint, remoteCommand)), endpoint.host);
		// While a request uses the connection, the HTTP client hands its errors to that request;
		// tearing down an idle one must not become an uncaught error.
		connection.on('error', () => undefined);
		return connection;
	};

	return agent;
}
