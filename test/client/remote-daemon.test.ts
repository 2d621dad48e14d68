// A real dockerd of the test's own on tcp://127.0.0.1 with TLS (certificates made here): berth
// reaches it with DOCKER_TLS_VERIFY, refuses a wrong CA in one clear line, and in a real terminal
// rides out the daemon being stopped and started again.
import assert from 'node:assert/strict';
import {execFileSync, spawnSync} from 'node:child_process';
import {existsSync, mkdirSync, mkdtempSync, copyFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, afterEach, test} from 'node:test';
import {connect} from '../../source/client/connect/connect.ts';
import {listContainers} from '../../source/client/resources/containers.ts';
import {parseHost} from '../../source/client/connect/endpoint.ts';
import {describeConnectError} from '../../source/client/errors.ts';
import {type PrivateDockerd, requirePrivateDockerd} from '../helpers/private-dockerd.ts';
import {berthBin, Terminal} from '../helpers/terminal.ts';

let daemon: PrivateDockerd | undefined;
let terminal: Terminal | undefined;
afterEach(() => {
	terminal?.close();
	terminal = undefined;
});
after(async () => daemon?.cleanup());

const dockerCli = (...args: string[]) => execFileSync('docker', ['-H', daemon!.url, ...args], {env: {...process.env, ...daemon!.clientEnv}, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe']});

test('tcp:// with TLS from DOCKER_TLS_VERIFY and DOCKER_CERT_PATH reaches a real dockerd; a wrong CA is one clear line, exit code 1', async t => {
	daemon = await requirePrivateDockerd(t);
	if (!daemon) return;
	const remote = await connect(parseHost(daemon.url, daemon.clientEnv));
	assert.equal(remote.serverName, 'Docker');
	assert.deepEqual(await listContainers(remote.docker), []);
	remote.close();

	const wrong = {DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: daemon.certificates.otherCaDirectory};
	const refused = await connect(parseHost(daemon.url, wrong)).catch((error: unknown) => error);
	assert.match(describeConnectError(refused, parseHost(daemon.url, wrong)), /^cannot connect to tcp:\/\/127\.0\.0\.1:\d+: .*certificate/i);
	const run = spawnSync(process.execPath, [berthBin, '--host', daemon.url], {env: {...process.env, ...wrong, DOCKER_HOST: ''}, encoding: 'utf8'});
	assert.equal(run.status, 1);
	assert.equal(run.stderr.trim().split('\n').length, 1, 'one line');
	assert.match(run.stderr, /^berth: cannot connect to tcp:\/\/127\.0\.0\.1:\d+: .*certificate/i);
});

test('the daemon stopped and started again under a running berth, in a real terminal: disconnected, retrying, then the list again', async t => {
	daemon ??= await requirePrivateDockerd(t);
	if (!daemon) return;
	// An image of its own for this daemon: a static busybox, imported (nothing can be pulled).
	const busybox = ['/bin/busybox', '/usr/bin/busybox'].find(candidate => existsSync(candidate));
	assert.ok(busybox, 'a static busybox is needed (apt-get install busybox-static)');
	const rootfs = mkdtempSync(path.join(tmpdir(), 'berth-rootfs-'));
	mkdirSync(path.join(rootfs, 'bin'));
	copyFileSync(busybox, path.join(rootfs, 'bin', 'busybox'));
	const tarball = path.join(rootfs, '..', `${path.basename(rootfs)}.tar`);
	execFileSync('tar', ['-C', rootfs, '-cf', tarball, 'bin']);
	dockerCli('import', tarball, 'berth-tls/busybox');
	dockerCli('create', '--network', 'none', '--name', 'outlives-restart', 'berth-tls/busybox', '/bin/busybox', 'sleep', '300');

	terminal = new Terminal({args: ['--host', daemon.url], env: {...daemon.clientEnv, DOCKER_HOST: undefined}, columns: 100, rows: 30});
	await terminal.waitFor(/outlives-restart +berth-tls\/busybox +created/, 10_000);
	await daemon.stop();
	await terminal.waitFor('disconnected — retrying', 15_000);
	await daemon.start();
	const shown = await terminal.waitFor(screen => screen.includes('0/1 running') && screen.includes('outlives-restart'), 30_000);
	assert.doesNotMatch(shown, /disconnected/);
	// The connection is live again: a change made now shows from the event stream.
	dockerCli('rename', 'outlives-restart', 'renamed-after-restart');
	await terminal.waitFor('renamed-after-restart', 10_000);
});
