// The networks panel: each network with its driver, scope and subnet, and the containers
// attached to it; remove and prune. Pure.
import {byText, type Comparator, type Sort} from '../list.ts';
import {describeItems, type Column, type PanelModel, yesNo} from './panel.ts';
import {ago, shortId} from './images.ts';

export type NetworkItem = {
	/** The network's id. */
	id: string;
	name: string;
	driver: string;
	scope: string;
	/** The IPAM subnets, comma-separated. */
	subnet: string;
	/** Seconds since the epoch; 0 when unknown. */
	created: number;
	internal: boolean;
};

/** dockerd's own networks, which cannot be removed. */
export const predefinedNetworks = new Set(['bridge', 'host', 'none']);

const byName = byText<NetworkItem>(network => network.name, network => network.id);

function comparator(sort: Sort): Comparator<NetworkItem> {
	const direction = sort.reverse ? -1 : 1;
	if (sort.key === 'created') return (a, b) => (b.created - a.created) * direction || byName(a, b);
	return (a, b) => byName(a, b) * direction;
}

const users = (network: NetworkItem, usage: {byNetwork: ReadonlyMap<string, readonly string[]>}) => usage.byNetwork.get(network.id) ?? [];

const columns: ReadonlyArray<Column<NetworkItem>> = [
	{title: 'NAME', weight: 0.4, min: 10, cell: network => network.name, sortKey: 'name', ascending: true},
	{title: 'NETWORK ID', width: total => (total >= 64 ? 12 : 0), cell: network => shortId(network.id)},
	{title: 'DRIVER', width: () => 7, cell: network => network.driver},
	{title: 'SCOPE', width: () => 6, cell: network => network.scope},
	{title: 'SUBNET', width: total => (total >= 72 ? 18 : 0), cell: network => network.subnet},
	{title: 'CREATED', width: total => (total >= 110 ? 14 : 0), cell: (network, context) => ago(network.created, context.now), sortKey: 'created', ascending: false},
	{title: 'CONTAINERS', weight: 0.6, min: 10, cell: (network, context) => users(network, context.usage).join(', ')},
];

const label = (network: NetworkItem) => network.name;

export const networksPanel: PanelModel<NetworkItem> = {
	kind: 'networks',
	title: 'Networks',
	noun: ['network', 'networks'],
	names: ['networks', 'net', 'network', 'ne'],
	filterKeys: ['name', 'driver'],
	comparator,
	columns,
	tabs: ['Inspect', 'Containers'],
	actions: [{command: 'remove', verb: 'remove', bulk: true, askOne: true, ask: items => yesNo(`Remove ${items.length === 1 ? 'network ' : ''}${describeItems(items, label, 'networks')}?`)}],
	commands: [{command: 'prune', target: 'none', ask: () => yesNo('Prune every network no container uses?')}],
	words: {remove: ['removing', 'removed']},
	label,
	hints: item => (item ? ['remove', 'prune'] : ['prune']),
	sorts: {sortName: 'name', sortCreated: 'created'},
};
