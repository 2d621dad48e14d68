// Commands of the user's own, from the config file: a name, an optional key, a scope (what kind of
// row it applies to), a command template and whether it needs the terminal. A template is a list
// of words; `{{.Field}}` in a word is replaced by the selected object's field, inside that one
// word, so a value holding spaces, quotes or `; rm -rf ~` stays one argument and no shell ever
// reads it. Pure.
import type {Container} from '../container.ts';
import type {CommandSpec} from '../commands.ts';
import type {ImageItem} from '../panels/images.ts';
import type {NetworkItem} from '../panels/networks.ts';
import type {PanelKind} from '../panels/panel.ts';
import type {VolumeItem} from '../panels/volumes.ts';
import {splitCommand} from '../../shared/argv.ts';

export const customScopes = ['container', 'image', 'volume', 'network', 'project'] as const;
export type CustomScope = (typeof customScopes)[number];

export type CustomCommand = {
	name: string;
	key?: string;
	scope: CustomScope;
	/** The template's words. */
	command: readonly string[];
	/** Hands the terminal over (an interactive program); otherwise the output goes to the details pane. */
	terminal: boolean;
};

/** The fields each scope offers to templates (Labels.KEY besides, where the object has labels). */
export const scopeFields: Record<CustomScope, readonly string[]> = {
	container: ['ID', 'Name', 'Image', 'State', 'Project', 'Service', 'Host'],
	image: ['ID', 'Name', 'Host'],
	volume: ['Name', 'Driver', 'Mountpoint', 'Host'],
	network: ['ID', 'Name', 'Driver', 'Host'],
	project: ['Project', 'WorkingDir', 'ConfigFiles', 'Host'],
};

const hasLabels: Record<CustomScope, boolean> = {container: true, image: false, volume: true, network: false, project: false};

/** The panel whose rows a scope's commands apply to. */
export const panelOfScope: Record<CustomScope, PanelKind> = {container: 'containers', image: 'images', volume: 'volumes', network: 'networks', project: 'containers'};

const placeholder = /\{\{\s*\.([A-Za-z]+)(?:\.([^\s}]+))?\s*\}\}/g;

/** Why a template cannot be used in its scope, or undefined. */
export function templateProblem(words: readonly string[], scope: CustomScope): string | undefined {
	for (const word of words) {
		for (const match of word.matchAll(placeholder)) {
			const [, field, key] = match;
			if (field === 'Labels' && key && hasLabels[scope]) continue;
			if (key || !scopeFields[scope].includes(field!)) return `{{.${field}${key ? `.${key}` : ''}}} is not a field of ${scope === 'image' ? 'an' : 'a'} ${scope} (${[...scopeFields[scope], ...(hasLabels[scope] ? ['Labels.KEY'] : [])].join(', ')})`;
		}

		const rest = word.replace(placeholder, '');
		if (rest.includes('{{')) return `"${word}": a placeholder is written {{.Field}}`;
	}

	return undefined;
}

export type TemplateValues = {fields: Readonly<Record<string, string>>; labels?: Readonly<Record<string, string>>};

/** The words with the values put in, each word staying one argument. */
export function expandTemplate(words: readonly string[], values: TemplateValues): string[] {
	return words.map(word => word.replace(placeholder, (_all, field: string, key?: string) => (field === 'Labels' && key ? (values.labels?.[key] ?? '') : (values.fields[field] ?? ''))));
}

export function containerValues(container: Container, host: string, labels?: Record<string, string>): TemplateValues {
	return {
		fields: {ID: container.id, Name: container.name, Image: container.image, State: container.state, Project: container.project ?? '', Service: container.compose?.service ?? '', Host: host},
		labels,
	};
}

export function imageValues(image: ImageItem, host: string): TemplateValues {
	return {fields: {ID: image.imageId, Name: image.name === '<none>:<none>' ? image.imageId : image.name, Host: host}};
}

export function volumeValues(volume: VolumeItem, host: string, labels?: Record<string, string>): TemplateValues {
	return {fields: {Name: volume.name, Driver: volume.driver, Mountpoint: volume.mountpoint, Host: host}, labels};
}

export function networkValues(network: NetworkItem, host: string): TemplateValues {
	return {fields: {ID: network.id, Name: network.name, Driver: network.driver, Host: host}};
}

export function projectValues(project: {name: string; workingDir?: string; configFiles: readonly string[]}, host: string): TemplateValues {
	return {fields: {Project: project.name, WorkingDir: project.workingDir ?? '', ConfigFiles: project.configFiles.join(','), Host: host}};
}

/** The config's "commands", checked: the usable ones, and a sentence for each that is not. */
export function readCustomCommands(value: unknown, file: string): {commands: CustomCommand[]; problems: string[]} {
	const commands: CustomCommand[] = [];
	const problems: string[] = [];
	if (value === undefined) return {commands, problems};
	if (!Array.isArray(value)) return {commands, problems: [`"commands" in ${file} must be a list of {"name", "command", "scope", "key", "terminal"}`]};
	for (const [index, entry] of value.entries()) {
		const where = `commands[${index}]`;
		if (typeof entry !== 'object' || entry === null) {
			problems.push(`${where} must be an object`);
			continue;
		}

		const {name, key, scope = 'container', command, terminal = false} = entry as Record<string, unknown>;
		if (typeof name !== 'string' || name.trim() === '') {
			problems.push(`${where} needs a "name"`);
			continue;
		}

		if (!(customScopes as readonly unknown[]).includes(scope)) {
			problems.push(`${where} (${name}): "scope" must be one of ${customScopes.join(', ')}`);
			continue;
		}

		let words: string[] | undefined;
		if (Array.isArray(command) && command.length > 0 && command.every(word => typeof word === 'string')) words = command as string[];
		else if (typeof command === 'string') {
			const split = splitCommand(command);
			if ('error' in split) {
				problems.push(`${where} (${name}): ${split.error}`);
				continue;
			}

			words = split.argv;
		}

		if (!words || words.length === 0) {
			problems.push(`${where} (${name}): "command" must be a command line or a list of words`);
			continue;
		}

		const problem = templateProblem(words, scope as CustomScope);
		if (problem) {
			problems.push(`${where} (${name}): ${problem}`);
			continue;
		}

		if (key !== undefined && (typeof key !== 'string' || key === '')) {
			problems.push(`${where} (${name}): "key" must be a key name ("I", "ctrl+t")`);
			continue;
		}

		commands.push({name: name.trim(), ...(typeof key === 'string' ? {key} : {}), scope: scope as CustomScope, command: words, terminal: terminal === true});
	}

	return {commands, problems};
}

export const customCommandName = (index: number) => `custom.${index}`;

/** Each custom command as the keymap knows commands: in force in its scope's panel, with its key if it has one. */
export function customCommandSpecs(commands: readonly CustomCommand[]): CommandSpec[] {
	return commands.map((command, index) => ({name: customCommandName(index), scopes: [panelOfScope[command.scope]], keys: command.key ? [command.key] : [], help: command.name}));
}

/** The custom commands that apply in a panel, with their indexes, in config order. */
export function customCommandsIn(commands: readonly CustomCommand[], panel: PanelKind): Array<{index: number; command: CustomCommand}> {
	return commands.flatMap((command, index) => (panelOfScope[command.scope] === panel ? [{index, command}] : []));
}
