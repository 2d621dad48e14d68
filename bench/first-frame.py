#!/usr/bin/env python3
"""Time from launching berth to the first frame that shows the container list.

berth runs in a real pseudo-terminal of a fixed size; the clock stops when its output first
contains the list title with the full count ("Containers (N)"), which Ink writes in the same frame
as the rows. The plain docker CLI's `docker ps -a` (launch to exit, list printed) is measured in
the same run as the reference peer. Node is started without NODE_EXTRA_CA_CERTS, as on a user's
machine (see README).

Usage: bench/first-frame.py [--containers N] [--runs R] [--size 80x24] [--cleanup]
Needs DOCKER_HOST (or the local socket) to reach a Docker daemon and the berth-test/busybox image.
"""
import argparse
import fcntl
import json
import os
import pty
import re
import select
import signal
import statistics
import struct
import subprocess
import sys
import termios
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BERTH = os.path.join(ROOT, "dist", "berth.js")
LABEL = "berth.bench=first-frame"
IMAGE = os.environ.get("BERTH_TEST_IMAGE", "berth-test/busybox")


def docker(*args, check=True):
    return subprocess.run(["docker", *args], check=check, capture_output=True, text=True).stdout


def ensure_containers(count):
    existing = docker("ps", "-aq", "--filter", f"label={LABEL}").split()
    missing = count - len(existing)
    if missing > 0:
        print(f"creating {missing} running containers…", file=sys.stderr)
        names = [f"bench-{os.getpid()}-{i}" for i in range(missing)]
        procs = []
        for name in names:
            procs.append(subprocess.Popen(
                ["docker", "run", "-d", "--network", "none", "--label", LABEL, "--name", name, IMAGE, "sleep", "86400"],
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE))
            if len(procs) >= 8:
                procs.pop(0).wait()
        for proc in procs:
            proc.wait()
    elif missing < 0:
        docker("rm", "-f", *existing[:-missing])


def cleanup():
    existing = docker("ps", "-aq", "--filter", f"label={LABEL}").split()
    if existing:
        docker("rm", "-f", *existing)


def berth_first_frame(total, columns, rows, timeout=30.0):
    env = dict(os.environ)
    env.pop("NODE_EXTRA_CA_CERTS", None)
    env["TERM"] = "xterm-256color"
    pattern = re.compile(rb"Containers \(" + str(total).encode() + rb"\)")
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        os.execvpe("node", ["node", BERTH], env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    os.kill(pid, signal.SIGWINCH)
    seen = b""
    elapsed = None
    deadline = start + timeout
    while time.perf_counter() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.05)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
        if pattern.search(seen):
            elapsed = time.perf_counter() - start
            break
    try:
        os.write(fd, b"q")
        end = time.perf_counter() + 5
        while time.perf_counter() < end:
            done, _ = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            try:
                select.select([fd], [], [], 0.05)
                os.read(fd, 65536)
            except OSError:
                pass
        else:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
    finally:
        os.close(fd)
    if elapsed is None:
        tail = seen[-600:].decode("utf-8", "replace")
        raise RuntimeError(f"berth never showed 'Containers ({total})'; last output: {tail!r}")
    return elapsed


def docker_ps():
    start = time.perf_counter()
    subprocess.run(["docker", "ps", "-a"], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--containers", type=int, default=200)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--size", default="80x24")
    parser.add_argument("--cleanup", action="store_true", help="remove the bench containers afterwards")
    args = parser.parse_args()
    columns, rows = (int(part) for part in args.size.split("x"))
    if not os.path.exists(BERTH):
        sys.exit("dist/berth.js is missing: run `npm run build` first")

    ensure_containers(args.containers)
    total = len(docker("ps", "-aq").split())
    berth_first_frame(total, columns, rows)  # warm the file cache; not counted
    berth = [berth_first_frame(total, columns, rows) for _ in range(args.runs)]
    peer = [docker_ps() for _ in range(args.runs)]
    result = {
        "containers": total,
        "size": args.size,
        "runs": args.runs,
        "berth_first_frame_ms": round(statistics.median(berth) * 1000, 1),
        "berth_min_ms": round(min(berth) * 1000, 1),
        "berth_max_ms": round(max(berth) * 1000, 1),
        "docker_ps_ms": round(statistics.median(peer) * 1000, 1),
        "ratio_berth_to_docker_ps": round(statistics.median(berth) / statistics.median(peer), 2),
    }
    print(f"containers on the daemon: {total}; terminal {args.size}; {args.runs} runs, medians")
    print(f"berth, launch to first frame with the list: {result['berth_first_frame_ms']} ms (min {result['berth_min_ms']}, max {result['berth_max_ms']})")
    print(f"docker ps -a, launch to exit:               {result['docker_ps_ms']} ms")
    print(f"ratio berth / docker ps:                    {result['ratio_berth_to_docker_ps']}")
    print(json.dumps(result))
    if args.cleanup:
        cleanup()


if __name__ == "__main__":
    main()
