// Network requests: the list, inspect, remove and prune.
import type Docker from 'dockerode';
import type {NetworkItem} from '../../state/panels/networks.ts';
import type {PruneResult} from './images.ts';

type NetworkInfo = {Id: string; Name: string; Driver?: string; Scope?: string; Created?: string; Internal?: boolean; IPAM?: {Config?: Array<{Subnet?: string}> | null} | null};

export function toNetworkItem(info: NetworkInfo): NetworkItem {
	const created = info.Created ? Date.parse(info.Created) / 1000 : 0;
	return {
		id: info.Id,
		name: info.Name,
		driver: info.Driver ?? '',
		scope: info.Scope ?? '',
		subnet: (info.IPAM?.Config ?? []).flatMap(config => (config.Subnet ? [config.Subnet] : [])).join(', '),
		created: Number.isFinite(created) ? Math.floor(created) : 0,
		internal: Boolean(info.Internal),
	};
}

export async function listNetworks(docker: Docker): Promise<NetworkItem[]> {
	return ((await docker.listNetworks()) as NetworkInfo[]).map(info => toNetworkItem(info));
}

export async function inspectNetwork(docker: Docker, id: string): Promise<Record<string, unknown>> {
	return (await docker.getNetwork(id).inspect()) as unknown as Record<string, unknown>;
}

export async function removeNetwork(docker: Docker, id: string): Promise<void> {
	await docker.getNetwork(id).remove();
}

export async function pruneNetworks(docker: Docker): Promise<PruneResult> {
	const result = (await docker.pruneNetworks()) as {NetworksDeleted?: string[] | null};
	return {deleted: (result.NetworksDeleted ?? []).length, reclaimed: 0};
}
