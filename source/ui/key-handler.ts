// What a key press means right now. Pure: the screen's state and the key in, a list of effects
// out, which the App carries out. Modal layers are checked top first and the first one that
// takes the key consumes it, so one key never acts twice. It knows panels only through their
// models: their actions, commands, sorts and tabs.
import {completeCommandLine, parseCommandLine} from '../state/command-line.ts';
import {actionTargets, listedItems, selectedGroup, selectedItem, type Item, type ListState} from '../state/list.ts';
import type {EventItem} from '../state/panels/events.ts';
import {panels} from '../state/panels/index.ts';
import type {ActionSpec, PanelKind, PanelModel, Question} from '../state/panels/panel.ts';
import {currentList, type Overlay, type ScreenEvent, type ScreenState} from '../state/screen.ts';
import type {Keymap} from './keymap.ts';
import {type CustomCommand, customCommandsIn} from '../state/hands-on/custom-commands.ts';
import {formKey, newForm, type RunForm} from '../state/run-form.ts';
import type {ImageItem} from '../state/panels/images.ts';

export type ActionTarget = {item: Item; verb: string};

export type Effect =
	| {kind: 'dispatch'; event: ScreenEvent}
	/** A row action on each target, with progress shown on its row. */
	| {kind: 'action'; panel: PanelKind; command: string; verb: string; targets: ActionTarget[]; force?: boolean}
	/** One of a panel's other commands, with what was typed or chosen for it. */
	| {kind: 'run'; panel: PanelKind; command: string; items: Item[]; input?: string; choice?: string}
	| {kind: 'scroll-details'; by: number}
	| {kind: 'scroll-details-to'; where: 'top' | 'bottom'}
	| {kind: 'notice'; text: string; tone: 'error' | 'success'}
	| {kind: 'copy'; text: string; what: string}
	| {kind: 'jump'; event: EventItem}
	| {kind: 'open-hosts'}
	| {kind: 'switch-host'; index: number}
	| {kind: 'switch-host-named'; name: string}
	/** Stops the job whose output the details show. */
	| {kind: 'cancel-job'}
	/** The run form's fields, to be sent. */
	| {kind: 'submit-form'; form: RunForm}
	/** The run form filled from this container, once it has been read. */
	| {kind: 'open-duplicate'; id: string}
	/** One of the user's own commands, on these rows (a project's members, for a project command). */
	| {kind: 'custom'; index: number; items: Item[]}
	| {kind: 'quit'};

export type KeyContext = {
	state: ScreenState;
	keymap: Keymap;
	/** Rows in one page of the list, and lines in one page of the details. */
	listPage: number;
	detailsPage: number;
	/** The names `:host NAME` can switch to. */
	hostNames?: readonly string[];
	/** A job (a compose action) runs with its output on screen: Esc and Ctrl-C stop it first. */
	jobRunning?: boolean;
	/** The user's own commands, from the config file. */
	customCommands?: readonly CustomCommand[];
	/** What the run form's image field completes from. */
	imageNames?: readonly string[];
};

const dispatch = (event: ScreenEvent): Effect => ({kind: 'dispatch', event});
const closeOverlay = dispatch({type: 'overlay', overlay: {kind: 'none'}});

const panelCommands: Record<string, PanelKind> = {
	panelContainers: 'containers',
	panelImages: 'images',
	panelVolumes: 'volumes',
	panelNetworks: 'networks',
	panelEvents: 'events',
	panelDisk: 'disk',
};

const printable = (name: string, input: string) => input.length > 0 && !name.startsWith('ctrl+') && !name.startsWith('alt+') && !/[\u0000-\u001F\u007F]/.test(input);

/** Typing into a one-line field: the new text, or undefined when the key is not for the field. */
function edited(text: string, name: string, input: string): string | undefined {
	if (name === 'backspace' || name === 'delete') return text.slice(0, -1);
	if (name === 'ctrl+u') return '';
	if (name === 'ctrl+w') return text.replace(/\S*\s*$/, '');
	return printable(name, input) ? text + input : undefined;
}

export function handleKey(context: KeyContext, name: string, input: string): Effect[] {
	const {state} = context;
	const {overlay} = state;
	const current = currentList(state);
	const lookup = context.keymap.lookupIn(state.panel);

	if (name === 'ctrl+c') {
		if (overlay.kind !== 'none') return [closeOverlay];
		if (current.filterEditing) return [dispatch({type: 'filter-clear'})];
		if (context.jobRunning) return [{kind: 'cancel-job'}];
		return [{kind: 'quit'}];
	}

	if (overlay.kind === 'help') {
		const command = lookup.get(name);
		if (name === 'esc' || name === 'q' || command === 'help') return [closeOverlay];
		const page = overlay.page ?? 0;
		if (command === 'down' || command === 'pageDown' || name === ' ') return [dispatch({type: 'overlay', overlay: {kind: 'help', page: page + 1}})];
		if ((command === 'up' || command === 'pageUp') && page > 0) return [dispatch({type: 'overlay', overlay: {kind: 'help', page: page - 1}})];
		return [];
	}

	if (overlay.kind === 'hosts') {
		const moveTo = (index: number) => [dispatch({type: 'overlay', overlay: {...overlay, index: Math.max(0, Math.min(overlay.count - 1, index))}})];
		const command = lookup.get(name);
		if (name === 'esc' || name === 'q' || command === 'hosts') return [closeOverlay];
		if (name === 'enter') return [closeOverlay, {kind: 'switch-host', index: overlay.index}];
		if (command === 'up') return moveTo(overlay.index - 1);
		if (command === 'down') return moveTo(overlay.index + 1);
		if (command === 'top') return moveTo(0);
		if (command === 'bottom') return moveTo(overlay.count - 1);
		return [];
	}

	if (overlay.kind === 'form') {
		const result = formKey(overlay.form, name, input, context.imageNames);
		if ('cancel' in result) return [closeOverlay];
		if ('submit' in result) return [{kind: 'submit-form', form: result.submit}];
		return result.form === overlay.form ? [] : [dispatch({type: 'overlay', overlay: {kind: 'form', form: result.form}})];
	}

	if (overlay.kind === 'menu') {
		const moveTo = (index: number) => [dispatch({type: 'overlay', overlay: {...overlay, index: Math.max(0, Math.min(overlay.count - 1, index))}})];
		const command = lookup.get(name);
		if (name === 'esc' || name === 'q' || command === 'customMenu') return [closeOverlay];
		if (command === 'up') return moveTo(overlay.index - 1);
		if (command === 'down') return moveTo(overlay.index + 1);
		if (name === 'enter') {
			const entry = customCommandsIn(context.customCommands ?? [], overlay.panel)[overlay.index];
			return entry ? [closeOverlay, ...customEffect(context, entry.index)] : [closeOverlay];
		}

		return [];
	}

	if (overlay.kind === 'confirm') return answer(context, overlay, name);
	if (overlay.kind === 'prompt') return typeIntoPrompt(context, overlay, name, input);

	if (current.filterEditing) {
		switch (name) {
			case 'esc': {
				return [dispatch({type: 'filter-clear'})];
			}

			case 'enter': {
				return [dispatch({type: 'filter-accept'})];
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
				const text = edited(current.filter, name, input);
				return text === undefined ? [] : [dispatch({type: 'filter-set', text})];
			}
		}
	}

	// Esc undoes the innermost thing: details focus, marks, the filter, then the panel itself.
	if (name === 'esc') {
		if (context.jobRunning) return [{kind: 'cancel-job'}];
		if (state.focus === 'details') return [dispatch({type: 'focus', to: 'list'})];
		if (current.marks.size > 0) return [dispatch({type: 'marks-clear'})];
		if (current.filter) return [dispatch({type: 'filter-clear'})];
		if (state.previous.length > 0) return [dispatch({type: 'back'})];
		return [];
	}

	const command = lookup.get(name);
	if (!command) return [];
	return runCommand(context, command);
}

function runCommand(context: KeyContext, command: string): Effect[] {
	const {state} = context;
	const panel = panels[state.panel];
	const current = currentList(state);
	const inDetails = state.focus === 'details';
	const selected = selectedItem(current);

	if (command.startsWith('custom.')) return customEffect(context, Number(command.slice('custom.'.length)));
	if (command === 'runForm') {
		// From the images panel, the selected image (by its id when it has no tag).
		const image = state.panel === 'images' && selected ? selected as ImageItem : undefined;
		return [dispatch({type: 'overlay', overlay: {kind: 'form', form: newForm(image ? (image.name === '<none>:<none>' ? image.imageId : image.name) : '')}})];
	}

	if (command === 'duplicate') {
		if (!selected) return [];
		if (state.connection !== 'connected') return [{kind: 'notice', text: 'not connected: nothing to duplicate from', tone: 'error'}];
		return [{kind: 'open-duplicate', id: selected.id}];
	}

	if (command === 'customMenu') {
		const count = customCommandsIn(context.customCommands ?? [], state.panel).length;
		if (count === 0) return [{kind: 'notice', text: `none of your commands applies to ${panel.noun[1]}: add some under "commands" in the config file`, tone: 'error'}];
		return [dispatch({type: 'overlay', overlay: {kind: 'menu', panel: state.panel, index: 0, count}})];
	}

	const toPanel = panelCommands[command];
	if (toPanel) return [dispatch({type: 'panel', to: toPanel})];
	const sortKey = panel.sorts[command];
	if (sortKey) return [dispatch({type: 'sort', key: sortKey})];
	const action = panel.actions.find(spec => spec.command === command);
	if (action) return startAction(state, panel, current, action);
	const panelCommand = panel.commands.find(spec => spec.command === command);
	if (panelCommand) {
		const group = panelCommand.orGroup ? selectedGroup(current) : undefined;
		const items = panelCommand.target === 'selected' ? (selected ? [selected] : group ? [...group.members] : []) : panelCommand.target === 'listed' ? listedItems(current) : panelCommand.target === 'group' ? groupMembers(panel, current) : [];
		if (panelCommand.target === 'group' && items.length === 0) return [{kind: 'notice', text: `not in a ${panel.groupNoun ?? 'group'}: select a ${panel.groupNoun ?? 'group'}'s row or one of its ${panel.noun[1]}`, tone: 'error'}];
		if (panelCommand.target !== 'none' && items.length === 0) return [];
		const ids = items.map(item => item.id);
		if (panelCommand.prompt) {
			return [dispatch({type: 'overlay', overlay: {kind: 'prompt', panel: state.panel, command, ids, label: panelCommand.prompt.text, text: panelCommand.prompt.initial?.(selected) ?? ''}})];
		}

		if (panelCommand.ask) return [dispatch({type: 'overlay', overlay: {kind: 'confirm', panel: state.panel, command, ids, question: panelCommand.ask(items)}})];
		return [{kind: 'run', panel: state.panel, command, items}];
	}

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
			return [inDetails ? {kind: 'scroll-details-to', where: command} : dispatch({type: 'move-to', where: command})];
		}

		case 'switchFocus': {
			return [dispatch({type: 'focus'})];
		}

		case 'drillIn': {
			if (panel.enter === 'jump') return selected ? [{kind: 'jump', event: selected as EventItem}] : [];
			return [dispatch({type: 'focus', to: 'details'})];
		}

		case 'prevTab':
		case 'nextTab': {
			return [dispatch({type: 'tab', by: command === 'prevTab' ? -1 : 1})];
		}

		case 'filter': {
			return [dispatch({type: 'filter-start'})];
		}

		case 'mark':
		case 'markAll': {
			if (!panel.actions.some(spec => spec.bulk)) return [{kind: 'notice', text: `nothing acts on several ${panel.noun[1]} at once`, tone: 'error'}];
			return [dispatch({type: command === 'mark' ? 'mark' : 'mark-all'}), ...(command === 'mark' ? [dispatch({type: 'move', by: 1})] : [])];
		}

		case 'copyId':
		case 'copyName': {
			if (!selected) return [];
			const text = command === 'copyId' ? (panel.idOf?.(selected) ?? selected.id) : panel.label(selected);
			return [{kind: 'copy', text, what: command === 'copyId' ? 'id' : 'name'}];
		}

		case 'hosts': {
			return [{kind: 'open-hosts'}];
		}

		case 'commandLine': {
			return [dispatch({type: 'overlay', overlay: {kind: 'prompt', panel: state.panel, command: 'commandLine', ids: [], label: ':', text: ''}})];
		}

		case 'help': {
			return [dispatch({type: 'overlay', overlay: {kind: 'help'}})];
		}

		case 'quit': {
			return [{kind: 'quit'}];
		}

		default: {
			return [];
		}
	}
}

/** One of the user's own commands on what it applies to: the selected row, or the project for a project command. */
function customEffect(context: KeyContext, index: number): Effect[] {
	const custom = context.customCommands?.[index];
	if (!custom) return [];
	const panel = panels[context.state.panel];
	const current = currentList(context.state);
	const selected = selectedItem(current);
	const items = custom.scope === 'project' ? groupMembers(panel, current) : selected ? [selected] : [];
	if (items.length === 0) return [{kind: 'notice', text: custom.scope === 'project' ? `"${custom.name}" is for a compose project: select its row or one of its containers` : `"${custom.name}" needs a ${custom.scope} selected`, tone: 'error'}];
	return [{kind: 'custom', index, items}];
}

/** The selected group's members, or every item of the selected item's group (filtered out or not). */
function groupMembers(panel: PanelModel<Item>, list: ListState<Item>): Item[] {
	const group = selectedGroup(list);
	if (group) return [...group.members];
	const selected = selectedItem(list);
	const name = selected && panel.groupOf?.(selected);
	if (name === undefined) return [];
	return [...list.items.values()].filter(item => panel.groupOf?.(item) === name);
}

/** An action on the marked rows (or the selected one): refused while offline or busy, asked about first where it must be. */
function startAction(state: ScreenState, panel: PanelModel<Item>, current: ListState<Item>, action: ActionSpec<Item>): Effect[] {
	const items = action.bulk ? actionTargets(current) : [selectedItem(current)].filter((item): item is Item => item !== undefined);
	if (items.length === 0) return [];
	if (state.connection !== 'connected') return [{kind: 'notice', text: `not connected: ${action.verb} not sent`, tone: 'error'}];
	const busy = items.find(item => current.pending[item.id]);
	if (busy) return [{kind: 'notice', text: `${panel.label(busy)} is busy: wait for ${current.pending[busy.id]} to finish`, tone: 'error'}];
	const ids = items.map(item => item.id);
	if (items.length > 1 || action.askOne) {
		const question: Question = action.ask?.(items) ?? {text: `${action.verb} ${items.length} ${panel.noun[1]}?`, choices: [{key: 'y', label: 'yes'}, {key: 'n', label: 'no'}]};
		return [dispatch({type: 'overlay', overlay: {kind: 'confirm', panel: state.panel, command: action.command, ids, question}})];
	}

	return [actionEffect(state.panel, action, items, false)];
}

function actionEffect(panel: PanelKind, action: ActionSpec<Item>, items: Item[], force: boolean): Effect {
	return {kind: 'action', panel, command: action.command, verb: action.verb, targets: items.map(item => ({item, verb: action.verbFor?.(item) ?? action.verb})), ...(force ? {force} : {})};
}

function answer(context: KeyContext, overlay: Extract<Overlay, {kind: 'confirm'}>, name: string): Effect[] {
	const {state} = context;
	if (name === 'esc') return [closeOverlay];
	const choice = overlay.question.choices.find(candidate => candidate.key === name);
	if (!choice) return [];
	if (choice.key === 'n' && !choice.verb && !choice.force) return [closeOverlay];
	const panel = panels[overlay.panel];
	const list = state.lists[overlay.panel] as ListState<Item>;
	const items = overlay.ids.map(id => list.items.get(id)).filter((item): item is Item => item !== undefined);
	const action = panel.actions.find(spec => spec.command === overlay.command);
	if (action) {
		if (items.length === 0) return [closeOverlay];
		if (state.connection !== 'connected') return [closeOverlay, {kind: 'notice', text: `not connected: ${action.verb} not sent`, tone: 'error'}];
		return [closeOverlay, actionEffect(overlay.panel, action, items, Boolean(choice.force))];
	}

	return [closeOverlay, {kind: 'run', panel: overlay.panel, command: overlay.command, items, ...(choice.verb ? {choice: choice.verb} : {})}];
}

function typeIntoPrompt(context: KeyContext, overlay: Extract<Overlay, {kind: 'prompt'}>, name: string, input: string): Effect[] {
	const {state} = context;
	const hostNames = context.hostNames ?? [];
	if (name === 'esc') return [closeOverlay];
	const isCommandLine = overlay.command === 'commandLine';
	if (name === 'tab' && isCommandLine) {
		const {text} = completeCommandLine(overlay.text, hostNames);
		return [dispatch({type: 'overlay', overlay: {...overlay, text}})];
	}

	if (name === 'enter') {
		if (!isCommandLine) {
			const list = state.lists[overlay.panel] as ListState<Item>;
			const items = overlay.ids.map(id => list.items.get(id)).filter((item): item is Item => item !== undefined);
			if (overlay.text.trim() === '') return [closeOverlay];
			return [closeOverlay, {kind: 'run', panel: overlay.panel, command: overlay.command, items, input: overlay.text.trim()}];
		}

		const parsed = parseCommandLine(overlay.text, hostNames);
		switch (parsed.kind) {
			case 'panel': {
				return [dispatch({type: 'panel', to: parsed.panel})];
			}

			case 'host': {
				return [closeOverlay, {kind: 'switch-host-named', name: parsed.name}];
			}

			case 'hosts': {
				return [closeOverlay, {kind: 'open-hosts'}];
			}

			case 'quit': {
				return [closeOverlay, {kind: 'quit'}];
			}

			case 'help': {
				return [dispatch({type: 'overlay', overlay: {kind: 'help'}})];
			}

			case 'none': {
				return [closeOverlay];
			}

			case 'error': {
				return [closeOverlay, {kind: 'notice', text: parsed.message, tone: 'error'}];
			}
		}
	}

	const text = edited(overlay.text, name, input);
	return text === undefined ? [] : [dispatch({type: 'overlay', overlay: {...overlay, text}})];
}

/** The keys worth showing in the status line for what is on screen now. */
export function hintsFor(state: ScreenState, keys: Readonly<Record<string, readonly string[]>>): string {
	const key = (command: string) => keys[command]?.[0];
	const shown = (command: string, label: string) => {
		const first = key(command);
		return first === undefined ? [] : [`${first === ' ' ? 'Space' : first} ${label}`];
	};

	const current = currentList(state);
	if (current.filterEditing) return 'type to filter · Enter keep · Esc clear';
	const panel = panels[state.panel];
	const parts: string[] = [];
	if (current.marks.size > 0) {
		parts.push(`${current.marks.size} marked`);
		for (const action of panel.actions) if (action.bulk) parts.push(...shown(action.command, shortLabel(action.command)));
		parts.push('Esc unmark');
		return parts.join(' · ');
	}

	// A hint may name its own label after a colon ("pause:unpause").
	const hints = selectedGroup(current) ? (panel.groupHints ?? []) : panel.hints(selectedItem(current));
	for (const hint of hints) {
		const [command = hint, label] = hint.split(':');
		parts.push(...shown(command, label ?? shortLabel(command)));
	}

	parts.push(...shown('filter', 'filter'));
	const tabs = `${key('prevTab') ?? ''}${key('nextTab') ?? ''}`;
	if (panel.tabs.length > 1 && tabs && !selectedGroup(current)) parts.push(`${tabs} tabs`);
	parts.push(...shown('commandLine', 'panels'), ...shown('help', 'help'), ...shown('quit', 'quit'));
	return parts.join(' · ');
}

const shortLabels: Record<string, string> = {customMenu: 'cmds', remove: 'rm', pause: 'pause', pauseEvents: 'pause', drillIn: 'go to', prune: 'prune', logs: 'logs', composeUp: 'up', composeDown: 'down'};

function shortLabel(command: string): string {
	return shortLabels[command] ?? command;
}
