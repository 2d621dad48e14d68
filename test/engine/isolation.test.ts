// The engine isolates a container as dockerd does: the same probes, run with the real docker CLI
// on the same static-busybox image against dockerd and against the engine, must answer the same.
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, before, test} from 'node:test';
import type {Connection} from '../../source/client/connect/connect.ts';
import {daemonEnv, daemonForSuite, requireDaemon, testImage} from '../helpers/daemon.ts';
import {copyImage} from '../helpers/images.ts';
import {requireNamespaces, startTestEngine, type TestEngine} from '../helpers/engine.ts';

let engine: TestEngine;
let daemon: Connection | undefined;
before(async () => {
	daemon = await daemonForSuite();
	engine = await startTestEngine();
	if (daemon) await copyImage(daemon.docker, engine.client.docker, testImage);
});
after(async () => engine?.cleanup());

type Answer = {code: number; stdout: string; stderr: string};
function docker(env: Record<string, string | undefined>, args: string[]): Promise<Answer> {
	return new Promise(resolve => {
		execFile('docker', args, {env: {...process.env, ...env}, timeout: 60_000}, (error, stdout, stderr) => {
			resolve({code: error ? Number((error as {code?: number}).code ?? 1) : 0, stdout, stderr});
		});
	});
}

/** Runs `docker run --rm --network none [FLAGS] IMAGE sh -c SCRIPT` on both. */
async function both(flags: string[], script: string): Promise<{dockerd: Answer; engine: Answer}> {
	const args = ['run', '--rm', '--network', 'none', ...flags, testImage, 'sh', '-c', script];
	const [fromDockerd, fromEngine] = await Promise.all([docker(daemonEnv(daemon!), args), docker({DOCKER_HOST: engine.url, DOCKER_CONTEXT: undefined}, args)]);
	return {dockerd: fromDockerd, engine: fromEngine};
}

async function ready(t: import('node:test').TestContext): Promise<boolean> {
	if (!(await requireDaemon(t))) return false;
	return requireNamespaces(t, engine);
}

const same = async (flags: string[], script: string, what: string) => {
	const answers = await both(flags, script);
	assert.equal(answers.engine.stdout, answers.dockerd.stdout, `${what}: ${JSON.stringify(answers)}`);
	assert.equal(answers.engine.code, answers.dockerd.code, `${what}: the exit code`);
	return answers.engine;
};

test('the command is PID 1, with Docker\'s default capabilities and seccomp filter, and no new privileges only when asked', async t => {
	if (!(await ready(t))) return;
	const status = 'echo "pid $$"; grep -E "^(CapEff|CapBnd|CapPrm|Seccomp|NoNewPrivs):" /proc/self/status';
	const root = await same([], status, 'as root');
	assert.match(root.stdout, /^pid 1\nCapPrm:\t00000000a80425fb\nCapEff:\t00000000a80425fb\nCapBnd:\t00000000a80425fb\nNoNewPrivs:\t0\nSeccomp:\t2\n$/);
	await same(['-u', '1001'], status, 'as a user without a passwd entry');
	await same(['--cap-drop', 'ALL', '--cap-add', 'NET_ADMIN'], status, 'drop all, add one');
	await same(['--cap-add', 'SYS_ADMIN', '--security-opt', 'no-new-privileges'], status, 'an added capability and no new privileges');
	// dockerd binds its tini at /sbin/docker-init, the engine at /dev/init (an image's /sbin may not exist to bind on).
	const underInit = await same(['--init'], '[ $$ -ne 1 ] && echo "not PID 1"; tr "\\0" " " </proc/1/cmdline | sed "s#^[^ ]*init #INIT #"', '--init: tini is PID 1, the command its child');
	assert.match(underInit.stdout, /^not PID 1\nINIT -- sh -c /);
});

test('what dockerd hides and refuses stays hidden and refused', async t => {
	if (!(await ready(t))) return;
	// Masked: empty in place of the kernel's; read-only: /proc/sys and /sys.
	await same([], 'ls -A /proc/acpi /proc/scsi 2>&1; echo 1 > /proc/sys/kernel/domainname 2>/dev/null || echo "proc/sys read-only"; touch /sys/x 2>/dev/null || echo "sys read-only"', 'masked and read-only paths');
	// A capability the defaults lack (SYS_ADMIN: mount), and new namespaces (seccomp).
	await same([], 'mkdir /m; mount -t tmpfs none /m 2>/dev/null || echo "mount refused"; unshare -U true 2>/dev/null || echo "unshare refused"', 'privileges refused');
	// A device node: making one is allowed (MKNOD), opening it is not, wherever it is made (the
	// root, /dev, /tmp, a bind mount, a volume). The device is this machine's first disk, which is there.
	const [major, minor] = readdirSync('/sys/dev/block')[0]!.split(':');
	const envs = {dockerd: daemonEnv(daemon!), engine: {DOCKER_HOST: engine.url, DOCKER_CONTEXT: undefined}};
	const places = ['/disk', '/dev/disk', '/tmp/disk', '/bound/disk', '/volume/disk'];
	const open = `mkdir -p /tmp; ${places.map(place => `mknod ${place} b ${major} ${minor} && { head -c 1 ${place} >/dev/null 2>&1 && echo "${place} opened" || echo "${place} refused"; }`).join('; ')}`;
	for (const [label, env] of Object.entries(envs)) {
		const volume = `iso-${Math.random().toString(36).slice(2, 8)}`;
		const bound = mkdtempSync(path.join(tmpdir(), 'berth-iso-'));
		try {
			const answer = await docker(env, ['run', '--rm', '--network', 'none', '-v', `${bound}:/bound`, '-v', `${volume}:/volume`, testImage, 'sh', '-c', open]);
			assert.equal(answer.stdout, places.map(place => `${place} refused\n`).join(''), `${label}: ${JSON.stringify(answer)}`);
		} finally {
			rmSync(bound, {recursive: true, force: true});
			await docker(env, ['volume', 'rm', '-f', volume]);
		}
	}
});

test('signals come from outside: PID 1 without a handler is killed after the timeout, a handler chooses the code, --init reaps and forwards', async t => {
	if (!(await ready(t))) return;
	const envs = {dockerd: daemonEnv(daemon!), engine: {DOCKER_HOST: engine.url, DOCKER_CONTEXT: undefined}};
	for (const [label, env] of Object.entries(envs)) {
		const cases: Array<[string[], string, number]> = [
			[[], 'sleep 300', 137],
			[[], 'trap "exit 3" TERM; while :; do sleep 0.1; done', 3],
			[['--init'], 'sleep 300', 143],
		];
		for (const [flags, script, expected] of cases) {
			const name = `iso-${label}-${Math.random().toString(36).slice(2, 7)}`;
			const run = await docker(env, ['run', '-d', '--name', name, '--network', 'none', ...flags, testImage, 'sh', '-c', script]);
			assert.equal(run.code, 0, run.stderr);
			await docker(env, ['stop', '-t', '2', name]);
			const code = await docker(env, ['inspect', '-f', '{{.State.ExitCode}}', name]);
			assert.equal(Number(code.stdout.trim()), expected, `${label}: ${flags.join(' ')} sh -c '${script}'`);
			await docker(env, ['rm', '-f', name]);
		}
	}

	// A zombie left by an exited child is reaped by tini, not by a plain PID 1 shell that never waits.
	const zombies = 'sh -c "sleep 0.2 &" ; sleep 1; grep -l "^State:.*Z" /proc/[0-9]*/status 2>/dev/null | wc -l';
	await same(['--init'], zombies, '--init reaps');
});

test('--read-only, --tmpfs and --device as dockerd gives them; docker info says what is in force', async t => {
	if (!(await ready(t))) return;
	await same(['--read-only'], 'touch /x 2>/dev/null || echo "root read-only"; mkdir -p /tmp 2>/dev/null || echo "no new directory either"', '--read-only');
	await same(['--read-only', '--tmpfs', '/run:size=1m,mode=1777'], 'touch /run/x && echo "tmpfs writable"; grep " /run " /proc/mounts | cut -d" " -f3,4', '--tmpfs with options, Docker\'s defaults added');
	await same(['--tmpfs', '/scratch:exec'], 'grep " /scratch " /proc/mounts | cut -d" " -f4', '--tmpfs exec');
	// A device given is there and opens. (Made by hand with the same numbers it opens under dockerd,
	// whose device list allows it, and not on the engine, whose mounts are all nodev: stricter, kept.)
	const [major, minor] = readdirSync('/sys/dev/block')[0]!.split(':');
	const device = readFileSync(`/sys/dev/block/${major}:${minor}/uevent`, 'utf8').match(/^DEVNAME=(.+)$/m)?.[1];
	assert.ok(device, 'the first block device has a name');
	await same(['--device', `/dev/${device}:/dev/given`], 'ls -l /dev/given | cut -c1; head -c 1 /dev/given >/dev/null && echo "given opens"', '--device');
	const refused = await both(['--device', '/no/such/device'], 'true');
	assert.notEqual(refused.engine.code, 0);
	assert.match(refused.engine.stderr, /error gathering device information while adding custom device "\/no\/such\/device"/);
	const info = JSON.parse((await docker({DOCKER_HOST: engine.url, DOCKER_CONTEXT: undefined}, ['info', '--format', '{{json .}}'])).stdout) as {SecurityOptions: string[]; LiveRestoreEnabled: boolean};
	assert.ok(info.SecurityOptions.includes('name=seccomp,profile=default'), `seccomp in force, and said: ${JSON.stringify(info.SecurityOptions)}`);
	assert.equal(info.LiveRestoreEnabled, true, 'containers outlive the engine, as under live restore');
});
