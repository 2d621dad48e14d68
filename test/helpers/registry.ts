// Real registries for the tests: Debian's docker-registry (distribution 2.8), started on a Unix
// socket and reached at 127.0.0.1:PORT through relays in the host's network namespace and, when
// the test dockerd has its own, in that one too, so both see the same registry at one address.
// Auth is none, htpasswd (bcrypt, from apache2-utils' htpasswd) or token, with a token server of
// the tests' own that signs RS256 JWTs with an x5c certificate the registry trusts.
import {type ChildProcess, execFileSync, spawn} from 'node:child_process';
import {createSign, randomBytes} from 'node:crypto';
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {onFreePort} from './free-port.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

/** What is missing for a test registry, or undefined. */
export function registryMissing(): string | undefined {
	for (const program of ['docker-registry', 'htpasswd', 'openssl']) {
		try {
			execFileSync('sh', ['-c', `command -v ${program}`], {stdio: 'ignore'});
		} catch {
			return `${program} is not installed (apt-get install docker-registry apache2-utils openssl)`;
		}
	}

	return undefined;
}

async function waitFor(check: () => Promise<boolean>, what: string, limitMs = 20_000): Promise<void> {
	const deadline = Date.now() + limitMs;
	while (Date.now() < deadline) {
		if (await check()) return;
		await new Promise(resolve => setTimeout(resolve, 50));
	}

	throw new Error(`${what} did not come up within ${limitMs / 1000} s`);
}

function relay(port: number, socket: string, netns?: string): Promise<ChildProcess> {
	const args = [path.join(here, 'tcp-to-unix.mjs'), String(port), socket];
	const child = netns ? spawn('nsenter', [`--net=${netns}`, process.execPath, ...args], {stdio: ['ignore', 'pipe', 'inherit']}) : spawn(process.execPath, args, {stdio: ['ignore', 'pipe', 'inherit']});
	return new Promise((resolve, reject) => {
		child.once('error', reject);
		child.once('exit', code => reject(new Error(`the registry relay exited (${code})`)));
		child.stdout!.once('data', () => resolve(child));
	});
}

async function stopChild(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return;
	const exited = new Promise(resolve => child.once('exit', resolve));
	child.kill('SIGTERM');
	await exited;
}

export type TokenServer = {realm: string; service: string; issuer: string; certificate: string; stop(): Promise<void>};

/**
 * A token server: `user`/`password` get pull and push on every repository; anyone gets pull on
 * repositories under `public/`, as Docker Hub gives anonymous pulls of public images.
 */
export async function startTokenServer(directory: string, user: string, password: string): Promise<TokenServer> {
	const key = path.join(directory, 'token.key');
	const certificate = path.join(directory, 'token.crt');
	execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', certificate, '-subj', '/CN=berth-test-token', '-days', '2'], {stdio: 'ignore'});
	const der = readFileSync(certificate, 'utf8').replace(/-----[^-]+-----|\s/g, '');
	const privateKey = readFileSync(key, 'utf8');
	const service = 'berth-test-registry';
	const issuer = 'berth-test-issuer';
	const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
	const server = http.createServer((request, response) => {
		const url = new URL(request.url ?? '/', 'http://token');
		const authorization = request.headers.authorization ?? '';
		let subject = '';
		if (authorization.startsWith('Basic ')) {
			const [givenUser, givenPassword] = Buffer.from(authorization.slice(6), 'base64').toString().split(':');
			if (givenUser !== user || givenPassword !== password) {
				response.writeHead(401).end('{"details":"wrong credentials"}');
				return;
			}

			subject = user;
		}

		const access = url.searchParams.getAll('scope').flatMap(scope => {
			const [type, name, actions] = scope.split(':');
			if (type !== 'repository' || !name) return [];
			const wanted = (actions ?? '').split(',');
			const granted = subject ? wanted : name.startsWith('public/') ? wanted.filter(action => action === 'pull') : [];
			return [{type, name, actions: granted}];
		});
		const now = Math.floor(Date.now() / 1000);
		const header = encode({alg: 'RS256', typ: 'JWT', x5c: [der]});
		const claims = encode({iss: issuer, sub: subject, aud: url.searchParams.get('service'), exp: now + 300, nbf: now - 10, iat: now, jti: randomBytes(8).toString('hex'), access});
		const signature = createSign('RSA-SHA256').update(`${header}.${claims}`).sign(privateKey).toString('base64url');
		response.writeHead(200, {'Content-Type': 'application/json'}).end(JSON.stringify({token: `${header}.${claims}.${signature}`, expires_in: 300}));
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const {port} = server.address() as net.AddressInfo;
	return {realm: `http://127.0.0.1:${port}/token`, service, issuer, certificate, stop: () => new Promise(resolve => server.close(() => resolve()))};
}

export type RegistryAuth = {htpasswd: {user: string; password: string}} | {token: TokenServer};

export type TestRegistry = {
	/** host:port, the same from the host and from the test dockerd. */
	host: string;
	storage: string;
	log: () => string;
	stop(): Promise<void>;
};

/** The network namespace of the test dockerd, when it has its own (.ci/run says which). */
export const dockerdNetns = process.env.BERTH_TEST_DOCKERD_NETNS || undefined;

/**
 * Starts a registry serving `storage` (several may share one storage, each with its own auth).
 * `dockerdNetns` (a /run/netns path) makes it reachable from a dockerd in that namespace too.
 */
export async function startRegistry(options: {storage?: string; auth?: RegistryAuth; dockerdNetns?: string} = {}): Promise<TestRegistry> {
	const directory = mkdtempSync(path.join(tmpdir(), 'berth-registry-'));
	const storage = options.storage ?? path.join(directory, 'storage');
	mkdirSync(storage, {recursive: true});
	const socket = path.join(directory, 'registry.sock');
	const lines = ['version: 0.1', 'log:', '  level: warn', 'storage:', '  filesystem:', `    rootdirectory: ${storage}`, '  delete:', '    enabled: true', 'http:', '  net: unix', `  addr: ${socket}`];
	if (options.auth && 'htpasswd' in options.auth) {
		const file = path.join(directory, 'htpasswd');
		writeFileSync(file, execFileSync('htpasswd', ['-Bbn', options.auth.htpasswd.user, options.auth.htpasswd.password]));
		lines.push('auth:', '  htpasswd:', '    realm: berth-test', `    path: ${file}`);
	} else if (options.auth && 'token' in options.auth) {
		const {token} = options.auth;
		lines.push('auth:', '  token:', `    realm: ${token.realm}`, `    service: ${token.service}`, `    issuer: ${token.issuer}`, `    rootcertbundle: ${token.certificate}`);
	}

	const config = path.join(directory, 'config.yml');
	writeFileSync(config, `${lines.join('\n')}\n`);
	const logFile = path.join(directory, 'registry.log');
	const out = (await import('node:fs')).openSync(logFile, 'a');
	const registry = spawn('docker-registry', ['serve', config], {stdio: ['ignore', out, out]});
	const log = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '');
	await waitFor(async () => {
		if (registry.exitCode !== null) throw new Error(`docker-registry exited: ${log()}`);
		return existsSync(socket);
	}, 'docker-registry');
	const relays: ChildProcess[] = [];
	const port = await onFreePort(async port => {
		relays.push(await relay(port, socket));
		return port;
	});
	if (options.dockerdNetns) relays.push(await relay(port, socket, options.dockerdNetns));
	const host = `127.0.0.1:${port}`;
	await waitFor(async () => {
		try {
			const response = await fetch(`http://${host}/v2/`);
			return response.status === 200 || response.status === 401;
		} catch {
			return false;
		}
	}, 'the registry relay');
	return {
		host,
		storage,
		log,
		async stop() {
			for (const child of relays) await stopChild(child);
			await stopChild(registry);
			rmSync(directory, {recursive: true, force: true});
		},
	};
}
