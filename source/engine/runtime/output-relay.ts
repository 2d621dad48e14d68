// What holds a container's output: a small Perl program between the command and the engine's
// spools, in the host's pid namespace, outliving the engine as the monitor does (podman's conmon
// has the same place). Two modes:
// - a terminal (PTS, a devpts directory): made in the container's own devpts as runc makes it,
//   so that `tty` names it inside and nothing of the host's devpts is used; the command runs on
//   it (a session of its own, the terminal its controlling one), and bytes pass between the
//   relay's standard streams and the terminal;
// - pipes (--spools DIR): the command's stdout and stderr are two pipes, copied to the spools in
//   DIR (stdout.spool, stderr.spool, made by the engine); its stdin is the relay's. A pipe, not the spool itself, is
//   what the container writes to, as under dockerd: opening /dev/stdout with O_TRUNC, or
//   truncating it, cannot touch the spool.
// It goes on until the command ends and its last output is read, then exits with the command's
// code (128 + signal). Arguments: (PTS | --spools DIR) [--console FILE] [--report FD] -- COMMAND...; FILE gets
// the terminal bound on it (/dev/console); FD gets "exit CODE" once the last output is in the
// spools: a container's monitor runs inside the relay, so its own report would come before the
// output it is about. There is one relay a running container: it loads no module (POSIX alone
// would triple its private memory), so numbers stand for the constants (Linux's, the same on
// x86_64 and aarch64), and util-linux's setsid makes the terminal the controlling one.

import {positionsFileName} from '../log-store.ts';

export const outputRelayProgram = String.raw`
# O_RDWR | O_NOCTTY; O_WRONLY | O_APPEND; EINTR and EAGAIN.
my ($rdwr_noctty, $append, $eintr, $eagain) = (2 | 256, 1 | 1024, 4, 11);
my $pts = shift @ARGV;
my $spools = $pts eq '--spools' ? shift @ARGV : undef;
my ($console, $report);
while (@ARGV && $ARGV[0] =~ /^--(console|report)$/) {
	shift @ARGV;
	if ($1 eq 'console') { $console = shift @ARGV; } else { $report = shift @ARGV; }
}
shift @ARGV if @ARGV && $ARGV[0] eq '--';
my $terminal = !defined $spools;
my ($master, $slave, $out_r, $out_w, $err_r, $err_w, $stdout, $stderr);
if ($terminal) {
	# The host's devpts keeps its own ptmx closed (ptmxmode=000) for the /dev/ptmx beside it.
	sysopen($master, "$pts/ptmx", $rdwr_noctty) or sysopen($master, "$pts/../ptmx", $rdwr_noctty) or die "berth: cannot open a terminal in $pts: $!\n";
	# unlockpt (TIOCSPTLCK), then the terminal's number (TIOCGPTN).
	my $unlock = pack('i', 0);
	ioctl($master, 0x40045431, $unlock) or die "berth: cannot unlock the terminal: $!\n";
	my $number = pack('i', 0);
	ioctl($master, 0x80045430, $number) or die "berth: cannot name the terminal: $!\n";
	$slave = "$pts/" . unpack('i', $number);
	if (defined $console) {
		my %nr = map { split /=/, $_, 2 } split /,/, ($ENV{BERTH_HELPER_SYSCALLS} // '');
		syscall(0 + $nr{mount}, $slave, $console, 0, 4096, 0) == 0 or die "berth: cannot bind the console: $!\n";
	}
} else {
	sysopen($stdout, "$spools/stdout.spool", $append) or die "berth: cannot open the output spool: $!\n";
	sysopen($stderr, "$spools/stderr.spool", $append) or die "berth: cannot open the output spool: $!\n";
	pipe($out_r, $out_w) or die "berth: pipe: $!\n";
	pipe($err_r, $err_w) or die "berth: pipe: $!\n";
}

my $done = 0;
$SIG{CHLD} = sub { $done = 1; };
my $child = fork();
die "berth: fork: $!\n" unless defined $child;
if ($child == 0) {
	$SIG{CHLD} = 'DEFAULT';
	if ($terminal) {
		close($master);
		sysopen(my $tty, $slave, 2) or die "berth: cannot open $slave: $!\n";
		open(STDIN, '<&', $tty) and open(STDOUT, '>&', $tty) and open(STDERR, '>&', $tty) or die "berth: cannot use $slave: $!\n";
		close($tty);
		# A session of its own, the terminal (its stdin) its controlling one.
		unshift @ARGV, 'setsid', '--ctty', '--';
	} else {
		open(STDOUT, '>&', $out_w) and open(STDERR, '>&', $err_w) or die "berth: cannot use the pipes: $!\n";
		close($_) for $out_r, $out_w, $err_r, $err_w, $stdout, $stderr;
	}
	exec { $ARGV[0] } @ARGV;
	print STDERR "berth: exec $ARGV[0]: $!\n";
	exit 127;
}

sub put {
	my ($handle, $data) = @_;
	while (length $data) {
		my $written = syswrite($handle, $data);
		if (!defined $written) { next if $! == $eintr || $! == $eagain; return 0; }
		substr($data, 0, $written, '');
	}
	return 1;
}

# Each source read (by fd), with its handle and where its bytes go: the terminal to stdout (and
# stdin to the terminal), or each pipe to its spool.
my %from;
if ($terminal) {
	%from = (fileno($master) => [$master, \*STDOUT], 0 => [\*STDIN, $master]);
} else {
	close($out_w);
	close($err_w);
	%from = (fileno($out_r) => [$out_r, $stdout], fileno($err_r) => [$err_r, $stderr]);
}
my $output = $terminal ? fileno($master) : -1;
# Pipes: a spool runs at most $ahead bytes ahead of what the engine has logged of it (its
# log-positions file says), so that a container flooding while the engine is away fills no disk:
# past that, its pipe is left unread and its writes wait, as they wait on a full pipe under
# dockerd. Not once the command has ended: what is left then is all written out.
my $ahead = 4 * 1024 * 1024;
my (%written, %logged);
if (!$terminal) { %written = (fileno($stdout) => -s $stdout, fileno($stderr) => -s $stderr); }
# Opened now: once the container has taken its root (pivot_root), the relay's paths go with it.
# The engine writes the file in place (at offset 0), so the same file is read again each time.
open(my $positions, '<', "$spools/${positionsFileName}") if !$terminal;
sub read_positions {
	return unless $positions;
	sysseek($positions, 0, 0);
	sysread($positions, my $text, 256) or return;
	$logged{fileno($stdout)} = $1 if $text =~ /"stdout":(\d+)/;
	$logged{fileno($stderr)} = $1 if $text =~ /"stderr":(\d+)/;
}
sub too_far {
	my ($sink) = @_;
	return 0 if $terminal || $done || $written{$sink} - ($logged{$sink} // 0) <= $ahead;
	read_positions();
	return $written{$sink} - ($logged{$sink} // 0) > $ahead;
}
RELAY: while (1) {
	my $in = '';
	my $held = 0;
	for my $fd (keys %from) {
		next if $fd == 0 && $done;
		if (too_far(fileno($from{$fd}[1]))) { $held = 1; next; }
		vec($in, $fd, 1) = 1;
	}
	last RELAY if $in =~ /^\0*$/ && !$held;
	# Once the command has ended, what it wrote last is read out: the kernel hands written bytes
	# to a terminal's master side a moment later (more so on a loaded machine), and the read
	# fails (EIO) once they are all out and the terminal is closed; a pipe ends once every
	# writer has gone. A background process that keeps either open but writes nothing for a
	# second does not hold the relay.
	my $ready = select(my $out = $in, undef, undef, $held ? 0.01 : $done ? 1 : undef);
	if ($ready < 0) { next if $! == $eintr; last RELAY; }
	next if $ready == 0 && $held;
	last RELAY if $ready == 0;
	my $moved = 0;
	for my $fd (keys %from) {
		next unless vec($out, $fd, 1);
		my ($source, $sink) = @{$from{$fd}};
		my $got = sysread($source, my $buffer, 65536);
		if (!defined $got) { next if $! == $eintr || $! == $eagain; $got = 0; }
		if ($got == 0) {
			# The terminal or both pipes gone: the output is all out. Input that ends just ends.
			last RELAY if $fd == $output;
			delete $from{$fd};
			next;
		}
		put($sink, $buffer) or ($fd == 0 ? delete $from{0} : 0);
		$written{fileno($sink)} += $got unless $terminal;
		$moved += $got;
	}
	# Output that comes a line at a time is passed on in batches, 2 ms apart at most, not a write a
	# line: the engine is woken once a batch.
	select(undef, undef, undef, 0.002) if $moved > 0 && $moved < 32768;
}
waitpid($child, 0);
my $status = $?;
my $code = ($status & 127) ? 128 + ($status & 127) : ($status >> 8);
if (defined $report && open(my $to, '>&=', $report)) { syswrite($to, "exit $code\n"); }
exit($code);
`;
