import {Box, Text} from 'ink';
import React from 'react';
import type {Theme} from '../theme.ts';

export type DetailsPaneProps = {
	tabs: readonly string[];
	tab: number;
	lines: string[];
	/** Index of the first line shown. */
	top: number;
	/** Lines available for content. */
	height: number;
	width: number;
	focused: boolean;
	theme: Theme;
	/** Shown right of the tabs: "following", "line 20/340". */
	position: string;
	title: string;
};

function DetailsPaneView(props: DetailsPaneProps) {
	const {theme, width, height} = props;
	const visible = props.lines.slice(props.top, props.top + height);
	return (
		<Box flexDirection="column" borderStyle="round" borderColor={props.focused ? theme.borderFocused : theme.border} width={width + 2} height={height + 4}>
			<Box height={1} width={width}>
				<Text wrap="truncate-end">
					<Text bold>{props.title}</Text>
				</Text>
			</Box>
			<Box height={1} width={width} justifyContent="space-between">
				<Text wrap="truncate-end">
					{props.tabs.map((name, index) => (
						<Text key={name} inverse={index === props.tab} color={index === props.tab ? theme.accent : undefined}>
							{` ${name} `}
						</Text>
					))}
				</Text>
				<Text color={theme.muted}>{props.position}</Text>
			</Box>
			{visible.map((line, index) => (
				// eslint-disable-next-line react/no-array-index-key
				<Box key={index} height={1} width={width}>
					<Text wrap="truncate-end">{line === '' ? ' ' : line}</Text>
				</Box>
			))}
		</Box>
	);
}

/** Drawn again only when its props change (a stats reading redraws the details, not the list). */
export const DetailsPane = React.memo(DetailsPaneView);
