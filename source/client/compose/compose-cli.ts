// Compose's own actions go through whichever compose CLI this machine has: `docker compose` (v2)
// or `docker-compose` (v1), pointed at the host berth is on. berth never speaks compose's file
// format itself; the CLI reads the project's files, where they are on this machine.
import {existsSync} from 'node:fs';
import {execa} from 'execa';
import type {Endpoint} from '../connect/endpoint.ts';

export type ComposeCli = {command: string[]; label: string};

let found: Promise<ComposeCli | undefined> | undefined;

async function answers(command: string[]): Promise<string | undefined> {
	try {
		const {stdout} = await execa(command[0]!, [...command.slice(1), 'version', '--short'], {timeout: 10_000, reject: true, stdin: 'ignore'});
		return stdout.trim().split('\n')[0];
	} catch {
		return undefined;
	}
}

/** The compose CLI, looked for once: v2 first, as docker's own documentation prefers it. */
export function findComposeCli(): Promise<ComposeCli | undefined> {
	found ??= (async () => {
		for (const command of [['docker', 'compose'], ['docker-compose']]) {
			const version = await answers(command);
			if (version) return {command, label: `${command.join(' ')} ${version}`};
		}

		return undefined;
	})();
	return found;
}

/** The environment that points a docker CLI at this endpoint (a context set elsewhere must not win). */
export function hostEnvironment(endpoint: Endpoint): Record<string, string | undefined> {
	const env: Record<string, string | undefined> = {DOCKER_HOST: endpoint.url, DOCKER_CONTEXT: undefined};
	if (endpoint.kind === 'tcp' && endpoint.tls) env.DOCKER_TLS_VERIFY = endpoint.tls.verify ? '1' : undefined;
	return env;
}

/** Which of these files are not on this machine. */
export function missingFiles(files: readonly string[]): string[] {
	return files.filter(file => !existsSync(file));
}
