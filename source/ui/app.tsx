// The App hosts the panels: the header, the list pane and the details pane of the panel in
// front, the status line, and the overlays (help, host switcher) and the full-screen log view.
// It knows panels through their models and their tab sources; the engine through the client.
import {Box, Text, useApp, useInput, useStdout} from 'ink';
import React, {useEffect, useMemo, useReducer, useRef, useState} from 'react';
import type {EngineClient} from '../client/engine-client.ts';
import {type HostCandidate, type Probe, probe} from '../client/connect/host-candidates.ts';
import {defaultLogLines} from '../config/config.ts';
import type {Container} from '../state/container.ts';
import type {Item, ListState} from '../state/list.ts';
import {rowIndexOf, scrollTop, selectedGroup, selectedItem} from '../state/list.ts';
import {projectOf, projectLines} from '../state/compose.ts';
import {type Job, jobLines} from '../state/jobs.ts';
import {findComposeCli, missingFiles} from '../client/compose/compose-cli.ts';
import {jobRunner, type JobContext} from './jobs/jobs.ts';
import {figureSorts, figuresShown, usageOf} from '../state/panels/containers.ts';
import {panelOfEvent, type EventItem} from '../state/panels/events.ts';
import type {ImageItem} from '../state/panels/images.ts';
import {panels} from '../state/panels/index.ts';
import type {PanelKind} from '../state/panels/panel.ts';
import {pullLines, type PullProgress} from '../state/pull-progress.ts';
import {containerCounts, currentList, currentTab, initialScreenState, type ScreenState, screenReducer} from '../state/screen.ts';
import {formatBytes} from '../state/stats.ts';
import {currentStatus} from '../state/status-text.ts';
import {completeCommandLine} from '../state/command-line.ts';
import {copyToClipboard} from './clipboard.ts';
import {DetailsPane} from './components/details-pane.tsx';
import {Header} from './components/header.tsx';
import {HelpOverlay} from './components/help-overlay.tsx';
import {HostSwitcher} from './components/host-switcher.tsx';
import {ListPane} from './components/list-pane.tsx';
import {LogViewer} from './components/log-viewer.tsx';
import {StatusLine} from './components/status-line.tsx';
import {useClock} from './hooks/use-clock.ts';
import {useDetails} from './hooks/use-details.ts';
import {useFeed} from './hooks/use-feed.ts';
import {useMachine} from './hooks/use-machine.ts';
import {usePanelData} from './hooks/use-panel-data.ts';
import {useRowMetrics} from './hooks/use-row-metrics.ts';
import {useTerminalSize} from './hooks/use-terminal-size.ts';
import {type Effect, handleKey, hintsFor} from './key-handler.ts';
import {type Keymap, type Press, splitPresses} from './keymap.ts';
import {computeLayout, minimumSize} from './layout.ts';
import {listTitle} from './list-rows.ts';
import {runActions} from './run-actions.ts';
import {runPanelCommand} from './run-commands.ts';
import type {Theme} from './theme.ts';
import type {TerminalOwner} from './sessions/hand-over.ts';
import type {SessionContext} from './sessions/container-sessions.ts';
import type {ConfiguredShells} from '../state/hands-on/shells.ts';
import {defaultDetachKeys} from '../state/hands-on/detach-keys.ts';
import {type CustomCommand, customCommandsIn} from '../state/hands-on/custom-commands.ts';
import {runCustomCommand} from './jobs/custom-jobs.ts';
import {MenuOverlay} from './components/menu-overlay.tsx';
import {RunFormOverlay} from './components/run-form-overlay.tsx';
import {duplicateForm} from '../state/run-form.ts';
import type {InspectedContainer} from '../state/run-options.ts';
import {submitForm} from './run-form-submit.ts';

export type AppProps = {
	client: EngineClient;
	keymap: Keymap;
	theme: Theme;
	configPath?: string;
	startupNotice?: string;
	initialState?: ScreenState;
	/** Lines the log view keeps before it drops the oldest. */
	logLines?: number;
	colour?: boolean;
	/** The host switcher's part: what can be switched to, which is in use, and the switch itself. */
	hosts?: HostSwitching;
	/** The terminal, to hand over to a shell in a container (absent where there is none to give). */
	terminal?: TerminalOwner;
	shells?: ConfiguredShells;
	detachKeys?: string;
	/** The user's own commands, from the config file. */
	customCommands?: readonly CustomCommand[];
};

export type HostSwitching = {
	list(): HostCandidate[];
	currentKey?: string;
	/** Connects to the candidate and puts berth on it; rejects with a sentence. */
	switchTo(candidate: HostCandidate): Promise<void>;
};

const noticeMs = {success: 4000, error: 10_000, progress: 0};

type DetailsScroll = {key: string; top: number | 'end'};

/** Finds the row an event is about, in its panel's list. */
function rowOfEvent(event: EventItem, list: ListState<Item>): Item | undefined {
	if (event.type === 'image') {
		for (const item of list.items.values()) if ((item as ImageItem).imageId === event.actorId || (item as ImageItem).name === event.attributes.name) return item;
		return undefined;
	}

	return list.items.get(event.actorId) ?? [...list.items.values()].find(item => (item as {name?: string}).name === event.attributes.name);
}

export function App(props: AppProps) {
	const {client, theme, keymap} = props;
	const {exit} = useApp();
	const {stdout, write: writeAbove} = useStdout();
	// After a session, Ink paints its whole frame again on the cleared screen.
	useEffect(() => props.terminal?.setRepaint(() => writeAbove('')), [props.terminal, writeAbove]);
	const [state, dispatch] = useReducer(screenReducer, props.initialState ?? initialScreenState());
	useFeed(client.feed, dispatch);
	usePanelData(client, state.panel, dispatch, state.eventsPaused, state.overlay.kind === 'form' ? 'images' : undefined);
	const {columns, rows} = useTerminalSize();
	const layout = computeLayout(columns, rows);
	const noticeCounter = useRef(0);
	const nextNoticeId = () => ++noticeCounter.current;

	// The full-screen log view, when open: which containers it shows.
	const [logTargets, setLogTargets] = useState<Array<{id: string; name: string}>>();
	const [pull, setPull] = useState<PullProgress & {doneFor?: string}>();
	const panel = panels[state.panel];
	const list = currentList(state);
	const selected = selectedItem(list);
	const group = selectedGroup(list);

	// A job (a compose action) shows its output in the details of the panel it started in, while it
	// runs and afterwards until another row is selected.
	const [job, setJob] = useState<Job & {panel?: PanelKind; startedOn?: string}>();
	const jobs = useRef<ReturnType<typeof jobRunner> | undefined>(undefined);
	// Where the next job starts from, set just before it is started.
	const jobOrigin = useRef<{panel: PanelKind; startedOn?: string}>({panel: 'containers'});
	jobs.current ??= jobRunner(change => setJob(current => {
		const next = change(current);
		if (!next) return next;
		return current && next.id === current.id ? {...next, panel: current.panel, startedOn: current.startedOn} : {...next, ...jobOrigin.current};
	}), (text, tone, id) => {
		const noticeId = id ?? nextNoticeId();
		dispatch({type: 'notice', text, tone, noticeId});
		return noticeId;
	}, nextNoticeId);
	const showJob = job !== undefined && job.panel === state.panel && (job.running || job.startedOn === list.selectedId);
	useEffect(() => () => jobs.current?.cancel(), []);

	// The compose CLI is looked for the first time a project's row is selected, not at start.
	const [composeCli, setComposeCli] = useState<string | null>();
	useEffect(() => {
		if (group && composeCli === undefined) void findComposeCli().then(found => setComposeCli(found?.label ?? null));
	}, [group !== undefined]);
	const tab = currentTab(state);
	const containers = state.lists.containers;
	const usage = useMemo(() => usageOf(containers.items.values()), [containers.items]);

	// The list window of each panel moves only as far as it must to keep the selection in view.
	const listTops = useRef<Partial<Record<PanelKind, number>>>({});
	const listTop = scrollTop(rowIndexOf(list.rows, list.selectedId), list.rows.length, layout.list.rows, listTops.current[state.panel] ?? 0);
	listTops.current[state.panel] = listTop;
	const visible = list.rows.slice(listTop, listTop + layout.list.rows);

	// CPU and memory are read for the running containers on screen; for every running one only
	// while the list is sorted by them. Nothing is read while another panel or the log view is in front.
	const sortedByFigures = figureSorts.has(containers.sort.key);
	const metricIds: string[] = [];
	if (!logTargets && state.panel === 'containers' && figuresShown(layout.list.innerWidth - 2)) {
		const source = sortedByFigures ? containers.rows : visible;
		for (const row of source) if (row.kind === 'item' && (row.item as Container).state === 'running') metricIds.push(row.item.id);
	}

	useRowMetrics(client, metricIds, sortedByFigures ? 5000 : 3000, dispatch);

	// Uptimes under a minute read in seconds ("Up 12 seconds"), so the clock ticks every second
	// while a row on screen shows one; otherwise every 10 s is enough for "Up 3 minutes".
	const renderedAt = Date.now();
	const young = state.panel === 'containers' && visible.some(row => row.kind === 'item' && /^Up (Less than a second|\d+ seconds?)\b/.test(currentStatus((row.item as Container).status, (row.item as Container).statusAt, renderedAt)));
	const now = useClock(young ? 1000 : 10_000);
	const tabContext = useMemo(() => ({now, usage, containers: containers.items}), [now, usage, containers.items]);

	// Nothing is read for the details while the log view covers them.
	const details = useDetails(client, state.panel, logTargets ? undefined : selected, tab, {width: layout.details.innerWidth, height: layout.details.rows}, tabContext);
	const showPull = state.panel === 'images' && pull && (!pull.done || pull.doneFor === list.selectedId);
	const project = useMemo(() => (group && state.panel === 'containers' ? projectOf(group.group, group.members as readonly Container[]) : undefined), [state.panel, group?.group, group?.members]);
	const composeKeys = {up: keymap.keys.composeUp?.[0], down: keymap.keys.composeDown?.[0], pull: keymap.keys.composePull?.[0], build: keymap.keys.composeBuild?.[0]};
	const detailLines = showJob
		? jobLines(job, 'Esc or Ctrl-C')
		: showPull
			? pullLines(pull, layout.details.innerWidth)
			: project
				? projectLines(project, missingFiles(project.configFiles), composeCli === undefined ? undefined : (composeCli ?? ''), composeKeys)
				: details.lines;

	// Projects whose compose files are not on this machine say so on their header row.
	const groupNotes = useMemo(() => {
		const notes = new Map<string, string>();
		const byProject = new Map<string, Container[]>();
		for (const container of containers.items.values()) if (container.project) byProject.set(container.project, [...(byProject.get(container.project) ?? []), container]);
		for (const [name, members] of byProject) {
			const files = projectOf(name, members).configFiles;
			if (files.length > 0 && missingFiles(files).length === files.length) notes.set(name, 'compose files not on this machine');
		}

		return notes;
	}, [containers.items]);

	// Logs follow the end until scrolled; other tabs open at the top.
	const follows = showJob || (tab === 'Logs' && !showPull && !project);
	const detailsKey = `${state.panel}:${list.selectedId ?? ''}:${showJob ? `job${job.id}` : tab}`;
	const [scroll, setScroll] = useState<DetailsScroll>({key: detailsKey, top: 'end'});
	// Mirrors `scroll` between renders, so that keys arriving faster than frames add up.
	const latestScroll = useRef(scroll);
	latestScroll.current = scroll;
	const maxTop = Math.max(0, detailLines.length - layout.details.rows);
	const effectiveTop = (value: DetailsScroll) => {
		const requested = value.key === detailsKey ? value.top : follows ? 'end' : 0;
		return requested === 'end' ? maxTop : Math.min(requested, maxTop);
	};

	const requestedTop = scroll.key === detailsKey ? scroll.top : follows ? 'end' : 0;
	const detailsTop = effectiveTop(scroll);

	const scrollDetails = (target: (current: number) => number) => {
		const clamped = Math.max(0, Math.min(target(effectiveTop(latestScroll.current)), maxTop));
		const next: DetailsScroll = {key: detailsKey, top: follows && clamped >= maxTop ? 'end' : clamped};
		latestScroll.current = next;
		setScroll(next);
	};

	const machine = useMachine(client, client.isBerthEngine && !logTargets);

	useEffect(() => {
		if (props.startupNotice) dispatch({type: 'notice', text: props.startupNotice, tone: 'error', noticeId: nextNoticeId()});
	}, [props.startupNotice]);

	useEffect(() => {
		const notice = state.notice;
		if (!notice || notice.tone === 'progress') return;
		const timer = setTimeout(() => dispatch({type: 'notice-expired', noticeId: notice.id}), noticeMs[notice.tone]);
		return () => clearTimeout(timer);
	}, [state.notice]);

	// A finished pull stays in the details until another row is chosen.
	useEffect(() => {
		if (pull?.done && pull.doneFor === undefined) setPull({...pull, doneFor: list.selectedId ?? ''});
	}, [pull, list.selectedId]);

	// Enter on an event whose object is in a panel not read yet: selected once that list arrives.
	const [jump, setJump] = useState<EventItem>();
	useEffect(() => {
		if (!jump) return;
		const kind = panelOfEvent(jump);
		if (!kind) return;
		const target = state.lists[kind] as ListState<Item>;
		if (!target.loaded) return;
		setJump(undefined);
		const item = rowOfEvent(jump, target);
		if (item) dispatch({type: 'select', id: item.id, panel: kind});
		else dispatch({type: 'notice', text: `${jump.actorName} no longer exists`, tone: 'error', noticeId: nextNoticeId()});
	}, [jump, state.lists]);

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

	const notice = (text: string, tone: 'progress' | 'success' | 'error', id = nextNoticeId()) => {
		dispatch({type: 'notice', text, tone, noticeId: id});
		return id;
	};

	const switchHost = (candidate: HostCandidate | undefined) => {
		if (!candidate || !props.hosts) return;
		if (candidate.key === props.hosts.currentKey) {
			notice(`already on ${candidate.label}`, 'success');
			return;
		}

		// The list stays usable while the new host answers; on success berth moves over.
		notice(`connecting to ${candidate.label}…`, 'progress');
		props.hosts.switchTo(candidate).catch((error: unknown) => notice(`${candidate.label}: ${(error as Error).message}`, 'error'));
	};

	const sessions: SessionContext | undefined = props.terminal && {
		client,
		owner: props.terminal,
		notice,
		offerCommand: (container, why) => dispatch({type: 'overlay', overlay: {kind: 'prompt', panel: 'containers', command: 'exec', ids: [container.id], label: why, text: ''}}),
		shells: props.shells ?? [],
		detachKeys: props.detachKeys ?? defaultDetachKeys,
	};

	const jobContext: JobContext = {
		notice,
		hostEnv: client.hostEnv,
		start(title, command, options) {
			jobOrigin.current = {panel: latest.current.panel, startedOn: currentList(latest.current).selectedId};
			jobs.current!.start(title, command, options);
		},
	};

	const perform = (effect: Effect) => {
		switch (effect.kind) {
			case 'dispatch': {
				dispatch(effect.event);
				break;
			}

			case 'action': {
				void runActions(client, dispatch, effect, nextNoticeId());
				break;
			}

			case 'run': {
				runPanelCommand(
					{
						client,
						dispatch,
						notice,
						openLogs: items => setLogTargets(items.map(container => ({id: container.id, name: container.name}))),
						sessions,
						jobs: jobContext,
						setPull: update => setPull(current => {
							const next = update(current);
							return next && next !== current ? {...next, doneFor: next.done ? current?.doneFor : undefined} : next;
						}),
					},
					effect,
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
				notice(effect.text, effect.tone);
				break;
			}

			case 'copy': {
				copyToClipboard(stdout, effect.text);
				notice(`copied the ${effect.what}: ${effect.text}`, 'success');
				break;
			}

			case 'jump': {
				const kind = panelOfEvent(effect.event);
				if (!kind) {
					notice(`${effect.event.type} events are about nothing berth lists`, 'error');
					break;
				}

				dispatch({type: 'panel', to: kind});
				setJump(effect.event);
				break;
			}

			case 'open-hosts': {
				if (!props.hosts) break;
				const candidates = props.hosts.list();
				setHostList(candidates);
				setProbes(new Map());
				const current = Math.max(0, candidates.findIndex(candidate => candidate.key === props.hosts!.currentKey));
				dispatch({type: 'overlay', overlay: {kind: 'hosts', index: current, count: candidates.length}});
				break;
			}

			case 'switch-host': {
				switchHost(hostList[effect.index]);
				break;
			}

			case 'switch-host-named': {
				switchHost(props.hosts?.list().find(candidate => candidate.label === effect.name || candidate.key === effect.name || candidate.key === `saved:${effect.name}` || candidate.key === `context:${effect.name}`));
				break;
			}

			case 'submit-form': {
				dispatch({type: 'overlay', overlay: {kind: 'form', form: {...effect.form, sending: true, problems: {}}}});
				void submitForm(client, effect.form).then(result => {
					// Answered after the form was closed: only the notice is left to give.
					const open = latest.current.overlay.kind === 'form';
					if (result.ok) {
						if (open) dispatch({type: 'overlay', overlay: {kind: 'none'}});
						notice(result.text, 'success');
					} else if (open) {
						dispatch({type: 'overlay', overlay: {kind: 'form', form: {...effect.form, sending: false, problems: result.problems}}});
					} else {
						notice(Object.values(result.problems).join('; '), 'error');
					}
				});
				break;
			}

			case 'open-duplicate': {
				client.containers.inspect(effect.id).then(
					inspect => dispatch({type: 'overlay', overlay: {kind: 'form', form: duplicateForm(inspect as unknown as InspectedContainer & {Id: string})}}),
					(error: Error) => notice(`duplicate: ${error.message}`, 'error'),
				);
				break;
			}

			case 'custom': {
				const command = props.customCommands?.[effect.index];
				if (command) void runCustomCommand({...jobContext, client, owner: props.terminal}, command, effect.items);
				break;
			}

			case 'cancel-job': {
				jobs.current?.cancel();
				break;
			}

			case 'quit': {
				exit();
				break;
			}
		}
	};

	// What the run form's image field completes from: the images listed here, and those in use.
	const imageNames = useMemo(() => {
		const names = new Set<string>();
		for (const image of state.lists.images.items.values()) if (image.name !== '<none>:<none>') names.add(image.name);
		for (const container of containers.items.values()) if (!/^[\da-f]{12}$/.test(container.image)) names.add(container.image);
		return [...names].sort();
	}, [state.lists.images.items, containers.items]);

	const hostNames = useMemo(() => (props.hosts?.list() ?? []).map(candidate => (candidate.key.startsWith('saved:') || candidate.key.startsWith('context:') ? candidate.key.slice(candidate.key.indexOf(':') + 1) : candidate.key)), [props.hosts]);

	// Keys can come faster than React renders: each key must see the state the key before it left,
	// not the state of the last render ("/" then "r" must type an r into the filter, never restart).
	const latest = useRef(state);
	latest.current = state;

	const applyPresses = (presses: Press[]) => {
		const context = {keymap, listPage: Math.max(1, layout.list.rows - 1), detailsPage: Math.max(1, layout.details.rows - 1), hostNames, jobRunning: showJob && job.running, customCommands: props.customCommands, imageNames};
		let current = latest.current;
		for (const press of presses) {
			const effects = handleKey({...context, state: current}, press.name, press.input);
			for (const effect of effects) {
				perform(effect);
				if (effect.kind === 'dispatch') current = screenReducer(current, effect.event);
			}
		}

		latest.current = current;
	};

	const lookup = keymap.lookupIn(state.panel);
	useInput((input, key) => applyPresses(splitPresses(input, key, name => lookup.has(name))), {isActive: !logTargets});

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
				client={client}
				targets={logTargets}
				keymap={keymap}
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

	const {running, total} = containerCounts(state);
	const {overlay} = state;
	const question = overlay.kind === 'confirm' ? `${overlay.question.text} ${overlay.question.choices.map(choice => `${choice.key} ${choice.label}`).join(' · ')}` : undefined;
	const input =
		overlay.kind === 'prompt'
			? {label: overlay.label, text: overlay.text, candidates: overlay.command === 'commandLine' && overlay.text ? completeCommandLine(overlay.text, hostNames).candidates : undefined}
			: undefined;

	const position =
		detailLines.length === 0 || tab === 'Stats'
			? ''
			: follows && requestedTop === 'end'
				? 'following'
				: `${Math.min(detailLines.length, detailsTop + layout.details.rows)}/${detailLines.length}`;
	const detailsTitle = showJob
		? job.title
		: showPull
		? `Pull: ${pull.reference}`
		: project
			? `project ${project.name}`
			: selected
			? `${panel.label(selected)}${details.error ? ` — ${details.error}` : details.loading ? ' — loading…' : ''}`
			: list.loaded
				? 'nothing selected'
				: '';

	return (
		<Box flexDirection="column" width={layout.width} height={layout.height}>
			<Header
				width={layout.width}
				engine={client.label}
				host={machine.isolation ? `${client.url} (${machine.isolation})` : client.url}
				running={running}
				total={total}
				connection={state.connection}
				resources={machine.cpus ? `${machine.usage ? `${machine.usage} of ` : ''}${machine.cpus} CPUs · ${formatBytes(machine.memory ?? 0)}` : undefined}
				theme={theme}
			/>
			{overlay.kind === 'hosts' ? (
				<HostSwitcher candidates={hostList} probes={probes} selected={overlay.index} currentKey={props.hosts?.currentKey} width={layout.width} height={layout.height - 2} theme={theme} />
			) : overlay.kind === 'form' ? (
				<RunFormOverlay form={overlay.form} width={layout.width} height={layout.height - 2} theme={theme} />
			) : overlay.kind === 'menu' ? (
				<MenuOverlay
					title={`your commands: ${panel.title}`}
					entries={customCommandsIn(props.customCommands ?? [], overlay.panel).map(({index, command}) => ({label: command.name, key: keymap.keys[`custom.${index}`]?.[0], detail: `${command.scope}${command.terminal ? ', on this terminal' : ''}`}))}
					selected={overlay.index}
					width={layout.width}
					height={layout.height - 2}
					theme={theme}
				/>
			) : overlay.kind === 'help' ? (
				<HelpOverlay keymap={keymap} where={state.panel} title={`berth — keys: ${panel.title}`} width={layout.width} height={layout.height - 2} theme={theme} configPath={props.configPath} page={overlay.page} />
			) : (
				<Box flexDirection={layout.mode === 'side' ? 'row' : 'column'} height={layout.height - 2}>
					<ListPane
						panel={panel}
						list={list}
						top={listTop}
						height={layout.list.rows}
						width={layout.list.innerWidth}
						focused={state.focus === 'list'}
						now={now}
						usage={usage}
						theme={theme}
						groupNotes={state.panel === 'containers' ? groupNotes : undefined}
						title={state.panel === 'events' && state.eventsPaused ? `${listTitle(panel, list)} PAUSED${state.eventsMissed > 0 ? ` · ${state.eventsMissed} new` : ''}` : listTitle(panel, list)}
					/>
					<DetailsPane
						tabs={showJob || project ? [] : panel.tabs}
						tab={showPull || showJob || project ? -1 : state.tabs[state.panel] % Math.max(1, panel.tabs.length)}
						lines={detailLines}
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
				question={question}
				input={input}
				hints={overlay.kind === 'help' ? 'j k page · Esc close' : overlay.kind === 'hosts' ? 'j k move · Enter switch · Esc close' : overlay.kind === 'menu' ? 'j k move · Enter run · Esc close' : overlay.kind === 'form' ? 'typing into the form' : hintsFor(state, keymap.keys)}
				theme={theme}
			/>
		</Box>
	);
}
