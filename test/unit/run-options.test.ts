// One mapping from run options to the create request, shared by `berth run` and the run form; a
// container read back maps to the same options; the form's keys, its checks before sending, and
// which field a daemon's refusal is about.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {parseRun} from '../../source/cli/client-commands.ts';
import {duplicateForm, fieldOfRefusal, formKey, formOptions, newForm, type RunForm} from '../../source/state/run-form.ts';
import {fromInspect, parsePort, toCreateRequest, type InspectedContainer} from '../../source/state/run-options.ts';

function type(form: RunForm, keys: Array<string | [string, string]>, images: string[] = []): RunForm {
	let current = form;
	for (const key of keys) {
		const [name, input] = Array.isArray(key) ? key : [key, key];
		const result = formKey(current, name, input, images);
		assert.ok('form' in result, `${name} keeps the form open`);
		current = result.form;
	}

	return current;
}

const text = (value: string) => [...value].map(character => [character, character] as [string, string]);

test('berth run and the form make the same request from the same words', () => {
	const cli = parseRun(['-d', '--name', 'web', '-e', 'GREETING=two words', '-p', '8080:80', '-v', '/srv:/data:ro', '--memory', '64m', '--cpus', '0.5', '--restart', 'on-failure:2', '--network', 'none', 'busybox', 'sh', '-c', 'echo "$GREETING"']).create;
	let form = newForm();
	form = type(form, [...text('busybox'), 'down', ...text('web'), 'down', ...text(`sh -c 'echo "$GREETING"'`), 'down', ...text('"GREETING=two words"'), 'down', ...text('8080:80'), 'down', ...text('/srv:/data:ro'), 'down', ...text('on-failure:2'), 'down', ...text('none'), 'down', ...text('64m'), 'down', ...text('0.5')]);
	const read = formOptions(form);
	assert.ok('options' in read);
	const mapped = toCreateRequest(read.options);
	assert.ok('request' in mapped);
	const {AttachStdin: _in, AttachStdout: _out, AttachStderr: _err, StdinOnce: _once, ...fromCli} = cli as Record<string, unknown>;
	assert.deepEqual(mapped.request, fromCli);
});

test('ports as docker run -p reads them', () => {
	assert.deepEqual(parsePort('80'), {key: '80/tcp'});
	assert.deepEqual(parsePort('8080:80'), {key: '80/tcp', binding: {HostPort: '8080'}});
	assert.deepEqual(parsePort('127.0.0.1::53/udp'), {key: '53/udp', binding: {HostIp: '127.0.0.1', HostPort: ''}});
	assert.deepEqual(parsePort('[::1]:8443:443'), {key: '443/tcp', binding: {HostIp: '::1', HostPort: '8443'}});
	assert.equal(parsePort('80:99999'), undefined);
	assert.equal(parsePort('web'), undefined);
});

const inspected: InspectedContainer & {Id: string; State: {Running: boolean}} = {
	Id: 'abc',
	Name: '/api',
	State: {Running: true},
	Config: {
		Image: 'shop/api:2',
		Hostname: 'abc',
		Cmd: ['serve', '--port', '80'],
		Entrypoint: null,
		Env: ['MODE=prod', 'PATH=/bin'],
		Labels: {'com.docker.compose.project': 'shop', 'com.docker.compose.service': 'api', team: 'payments'},
		WorkingDir: '/app',
		User: '1001',
		Tty: false,
		OpenStdin: false,
		StopSignal: 'SIGINT',
	},
	HostConfig: {
		Binds: ['data:/data'],
		PortBindings: {'80/tcp': [{HostIp: '', HostPort: '8080'}], '53/udp': [{HostIp: '127.0.0.1', HostPort: '5353'}]},
		NetworkMode: 'none',
		Memory: 64 * 1024 * 1024,
		NanoCpus: 1.5e9,
		PidsLimit: 100,
		RestartPolicy: {Name: 'unless-stopped', MaximumRetryCount: 0},
		CapAdd: ['NET_ADMIN'],
	},
};

test('a container read back: its options, and what they do not name carried over; a copy drops compose\'s labels', () => {
	const {options, base} = fromInspect(inspected, 'copy');
	assert.equal(options.name, 'api');
	assert.deepEqual(options.ports.sort(), ['127.0.0.1:5353:53/udp', '8080:80']);
	assert.equal(options.memory, '64m');
	assert.equal(options.cpus, '1.5');
	assert.equal(options.restart, 'unless-stopped');
	assert.deepEqual(options.labels, {team: 'payments'});
	assert.equal(fromInspect(inspected, 'replace').options.labels['com.docker.compose.service'], 'api');
	const mapped = toCreateRequest(options, base);
	assert.ok('request' in mapped);
	const {request} = mapped;
	assert.equal(request.StopSignal, 'SIGINT', 'carried over');
	assert.deepEqual(request.HostConfig.CapAdd, ['NET_ADMIN']);
	assert.equal(request.Hostname, undefined, 'a new container gets its own hostname');
	assert.deepEqual(request.HostConfig.PortBindings, {'80/tcp': [{HostPort: '8080'}], '53/udp': [{HostIp: '127.0.0.1', HostPort: '5353'}]});
	assert.deepEqual(request.Cmd, ['serve', '--port', '80']);
	assert.equal(request.HostConfig.Memory, 64 * 1024 * 1024);
});

test('the duplicate form: a copy under a new name unless replace is on, which gives the name back', () => {
	let form = duplicateForm(inspected);
	assert.equal(form.texts.name, 'api-copy');
	assert.equal(form.texts.env, 'MODE=prod PATH=/bin');
	form = type(form, ['up', ' ']);
	assert.equal(form.replace, true);
	assert.equal(form.texts.name, 'api');
	const replacing = formOptions(form);
	assert.ok('options' in replacing && replacing.options.labels['com.docker.compose.project'] === 'shop', 'a replacement keeps compose\'s labels');
	form = type(form, [' ']);
	assert.equal(form.texts.name, 'api-copy');
	form = type(form, ['down', 'down', 'ctrl+u', ...text('api')]);
	assert.deepEqual(formOptions(form), {problems: {name: "api is the original's name: change it for a copy, or turn on replace"}});
});

test('the form: Tab completes the image, checks are made before sending, Esc cancels, Enter submits', () => {
	let form = type(newForm(), [...text('berth-t'), 'tab'], ['berth-test/busybox', 'berth-test/with-bash', 'postgres:16']);
	assert.equal(form.texts.image, 'berth-test/', 'the common start');
	form = type(form, [...text('b'), 'tab'], ['berth-test/busybox', 'berth-test/with-bash']);
	assert.equal(form.texts.image, 'berth-test/busybox');
	assert.equal(form.focus, 0);
	form = type(form, ['tab']);
	assert.equal(form.focus, 1, 'Tab moves on once there is nothing to complete');
	form = type(form, ['down', ...text(`sh -c 'unclosed`)]);
	assert.deepEqual(formOptions(form), {problems: {command: 'the single quote is never closed'}});
	assert.deepEqual(formKey(form, 'esc', ''), {cancel: true});
	assert.ok('submit' in formKey(form, 'enter', '\r'));
	const bad = toCreateRequest({...newForm('x').hidden, image: 'x', memory: '1k', env: ['=y'], volumes: ['relative:path']});
	assert.deepEqual(Object.keys('problems' in bad ? bad.problems : {}).sort(), ['env', 'memory', 'volumes']);
});

test('a daemon\'s refusal goes next to the field it is about', () => {
	assert.equal(fieldOfRefusal('No such image: nope:latest'), 'image');
	assert.equal(fieldOfRefusal('Conflict. The container name "/web" is already in use by container "abc"'), 'name');
	assert.equal(fieldOfRefusal('driver failed programming external connectivity: Bind for 0.0.0.0:8080 failed: port is already allocated'), 'ports');
	assert.equal(fieldOfRefusal('invalid mount config for type "bind": bind source path does not exist: /nope'), 'volumes');
	assert.equal(fieldOfRefusal('Minimum memory limit allowed is 6MB'), 'memory');
	assert.equal(fieldOfRefusal('OCI runtime create failed: exec: "/no/such": stat /no/such: no such file or directory'), 'command');
	assert.equal(fieldOfRefusal('something else'), 'general');
	assert.equal(fieldOfRefusal('the option is not supported here'), 'general', '"supported" is not about ports');
});
