// Every command berth has, in one table: its name (what the config file's "keys" remaps), where
// it applies, its default keys and what it does. Key handling, the hint line, the help overlay
// and remapping all read this table. Pure.
import type {PanelKind} from './panels/panel.ts';

/**
 * Where a command applies. `global` and `list` commands work in every list panel alongside the
 * panel's own; the log view is a screen of its own, with only its own commands.
 */
export type Scope = 'global' | 'list' | PanelKind | 'logView';

export type CommandSpec = {
	name: string;
	scopes: readonly Scope[];
	keys: readonly string[];
	help: string;
	/** A different description where the command does something else in one panel. */
	helpIn?: Partial<Record<PanelKind, string>>;
};

const everyList: readonly Scope[] = ['list'];
const rowsOf = (...kinds: PanelKind[]): readonly Scope[] => kinds;

export const commandTable: readonly CommandSpec[] = [
	// Everywhere in the lists.
	{name: 'quit', scopes: ['global'], keys: ['q'], help: 'quit'},
	{name: 'help', scopes: ['global'], keys: ['?'], help: 'this help'},
	{name: 'hosts', scopes: ['global'], keys: ['H'], help: 'switch host'},
	{name: 'commandLine', scopes: ['global'], keys: [':'], help: 'command line'},
	{name: 'panelContainers', scopes: ['global'], keys: ['1'], help: 'containers'},
	{name: 'panelImages', scopes: ['global'], keys: ['2'], help: 'images'},
	{name: 'panelVolumes', scopes: ['global'], keys: ['3'], help: 'volumes'},
	{name: 'panelNetworks', scopes: ['global'], keys: ['4'], help: 'networks'},
	{name: 'panelEvents', scopes: ['global'], keys: ['5'], help: 'events'},
	{name: 'panelDisk', scopes: ['global'], keys: ['6'], help: 'disk usage'},
	{name: 'up', scopes: everyList, keys: ['up', 'k'], help: 'move up'},
	{name: 'down', scopes: everyList, keys: ['down', 'j'], help: 'move down'},
	{name: 'top', scopes: everyList, keys: ['g', 'home'], help: 'go to the top'},
	{name: 'bottom', scopes: everyList, keys: ['G', 'end'], help: 'go to the bottom'},
	{name: 'pageUp', scopes: everyList, keys: ['pageup', 'ctrl+b'], help: 'page up'},
	{name: 'pageDown', scopes: everyList, keys: ['pagedown', 'ctrl+f'], help: 'page down'},
	{name: 'switchFocus', scopes: everyList, keys: ['tab'], help: 'list ↔ details'},
	{name: 'drillIn', scopes: everyList, keys: ['enter'], help: 'open details', helpIn: {events: 'go to its object'}},
	{name: 'prevTab', scopes: everyList, keys: ['['], help: 'previous tab'},
	{name: 'nextTab', scopes: everyList, keys: [']'], help: 'next tab'},
	{name: 'filter', scopes: everyList, keys: ['/'], help: 'filter the list'},
	{name: 'mark', scopes: everyList, keys: [' '], help: 'mark / unmark'},
	{name: 'markAll', scopes: everyList, keys: ['*'], help: 'mark all listed'},
	{name: 'copyId', scopes: everyList, keys: ['y'], help: 'copy the id'},
	{name: 'copyName', scopes: everyList, keys: ['Y'], help: 'copy the name'},
	{name: 'customMenu', scopes: everyList, keys: ['c'], help: 'your commands'},

	// Containers.
	{name: 'start', scopes: rowsOf('containers'), keys: ['u'], help: 'start'},
	{name: 'stop', scopes: rowsOf('containers'), keys: ['s'], help: 'stop'},
	{name: 'restart', scopes: rowsOf('containers'), keys: ['r'], help: 'restart'},
	{name: 'pause', scopes: rowsOf('containers'), keys: ['p'], help: 'pause / unpause'},
	{name: 'kill', scopes: rowsOf('containers'), keys: ['K'], help: 'kill'},
	{name: 'logs', scopes: rowsOf('containers'), keys: ['l'], help: 'full-screen logs'},
	{name: 'logsAll', scopes: rowsOf('containers'), keys: ['L'], help: 'merged logs'},
	{name: 'shell', scopes: rowsOf('containers'), keys: ['e'], help: 'open a shell'},
	{name: 'exec', scopes: rowsOf('containers'), keys: ['E'], help: 'run a command'},
	{name: 'attach', scopes: rowsOf('containers'), keys: ['a'], help: 'attach to it'},
	{name: 'runForm', scopes: rowsOf('containers', 'images'), keys: ['n'], help: 'run a container'},
	{name: 'duplicate', scopes: rowsOf('containers'), keys: ['D'], help: 'duplicate it'},
	{name: 'composeUp', scopes: rowsOf('containers'), keys: ['U'], help: 'compose up -d'},
	{name: 'composeDown', scopes: rowsOf('containers'), keys: ['X'], help: 'compose down'},
	{name: 'composePull', scopes: rowsOf('containers'), keys: ['P'], help: 'compose pull'},
	{name: 'composeBuild', scopes: rowsOf('containers'), keys: ['B'], help: 'compose build'},
	{name: 'composeRestart', scopes: rowsOf('containers'), keys: ['R'], help: 'restart service'},
	{name: 'composeRecreate', scopes: rowsOf('containers'), keys: ['ctrl+r'], help: 'recreate service'},
	{name: 'sortState', scopes: rowsOf('containers'), keys: ['S'], help: 'sort by state'},
	{name: 'sortCpu', scopes: rowsOf('containers'), keys: ['C'], help: 'sort by CPU'},
	{name: 'sortMemory', scopes: rowsOf('containers'), keys: ['M'], help: 'sort by memory'},

	// Shared by several kinds.
	{name: 'remove', scopes: rowsOf('containers', 'images', 'volumes', 'networks'), keys: ['d'], help: 'remove (asks)'},
	{name: 'prune', scopes: rowsOf('images', 'volumes', 'networks'), keys: ['P'], help: 'prune (asks)'},
	{name: 'sortName', scopes: rowsOf('containers', 'images', 'volumes', 'networks'), keys: ['N'], help: 'sort by name'},
	{name: 'sortCreated', scopes: rowsOf('containers', 'images', 'volumes', 'networks'), keys: ['A'], help: 'sort by age'},

	// Images.
	{name: 'tag', scopes: rowsOf('images'), keys: ['t'], help: 'tag the image'},
	{name: 'pull', scopes: rowsOf('images'), keys: ['p'], help: 'pull an image'},
	{name: 'sortSize', scopes: rowsOf('images'), keys: ['S'], help: 'sort by size'},

	// Events.
	{name: 'pauseEvents', scopes: rowsOf('events'), keys: ['p'], help: 'pause / resume'},

	// The full-screen log view.
	{name: 'log.close', scopes: ['logView'], keys: ['q'], help: 'back to the list'},
	{name: 'log.help', scopes: ['logView'], keys: ['?'], help: 'this help'},
	{name: 'log.down', scopes: ['logView'], keys: ['j', 'down', 'enter'], help: 'line down'},
	{name: 'log.up', scopes: ['logView'], keys: ['k', 'up'], help: 'line up'},
	{name: 'log.pageDown', scopes: ['logView'], keys: ['pagedown', 'ctrl+f', ' '], help: 'page down'},
	{name: 'log.pageUp', scopes: ['logView'], keys: ['pageup', 'ctrl+b', 'b'], help: 'page up'},
	{name: 'log.halfDown', scopes: ['logView'], keys: ['ctrl+d'], help: 'half a page down'},
	{name: 'log.halfUp', scopes: ['logView'], keys: ['ctrl+u'], help: 'half a page up'},
	{name: 'log.top', scopes: ['logView'], keys: ['g', 'home'], help: 'oldest line'},
	{name: 'log.bottom', scopes: ['logView'], keys: ['G', 'end'], help: 'newest, follow'},
	{name: 'log.follow', scopes: ['logView'], keys: ['f'], help: 'follow / pause'},
	{name: 'log.search', scopes: ['logView'], keys: ['/'], help: 'search (regex)'},
	{name: 'log.next', scopes: ['logView'], keys: ['n'], help: 'next match'},
	{name: 'log.previous', scopes: ['logView'], keys: ['N'], help: 'previous match'},
	{name: 'log.filter', scopes: ['logView'], keys: ['&', 'F'], help: 'only matching'},
	{name: 'log.time', scopes: ['logView'], keys: ['@', 'T'], help: 'jump to a time'},
	{name: 'log.timestamps', scopes: ['logView'], keys: ['t'], help: 'timestamps'},
	{name: 'log.wrap', scopes: ['logView'], keys: ['w'], help: 'wrap long lines'},
	{name: 'log.json', scopes: ['logView'], keys: ['J'], help: 'expand JSON'},
	{name: 'log.save', scopes: ['logView'], keys: ['s'], help: 'save to a file'},
	{name: 'log.copy', scopes: ['logView'], keys: ['y'], help: 'copy a line'},
];

export const commandNames = commandTable.map(command => command.name);

const byName = new Map(commandTable.map(command => [command.name, command]));

export function commandSpec(name: string): CommandSpec | undefined {
	return byName.get(name);
}

/** The scopes in force together on a screen. */
export function activeScopes(where: PanelKind | 'logView'): readonly Scope[] {
	return where === 'logView' ? ['logView'] : ['global', 'list', where];
}

/** Every set of scopes that can be in force together: a key may mean one command in each. */
export const scopeSets: ReadonlyArray<readonly Scope[]> = [...(['containers', 'images', 'volumes', 'networks', 'events', 'disk'] as const).map(kind => activeScopes(kind)), activeScopes('logView')];

/** Whether two commands can be in force at once, so that one key cannot mean both. */
export function overlap(a: CommandSpec, b: CommandSpec): boolean {
	return scopeSets.some(set => a.scopes.some(scope => set.includes(scope)) && b.scopes.some(scope => set.includes(scope)));
}

/** The commands in force on a screen, in table order. */
export function commandsIn(where: PanelKind | 'logView'): CommandSpec[] {
	const scopes = activeScopes(where);
	return commandTable.filter(command => command.scopes.some(scope => scopes.includes(scope)));
}

/** A command's description where it is used. */
export function helpOf(command: CommandSpec, where: PanelKind | 'logView'): string {
	return (where !== 'logView' && command.helpIn?.[where]) || command.help;
}
