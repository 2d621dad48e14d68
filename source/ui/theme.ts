// Colours by meaning, not by name, so a light theme (and NO_COLOR) can come in one place.
import type {ContainerState} from '../state/container.ts';

export type Theme = {
	state: Record<ContainerState, string>;
	accent: string;
	muted: string;
	error: string;
	success: string;
	progress: string;
	selection: {color: string; backgroundColor: string};
	border: string;
	borderFocused: string;
};

export const darkTheme: Theme = {
	state: {
		running: 'green',
		paused: 'yellow',
		restarting: 'yellow',
		created: 'cyan',
		exited: 'gray',
		dead: 'red',
		removing: 'magenta',
	},
	accent: 'cyan',
	muted: 'gray',
	error: 'red',
	success: 'green',
	progress: 'yellow',
	selection: {color: 'black', backgroundColor: 'cyan'},
	border: 'gray',
	borderFocused: 'cyan',
};
