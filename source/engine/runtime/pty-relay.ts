// A container's terminal, made in the container's own devpts as runc makes it, so that `tty`
// names it inside and nothing of the host's devpts is used: a small Perl program that opens
// PTS/ptmx, starts the command on the new terminal (a session of its own, the terminal its
// controlling one) and passes bytes between its own standard streams and the terminal until the
// command ends and its last output is read. It exits with the command's code (128 + signal).
// Arguments: PTS [--console FILE] [--report FD] -- COMMAND...; FILE gets the terminal bound on it
// (/dev/console); FD gets "exit CODE" once the last output is out: a container's monitor runs
// inside the relay, so its own report would come before the output it is about.

export const ptyRelayProgram = String.raw`
use strict;
use warnings;
use POSIX ();
use Fcntl qw(O_RDWR O_NOCTTY);
my $pts = shift @ARGV;
my ($console, $report);
while (@ARGV && $ARGV[0] =~ /^--(console|report)$/) {
	shift @ARGV;
	if ($1 eq 'console') { $console = shift @ARGV; } else { $report = shift @ARGV; }
}
shift @ARGV if @ARGV && $ARGV[0] eq '--';
# The host's devpts keeps its own ptmx closed (ptmxmode=000) for the /dev/ptmx beside it.
my $master;
sysopen($master, "$pts/ptmx", O_RDWR | O_NOCTTY) or sysopen($master, "$pts/../ptmx", O_RDWR | O_NOCTTY) or die "berth: cannot open a terminal in $pts: $!\n";
# unlockpt (TIOCSPTLCK), then the terminal's number (TIOCGPTN).
my $unlock = pack('i', 0);
ioctl($master, 0x40045431, $unlock) or die "berth: cannot unlock the terminal: $!\n";
my $number = pack('i', 0);
ioctl($master, 0x80045430, $number) or die "berth: cannot name the terminal: $!\n";
my $slave = "$pts/" . unpack('i', $number);
if (defined $console) {
	my %nr = map { split /=/, $_, 2 } split /,/, ($ENV{BERTH_HELPER_SYSCALLS} // '');
	syscall(0 + $nr{mount}, $slave, $console, 0, 4096, 0) == 0 or die "berth: cannot bind the console: $!\n";
}

my $done = 0;
$SIG{CHLD} = sub { $done = 1; };
my $child = fork();
die "berth: fork: $!\n" unless defined $child;
if ($child == 0) {
	$SIG{CHLD} = 'DEFAULT';
	close($master);
	POSIX::setsid();
	# Opened by a session leader without O_NOCTTY: it becomes the session's controlling terminal.
	sysopen(my $terminal, $slave, O_RDWR) or die "berth: cannot open $slave: $!\n";
	POSIX::dup2(fileno($terminal), $_) for 0 .. 2;
	POSIX::close(fileno($terminal)) if fileno($terminal) > 2;
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

my $input = 1;
my $m = fileno($master);
while (1) {
	my $in = '';
	vec($in, $m, 1) = 1;
	vec($in, 0, 1) = 1 if $input && !$done;
	# Once the command has ended, what it wrote last is read out: the kernel hands written bytes
	# to the master side a moment later (more so on a loaded machine), and the read fails (EIO)
	# once they are all out and the terminal is closed. A background process that keeps it open
	# but writes nothing for a second does not hold the relay.
	my $ready = select(my $out = $in, undef, undef, $done ? 1 : undef);
	if ($ready < 0) { next if $!{EINTR}; last; }
	last if $ready == 0;
	if (vec($out, $m, 1)) {
		my $got = POSIX::read($m, my $buffer, 65536);
		if (!defined $got) { next if $!{EINTR} || $!{EAGAIN}; last; }
		last if $got == 0;
		put(1, $buffer) or last;
	}
	if ($input && vec($out, 0, 1)) {
		my $got = POSIX::read(0, my $buffer, 65536);
		if (!defined $got) { next if $!{EINTR} || $!{EAGAIN}; $input = 0; next; }
		if ($got == 0) { $input = 0; next; }
		put($m, $buffer);
	}
}
waitpid($child, 0);
my $status = $?;
my $code = ($status & 127) ? 128 + ($status & 127) : ($status >> 8);
if (defined $report && open(my $to, '>&=', $report)) { syswrite($to, "exit $code\n"); }
exit($code);
`;
