// A TCP port on 127.0.0.1 passed through to a Unix socket: how one test registry is reached at
// the same address from the host's network namespace and from the test dockerd's own.
// Usage: node tcp-to-unix.mjs PORT SOCKET (prints "ready" once it listens).
import net from 'node:net';

const [port, socketPath] = process.argv.slice(2);
const server = net.createServer(client => {
	const upstream = net.connect(socketPath);
	client.pipe(upstream).pipe(client);
	client.on('error', () => upstream.destroy());
	upstream.on('error', () => client.destroy());
});
server.listen(Number(port), '127.0.0.1', () => process.stdout.write('ready\n'));
