// The last step before a container's command runs, as a small Perl program (perl-base is part of
// every Debian system): started on the host side, it takes the container's root for its own
// (pivot_root, the host's tree then unmounted), or, for an exec, joins a running container's
// namespaces and root; then makes the working directory, finds the user and the program inside
// the container, loads the seccomp filter, keeps only the container's capabilities, switches to
// its user with the user's groups, sets no_new_privs where asked, and execs the command, which
// keeps the pid the helper had (PID 1 for a container's command). What it cannot do it reports
// on fd 3 as "error WHY" and exits 127 (as runc reports a command that is not found).
import type {SeccompArch} from './seccomp.ts';

/** System call numbers the helper uses, by architecture. */
export const helperSyscalls: Record<SeccompArch, Record<string, number>> = {
	x86_64: {mount: 165, pivot_root: 155, umount2: 166, prctl: 157, capset: 126, setgroups: 116, setresuid: 117, setresgid: 119, setns: 308},
	aarch64: {mount: 40, pivot_root: 41, umount2: 39, prctl: 167, capset: 91, setgroups: 159, setresuid: 147, setresgid: 149, setns: 268},
};

// Parameters come in the environment (BERTH_HELPER_*), removed before the command runs:
//   MODE        init (a new container) or join:PID (an exec in container PID)
//   SYSCALLS    name=number,... for this architecture
//   WORKDIR     the working directory inside the container
//   USER        user[:group], names or numbers, or empty for root
//   CAPS        the capability numbers to keep, comma-separated; LASTCAP the kernel's last one
//   NNP         1 for no_new_privs
//   SECCOMP     the filter's bytes, hex, or empty for none
//   TTY         1 to make the terminal on fd 0 the controlling one of a new session
//   CGROUPS     cgroup.procs files to join first, tab-separated
//   ENV         the container's environment, NAME=value entries NUL-separated, as hex
//   PROC_MASKED, PROC_READONLY  paths under /proc to mask and to make read-only (init), space-separated
export const execHelperProgram = String.raw`
use strict;
use warnings;
use POSIX ();
use Fcntl ();
my %p = map { my $k = $_; (substr($k, 13) => delete $ENV{$k}) } grep { /^BERTH_HELPER_/ } keys %ENV;
my %nr = map { split /=/, $_, 2 } split /,/, $p{SYSCALLS};
# fd 3: the report. For an exec nobody reads it; what fails is told on stderr too.
my $report;
open($report, '>&=', 3) or open($report, '>', '/dev/null') or die "no report fd\n";
$report->autoflush(1);
sub fail { print $report "error $_[0]\n"; print STDERR "$_[0]\n" if $p{MODE} ne 'init'; exit($_[1] // 127); }
# syscall() passes a number as a number only if Perl holds it as one: text read from a file is made one.
sub sys { my ($name, @args) = @_; @args = map { /^-?\d+$/ ? 0 + $_ : $_ } @args; my $r = syscall($nr{$name}, @args); fail("$name: $!", 126) if $r == -1; return $r; }

my $mode = $p{MODE};
# The container's cgroup first, so that its limits and stats cover everything from here on.
for my $procs (grep { length } split /\t/, ($p{CGROUPS} // '')) {
	open(my $f, '>', $procs) or fail("cgroup $procs: $!", 126); print $f "0\n"; close($f);
}
if ($mode eq 'init') {
	# The container's root becomes the root; the old one, stacked on it by pivot_root(".", "."),
	# is unmounted, so nothing of the host's tree is left in reach.
	chdir('.') or fail("chdir: $!");
	# /proc is mounted by PID 1 of the new pid namespace, so that it shows the container's own
	# processes; then what dockerd hides there is masked (an empty directory or /dev/null in its
	# place) or made read-only.
	sys('mount', 'proc', 'proc', 'proc', 2 | 4 | 8, 0);
	for my $path (grep { length } split / /, ($p{PROC_MASKED} // '')) {
		my $at = ".$path";
		if (-d $at) { sys('mount', 'tmpfs', $at, 'tmpfs', 1 | 2 | 4 | 8, 0); }
		elsif (-e $at) { sys('mount', '/dev/null', $at, 0, 4096, 0); }
	}
	for my $path (grep { length } split / /, ($p{PROC_READONLY} // '')) {
		my $at = ".$path";
		next unless -e $at;
		sys('mount', $at, $at, 0, 4096 | 16384, 0);
		sys('mount', $at, $at, 0, 4096 | 32 | 1 | 2 | 4 | 8 | 16384, 0);
	}
	sys('pivot_root', '.', '.');
	sys('umount2', '.', 2);
	chdir('/') or fail("chdir /: $!");
} elsif ($mode =~ /^join:(\d+)$/) {
	my $pid = $1;
	my %fds;
	for my $ns (qw(ipc uts net pid mnt)) {
		open($fds{$ns}, '<', "/proc/$pid/ns/$ns") or fail("the container has gone ($ns: $!)", 126);
	}
	for my $ns (qw(ipc uts net pid mnt)) { sys('setns', fileno($fds{$ns}), 0); }
	# A pid namespace is entered by the children of who joined it.
	my $child = fork();
	fail("fork: $!", 126) unless defined $child;
	if ($child) {
		for my $signal (qw(TERM INT HUP QUIT USR1 USR2 WINCH)) { $SIG{$signal} = sub { kill $signal, $child; }; }
		close($report);
		while (1) { my $done = waitpid($child, 0); last if $done == $child || $done == -1; }
		my $status = $?;
		exit(($status & 127) ? 128 + ($status & 127) : ($status >> 8));
	}
	chdir('/') or fail("chdir /: $!");
} else {
	fail("unknown mode $mode");
}

# The container's own environment, exactly (the steps before ran with the host's PATH and left
# their shells' variables).
%ENV = map { my ($k, $v) = split /=/, $_, 2; ($k => $v // '') } grep { length } split /\0/, pack('H*', $p{ENV} // '');

# The working directory, made where the image lacks it (as dockerd does), inside the container.
my $workdir = $p{WORKDIR} || '/';
fail("the working directory $workdir is not absolute") unless $workdir =~ m{^/};
my $made = '';
for my $part (grep { length } split m{/}, $workdir) {
	$made .= "/$part";
	mkdir($made, 0755) unless -d $made;
}
chdir($workdir) or fail("cannot change to the working directory $workdir: $!", 126);

# The user, from the container's own /etc/passwd and /etc/group.
my ($uid, $gid, @groups) = (0, 0);
my ($user, $group) = split /:/, ($p{USER} // ''), 2;
sub lines { my ($file) = @_; open(my $f, '<', $file) or return (); my @l = map { chomp; [split /:/, $_, -1] } <$f>; close($f); return @l; }
if (defined $user && length $user) {
	my @passwd = lines('/etc/passwd');
	my ($entry) = grep { $_->[0] eq $user || ($user =~ /^\d+$/ && $_->[2] eq $user) } @passwd;
	if ($user =~ /^\d+$/) { $uid = $user; $gid = $entry ? $entry->[3] : $user; }
	elsif ($entry) { $uid = $entry->[2]; $gid = $entry->[3]; }
	else { fail("unable to find user $user: no matching entries in passwd file"); }
	my $name = $entry ? $entry->[0] : undef;
	if (defined $group && length $group) {
		if ($group =~ /^\d+$/) { $gid = $group; }
		else {
			my ($g) = grep { $_->[0] eq $group } lines('/etc/group');
			fail("unable to find group $group: no matching entries in group file") unless $g;
			$gid = $g->[2];
		}
	}
	@groups = map { $_->[2] } grep { defined $name && defined $_->[3] && grep { $_ eq $name } split /,/, $_->[3] } lines('/etc/group') if defined $name;
}

# HOME, where the container does not set it, as dockerd sets it: the user's, else /.
if (!exists $ENV{HOME}) {
	my ($entry) = grep { $_->[2] eq $uid } lines('/etc/passwd');
	$ENV{HOME} = ($entry && length $entry->[5]) ? $entry->[5] : '/';
}

# The program, found as the container would find it.
my $program = $ARGV[0] // fail('no command');
my $path = $program;
if ($program !~ m{/}) {
	($path) = grep { -f $_ && -x _ } map { "$_/$program" } split /:/, ($ENV{PATH} // '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin');
	fail("exec: \"$program\": executable file not found in \$PATH") unless defined $path;
} elsif (!-e $program) {
	fail("exec: \"$program\": stat $program: no such file or directory");
}

if ($p{TTY}) {
	POSIX::setsid();
	# Taken from the session the relay gave it (stealing needs CAP_SYS_ADMIN, still held here),
	# so that a resize signals the command, not the monitor.
	ioctl(STDIN, 0x540E, 1) or fail("cannot make the terminal the controlling one: $!", 126);
}

# The seccomp filter first, while the capability to load one without no_new_privs is still held.
if (length($p{SECCOMP} // '')) {
	my $bpf = pack('H*', $p{SECCOMP});
	my $program = pack('S x6 P' . length($bpf), length($bpf) / 8, $bpf);
	sys('prctl', 22, 2, $program);
}

my %keep = map { $_ => 1 } grep { length } split /,/, ($p{CAPS} // '');
for my $cap (0 .. $p{LASTCAP}) { sys('prctl', 24, $cap, 0, 0, 0) unless $keep{$cap}; }
my @ids = ($gid, @groups);
my %seen; @ids = grep { !$seen{$_}++ } @ids;
sys('setgroups', scalar(@ids), pack('L*', @ids));
sys('setresgid', $gid, $gid, $gid);
sys('setresuid', $uid, $uid, $uid);
if ($uid == 0) {
	my ($low, $high) = (0, 0);
	for my $cap (keys %keep) { if ($cap < 32) { $low |= 1 << $cap; } else { $high |= 1 << ($cap - 32); } }
	sys('capset', pack('LL', 0x20080522, 0), pack('LLLLLL', $low, $low, 0, $high, $high, 0));
}
sys('prctl', 38, 1, 0, 0, 0) if $p{NNP};

print $report "ready\n";
close($report);
# Nothing but the three standard streams goes with the command, whatever the engine's parent left open.
opendir(my $fds, '/proc/self/fd');
my @open = grep { /^\d+$/ && $_ > 2 } readdir($fds);
closedir($fds);
POSIX::close($_) for @open;
{ no warnings 'exec'; exec { $path } @ARGV; }
print STDERR "exec $program: $!\n";
exit(($! == POSIX::ENOENT()) ? 127 : 126);
`;
