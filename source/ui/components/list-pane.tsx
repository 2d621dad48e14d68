import {Box, Text} from 'ink';
import React from 'react';
import {rowMark, type ListPaneView, listPaneLines} from '../list-rows.ts';
import {toneColour, type Theme} from '../theme.ts';

/** `height` is the lines for rows (the title and header excluded), `width` the inner width. */
export type ListPaneProps = ListPaneView & {focused: boolean; theme: Theme};

/** The list pane of any panel. Only the rows in the window are laid out; the rest cost nothing. */
function ListPaneComponent(props: ListPaneProps) {
	const {width, theme} = props;
	const view = listPaneLines(props);
	return (
		<Box flexDirection="column" borderStyle="round" borderColor={props.focused ? theme.borderFocused : theme.border} width={width + 2} height={props.height + 4}>
			<Box height={1} width={width}>
				<Text wrap="truncate-end">
					<Text bold>{props.title}</Text>
					{view.filter === undefined ? null : <Text color={theme.accent}>{view.filter}</Text>}
				</Text>
			</Box>
			<Box height={1} width={width}>
				<Text wrap="truncate-end" color={theme.muted}>
					{view.header}
				</Text>
			</Box>
			{view.rows.length === 0 ? (
				<Text color={props.problem ? theme.error : theme.muted}>{`  ${view.empty}`}</Text>
			) : (
				view.rows.map(row => {
					if (row.kind === 'group') {
						const highlight = row.selected && props.focused ? theme.selection : undefined;
						return (
							<Box key={row.key} height={1} width={width}>
								<Text wrap="truncate-end" {...(highlight ?? {color: theme.accent})} bold>
									{`${row.selected ? '▸' : '▾'} ${row.group}`}
									{/* Padded to the width, so that the selection's colour runs the whole row as an item's does. */}
									<Text color={highlight ? undefined : theme.muted} bold={false}>{`  ${row.detail}`.padEnd(Math.max(0, width - row.group.length - 2))}</Text>
								</Text>
							</Box>
						);
					}

					const highlight = row.selected && props.focused ? theme.selection : undefined;
					const mark = rowMark(row);
					return (
						<Box key={row.key} height={1} width={width}>
							<Text wrap="truncate-end" {...highlight} bold={row.selected || row.marked}>
								{row.selected ? '▸' : ' '}
								<Text color={highlight ? undefined : row.outcome ? (row.outcome.ok ? theme.success : theme.error) : row.marked ? theme.accent : undefined}>{mark}</Text>
								{row.cells.map((cell, index) => (
									<Text key={index} color={highlight ? undefined : (toneColour(theme, cell.tone) ?? (row.marked ? theme.accent : undefined))}>
										{index === 0 ? cell.text : ` ${cell.text}`}
									</Text>
								))}
							</Text>
						</Box>
					);
				})
			)}
		</Box>
	);
}

/** Drawn again only when its props change (a stats reading redraws the details, not the list). */
export const ListPane = React.memo(ListPaneComponent);
