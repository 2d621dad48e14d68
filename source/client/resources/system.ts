// What the engine says of the machine (/info) and of its disk (/system/df), as the screen uses it.
import type Docker from 'dockerode';
import type {DiskItem} from '../../state/panels/disk.ts';

/** The machine behind the engine. berth's own engine also names its isolation and what all its containers use. */
export type MachineInfo = {
	cpus?: number;
	memory?: number;
	isolation?: string;
	/** Summed use of every container: CPU time so far, memory, and when it was read (ms). */
	usage?: {cpuNanoseconds: number; memoryBytes: number; read: number};
};

type Info = {Isolation?: string; NCPU?: number; MemTotal?: number; BerthUsage?: {CpuNanoseconds: number; MemoryBytes: number; Read: number}};

export async function machineInfo(docker: Docker): Promise<MachineInfo> {
	const info = (await docker.info()) as Info;
	const usage = info.BerthUsage;
	return {
		cpus: info.NCPU,
		memory: info.MemTotal,
		...(info.Isolation ? {isolation: info.Isolation} : {}),
		...(usage ? {usage: {cpuNanoseconds: usage.CpuNanoseconds, memoryBytes: usage.MemoryBytes, read: usage.Read}} : {}),
	};
}

type DiskUsage = {
	LayersSize?: number;
	Images?: Array<{Id: string; RepoTags?: string[] | null; Size?: number; SharedSize?: number; Containers?: number}> | null;
	Containers?: Array<{Id: string; Names?: string[]; SizeRw?: number; SizeRootFs?: number; State?: string}> | null;
	Volumes?: Array<{Name: string; UsageData?: {Size?: number; RefCount?: number} | null}> | null;
	BuildCache?: Array<{ID: string; Size?: number; InUse?: boolean; Shared?: boolean; Description?: string}> | null;
};

/** `docker system df`, computed the way the docker CLI computes it from the same answer. */
export function toDiskItems(usage: DiskUsage): DiskItem[] {
	const images = usage.Images ?? [];
	const containers = usage.Containers ?? [];
	const volumes = usage.Volumes ?? [];
	const cache = usage.BuildCache ?? [];
	const largestFirst = <T extends {size: number}>(entries: T[]) => entries.sort((a, b) => b.size - a.size);

	const imagesActive = images.filter(image => (image.Containers ?? 0) > 0);
	const imagesSize = usage.LayersSize ?? images.reduce((sum, image) => sum + (image.Size ?? 0) - Math.max(0, image.SharedSize ?? 0), 0);
	// What only unused images hold: their size less what they share with others.
	const imagesUsed = imagesActive.reduce((sum, image) => sum + (image.Size ?? 0) - Math.max(0, image.SharedSize ?? 0), 0);
	const running = containers.filter(container => container.State === 'running');
	const containersSize = containers.reduce((sum, container) => sum + Math.max(0, container.SizeRw ?? 0), 0);
	const volumesActive = volumes.filter(volume => (volume.UsageData?.RefCount ?? 0) > 0);
	const volumeSize = (volume: (typeof volumes)[number]) => Math.max(0, volume.UsageData?.Size ?? 0);
	const volumesSize = volumes.reduce((sum, volume) => sum + volumeSize(volume), 0);
	const cacheSize = cache.reduce((sum, entry) => sum + (entry.Shared ? 0 : Math.max(0, entry.Size ?? 0)), 0);
	const cacheActive = cache.filter(entry => entry.InUse);

	return [
		{
			id: 'images',
			type: 'Images',
			total: images.length,
			active: imagesActive.length,
			size: imagesSize,
			reclaimable: Math.max(0, imagesSize - imagesUsed),
			entries: largestFirst(images.map(image => ({name: image.RepoTags?.find(tag => tag !== '<none>:<none>') ?? image.Id.replace(/^sha256:/, '').slice(0, 12), size: image.Size ?? 0, active: (image.Containers ?? 0) > 0}))),
		},
		{
			id: 'containers',
			type: 'Containers',
			total: containers.length,
			active: running.length,
			size: containersSize,
			reclaimable: containers.filter(container => container.State !== 'running').reduce((sum, container) => sum + Math.max(0, container.SizeRw ?? 0), 0),
			entries: largestFirst(containers.map(container => ({name: (container.Names?.[0] ?? container.Id).replace(/^\//, ''), size: Math.max(0, container.SizeRw ?? 0), active: container.State === 'running'}))),
		},
		{
			id: 'volumes',
			type: 'Local Volumes',
			total: volumes.length,
			active: volumesActive.length,
			size: volumesSize,
			reclaimable: volumes.filter(volume => (volume.UsageData?.RefCount ?? 0) === 0).reduce((sum, volume) => sum + volumeSize(volume), 0),
			entries: largestFirst(volumes.map(volume => ({name: volume.Name, size: volumeSize(volume), active: (volume.UsageData?.RefCount ?? 0) > 0}))),
		},
		{
			id: 'build-cache',
			type: 'Build Cache',
			total: cache.length,
			active: cacheActive.length,
			size: cacheSize,
			reclaimable: cache.filter(entry => !entry.InUse && !entry.Shared).reduce((sum, entry) => sum + Math.max(0, entry.Size ?? 0), 0),
			entries: largestFirst(cache.map(entry => ({name: entry.Description || entry.ID, size: Math.max(0, entry.Size ?? 0), active: Boolean(entry.InUse)}))),
		},
	];
}

export async function diskUsage(docker: Docker): Promise<DiskItem[]> {
	return toDiskItems((await docker.df()) as DiskUsage);
}
