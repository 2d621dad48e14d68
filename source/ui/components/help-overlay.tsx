import {Box, Text} from 'ink';
import React from 'react';
import {type Command, commandHelp, commands, displayKey} from '../keymap.ts';
import type {Theme} from '../theme.ts';

export type HelpOverlayProps = {
	keys: Record<Command, string[]>;
	width: number;
	height: number;
	theme: Theme;
	configPath?: string;
};

/** The keymap as it is in force, overrides included. */
export function HelpOverlay(props: HelpOverlayProps) {
	const {theme} = props;
	const lines = commands.map(command => ({
		keys: props.keys[command].map(key => displayKey(key)).join(' '),
		text: commandHelp[command],
	}));
	lines.push({keys: 'Esc', text: 'close / cancel / clear'});
	const columns = lines.length > props.height - 4 ? 2 : 1;
	const perColumn = Math.ceil(lines.length / columns);
	const columnWidth = Math.floor((props.width - 4) / columns);
	return (
		<Box flexDirection="column" borderStyle="round" borderColor={theme.borderFocused} width={props.width} height={props.height} paddingX={1}>
			<Text bold color={theme.accent}>
				berth — keys
			</Text>
			<Box>
				{Array.from({length: columns}, (_, column) => (
					<Box key={column} flexDirection="column" width={columnWidth}>
						{lines.slice(column * perColumn, (column + 1) * perColumn).map(line => (
							<Text key={line.text} wrap="truncate-end">
								<Text color={theme.accent}>{line.keys.padEnd(14)}</Text>
								{line.text}
							</Text>
						))}
					</Box>
				))}
			</Box>
			<Text color={theme.muted} wrap="truncate-end">
				Sort keys: again reverses, a third time restores the default order.
			</Text>
			<Text color={theme.muted} wrap="truncate-end">
				{props.configPath ? `Keys can be changed in ${props.configPath}. ` : ''}Esc or {displayKey(props.keys.help[0] ?? '?')} closes.
			</Text>
		</Box>
	);
}
