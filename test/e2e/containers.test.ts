// The containers panel in a real terminal (tmux) against the real daemon: the list and its
// filter, the lifecycle keys checked through the API, changes made elsewhere, the detail tabs,
// moving and scrolling, the sort keys, the ports column and the wide layout.
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

const state = async (container: Docker.Container) => (await container.inspect()).State;
/** A container that stops at once when asked, as a well-behaved service does (`sleep` as PID 1 ignores SIGTERM). */
const service = ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1; done'];

/** Narrows the list to this test's own containers by typing into the filter; waits for `selected` to be selected. */
async function focusOn(screen: Terminal, text: string, selected = text, timeoutMs = 8000): Promise<string> {
	screen.press('/');
	screen.type(text);
	screen.press('Enter');
	return screen.waitFor(screen_ => screen_.includes(`▸ ${selected}`) && /Containers \(\d+ of \d+\)/.test(screen_), timeoutMs);
}

test('the list shows every container, grouped by compose project; the filter narrows it', async t => {
	const daemon = await requireDaemon(t);
	if (!daemon) return;
	docker = daemon.docker;
	const tag = uniqueName('list');
	await runContainer(docker, {name: `${tag}-web`, cmd: ['sleep', '300']});
	await runContainer(docker, {name: `${tag}-stopped`, cmd: ['true'], start: false});
	await runContainer(docker, {name: `${tag}-db`, cmd: ['sleep', '300'], labels: {'com.docker.compose.project': `${tag}-proj`}});

	const screen = open({columns: 200, rows: 50});
	await screen.waitFor(/Containers \(\d+\)/);
	screen.press('/');
	screen.type(tag);
	screen.press('Enter');
	const shown = await screen.waitFor(screen_ => /Containers \(3 of \d+\)/.test(screen_) && new RegExp(`${tag}-stopped +${testImage} +created`).test(screen_));
	assert.match(shown, new RegExp(`${tag}-web +${testImage} +running +Up`));
	assert.match(shown, new RegExp(`▾ ${tag}-proj +1/1 running`));
	assert.ok(shown.indexOf(`▾ ${tag}-proj`) < shown.indexOf(`  ${tag}-db`), 'the project header comes before its container');

	screen.press('/');
	screen.type('-st');
	const filtered = await screen.waitFor(screen_ => !screen_.includes(`${tag}-web`));
	assert.match(filtered, new RegExp(`▸ ${tag}-stopped`));
	assert.match(filtered, /Containers \(1 of \d+\)/);
	screen.press('Escape');
	await screen.waitFor(screen_ => !/Containers \(\d+ of/.test(screen_));
});

for (const [columns, rows] of [[80, 24], [200, 50]] as const) {
	test(`s, u, r, p and d act on the daemon, and each shows its progress and outcome (${columns}x${rows})`, async t => {
		const daemon = await requireDaemon(t);
		if (!daemon) return;
		docker = daemon.docker;
		const name = uniqueName('act');
		const container = await runContainer(docker, {name, cmd: service});
		const screen = open({columns, rows});
		await screen.waitFor(/Containers \(\d+\)/);
		await focusOn(screen, name);

		screen.press('s');
		assert.ok(await eventually(async () => (await state(container)).Status === 'exited', 15_000), 'stopped');
		await screen.waitFor(new RegExp(`${name} +\\S+ +exited`), 15_000);

		screen.press('u');
		assert.ok(await eventually(async () => (await state(container)).Running, 15_000), 'started');
		await screen.waitFor(new RegExp(`${name} +\\S+ +running`), 15_000);

		const before = (await state(container)).StartedAt;
		screen.press('r');
		assert.ok(await eventually(async () => (await state(container)).StartedAt !== before, 15_000), 'restarted');
		await screen.waitFor(`restarted ${name}`, 15_000);

		screen.press('p');
		assert.ok(await eventually(async () => (await state(container)).Paused, 15_000), 'paused');
		await screen.waitFor(new RegExp(`${name} +\\S+ +paused`), 15_000);
		screen.press('p');
		assert.ok(await eventually(async () => !(await state(container)).Paused, 15_000), 'unpaused');
		await screen.waitFor(new RegExp(`${name} +\\S+ +running`), 15_000);

		screen.press('d');
		await screen.waitFor(`${name} is running. Force remove it?`);
		// y is no answer to this question: keys are handled in order, so once n has closed it, y did nothing.
		screen.press('y', 'n');
		await screen.waitFor(screen_ => !screen_.includes('Force remove it?'));
		assert.equal((await state(container)).Running, true, 'neither y nor n removes a running container');

		screen.press('d');
		await screen.waitFor('Force remove it?');
		screen.press('f');
		assert.ok(await eventually(async () => container.inspect().then(() => false, () => true), 15_000), 'removed');
		await screen.waitFor(screen_ => !screen_.includes(`▸ ${name}`), 15_000);
	});
}

test('a refused action shows the daemon\'s own message', async t => {
	const daemon = await requireDaemon(t);
	if (!daemon) return;
	docker = daemon.docker;
	const name = uniqueName('refused');
	await runContainer(docker, {name, cmd: ['true'], start: false});
	const screen = open({columns: 160, rows: 40});
	await screen.waitFor(/Containers \(\d+\)/);
	await focusOn(screen, name);
	// Killing a container that is not running is refused by the daemon (409).
	screen.press('K');
	const shown = await screen.waitFor(`kill ${name} failed:`);
	assert.match(shown, /is not running/);
});

test('changes made elsewhere appear from the event stream: the row itself, with its image and state', async t => {
	const daemon = await requireDaemon(t);
	if (!daemon) return;
	docker = daemon.docker;
	const screen = open({columns: 120, rows: 30});
	await screen.waitFor(/Containers \(\d+\)/);
	const name = uniqueName('live');
	// Filtered on a name that does not exist yet: the title already shows it, so the row is waited for.
	screen.press('/');
	screen.type(name);
	screen.press('Enter');
	await screen.waitFor('no container matches the filter');
	const container = await runContainer(docker, {name, cmd: ['sleep', '300'], start: false});
	await screen.waitFor(new RegExp(`▸ ${name} +${testImage} +created +Created`), 5000);
	await container.start();
	await screen.waitFor(new RegExp(`${name} +${testImage} +running +Up`), 5000);
	await container.rename({name: `${name}-new`});
	await screen.waitFor(new RegExp(`${name}-new +${testImage} +running`), 5000);
	await container.remove({force: true});
	await screen.waitFor('no container matches the filter', 5000);
});

test('the Logs tab shows the container\'s own output and follows it; the other tabs show theirs', async t => {
	const daemon = await requireDaemon(t);
	if (!daemon) return;
	docker = daemon.docker;
	const name = uniqueName('logs');
	await runContainer(docker, {name, cmd: ['sh', '-c', 'echo "hello from $HOSTNAME on stdout"; echo "and on stderr" >&2; i=0; while true; do echo "beat $i"; i=$((i+1)); sleep 0.2; done']});
	const screen = open({columns: 200, rows: 50});
	await screen.waitFor(/Containers \(\d+\)/);
	await focusOn(screen, name);
	await screen.waitFor('on stdout');
	await screen.waitFor('and on stderr');
	const first = await screen.waitFor(/beat (\d+)/);
	const beat = Math.max(...[...first.matchAll(/beat (\d+)/g)].map(match => Number(match[1])));
	await screen.waitFor(screen_ => [...screen_.matchAll(/beat (\d+)/g)].some(match => Number(match[1]) > beat + 2), 8000);
	// Stats: figures and charts from the daemon's own stats stream; Top: the container's processes.
	screen.press(']');
	await screen.waitFor(/CPU [\d.]+%   MEM [\d.]+\w+ \/ [\d.]+\w+ \([\d.]+%\)   PIDS [1-9]/);
	await screen.waitFor(/CPU % · last \d+s/);
	screen.press(']');
	await screen.waitFor(/PID +USER +%CPU/);
	await screen.waitFor(/\d+ +root .* sh -c echo "hello/);
	screen.press(']');
	await screen.waitFor('"Id":');
	screen.press(']');
	await screen.waitFor('PATH=');
	screen.press(']');
	await screen.waitFor(new RegExp(`Image +${testImage}`));
});

test('Tab focuses the details, which scroll by line, page and to the end; after Esc, j moves the selection, not the text', async t => {
	const daemon = await requireDaemon(t);
	if (!daemon) return;
	docker = daemon.docker;
	const tag = uniqueName('scroll');
	await runContainer(docker, {name: `${tag}-a`, cmd: ['sleep', '300']});
	await runContainer(docker, {name: `${tag}-b`, cmd: ['sleep', '300']});
	const screen = open();
	await screen.waitFor(/Containers \(\d+\)/);
	await focusOn(screen, tag, `${tag}-a`);
	// Back from the first tab wraps round to the last one, Config.
	screen.press('[');
	const first = await screen.waitFor(/Config +(\d+)\/(\d+)/);
	const [, shown, total] = /Config +(\d+)\/(\d+)/.exec(first)!;
	const rows = Number(shown);
	screen.press('Tab');
	// Keys sent together must add up: one page (rows - 1 lines) and two lines.
	screen.press('PageDown', 'j', 'j');
	await screen.waitFor(new RegExp(`Config +${rows + rows - 1 + 2}/${total}`));
	screen.press('C-b');
	await screen.waitFor(new RegExp(`Config +${rows + 2}/${total}`));
	screen.press('End');
	await screen.waitFor(new RegExp(`Config +${total}/${total}`));
	screen.press('Home');
	await screen.waitFor(new RegExp(`Config +${rows}/${total}`));
	screen.press('C-f');
	await screen.waitFor(new RegExp(`Config +${rows + rows - 1}/${total}`));
	// Esc gives the focus back to the list: j now moves the selection to b, whose details open at the top.
	screen.press('Escape', 'j');
	const moved = await screen.waitFor(screen_ => screen_.includes(`▸ ${tag}-b`) && new RegExp(`│${tag}-b +│[\\s\\S]*Config +${rows}/\\d+`).test(screen_));
	assert.doesNotMatch(moved, new RegExp(`▸ ${tag}-a`), 'the selection moved; the details are b\'s, from their top');
	// Enter focuses the details again.
	screen.press('Enter', 'j');
	await screen.waitFor(new RegExp(`Config +${rows + 1}/\\d+`));
});

test('the sort keys: N, S, A, C and M order the list, again reverses, a third time restores; the header carries the arrow', async t => {
	const daemon = await requireDaemon(t);
	if (!daemon) return;
	docker = daemon.docker;
	const tag = uniqueName('sort');
	// b is busy, so it sorts first by CPU; c is stopped, so it sorts last by state.
	await runContainer(docker, {name: `${tag}-a`, cmd: ['sleep', '300']});
	await runContainer(docker, {name: `${tag}-b`, cmd: ['sh', '-c', 'while true; do :; done']});
	await runContainer(docker, {name: `${tag}-c`, cmd: ['true']});
	await eventually(async () => (await docker!.getContainer(`${tag}-c`).inspect()).State.Status === 'exited');
	const screen = open({columns: 120, rows: 30});
	await screen.waitFor(/Containers \(\d+\)/);
	await focusOn(screen, tag, `${tag}-a`);
	// The list's rows only (the details' title names the selected one too).
	const order = (screen_: string) => [...screen_.matchAll(new RegExp(`^│[▸ ][ ●✓✗…]${tag}-(\\w) `, 'gm'))].map(match => match[1]).join('');
	screen.press('N');
	await screen.waitFor(screen_ => /NAME↑/.test(screen_) && order(screen_) === 'abc');
	screen.press('N');
	await screen.waitFor(screen_ => /NAME↓/.test(screen_) && order(screen_) === 'cba');
	screen.press('N');
	await screen.waitFor(screen_ => !/NAME[↑↓]/.test(screen_) && order(screen_) === 'abc');
	screen.press('S');
	await screen.waitFor(screen_ => /STATE↑/.test(screen_) && order(screen_).endsWith('c'));
	// Newest first, by the daemon's creation times (whole seconds: a tie is ordered by name).
	const created = await Promise.all(['a', 'b', 'c'].map(async side => ({side, at: Date.parse((await docker!.getContainer(`${tag}-${side}`).inspect()).Created) / 1000})));
	const newest = created.sort((x, y) => Math.floor(y.at) - Math.floor(x.at) || (x.side < y.side ? -1 : 1)).map(entry => entry.side).join('');
	screen.press('A');
	await screen.waitFor(screen_ => /STATUS↓/.test(screen_) && order(screen_) === newest, 8000);
	screen.press('C');
	await screen.waitFor(screen_ => /CPU↓/.test(screen_) && order(screen_).startsWith('b'), 15_000);
	screen.press('M');
	await screen.waitFor(/MEM↓/);
	screen.press('G');
	await screen.waitFor(new RegExp(`▸ ${tag}-c`));
	screen.press('g');
	await screen.waitFor(new RegExp(`▸ ${tag}-\\w`));
});

test('the ports column shows from 124 columns; the panes sit side by side from 160', async t => {
	const daemon = await requireDaemon(t);
	if (!daemon) return;
	docker = daemon.docker;
	const name = uniqueName('ports');
	// A network of the test daemon's own (it runs in a network namespace of its own, with no way out).
	const network = await docker.createNetwork({Name: name, Labels: ownerLabels});
	try {
		const container = await docker.createContainer({
			name,
			Image: testImage,
			Cmd: ['sleep', '300'],
			Labels: ownerLabels,
			ExposedPorts: {'80/tcp': {}},
			HostConfig: {NetworkMode: name, PortBindings: {'80/tcp': [{HostIp: '127.0.0.1', HostPort: '0'}]}},
		});
		await container.start();
		const screen = open({columns: 123, rows: 30});
		await screen.waitFor(/Containers \(\d+\)/);
		await focusOn(screen, name);
		assert.doesNotMatch(screen.screen(), /PORTS/);
		screen.resize(124, 30);
		await screen.waitFor(/\d+->80\/tcp/);
		const lines = (screen_: string) => screen_.split('\n')[1]?.match(/╭/g)?.length ?? 0;
		screen.resize(159, 30);
		await screen.waitFor(screen_ => /PORTS/.test(screen_) && lines(screen_) === 1);
		screen.resize(160, 30);
		await screen.waitFor(screen_ => lines(screen_) === 2);
		await container.remove({force: true});
	} finally {
		await docker.getNetwork(network.id).remove().catch(() => undefined);
	}
});
