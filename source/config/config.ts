// berth's configuration file, through conf: ~/.config/berth/config.json (or $BERTH_CONFIG_DIR).
// A broken file is reported and left alone; berth then runs on its defaults.
import {readFileSync} from 'node:fs';
import {homedir} from 'node:os';
import path from 'node:path';
import Conf from 'conf';
import {splitCommand} from '../shared/argv.ts';
import {defaultDetachKeys, parseDetachKeys} from '../state/hands-on/detach-keys.ts';
import type {ConfiguredShells} from '../state/hands-on/shells.ts';
import {type CustomCommand, readCustomCommands} from '../state/hands-on/custom-commands.ts';
import {themeNames} from './early-settings.ts';

export type BerthConfig = {
	/** Keymap overrides: command name to a key or a list of keys. */
	keys: Record<string, unknown>;
	/** Lines the log view keeps (older ones are fetched again from the engine when scrolled to). */
	logLines: number;
	/** "dark", "light" or "none"; read for the first frame by early-settings.ts. */
	theme?: string;
	/** Hosts to offer in the switcher, by name: {"prod": "ssh://me@prod"}. */
	hosts?: Record<string, string>;
	/** The switcher's last choice (a candidate key), used when nothing more explicit names a host. */
	lastHost?: string;
	/** Shells by container name or image pattern: {"postgres*": "bash -l"}; others are detected. */
	shells: ConfiguredShells;
	/** The keys that leave an attached container running ("ctrl-p,ctrl-q"). */
	detachKeys: string;
	/** The user's own commands. */
	commands: CustomCommand[];
};

export const defaultLogLines = 50_000;

export type LoadedConfig = {config: BerthConfig; path?: string; problems: string[]};

function openStore(env: Record<string, string | undefined>): Conf<Partial<BerthConfig>> {
	return new Conf<Partial<BerthConfig>>({
		projectName: 'berth',
		projectSuffix: '',
		cwd: env.BERTH_CONFIG_DIR || undefined,
		configName: 'config',
		clearInvalidConfig: false,
	});
}

/** Remembers the switcher's choice in the config file; false (and nothing written) when the file cannot be written. */
export function saveLastHost(key: string, env: Record<string, string | undefined> = process.env): boolean {
	try {
		openStore(env).set('lastHost', key);
		return true;
	} catch {
		return false;
	}
}

export function loadConfig(env: Record<string, string | undefined> = process.env): LoadedConfig {
	let store: Conf<Partial<BerthConfig>>;
	try {
		store = openStore(env);
	} catch (error) {
		return {config: defaultConfig(), problems: [`config file not read: ${(error as Error).message.split('\n')[0]}`]};
	}

	const problems: string[] = [];
	let logLines = defaultLogLines;
	const configuredLines = store.get('logLines');
	if (configuredLines !== undefined) {
		if (typeof configuredLines === 'number' && Number.isInteger(configuredLines) && configuredLines >= 100 && configuredLines <= 10_000_000) logLines = configuredLines;
		else problems.push(`"logLines" in ${store.path} must be a whole number from 100 to 10000000; using ${defaultLogLines}`);
	}

	const theme = store.get('theme');
	if (theme !== undefined && !(themeNames as readonly unknown[]).includes(theme)) problems.push(`"theme" in ${store.path} must be one of: ${themeNames.join(', ')}`);

	let hosts = store.get('hosts');
	if (hosts !== undefined && (typeof hosts !== 'object' || hosts === null || Array.isArray(hosts) || Object.values(hosts).some(value => typeof value !== 'string'))) {
		problems.push(`"hosts" in ${store.path} must be an object of names to host URLs ({"prod": "ssh://me@prod"})`);
		hosts = undefined;
	}

	const shells = readShells(store.get('shells'), store.path, problems);
	const detachKeys = readDetachKeys(store.get('detachKeys'), store.path, problems, env);
	const custom = readCustomCommands(store.get('commands'), store.path);
	problems.push(...custom.problems);
	const extras = {...(hosts ? {hosts} : {}), ...(typeof theme === 'string' ? {theme} : {}), shells, detachKeys, commands: custom.commands};

	const keys = store.get('keys');
	if (keys !== undefined && (typeof keys !== 'object' || keys === null || Array.isArray(keys))) {
		problems.push(`"keys" in ${store.path} must be an object of command names to keys`);
		return {config: {keys: {}, logLines, ...extras}, path: store.path, problems};
	}

	return {config: {keys: (keys as Record<string, unknown>) ?? {}, logLines, ...extras}, path: store.path, problems};
}

export const defaultConfig = (): BerthConfig => ({keys: {}, logLines: defaultLogLines, shells: [], detachKeys: defaultDetachKeys, commands: []});

/** A command as the config gives it: a string split as a shell would (without one), or a list of words. */
export function readCommand(value: unknown): string[] | undefined {
	if (Array.isArray(value) && value.length > 0 && value.every(word => typeof word === 'string')) return value as string[];
	if (typeof value !== 'string') return undefined;
	const split = splitCommand(value);
	return 'argv' in split && split.argv.length > 0 ? split.argv : undefined;
}

function readShells(value: unknown, file: string, problems: string[]): ConfiguredShells {
	if (value === undefined) return [];
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		problems.push(`"shells" in ${file} must be an object of name or image patterns to shells ({"postgres*": "bash -l"})`);
		return [];
	}

	const shells: Array<{pattern: string; command: string[]}> = [];
	for (const [pattern, shell] of Object.entries(value)) {
		const command = readCommand(shell);
		if (command) shells.push({pattern, command});
		else problems.push(`"shells" in ${file}: the shell for "${pattern}" must be a command ("bash -l" or ["bash", "-l"])`);
	}

	return shells;
}

/** berth's own setting, else the docker CLI's (detachKeys in its config.json), else docker's default. */
function readDetachKeys(value: unknown, file: string, problems: string[], env: Record<string, string | undefined>): string {
	if (value !== undefined) {
		const parsed = typeof value === 'string' ? parseDetachKeys(value) : {error: 'it must be a string'};
		if ('bytes' in parsed) return value as string;
		problems.push(`"detachKeys" in ${file}: ${parsed.error}; using ${defaultDetachKeys}`);
		return defaultDetachKeys;
	}

	try {
		const dockerConfig = JSON.parse(readFileSync(path.join(env.DOCKER_CONFIG || path.join(homedir(), '.docker'), 'config.json'), 'utf8')) as {detachKeys?: unknown};
		if (typeof dockerConfig.detachKeys === 'string' && 'bytes' in parseDetachKeys(dockerConfig.detachKeys)) return dockerConfig.detachKeys;
	} catch {
		// No docker CLI config: docker's default.
	}

	return defaultDetachKeys;
}
