// berth's TUI, unchanged, in a real terminal against berth's own engine.
import assert from 'node:assert/strict';
import {after, afterEach, before, test} from 'node:test';
import {eventually} from './helpers/daemon.ts';
import {startTestEngine, type TestEngine} from './helpers/engine.ts';
import {Terminal} from './helpers/terminal.ts';

let engine: TestEngine;
let terminal: Terminal | undefined;
before(async () => {
	engine = await startTestEngine();
});
afterEach(() => {
	terminal?.close();
	terminal = undefined;
});
after(async () => engine?.cleanup());

test('the TUI lists, tails, stops and removes containers on the engine', async () => {
	const {docker} = engine.client;
	const web = await docker.createContainer({name: 'engine-web', Image: 'host', Cmd: ['sh', '-c', 'echo "serving from $(hostname)"; while true; do echo tick; sleep 0.5; done']});
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
	await terminal.waitFor(/engine-web +host +exited +Exited \(143\)/);
	terminal.press('d');
	await terminal.waitFor('Remove engine-web? y yes');
	terminal.press('y');
	assert.ok(await eventually(async () => web.inspect().then(() => false, () => true), 5000), 'removed');
	await terminal.waitFor(screen_ => !screen_.includes('engine-web'));
	await done.remove();
});

test('the engine stopped and started again under a running berth: disconnected, retrying, then the list comes back; no action is sent meanwhile', async () => {
	const {docker} = engine.client;
	const before = await docker.createContainer({name: 'outage-before', Image: 'host', Cmd: ['sleep', '300']});
	await before.start();
	terminal = new Terminal({args: ['--host', engine.url], columns: 100, rows: 30, env: {DOCKER_HOST: undefined}});
	await terminal.waitFor(/outage-before +host +running/);

	await engine.stop();
	await terminal.waitFor('disconnected — retrying', 10_000);
	// An action while the engine is away is refused on the spot, not queued for later.
	terminal.type('/outage-before');
	terminal.press('Enter');
	terminal.press('s');
	await terminal.waitFor('not connected: stop not sent');

	await engine.restart();
	// The engine brings the container back exited (it was running when the engine stopped);
	// one made while berth was cut off must show too.
	const created = await engine.client.docker.createContainer({name: 'outage-after', Image: 'host', Cmd: ['true']});
	terminal.press('Escape');
	const shown = await terminal.waitFor(screen => /\d+\/\d+ running/.test(screen) && screen.includes('outage-after'), 20_000);
	assert.doesNotMatch(shown, /disconnected/);
	assert.match(shown, /outage-before +host +exited/);
	await created.remove({force: true});
	await (await engine.client.docker.getContainer('outage-before')).remove({force: true});
});
