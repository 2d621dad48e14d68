// The command line: flags in, a plan out. Pure, so bad flags are tested without starting anything.
import {parseArgs} from 'node:util';

export type CliPlan =
	| {kind: 'help'}
	| {kind: 'version'}
	| {kind: 'tui'; host?: string}
	| {kind: 'error'; message: string};

export const helpText = `berth — a keyboard-driven terminal UI for containers

Usage:
  berth [options]

Options:
  -H, --host URL   the engine to connect to: unix:///path, tcp://host:port or
                   ssh://user@host (default: $DOCKER_HOST, then the local
                   Docker socket)
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
