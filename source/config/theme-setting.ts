// The "theme" setting, read straight from the config file without conf: the first frame is
// drawn before conf (and the rest of the UI) loads, and must use the colours the UI will use.
// The path is conf's own: $BERTH_CONFIG_DIR, else $XDG_CONFIG_HOME/berth, else ~/.config/berth.
import {readFileSync} from 'node:fs';
import path from 'node:path';

type Env = Record<string, string | undefined>;

export function configFilePath(env: Env): string {
	const directory = env.BERTH_CONFIG_DIR || path.join(env.XDG_CONFIG_HOME || path.join(env.HOME ?? '', '.config'), 'berth');
	return path.join(directory, 'config.json');
}

/** The "theme" value as written, or undefined when the file or the key is missing or unreadable (conf reports those). */
export function readThemeSetting(env: Env): string | undefined {
	try {
		const value = (JSON.parse(readFileSync(configFilePath(env), 'utf8')) as {theme?: unknown}).theme;
		return typeof value === 'string' ? value : undefined;
	} catch {
		return undefined;
	}
}
