// Which shell a container gets: one the config names for its name or image (a pattern with * and
// ?), else the first of bash, ash and sh that the container has. Pure; the probe itself runs in
// the client.

/** Shells berth looks for, best first. */
export const shellPreference = ['bash', 'ash', 'sh'] as const;

/** Where they are looked for when the container has no `sh` to ask (PATH is then unknown). */
export const shellPaths = ['/bin/bash', '/usr/bin/bash', '/bin/ash', '/bin/sh', '/usr/bin/sh', '/busybox/sh'] as const;

/**
 * One command that prints the path of the best shell, run with `sh` (every image with a shell
 * has one): `command -v` looks in the container's PATH, as the user's own shell would.
 */
export const shellProbe = ['sh', '-c', `for s in ${shellPreference.join(' ')}; do command -v "$s" && exit 0; done; exit 1`];

/** `*` any run of characters, `?` one; the rest literal. */
export function globMatches(pattern: string, text: string): boolean {
	const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*').replaceAll('?', '.');
	return new RegExp(`^${escaped}$`).test(text);
}

export type ConfiguredShells = ReadonlyArray<{pattern: string; command: readonly string[]}>;

/** The configured shell for a container: the first pattern that matches its name, then its image (with and without the tag). */
export function configuredShell(shells: ConfiguredShells, container: {name: string; image: string}): readonly string[] | undefined {
	const untagged = container.image.replace(/:[^/:@]+$/, '');
	for (const {pattern, command} of shells) {
		if (globMatches(pattern, container.name) || globMatches(pattern, container.image) || globMatches(pattern, untagged)) return command;
	}

	return undefined;
}
