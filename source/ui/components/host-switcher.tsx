import {Box, Text} from 'ink';
import React from 'react';
import type {HostCandidate, Probe} from '../../client/connect/host-candidates.ts';
import type {Theme} from '../theme.ts';

export type HostSwitcherProps = {
	candidates: HostCandidate[];
	probes: ReadonlyMap<string, Probe>;
	selected: number;
	currentKey?: string;
	/** Shown at the bottom while a switch is under way or after one failed. */
	status?: string;
	width: number;
	height: number;
	theme: Theme;
};

/** Every engine berth can reach from here, with whether it answers and as what. */
function HostSwitcherView(props: HostSwitcherProps) {
	const {theme, candidates} = props;
	const inner = props.width - 4;
	const labelWidth = Math.min(24, Math.max(...candidates.map(candidate => candidate.label.length), 6) + 2);
	const statusWidth = Math.min(34, Math.floor(inner / 3));
	const urlWidth = Math.max(8, inner - labelWidth - statusWidth - 4);
	const fit = (text: string, width: number) => (text.length <= width ? text.padEnd(width) : `${text.slice(0, width - 1)}…`);
	const rows = Math.max(1, props.height - 6);
	const top = Math.max(0, Math.min(props.selected - rows + 1, candidates.length - rows));
	return (
		<Box flexDirection="column" borderStyle="round" borderColor={theme.borderFocused} width={props.width} height={props.height} paddingX={1}>
			<Text bold color={theme.accent}>
				Hosts — Enter switches, Esc closes
			</Text>
			<Text color={theme.muted}>{`  ${fit('NAME', labelWidth)} ${fit('ADDRESS', urlWidth)} ${'STATUS'}`}</Text>
			{candidates.slice(top, top + rows).map((candidate, offset) => {
				const index = top + offset;
				const probe = props.probes.get(candidate.key) ?? {state: 'checking'};
				const status = probe.state === 'up' ? probe.engine : probe.state === 'down' ? probe.reason : 'checking…';
				const selected = index === props.selected;
				const current = candidate.key === props.currentKey;
				return (
					<Text key={candidate.key} wrap="truncate-end" {...(selected ? theme.selection : {})} bold={selected}>
						{selected ? '▸ ' : '  '}
						{fit(`${candidate.label}${current ? ' *' : ''}`, labelWidth)} {fit(candidate.endpoint?.url ?? '-', urlWidth)}{' '}
						<Text color={selected ? undefined : probe.state === 'up' ? theme.success : probe.state === 'down' ? theme.error : theme.muted}>{fit(status, statusWidth)}</Text>
					</Text>
				);
			})}
			<Box flexGrow={1} />
			<Text color={theme.muted} wrap="truncate-end">
				{props.status ?? '* the host in use. Hosts of your own go in the config file: "hosts": {"name": "ssh://user@host"}.'}
			</Text>
		</Box>
	);
}

export const HostSwitcher = React.memo(HostSwitcherView);
