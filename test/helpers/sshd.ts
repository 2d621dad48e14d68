// A real OpenSSH server on 127.0.0.1 for the ssh:// tests, with keys made for the test. Logging in
// sets DOCKER_HOST to the test daemon, so `docker system dial-stdio` on the "remote" side reaches
// it. The client side is the real `ssh`, given the test's config through a wrapper on PATH (ssh
// reads ~/.ssh/config from the passwd home, not $HOME).
import {execFileSync, spawn, type ChildProcess} from 'node:child_process';
import {chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir, userInfo} from 'node:os';
import path from 'node:path';
import type {TestContext} from 'node:test';
import {requirePart} from './ci.ts';
import {onFreePort, portOpens} from './free-port.ts';

export type SshServer = {port: number; user: string; pathWithWrapper: string; stop(): void};

function sshdMissing(): string | undefined {
	if (!existsSync('/usr/sbin/sshd')) return 'no /usr/sbin/sshd (apt-get install openssh-server)';
	if (process.getuid?.() !== 0) return 'sshd for the tests needs root';
	return undefined;
}

/** A started server, or undefined after failing (CI) or skipping (elsewhere) the test. */
export async function requireSshServer(t: TestContext, dockerHost: string, remoteEnvironment?: Record<string, string>): Promise<SshServer | undefined> {
	if (!requirePart(t, sshdMissing())) return undefined;
	return startSshServer(dockerHost, remoteEnvironment);
}

/** `remoteEnvironment` replaces what a login gets (DOCKER_HOST and this PATH) when given. */
export async function startSshServer(dockerHost: string, remoteEnvironment?: Record<string, string>): Promise<SshServer> {
	return onFreePort(port => startOn(port, dockerHost, remoteEnvironment));
}

async function startOn(port: number, dockerHost: string, remoteEnvironment?: Record<string, string>): Promise<SshServer> {
	const directory = mkdtempSync(path.join(tmpdir(), 'berth-sshd-'));
	const user = userInfo().username;
	const key = path.join(directory, 'client_key');
	const hostKey = path.join(directory, 'host_key');
	execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
	execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', hostKey]);
	const publicKey = execFileSync('cat', [`${key}.pub`], {encoding: 'utf8'}).trim();
	const authorized = path.join(directory, 'authorized_keys');
	const environment = remoteEnvironment ?? {DOCKER_HOST: dockerHost, PATH: process.env.PATH ?? ''};
	const options = Object.entries(environment).map(([name, value]) => `environment="${name}=${value}"`).join(',');
	writeFileSync(authorized, `${options} ${publicKey}\n`);
	chmodSync(authorized, 0o600);
	mkdirSync('/run/sshd', {recursive: true});
	const config = path.join(directory, 'sshd_config');
	writeFileSync(
		config,
		[
			`ListenAddress 127.0.0.1:${port}`,
			`HostKey ${hostKey}`,
			`AuthorizedKeysFile ${authorized}`,
			'PermitRootLogin prohibit-password',
			'PasswordAuthentication no',
			'KbdInteractiveAuthentication no',
			'PermitUserEnvironment yes',
			'StrictModes no',
			'UsePAM no',
			`PidFile ${path.join(directory, 'sshd.pid')}`,
			'LogLevel ERROR',
		].join('\n') + '\n',
	);
	const server: ChildProcess = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', config], {stdio: ['ignore', 'ignore', 'pipe']});
	let said = '';
	server.stderr?.on('data', chunk => (said += String(chunk)));

	// The wrapper: the real ssh, with this test's key and no host-key prompts.
	const bin = path.join(directory, 'bin');
	mkdirSync(bin);
	const clientConfig = path.join(directory, 'ssh_config');
	writeFileSync(clientConfig, `Host *\n  IdentityFile ${key}\n  IdentitiesOnly yes\n  StrictHostKeyChecking no\n  UserKnownHostsFile /dev/null\n  LogLevel ERROR\n  BatchMode yes\n`);
	writeFileSync(path.join(bin, 'ssh'), `#!/bin/sh\nexec /usr/bin/ssh -F ${clientConfig} "$@"\n`);
	chmodSync(path.join(bin, 'ssh'), 0o755);

	// Its own port, opened by this server (not by whatever took the port first), or a failure.
	if (!(await portOpens(port, 10_000, () => server.exitCode === null)) || server.exitCode !== null) {
		server.kill();
		rmSync(directory, {recursive: true, force: true});
		throw new Error(`sshd did not open 127.0.0.1:${port}: ${said.trim() || 'no output'}`);
	}

	return {
		port,
		user,
		pathWithWrapper: `${bin}:${process.env.PATH}`,
		stop() {
			server.kill();
			rmSync(directory, {recursive: true, force: true});
		},
	};
}
