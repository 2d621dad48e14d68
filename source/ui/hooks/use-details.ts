import type Docker from 'dockerode';
import {useEffect, useMemo, useRef, useState} from 'react';
import {inspectContainer} from '../../client/containers.ts';
import {daemonMessage} from '../../client/errors.ts';
import {readLog} from '../../client/log-source.ts';
import type {Container} from '../../state/container.ts';
import {configLines, envLines, type InspectRecord, inspectLines} from '../../state/details.ts';
import {sanitizeLine} from '../../state/log-line.ts';
import {statsLines, topLines} from '../../state/metrics-view.ts';
import type {DetailTab} from '../../state/view.ts';
import {useProcessTable} from './use-process-table.ts';
import {useStatsHistory} from './use-stats-history.ts';

/** Lines kept for the Logs tab; the full log viewer keeps many more. */
const logLimit = 2000;
/** Log lines are shown at most this often, however fast they come. */
const logFlushMs = 50;
/** Moving quickly through the list opens nothing for the containers passed over. */
const settleMs = 80;

export type Details = {lines: string[]; error?: string; loading: boolean};

/**
 * The selected container's detail text. Its inspect record is read when it is selected and again
 * when its state changes; its logs are followed only while the Logs tab is showing.
 */
export function useDetails(docker: Docker, container: Container | undefined, tab: DetailTab, pane: {width: number; height: number}): Details {
	const [record, setRecord] = useState<{id: string; value?: InspectRecord; error?: string}>();
	const [logs, setLogs] = useState<{id: string; lines: string[]; error?: string}>();
	const id = container?.id;
	const stateKey = container ? `${container.state} ${container.status}` : '';

	useEffect(() => {
		if (!id) return;
		let cancelled = false;
		const timer = setTimeout(() => {
			inspectContainer(docker, id).then(
				value => !cancelled && setRecord({id, value: value as unknown as InspectRecord}),
				error => !cancelled && setRecord({id, error: daemonMessage(error)}),
			);
		}, settleMs);
		return () => {
			cancelled = true;
			clearTimeout(timer);
		};
	}, [docker, id, stateKey]);

	const current = record?.id === id ? record : undefined;
	const tty = current?.value?.Config?.Tty;
	const startedAt = current?.value?.State?.StartedAt;
	const wantLogs = tab === 'Logs' && id !== undefined && tty !== undefined;
	const buffer = useRef<string[]>([]);

	useEffect(() => {
		if (!wantLogs || !id) return;
		buffer.current = [];
		setLogs({id, lines: []});
		let flushTimer: NodeJS.Timeout | undefined;
		const flush = () => {
			flushTimer = undefined;
			setLogs({id, lines: buffer.current.slice()});
		};

		const source = readLog(docker, id, {follow: true, tail: 200, tty: Boolean(tty), timestamps: false}, {
			onEntries(entries) {
				const target = buffer.current;
				for (const entry of entries) target.push(sanitizeLine(entry.body.toString('utf8')));
				if (target.length > logLimit) target.splice(0, target.length - logLimit);
				flushTimer ??= setTimeout(flush, logFlushMs);
			},
			onEnd(failure) {
				clearTimeout(flushTimer);
				setLogs({id, lines: buffer.current.slice(), error: failure?.message});
			},
		});
		return () => {
			clearTimeout(flushTimer);
			source.stop();
		};
	}, [docker, id, wantLogs, tty, startedAt]);

	const running = container?.state === 'running' || container?.state === 'paused';
	const stats = useStatsHistory(docker, id, tab === 'Stats' && running, startedAt);
	const processes = useProcessTable(docker, id, tab === 'Top' && container?.state === 'running');

	const inspected = current?.value;
	const staticLines = useMemo(() => {
		if (!inspected || tab === 'Logs' || tab === 'Stats' || tab === 'Top') return [];
		return tab === 'Inspect' ? inspectLines(inspected) : tab === 'Env' ? envLines(inspected) : configLines(inspected);
	}, [inspected, tab]);

	if (!container) return {lines: [], loading: false};
	if (current?.error) return {lines: [], error: current.error, loading: false};
	if (tab === 'Logs') {
		const mine = logs?.id === id ? logs : undefined;
		return {lines: mine?.lines ?? [], error: mine?.error, loading: !mine};
	}

	if (tab === 'Stats') {
		return {lines: statsLines(stats.history?.samples ?? [], pane.width, pane.height, running), error: stats.error, loading: false};
	}

	if (tab === 'Top') {
		if (container.state !== 'running') return {lines: [`${container.state}: no processes`], loading: false};
		const table = processes.table;
		return {lines: table ? topLines(table.titles, table.processes) : [], error: processes.error, loading: !table && !processes.error};
	}

	return {lines: staticLines, loading: !inspected};
}
