// The three ways into a running container, each with the terminal handed over: a shell (`e`),
// one command (`E`), and an attach to the main process (`a`). Each says on the terminal what it
// is and how to get back, and reports how it ended in berth's status line.
import type {EngineClient, Session} from '../../client/engine-client.ts';
import type {Container} from '../../state/container.ts';
import {joinCommand} from '../../shared/argv.ts';
import {describeDetachKeys, parseDetachKeys} from '../../state/hands-on/detach-keys.ts';
import {configuredShell, type ConfiguredShells} from '../../state/hands-on/shells.ts';
import type {TerminalOwner, RealTerminal} from './hand-over.ts';
import {runSession, type SessionEnd, waitForKey} from './run-session.ts';

export type SessionContext = {
	client: EngineClient;
	owner: TerminalOwner;
	notice(text: string, tone: 'progress' | 'success' | 'error', id?: number): number;
	/** Offers to run one command instead (a container with no shell). */
	offerCommand(container: Container, why: string): void;
	shells: ConfiguredShells;
	detachKeys: string;
};

const say = (terminal: RealTerminal, text: string) => terminal.output.write(`\u001B[0m\u001B[1m[berth]\u001B[22m ${text}\r\n`);

const running = (container: Container) => container.state === 'running';

function notRunning(context: SessionContext, container: Container, what: string): boolean {
	if (running(container)) return false;
	context.notice(`${container.name} is ${container.state === 'paused' ? 'paused' : 'not running'}: no ${what}`, 'error');
	return true;
}

function describeEnd(name: string, what: string, end: SessionEnd): {text: string; tone: 'success' | 'error'} {
	if (end.how === 'cut') return {text: `${what} in ${name} cut off: ${end.cut}`, tone: 'error'};
	if (end.how === 'detached') return {text: `detached from ${name}; it keeps running`, tone: 'success'};
	// The stream ended but the process did not: the connection went, not the process.
	if (end.exitCode === undefined) return {text: `${what} in ${name}: the connection to the engine ended; it may still run there`, tone: 'error'};
	return {text: `${what} in ${name} ended (exit code ${end.exitCode})`, tone: end.exitCode ? 'error' : 'success'};
}

/** An exec with a TTY on the handed-over terminal; `after` runs before berth takes it back. */
async function execOn(context: SessionContext, terminal: RealTerminal, container: Container, command: readonly string[], after?: (end: SessionEnd) => Promise<void>): Promise<SessionEnd> {
	const {columns, rows} = terminal.size();
	let session: Session;
	try {
		session = await context.client.containers.exec(container.id, {command, tty: true, columns, rows});
	} catch (error) {
		return {how: 'cut', cut: (error as Error).message};
	}

	const end = await runSession(session, terminal);
	await after?.(end);
	return end;
}

/**
 * The terminal is taken at once, before anything is asked of the engine: what the user types
 * next is for the container (it waits until the session reads it), never a key for berth's list.
 */
async function withTerminal<T>(context: SessionContext, work: (terminal: RealTerminal) => Promise<T>): Promise<T | undefined> {
	if (context.owner.busy()) return undefined;
	try {
		return await context.owner.handOver(work);
	} catch (error) {
		context.notice((error as Error).message, 'error');
		return undefined;
	}
}

export async function openShell(context: SessionContext, container: Container): Promise<void> {
	if (notRunning(context, container, 'shell')) return;
	const outcome = await withTerminal(context, async (terminal): Promise<SessionEnd | {noShell: string}> => {
		let command = configuredShell(context.shells, container);
		if (!command) {
			say(terminal, `looking for a shell in ${container.name}…`);
			let found: string | undefined;
			try {
				found = await context.client.containers.findShell(container.id);
			} catch (error) {
				return {how: 'cut', cut: (error as Error).message};
			}

			if (!found) return {noShell: `${container.name} has no shell (no bash, ash or sh)`};
			command = [found];
		}

		say(terminal, `shell in ${container.name} (${joinCommand(command)}); exit it to return to berth`);
		return execOn(context, terminal, container, command);
	});
	if (!outcome) return;
	if ('noShell' in outcome) {
		context.notice(outcome.noShell, 'error');
		context.offerCommand(container, `${container.name} has no shell; run a command instead:`);
		return;
	}

	const {text, tone} = describeEnd(container.name, 'shell', outcome);
	// A shell's last command's exit code is no failure of berth's.
	context.notice(text, outcome.how === 'ended' && outcome.exitCode !== undefined ? 'success' : tone);
}

export async function runOneCommand(context: SessionContext, container: Container, command: readonly string[]): Promise<void> {
	if (notRunning(context, container, 'command run')) return;
	const shown = joinCommand(command);
	const end = await withTerminal(context, async terminal => {
		say(terminal, `in ${container.name}: ${shown}`);
		return execOn(context, terminal, container, command, async ended => {
			const how = ended.how === 'cut' ? `cut off: ${ended.cut}` : ended.exitCode === undefined ? 'ended' : `exited with code ${ended.exitCode}`;
			say(terminal, `${how}; a key returns to berth`);
			await waitForKey(terminal);
		});
	});
	if (!end) return;
	const {text, tone} = describeEnd(container.name, shown, end);
	context.notice(text, tone);
}

export async function attachTo(context: SessionContext, container: Container): Promise<void> {
	if (notRunning(context, container, 'attach')) return;
	const parsed = parseDetachKeys(context.detachKeys);
	const keys = 'bytes' in parsed ? context.detachKeys : 'ctrl-p,ctrl-q';
	const bytes = 'bytes' in parsed ? parsed.bytes : [16, 17];
	const end = await withTerminal(context, async (terminal): Promise<SessionEnd> => {
		let opened;
		try {
			opened = await context.client.containers.attach(container.id, keys);
		} catch (error) {
			return {how: 'cut', cut: (error as Error).message};
		}

		const {session, info} = opened;
		say(terminal, `attached to ${container.name}; ${describeDetachKeys(keys)} detaches, leaving it running`);
		if (!info.openStdin) say(terminal, 'it has no open input: only Ctrl-C (an interrupt) reaches it');
		else if (!info.tty) say(terminal, 'it has no terminal: what you type goes to it a line at a time');
		if (info.tty) {
			const {columns, rows} = terminal.size();
			void session.resize(columns, rows);
		}

		return runSession(session, terminal, {
			detach: bytes,
			interrupt: () => void context.client.containers.signal(container.id, 'SIGINT').catch(() => undefined),
		});
	});
	if (!end) return;
	const {text, tone} = describeEnd(container.name, 'attach', end);
	if (end.how !== 'ended') context.notice(text, tone);
	else if (end.exitCode === undefined) context.notice(`attach to ${container.name} ended; it keeps running`, 'success');
	else context.notice(`${container.name} stopped (exit code ${end.exitCode}); attach ended`, end.exitCode === 0 ? 'success' : 'error');
}
