import type Docker from 'dockerode';
import {useEffect, useState} from 'react';
import {formatBytes, formatPercent} from '../../state/stats.ts';

/** berth's engine reports its containers' summed use in /info; it is read again this often. */
const usageRefreshMs = 5000;

type Info = {Isolation?: string; NCPU?: number; MemTotal?: number; BerthUsage?: {CpuNanoseconds: number; MemoryBytes: number; Read: number}};

export type Machine = {isolation?: string; cpus?: number; memory?: number; usage?: string};

/**
 * The machine behind the engine, from /info, read once. berth's own engine also reports what all
 * its containers use together; while `followUsage`, that is read every few seconds, with CPU
 * from two readings. (dockerd has no such total short of a stats request per container.)
 */
export function useMachine(docker: Docker, isBerthEngine: boolean, followUsage: boolean): Machine {
	const [machine, setMachine] = useState<Machine>({});
	useEffect(() => {
		let stopped = false;
		let timer: NodeJS.Timeout | undefined;
		let previous: Info['BerthUsage'];
		let readings = 0;
		const read = () => {
			docker.info().then(
				(info: Info) => {
					if (stopped) return;
					const now = info.BerthUsage;
					let usage: string | undefined;
					if (now && previous && now.Read > previous.Read) {
						const cpu = ((now.CpuNanoseconds - previous.CpuNanoseconds) / ((now.Read - previous.Read) * 1e6)) * 100;
						usage = `CPU ${formatPercent(Math.max(0, cpu))} · MEM ${formatBytes(now.MemoryBytes)}`;
					}

					previous = now;
					readings++;
					setMachine(current => {
						const next = {isolation: isBerthEngine ? (info.Isolation === 'process' ? 'no isolation' : info.Isolation) : undefined, cpus: info.NCPU, memory: info.MemTotal, usage: usage ?? current.usage};
						const same = current.isolation === next.isolation && current.cpus === next.cpus && current.memory === next.memory && current.usage === next.usage;
						return same ? current : next;
					});
					// The second reading comes soon, so that a CPU figure shows without a long wait.
					if (followUsage && now) timer = setTimeout(read, readings === 1 ? 1000 : usageRefreshMs);
				},
				() => undefined,
			);
		};

		read();
		return () => {
			stopped = true;
			clearTimeout(timer);
		};
	}, [docker, isBerthEngine, followUsage]);

	return machine;
}
