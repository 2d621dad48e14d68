// The container as the UI knows it: a normalised, engine-independent record.

export type ContainerState = 'running' | 'paused' | 'restarting' | 'created' | 'exited' | 'dead' | 'removing';

export type Container = {
	id: string;
	name: string;
	image: string;
	state: ContainerState;
	/** The daemon's own status text ("Up 3 minutes (healthy)", "Exited (1) 2 hours ago"). */
	status: string;
	/** When `status` was read, so the uptime it names can be advanced without asking again (ms). */
	statusAt: number;
	/** Seconds since the epoch. */
	created: number;
	ports: string;
	/** The compose project, from the com.docker.compose.project label. */
	project?: string;
	/** The rest of what compose labels a container with: its service, and where its project's files are. */
	compose?: ComposeLabels;
	/** The image's id (sha256:…), to count an image's users. */
	imageId?: string;
	/** The named volumes it mounts, and the networks it is on (by id), to count theirs. */
	volumes?: readonly string[];
	networks?: readonly string[];
};

export const composeProjectLabel = 'com.docker.compose.project';

export type ComposeLabels = {service?: string; workingDir?: string; configFiles?: readonly string[]};

/** The compose labels of a container, or undefined when it has none beyond the project. */
export function composeLabels(labels: Record<string, string> | undefined): ComposeLabels | undefined {
	if (!labels) return undefined;
	const service = labels['com.docker.compose.service'] || undefined;
	const workingDir = labels['com.docker.compose.project.working_dir'] || undefined;
	const files = labels['com.docker.compose.project.config_files'];
	const configFiles = files ? files.split(',').map(file => file.trim()).filter(Boolean) : undefined;
	if (!service && !workingDir && !configFiles) return undefined;
	return {...(service ? {service} : {}), ...(workingDir ? {workingDir} : {}), ...(configFiles ? {configFiles} : {})};
}

const knownStates = new Set<string>(['running', 'paused', 'restarting', 'created', 'exited', 'dead', 'removing']);

export function normaliseState(state: string | undefined): ContainerState {
	const value = (state ?? '').toLowerCase();
	return knownStates.has(value) ? (value as ContainerState) : 'exited';
}

/** Running containers (paused and restarting count as up) sort before stopped ones. */
export function isUp(container: Pick<Container, 'state'>): boolean {
	return container.state === 'running' || container.state === 'paused' || container.state === 'restarting';
}

export type PortBinding = {IP?: string; PrivatePort: number; PublicPort?: number; Type: string};

/** "0.0.0.0:8080->80/tcp, 443/tcp", with IPv4/IPv6 duplicates of one binding shown once. */
export function formatPorts(ports: PortBinding[] | undefined): string {
	if (!ports || ports.length === 0) return '';
	const seen = new Set<string>();
	const parts: string[] = [];
	const sorted = [...ports].sort((a, b) => a.PrivatePort - b.PrivatePort || (a.PublicPort ?? 0) - (b.PublicPort ?? 0));
	for (const port of sorted) {
		const text = port.PublicPort ? `${port.PublicPort}->${port.PrivatePort}/${port.Type}` : `${port.PrivatePort}/${port.Type}`;
		if (seen.has(text)) continue;
		seen.add(text);
		parts.push(text);
	}

	return parts.join(', ');
}
