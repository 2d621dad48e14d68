// Colours by meaning, not by name, in three sets: for dark backgrounds (the default), for light
// ones, and none at all (NO_COLOR, --no-color), where only bold and inverse remain. Pure.
import type {ThemeName} from '../config/early-settings.ts';
import type {ContainerState} from '../state/container.ts';

type Colour = string | undefined;

export type Theme = {
	name: ThemeName;
	state: Record<ContainerState, Colour>;
	accent: Colour;
	muted: Colour;
	error: Colour;
	success: Colour;
	progress: Colour;
	selection: {color?: string; backgroundColor?: string; inverse?: boolean};
	border: Colour;
	borderFocused: Colour;
	/** Whether container output keeps its own colours and log levels are coloured. */
	colour: boolean;
};

export type {ThemeName} from '../config/early-settings.ts';

export const darkTheme: Theme = {
	name: 'dark',
	state: {running: 'green', paused: 'yellow', restarting: 'yellow', created: 'cyan', exited: 'gray', dead: 'red', removing: 'magenta'},
	accent: 'cyan',
	muted: 'gray',
	error: 'red',
	success: 'green',
	progress: 'yellow',
	selection: {color: 'black', backgroundColor: 'cyan'},
	border: 'gray',
	borderFocused: 'cyan',
	colour: true,
};

/** Dark text colours that stay readable on white: no yellow, no cyan, no light gray. */
export const lightTheme: Theme = {
	name: 'light',
	state: {running: 'green', paused: 'magenta', restarting: 'magenta', created: 'blue', exited: 'blackBright', dead: 'red', removing: 'magenta'},
	accent: 'blue',
	muted: 'blackBright',
	error: 'red',
	success: 'green',
	progress: 'magenta',
	selection: {color: 'white', backgroundColor: 'blue'},
	border: 'blackBright',
	borderFocused: 'blue',
	colour: true,
};

export const monochromeTheme: Theme = {
	name: 'none',
	state: {running: undefined, paused: undefined, restarting: undefined, created: undefined, exited: undefined, dead: undefined, removing: undefined},
	accent: undefined,
	muted: undefined,
	error: undefined,
	success: undefined,
	progress: undefined,
	selection: {inverse: true},
	border: undefined,
	borderFocused: undefined,
	colour: false,
};

type Env = Record<string, string | undefined>;

/**
 * NO_COLOR (any non-empty value, see no-color.org) or --no-color win; then --theme or the config
 * file's "theme"; then a terminal that says its background is light (COLORFGBG="0;15", as rxvt,
 * Konsole and others set it); else dark.
 */
export function chooseTheme(options: {noColor?: boolean; theme?: string}, env: Env): Theme {
	if (options.noColor || (env.NO_COLOR ?? '') !== '') return monochromeTheme;
	if (options.theme === 'light') return lightTheme;
	if (options.theme === 'dark') return darkTheme;
	if (options.theme === 'none') return monochromeTheme;
	const background = Number((env.COLORFGBG ?? '').split(';').at(-1));
	return background === 7 || background === 15 ? lightTheme : darkTheme;
}

/** The colour a tone stands for in a theme. */
export function toneColour(theme: Theme, tone: string | undefined): string | undefined {
	if (!tone) return undefined;
	if (tone.startsWith('state.')) return theme.state[tone.slice(6) as ContainerState];
	switch (tone) {
		case 'accent': {
			return theme.accent;
		}

		case 'muted': {
			return theme.muted;
		}

		case 'error': {
			return theme.error;
		}

		case 'success': {
			return theme.success;
		}

		case 'progress': {
			return theme.progress;
		}

		default: {
			return undefined;
		}
	}
}
