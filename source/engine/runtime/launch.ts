// Starting a container under its monitor, and finding it again after the engine restarts. The
// engine talks to a container only through files in its directory: the control and stdin FIFOs
// (what the monitor and the exec helper report; input), and the stdout and stderr spools the
// container appends to. The monitor holds the FIFOs open, so the engine may go and come back
// (SIGKILL included) without the container noticing; its output waits in the spools, and its
// exit status is left in the directory when nobody was there to be told.
import {type ChildProcess, execFile, spawn} from 'node:child_process';
import {constants as fsConstants, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import {promisify} from 'node:util';
import {writeEtcFiles} from '../etc-files.ts';
import {resolveInLayers} from '../in-root.ts';
import type {LowerDirs} from '../layer-store.ts';
import {execHelperProgram, helperSyscalls} from './exec-helper.ts';
import {outputRelayProgram} from './output-relay.ts';
import {maskedPaths, monitorScript, processSetupScript, readOnlyPaths, setupScript, wrapperScript} from './scripts.ts';
import {SpoolReader} from './spool.ts';
import type {Isolation} from './isolation.ts';

const run = promisify(execFile);

/** A bind mount, or (tmpfs) a tmpfs with these options, or (device) a host device node bound in. */
export type Bind = {source: string; destination: string; readOnly: boolean; tmpfs?: string; device?: boolean};

/** The set-up's third column for a mount: ro or rw (a bind), tmpfs=OPTIONS, or device. */
function mountMode(bind: Bind): string {
	if (bind.tmpfs !== undefined) return `tmpfs=${bind.tmpfs}`;
	if (bind.device) return 'device';
	return bind.readOnly ? 'ro' : 'rw';
}

export type Exit = {code: number; at?: number};

/** How a container's standard input is wired: none, a FIFO the monitor holds (-i), or one only the engine holds (-i with StdinOnce). */
export type StdinMode = 'none' | 'held' | 'once';

export type ContainerSpec = {
	id: string;
	/** The container's own directory. */
	directory: string;
	/** The host image ("/", read-only), or an image's layers with the container's own writable layer over them (overlayfs). */
	root: {host: true} | {lower: LowerDirs};
	hostname: string;
	workingDir: string;
	user?: string;
	env: string[];
	argv: string[];
	network: 'none' | 'host';
	cgroupProcs?: string[];
	tty: boolean;
	stdin: StdinMode;
	binds: Bind[];
	/** The capability numbers it keeps; the seccomp filter's bytes, where one applies. */
	capabilities: number[];
	seccomp?: Buffer;
	noNewPrivileges: boolean;
	privileged: boolean;
	init: boolean;
	/** --read-only: the root filesystem is mounted read-only once the set-up is done. */
	readOnlyRoot: boolean;
};

export type RunningContainer = {
	/** Settles once the command runs; rejects with the reason when it never did. */
	ready: Promise<void>;
	/** The host pid of the container's first process (PID 1 inside). */
	readonly pid: number;
	readonly monitorPid: number;
	/** Its output, read once the engine says from where (`start`): the log knows. */
	stdout: SpoolReader;
	stderr: SpoolReader;
	/** Where an attached client's input goes, for a container with an open stdin. */
	stdin?: net.Socket;
	exited: Promise<Exit>;
	signal(signal: NodeJS.Signals | number): void;
	/** Stops reading its output and FIFOs (the engine is stopping and leaving it running). */
	close(): void;
};

export const containerFiles = (directory: string) => ({control: path.join(directory, 'control'), stdout: path.join(directory, 'stdout.spool'), stderr: path.join(directory, 'stderr.spool'), stdin: path.join(directory, 'stdin'), exit: path.join(directory, 'exit'), monitorPid: path.join(directory, 'monitor.pid')});

/** Opens a FIFO without blocking, as a socket (so reading it takes no thread). */
// Opened read-write, so that opening never waits for the other end; used one way only: a stream
// that also read would take back what it wrote, and one that also wrote would never close on end().
function openFifo(file: string, use: 'read' | 'write'): net.Socket {
	const fd = openSync(file, fsConstants.O_RDWR | fsConstants.O_NONBLOCK);
	return new net.Socket({fd, readable: use === 'read', writable: use === 'write'});
}

const under = (top: string) => (path: string) => path.startsWith(`${top}/`);

/** Reads the exit status the monitor left, with the time it was written. */
export function readExit(directory: string): Exit | undefined {
	const file = containerFiles(directory).exit;
	try {
		const text = readFileSync(file, 'utf8').trim();
		if (!/^\d+$/.test(text)) return undefined;
		return {code: Number(text), at: statSync(file).mtimeMs};
	} catch {
		return undefined;
	}
}

/** Whether this pid is the monitor of this container (and not a pid reused since). */
export function isMonitor(pid: number | undefined, id: string): boolean {
	if (!pid) return false;
	try {
		return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(id);
	} catch {
		return false;
	}
}

type Handlers = {monitor(pid: number): void; started(pid: number): void; ready(): void; error(why: string): void; exit(code: number): void};

function readControl(control: net.Socket, handlers: Handlers): void {
	let text = '';
	control.setEncoding('utf8');
	control.on('data', (chunk: string) => {
		text += chunk;
		const lines = text.split('\n');
		text = lines.pop() ?? '';
		for (const line of lines) {
			const [word, ...rest] = line.split(' ');
			const value = rest.join(' ');
			if (word === 'monitor') handlers.monitor(Number(value));
			else if (word === 'started') handlers.started(Number(value));
			else if (word === 'ready') handlers.ready();
			else if (word === 'error') handlers.error(value);
			else if (word === 'exit') handlers.exit(Number(value));
		}
	});
	control.on('error', () => undefined);
}

function helperEnvironment(spec: ContainerSpec, isolation: Isolation, mode: string): Record<string, string> {
	const arch = isolation.arch;
	const syscalls = arch ? helperSyscalls[arch] : {};
	return {
		BERTH_HELPER_PROGRAM: execHelperProgram,
		BERTH_HELPER_MODE: mode,
		BERTH_HELPER_SYSCALLS: Object.entries(syscalls).map(([name, number]) => `${name}=${number}`).join(','),
		BERTH_HELPER_WORKDIR: spec.workingDir || '/',
		BERTH_HELPER_USER: spec.user ?? '',
		BERTH_HELPER_CAPS: spec.capabilities.join(','),
		BERTH_HELPER_LASTCAP: String(isolation.lastCap),
		BERTH_HELPER_NNP: spec.noNewPrivileges ? '1' : '',
		BERTH_HELPER_SECCOMP: spec.seccomp?.toString('hex') ?? '',
		BERTH_HELPER_TTY: spec.tty ? '1' : '',
		BERTH_HELPER_ENV: containerEnvironment(spec.env, spec.hostname, spec.tty),
	};
}

/** What the command's environment is, as dockerd makes it: the container's, HOSTNAME, and TERM on a TTY. */
function containerVariables(env: readonly string[], hostname: string, tty: boolean): Map<string, string> {
	const entries = new Map<string, string>();
	entries.set('HOSTNAME', hostname);
	if (tty) entries.set('TERM', 'xterm');
	for (const entry of env) {
		const index = entry.indexOf('=');
		entries.set(index === -1 ? entry : entry.slice(0, index), index === -1 ? '' : entry.slice(index + 1));
	}

	if (!entries.has('PATH')) entries.set('PATH', '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin');
	return entries;
}

/** That environment as the exec helper takes it: NAME=value entries NUL-separated, as hex. */
export function containerEnvironment(env: readonly string[], hostname: string, tty: boolean): string {
	return Buffer.from([...containerVariables(env, hostname, tty)].map(([name, value]) => `${name}=${value}\0`).join('')).toString('hex');
}

/** Without namespaces there is no helper: the monitor runs with the container's environment, the host's PATH until the command. */
function processEnvironment(spec: ContainerSpec): Record<string, string> {
	const own = Object.fromEntries(containerVariables(spec.env, spec.hostname, spec.tty));
	return {...own, PATH: '/usr/sbin:/usr/bin:/sbin:/bin', BERTH_HELPER_ENVPATH: own.PATH!, ...(spec.tty ? {} : {BERTH_PROCESS_GROUP: '1'})};
}

/**
 * The command on a new terminal of the host's devpts (no namespaces, so no devpts of its own),
 * held by the same relay a namespaced container's terminal has; REPORT is the fd that gets its exit.
 */
export function hostTerminalCommand(command: string[], report?: number): string[] {
	return ['perl', '-e', outputRelayProgram, '--', '/dev/pts', ...(report === undefined ? [] : ['--report', String(report)]), '--', ...command];
}

/** The command with its stdout and stderr piped to the spools in `directory`; REPORT as above. */
function spooledCommand(command: string[], directory: string, report: number): string[] {
	return ['perl', '-e', outputRelayProgram, '--', '--spools', directory, '--report', String(report), '--', ...command];
}

/** Starts the container under a new monitor. */
export async function launchContainer(spec: ContainerSpec, isolation: Isolation): Promise<RunningContainer> {
	const files = containerFiles(spec.directory);
	mkdirSync(spec.directory, {recursive: true});
	for (const file of [files.control, files.stdout, files.stderr, files.stdin, files.exit, files.monitorPid]) rmSync(file, {force: true});
	await run('mkfifo', ['-m', '600', files.control, ...(spec.stdin === 'none' ? [] : [files.stdin])]);
	for (const spool of [files.stdout, files.stderr]) writeFileSync(spool, '', {mode: 0o600});

	let setup: string[];
	const env: Record<string, string> = isolation.mode === 'namespaces' ? {PATH: '/usr/sbin:/usr/bin:/sbin:/bin', ...helperEnvironment(spec, isolation, 'init')} : processEnvironment(spec);
	if (isolation.mode === 'namespaces') {
		const {tools} = isolation;
		const root = path.join(spec.directory, 'root');
		mkdirSync(root, {recursive: true});
		setup = [tools.unshare!, '--mount', '--uts', '--ipc', ...(spec.network === 'none' ? ['--net'] : []), '--', '/bin/sh', '-c', setupScript, 'berth-setup', root, spec.hostname, spec.directory, spec.id, ...(spec.init ? ['/dev/init', '--'] : []), ...spec.argv];
		Object.assign(env, {
			BERTH_MOUNT: tools.mount!,
			BERTH_PERL: tools.perl!,
			BERTH_UNSHARE: tools.unshare!,
			BERTH_MONITOR: monitorScript,
			BERTH_RELAY: outputRelayProgram,
			...('lower' in spec.root ? {BERTH_LOWER_BASE: spec.root.lower.base, BERTH_LOWER: spec.root.lower.lowerdir} : {BERTH_ROOTFS: '/'}),
			BERTH_HELPER_CGROUPS: (spec.cgroupProcs ?? []).join('\t'),
			// Destinations resolved inside the container's layers, so an image's symlink cannot point a mount at the host.
			BERTH_BINDS: spec.binds.map(bind => `${bind.source}\t${'lower' in spec.root ? resolveInLayers([path.join(spec.directory, 'upper'), ...spec.root.lower.paths], bind.destination) : bind.destination}\t${mountMode(bind)}\n`).join(''),
			BERTH_MASKED: maskedPaths.filter(under('/sys')).join(' '),
			BERTH_READONLY_PATHS: readOnlyPaths.filter(under('/sys')).join(' '),
			...(spec.privileged ? {} : {BERTH_HELPER_PROC_MASKED: maskedPaths.filter(under('/proc')).join(' '), BERTH_HELPER_PROC_READONLY: readOnlyPaths.filter(under('/proc')).join(' ')}),
			...(spec.tty ? {BERTH_TERMINAL: '1'} : {}),
			...(spec.privileged ? {BERTH_PRIVILEGED: '1'} : {}),
			...(spec.readOnlyRoot ? {BERTH_READONLY_ROOT: '1'} : {}),
			...(spec.init && tools.tini ? {BERTH_INIT: tools.tini} : {}),
		});
		if ('lower' in spec.root) {
			const upper = path.join(spec.directory, 'upper');
			const work = path.join(spec.directory, 'work');
			mkdirSync(upper, {recursive: true});
			mkdirSync(work, {recursive: true});
			writeEtcFiles({layers: spec.root.lower.paths, upper, hostname: spec.hostname, network: spec.network});
			Object.assign(env, {BERTH_UPPER: upper, BERTH_WORK: work});
		}
	} else {
		setup = ['/bin/sh', '-c', monitorScript, 'berth-monitor', spec.directory, spec.id, '/bin/sh', '-c', processSetupScript, 'berth-process', spec.workingDir || '/', ...spec.argv];
	}

	const stdio = spec.tty ? 'terminal' : spec.stdin === 'none' ? 'none' : 'fifo';
	Object.assign(env, {BERTH_HELPER_STDIO: stdio, BERTH_HOLD_STDIN: spec.stdin === 'held' ? '1' : ''});
	// Without namespaces the relay around the monitor is started here (fd 3: the control FIFO).
	const first = isolation.mode === 'namespaces' ? setup : spec.tty ? hostTerminalCommand(setup, 3) : spooledCommand(setup, spec.directory, 3);
	// The engine's readers first, so that nothing the container writes waits for them.
	const control = openFifo(files.control, 'read');
	const stdout = new SpoolReader(files.stdout);
	const stderr = new SpoolReader(files.stderr);
	const stdin = spec.stdin === 'none' ? undefined : openFifo(files.stdin, 'write');
	const child = spawn('/bin/sh', ['-c', wrapperScript, 'berth-wrapper', spec.directory, ...first], {env, stdio: 'ignore', detached: true});
	child.unref();
	return watch({id: spec.id, directory: spec.directory, control, stdout, stderr, stdin, child, group: isolation.mode === 'process' && !spec.tty});
}

/** Finds a container again after the engine restarted: undefined when its monitor is gone. */
export function adoptContainer(id: string, directory: string, known: {monitorPid?: number; pid?: number; stdin: StdinMode; group: boolean}): RunningContainer | undefined {
	const files = containerFiles(directory);
	let monitorPid = known.monitorPid;
	if (!isMonitor(monitorPid, id)) {
		const written = Number(readFileSafe(files.monitorPid).trim());
		monitorPid = isMonitor(written, id) ? written : undefined;
	}

	if (!monitorPid || !existsSync(files.control)) return undefined;
	const control = openFifo(files.control, 'read');
	const stdout = new SpoolReader(files.stdout);
	const stderr = new SpoolReader(files.stderr);
	const stdin = known.stdin !== 'none' && existsSync(files.stdin) ? openFifo(files.stdin, 'write') : undefined;
	return watch({id, directory, control, stdout, stderr, stdin, monitorPid, pid: known.pid, adopted: true, group: known.group});
}

function readFileSafe(file: string): string {
	try {
		return readFileSync(file, 'utf8');
	} catch {
		return '';
	}
}

type Watched = {group?: boolean; id: string; directory: string; control: net.Socket; stdout: SpoolReader; stderr: SpoolReader; stdin?: net.Socket; child?: ChildProcess; monitorPid?: number; pid?: number; adopted?: boolean};

function watch(watched: Watched): RunningContainer {
	const {control, stdout, stderr, stdin} = watched;
	let pid = watched.pid ?? 0;
	let monitorPid = watched.monitorPid ?? 0;
	let failure: string | undefined;
	let settleReady: (error?: Error) => void = () => undefined;
	const ready = new Promise<void>((resolve, reject) => {
		settleReady = error => (error ? reject(error) : resolve());
	});
	ready.catch(() => undefined);
	if (watched.adopted) settleReady();
	let settleExit: (exit: Exit) => void = () => undefined;
	const exited = new Promise<Exit>(resolve => {
		settleExit = resolve;
	});

	// What the set-up said on stderr before the command started: the reason, when it fails.
	let early = Buffer.alloc(0);
	const listen = (chunk: Buffer) => {
		early = Buffer.concat([early, chunk]).subarray(-2000);
	};
	stderr.on('data', listen);
	void ready.then(() => stderr.off('data', listen), () => stderr.off('data', listen));
	let done = false;
	const finish = (code: number) => {
		if (done) return;
		done = true;
		// The last output before the exit may not be read yet: read it out before telling.
		stdout.drain();
		stderr.drain();
		const said = (early.toString('utf8').trim() || readFileSafe(path.join(watched.directory, 'setup.err')).trim()).split('\n').at(-1);
		settleReady(new Error(failure ?? (said ? `the container's set-up failed: ${said}` : `the container's set-up exited with code ${code}`)));
		settleExit({code, at: readExit(watched.directory)?.at ?? Date.now()});
	};

	readControl(control, {
		monitor: value => {
			monitorPid = value;
		},
		started: value => {
			pid = value;
		},
		ready: () => settleReady(),
		error: why => {
			failure = why;
		},
		exit: code => finish(code),
	});
	// The monitor gone without a word (killed): its exit file, or an unknown end.
	const check = () => {
		if (done) return;
		if (monitorPid && !isMonitor(monitorPid, watched.id)) {
			const written = readExit(watched.directory);
			finish(written?.code ?? 255);
		}
	};

	// The first process gone before any monitor said it was there: the set-up failed.
	watched.child?.on('exit', code => setTimeout(() => (monitorPid ? check() : finish(code ?? 255)), 100));
	// An adopted monitor is not our child: a slow check stands in for its exit signal.
	const timer = watched.adopted ? setInterval(check, 2000) : undefined;
	timer?.unref();
	void exited.then(() => {
		if (timer) clearInterval(timer);
		control.destroy();
		stdout.close();
		stderr.close();
		stdin?.destroy();
	});
	stdin?.on('error', () => undefined);
	if (watched.adopted) setImmediate(check);
	return {
		ready,
		get pid() {
			return pid;
		},
		get monitorPid() {
			return monitorPid;
		},
		stdout,
		stderr,
		stdin,
		exited,
		signal(signal) {
			if (!pid) return;
			try {
				// A process-mode container is its process group (once the command has made it).
				process.kill(watched.group ? -pid : pid, signal);
			} catch {
				try {
					process.kill(pid, signal);
				} catch {
					// Already gone.
				}
			}
		},
		close() {
			if (timer) clearInterval(timer);
			control.destroy();
			stdout.close();
			stderr.close();
			stdin?.destroy();
		},
	};
}
