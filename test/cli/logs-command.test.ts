// `berth logs` against a real Docker daemon and against berth's engine, compared byte for byte
// with `docker logs` on the same container: multiplexed and TTY streams, UTF-8 split anywhere,
// binary garbage, escape sequences, \r, a 1 MB line; several containers merged; a restart under
// -f; a reader that goes away.
import assert from 'node:assert/strict';
import {execFile, spawn} from 'node:child_process';
import {after, before, describe, test} from 'node:test';
import {promisify} from 'node:util';
import type Docker from 'dockerode';
import {daemonForSuite, eventually, removeTestContainers, testImage, uniqueName} from '../helpers/daemon.ts';
import {startTestEngine, type TestEngine} from '../helpers/engine.ts';
import {berthBin} from '../helpers/terminal.ts';

const run = promisify(execFile);
const env = (host: string) => ({...process.env, DOCKER_HOST: host, NO_COLOR: ''});

type Backend = {host: string; docker: Docker; image: string};

// What a container prints: UTF-8 in pieces, invalid bytes, escapes that would take over a
// terminal, a \r progress bar, tabs, a 1 MB line, and stderr between.
const noisy = [
	'printf "h\\303\\251llo w\\303\\266rld \\342\\234\\223\\n"',
	'printf "\\377\\376 binary \\000\\001\\002 end\\n"',
	'printf "\\033[2J\\033[H\\033]0;title\\007\\033[31mred\\033[0m\\n"',
	'printf "progress 10%%\\rprogress 50%%\\rprogress 100%%\\n"',
	'printf "a\\tb\\tc\\n"',
	'echo to-stderr >&2',
	'head -c 1048576 /dev/zero | tr "\\000" x; echo',
	'echo done',
].join('; ');

function suite(label: string, backend: () => Promise<Backend | undefined>) {
	describe(`berth logs against ${label}`, () => {
		let b: Backend | undefined;
		before(async () => {
			b = await backend();
		});

		const berth = (...args: string[]) => run(process.execPath, [berthBin, 'logs', ...args], {env: env(b!.host), encoding: 'buffer', maxBuffer: 64 * 1024 * 1024});
		const dockerCli = (...args: string[]) => run('docker', ['-H', b!.host, 'logs', ...args], {env: env(b!.host), encoding: 'buffer', maxBuffer: 64 * 1024 * 1024});
		const make = async (cmd: string, tty = false) => {
			const name = uniqueName('logs');
			const container = await b!.docker.createContainer({name, Image: b!.image, Cmd: ['sh', '-c', cmd], Tty: tty, Labels: {'berth.test.owner': String(process.pid)}, HostConfig: {NetworkMode: 'none'}});
			await container.start();
			return {name, container};
		};

		test('the same bytes as docker logs, with and without a TTY, and with --tail and -t', async t => {
			if (!b) return t.skip('no backend');
			for (const tty of [false, true]) {
				const {name, container} = await make(noisy, tty);
				await container.wait();
				const ours = await berth(name);
				const theirs = await dockerCli(name);
				assert.ok(ours.stdout.length > 1_048_576, `tty=${tty}: the 1 MB line is there`);
				assert.ok(ours.stdout.equals(theirs.stdout), `tty=${tty}: stdout differs from docker logs`);
				assert.ok(ours.stderr.equals(theirs.stderr), `tty=${tty}: stderr differs from docker logs`);
				const tail = await berth('--tail', '2', '-t', name);
				const theirTail = await dockerCli('--tail', '2', '-t', name);
				assert.equal(tail.stdout.toString(), theirTail.stdout.toString());
			}
		});

		test('several containers merge in time order with aligned names; --grep keeps matching lines', async t => {
			if (!b) return t.skip('no backend');
			// Both write every 0.2 s for 3 s, so their lines interleave however slowly they start.
			const first = await make('for i in $(seq 1 15); do echo "first $i"; sleep 0.2; done');
			const second = await make('for i in $(seq 1 15); do echo "second $i"; sleep 0.2; done');
			await Promise.all([first.container.wait(), second.container.wait()]);
			const {stdout} = await berth('--no-color', '-t', first.name, second.name);
			const lines = stdout.toString().trim().split('\n');
			assert.equal(lines.length, 30);
			const width = Math.max(first.name.length, second.name.length);
			for (const line of lines) assert.match(line, new RegExp(`^(${first.name} {${width - first.name.length}}|${second.name} {${width - second.name.length}}) \\| \\d{4}-`), 'aligned names');
			const times = lines.map(line => line.split(' | ')[1]!.split(' ')[0]!);
			assert.deepEqual(times, [...times].sort(), 'in time order');
			assert.ok(new Set(lines.slice(0, 20).map(line => line.split(' ')[0])).size === 2, 'interleaved, not one after the other');
			const grep = await berth('--grep', 'FIRST 1[0-2]$', first.name, second.name);
			assert.equal(grep.stdout.toString(), '');
			const smart = await berth('--grep', 'first 1[0-2]$', first.name, second.name);
			assert.equal(smart.stdout.toString().replace(/\S+\s+\| /g, ''), 'first 10\nfirst 11\nfirst 12\n');
		});

		test('-f follows across a restart, and picks up a new container of the project', async t => {
			if (!b) return t.skip('no backend');
			const project = uniqueName('proj');
			const name = uniqueName('logs');
			const labels = {'berth.test.owner': String(process.pid), 'com.docker.compose.project': project};
			const create = (containerName: string, word: string) => b!.docker.createContainer({name: containerName, Image: b!.image, Cmd: ['sh', '-c', `echo "${word} up"; sleep 0.4; echo "${word} down"`], Labels: labels, HostConfig: {NetworkMode: 'none'}});
			const container = await create(name, 'one');
			await container.start();
			const follower = spawn(process.execPath, [berthBin, 'logs', '-f', '--no-color', '-p', project], {env: env(b!.host)});
			let output = '';
			follower.stdout.on('data', chunk => (output += String(chunk)));
			follower.stderr.on('data', chunk => (output += String(chunk)));
			try {
				assert.ok(await eventually(() => output.includes('one down'), 8000), output);
				await container.start();
				assert.ok(await eventually(() => output.split('one down').length === 3, 8000), `the second run's lines: ${output}`);
				const other = await create(uniqueName('late'), 'two');
				await other.start();
				assert.ok(await eventually(() => output.includes('two down'), 8000), `the new container's lines: ${output}`);
				const lines = output.trim().split('\n').map(line => line.replace(/^\S+\s+\| /, ''));
				assert.deepEqual(lines, ['one up', 'one down', 'one up', 'one down', 'two up', 'two down'], 'nothing twice, nothing lost');
				assert.equal(follower.exitCode, null, 'still following');
			} finally {
				follower.kill();
			}
		});

		test('a reader that goes away ends it quietly; an unknown container is an error', async t => {
			if (!b) return t.skip('no backend');
			const {name, container} = await make('for i in $(seq 1 20000); do echo "line $i"; done');
			await container.wait();
			const piped = await run('bash', ['-c', `"${process.execPath}" "${berthBin}" logs ${name} | head -n 2; echo "status \${PIPESTATUS[0]}"`], {env: env(b!.host)});
			assert.equal(piped.stdout, 'line 1\nline 2\nstatus 0\n');
			assert.equal(piped.stderr, '');
			const missing = await berth('no-such-container-here').catch((error: {code: number; stderr: Buffer}) => error);
			assert.equal((missing as {code: number}).code, 1);
			assert.equal((missing as {stderr: Buffer}).stderr.toString(), 'Error response from daemon: No such container: no-such-container-here\n');
		});
	});
}

let engine: TestEngine | undefined;
let daemonDocker: Docker | undefined;
after(async () => {
	if (daemonDocker) await removeTestContainers(daemonDocker);
	await engine?.cleanup();
});

suite('the Docker daemon', async () => {
	const daemon = await daemonForSuite();
	if (!daemon) return undefined;
	daemonDocker = daemon.docker;
	return {host: daemon.endpoint.url, docker: daemon.docker, image: testImage};
});

suite('berth\'s engine', async () => {
	engine = await startTestEngine();
	return {host: engine.url, docker: engine.client.docker, image: 'host'};
});

describe('berth logs: selection, follow and failure', () => {
	let docker: Docker | undefined;
	let host = '';
	before(async () => {
		const daemon = await daemonForSuite();
		if (!daemon) return;
		docker = daemon.docker;
		host = daemon.endpoint.url;
	});

	const berth = (...args: string[]) => run(process.execPath, [berthBin, 'logs', ...args], {env: env(host)}).catch((error: {code: number; stdout: string; stderr: string}) => error);
	const make = async (name: string, cmd: string, labels: Record<string, string> = {}) => {
		const container = await docker!.createContainer({name, Image: testImage, Cmd: ['sh', '-c', cmd], Labels: {'berth.test.owner': String(process.pid), ...labels}, HostConfig: {NetworkMode: 'none'}});
		await container.start();
		return container;
	};

	test('--since and --until pick lines by time; --label picks containers by label', async t => {
		if (!docker) return t.skip('no daemon');
		const label = uniqueName('lbl');
		const container = await make(uniqueName('times'), 'echo early; sleep 1.2; echo late', {'berth.test.pick': label});
		await container.wait();
		await make(uniqueName('other'), 'echo not picked', {'berth.test.pick': 'someone-else'});
		const all = (await berth('-t', container.id)) as {stdout: string};
		const [early, late] = all.stdout.trim().split('\n').map(line => line.split(' ')[0]!);
		const between = new Date((Date.parse(early!) + Date.parse(late!)) / 2).toISOString();
		assert.equal(((await berth('--since', between, container.id)) as {stdout: string}).stdout, 'late\n');
		assert.equal(((await berth('--until', between, container.id)) as {stdout: string}).stdout, 'early\n');
		const picked = (await berth('--no-color', '--label', `berth.test.pick=${label}`)) as {stdout: string};
		assert.deepEqual(picked.stdout.trim().split('\n').map(line => line.replace(/^\S+\s+\| /, '')), ['early', 'late']);
	});

	test('-f follows a container re-created under the name asked for, and ends once every named container is removed', async t => {
		if (!docker) return t.skip('no daemon');
		const name = uniqueName('again');
		const first = await make(name, 'echo "first run"; sleep 300');
		const follower = spawn(process.execPath, [berthBin, 'logs', '-f', name], {env: env(host)});
		let output = '';
		follower.stdout.on('data', chunk => (output += String(chunk)));
		const ended = new Promise<number | null>(resolve => follower.once('exit', code => resolve(code)));
		try {
			assert.ok(await eventually(() => output.includes('first run'), 8000));
			await first.remove({force: true});
			// Re-created at once under the same name, as compose does it.
			await make(name, 'echo "second run"; sleep 300');
			assert.ok(await eventually(() => output.includes('second run'), 8000), `followed under its name: ${output}`);
			await docker.getContainer(name).remove({force: true});
			assert.equal(await ended, 0, 'ends by itself once nothing named is left');
			assert.equal(output, 'first run\nsecond run\n');
		} finally {
			follower.kill();
		}
	});

	test('an unreachable engine is one line and exit code 1', async () => {
		const failed = (await run(process.execPath, [berthBin, 'logs', 'x'], {env: {...process.env, DOCKER_HOST: 'unix:///nonexistent/docker.sock'}}).catch((error: unknown) => error)) as {code: number; stderr: string};
		assert.equal(failed.code, 1);
		assert.equal(failed.stderr, 'berth logs: cannot connect to unix:///nonexistent/docker.sock: no such socket (is the Docker daemon running? use --host or DOCKER_HOST to pick another)\n');
	});

	test('on a terminal the names are coloured; --no-color and NO_COLOR take the colour away', async t => {
		if (!docker) return t.skip('no daemon');
		const tag = uniqueName('paint');
		await (await make(`${tag}-a`, 'echo from a')).wait();
		await (await make(`${tag}-b`, 'echo from b')).wait();
		const {Terminal} = await import('../helpers/terminal.ts');
		for (const [extra, coloured] of [[[], true], [['--no-color'], false]] as const) {
			const screen = new Terminal({args: ['-H', host, 'logs', ...extra, `${tag}-a`, `${tag}-b`]});
			try {
				await screen.waitFor('[end]');
				const escapes = screen.screenWithEscapes();
				assert.match(screen.screen(), new RegExp(`${tag}-a \\| from a`));
				if (coloured) assert.match(escapes, new RegExp(`\\u001B\\[3[0-9]m${tag}-a`), 'the name in its colour');
				else assert.doesNotMatch(escapes, /\u001B\[3[0-9]m/, 'no colour');
			} finally {
				screen.close();
			}
		}

		const screen = new Terminal({args: ['-H', host, 'logs', `${tag}-a`, `${tag}-b`], env: {NO_COLOR: '1'}});
		try {
			await screen.waitFor('[end]');
			assert.doesNotMatch(screen.screenWithEscapes(), /\u001B\[3[0-9]m/, 'NO_COLOR: no colour');
		} finally {
			screen.close();
		}
	});
});
