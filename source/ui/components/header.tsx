import {Box, Text} from 'ink';
import React from 'react';
import type {Connection} from '../../state/screen.ts';
import type {Theme} from '../theme.ts';

export type HeaderProps = {
	width: number;
	/** "Docker 20.10.24", "berth engine 0.1.0". */
	engine: string;
	host: string;
	running: number;
	total: number;
	connection: Connection;
	/** The machine's CPUs and memory, and the containers' use of them where the engine reports it. */
	resources?: string;
	theme: Theme;
};

/** One line: which engine this is, how many containers run, where, and what the machine has (cut first when narrow). */
function HeaderView(props: HeaderProps) {
	const {theme} = props;
	const counts =
		props.connection === 'connected' ? `${props.running}/${props.total} running` : props.connection === 'connecting' ? 'connecting…' : 'disconnected — retrying';
	const separator = <Text color={theme.muted}> │ </Text>;
	return (
		<Box height={1} width={props.width}>
			<Text wrap="truncate-end">
				<Text bold color={theme.accent}>
					{props.engine}
				</Text>
				{separator}
				<Text color={props.connection === 'disconnected' ? theme.error : undefined} bold={props.connection === 'disconnected'}>
					{counts}
				</Text>
				{separator}
				<Text color={theme.muted}>{props.host}</Text>
				{props.resources ? (
					<>
						{separator}
						<Text>{props.resources}</Text>
					</>
				) : null}
			</Text>
		</Box>
	);
}

/** Drawn again only when its props change (a stats reading redraws the details, not the list). */
export const Header = React.memo(HeaderView);
