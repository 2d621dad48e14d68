// Dockerfile instructions that change an image's configuration, one line each, as `docker commit
// --change` and `docker import --change` send them: CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, USER,
// VOLUME, WORKDIR and STOPSIGNAL, with dockerd's forms (exec form as a JSON list, shell form
// run by /bin/sh -c; KEY=value pairs with quotes, or the old "KEY value").
import {splitCommand} from '../../shared/argv.ts';
import type {ImageConfig} from '../images.ts';

export class InstructionError extends Error {}

/** Words as a Dockerfile splits them: a shell's quoting, without its expansions (the same rules as a typed command). */
export function words(text: string): string[] {
	const split = splitCommand(text);
	if ('error' in split) throw new InstructionError(`${split.error}: ${text}`);
	return split.argv;
}

/** The exec form (a JSON list of strings), or undefined for the shell form. */
function execForm(rest: string): string[] | undefined {
	if (!rest.startsWith('[')) return undefined;
	try {
		const parsed = JSON.parse(rest) as unknown;
		return Array.isArray(parsed) && parsed.every(item => typeof item === 'string') ? parsed : undefined;
	} catch {
		return undefined;
	}
}

/** KEY=value pairs (or, with a single word before a space, the old KEY value form). */
function pairs(rest: string, instruction: string): Array<[string, string]> {
	const split = words(rest);
	if (split.length === 0) throw new InstructionError(`${instruction} needs at least one argument`);
	if (!split[0]!.includes('=')) {
		const [key] = split;
		return [[key!, rest.trim().slice(rest.trim().indexOf(key!) + key!.length).trim()]];
	}

	return split.map(pair => {
		const equals = pair.indexOf('=');
		if (equals <= 0) throw new InstructionError(`${instruction}: "${pair}" is not KEY=value`);
		return [pair.slice(0, equals), pair.slice(equals + 1)];
	});
}

/** `config` with the instruction applied; refused, naming it, when it is not one that changes a configuration. */
export function applyConfigChange(config: ImageConfig, line: string): ImageConfig {
	const match = /^\s*(\w+)\s*([\s\S]*)$/.exec(line);
	if (!match) throw new InstructionError(`not a Dockerfile instruction: ${line}`);
	const instruction = match[1]!.toUpperCase();
	const rest = match[2]!.trim();
	const command = () => execForm(rest) ?? ['/bin/sh', '-c', rest];
	switch (instruction) {
		case 'CMD':
			return {...config, Cmd: command()};
		case 'ENTRYPOINT':
			return {...config, Entrypoint: command()};
		case 'ENV': {
			const env = [...(config.Env ?? [])];
			for (const [key, value] of pairs(rest, 'ENV')) {
				const at = env.findIndex(entry => entry.split('=')[0] === key);
				if (at === -1) env.push(`${key}=${value}`);
				else env[at] = `${key}=${value}`;
			}

			return {...config, Env: env};
		}

		case 'LABEL':
			return {...config, Labels: {...config.Labels, ...Object.fromEntries(pairs(rest, 'LABEL'))}};
		case 'EXPOSE': {
			const ports = {...config.ExposedPorts};
			for (const port of words(rest)) {
				if (!/^\d{1,5}(\/(tcp|udp|sctp))?$/.test(port)) throw new InstructionError(`EXPOSE: "${port}" is not a port (80, 53/udp)`);
				ports[port.includes('/') ? port : `${port}/tcp`] = {};
			}

			return {...config, ExposedPorts: ports};
		}

		case 'VOLUME': {
			const volumes = {...config.Volumes};
			for (const volume of execForm(rest) ?? words(rest)) volumes[volume] = {};
			return {...config, Volumes: volumes};
		}

		case 'USER':
		case 'WORKDIR':
		case 'STOPSIGNAL': {
			const [value, ...more] = words(rest);
			if (!value || more.length > 0) throw new InstructionError(`${instruction} takes one argument`);
			if (instruction === 'WORKDIR') return {...config, WorkingDir: value.startsWith('/') ? value : `${(config.WorkingDir || '/').replace(/\/$/, '')}/${value}`};
			return {...config, [instruction === 'USER' ? 'User' : 'StopSignal']: value};
		}

		default:
			throw new InstructionError(`${instruction} is not a change berth's engine applies to a configuration (CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, USER, VOLUME, WORKDIR, STOPSIGNAL)`);
	}
}
