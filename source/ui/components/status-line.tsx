import {Box, Text} from 'ink';
import React from 'react';
import type {Notice} from '../../state/screen.ts';
import type {Theme} from '../theme.ts';

export type StatusLineProps = {
	width: number;
	notice?: Notice;
	/** A question that waits for an answer takes the whole line. */
	question?: string;
	/** A value being typed: its label, the text so far, and what it could complete to. */
	input?: {label: string; text: string; candidates?: string[]};
	hints: string;
	theme: Theme;
};

/** The bottom line: a question or a field being typed, else the latest notice, else the keys that fit what is on screen. */
function StatusLineView(props: StatusLineProps) {
	const {theme} = props;
	if (props.question) {
		return (
			<Box height={1} width={props.width}>
				<Text wrap="truncate-end" backgroundColor={theme.error} color="white" bold>
					{` ${props.question} `.padEnd(props.width)}
				</Text>
			</Box>
		);
	}

	if (props.input) {
		const {label, text, candidates} = props.input;
		return (
			<Box height={1} width={props.width}>
				<Text wrap="truncate-end">
					<Text color={theme.accent} bold>
						{label === ':' ? ':' : `${label}: `}
					</Text>
					{text}
					<Text inverse> </Text>
					{candidates && candidates.length > 0 ? <Text color={theme.muted}>{`   ${candidates.join('  ')}`}</Text> : null}
				</Text>
			</Box>
		);
	}

	const noticeColor = props.notice?.tone === 'error' ? theme.error : props.notice?.tone === 'success' ? theme.success : theme.progress;
	return (
		<Box height={1} width={props.width}>
			<Text wrap="truncate-end">{props.notice ? <Text color={noticeColor}>{props.notice.text}</Text> : <Text color={theme.muted}>{props.hints}</Text>}</Text>
		</Box>
	);
}

/** Drawn again only when its props change (a stats reading redraws the details, not the list). */
export const StatusLine = React.memo(StatusLineView);
