// berth's configuration file, through conf: ~/.config/berth/config.json (or $BERTH_CONFIG_DIR).
// A broken file is reported and left alone; berth then runs on its defaults.
import Conf from 'conf';

export type BerthConfig = {
	/** Keymap overrides: command name to a key or a list of keys. */
	keys: Record<string, unknown>;
	/** Lines the log view keeps (older ones are fetched again from the engine when scrolled to). */
	logLines: number;
	/** "dark", "light" or "none"; read for the first frame by theme-setting.ts. */
	theme?: string;
};

export const defaultLogLines = 50_000;

export type LoadedConfig = {config: BerthConfig; path?: string; problems: string[]};

export function loadConfig(env: Record<string, string | undefined> = process.env): LoadedConfig {
	let store: Conf<Partial<BerthConfig>>;
	try {
		store = new Conf<Partial<BerthConfig>>({
			projectName: 'berth',
			projectSuffix: '',
			cwd: env.BERTH_CONFIG_DIR || undefined,
			configName: 'config',
			clearInvalidConfig: false,
		});
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
	if (theme !== undefined && !['dark', 'light', 'none'].includes(theme as string)) problems.push(`"theme" in ${store.path} must be "dark", "light" or "none"`);

	const keys = store.get('keys');
	if (keys !== undefined && (typeof keys !== 'object' || keys === null || Array.isArray(keys))) {
		problems.push(`"keys" in ${store.path} must be an object of command names to keys`);
		return {config: {keys: {}, logLines}, path: store.path, problems};
	}

	return {config: {keys: (keys as Record<string, unknown>) ?? {}, logLines}, path: store.path, problems};
}
