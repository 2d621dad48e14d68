// The shell that runs a container, in two parts. The monitor outlives the engine: it holds the
// container's FIFOs open (so that input does not end and reports are not lost while the engine
// is away; output goes to spool files, where it waits for the engine), waits for the container's first process and writes its
// exit status where a restarted engine finds it. The set-up runs inside the container's new
// namespaces: it mounts the container's root and what Docker puts in it, masks and write-protects
// what Docker does, and hands over to the exec helper, which becomes the command, PID 1.

/**
 * The monitor, started as `unshare --pid -- sh -c MONITOR berth-monitor DIR ID COMMAND...` once
 * the container's mounts are made: it stays in the host's pid namespace, and its one child is PID
 * 1 of the container's. It forks nothing else (a second child would land in the container) and
 * uses builtins only; once the child has taken the container's root (pivot_root), the monitor's
 * root is that too, so what it writes afterwards goes to files it opened before.
 *   fd 3: the control FIFO; the child inherits it, for the helper's report.
 *   fd 7: the stdin FIFO, held read-write by the monitor when the input outlives an attach.
 *   fd 5: the exit file, empty until the exit status is written to it.
 */
export const monitorScript = `dir=$1; shift; id=$1; shift
exec 5>"$dir/exit"
printf '%s\\n' "$$" > "$dir/monitor.pid"
printf 'monitor %s\\n' "$$" >&3
# The monitor's stdout and stderr are the relay's terminal or pipes: the child gets them (and on a
# TTY the terminal as stdin too).
# (An asynchronous command's input would be /dev/null: the terminal is handed to it through fd 6.)
exec 6<&0
if [ "$BERTH_HELPER_STDIO" = terminal ]; then "$@" <&6 5>&- 6<&- 7>&- &
elif [ "$BERTH_HELPER_STDIO" = fifo ]; then "$@" <"$dir/stdin" 5>&- 6<&- 7>&- &
else "$@" </dev/null 5>&- 6<&- 7>&- &
fi
exec 6<&-
child=$!
printf 'started %s\\n' "$child" >&3
trap '' HUP INT TERM QUIT USR1 USR2 PIPE
while :; do
	wait "$child"
	code=$?
	kill -0 "$child" 2>/dev/null || break
done
# Without a pid namespace the container's process group stands for it: what is left of it goes too.
if [ -n "$BERTH_PROCESS_GROUP" ]; then kill -9 -- "-$child" 2>/dev/null; fi
printf '%s\\n' "$code" >&5
# The relay around the monitor tells the exit, once the last output is in the spools.
exit "$code"
`;

/** What dockerd masks (an empty file or directory in its place) and makes read-only, under /proc and /sys. */
export const maskedPaths = ['/proc/asound', '/proc/acpi', '/proc/kcore', '/proc/keys', '/proc/latency_stats', '/proc/timer_list', '/proc/timer_stats', '/proc/sched_debug', '/proc/scsi', '/sys/firmware', '/sys/devices/virtual/powercap'];
export const readOnlyPaths = ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'];

/**
 * The set-up, as `unshare --mount --uts --ipc [--net] -- sh -c SETUP berth-setup ROOT HOSTNAME DIR
 * ID COMMAND...`, in the host's pid namespace (its many small programs take no pid of the
 * container's), then the monitor. Environment: BERTH_MOUNT, BERTH_ROOTFS (the host image) or BERTH_LOWER_BASE and BERTH_LOWER (an image's layers), BERTH_UPPER and
 * BERTH_WORK (a layered image), BERTH_BINDS, BERTH_TERMINAL (a TTY), BERTH_PRIVILEGED, BERTH_INIT
 * (tini for --init), BERTH_PERL, BERTH_UNSHARE, BERTH_MONITOR, and the helper's BERTH_HELPER_*.
 */
export const setupScript = `set -e
PATH=/usr/sbin:/usr/bin:/sbin:/bin
root="$1"; host_name="$2"; dir="$3"; id="$4"; shift 4
M=$BERTH_MOUNT
"$M" --make-rprivate /
# Docker lets a container make device nodes (CAP_MKNOD) and its device cgroup refuses opening any
# but its own few. Here every mount the container gets is nodev instead, but for the devices
# bound into its /dev: a node it makes cannot be opened (privileged: all of them can).
nodev=,nodev; [ -n "$BERTH_PRIVILEGED" ] && nodev=
# Every mount at or below $1 (a bind brings the mounts below its source) made nodev too.
nodev_under() {
	[ -n "$nodev" ] || return 0
	while read -r _ _ _ _ under _; do
		under=$(printf '%b' "$under")
		case "$under" in "$1"|"$1"/*) "$M" -o remount,bind,nodev "$under" || { echo "cannot keep devices out of $under" >&2; exit 1; };; esac
	done < /proc/self/mountinfo
}
if [ -n "$BERTH_UPPER" ]; then
	# An image: its layers below (short names relative to the layer store, so that many fit in
	# the mount's one page of options), the container's own writable layer above.
	( cd "$BERTH_LOWER_BASE" && "$M" -t overlay overlay -o "lowerdir=$BERTH_LOWER,upperdir=$BERTH_UPPER,workdir=$BERTH_WORK$nodev" "$root" ) || exit 1
	mkdir -p "$root/proc" "$root/sys" "$root/dev"
else
	# The host image: the host's root filesystem alone (not the mounts below it), read-only.
	"$M" --bind "$BERTH_ROOTFS" "$root"
	"$M" -o "remount,bind,ro$nodev" "$root"
	[ -d "$root/run" ] && "$M" -t tmpfs -o mode=755,nosuid,nodev tmpfs "$root/run"
	[ -d "$root/tmp" ] && "$M" -t tmpfs -o mode=1777,nosuid,nodev tmpfs "$root/tmp"
fi
# A /dev of the container's own with the usual devices, never the host's (all of them, privileged).
"$M" -t tmpfs -o "mode=755,nosuid,size=65536k$nodev" tmpfs "$root/dev"
if [ -n "$BERTH_PRIVILEGED" ]; then
	"$M" --rbind /dev "$root/dev"
else
	# Bound from the host's, so that they open on a nodev /dev.
	for device in null zero full random urandom tty; do
		: > "$root/dev/$device"
		"$M" --bind "/dev/$device" "$root/dev/$device"
	done
	ln -s /proc/self/fd "$root/dev/fd"; ln -s /proc/self/fd/0 "$root/dev/stdin"; ln -s /proc/self/fd/1 "$root/dev/stdout"; ln -s /proc/self/fd/2 "$root/dev/stderr"
	mkdir "$root/dev/pts" "$root/dev/shm" "$root/dev/mqueue"
	# A devpts of the container's own: its terminal (a TTY) and its execs' terminals are made there.
	"$M" -t devpts -o newinstance,ptmxmode=0666,mode=0620,gid=5,nosuid,noexec devpts "$root/dev/pts"
	ln -s pts/ptmx "$root/dev/ptmx"
	if [ -n "$BERTH_TERMINAL" ]; then : > "$root/dev/console"; fi
	"$M" -t tmpfs -o mode=1777,nosuid,nodev,noexec,size=65536k shm "$root/dev/shm"
	"$M" -t mqueue -o nosuid,nodev,noexec mqueue "$root/dev/mqueue" 2>/dev/null || true
fi
# /proc is mounted by the exec helper, inside the new pid namespace; /sys here.
"$M" -t sysfs -o ro,nosuid,nodev,noexec sysfs "$root/sys" 2>/dev/null || "$M" -t tmpfs -o ro tmpfs "$root/sys"
if [ -z "$BERTH_PRIVILEGED" ]; then
	for path in $BERTH_MASKED; do
		if [ -d "$root$path" ]; then "$M" -t tmpfs -o ro,nosuid,nodev,noexec tmpfs "$root$path"
		elif [ -e "$root$path" ]; then "$M" --bind /dev/null "$root$path"; fi
	done
	for path in $BERTH_READONLY_PATHS; do
		[ -e "$root$path" ] || continue
		"$M" --bind "$root$path" "$root$path" && "$M" -o remount,bind,ro "$root$path"
	done
fi
if [ -n "$BERTH_INIT" ]; then : > "$root/dev/init" && "$M" --bind "$BERTH_INIT" "$root/dev/init" && "$M" -o remount,bind,ro "$root/dev/init"; fi
# Bind mounts, one a line: source, the destination resolved inside the root, and rw or ro.
tab=$(printf '\\t')
printf '%s' "$BERTH_BINDS" | while IFS="$tab" read -r source destination mode; do
	[ -n "$source" ] || continue
	point="$root$destination"
	if [ "\${mode%%=*}" = tmpfs ] || { [ "$mode" != device ] && [ -d "$source" ]; }; then made() { mkdir -p "$point"; }; else made() { mkdir -p "$(dirname "$point")" && { [ -e "$point" ] || : > "$point"; }; }; fi
	if [ ! -e "$point" ] && ! made 2>/dev/null; then
		echo "cannot make the mount point $destination: the image's root is read-only there (mount on a path that exists, or under /tmp)" >&2
		exit 1
	fi
	# A tmpfs of its own (--tmpfs, options checked by the engine), or a device node given (--device):
	# bound from the host's /dev, it opens, as the devices bound into every container's /dev do.
	case "$mode" in
	tmpfs=*) "$M" -t tmpfs -o "\${mode#tmpfs=}" tmpfs "$point"; continue;;
	device) "$M" --bind "$source" "$point"; continue;;
	esac
	"$M" --rbind "$source" "$point"
	if [ "$mode" = ro ]; then "$M" -o remount,bind,ro "$point"; fi
	nodev_under "$point"
done
# --read-only: the root itself, once everything is mounted in it (the mounts on it keep their own modes).
if [ -n "$BERTH_READONLY_ROOT" ]; then "$M" -o "remount,bind,ro$nodev" "$root"; fi
echo "$host_name" > /proc/sys/kernel/hostname
perl=$BERTH_PERL; unshare=$BERTH_UNSHARE; monitor=$BERTH_MONITOR; relay=$BERTH_RELAY; terminal=$BERTH_TERMINAL
console=; [ -z "$BERTH_PRIVILEGED" ] && console="$root/dev/console"
unset BERTH_MOUNT BERTH_ROOTFS BERTH_LOWER BERTH_LOWER_BASE BERTH_UPPER BERTH_WORK BERTH_BINDS BERTH_READONLY_ROOT BERTH_TERMINAL BERTH_PRIVILEGED BERTH_INIT BERTH_PERL BERTH_MASKED BERTH_READONLY_PATHS BERTH_UNSHARE BERTH_MONITOR BERTH_RELAY
# The monitor's child, PID 1 of the new pid namespace, is the exec helper straight away: the
# command that follows keeps PID 1 (2 under --init).
cd "$root"
# The output relay first (it stays in the host's pid namespace): a terminal from the container's
# devpts, or pipes to the spools.
if [ -n "$terminal" ]; then
	exec "$perl" -e "$relay" -- "$root/dev/pts" \${console:+--console "$console"} --report 3 -- "$unshare" --pid -- /bin/sh -c "$monitor" berth-monitor "$dir" "$id" "$perl" -e "$BERTH_HELPER_PROGRAM" -- "$@"
fi
exec "$perl" -e "$relay" -- --spools "$dir" --report 3 -- "$unshare" --pid -- /bin/sh -c "$monitor" berth-monitor "$dir" "$id" "$perl" -e "$BERTH_HELPER_PROGRAM" -- "$@"
`;

/**
 * Without namespaces (not root): the command as the monitor's child, in its working directory,
 * and (off a TTY) in a session and process group of its own, which signals and stats then cover.
 */
export const processSetupScript = `cd "$1" 2>/dev/null || { echo "error cannot change to the working directory $1" >&3; exit 126; }
shift
group=$BERTH_PROCESS_GROUP
unset BERTH_HELPER_STDIO BERTH_PROCESS_GROUP
if [ -n "$BERTH_HELPER_ENVPATH" ]; then PATH=$BERTH_HELPER_ENVPATH; fi
unset BERTH_HELPER_ENVPATH
echo ready >&3
exec 3>&-
if [ -n "$group" ]; then exec setsid -- "$@"; fi
exec "$@"
`;

/**
 * The first process, started detached by the engine: it opens the control FIFO and holds it (fd
 * 3, and 7 for an input that outlives an attach), then becomes the set-up (namespaces) or the
 * monitor (or, without namespaces, \`script\` on a TTY, with the monitor under it). Arguments:
 * DIR, then the command it becomes.
 */
export const wrapperScript = `PATH=/usr/sbin:/usr/bin:/sbin:/bin
dir=$1; shift
exec 3<>"$dir/control"
if [ "$BERTH_HOLD_STDIN" = 1 ]; then exec 7<>"$dir/stdin"; fi
unset BERTH_HOLD_STDIN
if [ "$BERTH_HELPER_STDIO" = terminal ]; then
	if [ -e "$dir/stdin" ]; then exec "$@" <"$dir/stdin" >>"$dir/stdout.spool" 2>>"$dir/stderr.spool"; fi
	exec "$@" </dev/null >>"$dir/stdout.spool" 2>>"$dir/stderr.spool"
fi
# Off a TTY the set-up's complaints go to a file of their own, not to the container's log.
exec "$@" 2>"$dir/setup.err"
`;
