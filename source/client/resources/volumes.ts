// Volume requests: the list, inspect, remove and prune.
import type Docker from 'dockerode';
import type {VolumeItem} from '../../state/panels/volumes.ts';
import {compareVersions} from '../connect/connect.ts';
import type {PruneResult} from './images.ts';

type VolumeInfo = {Name: string; Driver?: string; Mountpoint?: string; CreatedAt?: string; Scope?: string; UsageData?: {Size?: number; RefCount?: number} | null};

export function toVolumeItem(info: VolumeInfo): VolumeItem {
	const created = info.CreatedAt ? Date.parse(info.CreatedAt) / 1000 : 0;
	const size = info.UsageData?.Size;
	return {id: info.Name, name: info.Name, driver: info.Driver ?? '', mountpoint: info.Mountpoint ?? '', created: Number.isFinite(created) ? Math.floor(created) : 0, scope: info.Scope ?? 'local', ...(size !== undefined && size >= 0 ? {size} : {})};
}

export async function listVolumes(docker: Docker): Promise<VolumeItem[]> {
	const answer = (await docker.listVolumes()) as {Volumes?: VolumeInfo[] | null};
	return (answer.Volumes ?? []).map(info => toVolumeItem(info));
}

export async function inspectVolume(docker: Docker, name: string): Promise<Record<string, unknown>> {
	return (await docker.getVolume(name).inspect()) as unknown as Record<string, unknown>;
}

export async function removeVolume(docker: Docker, name: string): Promise<void> {
	await docker.getVolume(name).remove();
}

/**
 * Every volume no container uses. From API 1.42 dockerd prunes only anonymous volumes unless
 * asked for all, so all is asked for there (what the panel's question says).
 */
export async function pruneVolumes(docker: Docker, apiVersion: string): Promise<PruneResult> {
	const filters = apiVersion && compareVersions(apiVersion, '1.42') >= 0 ? {filters: {all: {true: true}}} : {};
	const result = (await (docker.pruneVolumes as (options: object) => Promise<unknown>).call(docker, filters)) as {VolumesDeleted?: string[] | null; SpaceReclaimed?: number};
	return {deleted: (result.VolumesDeleted ?? []).length, reclaimed: result.SpaceReclaimed ?? 0};
}
