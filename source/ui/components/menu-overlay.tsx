import {Box, Text} from 'ink';
import React from 'react';
import {displayKey} from '../keymap.ts';
import type {Theme} from '../theme.ts';

export type MenuEntry = {label: string; key?: string; detail: string};

export type MenuOverlayProps = {title: string; entries: MenuEntry[]; selected: number; width: number; height: number; theme: Theme};

/** A list to pick one entry from (the user's own commands), with each entry's key where it has one. */
function MenuOverlayView(props: MenuOverlayProps) {
	const {theme, entries} = props;
	const inner = props.width - 4;
	const fit = (text: string, width: number) => (text.length <= width ? text.padEnd(width) : `${text.slice(0, width - 1)}…`);
	const keyWidth = Math.max(3, ...entries.map(entry => (entry.key ? displayKey(entry.key).length : 0)));
	const detailWidth = Math.min(28, Math.floor(inner / 3));
	const labelWidth = Math.max(8, inner - keyWidth - detailWidth - 4);
	const rows = Math.max(1, props.height - 5);
	const top = Math.max(0, Math.min(props.selected - rows + 1, entries.length - rows));
	return (
		<Box flexDirection="column" borderStyle="round" borderColor={theme.borderFocused} width={props.width} height={props.height} paddingX={1}>
			<Text bold color={theme.accent} wrap="truncate-end">
				{props.title}
			</Text>
			{entries.slice(top, top + rows).map((entry, offset) => {
				const index = top + offset;
				const selected = index === props.selected;
				return (
					<Text key={index} wrap="truncate-end" {...(selected ? theme.selection : {})} bold={selected}>
						{selected ? '▸ ' : '  '}
						{fit(entry.key ? displayKey(entry.key) : '', keyWidth)} {fit(entry.label, labelWidth)}{' '}
						<Text color={selected ? undefined : theme.muted}>{fit(entry.detail, detailWidth)}</Text>
					</Text>
				);
			})}
			<Box flexGrow={1} />
			<Text color={theme.muted} wrap="truncate-end">
				Your commands are in the config file, under "commands".
			</Text>
		</Box>
	);
}

export const MenuOverlay = React.memo(MenuOverlayView);
