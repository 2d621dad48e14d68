import {useEffect, useState} from 'react';
import type {EngineClient, ProcessTable} from '../../client/engine-client.ts';

const refreshMs = 2000;

/** The container's processes, read again every two seconds while `active` (its Top tab is showing). */
export function useProcessTable(client: EngineClient, id: string | undefined, active: boolean): {id?: string; table?: ProcessTable; error?: string} {
	const [result, setResult] = useState<{id?: string; table?: ProcessTable; error?: string}>({});
	useEffect(() => {
		if (!active || !id) return;
		let stopped = false;
		let timer: NodeJS.Timeout | undefined;
		const read = () => {
			client.containers.top(id).then(
				table => !stopped && setResult({id, table}),
				(error: Error) => !stopped && setResult({id, error: error.message}),
			).finally(() => {
				if (!stopped) timer = setTimeout(read, refreshMs);
			});
		};

		read();
		return () => {
			stopped = true;
			clearTimeout(timer);
		};
	}, [client, id, active]);

	return result.id === id ? result : {};
}
