// docker cp into a container: the tar is unpacked by a small Perl program (perl-base, as the exec
// helper) that first takes the container's root for its own (chroot), so that no symlink in it
// (or one the container swaps in while the copy runs, CVE-2018-15664's race) can lead a write
// out to the host: inside the chroot, every path resolves inside the container. Names with ".."
// are refused; a file never replaces a directory; owners, modes and times are set last.
import {spawn} from 'node:child_process';
import type {Readable} from 'node:stream';

const untarProgram = String.raw`
use strict;
use warnings;
use Fcntl qw(O_WRONLY O_CREAT O_EXCL O_NOFOLLOW);
use POSIX ();
my ($root, $dir) = @ARGV;
sub fail { print STDERR "$_[0]\n"; exit 1 }
chroot($root) or fail("cannot enter the container's root: $!");
chdir('/') or fail("chdir /: $!");
chdir($dir) or fail("cannot enter $dir: $!");
binmode STDIN;
sub readn {
	my ($n) = @_;
	my $buf = '';
	while (length($buf) < $n) {
		my $got = read(STDIN, my $chunk, $n - length($buf) > 1048576 ? 1048576 : $n - length($buf));
		fail("reading the archive: $!") unless defined $got;
		fail('the archive ends in the middle of an entry') if $got == 0;
		$buf .= $chunk;
	}
	return $buf;
}
sub pad { my $n = shift; my $p = (512 - $n % 512) % 512; readn($p) if $p }
sub octal { my $v = shift; $v =~ s/[\0 ]+$//; $v =~ s/^[\0 ]+//; return $v eq '' ? 0 : oct($v) }
sub number {
	my $f = shift;
	return octal($f) unless ord(substr($f, 0, 1)) & 0x80;
	my $n = 0;
	$n = $n * 256 + ord(substr($f, $_, 1)) for 1 .. length($f) - 1;
	return $n;
}
sub clean {
	my $name = shift;
	my @parts = grep { $_ ne '' && $_ ne '.' } split m{/}, $name;
	for (@parts) { fail("archive entry \"$name\" would land outside the target") if $_ eq '..' }
	return join('/', @parts);
}
sub parents {
	my $path = shift;
	my @parts = split m{/}, $path;
	pop @parts;
	my $current = '';
	for my $part (@parts) {
		$current = $current eq '' ? $part : "$current/$part";
		if (-l $current || (-e _ && !-d _)) { fail("\"$current\" in the archive's way is not a directory") }
		mkdir($current, 0755) or fail("mkdir $current: $!") unless -d $current;
	}
}
sub pax {
	my ($data, $into) = @_;
	my $pos = 0;
	while ($pos < length $data) {
		my $space = index($data, ' ', $pos);
		last if $space < 0;
		my $length = substr($data, $pos, $space - $pos);
		last unless $length =~ /^\d+$/ && $length > 0;
		my $record = substr($data, $space + 1, $pos + $length - $space - 2);
		my $equals = index($record, '=');
		$into->{substr($record, 0, $equals)} = substr($record, $equals + 1) if $equals > 0;
		$pos += $length;
	}
}
my (%global, %next, $longname, $longlink, @deferred);
while (1) {
	my $header = '';
	my $got = read(STDIN, $header, 512);
	last if !$got;
	fail('the archive ends in the middle of a header') if $got < 512 && length($header .= readn(512 - $got)) < 512;
	last if $header =~ /^\0+$/;
	my $name = substr($header, 0, 100); $name =~ s/\0.*//s;
	my $link = substr($header, 157, 100); $link =~ s/\0.*//s;
	if (substr($header, 257, 5) eq 'ustar') { my $prefix = substr($header, 345, 155); $prefix =~ s/\0.*//s; $name = "$prefix/$name" if $prefix ne '' }
	my $type = substr($header, 156, 1);
	my %meta = (%global, %next);
	my $size = exists $meta{size} ? $meta{size} : number(substr($header, 124, 12));
	if ($type eq 'x' || $type eq 'g') { my $data = readn($size); pad($size); pax($data, $type eq 'g' ? \%global : \%next); next }
	if ($type eq 'L' || $type eq 'K') { my $data = readn($size); pad($size); $data =~ s/\0.*//s; if ($type eq 'L') { $longname = $data } else { $longlink = $data } next }
	$name = $meta{path} if exists $meta{path};
	$name = $longname if defined $longname;
	$link = $meta{linkpath} if exists $meta{linkpath};
	$link = $longlink if defined $longlink;
	%next = (); undef $longname; undef $longlink;
	my $mode = octal(substr($header, 100, 8)) & 07777;
	my $uid = exists $meta{uid} ? $meta{uid} : number(substr($header, 108, 8));
	my $gid = exists $meta{gid} ? $meta{gid} : number(substr($header, 116, 8));
	my $mtime = int(exists $meta{mtime} ? $meta{mtime} : number(substr($header, 136, 12)));
	my $path = clean($name);
	if ($path eq '') { readn($size) if $size; pad($size); next }
	parents($path);
	if ($type eq '5') {
		if (-l $path || (-e _ && !-d _)) { unlink($path) or fail("cannot replace $path: $!") }
		mkdir($path, 0700) or fail("mkdir $path: $!") unless -d $path;
		push @deferred, [$path, $mode, $uid, $gid, $mtime];
		next;
	}
	if (-d $path && !-l $path) { fail("cannot overwrite directory \"$path\" with non-directory") }
	if (-e $path || -l $path) { unlink($path) or fail("cannot replace $path: $!") }
	if ($type eq '0' || $type eq "\0" || $type eq '7') {
		sysopen(my $out, $path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0600) or fail("cannot create $path: $!");
		binmode $out;
		my $left = $size;
		while ($left > 0) { my $chunk = readn($left > 1048576 ? 1048576 : $left); print {$out} $chunk or fail("writing $path: $!"); $left -= length $chunk }
		close($out) or fail("writing $path: $!");
		pad($size);
		push @deferred, [$path, $mode, $uid, $gid, $mtime];
	} elsif ($type eq '2') {
		symlink($link, $path) or fail("symlink $path: $!");
		POSIX::lchown($uid, $gid, $path);
	} elsif ($type eq '1') {
		my $target = clean($link);
		fail("hard link $path has no target in the archive") if $target eq '' || -l $target || !-f $target;
		link($target, $path) or fail("link $path: $!");
	} else {
		readn($size) if $size; pad($size);
	}
}
for my $entry (reverse @deferred) {
	my ($path, $mode, $uid, $gid, $mtime) = @$entry;
	next if -l $path;
	chown($uid, $gid, $path);
	chmod($mode, $path);
	utime($mtime, $mtime, $path);
}
`;

/** Unpacks the tar `source` into `directory` (a path inside the container) with `root` as the root. */
export function untarInRoot(perl: string, root: string, directory: string, source: Readable): Promise<void> {
	return new Promise((resolve, reject) => {
		const child = spawn(perl, ['-e', untarProgram, root, directory], {stdio: ['pipe', 'ignore', 'pipe']});
		let stderr = '';
		child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(0, 4096)));
		child.on('error', reject);
		child.stdin.on('error', () => undefined); // the program refused the archive and stopped reading: its words say why
		source.on('error', error => child.kill() && reject(error));
		source.pipe(child.stdin);
		child.on('close', code => (code === 0 ? resolve() : reject(new Error(stderr.trim() || `the copy ended with code ${code}`))));
	});
}
