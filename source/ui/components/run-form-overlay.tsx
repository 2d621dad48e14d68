import {Box, Text} from 'ink';
import React from 'react';
import {formFields, type RunForm} from '../../state/run-form.ts';
import type {Theme} from '../theme.ts';

export type RunFormOverlayProps = {form: RunForm; width: number; height: number; theme: Theme};

/** The run form: one line per field with what it holds, the focused field's hint, problems beside their fields. */
function RunFormOverlayView(props: RunFormOverlayProps) {
	const {form, theme} = props;
	const inner = props.width - 4;
	const labelWidth = 9;
	const fields = formFields(form);
	const focused = fields[form.focus]!;
	const title =
		form.mode === 'new' ? 'Run a container' : form.replace ? `Replace ${form.original?.name ?? ''}: stop it, start this in its place` : `Copy of ${form.original?.name ?? ''}`;
	return (
		<Box flexDirection="column" borderStyle="round" borderColor={theme.borderFocused} width={props.width} height={props.height} paddingX={1}>
			<Text bold color={theme.accent} wrap="truncate-end">
				{title}
			</Text>
			{fields.map((field, index) => {
				const selected = index === form.focus;
				const value =
					field.kind === 'toggle'
						? `[${(field.key === 'replace' ? form.replace : form.toggles[field.key as 'tty' | 'stdin']) ? 'x' : ' '}]${field.key === 'replace' ? (form.replace ? ` replace ${form.original?.name ?? ''}` : ' keep the original, make a copy') : ''}`
						: `${form.texts[field.key] ?? ''}${selected ? '▏' : ''}`;
				const problem = form.problems[field.key as keyof typeof form.problems];
				return (
					<Box key={field.key} flexDirection="column">
						<Text wrap="truncate-start" {...(selected ? theme.selection : {})}>
							{`${selected ? '▸' : ' '} ${field.label.padEnd(labelWidth)}`}
							{value}
						</Text>
						{problem ? (
							<Box paddingLeft={labelWidth + 2} width={inner}>
								<Text color={theme.error} wrap="wrap">
									{problem}
								</Text>
							</Box>
						) : null}
					</Box>
				);
			})}
			<Box flexGrow={1} />
			{form.problems.general ? (
				<Text color={theme.error} wrap="truncate-end">
					{form.problems.general}
				</Text>
			) : null}
			<Text color={theme.muted} wrap="truncate-end">
				{form.sending ? 'sending…' : focused.hint}
			</Text>
			<Text color={theme.muted} wrap="truncate-end">
				↑ ↓ Tab move · Enter {form.mode === 'new' ? 'create and start' : form.replace ? 'replace' : 'create the copy'} · Esc cancel
			</Text>
		</Box>
	);
}

export const RunFormOverlay = React.memo(RunFormOverlayView);
