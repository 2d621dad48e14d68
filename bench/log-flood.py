#!/usr/bin/env python3
"""Logs at flood speed: `berth logs -f` against `docker logs -f` (the ceiling), same container,
same daemon, same run; and the time to the first printed line of `--tail 100`.

  ingest:     one container writes lines flat out; each client follows it for --seconds, its
              output read through a pipe and counted here: lines per second received
  first line: launch to the first byte on stdout of `logs --tail 100 NAME`, median of --runs

Run against dockerd (DOCKER_HOST=unix:///...) and against berth's engine (--engine starts a
private one). Node is started without NODE_EXTRA_CA_CERTS, as on a user's machine.

Usage: DOCKER_HOST=unix:///path/docker.sock bench/log-flood.py [--engine] [--seconds 5] [--runs 15]
"""
import argparse
import os
import statistics
import subprocess
import time

from benchlib import BERTH, Target, docker
FLOOD = 'i=0; while :; do i=$((i+1)); echo "INFO request $i handled in 3 ms by worker 7"; done'



def count_lines(command, env, seconds):
    """Lines a client prints in `seconds` while following (read through a pipe, counted here)."""
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + seconds
    total = 0
    started = None
    fd = process.stdout.fileno()
    os.set_blocking(fd, False)
    while time.monotonic() < deadline:
        try:
            chunk = os.read(fd, 1 << 20)
        except BlockingIOError:
            time.sleep(0.002)
            continue
        if not chunk:
            break
        if started is None:
            # The tail comes first; count from the first read on.
            started = time.monotonic()
        total += chunk.count(b"\n")
    elapsed = time.monotonic() - (started or deadline)
    process.kill()
    process.wait()
    return total / elapsed if elapsed > 0 else 0.0


def first_line_ms(command, env):
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    process.stdout.read(1)
    elapsed = time.perf_counter() - started
    process.stdout.read()
    process.wait()
    return elapsed * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--engine", action="store_true", help="measure against a private berth engine instead of DOCKER_HOST")
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--image", default=os.environ.get("BERTH_TEST_IMAGE", "berth-test/busybox"))
    args = parser.parse_args()

    target = Target(args.engine, args.image, "berth-flood-")
    env, host = target.env, target.host
    image = target.image
    name = f"berth-flood-{os.getpid()}"
    try:
        docker(host, "run", "-d", "--name", name, "--network", "none", image, "sh", "-c", FLOOD)
        time.sleep(2)
        rates = {"docker": [], "berth": []}
        for _ in range(3):
            rates["docker"].append(count_lines(["docker", "-H", host, "logs", "-f", "--tail", "0", name], env, args.seconds))
            rates["berth"].append(count_lines(["node", BERTH, "logs", "-f", "--tail", "0", name], env, args.seconds))
        docker(host, "stop", "-t", "0", name)
        firsts = {"docker": [], "berth": []}
        for _ in range(args.runs):
            firsts["docker"].append(first_line_ms(["docker", "-H", host, "logs", "--tail", "100", name], env))
            firsts["berth"].append(first_line_ms(["node", BERTH, "logs", "--tail", "100", name], env))
        against = target.label
        docker_rate, berth_rate = statistics.median(rates["docker"]), statistics.median(rates["berth"])
        print(f"against {against}, {args.seconds:.0f} s follows, medians of 3:")
        print(f"  docker logs -f: {docker_rate:,.0f} lines/s (the ceiling)")
        print(f"  berth logs -f:  {berth_rate:,.0f} lines/s ({berth_rate / docker_rate:.2f} of the ceiling)")
        print(f"first line of logs --tail 100, median of {args.runs}:")
        print(f"  docker logs: {statistics.median(firsts['docker']):.0f} ms")
        print(f"  berth logs:  {statistics.median(firsts['berth']):.0f} ms")
    finally:
        subprocess.run(["docker", "-H", host, "rm", "-f", name], capture_output=True)
        target.close()


if __name__ == "__main__":
    main()
