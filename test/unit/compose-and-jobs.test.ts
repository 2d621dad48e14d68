// Compose projects as the labels describe them, the arguments of compose's own actions, the
// commands that act on a project's row, and a job's output as the details pane shows it; and a
// real job cancelled.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {composeLabels} from '../../source/state/container.ts';
import {composeArguments, composeUnavailable, projectLines, projectOf} from '../../source/state/compose.ts';
import {finishJob, jobLines, jobOutput, startJob} from '../../source/state/jobs.ts';
import {groupKey} from '../../source/state/list.ts';
import {initialScreenState, screenReducer} from '../../source/state/screen.ts';
import {handleKey} from '../../source/ui/key-handler.ts';
import {buildKeymap} from '../../source/ui/keymap.ts';
import {runJob} from '../../source/ui/jobs/run-job.ts';
import {makeContainer} from '../helpers/fixtures.ts';

const labels = (service: string) => ({
	'com.docker.compose.project': 'shop',
	'com.docker.compose.service': service,
	'com.docker.compose.project.working_dir': '/srv/shop',
	'com.docker.compose.project.config_files': 'docker-compose.yml,/etc/shop/override.yml',
});

const shop = [
	makeContainer({name: 'shop_web_1', id: 'w', project: 'shop', compose: composeLabels(labels('web'))}),
	makeContainer({name: 'shop_db_1', id: 'd', project: 'shop', state: 'exited', compose: composeLabels(labels('db'))}),
];

test('a project from its containers\' labels: files made absolute from the working directory, services in order', () => {
	const project = projectOf('shop', shop);
	assert.deepEqual(project.configFiles, ['/srv/shop/docker-compose.yml', '/etc/shop/override.yml']);
	assert.deepEqual(project.services, ['db', 'web']);
	assert.equal(project.workingDir, '/srv/shop');
	assert.equal(composeLabels({'com.docker.compose.project': 'x'}), undefined, 'nothing beyond the project');
});

test('compose\'s arguments name the project, its directory and every file; a service action needs its service', () => {
	const project = projectOf('shop', shop);
	const base = ['--project-name', 'shop', '--project-directory', '/srv/shop', '--file', '/srv/shop/docker-compose.yml', '--file', '/etc/shop/override.yml'];
	assert.deepEqual(composeArguments(project, 'up'), [...base, 'up', '--detach']);
	assert.deepEqual(composeArguments(project, 'down'), [...base, 'down']);
	assert.deepEqual(composeArguments(project, 'restart', 'web'), [...base, 'restart', 'web']);
	assert.deepEqual(composeArguments(project, 'recreate', 'web'), [...base, 'up', '--detach', '--force-recreate', '--no-deps', 'web']);
	assert.throws(() => composeArguments(project, 'restart'), /needs a service/);
});

test('compose is refused, in one line, where the files are not on this machine or were never labelled', () => {
	const project = projectOf('shop', shop);
	assert.equal(composeUnavailable(project, []), undefined);
	assert.match(composeUnavailable(project, project.configFiles)!, /the compose files of shop are not on this machine/);
	assert.match(composeUnavailable(project, ['/etc/shop/override.yml'])!, /some compose files/);
	assert.match(composeUnavailable(projectOf('bare', [makeContainer({name: 'b', project: 'bare'})]), [])!, /no compose file labels/);
	const lines = projectLines(project, ['/etc/shop/override.yml'], 'docker-compose 1.29.2', {up: 'U', down: 'X'});
	assert.equal(lines[0], 'project shop: 1/2 running');
	assert.ok(lines.some(line => line.includes('/etc/shop/override.yml  (not on this machine)')));
});

test('on a project\'s row: lifecycle keys act on its members, U and X on the project; on a member, U acts on its whole project', () => {
	const keymap = buildKeymap();
	let state = screenReducer(screenReducer(initialScreenState(), {type: 'connection', status: 'connected'}), {type: 'synced', panel: 'containers', items: [...shop, makeContainer({name: 'lone', id: 'l'})]});
	state = screenReducer(state, {type: 'select', id: groupKey('shop')});
	const context = {state, keymap, listPage: 10, detailsPage: 10};
	const [stop] = handleKey(context, 's', 's');
	assert.equal(stop?.kind, 'dispatch');
	assert.deepEqual((stop as {event: {overlay: {ids: string[]}}}).event.overlay.ids.sort(), ['d', 'w'], 'stop asks about both members');
	const [up] = handleKey(context, 'U', 'U');
	assert.deepEqual(up && up.kind === 'run' && up.items.map(item => item.id).sort(), ['d', 'w']);
	const [down] = handleKey(context, 'X', 'X');
	assert.match((down as {event: {overlay: {question: {text: string}}}}).event.overlay.question.text, /compose down shop: stop and remove its 2 containers/);
	const [logs] = handleKey(context, 'l', 'l');
	assert.deepEqual(logs && logs.kind === 'run' && logs.items.map(item => item.id).sort(), ['d', 'w'], 'l on the row: merged logs of the project');
	const onMember = {...context, state: screenReducer(state, {type: 'select', id: 'w'})};
	const [upFromMember] = handleKey(onMember, 'U', 'U');
	assert.deepEqual(upFromMember && upFromMember.kind === 'run' && upFromMember.items.map(item => item.id).sort(), ['d', 'w']);
	const onLone = {...context, state: screenReducer(state, {type: 'select', id: 'l'})};
	assert.deepEqual(handleKey(onLone, 'U', 'U'), [{kind: 'notice', text: "not in a compose project: select a compose project's row or one of its containers", tone: 'error'}]);
	assert.deepEqual(handleKey({...context, jobRunning: true}, 'esc', ''), [{kind: 'cancel-job'}], 'Esc cancels a running job first');
	assert.deepEqual(handleKey({...context, jobRunning: true}, 'ctrl+c', ''), [{kind: 'cancel-job'}], 'and so does Ctrl-C, instead of quitting');
});

test('a job\'s output: lines as they come, a progress line rewritten by its carriage return, colours out', () => {
	let job = startJob(1, 'compose up -d: shop');
	job = jobOutput(job, 'Starting web ... \r');
	job = jobOutput(job, '\u001B[32mStarting web ... done\u001B[0m\nCreat');
	job = jobOutput(job, 'ing db\r\n');
	assert.deepEqual(job.lines, ['Starting web ... done', 'Creating db']);
	assert.deepEqual(jobLines(job, 'Esc').slice(-1), ['running… Esc cancels']);
	job = finishJob(job, true, 'done: compose up');
	assert.deepEqual(jobLines(job, 'Esc').slice(-1), ['done: compose up']);
});

test('a real job streams its output and is cancelled on request', async () => {
	let output = '';
	const done = await runJob(['sh', '-c', 'echo first; echo oops >&2; exit 4'], {signal: new AbortController().signal, onOutput: text => (output += text)});
	assert.deepEqual(done, {ok: false, text: "sh -c echo first; echo oops >&2; exit 4 failed with exit code 4"});
	assert.match(output, /first\n[\s\S]*oops/);
	const controller = new AbortController();
	let started = false;
	const long = runJob(['sh', '-c', 'echo started; exec sleep 30'], {signal: controller.signal, onOutput: () => (started = true)});
	while (!started) await new Promise(resolve => setTimeout(resolve, 10));
	const began = Date.now();
	controller.abort();
	assert.deepEqual(await long, {ok: false, text: 'cancelled: sh -c echo started; exec sleep 30'});
	assert.ok(Date.now() - began < 5000, 'it does not wait for the program to finish');
	assert.match((await runJob(['no-such-program-here'], {signal: new AbortController().signal, onOutput: () => undefined})).text, /could not run/);
});
