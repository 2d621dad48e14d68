// Runs a program for a job (a compose action, a custom command) with its output streamed as it
// comes, stdout and stderr interleaved, no shell between, and cancellable: the program gets
// SIGTERM, then SIGKILL if it lingers.
import {execa} from 'execa';

export type JobEnd = {ok: boolean; text: string};

export async function runJob(command: readonly string[], options: {env?: Record<string, string | undefined>; cwd?: string; signal: AbortSignal; onOutput(text: string): void}): Promise<JobEnd> {
	const [program, ...args] = command;
	if (!program) return {ok: false, text: 'nothing to run'};
	const shown = command.join(' ');
	const subprocess = execa(program, args, {
		env: options.env,
		cwd: options.cwd,
		cancelSignal: options.signal,
		forceKillAfterDelay: 5000,
		all: true,
		buffer: false,
		reject: false,
		stdin: 'ignore',
		// Colour and progress bars are for terminals; the pane shows plain lines.
		extendEnv: true,
	});
	subprocess.all?.setEncoding('utf8');
	subprocess.all?.on('data', (text: string) => options.onOutput(text));
	const result = await subprocess;
	if (result.isCanceled) return {ok: false, text: `cancelled: ${shown}`};
	if (result.failed && result.exitCode === undefined) return {ok: false, text: `${program} could not run: ${result.originalMessage ?? result.shortMessage}`};
	return result.exitCode === 0 ? {ok: true, text: `done: ${shown}`} : {ok: false, text: `${shown} failed with exit code ${result.exitCode}`};
}
