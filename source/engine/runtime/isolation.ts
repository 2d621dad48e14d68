// What this machine lets the engine enforce, found once at start and told as it is: namespaces
// as root on Linux with util-linux and perl (the exec helper); Docker's capability set and
// masked paths there; a seccomp filter where the kernel has seccomp and the helper knows the
// architecture; none of it without root ("process" isolation: a supervised process).
import {execFileSync} from 'node:child_process';
import {existsSync, readFileSync} from 'node:fs';
import {type SeccompArch, seccompArch} from './seccomp.ts';

export type IsolationMode = 'namespaces' | 'process';

export type Isolation = {
	mode: IsolationMode;
	/** One sentence: what is in force, or why not. */
	reason: string;
	tools: Record<string, string>;
	/** The architecture the exec helper's system calls and the seccomp filter are for. */
	arch?: SeccompArch;
	/** The kernel's last capability number, and the capabilities the engine itself holds (a container cannot have more). */
	lastCap: number;
	ownCapabilities: bigint;
	seccomp: boolean;
	/** The protections in force, as `docker info` lists SecurityOptions ("name=seccomp,profile=default"). */
	securityOptions: string[];
	/** What the machine lacks, each a sentence, for `berth engine status` and the header. */
	missing: string[];
};

function which(name: string): string | undefined {
	for (const directory of ['/usr/sbin', '/usr/bin', '/sbin', '/bin', '/usr/local/sbin', '/usr/local/bin']) {
		const candidate = `${directory}/${name}`;
		if (existsSync(candidate)) return candidate;
	}

	try {
		return execFileSync('sh', ['-c', `command -v ${name}`], {encoding: 'utf8'}).trim() || undefined;
	} catch {
		return undefined;
	}
}

function ownCapabilities(): bigint {
	try {
		const line = readFileSync('/proc/self/status', 'utf8').split('\n').find(entry => entry.startsWith('CapBnd:'));
		return line ? BigInt(`0x${line.split(/\s+/)[1]}`) : 0n;
	} catch {
		return 0n;
	}
}

function lastCapability(): number {
	try {
		return Number(readFileSync('/proc/sys/kernel/cap_last_cap', 'utf8').trim()) || 40;
	} catch {
		return 40;
	}
}

function kernelHasSeccomp(): boolean {
	try {
		return readFileSync('/proc/self/status', 'utf8').includes('Seccomp:') && existsSync('/proc/sys/kernel/seccomp/actions_avail');
	} catch {
		return false;
	}
}

export function detectIsolation(): Isolation {
	const process_ = (reason: string): Isolation => ({mode: 'process', reason, tools: {}, lastCap: lastCapability(), ownCapabilities: 0n, seccomp: false, securityOptions: [], missing: [reason]});
	if (process.platform !== 'linux') return process_('not Linux: containers are plain processes, not isolated');
	if (process.getuid?.() !== 0) return process_('not running as root: containers are plain processes, not isolated (no namespaces, capabilities, seccomp, cgroups or mounts)');
	const tools: Record<string, string> = {};
	for (const name of ['unshare', 'mount', 'perl', 'mkfifo']) {
		const found = which(name);
		if (!found) return process_(`${name} not found (${name === 'perl' ? 'perl-base' : name === 'mkfifo' ? 'coreutils' : 'util-linux'}): containers are plain processes, not isolated`);
		tools[name] = found;
	}

	const tini = which('tini-static') ?? which('tini');
	if (tini) tools.tini = tini;
	const arch = seccompArch();
	const missing: string[] = [];
	if (!arch) return process_(`the exec helper does not know this architecture (${process.arch}): containers are plain processes`);
	const seccomp = kernelHasSeccomp();
	if (!seccomp) missing.push('the kernel has no seccomp: no system call filter');
	if (!tini) missing.push('no tini (Debian: tini): --init is refused');
	// dockerd's words where it has them; berth's own for what it enforces in another way.
	const securityOptions = [...(seccomp ? ['name=seccomp,profile=default'] : []), 'name=capabilities,profile=default', 'name=masked-paths', 'name=nodev'];
	const reason = `root on Linux: pid, mount, uts, ipc and network namespaces; Docker's capabilities and masked paths${seccomp ? '; seccomp' : ''}`;
	return {mode: 'namespaces', reason, tools, arch, lastCap: lastCapability(), ownCapabilities: ownCapabilities(), seccomp, securityOptions, missing};
}
