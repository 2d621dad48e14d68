// The command line: flags in, a plan out. Pure, so bad flags are tested without starting anything.
import {parseArgs} from 'node:util';
import {themeNames} from '../config/early-settings.ts';

export type CliPlan =
	| {kind: 'help'}
	| {kind: 'version'}
	| {kind: 'tui'; host?: string; context?: string; noColor?: boolean; theme?: string}
	| {kind: 'engine'; action: EngineAction}
	| {kind: 'client'; command: ClientCommand; args: string[]; host?: string; context?: string}
	| {kind: 'error'; message: string};

export const clientCommands = ['run', 'pull', 'push', 'load', 'import', 'logs'] as const;
export type ClientCommand = (typeof clientCommands)[number];

/** Where the command word is: the first argument that is not a global option or its value. */
function commandIndex(argv: string[]): number {
	for (let index = 0; index < argv.length; index++) {
		const argument = argv[index]!;
		if (argument === '--') return index + 1 < argv.length ? index + 1 : -1;
		if (argument === '-H' || argument === '--host' || argument === '-c' || argument === '--context') {
			index++;
			continue;
		}

		if (!argument.startsWith('-')) return index;
	}

	return -1;
}

export const engineActions = ['run', 'start', 'stop', 'status', 'dial-stdio'] as const;
export type EngineAction = (typeof engineActions)[number];

export const helpText = `berth — a keyboard-driven terminal UI for containers

Usage:
  berth [options]          open the interface
  berth engine start       start berth's own engine in the background
  berth engine stop        stop it (its running containers are stopped)
  berth engine status      pid, socket, version, isolation, counts
  berth engine run         run the engine in the foreground
  berth engine dial-stdio  bridge standard input and output to the engine's socket
                           (what ssh://host runs on a host with no docker CLI)
  berth run [OPTIONS] IMAGE [COMMAND...]
                           create and start a container (docker run's flags:
                           -d --rm -i -t -e -v --name -w -u --memory --cpus
                           --pids-limit --restart --network --label --entrypoint
                           --pull missing|always|never --platform OS/ARCH)
                           (an image not here is pulled first, as docker run)
  berth pull [-q] [--platform OS/ARCH] NAME[:TAG|@DIGEST]
                           pull an image from its registry (credentials from
                           docker login, in docker's config.json)
  berth push [-q] NAME[:TAG]
                           push an image to its registry (the same credentials)
  berth load [-i FILE]     load images from a docker save archive (or stdin)
  berth import FILE|- [REPOSITORY[:TAG]]
                           import a root-filesystem tarball as an image
  berth logs [-f] [--tail N] [--since T] [--until T] [-t] [--grep RE]
             CONTAINER... | -p PROJECT | --label K=V
                           print logs; several containers merged in time order
                           (berth logs --help for more)

Options:
  -H, --host URL   the engine to connect to: unix:///path, tcp://host:port or
                   ssh://user@host (default: $DOCKER_HOST, then $DOCKER_CONTEXT,
                   then docker's current context, then the local Docker
                   socket, then berth's own engine, started if needed)
  -c, --context NAME
                   a docker context (docker context ls), as docker --context
      --theme NAME dark (default), light (for light backgrounds) or none
      --no-color   no colours (as NO_COLOR=1): bold and inverse only
  -h, --help       show this help
  -v, --version    show berth's version

Environment:
  DOCKER_HOST        engine URL, as the docker CLI reads it
  DOCKER_CONTEXT     docker context to use when DOCKER_HOST is not set
  DOCKER_CONFIG      docker's config directory (default ~/.docker): contexts
  DOCKER_TLS_VERIFY  use TLS and verify the daemon (tcp:// hosts)
  DOCKER_CERT_PATH   directory with ca.pem, cert.pem and key.pem
  BERTH_CONFIG_DIR   where berth keeps config.json (keymap overrides, theme)
  NO_COLOR           no colours, as --no-color
  COLORFGBG          a light background here ("0;15") picks the light theme
  LANG, LC_ALL       a locale that is not UTF-8 (LANG=C) gets ASCII lines and marks

In berth, press ? for the keys.`;

export function parseCommandLine(argv: string[]): CliPlan {
	// A client command's own flags (berth run -e …) are its own: only what comes before it is berth's.
	const at = commandIndex(argv);
	const command = at === -1 ? undefined : argv[at];
	const isClient = command !== undefined && (clientCommands as readonly string[]).includes(command);
	const globalArgs = isClient ? argv.slice(0, at) : argv;
	let parsed;
	try {
		parsed = parseArgs({
			args: globalArgs,
			allowPositionals: true,
			strict: true,
			options: {
				host: {type: 'string', short: 'H'},
				context: {type: 'string', short: 'c'},
				'no-color': {type: 'boolean'},
				theme: {type: 'string'},
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
	if (values.host !== undefined && values.host.trim() === '') return {kind: 'error', message: 'option --host needs a URL'};
	if (values.context !== undefined && values.context.trim() === '') return {kind: 'error', message: 'option --context needs a context name'};
	if (values.host !== undefined && values.context !== undefined) return {kind: 'error', message: 'conflicting options: give --host or --context, not both'};
	const context = values.context === undefined ? {} : {context: values.context};
	if (isClient) return {kind: 'client', command: command as ClientCommand, args: argv.slice(at + 1), host: values.host, ...context};

	if (positionals[0] === 'engine') {
		const action = positionals[1];
		if (!action) return {kind: 'error', message: `berth engine needs one of: ${engineActions.join(', ')}`};
		if (!(engineActions as readonly string[]).includes(action)) return {kind: 'error', message: `unknown engine command "${action}" (one of: ${engineActions.join(', ')})`};
		if (positionals.length > 2) return {kind: 'error', message: `berth engine ${action} takes no arguments`};
		if (values.host !== undefined || values.context !== undefined) return {kind: 'error', message: 'berth engine commands act on this machine\'s engine: --host and --context do not apply'};
		return {kind: 'engine', action: action as EngineAction};
	}

	if (positionals.length > 0) return {kind: 'error', message: `unknown command "${positionals[0]}"`};
	if (values.theme !== undefined && !(themeNames as readonly string[]).includes(values.theme)) return {kind: 'error', message: `unknown theme "${values.theme}" (one of: ${themeNames.join(', ')})`};
	const looks = {...(values['no-color'] ? {noColor: true} : {}), ...(values.theme === undefined ? {} : {theme: values.theme})};
	return {kind: 'tui', host: values.host, ...context, ...looks};
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
