// The full-screen log view: one container or several merged, following the end until the user
// scrolls, with search, filter, time jumps, saving and copying. Lines arrive into a bounded buffer
// and the screen is redrawn at most 30 times a second however fast they come.
import {writeFile} from 'node:fs/promises';
import type Docker from 'dockerode';
import {Box, Text, useInput} from 'ink';
import React, {useEffect, useMemo, useRef, useState} from 'react';
import {MergedLogs, type LogTarget} from '../../client/merged-logs.ts';
import {namePrefix, prefixColour, smartCaseRegExp} from '../../state/log-output.ts';
import {
	FilterCache,
	findNext,
	indexOfSeq,
	initialLogViewState,
	jumpToTime,
	LogBuffer,
	type LogViewState,
	pauseAt,
	plainOf,
	type RenderOptions,
	screenRows,
	scrollBy,
	topSeqNow,
} from '../../state/log-view.ts';
import {parseTimeSpec} from '../../state/time-spec.ts';
import {type KeyInfo, type Press, splitPresses} from '../keymap.ts';
import type {Theme} from '../theme.ts';

export type LogViewerProps = {
	docker: Docker;
	targets: LogTarget[];
	/** Whether each target runs now; one that runs again is followed again. */
	running: boolean[];
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

export function LogViewer(props: LogViewerProps) {
	const {targets, width, height, theme} = props;
	const buffer = useMemo(() => new LogBuffer(props.limit), [props.limit]);
	const filterCache = useMemo(() => new FilterCache(), []);
	const [, setVersion] = useState(0);
	const [state, setState] = useState<LogViewState>(initialLogViewState);
	const latest = useRef(state);
	latest.current = state;
	const [error, setError] = useState<string>();
	const merged = useRef<MergedLogs | undefined>(undefined);
	const loadingOlder = useRef(false);
	const historyComplete = useRef(false);

	const prefixWidth = targets.length > 1 ? Math.max(...targets.map(target => target.name.length)) + 3 : 0;
	const prefixes = targets.length > 1 ? targets.map((target, index) => namePrefix(target.name, prefixWidth - 3, props.colour ? prefixColour(index) : undefined)) : [];
	const contentHeight = Math.max(1, height - 2);
	const options: RenderOptions = {width, height: contentHeight, prefixes, prefixWidth};

	// Lines are gathered as they come and put on screen once a frame.
	useEffect(() => {
		let pending: Parameters<LogBuffer['append']>[0] = [];
		let timer: NodeJS.Timeout | undefined;
		let flushedAt = 0;
		const flush = () => {
			timer = undefined;
			flushedAt = Date.now();
			buffer.append(pending);
			pending = [];
			setVersion(version => version + 1);
		};

		const logs = new MergedLogs(props.docker, targets, {
			onEntries(entries) {
				for (const entry of entries) pending.push({source: entry.source, stream: entry.stream, time: entry.time, raw: entry.body.toString('utf8')});
				timer ??= setTimeout(flush, Math.max(frameMs, flushedAt + floodFrameMs - Date.now()));
			},
			onError: message => setError(message),
		});
		merged.current = logs;
		void logs.start(initialTail, props.running).then(() => {
			historyComplete.current = buffer.lines.length < initialTail * targets.length;
		});
		return () => {
			clearTimeout(timer);
			logs.close();
		};
		// The viewer is opened for one set of containers; a new set is a new viewer.
		// eslint-disable-next-line react-hooks/exhaustive-deps
	}, [buffer]);

	useEffect(() => {
		for (const [index, isRunning] of props.running.entries()) if (isRunning) merged.current?.follow(index);
	}, [props.running.join(',')]);

	const lines = filterCache.lines(buffer, state.filter);
	const rows = screenRows(lines, state, options);
	const unseen = state.follow ? 0 : buffer.appended - state.appendedAtPause;

	const update = (next: LogViewState) => {
		latest.current = next;
		setState(next);
	};

	const fetchOlder = () => {
		const oldest = buffer.lines[0];
		if (!oldest?.time || loadingOlder.current || (historyComplete.current && buffer.dropped === 0)) return;
		loadingOlder.current = true;
		update({...latest.current, message: {text: 'loading older lines…', tone: 'info'}});
		void merged.current?.older(oldest.time, initialTail).then(entries => {
			loadingOlder.current = false;
			if (entries.length < initialTail * targets.length) historyComplete.current = true;
			const topSeq = buffer.lines[0]?.seq;
			buffer.prepend(entries.map(entry => ({source: entry.source, stream: entry.stream, time: entry.time, raw: entry.body.toString('utf8')})));
			const current = latest.current;
			update({...pauseAt(current, current.follow ? (topSeq ?? 0) : current.topSeq, buffer.appended), message: {text: entries.length > 0 ? `${entries.length} older lines` : 'no older lines', tone: 'info'}});
		});
	};

	const save = async (file: string, shown: typeof lines) => {
		const text = shown.map(line => `${targets.length > 1 ? `${targets[line.source]?.name ?? ''} | ` : ''}${latest.current.timestamps && line.time ? `${line.time} ` : ''}${plainOf(line)}\n`).join('');
		try {
			await writeFile(file, text, {flag: 'wx'});
			update({...latest.current, message: {text: `saved ${shown.length} lines to ${file}`, tone: 'info'}});
		} catch (error_) {
			update({...latest.current, message: {text: `not saved: ${(error_ as Error).message}`, tone: 'error'}});
		}
	};

	const acceptPrompt = (current: LogViewState): LogViewState => {
		const prompt = current.prompt!;
		const text = prompt.text.trim();
		const base = {...current, prompt: undefined};
		switch (prompt.kind) {
			case 'search':
			case 'filter': {
				if (!text) return {...base, [prompt.kind]: undefined};
				const regex = smartCaseRegExp(text);
				if (regex instanceof Error) return {...base, message: {text: regex.message, tone: 'error'}};
				if (prompt.kind === 'filter') return {...base, filter: regex, follow: true, markSeq: undefined};
				return findNext(filterCache.lines(buffer, current.filter), {...base, search: regex, markSeq: undefined}, options, 1, buffer.appended);
			}

			case 'time': {
				const seconds = parseTimeSpec(text);
				if (seconds instanceof Error) return {...base, message: {text: seconds.message, tone: 'error'}};
				return jumpToTime(filterCache.lines(buffer, current.filter), base, Number(seconds), buffer.appended);
			}

			case 'save': {
				void save(text, filterCache.lines(buffer, current.filter));
				return base;
			}
		}
	};

	const handle = (name: string, input: string, current: LogViewState): LogViewState | 'close' => {
		const shown = filterCache.lines(buffer, current.filter);
		if (current.prompt) {
			if (name === 'esc' || name === 'ctrl+c') return {...current, prompt: undefined};
			if (name === 'enter') return acceptPrompt(current);
			if (name === 'backspace' || name === 'delete') return {...current, prompt: {...current.prompt, text: current.prompt.text.slice(0, -1)}};
			if (name === 'ctrl+u') return {...current, prompt: {...current.prompt, text: ''}};
			const printable = input.length > 0 && !name.startsWith('ctrl+') && !name.startsWith('alt+') && !/[\u0000-\u001F\u007F]/.test(input);
			return printable ? {...current, prompt: {...current.prompt, text: current.prompt.text + input}} : current;
		}

		const page = Math.max(1, contentHeight - 1);
		const scroll = (by: number) => {
			const next = scrollBy(shown, current, options, by, buffer.appended);
			// At the very top already: older lines come from the engine.
			if (by < 0 && shown.length > 0 && indexOfSeq(shown, topSeqNow(shown, current, options)) === 0) fetchOlder();
			return next;
		};

		switch (name) {
			case 'q':
			case 'esc': {
				if (name === 'esc' && (current.search || current.message)) return {...current, search: undefined, markSeq: undefined, message: undefined};
				if (name === 'esc' && current.filter) return {...current, filter: undefined};
				return 'close';
			}

			case 'ctrl+c': {
				return 'close';
			}

			case 'j':
			case 'down':
			case 'enter': {
				return scroll(1);
			}

			case 'k':
			case 'up': {
				return scroll(-1);
			}

			case 'pagedown':
			case 'ctrl+f':
			case ' ': {
				return scroll(page);
			}

			case 'pageup':
			case 'ctrl+b':
			case 'b': {
				return scroll(-page);
			}

			case 'ctrl+d': {
				return scroll(Math.ceil(page / 2));
			}

			case 'ctrl+u': {
				return scroll(-Math.ceil(page / 2));
			}

			case 'g':
			case 'home': {
				if (!current.follow && shown[0] && current.topSeq <= shown[0].seq) fetchOlder();
				return pauseAt(current, shown[0]?.seq ?? 0, buffer.appended);
			}

			case 'G':
			case 'end': {
				return {...current, follow: true, markSeq: undefined, message: undefined};
			}

			case 'f': {
				return current.follow ? pauseAt(current, topSeqNow(shown, current, options), buffer.appended) : {...current, follow: true, message: undefined};
			}

			case 't': {
				return {...current, timestamps: !current.timestamps};
			}

			case 'w': {
				return {...current, wrap: !current.wrap};
			}

			case 'J': {
				return {...current, json: !current.json};
			}

			case '/': {
				return {...current, prompt: {kind: 'search', text: ''}};
			}

			case '&':
			case 'F': {
				return {...current, prompt: {kind: 'filter', text: current.filter?.source ?? ''}};
			}

			case '@':
			case 'T': {
				return {...current, prompt: {kind: 'time', text: ''}};
			}

			case 's': {
				const stamp = new Date().toISOString().replaceAll(':', '').slice(0, 15);
				return {...current, prompt: {kind: 'save', text: `${process.cwd()}/${targets.map(target => target.name).join('+').slice(0, 60)}-${stamp}.log`}};
			}

			case 'n':
			case 'N': {
				return findNext(shown, current, options, name === 'n' ? 1 : -1, buffer.appended);
			}

			case 'y': {
				const seq = current.markSeq ?? rows.at(-1)?.seq;
				const line = shown[indexOfSeq(shown, seq ?? 0)];
				if (!line || line.seq !== seq) return current;
				// OSC 52: the terminal puts it on the clipboard, also over SSH and in tmux (set-clipboard on).
				process.stdout.write(`\u001B]52;c;${Buffer.from(plainOf(line)).toString('base64')}\u0007`);
				return {...current, message: {text: `copied: ${plainOf(line).slice(0, Math.max(10, width - 20))}`, tone: 'info'}};
			}

			default: {
				return current;
			}
		}
	};

	useInput((input, key) => {
		let current = latest.current;
		const presses = splitPresses(input, key as KeyInfo, () => false);
		for (const [index, press] of presses.entries()) {
			const next = handle(press.name, press.input, current);
			if (next === 'close') {
				props.onClose(presses.slice(index + 1));
				return;
			}

			current = next;
		}

		update(current);
	});

	const names = targets.map(target => target.name).join(', ');
	const mode = state.follow ? 'FOLLOWING' : `PAUSED${unseen > 0 ? ` · ${unseen} new` : ''}`;
	const flags = [state.wrap ? 'wrap' : '', state.timestamps ? 'time' : '', state.json ? 'json' : '', state.filter ? `filter /${state.filter.source}/ ${lines.length} lines` : '', state.search ? `search /${state.search.source}/` : ''].filter(Boolean).join(' · ');
	const header = `Logs: ${names}`;
	const footer = state.prompt
		? `${{search: 'search /', filter: 'filter (regex) &', time: 'jump to time (10m, 14:05, 2026-11-24T10:00) @', save: 'save to '}[state.prompt.kind]}${state.prompt.text}█`
		: (state.message?.text ?? error ?? 'q back · f follow · / search · n/N next · & filter · @ time · t time · w wrap · J json · s save · y copy');

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
