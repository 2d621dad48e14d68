// Ports for servers a test starts. A port that was free a moment ago may be taken by the time a
// server binds it, so a server is started through `onFreePort`, which tries another port when
// the server could not have it.
import net from 'node:net';

export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.listen(0, '127.0.0.1', () => {
			const {port} = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
		server.on('error', reject);
	});
}

/** Runs `start` on a free port; a start that fails (the port was taken meanwhile) is tried on another, five times at most. */
export async function onFreePort<T>(start: (port: number) => Promise<T>, attempts = 5): Promise<T> {
	let last: unknown;
	for (let attempt = 0; attempt < attempts; attempt++) {
		try {
			return await start(await freePort());
		} catch (error) {
			last = error;
		}
	}

	throw last;
}

/** Waits until something accepts connections on 127.0.0.1:port; false when the time is up or `alive` says the server died. */
export async function portOpens(port: number, timeoutMs: number, alive: () => boolean = () => true): Promise<boolean> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline && alive()) {
		const open = await new Promise<boolean>(resolve => {
			const socket = net.connect(port, '127.0.0.1', () => {
				socket.destroy();
				resolve(true);
			});
			socket.on('error', () => resolve(false));
		});
		if (open) return true;
		await new Promise(resolve => setTimeout(resolve, 50));
	}

	return false;
}
