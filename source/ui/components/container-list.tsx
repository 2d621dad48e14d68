import {Box, Text} from 'ink';
import React from 'react';
import {headerCells, joinCells, layoutColumns, rowCells} from '../../state/columns.ts';
import type {Row, RowMetrics, Sort} from '../../state/rows.ts';
import type {ActionVerb} from '../../state/view.ts';
import type {Theme} from '../theme.ts';

export type ContainerListProps = {
	rows: Row[];
	selectedId?: string;
	top: number;
	/** Lines available for rows (the header excluded). */
	height: number;
	/** Inner width, borders excluded. */
	width: number;
	focused: boolean;
	pending: Readonly<Record<string, ActionVerb>>;
	now: number;
	theme: Theme;
	title: string;
	filter: string;
	filterEditing: boolean;
	emptyText: string;
	sort?: Sort;
	metrics?: ReadonlyMap<string, RowMetrics>;
};

/** The list pane. Only the rows in the window are laid out; the rest cost nothing. */
function ContainerListView(props: ContainerListProps) {
	const {rows, top, height, width, theme} = props;
	const widths = layoutColumns(width - 2);
	const header = headerCells(widths, props.sort);
	const visible = rows.slice(top, top + height);

	return (
		<Box flexDirection="column" borderStyle="round" borderColor={props.focused ? theme.borderFocused : theme.border} width={width + 2} height={height + 4}>
			<Box height={1} width={width}>
				<Text wrap="truncate-end">
					<Text bold>{props.title}</Text>
					{props.filterEditing || props.filter ? (
						<Text color={theme.accent}>
							{'  /'}
							{props.filter}
							{props.filterEditing ? '▏' : ''}
						</Text>
					) : null}
				</Text>
			</Box>
			<Box height={1} width={width}>
				<Text wrap="truncate-end" color={theme.muted}>
					{'  '}
					{joinCells(header, widths)}
				</Text>
			</Box>
			{visible.length === 0 ? (
				<Text color={theme.muted}>{`  ${props.emptyText}`}</Text>
			) : (
				visible.map(row => {
					if (row.kind === 'group') {
						return (
							<Box key={row.key} height={1} width={width}>
								<Text wrap="truncate-end" color={theme.accent} bold>
									{`▾ ${row.project}`}
									<Text color={theme.muted} bold={false}>{`  ${row.running}/${row.total} running`}</Text>
								</Text>
							</Box>
						);
					}

					const {container} = row;
					const selected = container.id === props.selectedId;
					const pending = props.pending[container.id];
					const cells = rowCells(container, widths, props.now, pending, props.metrics?.get(container.id));
					const highlight = selected && props.focused ? theme.selection : undefined;
					return (
						<Box key={row.key} height={1} width={width}>
							<Text wrap="truncate-end" {...highlight} bold={selected}>
								{selected ? '▸ ' : '  '}
								{cells.name} {cells.image}{' '}
								<Text color={highlight ? undefined : pending ? theme.progress : theme.state[container.state]}>{cells.state}</Text> {cells.status}
								{widths.cpu ? ` ${cells.cpu} ${cells.memory}` : ''}
								{widths.ports ? ` ${cells.ports}` : ''}
							</Text>
						</Box>
					);
				})
			)}
		</Box>
	);
}

/** Drawn again only when its props change (a stats reading redraws the details, not the list). */
export const ContainerList = React.memo(ContainerListView);
