// Compose's own actions on a project, run as a job whose output streams into the details pane:
// refused in one line where the project's files are not on this machine or there is no compose
// CLI, and pointed at the host berth is on.
import {findComposeCli, missingFiles} from '../../client/compose/compose-cli.ts';
import type {Container} from '../../state/container.ts';
import {type ComposeAction, composeActionWords, composeArguments, composeUnavailable, projectOf} from '../../state/compose.ts';
import type {JobContext} from './jobs.ts';

export async function runCompose(context: JobContext, action: ComposeAction, members: readonly Container[], service?: string): Promise<void> {
	const name = members[0]?.project;
	if (!name) {
		context.notice('not in a compose project', 'error');
		return;
	}

	if ((action === 'restart' || action === 'recreate') && !service) {
		context.notice(`${members[0]!.name} has no compose service label`, 'error');
		return;
	}

	const project = projectOf(name, members);
	const why = composeUnavailable(project, missingFiles(project.configFiles));
	if (why) {
		context.notice(why, 'error');
		return;
	}

	const cli = await findComposeCli();
	if (!cli) {
		context.notice('no compose CLI here: install docker compose (v2) or docker-compose (v1)', 'error');
		return;
	}

	const words = `${composeActionWords[action]}${service ? ` ${service}` : ''}`;
	context.start(`compose ${words}: ${name}`, [...cli.command, ...composeArguments(project, action, service)], {cwd: project.workingDir, env: context.hostEnv});
}
