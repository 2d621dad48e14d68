// The full-screen log view: one container or several merged, following the end until the user
// scrolls, with search, filter, time jumps, saving and copying. Lines arrive from the log
// pipeline into a bounded buffer and the screen is redrawn at most 30 times a second however
// fast they come. Its keys are the keymap's logView scope; what they mean is log-view-keys.ts.
import {writeFile} from 'node:fs/promises';
import {Box, Text, useInput} from 'ink';
import React, {useEffect, useMemo, useRef, useState} from 'react';
import type {EngineClient} from '../../client/engine-client.ts';
import type {LogPipeline, LogTarget, PipelineEntry} from '../../client/logs/log-pipeline.ts';
import {namePrefix, prefixColour} from '../../state/log-output.ts';
import {FilterCache, initialLogViewState, LogBuffer, type LogLine, type LogViewState, pauseAt, plainOf, type RenderOptions, screenRows} from '../../state/log-view.ts';
import {copyToClipboard} from '../clipboard.ts';
import {type KeyInfo, type Keymap, type Press, splitPresses} from '../keymap.ts';
import {handleLogKey, promptText} from '../log-view-keys.ts';
import type {Theme} from '../theme.ts';
import {HelpOverlay} from './help-overlay.tsx';

export type LogViewerProps = {
	client: EngineClient;
	targets: LogTarget[];
	keymap: Keymap;
	width: number;
	height: number;
	limit: number;
	theme: Theme;
	colour: boolean;
	/** Closes the view; `rest` are the keys that came after the closing one. */
	onClose(rest: Press[]): void;
};

/** A line that comes alone shows within a frame (30 a second at most)... */
const frameMs = 33;
/** ...but a flood is drawn 10 times a second: nobody reads faster, and keys stay quick. */
const floodFrameMs = 100;
const initialTail = 1000;

const toLine = (entry: PipelineEntry): Omit<LogLine, 'seq'> => ({source: entry.source, stream: entry.stream, time: entry.time, raw: entry.body.toString('utf8')});

export function LogViewer(props: LogViewerProps) {
	const {targets, width, height, theme} = props;
	const buffer = useMemo(() => new LogBuffer(props.limit), [props.limit]);
	const filterCache = useMemo(() => new FilterCache(), []);
	const lookup = props.keymap.lookupIn('logView');
	const [, setVersion] = useState(0);
	const [state, setState] = useState<LogViewState>(initialLogViewState);
	const latest = useRef(state);
	latest.current = state;
	const [error, setError] = useState<string>();
	const pipeline = useRef<LogPipeline | undefined>(undefined);
	const loadingOlder = useRef(false);
	const historyComplete = useRef(false);

	const prefixWidth = targets.length > 1 ? Math.max(...targets.map(target => target.name.length)) + 3 : 0;
	const prefixes = targets.length > 1 ? targets.map((target, index) => namePrefix(target.name, prefixWidth - 3, props.colour ? prefixColour(index) : undefined)) : [];
	const contentHeight = Math.max(1, height - 2);
	const options: RenderOptions = {width, height: contentHeight, prefixes, prefixWidth, colour: props.colour};

	// Lines are gathered as they come and put on screen once a frame.
	useEffect(() => {
		let pending: Array<Omit<LogLine, 'seq'>> = [];
		let timer: NodeJS.Timeout | undefined;
		let flushedAt = 0;
		let received = 0;
		const flush = () => {
			timer = undefined;
			flushedAt = Date.now();
			buffer.append(pending);
			pending = [];
			setVersion(version => version + 1);
		};

		const logs = props.client.logs(targets, {follow: true, tail: initialTail, reconnect: true}, {
			entries(entries) {
				received += entries.length;
				for (const entry of entries) pending.push(toLine(entry));
				timer ??= setTimeout(flush, Math.max(frameMs, flushedAt + floodFrameMs - Date.now()));
			},
			failed: (failure, target) => setError(`${target.name}: ${failure.message}`),
			reconnecting: lost => setError(lost ? 'connection lost — reconnecting' : undefined),
		});
		pipeline.current = logs;
		void logs.start().then(() => {
			historyComplete.current = received < initialTail * targets.length;
		});
		return () => {
			clearTimeout(timer);
			logs.close();
		};
		// The viewer is opened for one set of containers; a new set is a new viewer.
		// eslint-disable-next-line react-hooks/exhaustive-deps
	}, [buffer]);

	const lines = filterCache.lines(buffer, state.filter);
	const rows = screenRows(lines, state, options);
	const unseen = state.follow ? 0 : buffer.appended - state.appendedAtPause;

	const update = (next: LogViewState) => {
		latest.current = next;
		setState(next);
	};

	const fetchOlder = () => {
		const oldest = buffer.lines[0];
		if (!oldest?.time || loadingOlder.current) return;
		loadingOlder.current = true;
		update({...latest.current, message: {text: 'loading older lines…', tone: 'info'}});
		void pipeline.current?.older(oldest.time, initialTail).then(entries => {
			loadingOlder.current = false;
			if (entries.length < initialTail * targets.length) historyComplete.current = true;
			const topSeq = buffer.lines[0]?.seq;
			buffer.prepend(entries.map(entry => toLine(entry)));
			const current = latest.current;
			update({...pauseAt(current, current.follow ? (topSeq ?? 0) : current.topSeq, buffer.appended), message: {text: entries.length > 0 ? `${entries.length} older lines` : 'no older lines', tone: 'info'}});
		});
	};

	const save = async (file: string, shown: LogLine[]) => {
		const text = shown.map(line => `${targets.length > 1 ? `${targets[line.source]?.name ?? ''} | ` : ''}${latest.current.timestamps && line.time ? `${line.time} ` : ''}${plainOf(line)}\n`).join('');
		try {
			await writeFile(file, text, {flag: 'wx'});
			update({...latest.current, message: {text: `saved ${shown.length} lines to ${file}`, tone: 'info'}});
		} catch (error_) {
			update({...latest.current, message: {text: `not saved: ${(error_ as Error).message}`, tone: 'error'}});
		}
	};

	useInput((input, key) => {
		let current = latest.current;
		const presses = splitPresses(input, key as KeyInfo, () => false);
		for (const [index, press] of presses.entries()) {
			const shown = filterCache.lines(buffer, current.filter);
			const stamp = new Date().toISOString().replaceAll(':', '').slice(0, 15);
			const result = handleLogKey(
				{
					lookup,
					lines: shown,
					appended: buffer.appended,
					options,
					rows: screenRows(shown, current, options),
					saveName: `${process.cwd()}/${targets.map(target => target.name).join('+').slice(0, 60)}-${stamp}.log`,
					canFetchOlder: !(historyComplete.current && buffer.dropped === 0),
				},
				current,
				press.name,
				press.input,
			);
			current = result.state;
			for (const effect of result.effects) {
				switch (effect.kind) {
					case 'close': {
						props.onClose(presses.slice(index + 1));
						return;
					}

					case 'copy': {
						copyToClipboard(process.stdout, effect.text);
						break;
					}

					case 'save': {
						latest.current = current;
						void save(effect.file, effect.lines);
						break;
					}

					case 'fetch-older': {
						latest.current = current;
						fetchOlder();
						current = latest.current;
						break;
					}
				}
			}
		}

		update(current);
	});

	if (state.help) {
		return <HelpOverlay keymap={props.keymap} where="logView" title="berth — log view keys" width={width} height={height} theme={theme} />;
	}

	const names = targets.map(target => target.name).join(', ');
	const mode = state.follow ? 'FOLLOWING' : `PAUSED${unseen > 0 ? ` · ${unseen} new` : ''}`;
	const flags = [state.wrap ? 'wrap' : '', state.timestamps ? 'time' : '', state.json ? 'json' : '', state.filter ? `filter /${state.filter.source}/ ${lines.length} lines` : '', state.search ? `search /${state.search.source}/` : ''].filter(Boolean).join(' · ');
	const header = `Logs: ${names}`;
	const key = (command: string) => props.keymap.keys[command]?.[0] ?? '';
	const footer =
		promptText(state) ??
		state.message?.text ??
		error ??
		`${key('log.close')} back · ${key('log.follow')} follow · ${key('log.search')} search · ${key('log.next')}/${key('log.previous')} next · ${key('log.filter')} filter · ${key('log.time')} time · ${key('log.wrap')} wrap · ${key('log.save')} save · ${key('log.copy')} copy · ${key('log.help')} keys`;

	return (
		<Box flexDirection="column" width={width} height={height}>
			<Box width={width}>
				<Text wrap="truncate" color={theme.accent} bold>
					{header.slice(0, Math.max(0, width - mode.length - flags.length - 4))}
				</Text>
				<Box flexGrow={1} />
				<Text wrap="truncate" color={theme.muted}>{flags ? `${flags}  ` : ''}</Text>
				<Text wrap="truncate" color={state.follow ? theme.success : theme.progress} bold>
					{mode}
				</Text>
			</Box>
			<Box flexDirection="column" height={contentHeight}>
				{rows.length === 0 ? (
					<Text color={theme.muted}>{state.filter ? 'no line matches the filter' : 'no log lines yet'}</Text>
				) : (
					rows.map((row, index) => (
						<Text key={index} wrap="truncate" inverse={row.seq === state.markSeq && !state.search}>
							{row.text}
						</Text>
					))
				)}
			</Box>
			<Text wrap="truncate" color={state.message?.tone === 'error' || (error && !state.message && !state.prompt) ? theme.error : theme.muted}>
				{footer}
			</Text>
		</Box>
	);
}
