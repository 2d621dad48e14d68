// The one job at a time berth runs for the user (a compose action, a custom command): started
// with its output going into the details pane, cancellable, and reported in the status line.
import {finishJob, type Job, jobOutput, startJob} from '../../state/jobs.ts';
import {runJob} from './run-job.ts';

export type JobContext = {
	notice(text: string, tone: 'progress' | 'success' | 'error', id?: number): number;
	/** Where the docker CLI must point for the host berth is on. */
	hostEnv: Record<string, string | undefined>;
	start(title: string, command: readonly string[], options?: {cwd?: string; env?: Record<string, string | undefined>}): void;
};

export type JobRunner = {
	start(title: string, command: readonly string[], options?: {cwd?: string; env?: Record<string, string | undefined>}): void;
	cancel(): void;
	running(): boolean;
};

/** Runs jobs one at a time, keeping their state through `update` (batched: output comes fast). */
export function jobRunner(update: (change: (job: Job | undefined) => Job | undefined) => void, notice: JobContext['notice'], nextId: () => number): JobRunner {
	let abort: AbortController | undefined;
	return {
		start(title, command, options = {}) {
			if (abort) {
				notice('another command is still running: Esc or Ctrl-C cancels it', 'error');
				return;
			}

			const id = nextId();
			const controller = new AbortController();
			abort = controller;
			update(() => startJob(id, title));
			const noticeId = notice(`${title}…`, 'progress');
			let pending = '';
			let timer: NodeJS.Timeout | undefined;
			const flush = () => {
				timer = undefined;
				const text = pending;
				pending = '';
				if (text) update(job => (job?.id === id ? jobOutput(job, text) : job));
			};

			void runJob(command, {
				...options,
				signal: controller.signal,
				onOutput(text) {
					pending += text;
					timer ??= setTimeout(flush, 30);
				},
			}).then(end => {
				if (timer) clearTimeout(timer);
				flush();
				abort = undefined;
				update(job => (job?.id === id ? finishJob(job, end.ok, end.text) : job));
				notice(end.ok ? `${title}: done` : `${title}: ${end.text}`, end.ok ? 'success' : 'error', noticeId);
			});
		},
		cancel() {
			abort?.abort();
		},
		running: () => abort !== undefined,
	};
}
