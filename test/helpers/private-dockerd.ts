// A dockerd of the test's own, listening with TLS on tcp://127.0.0.1 (certificates made in the
// test, client certificates required, as `dockerd --tlsverify`), which a test may stop and start
// again. It keeps its data, exec root and containerd apart from any other daemon, and uses no
// bridge and no iptables, as this machine's rules require.
import {type ChildProcess, spawn} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import https from 'node:https';
import {tmpdir} from 'node:os';
import path from 'node:path';
import type {TestContext} from 'node:test';
import {requirePart} from './ci.ts';
import {onFreePort} from './free-port.ts';
import {makeCertificates} from './tls.ts';

export type PrivateDockerd = {
	url: string;
	certificates: ReturnType<typeof makeCertificates>;
	/** DOCKER_TLS_VERIFY and DOCKER_CERT_PATH for a client with the right CA. */
	clientEnv: Record<string, string>;
	stop(): Promise<void>;
	start(): Promise<void>;
	cleanup(): Promise<void>;
};

/** A started daemon, or undefined after failing (CI) or skipping (elsewhere) the test. */
export async function requirePrivateDockerd(t: TestContext): Promise<PrivateDockerd | undefined> {
	const missing = !['/usr/bin/dockerd', '/usr/sbin/dockerd', '/usr/local/bin/dockerd'].some(file => existsSync(file))
		? 'no dockerd on this machine (apt-get install docker.io)'
		: process.getuid?.() !== 0
			? 'a private dockerd needs root'
			: undefined;
	if (!requirePart(t, missing)) return undefined;
	return startPrivateDockerd();
}

export async function startPrivateDockerd(): Promise<PrivateDockerd> {
	return onFreePort(port => startOn(port));
}

async function startOn(port: number): Promise<PrivateDockerd> {
	const root = mkdtempSync(path.join(tmpdir(), 'berth-dockerd-'));
	const certificates = makeCertificates();
	const url = `tcp://127.0.0.1:${port}`;
	const server = (name: string) => path.join(certificates.serverDirectory, name);
	let child: ChildProcess | undefined;
	let log = '';

	const answers = () =>
		new Promise<boolean>(resolve => {
			const request = https.get(
				{
					host: '127.0.0.1',
					port,
					path: '/_ping',
					ca: readFileSync(path.join(certificates.clientDirectory, 'ca.pem')),
					cert: readFileSync(path.join(certificates.clientDirectory, 'cert.pem')),
					key: readFileSync(path.join(certificates.clientDirectory, 'key.pem')),
					timeout: 1000,
				},
				response => {
					response.resume();
					resolve(response.statusCode === 200);
				},
			);
			request.on('error', () => resolve(false));
			request.on('timeout', () => request.destroy());
		});

	const start = async () => {
		child = spawn(
			'dockerd',
			[
				'--bridge=none',
				'--iptables=false',
				'--ip-masq=false',
				'--data-root',
				path.join(root, 'data'),
				'--exec-root',
				path.join(root, 'exec'),
				'--pidfile',
				path.join(root, 'dockerd.pid'),
				'--tlsverify',
				'--tlscacert',
				server('ca.pem'),
				'--tlscert',
				server('cert.pem'),
				'--tlskey',
				server('key.pem'),
				'-H',
				url,
			],
			{stdio: ['ignore', 'pipe', 'pipe']},
		);
		child.stdout?.on('data', chunk => (log = (log + String(chunk)).slice(-4000)));
		child.stderr?.on('data', chunk => (log = (log + String(chunk)).slice(-4000)));
		const deadline = Date.now() + 30_000;
		while (Date.now() < deadline) {
			if (await answers()) return;
			if (child.exitCode !== null) break;
			await new Promise(resolve => setTimeout(resolve, 200));
		}

		throw new Error(`the private dockerd did not come up on ${url}; its log ends:\n${log}`);
	};

	const stop = async () => {
		const running = child;
		child = undefined;
		if (!running || running.exitCode !== null) return;
		const exited = new Promise(resolve => running.once('exit', resolve));
		running.kill('SIGTERM');
		await exited;
	};

	try {
		await start();
	} catch (error) {
		await stop();
		rmSync(root, {recursive: true, force: true});
		throw error;
	}

	return {
		url,
		certificates,
		clientEnv: {DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certificates.clientDirectory},
		stop,
		start,
		async cleanup() {
			await stop();
			rmSync(root, {recursive: true, force: true});
		},
	};
}
