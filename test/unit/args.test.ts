import assert from 'node:assert/strict';
import {test} from 'node:test';
import {parseCommandLine} from '../../source/cli/args.ts';

test('no arguments opens the TUI on the default host', () => {
	assert.deepEqual(parseCommandLine([]), {kind: 'tui', host: undefined});
});

test('--host and -H take a URL', () => {
	assert.deepEqual(parseCommandLine(['--host', 'tcp://h:1']), {kind: 'tui', host: 'tcp://h:1'});
	assert.deepEqual(parseCommandLine(['-H', 'unix:///s']), {kind: 'tui', host: 'unix:///s'});
	assert.deepEqual(parseCommandLine(['--host=ssh://u@h']), {kind: 'tui', host: 'ssh://u@h'});
});

test('help and version win over everything else', () => {
	assert.equal(parseCommandLine(['--help']).kind, 'help');
	assert.equal(parseCommandLine(['-h', '--host', 'x']).kind, 'help');
	assert.equal(parseCommandLine(['--version']).kind, 'version');
	assert.equal(parseCommandLine(['-v']).kind, 'version');
});

test('bad flags say what is wrong in plain words', () => {
	assert.deepEqual(parseCommandLine(['--nope']), {kind: 'error', message: 'unknown option --nope'});
	assert.deepEqual(parseCommandLine(['--host']), {kind: 'error', message: 'option --host needs a value'});
	assert.deepEqual(parseCommandLine(['--host', ' ']), {kind: 'error', message: 'option --host needs a URL'});
	assert.deepEqual(parseCommandLine(['frobnicate']), {kind: 'error', message: 'unknown command "frobnicate"'});
});

test('--context and -c name a docker context, for the TUI and the client commands; not with --host', () => {
	assert.deepEqual(parseCommandLine(['--context', 'remote']), {kind: 'tui', host: undefined, context: 'remote'});
	assert.deepEqual(parseCommandLine(['-c', 'remote', 'logs', '-f', 'web']), {kind: 'client', command: 'logs', args: ['-f', 'web'], host: undefined, context: 'remote'});
	assert.deepEqual(parseCommandLine(['-H', 'unix:///s', '-c', 'remote']), {kind: 'error', message: 'conflicting options: give --host or --context, not both'});
	assert.deepEqual(parseCommandLine(['--context', '']), {kind: 'error', message: 'option --context needs a context name'});
	assert.equal(parseCommandLine(['-c', 'remote', 'engine', 'status']).kind, 'error');
});

test('--theme picks dark, light or none; --no-color turns colours off; anything else is refused', () => {
	assert.deepEqual(parseCommandLine(['--theme', 'light']), {kind: 'tui', host: undefined, theme: 'light'});
	assert.deepEqual(parseCommandLine(['--no-color']), {kind: 'tui', host: undefined, noColor: true});
	assert.deepEqual(parseCommandLine(['--theme', 'pink']), {kind: 'error', message: 'unknown theme "pink" (one of: dark, light, none)'});
});
