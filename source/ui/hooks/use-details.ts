import {useEffect, useMemo, useRef, useState} from 'react';
import type {EngineClient} from '../../client/engine-client.ts';
import type {Container} from '../../state/container.ts';
import type {Item} from '../../state/list.ts';
import {sanitizeLine} from '../../state/log-line.ts';
import {statsLines, topLines} from '../../state/metrics-view.ts';
import type {PanelKind} from '../../state/panels/panel.ts';
import {type TabContext, tabSources} from '../panels/tabs.ts';
import {useProcessTable} from './use-process-table.ts';
import {useStatsHistory} from './use-stats-history.ts';

/** Lines kept for the Logs tab; the full log viewer keeps many more. */
const logLimit = 2000;
/** Log lines are shown at most this often, however fast they come. */
const logFlushMs = 50;
/** Moving quickly through the list opens nothing for the rows passed over. */
const settleMs = 80;

export type Details = {lines: string[]; error?: string; loading: boolean};

/**
 * The selected row's detail text for the tab that shows. What a tab reads from the engine is
 * read when the row is selected (and again when its key changes: a container's state); the
 * containers' live tabs read only while they show: logs followed, stats streamed, processes
 * polled. A row that is not selected, or a tab that is not shown, costs nothing.
 */
export function useDetails(client: EngineClient, panel: PanelKind, item: Item | undefined, tab: string, pane: {width: number; height: number}, context: TabContext): Details {
	const source = tabSources[panel][tab];
	const [loaded, setLoaded] = useState<{at: string; value?: unknown; error?: string}>();
	const loadKey = item && source?.kind === 'load' ? `${panel}:${source.group}:${item.id}:${source.key?.(item) ?? ''}` : undefined;

	useEffect(() => {
		if (!loadKey || !item || source?.kind !== 'load') return;
		let cancelled = false;
		const timer = setTimeout(() => {
			source.load(client, item).then(
				value => !cancelled && setLoaded({at: loadKey, value}),
				(error: Error) => !cancelled && setLoaded({at: loadKey, error: error.message}),
			);
		}, settleMs);
		return () => {
			cancelled = true;
			clearTimeout(timer);
		};
		// What is read depends on the load key alone.
		// eslint-disable-next-line react-hooks/exhaustive-deps
	}, [client, loadKey]);

	const container = panel === 'containers' ? (item as Container | undefined) : undefined;
	const running = container?.state === 'running' || container?.state === 'paused';
	const logs = useLogTab(client, container, source?.kind === 'logs');
	const stats = useStatsHistory(client, container?.id, source?.kind === 'stats' && running, container ? `${container.state}` : undefined);
	const processes = useProcessTable(client, container?.id, source?.kind === 'top' && container?.state === 'running');
	const current = loaded?.at === loadKey ? loaded : undefined;
	const staticLines = useMemo(() => (source?.kind === 'load' && current?.value !== undefined ? source.lines(current.value, context) : undefined), [source, current, context]);

	if (!item || !source) return {lines: [], loading: false};
	switch (source.kind) {
		case 'derived': {
			return {lines: source.lines(item, context), loading: false};
		}

		case 'load': {
			if (current?.error) return {lines: [], error: current.error, loading: false};
			return {lines: staticLines ?? [], loading: !current};
		}

		case 'logs': {
			return logs;
		}

		case 'stats': {
			return {lines: statsLines(stats.history?.samples ?? [], pane.width, pane.height, running), error: stats.error, loading: false};
		}

		case 'top': {
			if (container?.state !== 'running') return {lines: [`${container?.state ?? 'gone'}: no processes`], loading: false};
			const table = processes.table;
			return {lines: table ? topLines(table.titles, table.processes) : [], error: processes.error, loading: !table && !processes.error};
		}
	}
}

/** The Logs tab: the end of the selected container's log, followed through restarts, while the tab shows. */
function useLogTab(client: EngineClient, container: Container | undefined, active: boolean): Details {
	const [logs, setLogs] = useState<{id: string; lines: string[]; error?: string}>();
	const buffer = useRef<string[]>([]);
	const id = container?.id;
	const name = container?.name ?? '';
	const wanted = active && id !== undefined;

	useEffect(() => {
		if (!wanted || !id) return;
		buffer.current = [];
		setLogs({id, lines: []});
		let flushTimer: NodeJS.Timeout | undefined;
		const flush = () => {
			flushTimer = undefined;
			setLogs(current => ({id, lines: buffer.current.slice(), error: current?.id === id ? current.error : undefined}));
		};

		const pipeline = client.logs([{id, name}], {follow: true, tail: 200, reconnect: true}, {
			entries(entries) {
				const target = buffer.current;
				for (const entry of entries) target.push(sanitizeLine(entry.body.toString('utf8')));
				if (target.length > logLimit) target.splice(0, target.length - logLimit);
				flushTimer ??= setTimeout(flush, logFlushMs);
			},
			failed(failure) {
				clearTimeout(flushTimer);
				setLogs({id, lines: buffer.current.slice(), error: failure.message});
			},
			reconnecting(lost) {
				setLogs(current => (current?.id === id ? {...current, error: lost ? 'connection lost — reconnecting' : undefined} : current));
			},
		});
		void pipeline.start();
		return () => {
			clearTimeout(flushTimer);
			pipeline.close();
		};
		// The name is for messages only.
		// eslint-disable-next-line react-hooks/exhaustive-deps
	}, [client, id, wanted]);

	const mine = logs?.id === id ? logs : undefined;
	return {lines: mine?.lines ?? [], error: mine?.error, loading: !mine};
}
