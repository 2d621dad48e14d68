// A seccomp filter with the effect of Docker's default profile: the system calls that profile
// refuses to a container fail with EPERM here too, unless the capability that profile ties them to
// is granted (--cap-add SYS_ADMIN lets mount, unshare and setns through, as it does under
// dockerd); clone with a new namespace's flag is refused without SYS_ADMIN; clone3 answers ENOSYS
// so that the C library falls back to clone, whose flags can be checked; personality takes only
// the values the profile allows; and a call of another architecture's ABI (x32) is refused.
// Written as a short classic-BPF program, built here as bytes and loaded by the exec helper.
// Pure.

export type SeccompArch = 'x86_64' | 'aarch64';

/** AUDIT_ARCH_* of <linux/audit.h>. */
const auditArch: Record<SeccompArch, number> = {x86_64: 0xc000003e, aarch64: 0xc00000b7};

/** System call numbers, per architecture (absent where the call does not exist there). */
const numbers: Record<string, Partial<Record<SeccompArch, number>>> = {
	acct: {x86_64: 163, aarch64: 89},
	add_key: {x86_64: 248, aarch64: 217},
	bpf: {x86_64: 321, aarch64: 280},
	clock_adjtime: {x86_64: 305, aarch64: 266},
	clock_settime: {x86_64: 227, aarch64: 112},
	clone: {x86_64: 56, aarch64: 220},
	clone3: {x86_64: 435, aarch64: 435},
	create_module: {x86_64: 174},
	delete_module: {x86_64: 176, aarch64: 106},
	fanotify_init: {x86_64: 300, aarch64: 262},
	finit_module: {x86_64: 313, aarch64: 273},
	get_kernel_syms: {x86_64: 177},
	get_mempolicy: {x86_64: 239, aarch64: 236},
	init_module: {x86_64: 175, aarch64: 105},
	ioperm: {x86_64: 173},
	iopl: {x86_64: 172},
	kcmp: {x86_64: 312, aarch64: 272},
	kexec_file_load: {x86_64: 320, aarch64: 294},
	kexec_load: {x86_64: 246, aarch64: 104},
	keyctl: {x86_64: 250, aarch64: 219},
	lookup_dcookie: {x86_64: 212, aarch64: 18},
	mbind: {x86_64: 237, aarch64: 235},
	mount: {x86_64: 165, aarch64: 40},
	move_mount: {x86_64: 429, aarch64: 429},
	move_pages: {x86_64: 279, aarch64: 239},
	name_to_handle_at: {x86_64: 303, aarch64: 264},
	nfsservctl: {x86_64: 180, aarch64: 42},
	open_by_handle_at: {x86_64: 304, aarch64: 265},
	open_tree: {x86_64: 428, aarch64: 428},
	fsopen: {x86_64: 430, aarch64: 430},
	fsconfig: {x86_64: 431, aarch64: 431},
	fsmount: {x86_64: 432, aarch64: 432},
	fspick: {x86_64: 433, aarch64: 433},
	perf_event_open: {x86_64: 298, aarch64: 241},
	personality: {x86_64: 135, aarch64: 92},
	pivot_root: {x86_64: 155, aarch64: 41},
	process_vm_readv: {x86_64: 310, aarch64: 270},
	process_vm_writev: {x86_64: 311, aarch64: 271},
	ptrace: {x86_64: 101, aarch64: 117},
	query_module: {x86_64: 178},
	quotactl: {x86_64: 179, aarch64: 60},
	reboot: {x86_64: 169, aarch64: 142},
	request_key: {x86_64: 249, aarch64: 218},
	set_mempolicy: {x86_64: 238, aarch64: 237},
	setns: {x86_64: 308, aarch64: 268},
	settimeofday: {x86_64: 164, aarch64: 170},
	swapoff: {x86_64: 168, aarch64: 225},
	swapon: {x86_64: 167, aarch64: 224},
	syslog: {x86_64: 103, aarch64: 116},
	sysfs: {x86_64: 139},
	_sysctl: {x86_64: 156},
	umount2: {x86_64: 166, aarch64: 39},
	unshare: {x86_64: 272, aarch64: 97},
	uselib: {x86_64: 134},
	userfaultfd: {x86_64: 323, aarch64: 282},
	ustat: {x86_64: 136},
	vhangup: {x86_64: 153, aarch64: 58},
};

/** Refused unless one of these capabilities is granted ([] for refused whatever is granted). */
const refused: Record<string, readonly string[]> = {
	acct: ['SYS_PACCT'],
	add_key: [],
	keyctl: [],
	request_key: [],
	bpf: ['SYS_ADMIN', 'BPF'],
	clock_adjtime: ['SYS_TIME'],
	clock_settime: ['SYS_TIME'],
	settimeofday: ['SYS_TIME'],
	create_module: ['SYS_MODULE'],
	delete_module: ['SYS_MODULE'],
	finit_module: ['SYS_MODULE'],
	init_module: ['SYS_MODULE'],
	get_kernel_syms: [],
	query_module: [],
	nfsservctl: [],
	uselib: [],
	sysfs: [],
	_sysctl: [],
	ustat: [],
	get_mempolicy: ['SYS_NICE'],
	mbind: ['SYS_NICE'],
	set_mempolicy: ['SYS_NICE'],
	move_pages: ['SYS_NICE'],
	ioperm: ['SYS_RAWIO'],
	iopl: ['SYS_RAWIO'],
	kcmp: ['SYS_PTRACE'],
	process_vm_readv: ['SYS_PTRACE'],
	process_vm_writev: ['SYS_PTRACE'],
	kexec_file_load: ['SYS_BOOT'],
	kexec_load: ['SYS_BOOT'],
	reboot: ['SYS_BOOT'],
	lookup_dcookie: ['SYS_ADMIN'],
	mount: ['SYS_ADMIN'],
	umount2: ['SYS_ADMIN'],
	move_mount: ['SYS_ADMIN'],
	open_tree: ['SYS_ADMIN'],
	fsopen: ['SYS_ADMIN'],
	fsconfig: ['SYS_ADMIN'],
	fsmount: ['SYS_ADMIN'],
	fspick: ['SYS_ADMIN'],
	pivot_root: ['SYS_ADMIN'],
	setns: ['SYS_ADMIN'],
	unshare: ['SYS_ADMIN'],
	quotactl: ['SYS_ADMIN'],
	swapoff: ['SYS_ADMIN'],
	swapon: ['SYS_ADMIN'],
	fanotify_init: ['SYS_ADMIN'],
	name_to_handle_at: ['SYS_ADMIN', 'DAC_READ_SEARCH'],
	open_by_handle_at: ['DAC_READ_SEARCH'],
	perf_event_open: ['SYS_ADMIN', 'PERFMON'],
	syslog: ['SYSLOG'],
	vhangup: ['SYS_TTY_CONFIG'],
	userfaultfd: [],
};

/** The flags of clone that make a new namespace (CLONE_NEWNS … CLONE_NEWNET, CLONE_NEWCGROUP, CLONE_NEWTIME). */
const namespaceFlags = 0x7e020000 | 0x00000080;
/** The personality values the default profile lets through. */
const allowedPersonalities = [0x0, 0x8, 0x20000, 0x20008, 0xffffffff];

// Classic BPF, as <linux/filter.h> and <linux/seccomp.h> define it.
const LD_W_ABS = 0x20;
const JEQ_K = 0x15;
const JGE_K = 0x35;
const JSET_K = 0x45;
const RET_K = 0x06;
const RET_ALLOW = 0x7fff0000;
const RET_ERRNO = 0x00050000;
const RET_KILL_PROCESS = 0x80000000;
const EPERM = 1;
const ENOSYS = 38;
const X32_BIT = 0x40000000;

type Instruction = {code: number; jt: number; jf: number; k: number};

/** The filter for a container with these capabilities, as the bytes of its sock_filter array. */
export function seccompProgram(arch: SeccompArch, capabilities: readonly string[]): Buffer {
	const granted = new Set(capabilities);
	const denied = Object.entries(refused)
		.filter(([name, unless]) => numbers[name]?.[arch] !== undefined && !unless.some(capability => granted.has(capability)))
		.map(([name]) => numbers[name]![arch]!);
	const program: Instruction[] = [];
	const push = (code: number, k: number, jt = 0, jf = 0) => program.push({code, jt, jf, k});
	// Three outcomes at the end, jumped to by label; their places are known once the body is.
	const targets = {allow: -1, eperm: -1, enosys: -1, kill: -1};
	const jumps: Array<{at: number; branch: 'jt' | 'jf'; to: keyof typeof targets}> = [];
	const jumpTo = (code: number, k: number, branch: 'jt' | 'jf', to: keyof typeof targets) => {
		jumps.push({at: program.length, branch, to});
		push(code, k);
	};

	// seccomp_data: nr at 0, arch at 4, args[i] at 16 + 8i (the low 32 bits first, little-endian).
	push(LD_W_ABS, 4);
	jumpTo(JEQ_K, auditArch[arch], 'jf', 'kill');
	push(LD_W_ABS, 0);
	if (arch === 'x86_64') jumpTo(JGE_K, X32_BIT, 'jt', 'eperm');
	for (const number of denied) jumpTo(JEQ_K, number, 'jt', 'eperm');
	jumpTo(JEQ_K, numbers.clone3![arch]!, 'jt', 'enosys');
	if (!granted.has('SYS_ADMIN')) {
		// clone: refused when its flags (the first argument on x86_64 and arm64) ask for a namespace.
		push(JEQ_K, numbers.clone![arch]!, 0, 2);
		push(LD_W_ABS, 16);
		jumpTo(JSET_K, namespaceFlags, 'jt', 'eperm');
		push(LD_W_ABS, 0);
	}

	// personality: only the allowed values; anything else is not personality and is let through.
	push(JEQ_K, numbers.personality![arch]!, 0, allowedPersonalities.length + 2);
	push(LD_W_ABS, 16);
	for (const value of allowedPersonalities) jumpTo(JEQ_K, value, 'jt', 'allow');
	push(RET_K, RET_ERRNO | EPERM);
	targets.allow = program.length;
	push(RET_K, RET_ALLOW);
	targets.eperm = program.length;
	push(RET_K, RET_ERRNO | EPERM);
	targets.enosys = program.length;
	push(RET_K, RET_ERRNO | ENOSYS);
	targets.kill = program.length;
	push(RET_K, RET_KILL_PROCESS);
	for (const {at, branch, to} of jumps) {
		const distance = targets[to] - at - 1;
		if (distance < 0 || distance > 255) throw new Error('seccomp program too long for its jumps');
		program[at]![branch] = distance;
	}

	const bytes = Buffer.alloc(program.length * 8);
	for (const [index, {code, jt, jf, k}] of program.entries()) {
		bytes.writeUInt16LE(code, index * 8);
		bytes.writeUInt8(jt, index * 8 + 2);
		bytes.writeUInt8(jf, index * 8 + 3);
		bytes.writeUInt32LE(k >>> 0, index * 8 + 4);
	}

	return bytes;
}

export function seccompArch(machine = process.arch): SeccompArch | undefined {
	return machine === 'x64' ? 'x86_64' : machine === 'arm64' ? 'aarch64' : undefined;
}
