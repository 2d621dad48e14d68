// The first frame of the containers screen as plain text with colour codes, drawn from the first
// list the engine sends, before React and Ink have loaded (they take most of start-up). It is
// the same frame the App draws first, from the same pure layout and cell functions, so when Ink
// takes over it writes the same characters over it and nothing moves. Pure.
import type {Container} from '../state/container.ts';
import {type Item, type ListState, rowIndexOf, scrollTop, selectedItem} from '../state/list.ts';
import {containersPanel} from '../state/panels/containers.ts';
import {noUsage, type PanelModel} from '../state/panels/panel.ts';
import {containerCounts, initialScreenState, screenReducer} from '../state/screen.ts';
import {hintsFor} from './key-handler.ts';
import {buildKeymap} from './keymap.ts';
import {computeLayout, minimumSize, type PaneBox} from './layout.ts';
import {listPaneLines, listTitle, rowMark} from './list-rows.ts';
import {type Theme, toneColour} from './theme.ts';

const foreground: Record<string, number> = {black: 30, red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, white: 37, gray: 90, grey: 90, blackBright: 90};

type Style = {color?: string; backgroundColor?: string; bold?: boolean; inverse?: boolean};
type Segment = {text: string; style?: Style};

function sgr(style: Style | undefined): string {
	if (!style) return '';
	const codes: number[] = [];
	if (style.bold) codes.push(1);
	if (style.inverse) codes.push(7);
	if (style.color && foreground[style.color]) codes.push(foreground[style.color]!);
	if (style.backgroundColor && foreground[style.backgroundColor]) codes.push(foreground[style.backgroundColor]! + 10);
	return codes.length > 0 ? `\u001B[${codes.join(';')}m` : '';
}

/** Segments cut to `width` columns (with "…" where text was cut, as Ink's truncate-end does) and padded. */
function line(segments: Segment[], width: number): string {
	let used = 0;
	let out = '';
	for (let index = 0; index < segments.length; index++) {
		const segment = segments[index]!;
		let text = segment.text;
		const restAfter = segments.slice(index + 1).reduce((sum, next) => sum + next.text.length, 0);
		if (used + text.length > width || (used + text.length === width && restAfter > 0)) {
			text = `${text.slice(0, Math.max(0, width - used - 1))}…`;
			out += sgr(segment.style) + text + (segment.style ? '\u001B[0m' : '');
			used = width;
			break;
		}

		out += sgr(segment.style) + text + (segment.style ? '\u001B[0m' : '');
		used += text.length;
	}

	return out + ' '.repeat(Math.max(0, width - used));
}

function box(pane: PaneBox, borderColor: string | undefined, content: string[]): string[] {
	const border = (text: string) => sgr({color: borderColor}) + text + '\u001B[0m';
	const inner = pane.width - 2;
	const lines = [border(`╭${'─'.repeat(inner)}╮`)];
	for (let index = 0; index < pane.height - 2; index++) lines.push(border('│') + (content[index] ?? ' '.repeat(inner)) + border('│'));
	lines.push(border(`╰${'─'.repeat(inner)}╯`));
	return lines;
}

export type FirstPaintInput = {
	containers: Container[];
	columns: number;
	rows: number;
	engineLabel: string;
	hostLabel: string;
	theme: Theme;
	now?: number;
};

/** The frame's lines, or undefined when the terminal is too small for the panes (the App says so itself). */
export function firstPaintLines(input: FirstPaintInput): string[] | undefined {
	const {theme, columns, rows} = input;
	if (columns < minimumSize.columns || rows < minimumSize.rows) return undefined;
	const now = input.now ?? Date.now();
	const state = screenReducer({...initialScreenState(), connection: 'connected'}, {type: 'synced', panel: 'containers', items: input.containers});
	const layout = computeLayout(columns, rows);
	const {running, total} = containerCounts(state);
	const muted = {color: theme.muted};
	const list = state.lists.containers as ListState<Item>;

	const header = line(
		[
			{text: input.engineLabel, style: {bold: true, color: theme.accent}},
			{text: ' │ ', style: muted},
			{text: `${running}/${total} running`},
			{text: ' │ ', style: muted},
			{text: input.hostLabel, style: muted},
		],
		layout.width,
	);

	const pane = layout.list;
	const width = pane.innerWidth;
	const top = scrollTop(rowIndexOf(list.rows, list.selectedId), list.rows.length, pane.rows, 0);
	const view = listPaneLines({panel: containersPanel as unknown as PanelModel<Item>, list, top, height: pane.rows, width, now, usage: noUsage, title: ''});
	const listContent = [line([{text: listTitle(containersPanel as unknown as PanelModel<Item>, list), style: {bold: true}}], width), line([{text: view.header, style: muted}], width)];
	if (view.rows.length === 0) listContent.push(line([{text: `  ${view.empty}`, style: muted}], width));
	for (const row of view.rows) {
		if (row.kind === 'group') {
			listContent.push(line([{text: `▾ ${row.group}`, style: {color: theme.accent, bold: true}}, {text: `  ${row.detail}`, style: {color: theme.muted}}], width));
			continue;
		}

		const text = row.cells.map(cell => cell.text);
		if (row.selected) {
			listContent.push(line([{text: `▸${rowMark(row)}${text.join(' ')}`, style: {...theme.selection, bold: true}}], width));
		} else {
			listContent.push(line([{text: ` ${rowMark(row)}`}, ...row.cells.map((cell, index) => ({text: index === 0 ? cell.text : ` ${cell.text}`, style: toneColour(theme, cell.tone) ? {color: toneColour(theme, cell.tone)} : undefined}))], width));
		}
	}

	const details = layout.details;
	const selected = selectedItem(list) as Container | undefined;
	const detailsContent = [
		line([{text: selected ? `${selected.name} — loading…` : 'nothing selected', style: {bold: true}}], details.innerWidth),
		line(
			containersPanel.tabs.map((name, index) => ({text: ` ${name} `, style: index === 0 ? {inverse: true, color: theme.accent} : undefined})),
			details.innerWidth,
		),
	];

	const listBox = box(pane, theme.borderFocused, listContent);
	const detailsBox = box(details, theme.border, detailsContent);
	const body = layout.mode === 'side' ? listBox.map((text, index) => text + (detailsBox[index] ?? '')) : [...listBox, ...detailsBox];
	const status = line([{text: hintsFor(state, buildKeymap().keys), style: muted}], layout.width);
	return [header, ...body, status];
}
