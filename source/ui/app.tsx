import type Docker from 'dockerode';
import {Box, Text, useApp, useInput} from 'ink';
import React, {useEffect, useReducer, useRef, useState} from 'react';
import type {ContainerFeed} from '../client/container-feed.ts';
import {runAction} from '../client/containers.ts';
import {daemonMessage} from '../client/errors.ts';
import {layoutColumns} from '../state/columns.ts';
import {rowIndexOf, scrollTop} from '../state/rows.ts';
import {counts, detailTabs, initialViewState, selectedContainer, type ViewState, viewReducer} from '../state/view.ts';
import {ContainerList} from './components/container-list.tsx';
import {DetailsPane} from './components/details-pane.tsx';
import {HelpOverlay} from './components/help-overlay.tsx';
import {LogViewer} from './components/log-viewer.tsx';
import {Header} from './components/header.tsx';
import {HostSwitcher} from './components/host-switcher.tsx';
import {type HostCandidate, type Probe, probe} from '../client/host-candidates.ts';
import {StatusLine} from './components/status-line.tsx';
import {useClock} from './hooks/use-clock.ts';
import {useContainerWatch} from './hooks/use-container-watch.ts';
import {useDetails} from './hooks/use-details.ts';
import {useMachine} from './hooks/use-machine.ts';
import {useRowMetrics} from './hooks/use-row-metrics.ts';
import {useTerminalSize} from './hooks/use-terminal-size.ts';
import {type Effect, handleKey, hintsFor} from './key-handler.ts';
import {type Command, type KeyLookup, type Press, splitPresses} from './keymap.ts';
import {computeLayout, minimumSize} from './layout.ts';
import type {Theme} from './theme.ts';
import {defaultLogLines} from '../config/config.ts';
import {formatBytes} from '../state/stats.ts';
import {currentStatus} from '../state/status-text.ts';

export type AppProps = {
	docker: Docker;
	/** berth's own engine says which isolation it runs containers with; the status line shows it. */
	isBerthEngine?: boolean;
	feed: ContainerFeed;
	hostLabel: string;
	/** "Docker 20.10.24", "berth engine 0.1.0". */
	engineLabel?: string;
	keymap: {lookup: KeyLookup; keys: Record<Command, string[]>};
	theme: Theme;
	configPath?: string;
	startupNotice?: string;
	initialState?: ViewState;
	/** Lines the log view keeps before it drops the oldest. */
	logLines?: number;
	colour?: boolean;
	/** The host switcher's part: what can be switched to, which is in use, and the switch itself. */
	hosts?: HostSwitching;
};

export type HostSwitching = {
	list(): HostCandidate[];
	currentKey?: string;
	/** Connects to the candidate and puts berth on it; rejects with a sentence. */
	switchTo(candidate: HostCandidate): Promise<void>;
};

const noticeMs = {success: 4000, error: 10_000, progress: 0};

type DetailsScroll = {key: string; top: number | 'end'};

export function App(props: AppProps) {
	const {docker, theme} = props;
	const {exit} = useApp();
	const [state, dispatch] = useReducer(viewReducer, props.initialState ?? initialViewState());
	useContainerWatch(props.feed, dispatch);
	const {columns, rows} = useTerminalSize();
	const layout = computeLayout(columns, rows);
	const noticeCounter = useRef(0);

	// The full-screen log view, when open: which containers it shows.
	const [logTargets, setLogTargets] = useState<Array<{id: string; name: string}>>();
	const selected = selectedContainer(state);
	const tab = detailTabs[state.tab]!;
	// Nothing is read for the details while the log view covers them.
	const details = useDetails(docker, logTargets ? undefined : selected, tab, {width: layout.details.innerWidth, height: layout.details.rows});

	// The list window moves only as far as it must to keep the selection in view.
	const listTop = useRef(0);
	listTop.current = scrollTop(rowIndexOf(state.rows, state.selectedId), state.rows.length, layout.list.rows, listTop.current);

	const visible = state.rows.slice(listTop.current, listTop.current + layout.list.rows);

	// CPU and memory are read for the running rows on screen; for every running container only
	// while the list is sorted by them. Nothing is read while the log view covers the list.
	const sortedByFigures = state.sort.key === 'cpu' || state.sort.key === 'memory';
	const metricIds: string[] = [];
	// (Only when the list is wide enough to show them.)
	if (!logTargets && layoutColumns(layout.list.innerWidth - 2).cpu > 0) {
		const source = sortedByFigures ? state.rows : visible;
		for (const row of source) if (row.kind === 'container' && row.container.state === 'running') metricIds.push(row.container.id);
	}

	useRowMetrics(docker, metricIds, sortedByFigures ? 5000 : 3000, dispatch);

	// Uptimes under a minute read in seconds ("Up 12 seconds"), so the clock ticks every second
	// while a row on screen shows one; otherwise every 10 s is enough for "Up 3 minutes".
	const renderedAt = Date.now();
	const young = visible.some(row => row.kind === 'container' && /^Up (Less than a second|\d+ seconds?)\b/.test(currentStatus(row.container.status, row.container.statusAt, renderedAt)));
	const now = useClock(young ? 1000 : 10_000);

	// Logs follow the end until scrolled; other tabs open at the top.
	const detailsKey = `${state.selectedId ?? ''}:${tab}`;
	const [scroll, setScroll] = useState<DetailsScroll>({key: detailsKey, top: 'end'});
	// Mirrors `scroll` between renders, so that keys arriving faster than frames add up.
	const latestScroll = useRef(scroll);
	latestScroll.current = scroll;
	const maxTop = Math.max(0, details.lines.length - layout.details.rows);
	const effectiveTop = (value: DetailsScroll) => {
		const requested = value.key === detailsKey ? value.top : tab === 'Logs' ? 'end' : 0;
		return requested === 'end' ? maxTop : Math.min(requested, maxTop);
	};

	const requestedTop = scroll.key === detailsKey ? scroll.top : tab === 'Logs' ? 'end' : 0;
	const detailsTop = effectiveTop(scroll);

	const scrollDetails = (target: (current: number) => number) => {
		const clamped = Math.max(0, Math.min(target(effectiveTop(latestScroll.current)), maxTop));
		const next: DetailsScroll = {key: detailsKey, top: tab === 'Logs' && clamped >= maxTop ? 'end' : clamped};
		latestScroll.current = next;
		setScroll(next);
	};

	const machine = useMachine(docker, Boolean(props.isBerthEngine), Boolean(props.isBerthEngine) && !logTargets);

	useEffect(() => {
		if (props.startupNotice) dispatch({type: 'notice', text: props.startupNotice, tone: 'error', noticeId: ++noticeCounter.current});
	}, [props.startupNotice]);

	useEffect(() => {
		const notice = state.notice;
		if (!notice || notice.tone === 'progress') return;
		const timer = setTimeout(() => dispatch({type: 'notice-expired', noticeId: notice.id}), noticeMs[notice.tone]);
		return () => clearTimeout(timer);
	}, [state.notice]);

	const [hostList, setHostList] = useState<HostCandidate[]>([]);
	const [probes, setProbes] = useState<ReadonlyMap<string, Probe>>(new Map());
	const hostsOpen = state.overlay.kind === 'hosts';
	useEffect(() => {
		if (!hostsOpen) return;
		let closed = false;
		for (const candidate of hostList) {
			void probe(candidate).then(result => !closed && setProbes(current => new Map(current).set(candidate.key, result)));
		}

		return () => {
			closed = true;
		};
	}, [hostsOpen, hostList]);

	const perform = (effect: Effect) => {
		switch (effect.kind) {
			case 'dispatch': {
				dispatch(effect.event);
				break;
			}

			case 'action': {
				const {container, verb} = effect;
				const noticeId = ++noticeCounter.current;
				dispatch({type: 'action-started', id: container.id, verb, name: container.name, noticeId});
				runAction(docker, container.id, verb, {force: effect.force}).then(
					() => dispatch({type: 'action-finished', id: container.id, verb, name: container.name, noticeId}),
					(error: unknown) => dispatch({type: 'action-finished', id: container.id, verb, name: container.name, noticeId, error: daemonMessage(error)}),
				);
				break;
			}

			case 'scroll-details': {
				scrollDetails(current => current + effect.by);
				break;
			}

			case 'scroll-details-to': {
				scrollDetails(() => (effect.where === 'top' ? 0 : maxTop));
				break;
			}

			case 'notice': {
				dispatch({type: 'notice', text: effect.text, tone: effect.tone, noticeId: ++noticeCounter.current});
				break;
			}

			case 'open-logs': {
				setLogTargets(effect.containers.map(container => ({id: container.id, name: container.name})));
				break;
			}

			case 'open-hosts': {
				if (!props.hosts) break;
				const list = props.hosts.list();
				setHostList(list);
				setProbes(new Map());
				const current = Math.max(0, list.findIndex(candidate => candidate.key === props.hosts!.currentKey));
				dispatch({type: 'overlay', overlay: {kind: 'hosts', index: current, count: list.length}});
				break;
			}

			case 'switch-host': {
				const candidate = hostList[effect.index];
				if (!candidate || !props.hosts) break;
				if (candidate.key === props.hosts.currentKey) {
					dispatch({type: 'notice', text: `already on ${candidate.label}`, tone: 'success', noticeId: ++noticeCounter.current});
					break;
				}

				// The list stays usable while the new host answers; on success berth moves over.
				dispatch({type: 'notice', text: `connecting to ${candidate.label}…`, tone: 'progress', noticeId: ++noticeCounter.current});
				props.hosts.switchTo(candidate).catch((error: unknown) => {
					dispatch({type: 'notice', text: `${candidate.label}: ${(error as Error).message}`, tone: 'error', noticeId: ++noticeCounter.current});
				});
				break;
			}

			case 'quit': {
				exit();
				break;
			}
		}
	};

	// Keys can come faster than React renders: each key must see the state the key before it left,
	// not the state of the last render ("/" then "r" must type an r into the filter, never restart).
	const latest = useRef(state);
	latest.current = state;

	const applyPresses = (presses: Press[]) => {
		const state = latest.current;
		const context = {state, lookup: props.keymap.lookup, listPage: Math.max(1, layout.list.rows - 1), detailsPage: Math.max(1, layout.details.rows - 1)};
		let current = state;
		for (const press of presses) {
			const effects = handleKey({...context, state: current}, press.name, press.input);
			for (const effect of effects) {
				perform(effect);
				if (effect.kind === 'dispatch') current = viewReducer(current, effect.event);
			}
		}

		latest.current = current;
	};

	useInput((input, key) => applyPresses(splitPresses(input, key, name => props.keymap.lookup.has(name))), {isActive: !logTargets});

	const {running, total} = counts(state);
	const prompt =
		state.overlay.kind === 'confirm-remove'
			? state.overlay.running
				? `${state.overlay.name} is running. Force remove it? f force · n cancel`
				: `Remove ${state.overlay.name}? y yes · n no`
			: undefined;

	const position =
		details.lines.length === 0 || tab === 'Stats'
			? ''
			: tab === 'Logs' && requestedTop === 'end'
				? 'following'
				: `${Math.min(details.lines.length, detailsTop + layout.details.rows)}/${details.lines.length}`;
	const detailsTitle = selected
		? `${selected.name}${details.error ? ` — ${details.error}` : details.loading ? ' — loading…' : ''}`
		: state.loaded
			? 'nothing selected'
			: '';
	const listTitle = state.filter ? `Containers (${state.rows.filter(row => row.kind === 'container').length} of ${total})` : `Containers (${total})`;
	const emptyText = !state.loaded ? 'loading…' : state.filter ? 'no container matches the filter' : 'no containers';

	if (columns < minimumSize.columns || rows < minimumSize.rows) {
		return (
			<Box width={Math.max(1, columns)} height={Math.max(1, rows - 1)}>
				<Text wrap="wrap">{`berth needs at least ${minimumSize.columns}x${minimumSize.rows}; this terminal is ${columns}x${rows}. q quits.`}</Text>
			</Box>
		);
	}

	if (logTargets) {
		return (
			<LogViewer
				// Another set of containers is another viewer, with a buffer and readers of its own.
				key={logTargets.map(target => target.id).join(',')}
				docker={docker}
				targets={logTargets}
				running={logTargets.map(target => state.containers.get(target.id)?.state === 'running')}
				width={layout.width}
				height={layout.height}
				limit={props.logLines ?? defaultLogLines}
				theme={theme}
				colour={props.colour ?? true}
				onClose={rest => {
					setLogTargets(undefined);
					// Keys typed after the one that closed the view are the list's.
					applyPresses(rest);
				}}
			/>
		);
	}

	return (
		<Box flexDirection="column" width={layout.width} height={layout.height}>
			<Header
				width={layout.width}
				engine={props.engineLabel ?? 'Docker'}
				host={machine.isolation ? `${props.hostLabel} (${machine.isolation})` : props.hostLabel}
				running={running}
				total={total}
				connection={state.connection}
				resources={machine.cpus ? `${machine.usage ? `${machine.usage} of ` : ''}${machine.cpus} CPUs · ${formatBytes(machine.memory ?? 0)}` : undefined}
				theme={theme}
			/>
			{state.overlay.kind === 'hosts' ? (
				<HostSwitcher
					candidates={hostList}
					probes={probes}
					selected={state.overlay.index}
					currentKey={props.hosts?.currentKey}
					width={layout.width}
					height={layout.height - 2}
					theme={theme}
				/>
			) : state.overlay.kind === 'help' ? (
				<HelpOverlay keys={props.keymap.keys} width={layout.width} height={layout.height - 2} theme={theme} configPath={props.configPath} />
			) : (
				<Box flexDirection={layout.mode === 'side' ? 'row' : 'column'} height={layout.height - 2}>
					<ContainerList
						rows={state.rows}
						selectedId={state.selectedId}
						top={listTop.current}
						height={layout.list.rows}
						width={layout.list.innerWidth}
						focused={state.focus === 'list'}
						pending={state.pending}
						now={now}
						theme={theme}
						title={listTitle}
						filter={state.filter}
						filterEditing={state.filterEditing}
						emptyText={emptyText}
						sort={state.sort}
						metrics={state.metrics}
					/>
					<DetailsPane
						tab={state.tab}
						lines={details.lines}
						top={detailsTop}
						height={layout.details.rows}
						width={layout.details.innerWidth}
						focused={state.focus === 'details'}
						theme={theme}
						position={position}
						title={detailsTitle}
					/>
				</Box>
			)}
			<StatusLine
				width={layout.width}
				notice={state.notice}
				prompt={prompt}
				hints={state.overlay.kind === 'help' ? 'Esc close' : state.overlay.kind === 'hosts' ? 'j k move · Enter switch · Esc close' : hintsFor(state, props.keymap.keys)}
				theme={theme}
			/>
		</Box>
	);
}
