"""What the benchmarks share: the engine or daemon to measure against, and process figures."""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BERTH = os.path.join(ROOT, "dist", "berth.js")


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def docker(host, *args):
    return subprocess.run(["docker", "-H", host, *args], check=True, capture_output=True, text=True).stdout.strip()


def peer_daemon():
    """The Docker daemon to compare with, from DOCKER_HOST (a unix socket): its URL and socket path."""
    host = os.environ.get("DOCKER_HOST", "")
    if not host.startswith("unix://"):
        sys.exit("set DOCKER_HOST=unix:///... to the Docker daemon to compare with")
    return host, host[len("unix://"):]


class Target:
    """A private berth engine (engine=True) or the daemon at DOCKER_HOST, with the image to run
    there and the environment to run berth in (NODE_EXTRA_CA_CERTS unset, as on a user's machine)."""

    def __init__(self, engine, image, prefix="berth-bench-"):
        self.env = dict(os.environ, TERM="xterm-256color")
        self.env.pop("NODE_EXTRA_CA_CERTS", None)
        self.work = self.process = None
        if engine:
            self.work = tempfile.mkdtemp(prefix=prefix)
            self.env.update(BERTH_ENGINE_STATE=os.path.join(self.work, "state"), BERTH_ENGINE_RUN=os.path.join(self.work, "run"))
            self.process = subprocess.Popen(["node", BERTH, "engine", "run"], env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            socket = os.path.join(self.work, "run", "engine.sock")
            for _ in range(100):
                if os.path.exists(socket):
                    break
                time.sleep(0.1)
            time.sleep(0.3)
            self.host, self.image, self.label = "unix://" + socket, "host", "berth's engine"
        else:
            self.host = os.environ.get("DOCKER_HOST", "")
            if not self.host:
                sys.exit("set DOCKER_HOST to the daemon to measure, or pass --engine")
            self.image, self.label = image, "dockerd"
        self.env["DOCKER_HOST"] = self.host

    def close(self):
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=60)
        if self.work:
            shutil.rmtree(self.work, ignore_errors=True)


def cpu_seconds(pid):
    """User plus system CPU time a process has used so far, in seconds (0 once it is gone)."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def pids_named(*names):
    """PIDs of the processes whose command name is one of these."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/comm") as handle:
                if handle.read().strip() in names:
                    found.append(int(entry))
        except OSError:
            pass
    return found


class Terminal:
    """berth in a real pseudo-terminal of a fixed size, its output read as it comes."""

    def __init__(self, env, columns=80, rows=24, args=()):
        import fcntl
        import pty
        import signal
        import struct
        import termios
        self.started = time.perf_counter()
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            # As a user runs it: the program itself, so its first line's Node flags apply.
            os.execve(BERTH, [BERTH, *args], env)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        os.kill(self.pid, signal.SIGWINCH)
        self.seen = b""

    def read(self, timeout=0.05):
        """Output that arrives within timeout seconds (b"" when none)."""
        import select
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return b""
        try:
            chunk = os.read(self.fd, 1 << 20)
        except OSError:
            return b""
        self.seen = (self.seen + chunk)[-200_000:]
        return chunk

    def wait_for(self, pattern, timeout=30.0):
        """Seconds since launch when pattern (a compiled bytes regex) first showed."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            self.read(0.05)
            if pattern.search(self.seen):
                return time.perf_counter() - self.started
        tail = self.seen[-600:].decode("utf-8", "replace")
        raise RuntimeError(f"berth never showed {pattern.pattern!r}; last output: {tail!r}")

    def drain(self, seconds):
        """Reads for this long; returns the bytes berth wrote meanwhile."""
        total = 0
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            total += len(self.read(max(0.0, min(0.1, deadline - time.perf_counter()))))
        return total

    def send(self, keys):
        os.write(self.fd, keys)

    def close(self):
        import signal
        try:
            os.write(self.fd, b"q")
            deadline = time.perf_counter() + 5
            while time.perf_counter() < deadline:
                done, _ = os.waitpid(self.pid, os.WNOHANG)
                if done:
                    break
                self.read(0.05)
            else:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
        finally:
            os.close(self.fd)


def key_latencies(screen, keys):
    """For each key, sent 120 ms after the last: ms from sending it to berth's first output after it."""
    latencies = []
    for key in keys:
        screen.drain(0.12)
        screen.send(key)
        sent = time.perf_counter()
        while time.perf_counter() - sent < 2:
            if screen.read(0.5):
                latencies.append((time.perf_counter() - sent) * 1000)
                break
    return latencies


def latency_summary(latencies):
    latencies = sorted(latencies)
    return {"count": len(latencies), "median_ms": round(statistics.median(latencies), 1), "p90_ms": round(latencies[max(0, int(len(latencies) * 0.9) - 1)], 1), "max_ms": round(latencies[-1], 1)}
