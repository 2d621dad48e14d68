// What a key means in the full-screen log view. Pure: the view's state, the lines it shows and
// the key in; the new state and the effects out (save a file, copy a line, fetch older lines),
// which the view carries out. Keys come from the same keymap as the lists' (the logView scope).
import {smartCaseRegExp} from '../state/log-output.ts';
import {findNext, indexOfSeq, jumpToTime, type LogLine, type LogViewState, pauseAt, plainOf, type RenderOptions, type ScreenRow, scrollBy, topSeqNow} from '../state/log-view.ts';
import {parseTimeSpec} from '../state/time-spec.ts';
import type {KeyLookup} from './keymap.ts';

export type LogViewEffect = {kind: 'save'; file: string; lines: LogLine[]} | {kind: 'copy'; text: string} | {kind: 'fetch-older'} | {kind: 'close'};

export type LogKeyContext = {
	lookup: KeyLookup;
	/** The lines shown (all, or those the filter keeps), with the buffer's count of lines ever appended. */
	lines: LogLine[];
	appended: number;
	options: RenderOptions;
	/** What is on screen now (the last row is what `copy` takes without a mark). */
	rows: ScreenRow[];
	/** What a save is offered to be called. */
	saveName: string;
	/** Whether older lines could still be fetched from the engine. */
	canFetchOlder: boolean;
};

export type LogKeyResult = {state: LogViewState; effects: LogViewEffect[]};

const printable = (name: string, input: string) => input.length > 0 && !name.startsWith('ctrl+') && !name.startsWith('alt+') && !/[\u0000-\u001F\u007F]/.test(input);

const promptWords = {search: 'search /', filter: 'filter (regex) &', time: 'jump to time (10m, 14:05, 2026-11-24T10:00) @', save: 'save to '} as const;

export function promptText(state: LogViewState): string | undefined {
	return state.prompt ? `${promptWords[state.prompt.kind]}${state.prompt.text}█` : undefined;
}

export function handleLogKey(context: LogKeyContext, current: LogViewState, name: string, input: string): LogKeyResult {
	const same = (state: LogViewState, effects: LogViewEffect[] = []): LogKeyResult => ({state, effects});
	if (current.help) {
		return name === 'esc' || context.lookup.get(name) === 'log.help' || context.lookup.get(name) === 'log.close' ? same({...current, help: false}) : same(current);
	}

	if (current.prompt) {
		if (name === 'esc' || name === 'ctrl+c') return same({...current, prompt: undefined});
		if (name === 'enter') return acceptPrompt(context, current);
		if (name === 'backspace' || name === 'delete') return same({...current, prompt: {...current.prompt, text: current.prompt.text.slice(0, -1)}});
		if (name === 'ctrl+u') return same({...current, prompt: {...current.prompt, text: ''}});
		return same(printable(name, input) ? {...current, prompt: {...current.prompt, text: current.prompt.text + input}} : current);
	}

	if (name === 'esc') {
		if (current.search || current.message) return same({...current, search: undefined, markSeq: undefined, message: undefined});
		if (current.filter) return same({...current, filter: undefined});
		return same(current, [{kind: 'close'}]);
	}

	if (name === 'ctrl+c') return same(current, [{kind: 'close'}]);

	const {lines, options, appended} = context;
	const page = Math.max(1, options.height - 1);
	const scroll = (by: number): LogKeyResult => {
		const next = scrollBy(lines, current, options, by, appended);
		// At the very top already: older lines come from the engine.
		const atTop = by < 0 && lines.length > 0 && indexOfSeq(lines, topSeqNow(lines, current, options)) === 0;
		return same(next, atTop && context.canFetchOlder ? [{kind: 'fetch-older'}] : []);
	};

	switch (context.lookup.get(name)) {
		case 'log.close': {
			return same(current, [{kind: 'close'}]);
		}

		case 'log.help': {
			return same({...current, help: true});
		}

		case 'log.down': {
			return scroll(1);
		}

		case 'log.up': {
			return scroll(-1);
		}

		case 'log.pageDown': {
			return scroll(page);
		}

		case 'log.pageUp': {
			return scroll(-page);
		}

		case 'log.halfDown': {
			return scroll(Math.ceil(page / 2));
		}

		case 'log.halfUp': {
			return scroll(-Math.ceil(page / 2));
		}

		case 'log.top': {
			const older = !current.follow && lines[0] && current.topSeq <= lines[0].seq && context.canFetchOlder;
			return same(pauseAt(current, lines[0]?.seq ?? 0, appended), older ? [{kind: 'fetch-older'}] : []);
		}

		case 'log.bottom': {
			return same({...current, follow: true, markSeq: undefined, message: undefined});
		}

		case 'log.follow': {
			return same(current.follow ? pauseAt(current, topSeqNow(lines, current, options), appended) : {...current, follow: true, message: undefined});
		}

		case 'log.timestamps': {
			return same({...current, timestamps: !current.timestamps});
		}

		case 'log.wrap': {
			return same({...current, wrap: !current.wrap});
		}

		case 'log.json': {
			return same({...current, json: !current.json});
		}

		case 'log.search': {
			return same({...current, prompt: {kind: 'search', text: ''}});
		}

		case 'log.filter': {
			return same({...current, prompt: {kind: 'filter', text: current.filter?.source ?? ''}});
		}

		case 'log.time': {
			return same({...current, prompt: {kind: 'time', text: ''}});
		}

		case 'log.save': {
			return same({...current, prompt: {kind: 'save', text: context.saveName}});
		}

		case 'log.next':
		case 'log.previous': {
			return same(findNext(lines, current, options, context.lookup.get(name) === 'log.next' ? 1 : -1, appended));
		}

		case 'log.copy': {
			const seq = current.markSeq ?? context.rows.at(-1)?.seq;
			const line = lines[indexOfSeq(lines, seq ?? 0)];
			if (!line || line.seq !== seq) return same(current);
			return same({...current, message: {text: `copied: ${plainOf(line).slice(0, Math.max(10, options.width - 20))}`, tone: 'info'}}, [{kind: 'copy', text: plainOf(line)}]);
		}

		default: {
			return same(current);
		}
	}
}

function acceptPrompt(context: LogKeyContext, current: LogViewState): LogKeyResult {
	const prompt = current.prompt!;
	const text = prompt.text.trim();
	const base = {...current, prompt: undefined};
	switch (prompt.kind) {
		case 'search':
		case 'filter': {
			if (!text) return {state: {...base, [prompt.kind]: undefined}, effects: []};
			const regex = smartCaseRegExp(text);
			if (regex instanceof Error) return {state: {...base, message: {text: regex.message, tone: 'error'}}, effects: []};
			if (prompt.kind === 'filter') return {state: {...base, filter: regex, follow: true, markSeq: undefined}, effects: []};
			return {state: findNext(context.lines, {...base, search: regex, markSeq: undefined}, context.options, 1, context.appended), effects: []};
		}

		case 'time': {
			const seconds = parseTimeSpec(text);
			if (seconds instanceof Error) return {state: {...base, message: {text: seconds.message, tone: 'error'}}, effects: []};
			return {state: jumpToTime(context.lines, base, Number(seconds), context.appended), effects: []};
		}

		case 'save': {
			return {state: base, effects: [{kind: 'save', file: text, lines: context.lines}]};
		}
	}
}
