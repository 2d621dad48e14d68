// docker commit --change and docker import --change: Dockerfile instructions applied to a configuration.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {applyConfigChange, words} from '../../source/engine/dockerfile/config-change.ts';

test('words: spaces split, quotes group, a backslash escapes', () => {
	assert.deepEqual(words(`a "b c" 'd e' f\\ g`), ['a', 'b c', 'd e', 'f g']);
	assert.deepEqual(words('x=""'), ['x=']);
	assert.throws(() => words('"open'), /the double quote is never closed/);
});

test('CMD and ENTRYPOINT in exec and shell form; ENV and LABEL pairs, old and new; EXPOSE, VOLUME, USER, WORKDIR, STOPSIGNAL', () => {
	let config = applyConfigChange({Env: ['PATH=/bin', 'A=1']}, 'CMD ["echo", "hi"]');
	assert.deepEqual(config.Cmd, ['echo', 'hi']);
	config = applyConfigChange(config, 'ENTRYPOINT exec top -b');
	assert.deepEqual(config.Entrypoint, ['/bin/sh', '-c', 'exec top -b']);
	config = applyConfigChange(config, 'ENV A=2 B="two words"');
	config = applyConfigChange(config, 'env OLD the rest of the line');
	assert.deepEqual(config.Env, ['PATH=/bin', 'A=2', 'B=two words', 'OLD=the rest of the line']);
	config = applyConfigChange(config, 'LABEL tier=web "com.example.note"="a b"');
	assert.deepEqual(config.Labels, {tier: 'web', 'com.example.note': 'a b'});
	config = applyConfigChange(config, 'EXPOSE 80 53/udp');
	assert.deepEqual(config.ExposedPorts, {'80/tcp': {}, '53/udp': {}});
	config = applyConfigChange(config, 'VOLUME ["/data", "/logs"]');
	assert.deepEqual(Object.keys(config.Volumes ?? {}), ['/data', '/logs']);
	config = applyConfigChange(config, 'WORKDIR /srv');
	config = applyConfigChange(config, 'WORKDIR app');
	assert.equal(config.WorkingDir, '/srv/app');
	config = applyConfigChange(config, 'USER 1000:1000');
	config = applyConfigChange(config, 'STOPSIGNAL SIGINT');
	assert.deepEqual([config.User, config.StopSignal], ['1000:1000', 'SIGINT']);
});

test('what is not a configuration change, or is malformed, is refused by name', () => {
	assert.throws(() => applyConfigChange({}, 'RUN rm -rf /'), /RUN is not a change berth's engine applies/);
	assert.throws(() => applyConfigChange({}, 'EXPOSE eighty'), /EXPOSE: "eighty" is not a port/);
	assert.throws(() => applyConfigChange({}, 'LABEL =x'), /is not KEY=value/);
	assert.throws(() => applyConfigChange({}, 'USER a b'), /USER takes one argument/);
	assert.throws(() => applyConfigChange({}, ''), /not a Dockerfile instruction/);
});
