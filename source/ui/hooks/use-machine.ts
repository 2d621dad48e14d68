import {useEffect, useState} from 'react';
import type {EngineClient, MachineInfo} from '../../client/engine-client.ts';
import {formatBytes, formatPercent} from '../../state/stats.ts';

/** berth's engine reports its containers' summed use; it is read again this often. */
const usageRefreshMs = 5000;

export type Machine = {isolation?: string; cpus?: number; memory?: number; usage?: string};

/**
 * The machine behind the engine, read once. berth's own engine also reports what all its
 * containers use together; while `followUsage`, that is read every few seconds, with CPU from
 * two readings. (dockerd has no such total short of a stats request per container.)
 */
export function useMachine(client: EngineClient, followUsage: boolean): Machine {
	const [machine, setMachine] = useState<Machine>({});
	useEffect(() => {
		let stopped = false;
		let timer: NodeJS.Timeout | undefined;
		let previous: MachineInfo['usage'];
		let readings = 0;
		const read = () => {
			client.system.machine().then(
				info => {
					if (stopped) return;
					const now = info.usage;
					let usage: string | undefined;
					if (now && previous && now.read > previous.read) {
						const cpu = ((now.cpuNanoseconds - previous.cpuNanoseconds) / ((now.read - previous.read) * 1e6)) * 100;
						usage = `CPU ${formatPercent(Math.max(0, cpu))} · MEM ${formatBytes(now.memoryBytes)}`;
					}

					previous = now;
					readings++;
					setMachine(current => {
						const isolation = client.isBerthEngine ? (info.isolation === 'process' ? 'no isolation' : info.isolation) : undefined;
						const next = {isolation, cpus: info.cpus, memory: info.memory, usage: usage ?? current.usage};
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
	}, [client, followUsage]);

	return machine;
}
