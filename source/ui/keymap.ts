// Keys to commands. Pure: a key press is first named ("k", "G", "ctrl+d", "pageup"), then looked
// up in the table of the screen in front (a list panel, or the log view), built from the command
// table's defaults and the user's overrides from the config file.
import {activeScopes, type CommandSpec, commandNames, commandTable, overlap} from '../state/commands.ts';
import type {PanelKind} from '../state/panels/panel.ts';

export type Where = PanelKind | 'logView';

/** The subset of Ink's Key that naming needs. */
export type KeyInfo = {
	upArrow?: boolean;
	downArrow?: boolean;
	leftArrow?: boolean;
	rightArrow?: boolean;
	pageUp?: boolean;
	pageDown?: boolean;
	home?: boolean;
	end?: boolean;
	return?: boolean;
	escape?: boolean;
	ctrl?: boolean;
	meta?: boolean;
	shift?: boolean;
	tab?: boolean;
	backspace?: boolean;
	delete?: boolean;
};

/** One canonical name for a key press, the same spelling the config file uses. */
export function keyName(input: string, key: KeyInfo): string {
	let name: string;
	if (key.upArrow) name = 'up';
	else if (key.downArrow) name = 'down';
	else if (key.leftArrow) name = 'left';
	else if (key.rightArrow) name = 'right';
	else if (key.pageUp) name = 'pageup';
	else if (key.pageDown) name = 'pagedown';
	else if (key.home) name = 'home';
	else if (key.end) name = 'end';
	else if (key.return) name = 'enter';
	else if (key.tab) return key.shift ? 'shift+tab' : 'tab';
	else if (key.backspace) name = 'backspace';
	else if (key.delete) name = 'delete';
	// A lone Esc arrives with meta set too.
	else if (key.escape) return 'esc';
	else name = input;

	if (key.ctrl) return `ctrl+${name.toLowerCase()}`;
	if (key.meta) return `alt+${name}`;
	return name;
}

const controlNames: Record<string, string> = {'\r': 'enter', '\n': 'enter', '\t': 'tab', '\u007F': 'backspace', '\b': 'backspace', '\u001B': 'esc'};

/**
 * Keys typed quickly, pasted, or sent over a slow link arrive as one chunk ("jjj", "web2\r"), which
 * Ink reports as one input. Each character is its own key press, named as if pressed alone.
 */
export type Press = {name: string; input: string};

export function splitPresses(input: string, key: KeyInfo, isBound: (name: string) => boolean = () => false): Press[] {
	const name = keyName(input, key);
	// Esc followed quickly by a key reads as Alt+key. berth binds no Alt keys by default, so an
	// unbound Alt+key is taken as the two presses it most likely was.
	if (name.startsWith('alt+') && !isBound(name) && [...input].length === 1) {
		return [{name: 'esc', input: ''}, ...splitPresses(input, {})];
	}

	const characters = [...input];
	if (characters.length <= 1 || name !== input) return [{name, input}];
	return characters.map(character => {
		const code = character.codePointAt(0)!;
		if (controlNames[character]) return {name: controlNames[character], input: character};
		if (code < 32) return {name: `ctrl+${String.fromCodePoint(code + 96)}`, input: character};
		return {name: character, input: character};
	});
}

/** For one screen: key name to command name. */
export type KeyLookup = ReadonlyMap<string, string>;

export type Keymap = {
	/** The lookup for the screen in front. */
	lookupIn(where: Where): KeyLookup;
	/** Every command's keys in force, overrides included. */
	keys: Readonly<Record<string, readonly string[]>>;
	/** The commands in force on a screen, in table order, the user's own commands last. */
	commandsIn(where: Where): CommandSpec[];
	problems: string[];
};

/**
 * The defaults with the user's overrides laid over them. An override replaces the command's
 * default keys and takes its keys away from every other command that can be in force at the
 * same time (a key may still mean one thing in the lists and another in the log view).
 */
export function buildKeymap(overrides: Record<string, unknown> = {}, ownCommands: readonly CommandSpec[] = []): Keymap {
	const table = [...commandTable, ...ownCommands];
	const byName = new Map(table.map(command => [command.name, command]));
	const commandSpec = (name: string) => byName.get(name);
	const commandsIn = (where: Where) => {
		const scopes = activeScopes(where);
		return table.filter(command => command.scopes.some(scope => scopes.includes(scope)));
	};

	const keys: Record<string, readonly string[]> = Object.fromEntries(table.map(command => [command.name, command.keys]));
	const problems: string[] = [];
	const overridden = new Set<string>();
	// The user's own commands' keys are the user's choice, as an override is.
	for (const command of ownCommands) if (command.keys.length > 0) overridden.add(command.name);
	for (const [name, value] of Object.entries(overrides)) {
		if (!commandSpec(name) || name.startsWith('custom.')) {
			problems.push(`unknown command "${name}" in keys (known: ${commandNames.join(', ')})`);
			continue;
		}

		const list = typeof value === 'string' ? [value] : Array.isArray(value) && value.every(item => typeof item === 'string') ? (value as string[]) : undefined;
		if (!list || list.length === 0) {
			problems.push(`keys.${name} must be a key or a list of keys`);
			continue;
		}

		keys[name] = list;
		overridden.add(name);
	}

	// Defaults give way to overrides where the two could be in force together.
	for (const command of table) {
		if (overridden.has(command.name)) continue;
		const taken = new Set<string>();
		for (const name of overridden) if (overlap(command, commandSpec(name)!)) for (const key of keys[name]!) taken.add(key);
		if (taken.size > 0) keys[command.name] = keys[command.name]!.filter(key => !taken.has(key));
	}

	const overriddenList = [...overridden];
	for (const [index, name] of overriddenList.entries()) {
		for (const other of overriddenList.slice(index + 1)) {
			const shared = keys[name]!.filter(key => keys[other]!.includes(key));
			const label = (command: string) => (command.startsWith('custom.') ? `the command "${commandSpec(command)!.help}"` : command);
			if (shared.length > 0 && overlap(commandSpec(name)!, commandSpec(other)!)) problems.push(`keys: ${shared.join(', ')} given to both ${label(name)} and ${label(other)}; ${label(other)} keeps it`);
		}
	}

	const lookups = new Map<Where, Map<string, string>>();
	const lookupIn = (where: Where): KeyLookup => {
		let lookup = lookups.get(where);
		if (!lookup) {
			lookup = new Map();
			// Later commands win a clash between two overrides, as the problem above says.
			for (const command of commandsIn(where)) for (const key of keys[command.name]!) lookup.set(key, command.name);
			lookups.set(where, lookup);
		}

		return lookup;
	};

	return {lookupIn, keys, commandsIn, problems};
}

/** The commands of a screen with the keys they have now; those left with none are left out. */
export function keysIn(keymap: Keymap, where: Where): Array<{command: CommandSpec; keys: readonly string[]}> {
	return keymap
		.commandsIn(where)
		.map(command => ({command, keys: keymap.keys[command.name] ?? []}))
		.filter(entry => entry.keys.length > 0);
}

/** How a key is shown in help and the status line. */
export function displayKey(name: string): string {
	switch (name) {
		case 'up': {
			return '↑';
		}

		case 'down': {
			return '↓';
		}

		case 'pageup': {
			return 'PgUp';
		}

		case 'pagedown': {
			return 'PgDn';
		}

		case 'enter': {
			return 'Enter';
		}

		case 'tab': {
			return 'Tab';
		}

		case 'home': {
			return 'Home';
		}

		case 'end': {
			return 'End';
		}

		case ' ': {
			return 'Space';
		}

		case 'esc': {
			return 'Esc';
		}

		default: {
			// Control keys as terminals write them: ^B.
			return name.startsWith('ctrl+') ? `^${name.slice(5).toUpperCase()}` : name;
		}
	}
}
