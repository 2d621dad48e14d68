// Compose projects in berth, against dockerd with Debian's docker-compose (v1.29), tried in a
// real terminal: the project's header row selected, restart acts on every container (checked by
// StartedAt), `U` runs `up -d` after `docker-compose stop`, `X` runs `down` after asking, and a
// project whose files are gone says so and is not acted on.
import assert from 'node:assert/strict';
import {execFile, execFileSync} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, afterEach, type TestContext, test} from 'node:test';
import {promisify} from 'node:util';
import type Docker from 'dockerode';
import {requirePart} from '../helpers/ci.ts';
import {eventually, requireDaemon, testImage} from '../helpers/daemon.ts';
import {Terminal} from '../helpers/terminal.ts';

const run = promisify(execFile);
let terminal: Terminal | undefined;
const projects: Array<{name: string; directory: string}> = [];
let env: NodeJS.ProcessEnv = process.env;
afterEach(() => {
	terminal?.close();
	terminal = undefined;
});
after(async () => {
	for (const project of projects) {
		await run('docker-compose', ['--project-name', project.name, 'down', '--remove-orphans', '--timeout', '1'], {cwd: project.directory, env}).catch(() => undefined);
		rmSync(project.directory, {recursive: true, force: true});
	}
});

function composeMissing(): string | undefined {
	try {
		execFileSync('docker-compose', ['version', '--short'], {stdio: 'pipe'});
		return undefined;
	} catch {
		return 'no docker-compose CLI (apt-get install docker-compose)';
	}
}

/** A two-service project on the test daemon, up; the services stop at once on SIGTERM. */
async function upProject(t: TestContext): Promise<{docker: Docker; name: string; directory: string} | undefined> {
	const connection = await requireDaemon(t);
	if (!connection || !requirePart(t, composeMissing())) return undefined;
	env = {...process.env, DOCKER_HOST: connection.endpoint.url};
	const name = `bt${Math.random().toString(36).slice(2, 8)}`;
	const directory = mkdtempSync(path.join(tmpdir(), 'berth-compose-'));
	projects.push({name, directory});
	const service = (word: string) => `  ${word}:\n    image: ${testImage}\n    network_mode: none\n    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]\n`;
	writeFileSync(path.join(directory, 'docker-compose.yml'), `version: "3"\nservices:\n${service('web')}${service('worker')}`);
	await run('docker-compose', ['--project-name', name, 'up', '-d'], {cwd: directory, env});
	return {docker: connection.docker, name, directory};
}

const projectContainers = async (docker: Docker, name: string) => docker.listContainers({all: true, filters: {label: [`com.docker.compose.project=${name}`]}});
const startedAts = async (docker: Docker, name: string) =>
	Promise.all((await projectContainers(docker, name)).map(async info => (await docker.getContainer(info.Id).inspect()).State.StartedAt)).then(list => list.sort());

/** Filters the list to the project and selects its header row. */
async function selectProject(screen: Terminal, name: string): Promise<void> {
	await screen.waitFor(new RegExp(`${name} +2/2 running`), 10_000);
	screen.press('/');
	screen.type(name);
	screen.press('Enter');
	await screen.waitFor(shown => /Containers \(2 of \d+\)/.test(shown) && shown.includes(`▸ ${name}_web_1`));
	screen.press('k');
	await screen.waitFor(`▸ ${name}  2/2 running`);
	await screen.waitFor(`project ${name}: 2/2 running`);
}

test('a compose project: restart on its row restarts both, U is up -d after a stop, X is down after asking', async t => {
	const project = await upProject(t);
	if (!project) return;
	const {docker, name, directory} = project;
	terminal = new Terminal({columns: 120, rows: 40});
	const screen = terminal;
	await selectProject(screen, name);
	await screen.waitFor(`directory  ${directory}`);

	const before = await startedAts(docker, name);
	screen.press('r');
	await screen.waitFor(`Restart 2 containers (${name}_web_1, ${name}_worker_1)?`);
	screen.press('y');
	assert.ok(await eventually(async () => {
		const now = await startedAts(docker, name);
		return now.every((startedAt, index) => startedAt !== before[index]);
	}, 20_000), 'both containers started again');
	await screen.waitFor(`▸ ${name}  2/2 running`);

	await run('docker-compose', ['--project-name', name, 'stop', '--timeout', '1'], {cwd: directory, env});
	await screen.waitFor(`▸ ${name}  0/2 running`, 10_000);
	screen.press('U');
	await screen.waitFor(`compose up -d: ${name}`);
	assert.ok(await eventually(async () => (await projectContainers(docker, name)).every(info => info.State === 'running'), 30_000), 'up -d started both');
	await screen.waitFor(`compose up -d: ${name}: done`, 30_000);
	await screen.waitFor(`▸ ${name}  2/2 running`);

	screen.press('X');
	await screen.waitFor(`compose down ${name}: stop and remove its 2 containers and its networks?`);
	screen.press('y');
	assert.ok(await eventually(async () => (await projectContainers(docker, name)).length === 0, 30_000), 'down removed both');
	await screen.waitFor(`compose down: ${name}: done`, 30_000);
});

test('a project whose compose files are gone says so on its row, and compose is not run', async t => {
	const project = await upProject(t);
	if (!project) return;
	const {name, directory} = project;
	rmSync(path.join(directory, 'docker-compose.yml'));
	terminal = new Terminal({columns: 120, rows: 40});
	const screen = terminal;
	await screen.waitFor(`${name}  2/2 running · compose files not on this machine`, 10_000);
	await selectProject(screen, name);
	await screen.waitFor('(not on this machine)');
	screen.press('U');
	await screen.waitFor(`the compose files of ${name} are not on this machine`);
	// Put back for the clean-up's `down`.
	writeFileSync(path.join(directory, 'docker-compose.yml'), 'version: "3"\nservices: {}\n');
});
