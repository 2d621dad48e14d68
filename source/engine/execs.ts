// `docker exec`: a process started in a running container's namespaces, root and cgroup, with
// `nsenter`. Exec instances are kept in memory, as dockerd keeps them, until their container goes.
import {type ChildProcessWithoutNullStreams, execFileSync, spawn} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {constants} from 'node:os';
import {resolveInRoot} from './in-root.ts';
import {badRequest, conflict, notFound} from './errors.ts';
import {newId} from './ids.ts';
import type {Containers} from './containers.ts';
import {type Isolation, resizeTerminal, ttyCommand} from './runtime.ts';

export type ExecConfig = {
	Cmd: string[];
	Env?: string[];
	WorkingDir?: string;
	User?: string;
	Tty?: boolean;
	AttachStdin?: boolean;
	AttachStdout?: boolean;
	AttachStderr?: boolean;
};

export type ExecInstance = {
	id: string;
	containerId: string;
	config: ExecConfig;
	running: boolean;
	exitCode: number | null;
	pid: number;
	child?: ChildProcessWithoutNullStreams;
	done?: Promise<number>;
};

let nsenter: string | undefined;

function nsenterPath(): string {
	nsenter ??= execFileSync('sh', ['-c', 'command -v nsenter'], {encoding: 'utf8'}).trim();
	if (!nsenter) throw new Error('nsenter not found (util-linux)');
	return nsenter;
}

/** "name", "uid" or "uid:gid" → numeric ids, looked up in the container's own /etc/passwd. */
function resolveUser(user: string, rootPath: string): {uid: number; gid: number} {
	const [name = '', group] = user.split(':');
	let uid: number | undefined = /^\d+$/.test(name) ? Number(name) : undefined;
	let gid: number | undefined = group !== undefined && /^\d+$/.test(group) ? Number(group) : undefined;
	if (uid === undefined || gid === undefined) {
		let passwd = '';
		try {
			passwd = readFileSync(`${rootPath}/etc/passwd`, 'utf8');
		} catch {
			// No passwd file: only numeric users work.
		}

		const entry = passwd.split('\n').map(line => line.split(':')).find(fields => fields[0] === name || (uid !== undefined && Number(fields[2]) === uid));
		if (uid === undefined) {
			if (!entry) throw badRequest(`unable to find user ${name}: no matching entries in passwd file`);
			uid = Number(entry[2]);
		}

		gid ??= entry ? Number(entry[3]) : uid;
	}

	return {uid, gid};
}

export class Execs {
	private readonly instances = new Map<string, ExecInstance>();

	constructor(
		private readonly containers: Containers,
		private readonly isolation: Isolation,
	) {}

	create(containerReference: string, body: unknown): {Id: string} {
		const record = this.containers.find(containerReference);
		if (!this.containers.isRunning(record.Id)) throw conflict(`Container ${record.Id} is not running`);
		if (record.State.Paused) throw conflict(`Container ${record.Id} is paused, unpause the container before exec`);
		const value = (body ?? {}) as Record<string, unknown>;
		const cmd = value.Cmd;
		if (!Array.isArray(cmd) || cmd.length === 0 || !cmd.every(item => typeof item === 'string')) throw badRequest('No exec command specified');
		if (value.Env !== undefined && value.Env !== null && !(Array.isArray(value.Env) && value.Env.every(item => typeof item === 'string'))) {
			throw badRequest('json: cannot unmarshal Env: expected a list of strings');
		}

		const id = newId();
		this.instances.set(id, {
			id,
			containerId: record.Id,
			config: {
				Cmd: cmd as string[],
				Env: (value.Env as string[] | undefined) ?? [],
				WorkingDir: typeof value.WorkingDir === 'string' ? value.WorkingDir : '',
				User: typeof value.User === 'string' ? value.User : '',
				Tty: value.Tty === true,
				AttachStdin: value.AttachStdin === true,
				AttachStdout: value.AttachStdout !== false,
				AttachStderr: value.AttachStderr !== false,
			},
			running: false,
			exitCode: null,
			pid: 0,
		});
		this.containers.announce(record.Id, `exec_create: ${(cmd as string[]).join(' ')}`);
		return {Id: id};
	}

	find(id: string): ExecInstance {
		const instance = this.instances.get(id);
		if (!instance || !this.containers.exists(instance.containerId)) throw notFound(`No such exec instance: ${id}`);
		return instance;
	}

	/** Starts the process; the caller wires its streams. */
	start(id: string): ExecInstance {
		const instance = this.find(id);
		if (instance.running || instance.exitCode !== null) throw conflict(`Exec command ${id} has already run`);
		const record = this.containers.find(instance.containerId);
		const initPid = this.containers.initPid(record.Id);
		if (!initPid) throw conflict(`Container ${record.Id} is not running`);
		const env = Object.fromEntries(
			[...(record.Config.Env ?? []), ...(instance.config.Env ?? [])].map(entry => {
				const index = entry.indexOf('=');
				return index === -1 ? [entry, ''] : [entry.slice(0, index), entry.slice(index + 1)];
			}),
		);
		// As dockerd: a TTY gets TERM=xterm unless the exec or the container names one.
		if (instance.config.Tty && env.TERM === undefined) env.TERM = 'xterm';
		const workingDir = instance.config.WorkingDir || record.Config.WorkingDir || '/';
		const user = instance.config.User || record.Config.User;
		let child: ChildProcessWithoutNullStreams;
		if (this.isolation.mode === 'namespaces') {
			// nsenter opens the working directory before it enters the root, so it is named through the
			// root as the host sees it, resolved the way the container would resolve it.
			const root = `/proc/${initPid}/root`;
			const args = ['--target', String(initPid), '--mount', '--uts', '--ipc', '--pid', '--root', `--wd=${root}${resolveInRoot(root, workingDir)}`];
			if (record.HostConfig.NetworkMode !== 'host') args.push('--net');
			if (user) {
				const {uid, gid} = resolveUser(user, `/proc/${initPid}/root`);
				args.push(`--setuid=${uid}`, `--setgid=${gid}`);
			}

			// The exec joins its container's cgroup first, so that limits and stats cover it.
			const cgroups = this.containers.cgroupProcsOf(record.Id);
			const join = 'i=0; while [ $i -lt $BERTH_CGROUP_COUNT ]; do echo 0 > "$1"; shift; i=$((i+1)); done; unset BERTH_CGROUP_COUNT; exec "$@"';
			// On a TTY the command leads a session of its own inside the container, with the terminal
			// as its controlling one (job control), where the image has a setsid to do it with.
			const inner = instance.config.Tty
				? ['/bin/sh', '-c', 'if command -v setsid >/dev/null 2>&1; then exec setsid -c "$@"; fi; exec "$@"', 'berth-exec', ...instance.config.Cmd]
				: instance.config.Cmd;
			let command = [nsenterPath(), ...args, '--', ...inner];
			if (instance.config.Tty) {
				// First, in the container's mount namespace (before its chroot), the exec's own
				// terminal is put in the container's /dev/pts, as the container's is at its start.
				const bindTerminal = 't=$(readlink /proc/self/fd/0); r=$(readlink "$1"); m=$2; shift 2; case "$t" in /dev/pts/*) [ -e "$r$t" ] || { : > "$r$t" && "$m" --bind "$t" "$r$t"; } ;; esac 2>/dev/null; exec "$@"';
				command = ttyCommand([nsenterPath(), '--target', String(initPid), '--mount', '--', '/bin/sh', '-c', bindTerminal, 'berth-exec', root, this.isolation.tools.mount ?? 'mount', ...command]);
			}
			child = spawn('/bin/sh', ['-c', join, 'berth-exec', ...cgroups, ...command], {
				env: {...env, BERTH_CGROUP_COUNT: String(cgroups.length), ...(instance.config.Tty ? {SHELL: '/bin/sh'} : {})},
			}) as unknown as ChildProcessWithoutNullStreams;
		} else {
			const command = instance.config.Tty ? ttyCommand(instance.config.Cmd) : instance.config.Cmd;
			child = spawn(command[0]!, command.slice(1), {env: {...env, ...(instance.config.Tty ? {SHELL: '/bin/sh'} : {})}, cwd: workingDir}) as unknown as ChildProcessWithoutNullStreams;
		}

		instance.running = true;
		instance.child = child;
		instance.pid = child.pid ?? 0;
		if (!instance.config.AttachStdin) child.stdin.end();
		child.stdin.on('error', () => undefined);
		instance.done = new Promise(resolve => {
			child.on('error', () => resolve(126));
			child.on('close', (code, signal) => resolve(signal ? 128 + (constants.signals[signal] ?? 0) : (code ?? 0)));
		}).then(code => {
			instance.running = false;
			instance.exitCode = code as number;
			this.containers.announce(record.Id, 'exec_die', {execID: id, exitCode: String(code)});
			return code as number;
		});
		this.containers.announce(record.Id, `exec_start: ${instance.config.Cmd.join(' ')}`);
		return instance;
	}

	inspect(id: string) {
		const instance = this.find(id);
		return {
			ID: instance.id,
			Running: instance.running,
			ExitCode: instance.exitCode,
			ProcessConfig: {tty: Boolean(instance.config.Tty), entrypoint: instance.config.Cmd[0], arguments: instance.config.Cmd.slice(1), privileged: false, user: instance.config.User},
			OpenStdin: Boolean(instance.config.AttachStdin),
			OpenStderr: Boolean(instance.config.AttachStderr),
			OpenStdout: Boolean(instance.config.AttachStdout),
			CanRemove: false,
			ContainerID: instance.containerId,
			DetachKeys: '',
			Pid: instance.pid,
		};
	}

	resize(id: string, rows: number, columns: number): void {
		const instance = this.find(id);
		if (!instance.config.Tty || !instance.running || !instance.pid) return;
		// The terminal is the one `script` made: the process it starts holds it as fd 0. A resize
		// right after start can come before that process exists, so it is tried a few times.
		let attempts = 0;
		const attempt = () => {
			attempts++;
			try {
				const holder = Number(readFileSync(`/proc/${instance.pid}/task/${instance.pid}/children`, 'utf8').trim().split(/\s+/)[0]);
				if (!holder) throw new Error('no terminal yet');
				resizeTerminal(holder, rows, columns);
			} catch {
				if (attempts < 20 && instance.running) setTimeout(attempt, 25);
			}
		};

		attempt();
	}

	/** Forgets the exec instances of a removed container. */
	forget(containerId: string): void {
		for (const [id, instance] of this.instances) if (instance.containerId === containerId) this.instances.delete(id);
	}
}
