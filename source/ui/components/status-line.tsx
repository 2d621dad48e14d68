import {Box, Text} from 'ink';
import React from 'react';
import type {Connection, Notice} from '../../state/view.ts';
import type {Theme} from '../theme.ts';

export type StatusLineProps = {
	width: number;
	host: string;
	running: number;
	total: number;
	connection: Connection;
	notice?: Notice;
	/** A question that waits for an answer takes the whole line. */
	prompt?: string;
	hints: string;
	theme: Theme;
};

export function StatusLine(props: StatusLineProps) {
	const {theme} = props;
	if (props.prompt) {
		return (
			<Box height={1} width={props.width}>
				<Text wrap="truncate-end" backgroundColor={theme.error} color="white" bold>
					{` ${props.prompt} `.padEnd(props.width)}
				</Text>
			</Box>
		);
	}

	const connection =
		props.connection === 'connected' ? `${props.running}/${props.total} running` : props.connection === 'connecting' ? 'connecting…' : 'disconnected — retrying';
	const noticeColor = props.notice?.tone === 'error' ? theme.error : props.notice?.tone === 'success' ? theme.success : theme.progress;
	return (
		<Box height={1} width={props.width}>
			<Text wrap="truncate-end">
				<Text color={theme.accent}>{props.host}</Text>
				<Text color={theme.muted}> · </Text>
				<Text color={props.connection === 'disconnected' ? theme.error : undefined}>{connection}</Text>
				<Text color={theme.muted}> │ </Text>
				{props.notice ? <Text color={noticeColor}>{props.notice.text}</Text> : <Text color={theme.muted}>{props.hints}</Text>}
			</Text>
		</Box>
	);
}
