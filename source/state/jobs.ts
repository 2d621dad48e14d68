// A command berth runs on the user's behalf without handing over the terminal (a compose action,
// a custom command): its output as lines for the details pane, progress lines that rewrite
// themselves with a carriage return kept as one, colours taken out, and how it ended. Pure.

export type Job = {
	id: number;
	title: string;
	lines: readonly string[];
	/** The line being written (no newline yet). */
	partial: string;
	running: boolean;
	outcome?: {ok: boolean; text: string};
};

const keptLines = 2000;
// eslint-disable-next-line no-control-regex
const escapes = /\u001B(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001B]*(?:\u0007|\u001B\\)|[@-Z\\-_])/g;

export function startJob(id: number, title: string): Job {
	return {id, title, lines: [], partial: '', running: true};
}

export function jobOutput(job: Job, text: string): Job {
	const clean = text.replace(escapes, '');
	const lines = [...job.lines];
	let partial = job.partial;
	for (const piece of clean.split(/(\r\n|\n|\r)/)) {
		if (piece === '\n' || piece === '\r\n') {
			lines.push(partial);
			partial = '';
		} else if (piece === '\r') {
			// A progress line starts again: what follows replaces it.
			partial = '';
		} else {
			partial += piece;
		}
	}

	return {...job, lines: lines.length > keptLines ? lines.slice(-keptLines) : lines, partial};
}

export function finishJob(job: Job, ok: boolean, text: string): Job {
	const lines = job.partial ? [...job.lines, job.partial] : job.lines;
	return {...job, lines, partial: '', running: false, outcome: {ok, text}};
}

/** What the details pane shows: the output, then how it ended or how to cancel it. */
export function jobLines(job: Job, cancelKeys: string): string[] {
	const lines = job.partial ? [...job.lines, job.partial] : [...job.lines];
	lines.push('', job.outcome ? job.outcome.text : `running… ${cancelKeys} cancels`);
	return lines;
}
