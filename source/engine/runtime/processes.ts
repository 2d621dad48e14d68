// A running container's processes and terminal, as the host sees them.
import {execFileSync} from 'node:child_process';
import {readdirSync, readFileSync, readlinkSync} from 'node:fs';

/**
 * Every process of a container without a cgroup: those in its pid namespace, or, without one, in
 * its process group (the command alone when it has none of its own, on a TTY).
 */
export function processesOf(initPid: number, by: 'namespace' | 'group'): number[] {
	let mark: string;
	try {
		mark = by === 'namespace' ? readlinkSync(`/proc/${initPid}/ns/pid`) : processGroup(initPid);
	} catch {
		return [];
	}

	if (by === 'group' && mark !== String(initPid)) return [initPid];
	const pids: number[] = [];
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			if ((by === 'namespace' ? readlinkSync(`/proc/${entry}/ns/pid`) : processGroup(Number(entry))) === mark) pids.push(Number(entry));
		} catch {
			// Gone meanwhile.
		}
	}

	return pids;
}

/** The process group of a process, from /proc (the field after the state and the parent). */
function processGroup(pid: number): string {
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]!;
}

/** Sets a terminal's size from the host; the kernel tells the programs on it (SIGWINCH). */
export function resizeTerminal(pid: number, rows: number, columns: number): void {
	// Through /proc, not by the name the process sees: that name is in the container's devpts, and
	// the same name on the host is some other terminal.
	const terminal = `/proc/${pid}/fd/0`;
	if (!readlinkSync(terminal).startsWith('/dev/pts/')) throw new Error('the process has no terminal');
	execFileSync('stty', ['-F', terminal, 'rows', String(rows), 'cols', String(columns)]);
}

/** Whether a process still exists (and is not a zombie). */
export function alive(pid: number): boolean {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
	} catch {
		return false;
	}
}
