// ssh://user@host the way the docker CLI does it: run the user's own `ssh` (so ~/.ssh/config,
// the agent and key files all apply) with `docker system dial-stdio` on the far side, and speak
// HTTP over the child's standard input and output.
import {spawn} from 'node:child_process';
import {Agent} from 'node:http';
import {Duplex} from 'node:stream';
import type {Endpoint} from './endpoint.ts';

type SshEndpoint = Extract<Endpoint, {kind: 'ssh'}>;

export function sshArguments(endpoint: SshEndpoint, remoteCommand: string[]): string[] {
	const args = ['-o', 'ConnectTimeout=10', '-T'];
	if (endpoint.user) args.push('-l', endpoint.user);
	if (endpoint.port) args.push('-p', String(endpoint.port));
	args.push('--', endpoint.host, ...remoteCommand);
	return args;
}

export function createSshAgent(endpoint: SshEndpoint, remoteCommand = ['docker', 'system', 'dial-stdio']): Agent {
	const agent = new Agent({keepAlive: true, maxFreeSockets: 2});
	// Node's HTTP client accepts any duplex stream as the connection.
	(agent as unknown as {createConnection: () => Duplex}).createConnection = () => {
		const child = spawn('ssh', sshArguments(endpoint, remoteCommand), {stdio: ['pipe', 'pipe', 'pipe']});
		let stderr = '';
		child.stderr.on('data', (chunk: Buffer) => {
			stderr = (stderr + chunk.toString()).slice(-2000);
		});
		const duplex = Duplex.from({readable: child.stdout, writable: child.stdin});
		child.on('error', error => duplex.destroy(error));
		child.on('exit', code => {
			if (code !== 0 && !duplex.destroyed) {
				duplex.destroy(new Error(`ssh to ${endpoint.host} exited with code ${code}${stderr ? `: ${stderr.trim().split('\n').at(-1)}` : ''}`));
			}
		});
		duplex.on('close', () => child.kill());
		// The HTTP client treats the stream as a socket and may call these.
		const socketLike = duplex as Duplex & Record<string, unknown>;
		for (const method of ['setTimeout', 'setNoDelay', 'setKeepAlive', 'ref', 'unref']) {
			socketLike[method] ??= () => duplex;
		}

		return duplex;
	};

	return agent;
}
