// A compose project as berth sees it from its containers' labels: its name, where its files are,
// its services; the arguments for compose's own actions on it; and what the details pane says
// of it. Pure: whether the files exist and which compose CLI there is are asked by the UI.
import path from 'node:path';
import type {Container} from './container.ts';

export type ComposeProject = {
	name: string;
	workingDir?: string;
	/** Absolute paths, as compose recorded them (a relative one is taken from the working directory). */
	configFiles: string[];
	services: string[];
	containers: readonly Container[];
};

export function projectOf(name: string, members: readonly Container[]): ComposeProject {
	const labelled = members.find(member => member.compose?.workingDir || member.compose?.configFiles);
	const workingDir = labelled?.compose?.workingDir;
	const configFiles = (labelled?.compose?.configFiles ?? []).map(file => (path.isAbsolute(file) || !workingDir ? file : path.join(workingDir, file)));
	const services = [...new Set(members.flatMap(member => (member.compose?.service ? [member.compose.service] : [])))].sort();
	return {name, ...(workingDir ? {workingDir} : {}), configFiles, services, containers: members};
}

export type ComposeAction = 'up' | 'down' | 'pull' | 'build' | 'restart' | 'recreate';

/** What each action is, said to the user. */
export const composeActionWords: Record<ComposeAction, string> = {
	up: 'up -d',
	down: 'down',
	pull: 'pull',
	build: 'build',
	restart: 'restart',
	recreate: 'recreate',
};

/** Why compose cannot act on this project from here, or undefined when it can. */
export function composeUnavailable(project: ComposeProject, missing: readonly string[]): string | undefined {
	if (project.configFiles.length === 0) return `${project.name} has no compose file labels: it was not made by compose, or by a compose too old to say where its files are`;
	if (missing.length === project.configFiles.length) return `the compose files of ${project.name} are not on this machine (${missing.join(', ')})`;
	if (missing.length > 0) return `some compose files of ${project.name} are not on this machine (${missing.join(', ')})`;
	return undefined;
}

/** The words after the compose CLI's own ("docker compose" or "docker-compose"). */
export function composeArguments(project: ComposeProject, action: ComposeAction, service?: string): string[] {
	const base = ['--project-name', project.name, ...(project.workingDir ? ['--project-directory', project.workingDir] : []), ...project.configFiles.flatMap(file => ['--file', file])];
	const needsService = action === 'restart' || action === 'recreate';
	if (needsService && !service) throw new Error(`${composeActionWords[action]} needs a service`);
	switch (action) {
		case 'up': {
			return [...base, 'up', '--detach'];
		}

		case 'down': {
			return [...base, 'down'];
		}

		case 'pull': {
			return [...base, 'pull'];
		}

		case 'build': {
			return [...base, 'build'];
		}

		case 'restart': {
			return [...base, 'restart', service!];
		}

		case 'recreate': {
			return [...base, 'up', '--detach', '--force-recreate', '--no-deps', service!];
		}
	}
}

/** The details pane for a project's header row: what and where it is, what can be done, then its containers. */
export function projectLines(project: ComposeProject, missing: readonly string[], cli: string | undefined, keys: Partial<Record<string, string>>): string[] {
	const running = project.containers.filter(container => container.state === 'running').length;
	const lines = [`project ${project.name}: ${running}/${project.containers.length} running`];
	if (project.workingDir) lines.push(`directory  ${project.workingDir}`);
	for (const [index, file] of project.configFiles.entries()) lines.push(`${index === 0 ? 'files' : '     '}      ${file}${missing.includes(file) ? '  (not on this machine)' : ''}`);
	if (project.services.length > 0) lines.push(`services   ${project.services.join(', ')}`);
	const why = composeUnavailable(project, missing) ?? (cli === undefined ? 'looking for a compose CLI…' : cli ? undefined : 'no compose CLI here (docker compose or docker-compose)');
	const offered = (['up', 'down', 'pull', 'build'] as const).flatMap(action => (keys[action] ? [`${keys[action]} ${composeActionWords[action]}`] : []));
	lines.push(why ?? `${cli}: ${offered.join(' · ')}`, 'lifecycle keys here act on every container of the project', '');
	for (const container of project.containers) lines.push(`  ${container.name.padEnd(24)} ${container.state.padEnd(10)} ${container.compose?.service ?? ''}`);
	return lines;
}
