// berth's configuration file, through conf: ~/.config/berth/config.json (or $BERTH_CONFIG_DIR).
// A broken file is reported and left alone; berth then runs on its defaults.
import Conf from 'conf';
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
		return {config: {keys: {}, logLines: defaultLogLines}, problems: [`config file not read: ${(error as Error).message.split('\n')[0]}`]};
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

	const extras = {...(hosts ? {hosts} : {}), ...(typeof theme === 'string' ? {theme} : {})};

	const keys = store.get('keys');
	if (keys !== undefined && (typeof keys !== 'object' || keys === null || Array.isArray(keys))) {
		problems.push(`"keys" in ${store.path} must be an object of command names to keys`);
		return {config: {keys: {}, logLines, ...extras}, path: store.path, problems};
	}

	return {config: {keys: (keys as Record<string, unknown>) ?? {}, logLines, ...extras}, path: store.path, problems};
}
