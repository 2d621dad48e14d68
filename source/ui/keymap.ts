// Keys to commands. Pure: a key press is first named ("k", "G", "ctrl+d", "pageup"), then looked
// up in a table built from the defaults and the user's overrides from the config file.

export type Command =
	| 'up'
	| 'down'
	| 'top'
	| 'bottom'
	| 'pageUp'
	| 'pageDown'
	| 'switchFocus'
	| 'drillIn'
	| 'prevTab'
	| 'nextTab'
	| 'filter'
	| 'start'
	| 'stop'
	| 'restart'
	| 'pause'
	| 'kill'
	| 'remove'
	| 'logs'
	| 'logsAll'
	| 'sortName'
	| 'sortState'
	| 'sortCpu'
	| 'sortMemory'
	| 'sortCreated'
	| 'hosts'
	| 'help'
	| 'quit';

export const commandHelp: Record<Command, string> = {
	up: 'move up',
	down: 'move down',
	top: 'go to the top',
	bottom: 'go to the bottom',
	pageUp: 'page up',
	pageDown: 'page down',
	switchFocus: 'focus list / details',
	drillIn: 'focus the details',
	prevTab: 'previous detail tab',
	nextTab: 'next detail tab',
	filter: 'filter name or image',
	start: 'start',
	stop: 'stop',
	restart: 'restart',
	pause: 'pause / unpause',
	kill: 'kill',
	remove: 'remove (asks first)',
	logs: 'full-screen logs',
	logsAll: 'merged logs of the list',
	sortName: 'sort by name',
	sortState: 'sort by state',
	sortCpu: 'sort by CPU',
	sortMemory: 'sort by memory',
	sortCreated: 'sort by age',
	hosts: 'switch host / engine',
	help: 'this help',
	quit: 'quit',
};

export const defaultKeymap: Record<Command, string[]> = {
	up: ['up', 'k'],
	down: ['down', 'j'],
	top: ['g', 'home'],
	bottom: ['G', 'end'],
	pageUp: ['pageup', 'ctrl+b'],
	pageDown: ['pagedown', 'ctrl+f'],
	switchFocus: ['tab'],
	drillIn: ['enter'],
	prevTab: ['['],
	nextTab: [']'],
	filter: ['/'],
	start: ['u'],
	stop: ['s'],
	restart: ['r'],
	pause: ['p'],
	kill: ['K'],
	remove: ['d'],
	logs: ['l'],
	logsAll: ['L'],
	sortName: ['N'],
	sortState: ['S'],
	sortCpu: ['C'],
	sortMemory: ['M'],
	sortCreated: ['A'],
	hosts: ['H'],
	help: ['?'],
	quit: ['q'],
};

export const commands = Object.keys(defaultKeymap) as Command[];

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

export type KeyLookup = Map<string, Command>;

export type KeymapProblem = string;

/**
 * The defaults with the user's overrides laid over them. An override replaces the command's
 * default keys and takes its keys away from any other command.
 */
export function buildKeymap(overrides: Record<string, unknown> = {}): {lookup: KeyLookup; keys: Record<Command, string[]>; problems: KeymapProblem[]} {
	const keys: Record<Command, string[]> = {...defaultKeymap};
	const problems: KeymapProblem[] = [];
	const claimed = new Set<string>();
	for (const [command, value] of Object.entries(overrides)) {
		if (!(command in defaultKeymap)) {
			problems.push(`unknown command "${command}" in keys (known: ${commands.join(', ')})`);
			continue;
		}

		const list = typeof value === 'string' ? [value] : Array.isArray(value) && value.every(item => typeof item === 'string') ? (value as string[]) : undefined;
		if (!list || list.length === 0) {
			problems.push(`keys.${command} must be a key or a list of keys`);
			continue;
		}

		keys[command as Command] = list;
		for (const key of list) claimed.add(key);
	}

	const lookup: KeyLookup = new Map();
	for (const command of commands) {
		const overridden = command in overrides && keys[command] !== defaultKeymap[command];
		for (const key of keys[command]) {
			if (!overridden && claimed.has(key)) continue;
			lookup.set(key, command);
		}
	}

	for (const command of commands) keys[command] = keys[command].filter(key => lookup.get(key) === command);
	return {lookup, keys, problems};
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

		default: {
			return name;
		}
	}
}
