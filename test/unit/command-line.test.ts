// The `:` command line (state/command-line.ts): panels by name and alias, hosts by name, typos.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {completeCommandLine, distance, nearest, parseCommandLine} from '../../source/state/command-line.ts';

test('panels by full name and by alias; :q, :help and :host', () => {
	for (const [text, panel] of [['containers', 'containers'], ['ctr', 'containers'], ['img', 'images'], ['images', 'images'], ['vol', 'volumes'], ['net', 'networks'], ['ev', 'events'], ['df', 'disk'], [':IMAGES', 'images']] as const) {
		assert.deepEqual(parseCommandLine(text), {kind: 'panel', panel}, text);
	}

	assert.deepEqual(parseCommandLine('q'), {kind: 'quit'});
	assert.deepEqual(parseCommandLine('help'), {kind: 'help'});
	assert.deepEqual(parseCommandLine('host'), {kind: 'hosts'});
	assert.deepEqual(parseCommandLine('host prod', ['prod', 'lab']), {kind: 'host', name: 'prod'});
	assert.deepEqual(parseCommandLine('  '), {kind: 'none'});
});

test('an unknown command says so and suggests the nearest; a host that is not known too', () => {
	assert.deepEqual(parseCommandLine('imgaes'), {kind: 'error', message: 'unknown command "imgaes"; did you mean :images?'});
	assert.deepEqual(parseCommandLine('volumez'), {kind: 'error', message: 'unknown command "volumez"; did you mean :volumes?'});
	assert.deepEqual(parseCommandLine('xyzzy'), {kind: 'error', message: 'unknown command "xyzzy"'});
	assert.deepEqual(parseCommandLine('host prd', ['prod', 'lab']), {kind: 'error', message: 'no host named "prd"; did you mean prod?'});
	assert.deepEqual(parseCommandLine('images now'), {kind: 'error', message: ':images takes no arguments'});
	assert.equal(distance('kitten', 'sitting'), 3);
	assert.equal(nearest('netw'), 'networks');
});

test('Tab completes a full name, then host names after :host', () => {
	assert.deepEqual(completeCommandLine('im'), {text: 'images', candidates: ['images']});
	assert.equal(completeCommandLine('ho').text, 'host ');
	assert.deepEqual(completeCommandLine('host l', ['lab', 'prod']), {text: 'host lab', candidates: ['lab']});
	assert.deepEqual(completeCommandLine('zz').candidates, []);
	assert.equal(completeCommandLine('e').text, 'events');
});
