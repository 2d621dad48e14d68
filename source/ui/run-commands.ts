// Carries out a panel's commands that are not row actions: open the logs, a shell, a command or
// an attach, tag, pull and prune images, prune volumes and networks, pause the events. Each
// reports in the status line.
import type {Dispatch} from 'react';
import type {EngineClient} from '../client/engine-client.ts';
import type {Container} from '../state/container.ts';
import type {Item} from '../state/list.ts';
import type {ImageItem} from '../state/panels/images.ts';
import {formatSize, type PanelKind} from '../state/panels/panel.ts';
import {applyPullMessage, finishPull, type PullProgress, startPull} from '../state/pull-progress.ts';
import type {Notice, ScreenEvent} from '../state/screen.ts';
import {splitCommand} from '../shared/argv.ts';
import {attachTo, openShell, runOneCommand, type SessionContext} from './sessions/container-sessions.ts';
import {runCompose} from './jobs/compose-jobs.ts';
import type {JobContext} from './jobs/jobs.ts';
import type {ComposeAction} from '../state/compose.ts';

export type CommandContext = {
	client: EngineClient;
	dispatch: Dispatch<ScreenEvent>;
	/** Shows a notice; returns its id, so that a later one can replace it. */
	notice(text: string, tone: Notice['tone'], id?: number): number;
	openLogs(containers: Container[]): void;
	/** The pull in progress (or just done), for the details pane to show. */
	setPull(update: (current: PullProgress | undefined) => PullProgress | undefined): void;
	/** Sessions in containers, where there is a terminal to hand over. */
	sessions?: SessionContext;
	/** Commands run for the user with their output in the details pane. */
	jobs: JobContext;
};

const composeCommands: Record<string, ComposeAction> = {
	composeUp: 'up',
	composeDown: 'down',
	composePull: 'pull',
	composeBuild: 'build',
	composeRestart: 'restart',
	composeRecreate: 'recreate',
};

export type PanelRun = {panel: PanelKind; command: string; items: Item[]; input?: string; choice?: string};

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

async function pull(context: CommandContext, reference: string): Promise<void> {
	const id = context.notice(`pulling ${reference}…`, 'progress');
	context.setPull(() => startPull(reference));
	try {
		await context.client.images.pull(reference, message => context.setPull(current => (current?.reference === reference ? applyPullMessage(current, message) : current)));
		context.setPull(current => (current?.reference === reference ? finishPull(current) : current));
		context.notice(`pulled ${reference}`, 'success', id);
	} catch (error) {
		context.setPull(current => (current?.reference === reference ? finishPull(current, (error as Error).message) : current));
		context.notice(`pull ${reference} failed: ${(error as Error).message}`, 'error', id);
	}
}

async function prune(context: CommandContext, what: string, work: () => Promise<{deleted: number; reclaimed: number}>, noun: [string, string]): Promise<void> {
	const id = context.notice(`pruning ${what}…`, 'progress');
	try {
		const {deleted, reclaimed} = await work();
		context.notice(`pruned ${plural(deleted, noun[0], noun[1])}${reclaimed > 0 || noun[0] !== 'network' ? `, reclaimed ${formatSize(reclaimed) || '0B'}` : ''}`, 'success', id);
	} catch (error) {
		context.notice(`prune ${what} failed: ${(error as Error).message}`, 'error', id);
	}
}

export function runPanelCommand(context: CommandContext, run: PanelRun): void {
	const {client} = context;
	switch (`${run.panel}.${run.command}`) {
		case 'containers.logs':
		case 'containers.logsAll': {
			if (run.items.length > 0) context.openLogs(run.items as Container[]);
			return;
		}

		case 'containers.shell':
		case 'containers.exec':
		case 'containers.attach': {
			const container = run.items[0] as Container | undefined;
			if (!container) return;
			if (!context.sessions) {
				context.notice('no terminal to hand over here', 'error');
				return;
			}

			if (run.command === 'shell') void openShell(context.sessions, container);
			else if (run.command === 'attach') void attachTo(context.sessions, container);
			else {
				const split = splitCommand(run.input ?? '');
				if ('error' in split) context.notice(`not run: ${split.error}`, 'error');
				else if (split.argv.length > 0) void runOneCommand(context.sessions, container, split.argv);
			}

			return;
		}

		case 'containers.composeUp':
		case 'containers.composeDown':
		case 'containers.composePull':
		case 'containers.composeBuild':
		case 'containers.composeRestart':
		case 'containers.composeRecreate': {
			const members = run.items as Container[];
			if (members.length === 0) return;
			const action = composeCommands[run.command]!;
			const service = action === 'restart' || action === 'recreate' ? members[0]!.compose?.service : undefined;
			void runCompose(context.jobs, action, members, service);
			return;
		}

		case 'images.tag': {
			const image = run.items[0] as ImageItem | undefined;
			if (!image || !run.input) return;
			const reference = run.input;
			client.images.tag(image.imageId, reference).then(
				() => context.notice(`tagged ${image.name === '<none>:<none>' ? image.reference : image.name} as ${reference}`, 'success'),
				(error: Error) => context.notice(`tag failed: ${error.message}`, 'error'),
			);
			return;
		}

		case 'images.pull': {
			if (run.input) void pull(context, run.input);
			return;
		}

		case 'images.prune': {
			const mode = run.choice === 'unused' ? 'unused' : 'dangling';
			void prune(context, mode === 'unused' ? 'unused images' : 'dangling images', () => client.images.prune(mode), ['image', 'images']);
			return;
		}

		case 'volumes.prune': {
			void prune(context, 'volumes', () => client.volumes.prune(), ['volume', 'volumes']);
			return;
		}

		case 'networks.prune': {
			void prune(context, 'networks', () => client.networks.prune(), ['network', 'networks']);
			return;
		}

		case 'events.pauseEvents': {
			context.dispatch({type: 'events-pause'});
			return;
		}

		default: {
			context.notice(`${run.command} is not available here`, 'error');
		}
	}
}
