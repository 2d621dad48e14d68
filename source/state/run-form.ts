// The run form: a new container's options as fields to type into (`n`), or a container's own
// options to change for a copy or a replacement (`D`). Typing, moving between fields, completing
// the image, and turning the fields into run options (or the problems, next to their fields).
// Pure; the UI sends the request.
import {type CreateRequest, emptyRunOptions, fromInspect, type InspectedContainer, listToText, type RunField, type RunOptions, type RunProblems, textToList} from './run-options.ts';

export type FormField = {key: RunField | 'replace'; label: string; kind: 'text' | 'list' | 'toggle'; hint: string};

const fields: readonly FormField[] = [
	{key: 'image', label: 'image', kind: 'text', hint: 'Tab completes from the images here'},
	{key: 'name', label: 'name', kind: 'text', hint: 'empty: the engine names it'},
	{key: 'command', label: 'command', kind: 'list', hint: "empty: the image's own; quote words as in a shell"},
	{key: 'env', label: 'env', kind: 'list', hint: 'NAME=value NAME2="two words"'},
	{key: 'ports', label: 'ports', kind: 'list', hint: '8080:80 127.0.0.1:5353:53/udp'},
	{key: 'volumes', label: 'volumes', kind: 'list', hint: 'data:/var/lib/data /srv/conf:/etc/app:ro'},
	{key: 'restart', label: 'restart', kind: 'text', hint: 'no, always, unless-stopped, on-failure[:N]'},
	{key: 'network', label: 'network', kind: 'text', hint: 'none, host, bridge, or a network name'},
	{key: 'memory', label: 'memory', kind: 'text', hint: '512m, 1g'},
	{key: 'cpus', label: 'cpus', kind: 'text', hint: '0.5, 2'},
	{key: 'tty', label: 'tty', kind: 'toggle', hint: 'Space toggles: a terminal for the process'},
	{key: 'stdin', label: 'stdin', kind: 'toggle', hint: 'Space toggles: keep its input open'},
];

const replaceField: FormField = {key: 'replace', label: 'replace', kind: 'toggle', hint: 'Space toggles: replace the original, or make a copy beside it'};

export type RunForm = {
	mode: 'new' | 'duplicate';
	/** The container duplicated. */
	original?: {id: string; name: string; running: boolean};
	replace: boolean;
	texts: Readonly<Record<string, string>>;
	toggles: Readonly<{tty: boolean; stdin: boolean}>;
	focus: number;
	problems: RunProblems & {general?: string};
	/** What the fields do not show, carried over from the original (or berth run's defaults). */
	hidden: RunOptions;
	base?: CreateRequest;
	/** A request is on its way: keys wait. */
	sending: boolean;
};

export function formFields(form: RunForm): readonly FormField[] {
	return form.mode === 'duplicate' ? [replaceField, ...fields] : fields;
}

function textsOf(options: RunOptions): Record<string, string> {
	return {
		image: options.image,
		name: options.name,
		command: listToText(options.command),
		env: listToText(options.env),
		ports: listToText(options.ports),
		volumes: listToText(options.volumes),
		restart: options.restart,
		network: options.network,
		memory: options.memory,
		cpus: options.cpus,
	};
}

export function newForm(image = ''): RunForm {
	const options = {...emptyRunOptions(), image};
	return {mode: 'new', replace: false, texts: textsOf(options), toggles: {tty: false, stdin: false}, focus: 0, problems: {}, hidden: options, sending: false};
}

const copyName = (name: string) => `${name}-copy`;

/** The form filled from a container, for a copy under a new name (the default) or its replacement. */
export function duplicateForm(inspect: InspectedContainer & {Id: string; State?: {Running?: boolean}}): RunForm {
	const {options, base} = fromInspect(inspect, 'copy');
	const replacing = fromInspect(inspect, 'replace');
	return {
		mode: 'duplicate',
		original: {id: inspect.Id, name: options.name, running: Boolean(inspect.State?.Running)},
		replace: false,
		texts: {...textsOf(options), name: copyName(options.name)},
		toggles: {tty: options.tty, stdin: options.stdin},
		focus: 1,
		problems: {},
		// A replacement keeps compose's labels, a copy does not: both are kept, and the choice decides.
		hidden: options,
		base: {...base, Labels: replacing.base.Labels},
		sending: false,
	};
}

/** The labels for the request: a copy leaves compose's out. */
function labelsFor(form: RunForm): Record<string, string> {
	return form.mode === 'duplicate' && form.replace ? {...(form.base?.Labels as Record<string, string> | undefined)} : form.hidden.labels;
}

/** The fields as run options, or the problems with the ones that do not read. */
export function formOptions(form: RunForm): {options: RunOptions} | {problems: RunProblems} {
	const problems: RunProblems = {};
	const list = (key: 'command' | 'env' | 'ports' | 'volumes') => {
		const parsed = textToList(form.texts[key] ?? '');
		if ('error' in parsed) {
			problems[key] = parsed.error;
			return [];
		}

		return parsed.list;
	};

	const options: RunOptions = {
		...form.hidden,
		image: (form.texts.image ?? '').trim(),
		name: (form.texts.name ?? '').trim(),
		command: list('command'),
		env: list('env'),
		ports: list('ports'),
		volumes: list('volumes'),
		restart: (form.texts.restart ?? '').trim(),
		network: (form.texts.network ?? '').trim(),
		memory: (form.texts.memory ?? '').trim(),
		cpus: (form.texts.cpus ?? '').trim(),
		tty: form.toggles.tty,
		stdin: form.toggles.stdin,
		labels: labelsFor(form),
	};
	if (form.mode === 'duplicate' && !form.replace && form.original && options.name === form.original.name) problems.name = `${form.original.name} is the original's name: change it for a copy, or turn on replace`;
	return Object.keys(problems).length > 0 ? {problems} : {options};
}

export type FormKeyResult = {form: RunForm} | {submit: RunForm} | {cancel: true};

const printable = (name: string, input: string) => input.length > 0 && !name.startsWith('ctrl+') && !name.startsWith('alt+') && !/[\u0000-\u001F\u007F]/.test(input);

/** The longest common start of the candidates that begin with `text`, or the text itself. */
function completed(text: string, candidates: readonly string[]): string {
	const matching = [...new Set(candidates)].filter(candidate => candidate.startsWith(text) && candidate !== text);
	if (matching.length === 0) return text;
	let common = matching[0]!;
	for (const candidate of matching) while (!candidate.startsWith(common)) common = common.slice(0, -1);
	return common.length > text.length ? common : matching.length === 1 ? matching[0]! : text;
}

/** One key in the form; `images` are the names the image field completes from. */
export function formKey(form: RunForm, name: string, input: string, images: readonly string[] = []): FormKeyResult {
	if (form.sending) return {form};
	const all = formFields(form);
	const field = all[form.focus]!;
	const move = (by: number): FormKeyResult => ({form: {...form, focus: (form.focus + by + all.length) % all.length}});
	const setText = (text: string): FormKeyResult => ({form: {...form, texts: {...form.texts, [field.key]: text}, problems: {...form.problems, [field.key]: undefined, general: undefined}}});
	switch (name) {
		case 'esc': {
			return {cancel: true};
		}

		case 'enter': {
			return {submit: form};
		}

		case 'down': {
			return move(1);
		}

		case 'up':
		case 'shift+tab': {
			return move(-1);
		}

		case 'tab': {
			if (field.key === 'image') {
				const text = form.texts.image ?? '';
				const next = completed(text, images);
				if (next !== text) return setText(next);
			}

			return move(1);
		}
	}

	if (field.kind === 'toggle') {
		if (name !== ' ') return {form};
		if (field.key === 'replace') {
			const replace = !form.replace;
			const original = form.original?.name ?? '';
			// The name follows the choice while it is still the one berth put there.
			const current = form.texts.name ?? '';
			const nameText = replace && current === copyName(original) ? original : !replace && current === original ? copyName(original) : current;
			return {form: {...form, replace, texts: {...form.texts, name: nameText}, problems: {}}};
		}

		const key = field.key as 'tty' | 'stdin';
		return {form: {...form, toggles: {...form.toggles, [key]: !form.toggles[key]}}};
	}

	const text = form.texts[field.key] ?? '';
	if (name === 'backspace' || name === 'delete') return setText(text.slice(0, -1));
	if (name === 'ctrl+u') return setText('');
	if (name === 'ctrl+w') return setText(text.replace(/\S*\s*$/, ''));
	return printable(name, input) ? setText(text + input) : {form};
}

/** Which field a daemon's refusal is about, from its words ("Conflict. The container name …"). */
export function fieldOfRefusal(message: string): RunField | 'general' {
	const text = message.toLowerCase();
	if (/no such image|image .*not found|pull access denied|invalid reference format|repository/.test(text)) return 'image';
	if (/container name|name .*(in use|already)|invalid container name/.test(text)) return 'name';
	if (/\bports?\b|address already in use/.test(text)) return 'ports';
	if (/bind source|mount|volume|invalid mode/.test(text)) return 'volumes';
	if (/memory/.test(text)) return 'memory';
	if (/cpu/.test(text)) return 'cpus';
	if (/network/.test(text)) return 'network';
	if (/restart/.test(text)) return 'restart';
	if (/executable file not found|exec format|no such file or directory|starting container process|permission denied|cannot run/.test(text)) return 'command';
	return 'general';
}
