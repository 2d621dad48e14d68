// TLS material made for a test with the real openssl: a CA, a server certificate for 127.0.0.1
// and a client certificate, as `DOCKER_CERT_PATH` holds them (ca.pem, cert.pem, key.pem); plus a
// TLS front for the test daemon that, like dockerd with --tlsverify, demands a client
// certificate signed by the CA.
import {execFileSync} from 'node:child_process';
import {mkdirSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import net from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import tls from 'node:tls';

const openssl = (cwd: string, ...args: string[]) => execFileSync('openssl', args, {cwd, stdio: 'pipe'});

/** Makes a CA in `directory` and signs a certificate; returns the client's cert directory. */
export function makeCertificates(): {serverDirectory: string; clientDirectory: string; otherCaDirectory: string} {
	const root = mkdtempSync(path.join(tmpdir(), 'berth-tls-'));
	const makeCa = (name: string) => {
		const directory = path.join(root, name);
		mkdirSync(directory);
		openssl(directory, 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca-key.pem', '-out', 'ca.pem', '-days', '2', '-subj', `/CN=${name}`);
		return directory;
	};

	const ca = makeCa('ca');
	const other = makeCa('other-ca');
	const sign = (directory: string, subject: string, extensions: string) => {
		mkdirSync(directory, {recursive: true});
		writeFileSync(path.join(directory, 'ext.cnf'), extensions);
		openssl(directory, 'req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'key.pem', '-out', 'req.csr', '-subj', subject);
		openssl(directory, 'x509', '-req', '-in', 'req.csr', '-CA', path.join(ca, 'ca.pem'), '-CAkey', path.join(ca, 'ca-key.pem'), '-CAcreateserial', '-out', 'cert.pem', '-days', '2', '-extfile', 'ext.cnf');
		writeFileSync(path.join(directory, 'ca.pem'), readFileSync(path.join(ca, 'ca.pem')));
	};

	const serverDirectory = path.join(root, 'server');
	sign(serverDirectory, '/CN=127.0.0.1', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
	const clientDirectory = path.join(root, 'client');
	sign(clientDirectory, '/CN=berth-test-client', 'extendedKeyUsage=clientAuth\n');
	// A client that trusts the wrong CA: same client certificate, other ca.pem.
	const otherCaDirectory = path.join(root, 'client-wrong-ca');
	mkdirSync(otherCaDirectory);
	for (const file of ['cert.pem', 'key.pem']) writeFileSync(path.join(otherCaDirectory, file), readFileSync(path.join(clientDirectory, file)));
	writeFileSync(path.join(otherCaDirectory, 'ca.pem'), readFileSync(path.join(other, 'ca.pem')));
	return {serverDirectory, clientDirectory, otherCaDirectory};
}

/** A TLS listener on 127.0.0.1 that forwards to the daemon's unix socket. */
export async function startTlsFront(serverDirectory: string, daemonSocket: string): Promise<{port: number; close(): void}> {
	const read = (name: string) => readFileSync(path.join(serverDirectory, name));
	const sockets = new Set<net.Socket>();
	const server = tls.createServer({key: read('key.pem'), cert: read('cert.pem'), ca: read('ca.pem'), requestCert: true, rejectUnauthorized: true}, client => {
		const upstream = net.connect(daemonSocket);
		sockets.add(client).add(upstream);
		client.pipe(upstream).pipe(client);
		const drop = () => {
			client.destroy();
			upstream.destroy();
		};
		client.on('error', drop).on('close', drop);
		upstream.on('error', drop).on('close', drop);
	});
	server.on('tlsClientError', () => undefined);
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	return {
		port: (server.address() as net.AddressInfo).port,
		close() {
			server.close();
			for (const socket of sockets) socket.destroy();
		},
	};
}
