#!/usr/bin/env python3
"""The TUI's log view under a flood, in a real pseudo-terminal (80x24).

One container prints numbered lines ("INFO request N handled ...") as fast as its shell can.
  ingest:  how fast the newest line number on berth's screen climbs, over --seconds, against how
           fast it climbs in `docker logs -f` (the ceiling), measured before and after berth in
           the same run (the higher of the two counts)
  memory:  berth's RSS each 250k lines that have gone through the view, up to --lines (2,000,000)
  keys:    with the flood on, `f` pressed --presses times: time from the key to the first frame
           that shows PAUSED (or FOLLOWING again), median
berth runs with NODE_EXTRA_CA_CERTS unset, as on a user's machine.

Usage: DOCKER_HOST=unix:///path/docker.sock bench/log-view.py [--engine] [--seconds 10] [--presses 20]
"""
import argparse
import os
import re
import select
import signal
import statistics
import subprocess
import time

from benchlib import Target, Terminal, docker, rss_mb
FLOOD = 'i=0; while :; do i=$((i+1)); echo "INFO request $i handled in 3 ms by worker 7"; done'
NUMBER = re.compile(rb"request (\d+) handled")




def docker_rate(host, name, env, seconds):
    """Lines per second by which the newest number docker logs -f printed climbs."""
    process = subprocess.Popen(["docker", "-H", host, "logs", "-f", "--tail", "0", name], env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    fd = process.stdout.fileno()
    first = last = None
    started = None
    deadline = time.monotonic() + seconds + 1
    tail = b""
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.05)
        if not ready:
            continue
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            break
        numbers = NUMBER.findall(tail + chunk)
        tail = chunk[-80:]
        if numbers:
            if first is None and time.monotonic() > deadline - seconds:
                first, started = int(numbers[-1]), time.monotonic()
            last = int(numbers[-1])
    process.kill()
    process.wait()
    return (last - first) / (time.monotonic() - started) if started else 0.0


class Screen(Terminal):
    """berth in a pty (benchlib's Terminal) on one engine; wait_for gives the clock time it showed."""

    def __init__(self, env, host, columns=80, rows=24):
        super().__init__(env, columns, rows, args=("-H", host))

    def wait_for(self, pattern, timeout=15.0):
        deadline = time.monotonic() + timeout
        seen = b""
        while time.monotonic() < deadline:
            seen = (seen + self.read(0.05))[-65536:]
            if re.search(pattern, seen):
                return time.monotonic()
        raise TimeoutError(f"no {pattern!r} on screen; last output: {seen[-400:]!r}")

    def send(self, text):
        os.write(self.fd, text.encode())

    def close(self):
        try:
            os.kill(self.pid, signal.SIGTERM)
            os.waitpid(self.pid, 0)
        except OSError:
            pass


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--engine", action="store_true", help="measure against a private berth engine instead of DOCKER_HOST")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--presses", type=int, default=20)
    parser.add_argument("--lines", type=int, default=2_000_000)
    parser.add_argument("--image", default=os.environ.get("BERTH_TEST_IMAGE", "berth-test/busybox"))
    args = parser.parse_args()

    target = Target(args.engine, args.image, "berth-view-")
    env, host = target.env, target.host
    image = target.image
    name = f"berth-view-{os.getpid()}"
    screen = None
    try:
        docker(host, "run", "-d", "--name", name, "--network", "none", image, "sh", "-c", FLOOD)
        time.sleep(1)
        ceiling = docker_rate(host, name, env, args.seconds)

        screen = Screen(env, host)
        screen.wait_for(rb"Containers \(")
        screen.send("/" + name + "\r")
        screen.wait_for(re.escape(f"▸ {name}".encode()))
        screen.send("l")
        screen.wait_for(rb"FOLLOWING")

        # Ingest: the newest number on screen, sampled as frames come.
        opened_at_line = None
        samples = []
        memory = {}
        marks = list(range(250_000, args.lines + 1, 250_000))
        measure_until = time.monotonic() + args.seconds
        tail = b""
        while marks or time.monotonic() < measure_until:
            chunk = screen.read()
            numbers = NUMBER.findall(tail + chunk)
            tail = chunk[-80:] if chunk else tail
            if not numbers:
                continue
            newest = max(int(number) for number in numbers)
            if opened_at_line is None:
                opened_at_line = newest
            if time.monotonic() < measure_until:
                samples.append((time.monotonic(), newest))
            while marks and newest - opened_at_line >= marks[0]:
                memory[marks.pop(0)] = rss_mb(screen.pid)
            if time.monotonic() > measure_until + 300:
                break
        (t0, n0), (t1, n1) = samples[len(samples) // 10], samples[-1]
        rate = (n1 - n0) / (t1 - t0)

        # Keys while the flood goes on: f pauses, f follows again.
        latencies = []
        for press in range(args.presses):
            want = rb"PAUSED" if press % 2 == 0 else rb"FOLLOWING"
            while screen.read(0.01):
                pass
            sent = time.monotonic()
            screen.send("f")
            latencies.append((screen.wait_for(want, 10) - sent) * 1000)
            time.sleep(0.1)

        screen.close()
        screen = None
        ceiling = max(ceiling, docker_rate(host, name, env, args.seconds))
        against = target.label
        print(f"against {against}, log view at 80x24:")
        print(f"  docker logs -f: {ceiling:,.0f} lines/s (the ceiling)")
        print(f"  berth log view: {rate:,.0f} lines/s ({rate / ceiling:.2f} of the ceiling)")
        print("  RSS after " + ", ".join(f"{mark / 1e6:g}M lines: {mb:.0f} MB" for mark, mb in memory.items()))
        print(f"  key to frame (f), median of {len(latencies)}: {statistics.median(latencies):.0f} ms (max {max(latencies):.0f})")
    finally:
        if screen:
            screen.close()
        subprocess.run(["docker", "-H", host, "rm", "-f", name], capture_output=True)
        target.close()


if __name__ == "__main__":
    main()
