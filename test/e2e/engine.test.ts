// berth's TUI, unchanged, in a real terminal against berth's own engine: the containers panel,
// the other panels (and one line where the engine lacks an endpoint), an engine that goes away
// and comes back, and the host switcher between the engine and a real dockerd.
import assert from 'node:assert/strict';
import {after, afterEach, before, test} from 'node:test';
import type Docker from 'dockerode';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {eventually, removeTestContainers, requireDaemon, runContainer, uniqueName} from '../helpers/daemon.ts';
import {startTestEngine, type TestEngine} from '../helpers/engine.ts';
import {Terminal} from '../helpers/terminal.ts';

let engine: TestEngine;
let terminal: Terminal | undefined;
before(async () => {
	engine = await startTestEngine();
});
afterEach(() => {
	terminal?.close();
	terminal = undefined;
});
let daemonDocker: Docker | undefined;
after(async () => {
	await engine?.cleanup();
	if (daemonDocker) await removeTestContainers(daemonDocker);
});

test('the TUI lists, tails, stops and removes containers on the engine', async () => {
	const {docker} = engine.client;
	const web = await docker.createContainer({name: 'engine-web', Image: 'host', Cmd: ['sh', '-c', 'trap "exit 0" TERM; echo "serving from $(hostname)"; while true; do echo tick; sleep 0.5; done']});
	await web.start();
	const done = await docker.createContainer({name: 'engine-done', Image: 'host', Cmd: ['sh', '-c', 'exit 3']});
	await done.start();
	await done.wait();

	terminal = new Terminal({args: ['--host', engine.url], columns: 100, rows: 30, env: {DOCKER_HOST: undefined}});
	const screen = await terminal.waitFor(/engine-done +host +exited +Exited \(3\)/);
	assert.match(screen, /engine-web +host +running +Up/);
	assert.ok(screen.includes(engine.url), 'the header names the engine socket');
	assert.match(screen, /berth engine \d+\.\d+\.\d+ │ \d+\/\d+ running │ unix:/);
	await terminal.waitFor(/engine\.sock \((namespaces|no isolation)\)/);
	// engine-web is running, so it is first and selected: its logs show.
	await terminal.waitFor('serving from');
	terminal.press('s');
	assert.ok(await eventually(async () => !(await web.inspect()).State.Running, 5000), 'stopped through the engine');
	await terminal.waitFor(/engine-web +host +exited +Exited \(0\)/);
	terminal.press('d');
	await terminal.waitFor('Remove engine-web? y yes');
	terminal.press('y');
	assert.ok(await eventually(async () => web.inspect().then(() => false, () => true), 5000), 'removed');
	await terminal.waitFor(screen_ => !screen_.includes('engine-web'));
	await done.remove();
});

test('the engine stopped and started again under a running berth: disconnected, retrying, then the list comes back; an action refused meanwhile is never sent later', async () => {
	const {docker} = engine.client;
	// It comes back running after the engine restarts (its policy): a stop replayed on reconnect would show.
	const kept = await docker.createContainer({name: 'outage-kept', Image: 'host', Cmd: ['sleep', '300'], HostConfig: {RestartPolicy: {Name: 'always'}}});
	await kept.start();
	const other = await docker.createContainer({name: 'outage-other', Image: 'host', Cmd: ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1; done']});
	await other.start();
	terminal = new Terminal({args: ['--host', engine.url], columns: 100, rows: 30, env: {DOCKER_HOST: undefined}});
	await terminal.waitFor(/outage-kept +host +running/);

	await engine.stop();
	await terminal.waitFor('disconnected — retrying', 10_000);
	// An action while the engine is away is refused on the spot, not queued for later.
	terminal.type('/outage-kept');
	terminal.press('Enter');
	terminal.press('s');
	await terminal.waitFor('not connected: stop not sent');

	await engine.restart();
	// One made while berth was cut off must show too.
	const created = await engine.client.docker.createContainer({name: 'outage-after', Image: 'host', Cmd: ['true']});
	terminal.press('Escape');
	const shown = await terminal.waitFor(screen => /\d+\/\d+ running/.test(screen) && screen.includes('outage-after') && /outage-kept +host +running/.test(screen), 20_000);
	assert.doesNotMatch(shown, /disconnected/);
	const startedAt = (await engine.client.docker.getContainer('outage-kept').inspect()).State.StartedAt;
	// An action berth does send now goes out and comes back; by then a replayed stop would have gone out before it.
	terminal.type('/outage-other');
	terminal.press('Enter');
	terminal.press('r');
	await terminal.waitFor('restarted outage-other', 15_000);
	const after = (await engine.client.docker.getContainer('outage-kept').inspect()).State;
	assert.equal(after.Running, true, 'still running: the refused stop was never sent');
	assert.equal(after.StartedAt, startedAt);
	for (const name of ['outage-after', 'outage-kept', 'outage-other']) await engine.client.docker.getContainer(name).remove({force: true});
	await created.inspect().catch(() => undefined);
});

test('the other panels on the engine: images, volumes and disk usage listed; networks, which it does not offer yet, say so in one line', async () => {
	const {docker} = engine.client;
	await docker.createVolume({Name: 'engine-vol'});
	const user = await docker.createContainer({name: 'engine-vol-user', Image: 'host', Cmd: ['sleep', '300'], HostConfig: {Binds: ['engine-vol:/tmp/data']}});
	terminal = new Terminal({args: ['--host', engine.url], columns: 120, rows: 30, env: {DOCKER_HOST: undefined}});
	await terminal.waitFor(/Containers \(\d+\)/);
	terminal.press('2');
	await terminal.waitFor(/Images \(\d+\)[\s\S]*host:latest +[0-9a-f]{12}/);
	terminal.press('3');
	await terminal.waitFor(/engine-vol +local +\S+ .*engine-vol-user/);
	terminal.press('4');
	await terminal.waitFor(/berth engine [\d.]+ does not offer networks/);
	terminal.press('6');
	// The volume in use, counted as dockerd counts it: one, active.
	await terminal.waitFor(/Disk usage \(\d+\)[\s\S]*Local Volumes +1 +1 /);
	terminal.press('5');
	await terminal.waitFor(/Events/);
	await user.start();
	await terminal.waitFor(/container +start +engine-vol-user/, 5000);
	await user.remove({force: true});
	await docker.getVolume('engine-vol').remove();
});

test('H switches between berth\'s engine and a saved dockerd host, shows each one\'s version, and remembers the choice', async t => {
	const daemon = await requireDaemon(t);
	if (!daemon) return;
	daemonDocker = daemon.docker;
	const config = mkdtempSync(path.join(tmpdir(), 'berth-config-'));
	writeFileSync(path.join(config, 'config.json'), JSON.stringify({hosts: {'test-dockerd': daemon.endpoint.url, unreachable: 'tcp://127.0.0.1:1'}}));
	const onEngine = await engine.client.docker.createContainer({name: 'switch-on-engine', Image: 'host', Cmd: ['sleep', '300']});
	await onEngine.start();
	const onDaemon = await runContainer(daemon.docker, {name: uniqueName('switch'), cmd: ['sleep', '300']});
	const daemonName = (await onDaemon.inspect()).Name.slice(1);
	try {
		const env = {...engine.env, DOCKER_HOST: undefined, DOCKER_CONFIG: config, BERTH_CONFIG_DIR: config};
		// Named explicitly: a machine with a Docker socket of its own would otherwise open on that.
		terminal = new Terminal({columns: 120, rows: 30, env, args: ['--host', engine.url]});
		await terminal.waitFor(/berth engine [\d.]+ │ .*switch-on-engine/s);
		terminal.press('H');
		// Each host is probed: the engine and the daemon answer with their versions, the other does not.
		const list = await terminal.waitFor(screen => /test-dockerd .* Docker \S+/.test(screen) && /unreachable .* connection refused/.test(screen));
		assert.match(list, /berth's engine \* .* berth engine [\d.]+/);
		terminal.press('G', 'k');
		await terminal.waitFor(/▸ test-dockerd/);
		terminal.press('Enter');
		await terminal.waitFor(new RegExp(`Docker \\S+ │ .*${daemonName}`, 's'), 10_000);
		assert.equal(JSON.parse(readFileSync(path.join(config, 'config.json'), 'utf8')).lastHost, 'saved:test-dockerd');
		// A host that does not answer leaves berth where it is, with the reason.
		terminal.press('H');
		await terminal.waitFor(/▸ test-dockerd \*/);
		terminal.press('G', 'Enter');
		await terminal.waitFor(/unreachable: cannot connect to tcp:\/\/127\.0\.0\.1:1: connection refused/);
		assert.match(terminal.screen(), new RegExp(daemonName));
		terminal.close();

		// The next start opens on the host chosen last.
		terminal = new Terminal({columns: 120, rows: 30, env});
		await terminal.waitFor(new RegExp(`Docker \\S+ │ .*${daemonName}`, 's'), 10_000);
	} finally {
		await onEngine.remove({force: true});
		rmSync(config, {recursive: true, force: true});
	}
});
