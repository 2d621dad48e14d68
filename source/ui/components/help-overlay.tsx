import {Box, Text} from 'ink';
import React from 'react';
import {helpOf} from '../../state/commands.ts';
import {displayKey, type Keymap, keysIn, type Where} from '../keymap.ts';
import type {Theme} from '../theme.ts';

export type HelpOverlayProps = {
	keymap: Keymap;
	/** The screen whose keys are shown: a panel, or the log view. */
	where: Where;
	title: string;
	width: number;
	height: number;
	theme: Theme;
	configPath?: string;
	/** Which page, where the keys do not fit on one (it wraps around). */
	page?: number;
};

/** The narrowest a column of keys may be before another page is better than cut-off text. */
const minimumColumnWidth = 25;

/** Every key of the screen in front, as it is in force (overrides included), in as many columns as it takes. */
export function HelpOverlay(props: HelpOverlayProps) {
	const {theme} = props;
	const lines = keysIn(props.keymap, props.where).map(({command, keys}) => ({keys: keys.map(key => displayKey(key)).join(' '), text: helpOf(command, props.where)}));
	lines.push({keys: 'Esc', text: props.where === 'logView' ? 'clear, then back' : 'undo / go back'});
	const rows = Math.max(1, props.height - 5);
	const fitting = Math.max(1, Math.floor((props.width - 4) / minimumColumnWidth));
	const columns = Math.max(1, Math.min(fitting, Math.ceil(lines.length / rows)));
	const pages = Math.max(1, Math.ceil(lines.length / (rows * columns)));
	const page = (props.page ?? 0) % pages;
	const shown = lines.slice(page * rows * columns, (page + 1) * rows * columns);
	const perColumn = Math.ceil(shown.length / columns);
	const columnWidth = Math.floor((props.width - 4) / columns);
	const keyWidth = Math.min(12, Math.max(...lines.map(line => line.keys.length)) + 1);
	return (
		<Box flexDirection="column" borderStyle="round" borderColor={theme.borderFocused} width={props.width} height={props.height} paddingX={1}>
			<Text bold color={theme.accent} wrap="truncate-end">
				{props.title}
				{pages > 1 ? <Text bold={false} color={theme.muted}>{`   page ${page + 1} of ${pages}: j or PgDn for more`}</Text> : null}
			</Text>
			<Box>
				{Array.from({length: columns}, (_, column) => (
					<Box key={column} flexDirection="column" width={columnWidth}>
						{shown.slice(column * perColumn, (column + 1) * perColumn).map(line => (
							<Text key={`${line.keys} ${line.text}`} wrap="truncate-end">
								<Text color={theme.accent}>{line.keys.padEnd(keyWidth)}</Text>
								{line.text}
							</Text>
						))}
					</Box>
				))}
			</Box>
			<Box flexGrow={1} />
			<Text color={theme.muted} wrap="truncate-end">
				{props.configPath ? `Keys can be changed in ${props.configPath}. ` : ''}Esc or {displayKey(props.keymap.keys[props.where === 'logView' ? 'log.help' : 'help']?.[0] ?? '?')} closes.
			</Text>
		</Box>
	);
}
