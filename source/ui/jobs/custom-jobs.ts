// Runs one of the user's own commands on the selected object: its template filled in word by
// word (labels read from the engine when the template names them), then either handed the
// terminal, as a shell is, or run as a job with its output in the details pane. Never through a
// shell: the words are the program's arguments as they are.
import {execa} from 'execa';
import type {EngineClient} from '../../client/engine-client.ts';
import type {Container} from '../../state/container.ts';
import {projectOf} from '../../state/compose.ts';
import {joinCommand} from '../../shared/argv.ts';
import {containerValues, type CustomCommand, expandTemplate, imageValues, networkValues, projectValues, type TemplateValues, volumeValues} from '../../state/hands-on/custom-commands.ts';
import type {Item} from '../../state/list.ts';
import type {ImageItem} from '../../state/panels/images.ts';
import type {NetworkItem} from '../../state/panels/networks.ts';
import type {VolumeItem} from '../../state/panels/volumes.ts';
import type {TerminalOwner} from '../sessions/hand-over.ts';
import {waitForKey} from '../sessions/run-session.ts';
import type {JobContext} from './jobs.ts';

export type CustomContext = JobContext & {client: EngineClient; owner?: TerminalOwner};

const usesLabels = (command: CustomCommand) => command.command.some(word => /\{\{\s*\.Labels\./.test(word));

async function valuesFor(context: CustomContext, command: CustomCommand, items: readonly Item[]): Promise<TemplateValues> {
	const host = context.client.url;
	switch (command.scope) {
		case 'container': {
			const container = items[0] as Container;
			const labels = usesLabels(command) ? ((await context.client.containers.inspect(container.id)) as {Config?: {Labels?: Record<string, string>}}).Config?.Labels ?? {} : undefined;
			return containerValues(container, host, labels);
		}

		case 'image': {
			return imageValues(items[0] as ImageItem, host);
		}

		case 'volume': {
			const volume = items[0] as VolumeItem;
			const labels = usesLabels(command) ? ((await context.client.volumes.inspect(volume.name)) as {Labels?: Record<string, string> | null}).Labels ?? {} : undefined;
			return volumeValues(volume, host, labels ?? undefined);
		}

		case 'network': {
			return networkValues(items[0] as NetworkItem, host);
		}

		case 'project': {
			const members = items as Container[];
			return projectValues(projectOf(members[0]!.project ?? '', members), host);
		}
	}
}

export async function runCustomCommand(context: CustomContext, command: CustomCommand, items: readonly Item[]): Promise<void> {
	let argv: string[];
	try {
		argv = expandTemplate(command.command, await valuesFor(context, command, items));
	} catch (error) {
		context.notice(`${command.name}: ${(error as Error).message}`, 'error');
		return;
	}

	if (!command.terminal) {
		context.start(command.name, argv, {env: context.hostEnv});
		return;
	}

	if (!context.owner || context.owner.busy()) {
		context.notice(`${command.name}: no terminal to hand over here`, 'error');
		return;
	}

	const text = await context.owner.handOver(async terminal => {
		const say = (line: string) => terminal.output.write(`\u001B[0m\u001B[1m[berth]\u001B[22m ${line}\r\n`);
		say(`${command.name}: ${joinCommand(argv)}`);
		// The program has the terminal as a shell would give it: cooked, unless it asks otherwise.
		if (terminal.input.isTTY) terminal.input.setRawMode(false);
		const result = await execa(argv[0]!, argv.slice(1), {stdio: 'inherit', env: context.hostEnv, reject: false});
		const how = result.failed && result.exitCode === undefined ? `could not run: ${result.originalMessage ?? result.shortMessage}` : `exited with code ${result.exitCode}`;
		say(`${how}; a key returns to berth`);
		await waitForKey(terminal);
		return `${command.name}: ${how}`;
	});
	context.notice(text, /code 0$/.test(text) ? 'success' : 'error');
}
