// The command table (state/commands.ts) and the panels' use of it: no key means two things where
// both could be in force, every command says what it does, and every panel's actions, commands
// and sorts are commands of its own scope.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {commandSpec, commandTable, commandsIn, scopeSets} from '../../source/state/commands.ts';
import {panels} from '../../source/state/panels/index.ts';
import {panelKinds} from '../../source/state/panels/panel.ts';

test('within every set of scopes in force together, no two commands share a key', () => {
	for (const set of scopeSets) {
		const owner = new Map<string, string>();
		for (const command of commandTable.filter(spec => spec.scopes.some(scope => set.includes(scope)))) {
			for (const key of command.keys) {
				assert.equal(owner.get(key), undefined, `in ${set.join('+')}, "${key}" is both ${owner.get(key)} and ${command.name}`);
				owner.set(key, command.name);
			}
		}
	}
});

test('every command has a name of its own, at least one key and a description', () => {
	const names = new Set<string>();
	for (const command of commandTable) {
		assert.ok(!names.has(command.name), `${command.name} twice`);
		names.add(command.name);
		assert.ok(command.keys.length > 0, `${command.name} has no key`);
		assert.ok(command.help.length > 3, `${command.name} has no description`);
		assert.ok(command.scopes.length > 0, `${command.name} applies nowhere`);
	}
});

test('every panel\'s actions, commands and sorts are commands in force in that panel', () => {
	for (const kind of panelKinds) {
		const model = panels[kind];
		const inForce = new Set(commandsIn(kind).map(command => command.name));
		for (const name of [...model.actions.map(action => action.command), ...model.commands.map(command => command.command), ...Object.keys(model.sorts)]) {
			assert.ok(inForce.has(name), `${kind} uses ${name}, which is not in force there`);
		}

		for (const hint of model.hints(undefined)) assert.ok(commandSpec(hint.split(':')[0]!), `${kind} hints at ${hint}`);
		assert.ok(model.tabs.length > 0, `${kind} has detail tabs`);
		assert.ok(model.names.length > 0 && model.names[0] === kind, `${kind} answers to its own name on the command line`);
	}
});

test('the log view has its own commands and keys, apart from the lists\'', () => {
	const logView = commandsIn('logView');
	assert.ok(logView.length >= 20);
	assert.ok(logView.every(command => command.name.startsWith('log.')));
	assert.ok(!commandsIn('containers').some(command => command.name.startsWith('log.')));
});
