// The run form, tried in a real terminal against dockerd: `n` creates and starts a container with
// env, a memory limit and a bind (checked through the API); a field that does not read is refused
// before anything is sent; `D` makes a copy beside the original, or replaces it under its name
// with the changed env; a replacement that cannot start puts the original back, running.
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, afterEach, test} from 'node:test';
import type Docker from 'dockerode';
import {eventually, ownerLabels, removeTestContainers, requireDaemon, testImage, uniqueName} from '../helpers/daemon.ts';
import {Terminal} from '../helpers/terminal.ts';

let terminal: Terminal | undefined;
let docker: Docker | undefined;
const made: string[] = [];
const scratch = mkdtempSync(path.join(tmpdir(), 'berth-form-'));
afterEach(() => {
	terminal?.close();
	terminal = undefined;
});
after(async () => {
	if (docker) {
		await removeTestContainers(docker);
		for (const name of made) await docker.getContainer(name).remove({force: true}).catch(() => undefined);
	}

	rmSync(scratch, {recursive: true, force: true});
});

// Stops at once on SIGTERM, so a replacement does not wait out the stop timeout.
const quick = `sh -c 'trap "exit 0" TERM; echo "$GREETING"; while true; do sleep 1; done'`;

function open(): Terminal {
	terminal = new Terminal({columns: 100, rows: 32});
	return terminal;
}

/** Moves the form's focus to a field by its label, from wherever it is. */
async function toField(screen: Terminal, label: string): Promise<void> {
	for (let step = 0; step < 16; step++) {
		if (new RegExp(`▸ ${label} `).test(screen.screen())) return;
		screen.press('Down');
		await new Promise(resolve => setTimeout(resolve, 30));
	}

	await screen.waitFor(new RegExp(`▸ ${label} `), 1000);
}

async function fill(screen: Terminal, label: string, text: string): Promise<void> {
	await toField(screen, label);
	screen.press('C-u');
	screen.type(text);
	await screen.waitFor(shown => shown.includes(`▸ ${label.padEnd(9)}${text}`));
}

async function focusOn(screen: Terminal, name: string): Promise<void> {
	screen.press('/');
	screen.type(name);
	screen.press('Enter');
	await screen.waitFor(shown => shown.includes(`▸ ${name}`) && /Containers \(1 of \d+\)/.test(shown), 10_000);
}

test('n creates and starts a container with env, a memory limit and a bind; a bad field is refused before sending', async t => {
	const connection = await requireDaemon(t);
	if (!connection) return;
	docker = connection.docker;
	const source = mkdtempSync(path.join(scratch, 'bind-'));
	writeFileSync(path.join(source, 'greeting'), 'from the host\n');
	const name = uniqueName('form');
	made.push(name);
	const screen = open();
	await screen.waitFor(/Containers \(\d+\)/);
	screen.press('n');
	await screen.waitFor('Run a container');
	await fill(screen, 'image', testImage);
	await fill(screen, 'name', name);
	await fill(screen, 'command', `sh -c 'cat /data/greeting; echo "$GREETING"; sleep 300'`);
	await fill(screen, 'env', `GREETING="two words"`);
	await fill(screen, 'volumes', `${source}:/data:ro`);
	await fill(screen, 'network', 'none');
	await fill(screen, 'memory', 'lots');
	screen.press('Enter');
	await screen.waitFor('a size: 512m, 1g');
	assert.equal(await docker.getContainer(name).inspect().then(() => true, () => false), false, 'nothing was sent');
	await fill(screen, 'memory', '64m');
	screen.press('Enter');
	await screen.waitFor(`started ${name}`, 10_000);
	const inspect = await docker.getContainer(name).inspect();
	assert.equal(inspect.State.Running, true);
	assert.equal(inspect.HostConfig.Memory, 64 * 1024 * 1024);
	assert.ok(inspect.Config.Env.includes('GREETING=two words'));
	assert.deepEqual(inspect.HostConfig.Binds, [`${source}:/data:ro`]);
	assert.ok(await eventually(async () => (await docker!.getContainer(name).logs({stdout: true})).toString().includes('two words')));
	assert.match((await docker.getContainer(name).logs({stdout: true})).toString(), /from the host/);
});

test('D makes a copy beside the original; with replace on, the new one takes the name and the changed env', async t => {
	const connection = await requireDaemon(t);
	if (!connection) return;
	docker = connection.docker;
	const name = uniqueName('dup');
	made.push(name, `${name}-copy`);
	const original = await docker.createContainer({name, Image: testImage, Cmd: ['sh', '-c', quick.slice(7, -1)], Env: ['GREETING=first'], Labels: ownerLabels, HostConfig: {NetworkMode: 'none', Memory: 32 * 1024 * 1024}});
	await original.start();
	const screen = open();
	await focusOn(screen, name);
	screen.press('D');
	await screen.waitFor(`Copy of ${name}`);
	await screen.waitFor(`name     ${name}-copy`);
	screen.press('Enter');
	await screen.waitFor(`started ${name}-copy, a copy of ${name}`, 10_000);
	const copy = await docker.getContainer(`${name}-copy`).inspect();
	assert.equal(copy.HostConfig.Memory, 32 * 1024 * 1024, 'the copy has what the original had');
	assert.equal((await original.inspect()).State.Running, true, 'the original is untouched');

	// The filter still shows both; the original sorts first and is selected.
	await screen.waitFor(shown => shown.includes(`▸ ${name} `) && shown.includes(`${name}-copy`));
	screen.press('D');
	await screen.waitFor(`Copy of ${name}`);
	screen.press('Up');
	screen.press('Space');
	await screen.waitFor(`Replace ${name}: stop it, start this in its place`);
	await fill(screen, 'env', 'GREETING=second');
	screen.press('Enter');
	await screen.waitFor(`replaced ${name}`, 20_000);
	const replaced = await docker.getContainer(name).inspect();
	assert.notEqual(replaced.Id, original.id, 'a new container under the name');
	assert.ok(replaced.Config.Env.includes('GREETING=second') && !replaced.Config.Env.includes('GREETING=first'), 'the changed env');
	assert.equal(replaced.State.Running, true);
	assert.equal(await original.inspect().then(() => true, () => false), false, 'the original is gone once the new one started');
});

test('a replacement that cannot start puts the original back, running, and says why next to the command', async t => {
	const connection = await requireDaemon(t);
	if (!connection) return;
	docker = connection.docker;
	const name = uniqueName('keep');
	made.push(name);
	const original = await docker.createContainer({name, Image: testImage, Cmd: ['sh', '-c', quick.slice(7, -1)], Env: ['GREETING=kept'], Labels: ownerLabels, HostConfig: {NetworkMode: 'none'}});
	await original.start();
	const screen = open();
	await focusOn(screen, name);
	screen.press('D');
	await screen.waitFor(`Copy of ${name}`);
	screen.press('Up');
	screen.press('Space');
	await screen.waitFor(`[x] replace ${name}`);
	await fill(screen, 'command', '/no/such/program');
	screen.press('Enter');
	await screen.waitFor(`not replaced: the original ${name} is back, running`, 20_000);
	const back = await docker.getContainer(name).inspect();
	assert.equal(back.Id, original.id, 'the same container, under its own name');
	assert.equal(back.State.Running, true);
	const names = (await docker.listContainers({all: true})).flatMap(info => info.Names);
	assert.equal(names.filter(entry => entry.includes(`${name}-berth-old`)).length, 0, 'nothing left renamed aside');
	screen.press('Escape');
	await screen.waitFor(`▸ ${name}`);
});
