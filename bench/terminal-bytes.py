#!/usr/bin/env python3
"""Bytes berth writes to the terminal: what an SSH link carries.

berth in a real pseudo-terminal (80x24), against dockerd (DOCKER_HOST) or a private berth engine
(--engine). One container prints a numbered line every 10 ms (about 100 lines a second).
  idle:      bytes per second with the list on screen and nothing changing: one silent container,
             selected, past its first minute (uptimes under a minute tick every second), before
             the talking one starts
  Logs tab:  bytes per 1,000 lines while the Logs tab follows the talking container
  log view:  the same in the full-screen log view (`l`)
  floor:     bytes per 1,000 lines that `docker logs -f` itself prints for the same lines (the
             lines alone, no screen around them)
berth runs as a user runs it, with NODE_EXTRA_CA_CERTS unset.

Usage: DOCKER_HOST=unix:///path/docker.sock bench/terminal-bytes.py [--engine] [--seconds 10]
"""
import argparse
import os
import re
import subprocess
import time

from benchlib import Target, Terminal, docker

TALK = 'i=0; while :; do i=$((i+1)); echo "INFO request $i handled in 3 ms"; sleep 0.01; done'
NUMBER = re.compile(rb"request (\d+) handled")


def lines_and_bytes(screen, seconds):
    """Bytes berth wrote, and how far the newest line number on screen moved, over `seconds`."""
    written = 0
    first = last = None
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        chunk = screen.read(0.05)
        written += len(chunk)
        numbers = NUMBER.findall(screen.seen[-4000:]) if chunk else []
        if numbers:
            newest = max(int(number) for number in numbers)
            first = newest if first is None else first
            last = newest
    return written, (last - first) if first is not None else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--engine", action="store_true")
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()
    target = Target(args.engine, os.environ.get("BERTH_TEST_IMAGE", "berth-test/busybox"), prefix="berth-bytes-")
    host = target.host
    stamp = f"{os.getpid()}"
    talker, quiet = f"bytes-talk-{stamp}", f"bytes-quiet-{stamp}"
    screen = None
    try:
        # The quiet one sorts first (running, then by name: "bytes-q" < "bytes-t"), so it is selected.
        docker(host, "run", "-d", "--name", quiet, "--network", "none", target.image, "sleep", "3600")
        screen = Terminal(target.env, 80, 24)
        screen.wait_for(re.compile(rb"Containers \("))
        screen.drain(65)
        idle = screen.drain(args.seconds) / args.seconds
        docker(host, "run", "-d", "--name", talker, "--network", "none", target.image, "sh", "-c", TALK)

        screen.send(b"j")
        screen.wait_for(NUMBER, 10)
        screen.drain(2)
        tab_bytes, tab_lines = lines_and_bytes(screen, args.seconds)

        screen.send(b"l")
        screen.wait_for(re.compile(rb"FOLLOWING"), 10)
        screen.drain(2)
        view_bytes, view_lines = lines_and_bytes(screen, args.seconds)
        screen.close()
        screen = None

        floor = subprocess.run(["docker", "-H", host, "logs", "--tail", "1000", talker], capture_output=True).stdout
        print(f"against {target.label}, 80x24, a container printing about 100 lines a second:")
        print(f"  idle, list on screen:          {idle:,.1f} bytes/s")
        print(f"  Logs tab following:            {tab_bytes / max(tab_lines, 1) * 1000:,.0f} bytes per 1,000 lines ({tab_lines} lines in {args.seconds:g} s)")
        print(f"  log view following:            {view_bytes / max(view_lines, 1) * 1000:,.0f} bytes per 1,000 lines ({view_lines} lines in {args.seconds:g} s)")
        print(f"  docker logs (the lines alone): {len(floor):,} bytes per 1,000 lines")
    finally:
        if screen:
            screen.close()
        subprocess.run(["docker", "-H", host, "rm", "-f", talker, quiet], capture_output=True)
        target.close()


if __name__ == "__main__":
    main()
