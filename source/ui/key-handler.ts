// What a key press means right now. Pure: the screen's state and the key in, a list of effects
// out, which the App carries out. Modal layers are checked top first and the first one that
// takes the key consumes it, so one key never acts twice.
import type {Container} from '../state/container.ts';
import {selectedContainer, type ActionVerb, type ViewEvent, type ViewState} from '../state/view.ts';
import type {KeyLookup} from './keymap.ts';

export type Effect =
	| {kind: 'dispatch'; event: ViewEvent}
	| {kind: 'action'; verb: ActionVerb; container: Container; force?: boolean}
	| {kind: 'scroll-details'; by: number}
	| {kind: 'scroll-details-to'; where: 'top' | 'bottom'}
	| {kind: 'notice'; text: string; tone: 'error' | 'success'}
	| {kind: 'open-logs'; containers: Container[]}
	| {kind: 'open-hosts'}
	| {kind: 'switch-host'; index: number}
	| {kind: 'quit'};

export type KeyContext = {
	state: ViewState;
	lookup: KeyLookup;
	/** Rows in one page of the list, and lines in one page of the details. */
	listPage: number;
	detailsPage: number;
};

const sortKeys = {sortName: 'name', sortState: 'state', sortCpu: 'cpu', sortMemory: 'memory', sortCreated: 'created'} as const;

const dispatch = (event: ViewEvent): Effect => ({kind: 'dispatch', event});
const closeOverlay = dispatch({type: 'overlay', overlay: {kind: 'none'}});

export function handleKey(context: KeyContext, name: string, input: string): Effect[] {
	const {state} = context;
	const {overlay} = state;

	if (name === 'ctrl+c') {
		if (overlay.kind !== 'none') return [closeOverlay];
		if (state.filterEditing) return [dispatch({type: 'filter-clear'})];
		return [{kind: 'quit'}];
	}

	if (overlay.kind === 'help') {
		return name === 'esc' || name === 'q' || context.lookup.get(name) === 'help' ? [closeOverlay] : [];
	}

	if (overlay.kind === 'hosts') {
		const moveTo = (index: number) => [dispatch({type: 'overlay', overlay: {...overlay, index: Math.max(0, Math.min(overlay.count - 1, index))}})];
		const command = context.lookup.get(name);
		if (name === 'esc' || name === 'q' || command === 'hosts') return [closeOverlay];
		if (name === 'enter') return [closeOverlay, {kind: 'switch-host', index: overlay.index}];
		if (command === 'up') return moveTo(overlay.index - 1);
		if (command === 'down') return moveTo(overlay.index + 1);
		if (command === 'top') return moveTo(0);
		if (command === 'bottom') return moveTo(overlay.count - 1);
		return [];
	}

	if (overlay.kind === 'confirm-remove') {
		const container = state.containers.get(overlay.id);
		if (name === 'esc' || name === 'n') return [closeOverlay];
		if (!container) return [closeOverlay];
		if (name === 'f') return [closeOverlay, {kind: 'action', verb: 'remove', container, force: true}];
		if (name === 'y' && !overlay.running) return [closeOverlay, {kind: 'action', verb: 'remove', container}];
		return [];
	}

	if (state.filterEditing) {
		switch (name) {
			case 'esc': {
				return [dispatch({type: 'filter-clear'})];
			}

			case 'enter': {
				return [dispatch({type: 'filter-accept'})];
			}

			case 'backspace':
			case 'delete': {
				return [dispatch({type: 'filter-set', text: state.filter.slice(0, -1)})];
			}

			case 'ctrl+u': {
				return [dispatch({type: 'filter-set', text: ''})];
			}

			case 'up':
			case 'down': {
				return [dispatch({type: 'move', by: name === 'up' ? -1 : 1})];
			}

			case 'pageup':
			case 'pagedown': {
				return [dispatch({type: 'move', by: name === 'pageup' ? -context.listPage : context.listPage})];
			}

			default: {
				// Printable text goes into the filter; other keys do nothing while typing.
				const printable = input.length > 0 && !name.startsWith('ctrl+') && !name.startsWith('alt+') && !/[\u0000-\u001F\u007F]/.test(input);
				return printable ? [dispatch({type: 'filter-set', text: state.filter + input})] : [];
			}
		}
	}

	if (name === 'esc') {
		if (state.focus === 'details') return [dispatch({type: 'focus', to: 'list'})];
		if (state.filter) return [dispatch({type: 'filter-clear'})];
		return [];
	}

	const command = context.lookup.get(name);
	if (!command) return [];
	const inDetails = state.focus === 'details';
	const selected = selectedContainer(state);
	const act = (verb: ActionVerb): Effect[] => {
		if (!selected) return [];
		if (state.connection !== 'connected') return [{kind: 'notice', text: `not connected: ${verb} not sent`, tone: 'error'}];
		if (state.pending[selected.id]) return [{kind: 'notice', text: `${selected.name} is busy: wait for ${state.pending[selected.id]} to finish`, tone: 'error'}];
		return [{kind: 'action', verb, container: selected}];
	};

	switch (command) {
		case 'up':
		case 'down': {
			const by = command === 'up' ? -1 : 1;
			return [inDetails ? {kind: 'scroll-details', by} : dispatch({type: 'move', by})];
		}

		case 'pageUp':
		case 'pageDown': {
			const sign = command === 'pageUp' ? -1 : 1;
			return [inDetails ? {kind: 'scroll-details', by: sign * context.detailsPage} : dispatch({type: 'move', by: sign * context.listPage})];
		}

		case 'top':
		case 'bottom': {
			const where = command;
			return [inDetails ? {kind: 'scroll-details-to', where} : dispatch({type: 'move-to', where})];
		}

		case 'switchFocus': {
			return [dispatch({type: 'focus'})];
		}

		case 'drillIn': {
			return [dispatch({type: 'focus', to: 'details'})];
		}

		case 'prevTab':
		case 'nextTab': {
			return [dispatch({type: 'tab', by: command === 'prevTab' ? -1 : 1})];
		}

		case 'filter': {
			return [dispatch({type: 'filter-start'})];
		}

		case 'start':
		case 'stop':
		case 'restart':
		case 'kill': {
			return act(command);
		}

		case 'pause': {
			return act(selected?.state === 'paused' ? 'unpause' : 'pause');
		}

		case 'remove': {
			if (!selected) return [];
			const refused = act('remove');
			if (refused[0]?.kind !== 'action') return refused;
			const running = selected.state === 'running' || selected.state === 'paused' || selected.state === 'restarting';
			return [dispatch({type: 'overlay', overlay: {kind: 'confirm-remove', id: selected.id, name: selected.name, running}})];
		}

		case 'logs': {
			return selected ? [{kind: 'open-logs', containers: [selected]}] : [];
		}

		case 'logsAll': {
			const listed = state.rows.flatMap(row => (row.kind === 'container' ? [row.container] : []));
			return listed.length > 0 ? [{kind: 'open-logs', containers: listed}] : [];
		}

		case 'sortName':
		case 'sortState':
		case 'sortCpu':
		case 'sortMemory':
		case 'sortCreated': {
			return [dispatch({type: 'sort', key: sortKeys[command]})];
		}

		case 'hosts': {
			return [{kind: 'open-hosts'}];
		}

		case 'help': {
			return [dispatch({type: 'overlay', overlay: {kind: 'help'}})];
		}

		case 'quit': {
			return [{kind: 'quit'}];
		}
	}
}

/** The keys worth showing in the status line for what is on screen now. */
export function hintsFor(state: ViewState, keys: Record<string, string[]>): string {
	const key = (command: string) => keys[command]?.[0] ?? '?';
	if (state.filterEditing) return 'type to filter · Enter keep · Esc clear';
	const selected = selectedContainer(state);
	const parts: string[] = [];
	if (selected) {
		const up = selected.state === 'running' || selected.state === 'restarting';
		if (selected.state === 'paused') parts.push(`${key('pause')} unpause`);
		else if (up) parts.push(`${key('stop')} stop`, `${key('restart')} restart`, `${key('pause')} pause`);
		else parts.push(`${key('start')} start`);
		parts.push(`${key('logs')} logs`, `${key('remove')} rm`);
	}

	parts.push(`${key('filter')} filter`, `${key('prevTab')}${key('nextTab')} tabs`, `${key('help')} help`, `${key('quit')} quit`);
	return parts.join(' · ');
}
