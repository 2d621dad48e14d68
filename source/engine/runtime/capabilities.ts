// Linux capabilities by name, and the set a container gets: dockerd's default 14, with
// --cap-add and --cap-drop (ALL included) applied as dockerd applies them, or every one for
// --privileged. Pure.
import {badRequest} from '../errors.ts';

/** The capability numbers of <linux/capability.h>. */
export const capabilityNumbers: Readonly<Record<string, number>> = {
	CHOWN: 0, DAC_OVERRIDE: 1, DAC_READ_SEARCH: 2, FOWNER: 3, FSETID: 4, KILL: 5, SETGID: 6, SETUID: 7, SETPCAP: 8,
	LINUX_IMMUTABLE: 9, NET_BIND_SERVICE: 10, NET_BROADCAST: 11, NET_ADMIN: 12, NET_RAW: 13, IPC_LOCK: 14, IPC_OWNER: 15,
	SYS_MODULE: 16, SYS_RAWIO: 17, SYS_CHROOT: 18, SYS_PTRACE: 19, SYS_PACCT: 20, SYS_ADMIN: 21, SYS_BOOT: 22, SYS_NICE: 23,
	SYS_RESOURCE: 24, SYS_TIME: 25, SYS_TTY_CONFIG: 26, MKNOD: 27, LEASE: 28, AUDIT_WRITE: 29, AUDIT_CONTROL: 30, SETFCAP: 31,
	MAC_OVERRIDE: 32, MAC_ADMIN: 33, SYSLOG: 34, WAKE_ALARM: 35, BLOCK_SUSPEND: 36, AUDIT_READ: 37, PERFMON: 38, BPF: 39,
	CHECKPOINT_RESTORE: 40,
};

/** What dockerd gives a container unless told otherwise. */
export const defaultCapabilities: readonly string[] = ['CHOWN', 'DAC_OVERRIDE', 'FSETID', 'FOWNER', 'MKNOD', 'NET_RAW', 'SETGID', 'SETUID', 'SETFCAP', 'SETPCAP', 'NET_BIND_SERVICE', 'SYS_CHROOT', 'KILL', 'AUDIT_WRITE'];

/** "net_admin", "CAP_NET_ADMIN" and "NET_ADMIN" are one capability, as docker reads them. */
function normalise(name: string): string {
	const upper = name.trim().toUpperCase();
	return upper.startsWith('CAP_') ? upper.slice(4) : upper;
}

/** Every capability this kernel knows (cap_last_cap), by name. */
export function allCapabilities(lastCap: number): string[] {
	return Object.entries(capabilityNumbers)
		.filter(([, number]) => number <= lastCap)
		.map(([name]) => name);
}

export type CapabilityRequest = {capAdd?: readonly string[] | null; capDrop?: readonly string[] | null; privileged?: boolean};

/** Checked at create: every name must be a capability (or ALL). */
export function checkCapabilities(request: CapabilityRequest): void {
	for (const name of [...(request.capAdd ?? []), ...(request.capDrop ?? [])]) {
		const capability = normalise(name);
		if (capability !== 'ALL' && !(capability in capabilityNumbers)) throw badRequest(`invalid capability: ${name}: unknown capability: "CAP_${capability}"`);
	}
}

/**
 * The container's capability set, as dockerd works it out: ALL in --cap-add starts from every
 * capability, ALL in --cap-drop from none; then the other adds and drops, a drop winning.
 */
export function containerCapabilities(request: CapabilityRequest, lastCap: number): string[] {
	const all = allCapabilities(lastCap);
	if (request.privileged) return all;
	const adds = (request.capAdd ?? []).map(normalise);
	const drops = (request.capDrop ?? []).map(normalise);
	let set = new Set<string>(adds.includes('ALL') ? all : drops.includes('ALL') ? [] : defaultCapabilities);
	for (const name of adds) if (name !== 'ALL') set.add(name);
	for (const name of drops) if (name !== 'ALL') set.delete(name);
	set = new Set([...set].filter(name => all.includes(name)));
	return all.filter(name => set.has(name));
}

/** A set as /proc/PID/status shows it ("00000000a80425fb"). */
export function capabilityMask(names: readonly string[]): string {
	let mask = 0n;
	for (const name of names) mask |= 1n << BigInt(capabilityNumbers[name]!);
	return mask.toString(16).padStart(16, '0');
}
