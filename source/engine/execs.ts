// `docker exec`: a process started in a running container's namespaces, root and cgroup, by the
// exec helper (as the container's own command is), with the container's capabilities, seccomp
// filter and user. Exec instances are kept in memory, as dockerd keeps them, until their
// container goes.
import {type ChildProcessWithoutNullStreams, spawn} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {constants} from 'node:os';
import {badRequest, conflict, notFound} from './errors.ts';
import {newId} from './ids.ts';
import {checkProcessStrings} from './process-strings.ts';
import type {Containers} from './containers.ts';
import {capabilityNumbers} from './runtime/capabilities.ts';
import {execHelperProgram, helperSyscalls} from './runtime/exec-helper.ts';
import type {Isolation} from './runtime/isolation.ts';
import {containerEnvironment, hostTerminalCommand} from './runtime/launch.ts';
import {outputRelayProgram} from './runtime/output-relay.ts';
import {resizeTerminal} from './runtime/processes.ts';
import {seccompProgram} from './runtime/seccomp.ts';

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

		const workingDir = typeof value.WorkingDir === 'string' ? value.WorkingDir : '';
		checkProcessStrings([workingDir, ...((value.Env as string[] | undefined) ?? []), ...(cmd as string[])]);
		if (workingDir !== '' && !workingDir.startsWith('/')) throw badRequest(`the working directory '${workingDir}' is invalid, it needs to be an absolute path`);
		const id = newId();
		this.instances.set(id, {
			id,
			containerId: record.Id,
			config: {
				Cmd: cmd as string[],
				Env: (value.Env as string[] | undefined) ?? [],
				WorkingDir: workingDir,
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
		// A process started in a frozen cgroup would freeze at once, and its client with it.
		if (record.State.Paused) throw conflict(`Container ${record.Id} is paused, unpause the container before exec`);
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
			const privileges = this.containers.privileges(record.Id);
			const arch = this.isolation.arch!;
			const helperEnv = {
				BERTH_HELPER_PROGRAM: execHelperProgram,
				BERTH_HELPER_MODE: `join:${initPid}`,
				BERTH_HELPER_SYSCALLS: Object.entries(helperSyscalls[arch]).map(([name, number]) => `${name}=${number}`).join(','),
				BERTH_HELPER_WORKDIR: workingDir,
				BERTH_HELPER_USER: user ?? '',
				BERTH_HELPER_CAPS: privileges.capabilities.map(name => capabilityNumbers[name]).join(','),
				BERTH_HELPER_LASTCAP: String(this.isolation.lastCap),
				BERTH_HELPER_NNP: privileges.noNewPrivileges ? '1' : '',
				BERTH_HELPER_SECCOMP: privileges.seccomp ? seccompProgram(arch, privileges.capabilities).toString('hex') : '',
				BERTH_HELPER_TTY: instance.config.Tty ? '1' : '',
				BERTH_HELPER_ENV: containerEnvironment(Object.entries(env).map(([name, value]) => `${name}=${value}`), record.Config.Hostname ?? '', Boolean(instance.config.Tty)),
				// The exec joins its container's cgroup first, so that limits and stats cover it.
				BERTH_HELPER_CGROUPS: this.containers.cgroupProcsOf(record.Id).join('\t'),
			};
			let command = [this.isolation.tools.perl!, '-e', execHelperProgram, '--', ...instance.config.Cmd];
			// A TTY exec gets a terminal of the container's devpts (its /dev/pts), which `tty` names inside.
			if (instance.config.Tty) command = [this.isolation.tools.perl!, '-e', outputRelayProgram, '--', `/proc/${initPid}/root/dev/pts`, '--', ...command];

			child = spawn(command[0]!, command.slice(1), {
				env: {...helperEnv, PATH: '/usr/sbin:/usr/bin:/sbin:/bin'},
				// fd 3: the helper's report, which for an exec also goes to its stderr.
				stdio: ['pipe', 'pipe', 'pipe', 'ignore'],
			}) as unknown as ChildProcessWithoutNullStreams;
		} else {
			const command = instance.config.Tty ? hostTerminalCommand(instance.config.Cmd) : instance.config.Cmd;
			child = spawn(command[0]!, command.slice(1), {env, cwd: workingDir}) as unknown as ChildProcessWithoutNullStreams;
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
		// The terminal is the one the relay made: the process it starts holds it as fd 0. A resize
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
