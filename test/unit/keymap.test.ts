// Keys: naming a press, splitting chunks into presses, and the keymap built from the command
// table and the config file's overrides (ui/keymap.ts). The README's key tables are read here
// too: every key they name must do what they say.
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';
import {commandSpec} from '../../source/state/commands.ts';
import {buildKeymap, keyName, splitPresses} from '../../source/ui/keymap.ts';

test('key presses get one canonical name', () => {
	assert.equal(keyName('k', {}), 'k');
	assert.equal(keyName('G', {shift: true}), 'G');
	assert.equal(keyName('', {upArrow: true}), 'up');
	assert.equal(keyName('', {pageDown: true}), 'pagedown');
	assert.equal(keyName('\r', {return: true}), 'enter');
	assert.equal(keyName('', {tab: true}), 'tab');
	assert.equal(keyName('', {tab: true, shift: true}), 'shift+tab');
	assert.equal(keyName('c', {ctrl: true}), 'ctrl+c');
	assert.equal(keyName(' ', {}), ' ');
	// A lone Esc comes with meta set as well.
	assert.equal(keyName('', {escape: true, meta: true}), 'esc');
	assert.equal(keyName('x', {meta: true}), 'alt+x');
});

/** The README's key tables: "| `KEY` `KEY` | command | what it does |" rows under "### Keys". */
function readmeKeys(): Array<{where: string; keys: string[]; command: string}> {
	const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
	const rows: Array<{where: string; keys: string[]; command: string}> = [];
	let where = '';
	for (const line of readme.split('\n')) {
		const heading = /^#### Keys: (.+)$/.exec(line);
		if (heading) where = heading[1]!.trim();
		const row = /^\| ((?:`[^`]+` ?)+) \| `([\w.]+)` \|/.exec(line);
		if (row && where) rows.push({where, keys: [...row[1]!.matchAll(/`([^`]+)`/g)].map(match => match[1]!), command: row[2]!});
	}

	return rows;
}

const readmeSpelling: Record<string, string> = {Enter: 'enter', Tab: 'tab', Space: ' ', Home: 'home', End: 'end', PgUp: 'pageup', PgDn: 'pagedown', '↑': 'up', '↓': 'down', Esc: 'esc'};
const toKeyName = (shown: string) => readmeSpelling[shown] ?? (shown.startsWith('^') ? `ctrl+${shown.slice(1).toLowerCase()}` : shown);

test('every key the README documents does what the README says, in the screen it names', () => {
	const {lookupIn, problems} = buildKeymap();
	assert.deepEqual(problems, []);
	const rows = readmeKeys();
	assert.ok(rows.length >= 60, `the README documents ${rows.length} keys`);
	const screens: Record<string, Parameters<typeof lookupIn>[0]> = {'every list': 'containers', containers: 'containers', images: 'images', volumes: 'volumes', networks: 'networks', events: 'events', 'the log view': 'logView'};
	for (const row of rows) {
		const where = screens[row.where];
		assert.ok(where, `README section "${row.where}"`);
		assert.ok(commandSpec(row.command), `README names ${row.command}`);
		for (const key of row.keys) assert.equal(lookupIn(where).get(toKeyName(key)), row.command, `${row.where}: ${key}`);
	}

	// And nothing in force goes undocumented.
	for (const where of ['containers', 'images', 'volumes', 'networks', 'events', 'logView'] as const) {
		const documented = new Set(rows.filter(row => screens[row.where] === where || (row.where === 'every list' && where !== 'logView')).map(row => row.command));
		for (const command of lookupIn(where).values()) assert.ok(documented.has(command), `${where}: ${command} is not in the README`);
	}
});

test('an override replaces the command\'s keys and takes the key from any other command in force with it', () => {
	const {lookupIn, keys, problems} = buildKeymap({stop: 'x', kill: ['s', 'ctrl+k']});
	assert.deepEqual(problems, []);
	const containers = lookupIn('containers');
	assert.equal(containers.get('x'), 'stop');
	assert.equal(containers.get('s'), 'kill');
	assert.equal(containers.get('ctrl+k'), 'kill');
	assert.equal(containers.get('K'), undefined);
	assert.deepEqual(keys.stop, ['x']);
	// Untouched commands keep their defaults; the log view's `s` (save) is not in force with them.
	assert.deepEqual(keys.quit, ['q']);
	assert.equal(lookupIn('logView').get('s'), 'log.save');
});

test('a log view key can be remapped, and only the log view\'s own keys give way', () => {
	const {lookupIn, keys} = buildKeymap({'log.follow': 'F'});
	assert.equal(lookupIn('logView').get('F'), 'log.follow');
	assert.deepEqual(keys['log.filter'], ['&'], 'F was the filter\'s second key');
	assert.equal(lookupIn('logView').get('f'), undefined);
	assert.equal(lookupIn('containers').get('F'), undefined, 'nothing in the lists changes');
});

test('bad overrides are reported and ignored; two overrides on one key are reported', () => {
	const {lookupIn, problems} = buildKeymap({explode: 'x', stop: 42, start: []});
	assert.equal(problems.length, 3);
	assert.match(problems[0]!, /unknown command "explode"/);
	assert.equal(lookupIn('containers').get('s'), 'stop');
	assert.equal(lookupIn('containers').get('u'), 'start');
	const clash = buildKeymap({stop: 'z', start: 'z'});
	assert.match(clash.problems[0]!, /z given to both stop and start/);
});

test('a chunk of several keys is split into single presses, control characters named', () => {
	assert.deepEqual(splitPresses('jj', {}), [{name: 'j', input: 'j'}, {name: 'j', input: 'j'}]);
	assert.deepEqual(
		splitPresses('web2\r', {}).map(press => press.name),
		['w', 'e', 'b', '2', 'enter'],
	);
	assert.deepEqual(splitPresses('a\u007F\u0003', {}).map(press => press.name), ['a', 'backspace', 'ctrl+c']);
	assert.deepEqual(splitPresses('', {upArrow: true}), [{name: 'up', input: ''}]);
	assert.deepEqual(splitPresses('k', {}), [{name: 'k', input: 'k'}]);
});

test('Esc and a key arriving together (read as Alt+key) are two presses unless Alt+key is bound', () => {
	assert.deepEqual(splitPresses('q', {meta: true}), [{name: 'esc', input: ''}, {name: 'q', input: 'q'}]);
	assert.deepEqual(splitPresses('q', {meta: true}, name => name === 'alt+q'), [{name: 'alt+q', input: 'q'}]);
});
