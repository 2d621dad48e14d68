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
// output it is about.

export const outputRelayProgram = String.raw`
use strict;
use warnings;
use POSIX ();
use Fcntl qw(O_RDWR O_NOCTTY O_WRONLY O_APPEND);
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
	sysopen($master, "$pts/ptmx", O_RDWR | O_NOCTTY) or sysopen($master, "$pts/../ptmx", O_RDWR | O_NOCTTY) or die "berth: cannot open a terminal in $pts: $!\n";
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
	sysopen($stdout, "$spools/stdout.spool", O_WRONLY | O_APPEND) or die "berth: cannot open the output spool: $!\n";
	sysopen($stderr, "$spools/stderr.spool", O_WRONLY | O_APPEND) or die "berth: cannot open the output spool: $!\n";
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
		POSIX::setsid();
		# Opened by a session leader without O_NOCTTY: it becomes the session's controlling terminal.
		sysopen(my $tty, $slave, O_RDWR) or die "berth: cannot open $slave: $!\n";
		POSIX::dup2(fileno($tty), $_) for 0 .. 2;
		close($tty) if fileno($tty) > 2;
	} else {
		POSIX::dup2(fileno($out_w), 1);
		POSIX::dup2(fileno($err_w), 2);
		POSIX::close(fileno($_)) for $out_r, $out_w, $err_r, $err_w, $stdout, $stderr;
	}
	{ no warnings 'exec'; exec { $ARGV[0] } @ARGV; }
	print STDERR "berth: exec $ARGV[0]: $!\n";
	POSIX::_exit(127);
}

sub put {
	my ($fd, $data) = @_;
	while (length $data) {
		my $written = POSIX::write($fd, $data, length $data);
		if (!defined $written) { next if $!{EINTR} || $!{EAGAIN}; return 0; }
		substr($data, 0, $written, '');
	}
	return 1;
}

# Each source read, with where its bytes go: the terminal to stdout (and stdin to the terminal),
# or each pipe to its spool.
my %to;
if ($terminal) {
	%to = (fileno($master) => 1, 0 => fileno($master));
} else {
	close($out_w);
	close($err_w);
	%to = (fileno($out_r) => fileno($stdout), fileno($err_r) => fileno($stderr));
}
my $output = $terminal ? fileno($master) : -1;
RELAY: while (1) {
	my $in = '';
	for my $fd (keys %to) { vec($in, $fd, 1) = 1 unless $fd == 0 && $done; }
	last RELAY if $in =~ /^\0*$/;
	# Once the command has ended, what it wrote last is read out: the kernel hands written bytes
	# to a terminal's master side a moment later (more so on a loaded machine), and the read
	# fails (EIO) once they are all out and the terminal is closed; a pipe ends once every
	# writer has gone. A background process that keeps either open but writes nothing for a
	# second does not hold the relay.
	my $ready = select(my $out = $in, undef, undef, $done ? 1 : undef);
	if ($ready < 0) { next if $!{EINTR}; last RELAY; }
	last RELAY if $ready == 0;
	for my $fd (keys %to) {
		next unless vec($out, $fd, 1);
		my $got = POSIX::read($fd, my $buffer, 65536);
		if (!defined $got) { next if $!{EINTR} || $!{EAGAIN}; $got = 0; }
		if ($got == 0) {
			# The terminal or both pipes gone: the output is all out. Input that ends just ends.
			last RELAY if $fd == $output;
			delete $to{$fd};
			next;
		}
		put($to{$fd}, $buffer) or ($fd == 0 ? delete $to{0} : 0);
	}
}
waitpid($child, 0);
my $status = $?;
my $code = ($status & 127) ? 128 + ($status & 127) : ($status >> 8);
if (defined $report && open(my $to, '>&=', $report)) { syswrite($to, "exit $code\n"); }
exit($code);
`;
