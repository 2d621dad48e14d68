// Running a container's process. As root on Linux each container gets its own pid, mount, uts
// and ipc namespaces (and a network namespace with only loopback for network mode "none") through
// util-linux `unshare`, and its own root: the image's root filesystem, read-only where the image
// is, with /proc and a private /tmp mounted inside. Elsewhere a container is a supervised
// process group ("process" isolation), and /info says so.
import {type ChildProcessWithoutNullStreams, execFileSync, spawn} from 'node:child_process';
import {existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync} from 'node:fs';
import path from 'node:path';
import {constants} from 'node:os';
import {writeEtcFiles} from './etc-files.ts';

export type IsolationMode = 'namespaces' | 'process';

export type Isolation = {mode: IsolationMode; reason: string; tools: Record<string, string>};

function which(name: string): string | undefined {
	try {
		return execFileSync('sh', ['-c', `command -v ${name}`], {encoding: 'utf8'}).trim() || undefined;
	} catch {
		return undefined;
	}
}

export function detectIsolation(): Isolation {
	if (process.platform !== 'linux') return {mode: 'process', reason: 'not Linux', tools: {}};
	if (process.getuid?.() !== 0) return {mode: 'process', reason: 'not running as root', tools: {}};
	const tools: Record<string, string> = {};
	for (const name of ['unshare', 'mount', 'chroot', 'hostname', 'setsid']) {
		const found = which(name);
		if (!found) return {mode: 'process', reason: `${name} not found`, tools: {}};
		tools[name] = found;
	}

	return {mode: 'namespaces', reason: 'root on Linux: pid, mount, uts, ipc and network namespaces', tools};
}

export type ProcessSpec = {
	/** The container's own directory, for its mount point. */
	directory: string;
	/** The image's root filesystem on the host ("/" for the host image). */
	rootfs: string;
	readOnlyRoot: boolean;
	/** Give the container its own writable layer over the image (overlayfs), and its own /dev. */
	layered: boolean;
	hostname: string;
	workingDir: string;
	user?: string;
	env: string[];
	argv: string[];
	network: 'none' | 'host';
	/** cgroup.procs files the container's first process joins before anything else runs. */
	cgroupProcs?: string[];
	/** Run on a pseudo-terminal (util-linux `script` holds its master side). */
	tty?: boolean;
	binds?: Bind[];
};

export type Bind = {source: string; destination: string; readOnly: boolean};

export type Exit = {code: number; signal?: string};

export type RunningProcess = {
	/** Settles once the command runs; rejects with the reason when the set-up fails first. */
	ready: Promise<void>;
	/** The pid of the container's first process, as the host sees it. */
	pid: number;
	child: ChildProcessWithoutNullStreams;
	exited: Promise<Exit>;
	signal(signal: NodeJS.Signals | number): void;
};

// The container's init, read by the shell from fd 5 through the short loader below (so `ps`
// shows the loader and not the whole script): starts the command as its child, hands it every
// catchable signal it gets (as `docker run --init` does; one that comes before the child exists
// is passed on once it does), and reports on fd 3: "ready" once the command runs, "exit N" with its status, because
// `unshare` itself reports a child killed by a signal only as "1".
const initScript = `if [ "$BERTH_SHELL_SET" = 1 ]; then SHELL="$BERTH_SHELL"; else unset SHELL; fi
unset BERTH_SHELL BERTH_SHELL_SET
pending=
for signal in TERM INT HUP QUIT USR1 USR2 WINCH; do
	trap "if [ -n \\"\\$child\\" ]; then kill -$signal \\$child 2>/dev/null; else pending=\\"\\$pending $signal\\"; fi" $signal
done
# A working directory the image lacks is made, as dockerd makes it.
[ -d "$0" ] || mkdir -p "$0" 2>/dev/null
cd "$0" 2>/dev/null || { echo "error cannot change to the working directory $0" >&3; exit 126; }
# An asynchronous command's input would be /dev/null: hand it the real one through fd 4.
exec 4<&0
"$@" <&4 4<&- 3>&- 5<&- &
child=$!
exec 4<&-
echo ready >&3
for signal in $pending; do kill -$signal $child 2>/dev/null; done
while :; do
	wait $child
	status=$?
	kill -0 $child 2>/dev/null || break
done
echo "exit $status" >&3
exit $status`;

// Reads the init from fd 5 with the shell alone (Node's pipes are sockets, which /dev/fd cannot open).
const loader = 's=;while IFS= read -r l<&5;do s="$s$l\n";done;exec 5<&-;eval "$s"';

// Runs first in the new namespaces: mounts the container's root, then becomes its init.
const setupScript = `set -e
for procs in $BERTH_CGROUPS; do echo 0 > "$procs"; done
root="$1"; host_name="$2"; work_dir="$3"; user="$4"; read_only="$5"; loader="$6"; shift 6
"$BERTH_MOUNT" --make-rprivate /
# A /dev of the container's own with the usual devices, never the host's.
own_dev() {
	"$BERTH_MOUNT" -t tmpfs -o mode=755,nosuid tmpfs "$root/dev"
	mkdir "$root/dev/pts" "$root/dev/shm"
	# One copy makes every node (and the fd links) that a bind each would take a mount for.
	cp -a /dev/null /dev/zero /dev/full /dev/random /dev/urandom /dev/tty /dev/fd /dev/stdin /dev/stdout /dev/stderr "$root/dev/"
	"$BERTH_MOUNT" -t tmpfs -o mode=1777,nosuid,nodev tmpfs "$root/dev/shm"
}
if [ -n "$BERTH_UPPER" ]; then
	# A loaded image: its root filesystem below, the container's own writable layer above.
	"$BERTH_MOUNT" -t overlay overlay -o "lowerdir=$BERTH_ROOTFS,upperdir=$BERTH_UPPER,workdir=$BERTH_WORK" "$root"
	mkdir -p "$root/proc" "$root/tmp" "$root/sys" "$root/dev"
	own_dev
else
	"$BERTH_MOUNT" --rbind "$BERTH_ROOTFS" "$root"
	if [ "$read_only" = 1 ]; then
		# A bind's read-only flag covers one mount, not those below it: remount each writable one
		# that stays in sight (/dev, /proc, /run, /sys and /tmp get fresh mounts over them below).
		# mountinfo's fifth field is the mount point, octal-escaped; the sixth its options.
		while read -r _ _ _ _ point options _; do
			case "$point" in *\\\\*) point=$(printf '%b' "$point") ;; esac
			case "$point" in "$root"/dev | "$root"/dev/* | "$root"/proc | "$root"/proc/* | "$root"/run | "$root"/run/* | "$root"/sys | "$root"/sys/* | "$root"/tmp | "$root"/tmp/*) continue ;; esac
			case "$point" in "$root" | "$root"/*) ;; *) continue ;; esac
			case "$options" in ro | ro,*) continue ;; esac
			"$BERTH_MOUNT" -o remount,bind,ro "$point" 2>/dev/null || echo "warning: $point stays writable" >&2
		done < /proc/self/mountinfo
	fi
	# The host's own /dev, /run (its daemons' sockets) and /sys stay out of reach.
	own_dev
	[ -d "$root/run" ] && "$BERTH_MOUNT" -t tmpfs -o mode=755,nosuid,nodev tmpfs "$root/run"
	[ -d "$root/sys" ] && { "$BERTH_MOUNT" -t sysfs -o ro,nosuid,nodev,noexec sysfs "$root/sys" 2>/dev/null || "$BERTH_MOUNT" -t tmpfs -o ro tmpfs "$root/sys"; }
fi
# On a TTY the terminal \`script\` made is fd 0: that one device, and no other of the host's, is
# put in the container's /dev/pts, so \`tty\` can name it.
if [ -n "$BERTH_SETSID" ]; then
	terminal=$(readlink /proc/self/fd/0)
	case "$terminal" in /dev/pts/*) : > "$root$terminal" && "$BERTH_MOUNT" --bind "$terminal" "$root$terminal" ;; esac
fi
"$BERTH_MOUNT" -t proc proc "$root/proc"
"$BERTH_MOUNT" -t tmpfs -o mode=1777 tmpfs "$root/tmp"
# Bind mounts, one a line: source, destination and rw or ro, separated by tabs.
tab=$(printf '\t')
printf '%s' "$BERTH_BINDS" | while IFS="$tab" read -r source destination mode; do
	[ -n "$source" ] || continue
	point="$root$destination"
	if [ -d "$source" ]; then made() { mkdir -p "$point"; }; else made() { mkdir -p "$(dirname "$point")" && { [ -e "$point" ] || : > "$point"; }; }; fi
	if [ ! -e "$point" ] && ! made 2>/dev/null; then
		echo "cannot make the mount point $destination: the image's root is read-only there (mount on a path that exists, or under /tmp)" >&2
		exit 1
	fi
	"$BERTH_MOUNT" --rbind "$source" "$root$destination"
	if [ "$mode" = ro ]; then "$BERTH_MOUNT" -o remount,bind,ro "$root$destination"; fi
done
"$BERTH_HOSTNAME" "$host_name"
chroot="$BERTH_CHROOT"
unset BERTH_MOUNT BERTH_HOSTNAME BERTH_ROOTFS BERTH_CHROOT BERTH_CGROUPS BERTH_UPPER BERTH_WORK BERTH_BINDS
# On a TTY the container's first process leads a session of its own with the terminal as its
# controlling one, so that shells inside can hand the terminal back and forth (job control).
session=
if [ -n "$BERTH_SETSID" ]; then session="$BERTH_SETSID --ctty"; fi
unset BERTH_SETSID
if [ -n "$user" ]; then exec $session "$chroot" --userspec="$user" "$root" /bin/sh -c "$loader" "$work_dir" "$@"; fi
exec $session "$chroot" "$root" /bin/sh -c "$loader" "$work_dir" "$@"
`;

export function spawnProcess(spec: ProcessSpec, isolation: Isolation): RunningProcess {
	const env = Object.fromEntries(
		spec.env.map(entry => {
			const index = entry.indexOf('=');
			return index === -1 ? [entry, ''] : [entry.slice(0, index), entry.slice(index + 1)];
		}),
	);
	// 0-2 the container's standard streams, 3 the init's reports, 5 the init's own script.
	const stdio: Array<'pipe' | 'ignore'> = ['pipe', 'pipe', 'pipe', 'pipe', 'ignore', 'pipe'];
	// The container's own SHELL, kept apart: `script` needs a shell of the host's in SHELL.
	const shell = {BERTH_SHELL_SET: 'SHELL' in env ? '1' : '0', BERTH_SHELL: env.SHELL ?? ''};
	let command: string[];
	let extraEnv: Record<string, string> = {};
	if (isolation.mode === 'namespaces') {
		const root = path.join(spec.directory, 'root');
		mkdirSync(root, {recursive: true});
		const {tools} = isolation;
		command = [tools.unshare!, '--pid', '--fork', '--kill-child', '--mount', '--uts', '--ipc', ...(spec.network === 'none' ? ['--net'] : []), '--', '/bin/sh', '-c', setupScript];
		command.push('berth-setup', root, spec.hostname, spec.workingDir || '/', spec.user ?? '', spec.readOnlyRoot ? '1' : '0', loader, ...spec.argv);
		extraEnv = {
			BERTH_MOUNT: tools.mount!,
			BERTH_HOSTNAME: tools.hostname!,
			BERTH_CHROOT: tools.chroot!,
			BERTH_ROOTFS: spec.rootfs,
			BERTH_CGROUPS: (spec.cgroupProcs ?? []).join(' '),
			BERTH_BINDS: (spec.binds ?? []).map(bind => `${bind.source}\t${bind.destination}\t${bind.readOnly ? 'ro' : 'rw'}\n`).join(''),
		};
		if (spec.tty) extraEnv.BERTH_SETSID = tools.setsid!;
		if (spec.layered) {
			const upper = path.join(spec.directory, 'upper');
			const work = path.join(spec.directory, 'work');
			mkdirSync(upper, {recursive: true});
			mkdirSync(work, {recursive: true});
			writeEtcFiles({rootfs: spec.rootfs, upper, hostname: spec.hostname, network: spec.network});
			Object.assign(extraEnv, {BERTH_UPPER: upper, BERTH_WORK: work});
		}
	} else {
		command = ['/bin/sh', '-c', loader, spec.workingDir || '/', ...spec.argv];
	}

	if (spec.tty) command = ttyCommand(command);
	const child = spawn(command[0]!, command.slice(1), {
		env: {...env, ...extraEnv, ...shell, ...(spec.tty ? {SHELL: '/bin/sh'} : {})},
		stdio,
		detached: isolation.mode === 'process',
	}) as unknown as ChildProcessWithoutNullStreams;

	const scriptPipe = (child.stdio as unknown as NodeJS.WritableStream[])[5]!;
	scriptPipe.on('error', () => undefined);
	scriptPipe.end(initScript);

	// The init's reports: "ready", "exit N", or "error WHY".
	let reported: number | undefined;
	let failure: string | undefined;
	let markReady: () => void = () => undefined;
	const isReady = new Promise<void>(resolve => {
		markReady = resolve;
	});
	const statusPipe = child.stdio[3] as NodeJS.ReadableStream;
	let statusText = '';
	statusPipe.setEncoding('utf8');
	statusPipe.on('data', (text: string) => {
		statusText += text;
		const lines = statusText.split('\n');
		statusText = lines.pop() ?? '';
		for (const line of lines) {
			if (line === 'ready') markReady();
			else if (line.startsWith('exit ')) reported = Number.parseInt(line.slice(5), 10);
			else if (line.startsWith('error ')) failure = line.slice(6);
		}
	});
	statusPipe.on('error', () => undefined);
	// What the set-up said on stderr, for a start that fails before the command runs.
	let earlyStderr = '';
	const collectStderr = (chunk: Buffer) => {
		earlyStderr = (earlyStderr + chunk.toString()).slice(-1000);
	};

	child.stderr.on('data', collectStderr);
	void isReady.then(() => child.stderr.off('data', collectStderr));
	let killed = false;

	const exited = new Promise<Exit>(resolve => {
		child.on('error', error => resolve({code: 127, signal: (error as NodeJS.ErrnoException).code}));
		child.on('exit', (code, signal) => {
			// Without a pid namespace nothing ends the rest when the init goes: end its group, as
			// the kernel ends a namespace's processes when its first one exits.
			if (isolation.mode === 'process' && child.pid) {
				try {
					process.kill(-child.pid, 'SIGKILL');
				} catch {
					// Nothing left.
				}
			}

			const settle = () => {
				if (reported !== undefined) resolve({code: reported});
				// No report: the init itself was killed, which only SIGKILL can do.
				else if (killed) resolve({code: 137, signal: 'SIGKILL'});
				else resolve(signal ? {code: 128 + (constants.signals[signal] ?? 0), signal} : {code: code ?? 0});
			};

			// The report was written before the init exited; give the pipe a moment to deliver it.
			if (reported !== undefined || (statusPipe as unknown as {readableEnded: boolean}).readableEnded) settle();
			else {
				const timer = setTimeout(settle, 200);
				statusPipe.once('end', () => {
					clearTimeout(timer);
					settle();
				});
			}
		});
	});

	// With namespaces the init runs as the child of `unshare` and is PID 1 inside: signals go to it.
	// The container's init, found once it runs: with namespaces, the first process below ours in
	// another pid namespace; without, the loader's shell (under `script` when there is a TTY).
	let initPid: number | undefined;
	const containerPid = () => {
		if (initPid) return initPid;
		const found = child.pid ? findInit(child.pid, isolation.mode) : undefined;
		if (found) initPid = found;
		return found ?? child.pid ?? 0;
	};

	const ready = Promise.race([
		isReady,
		exited.then(exit => {
			throw new Error(failure ?? (earlyStderr.trim().split('\n').at(-1) || `the container's set-up exited with code ${exit.code}`));
		}),
	]);
	ready.catch(() => undefined);

	return {
		ready,
		get pid() {
			return containerPid();
		},
		child,
		exited,
		signal(signal) {
			const kill = signal === 'SIGKILL' || signal === 9;
			if (kill) killed = true;
			// The init passes catchable signals on; SIGKILL goes to every process at once.
			const target = isolation.mode === 'namespaces' ? containerPid() : kill ? -(child.pid ?? 0) : (child.pid ?? 0);
			try {
				process.kill(target, signal);
			} catch {
				// Already gone.
			}
		},
	};
}

export function rootfsUsable(rootfs: string): boolean {
	return existsSync(path.join(rootfs, 'bin', 'sh'));
}

/** Every process of a container without a cgroup: those in its pid namespace, or its process group. */
export function processesOf(initPid: number, isolation: Isolation): number[] {
	const pids: number[] = [];
	let namespace: string | undefined;
	try {
		namespace = isolation.mode === 'namespaces' ? readlinkSync(`/proc/${initPid}/ns/pid`) : undefined;
	} catch {
		return [];
	}

	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		const pid = Number(entry);
		try {
			if (namespace) {
				if (readlinkSync(`/proc/${pid}/ns/pid`) === namespace) pids.push(pid);
			} else {
				// Field 5 of /proc/PID/stat, after the parenthesised command name, is the process group.
				const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
				const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
				if (Number(fields[2]) === initPid) pids.push(pid);
			}
		} catch {
			// Gone meanwhile.
		}
	}

	return pids;
}

const shellQuote = (value: string) => `'${value.replaceAll("'", `'\\''`)}'`;

/**
 * The command, run on a new pseudo-terminal by util-linux `script`, which passes its exit code on.
 * The terminal echoes what is typed, as a TTY of dockerd's does (a raw client terminal shows
 * nothing else).
 */
export function ttyCommand(command: string[]): string[] {
	return ['script', '--quiet', '--flush', '--return', '--echo', 'always', '--command', command.map(shellQuote).join(' '), '/dev/null'];
}

/** Sets a terminal's size from the host; the kernel tells the programs on it (SIGWINCH). */
export function resizeTerminal(pid: number, rows: number, columns: number): void {
	const terminal = readlinkSync(`/proc/${pid}/fd/0`);
	if (!terminal.startsWith('/dev/pts/')) throw new Error('the process has no terminal');
	execFileSync('stty', ['-F', terminal, 'rows', String(rows), 'cols', String(columns)]);
}

function childrenOf(pid: number): number[] {
	try {
		return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
	} catch {
		return [];
	}
}

function findInit(rootPid: number, mode: IsolationMode): number | undefined {
	let ownNamespace: string | undefined;
	try {
		ownNamespace = readlinkSync('/proc/self/ns/pid');
	} catch {
		return undefined;
	}

	const queue = [rootPid];
	for (let visited = 0; queue.length > 0 && visited < 50; visited++) {
		const pid = queue.shift()!;
		try {
			if (mode === 'namespaces' ? readlinkSync(`/proc/${pid}/ns/pid`) !== ownNamespace : readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('s=;while')) return pid;
		} catch {
			continue;
		}

		queue.push(...childrenOf(pid));
	}

	return undefined;
}
