// The command line: flags in, a plan out. Pure, so bad flags are tested without starting anything.
import {parseArgs} from 'node:util';

export type CliPlan =
	| {kind: 'help'}
	| {kind: 'version'}
	| {kind: 'tui'; host?: string}
	| {kind: 'engine'; action: EngineAction}
	| {kind: 'error'; message: string};

export const engineActions = ['run', 'start', 'stop', 'status'] as const;
export type EngineAction = (typeof engineActions)[number];

export const helpText = `berth — a keyboard-driven terminal UI for containers

Usage:
  berth [options]          open the interface
  berth engine start       start berth's own engine in the background
  berth engine stop        stop it (its running containers are stopped)
  berth engine status      pid, socket, version, isolation, counts
  berth engine run         run the engine in the foreground

Options:
  -H, --host URL   the engine to connect to: unix:///path, tcp://host:port or
                   ssh://user@host (default: $DOCKER_HOST, then the local
                   Docker socket, then berth's own engine, started if needed)
  -h, --help       show this help
  -v, --version    show berth's version

Environment:
  DOCKER_HOST        engine URL, as the docker CLI reads it
  DOCKER_TLS_VERIFY  use TLS and verify the daemon (tcp:// hosts)
  DOCKER_CERT_PATH   directory with ca.pem, cert.pem and key.pem
  BERTH_CONFIG_DIR   where berth keeps config.json (keymap overrides)

In berth, press ? for the keys.`;

export function parseCommandLine(argv: string[]): CliPlan {
	let parsed;
	try {
		parsed = parseArgs({
			args: argv,
			allowPositionals: true,
			strict: true,
			options: {
				host: {type: 'string', short: 'H'},
				help: {type: 'boolean', short: 'h'},
				version: {type: 'boolean', short: 'v'},
			},
		});
	} catch (error) {
		return {kind: 'error', message: cleanParseError(error)};
	}

	const {values, positionals} = parsed;
	if (values.help) return {kind: 'help'};
	if (values.version) return {kind: 'version'};
	if (positionals[0] === 'engine') {
		const action = positionals[1];
		if (!action) return {kind: 'error', message: `berth engine needs one of: ${engineActions.join(', ')}`};
		if (!(engineActions as readonly string[]).includes(action)) return {kind: 'error', message: `unknown engine command "${action}" (one of: ${engineActions.join(', ')})`};
		if (positionals.length > 2) return {kind: 'error', message: `berth engine ${action} takes no arguments`};
		if (values.host !== undefined) return {kind: 'error', message: 'berth engine commands act on this machine\'s engine: --host does not apply'};
		return {kind: 'engine', action: action as EngineAction};
	}

	if (positionals.length > 0) return {kind: 'error', message: `unknown command "${positionals[0]}"`};
	if (values.host !== undefined && values.host.trim() === '') return {kind: 'error', message: 'option --host needs a URL'};
	return {kind: 'tui', host: values.host};
}

/** Node's messages name internals ("ERR_PARSE_ARGS_UNKNOWN_OPTION"); keep the sentence a user needs. */
function cleanParseError(error: unknown): string {
	const message = (error as Error).message ?? String(error);
	const unknown = /Unknown option '([^']+)'/.exec(message);
	if (unknown) return `unknown option ${unknown[1]}`;
	const missing = /Option '([^']+)' argument missing/.exec(message);
	if (missing) return `option ${missing[1]?.replace(/^-\w, /, '').replace(/ <\w+>$/, '')} needs a value`;
	return message.split('\n')[0] ?? message;
}
