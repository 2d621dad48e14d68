// The panels in a real terminal (tmux) against the real daemon: moving between them with `:` and
// the number keys, the Images panel's remove and prune, marks and a bulk stop, volumes and
// networks made elsewhere showing up from the event stream, and the events panel. Each outcome
// is checked through the API, not only on the screen.
import assert from 'node:assert/strict';
import {after, afterEach, test} from 'node:test';
import type Docker from 'dockerode';
import {eventually, ownerLabels, removeTestContainers, requireDaemon, runContainer, testImage, uniqueName} from '../helpers/daemon.ts';
import {Terminal} from '../helpers/terminal.ts';

let terminal: Terminal | undefined;
let docker: Docker | undefined;
afterEach(() => {
	terminal?.close();
	terminal = undefined;
});
after(async () => {
	if (docker) await removeTestContainers(docker);
});

function open(options: ConstructorParameters<typeof Terminal>[0] = {}): Terminal {
	terminal = new Terminal(options);
	return terminal;
}

/** Narrows the list in front to the rows matching `text`, and waits for `row` to be selected. */
async function filterTo(screen: Terminal, text: string, row: string | RegExp = text): Promise<string> {
	screen.press('/');
	screen.type(text);
	screen.press('Enter');
	return screen.waitFor(typeof row === 'string' ? `▸ ${row}` : row);
}

const exists = (promise: Promise<unknown>) => promise.then(() => true, () => false);

for (const [columns, rows] of [[80, 24], [200, 50]] as const) {
	test(`:images and the number keys move between panels; the title says where (${columns}x${rows})`, async t => {
		const daemon = await requireDaemon(t);
		if (!daemon) return;
		docker = daemon.docker;
		const screen = open({columns, rows});
		await screen.waitFor(/Containers \(\d+\)/);
		screen.type(':im');
		await screen.waitFor(/^:im +images$/m);
		screen.press('BSpace');
		screen.type('mg');
		screen.press('Enter');
		const images = await screen.waitFor(new RegExp(`Images \\(\\d+\\)[\\s\\S]*${testImage}:latest +[0-9a-f]{12} +\\S.* +[\\d.]+[kMG]?B`));
		assert.match(images, /REPOSITORY:TAG +IMAGE ID +CREATED +SIZE/);
		screen.press('3');
		await screen.waitFor(/Volumes \(\d+\)/);
		screen.press('4');
		await screen.waitFor(/Networks \(\d+\)/);
		await screen.waitFor(/▸ host +[0-9a-f]{12} +host +local|host +[0-9a-f]{12} +host/);
		screen.press('5');
		await screen.waitFor(/Events \(\d+\)/);
		screen.press('6');
		await screen.waitFor(/Disk usage \(4\)[\s\S]*Images +\d+ +\d+/);
		// Esc goes back through the panels visited.
		screen.press('Escape');
		await screen.waitFor(/Events \(\d+\)/);
		screen.press('1');
		await screen.waitFor(/Containers \(\d+\)/);
		// A typo says so, with the nearest command.
		screen.type(':imgaes');
		screen.press('Enter');
		await screen.waitFor('unknown command "imgaes"; did you mean :images?');
		screen.type(':q');
		screen.press('Enter');
		await screen.waitFor('[exit 0]');
	});
}

test('Images: remove an unused image (asks first), and prune a dangling one, checked through the API', async t => {
	const daemon = await requireDaemon(t);
	if (!daemon) return;
	docker = daemon.docker;
	const repository = `${uniqueName('img')}/busybox`;
	await docker.getImage(testImage).tag({repo: repository, tag: 'spare'});
	// A dangling image: a commit with no tag.
	const scratch = await runContainer(docker, {cmd: ['sh', '-c', 'echo x > /dangling']});
	await scratch.wait();
	const dangling = ((await scratch.commit({})) as {Id: string}).Id;
	await scratch.remove();

	const screen = open({columns: 120, rows: 30});
	await screen.waitFor(/Containers \(\d+\)/);
	screen.press('2');
	await screen.waitFor(/Images \(\d+\)/);
	await filterTo(screen, `${repository}:spare`);
	screen.press('d');
	await screen.waitFor(`Remove ${repository}:spare? y yes · f force · n no`);
	screen.press('y');
	assert.ok(await eventually(async () => !(await exists(docker!.getImage(`${repository}:spare`).inspect())), 8000), 'the tag is gone from the daemon');
	await screen.waitFor(`removed ${repository}:spare`);
	screen.press('Escape');
	await screen.waitFor(screen_ => screen_.includes(`<none>:<none> (dangling)`) && !screen_.includes(`${repository}:spare`));
	screen.press('P');
	await screen.waitFor('Prune images? d dangling only · a all unused · n no');
	screen.press('d');
	await screen.waitFor(/pruned \d+ images?, reclaimed \S+B/);
	assert.equal(await exists(docker.getImage(dangling).inspect()), false, 'the dangling image is gone from the daemon');
	await screen.waitFor(screen_ => !screen_.includes('(dangling)'));
	assert.equal(await exists(docker.getImage(testImage).inspect()), true, 'the image in use is kept');
});

test('marks: Space on three containers, then one stop for all of them after one question; each row shows its outcome', async t => {
	const daemon = await requireDaemon(t);
	if (!daemon) return;
	docker = daemon.docker;
	const tag = uniqueName('bulk');
	const containers = await Promise.all(['a', 'b', 'c', 'd'].map(side => runContainer(docker!, {name: `${tag}-${side}`, cmd: ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1; done']})));
	const screen = open({columns: 120, rows: 30});
	await screen.waitFor(/Containers \(\d+\)/);
	await filterTo(screen, tag, `${tag}-a`);
	screen.press('Space', 'Space', 'Space');
	const marked = await screen.waitFor(/3 marked · u start · s stop/);
	assert.match(marked, new RegExp(`●${tag}-a[\\s\\S]*●${tag}-b[\\s\\S]*●${tag}-c`));
	assert.doesNotMatch(marked, new RegExp(`●${tag}-d`));
	screen.press('s');
	await screen.waitFor(`Stop 3 containers (${tag}-a, ${tag}-b, ${tag}-c)? y yes · n no`);
	screen.press('y');
	await screen.waitFor(/stopped 3 containers/, 15_000);
	const states = await Promise.all(containers.map(async container => (await container.inspect()).State.Status));
	assert.deepEqual(states, ['exited', 'exited', 'exited', 'running'], 'the three marked stopped; the fourth still runs');
	await screen.waitFor(new RegExp(`✓${tag}-\\w +\\S+ +exited`));
	// Esc would have cleared the marks; they are gone once used.
	assert.doesNotMatch(screen.screen(), /●/);
});

test('volumes and networks made with the docker CLI elsewhere show up, from the event stream', async t => {
	const daemon = await requireDaemon(t);
	if (!daemon) return;
	docker = daemon.docker;
	const volume = uniqueName('vol');
	const network = uniqueName('net');
	const screen = open({columns: 120, rows: 30});
	await screen.waitFor(/Containers \(\d+\)/);
	screen.press('3');
	await screen.waitFor(/Volumes \(\d+\)/);
	await docker.createVolume({Name: volume, Labels: ownerLabels});
	// Live means from the event stream: a few seconds at most even on a loaded machine (bench/ measures how quick).
	await screen.waitFor(new RegExp(`${volume} +local`), 5000);
	screen.press('4');
	await screen.waitFor(/Networks \(\d+\)/);
	// Internal: the bridge has no way out (and the test daemon lives in a network namespace of its own).
	const created = await docker.createNetwork({Name: network, Internal: true, Labels: ownerLabels});
	await screen.waitFor(new RegExp(`${network} +[0-9a-f]{12} +bridge +local`), 5000);
	await docker.getNetwork(created.id).remove();
	await screen.waitFor(screen_ => !screen_.includes(network), 5000);
	screen.press('3');
	await filterTo(screen, volume);
	screen.press('d');
	await screen.waitFor(`Remove volume ${volume}? y yes · n no`);
	screen.press('y');
	assert.ok(await eventually(async () => !(await exists(docker!.getVolume(volume).inspect())), 8000), 'removed through the API');
});

test('the events panel shows a docker run made elsewhere, and Enter goes to its container', async t => {
	const daemon = await requireDaemon(t);
	if (!daemon) return;
	docker = daemon.docker;
	const name = uniqueName('ev');
	const screen = open({columns: 120, rows: 30});
	await screen.waitFor(/Containers \(\d+\)/);
	screen.press('5');
	await screen.waitFor(/Events \(\d+\)/);
	await runContainer(docker, {name, cmd: ['sleep', '300']});
	await screen.waitFor(new RegExp(`\\d\\d:\\d\\d:\\d\\d container +start +${name}`), 5000);
	await screen.waitFor(new RegExp(`container +create +${name}`));
	await filterTo(screen, `start ${name}`, new RegExp(`▸ \\d\\d:\\d\\d:\\d\\d container +start +${name}`));
	screen.press('Enter');
	await screen.waitFor(new RegExp(`Containers \\(\\d+\\)[\\s\\S]*▸ ${name}`));
	// Back in the events panel, its filter is still there: Esc clears it. Paused, the stream holds back what comes and counts it.
	screen.press('5', 'Escape', 'p');
	await screen.waitFor(/Events \([^)]+\) PAUSED/);
	await docker.getContainer(name).stop({t: 0});
	await screen.waitFor(/PAUSED · [1-9]\d* new/, 5000);
	screen.press('p');
	await screen.waitFor(new RegExp(`container +die +${name}`));
});
