import type Docker from 'dockerode';
import {useEffect, useState} from 'react';
import {daemonMessage} from '../../client/errors.ts';
import {type ProcessTable, readProcesses} from '../../client/stats.ts';

const refreshMs = 2000;

/** The container's processes, read again every two seconds while `active` (its Top tab is showing). */
export function useProcessTable(docker: Docker, id: string | undefined, active: boolean): {id?: string; table?: ProcessTable; error?: string} {
	const [result, setResult] = useState<{id?: string; table?: ProcessTable; error?: string}>({});
	useEffect(() => {
		if (!active || !id) return;
		let stopped = false;
		let timer: NodeJS.Timeout | undefined;
		const read = () => {
			readProcesses(docker, id).then(
				table => !stopped && setResult({id, table}),
				error => !stopped && setResult({id, error: daemonMessage(error)}),
			).finally(() => {
				if (!stopped) timer = setTimeout(read, refreshMs);
			});
		};

		read();
		return () => {
			stopped = true;
			clearTimeout(timer);
		};
	}, [docker, id, active]);

	return result.id === id ? result : {};
}
