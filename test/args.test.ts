import assert from 'node:assert/strict';
import {test} from 'node:test';
import {parseCommandLine} from '../source/cli/args.ts';

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
