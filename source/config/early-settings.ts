// Settings needed before conf (and the rest of the UI) loads, read straight from the config
// file: the theme, for the first frame, and the host the switcher last chose, for the connection.
// The path is conf's own: $BERTH_CONFIG_DIR, else $XDG_CONFIG_HOME/berth, else ~/.config/berth.
// A missing or broken file reads as empty here; loadConfig reports what is wrong with it.
import {readFileSync} from 'node:fs';
import path from 'node:path';

type Env = Record<string, string | undefined>;

/** The values "theme" (and --theme) take. */
export const themeNames = ['dark', 'light', 'none'] as const;
export type ThemeName = (typeof themeNames)[number];

export function configFilePath(env: Env): string {
	const directory = env.BERTH_CONFIG_DIR || path.join(env.XDG_CONFIG_HOME || path.join(env.HOME ?? '', '.config'), 'berth');
	return path.join(directory, 'config.json');
}

export type EarlySettings = {theme?: string; lastHost?: string; hosts: Record<string, string>};

export function readEarlySettings(env: Env): EarlySettings {
	let raw: Record<string, unknown>;
	try {
		raw = JSON.parse(readFileSync(configFilePath(env), 'utf8')) as Record<string, unknown>;
	} catch {
		return {hosts: {}};
	}

	const hosts: Record<string, string> = {};
	if (raw.hosts && typeof raw.hosts === 'object' && !Array.isArray(raw.hosts)) {
		for (const [name, value] of Object.entries(raw.hosts)) if (typeof value === 'string') hosts[name] = value;
	}

	return {
		theme: typeof raw.theme === 'string' ? raw.theme : undefined,
		lastHost: typeof raw.lastHost === 'string' ? raw.lastHost : undefined,
		hosts,
	};
}
