#!/usr/bin/env python3
"""Panels at scale: moving through 1,000 images and 1,000 volumes, and switching panels.

Against dockerd (DOCKER_HOST) or a private berth engine (--engine), berth in a real pseudo-terminal
(80x24 by default), started as a user starts it:
  images   1,000 tags of one image (cheap to make); `j` every 120 ms (every tenth a page down) in
           the Images panel: time from the key to berth's first output after it
  volumes  the same in the Volumes panel, with 1,000 volumes
  switch   `2` then `1`, again and again (Images and Containers, both read already): time from the
           key to berth's first output after it, and to the frame that shows the new panel's
           title; and the first visit of a panel, which reads its list, timed to its rows
  live     in the Volumes panel, a volume made with the docker CLI: time from the CLI's exit (the
           volume exists) to the frame that shows its row, from the event stream
berth runs with NODE_EXTRA_CA_CERTS unset, as on a user's machine. The tags and volumes are
labelled or prefixed berth-bench-panels and removed at the end.

Usage: DOCKER_HOST=unix:///path/docker.sock bench/panels.py [--engine] [--count 1000] [--presses 60] [--switches 40]
"""
import argparse
import json
import os
import re
import subprocess
import sys
import time

from benchlib import Target, Terminal, docker, key_latencies, latency_summary

PREFIX = "berth-bench-panels"


def parallel(host, commands, width=8):
    jobs = []
    for arguments in commands:
        jobs.append(subprocess.Popen(["docker", "-H", host, *arguments], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE))
        if len(jobs) >= width:
            job = jobs.pop(0)
            if job.wait() != 0:
                sys.exit(f"docker failed: {job.stderr.read().decode()}")
    for job in jobs:
        if job.wait() != 0:
            sys.exit(f"docker failed: {job.stderr.read().decode()}")


def import_busybox(target):
    import io
    import shutil
    import tarfile
    busybox = shutil.which("busybox")
    if not busybox:
        sys.exit("no busybox (apt-get install busybox-static)")
    archive = io.BytesIO()
    with tarfile.open(fileobj=archive, mode="w") as tar:
        tar.add(busybox, arcname="bin/busybox")
    subprocess.run(["docker", "-H", target.host, "import", "-", f"{PREFIX}/base:1"], input=archive.getvalue(), check=True, stdout=subprocess.DEVNULL)
    return f"{PREFIX}/base:1"


def make(target, count):
    base = target.image if ":" in target.image else f"{target.image}:latest"
    parallel(target.host, [["tag", base, f"{PREFIX}/image:{index}"] for index in range(count)])
    parallel(target.host, [["volume", "create", "--label", PREFIX, f"{PREFIX}-{index}"] for index in range(count)])


def clean(target):
    tags = [line for line in docker(target.host, "images", "--format", "{{.Repository}}:{{.Tag}}").split("\n") if line.startswith(f"{PREFIX}/")]
    for start in range(0, len(tags), 100):
        subprocess.run(["docker", "-H", target.host, "rmi", *tags[start:start + 100]], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    volumes = docker(target.host, "volume", "ls", "-q", "--filter", f"label={PREFIX}").split()
    for start in range(0, len(volumes), 100):
        subprocess.run(["docker", "-H", target.host, "volume", "rm", *volumes[start:start + 100]], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def moving(target, size, key, title, count, presses):
    screen = Terminal(target.env, *size)
    try:
        screen.wait_for(re.compile(rb"Containers \(\d+\)"))
        screen.drain(1)
        screen.send(key)
        # The panel's own rows: at least `count` of them listed.
        listed = re.compile(title + rb" \((\d+)\)")
        deadline = time.perf_counter() + 30
        while time.perf_counter() < deadline:
            screen.read(0.05)
            found = listed.findall(screen.seen)
            if found and int(found[-1]) >= count:
                break
        else:
            raise RuntimeError(f"{title!r} never listed {count}")
        screen.drain(2)
        keys = [b"\x06" if index % 10 == 9 else b"j" for index in range(presses)]
        return latency_summary(key_latencies(screen, keys))
    finally:
        screen.close()


def switching(target, size, switches):
    screen = Terminal(target.env, *size)
    try:
        screen.wait_for(re.compile(rb"Containers \(\d+\)"))
        screen.drain(1)
        # The first visit of each panel reads its list: timed to its title with the count.
        first = {}
        for key, title in ((b"2", rb"Images \(\d+\)"), (b"3", rb"Volumes \(\d+\)")):
            screen.seen = b""
            sent = time.perf_counter()
            screen.send(key)
            screen.wait_for(re.compile(title))
            first[key.decode()] = round((time.perf_counter() - sent) * 1000, 1)
            screen.drain(1)
        screen.send(b"1")
        screen.wait_for(re.compile(rb"Containers \(\d+\)"))
        screen.drain(1)
        to_output = []
        to_title = []
        for index in range(switches):
            key, title = (b"2", rb"Images \(\d+\)") if index % 2 == 0 else (b"1", rb"Containers \(\d+\)")
            screen.drain(0.3)
            screen.seen = b""
            sent = time.perf_counter()
            screen.send(key)
            first_output = None
            pattern = re.compile(title)
            while time.perf_counter() - sent < 3:
                if screen.read(0.2) and first_output is None:
                    first_output = time.perf_counter()
                if pattern.search(screen.seen):
                    to_title.append((time.perf_counter() - sent) * 1000)
                    break
            if first_output is not None:
                to_output.append((first_output - sent) * 1000)
        return {"first_visit_ms": first, "to_first_output": latency_summary(to_output), "to_panel_title": latency_summary(to_title)}
    finally:
        screen.close()


def live(target, size, times):
    screen = Terminal(target.env, *size)
    try:
        screen.wait_for(re.compile(rb"Containers \(\d+\)"))
        screen.send(b"3")
        screen.wait_for(re.compile(rb"Volumes \(\d+\)"))
        screen.drain(1)
        latencies = []
        for index in range(times):
            # Short, so that the 80-column list does not cut it.
            name = f"bpl-{os.getpid() % 10000}-{index}"
            # Filtered to the name first, so that the new row is on screen however long the list.
            screen.send(b"/" + name.encode() + b"\r")
            screen.wait_for(re.compile(rb"no volume matches the filter"))
            subprocess.run(["docker", "-H", target.host, "volume", "create", "--label", PREFIX, name], check=True, stdout=subprocess.DEVNULL)
            made = time.perf_counter()
            screen.seen = b""
            screen.wait_for(re.compile(re.escape(name.encode()) + rb"(?:\s|\x1b\[[\d;]*m)+local"), 10)
            latencies.append((time.perf_counter() - made) * 1000)
            screen.send(b"\x1b")
            screen.drain(0.3)
        return latency_summary(latencies)
    finally:
        screen.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--engine", action="store_true", help="measure a private berth engine instead of DOCKER_HOST")
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--presses", type=int, default=60)
    parser.add_argument("--switches", type=int, default=40)
    parser.add_argument("--size", default="80x24")
    args = parser.parse_args()
    size = tuple(int(part) for part in args.size.split("x"))
    target = Target(args.engine, os.environ.get("BERTH_TEST_IMAGE", "berth-test/busybox"), prefix="berth-panels-")
    results = {"engine": target.label, "size": args.size, "count": args.count}
    try:
        if args.engine:
            # berth's engine has only its built-in host image, which cannot be tagged: import a small one to tag.
            target.image = import_busybox(target)
        make(target, args.count)
        results["images"] = moving(target, size, b"2", rb"Images", args.count, args.presses)
        print(json.dumps(results["images"]), file=sys.stderr)
        results["volumes"] = moving(target, size, b"3", rb"Volumes", args.count, args.presses)
        print(json.dumps(results["volumes"]), file=sys.stderr)
        results["switch"] = switching(target, size, args.switches)
        print(json.dumps(results["switch"]), file=sys.stderr)
        results["live"] = live(target, size, 10)
    finally:
        clean(target)
        target.close()
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
