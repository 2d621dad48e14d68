#!/usr/bin/env python3
"""Light and fast at scale: the containers screen with 1, 200 and 1,000 containers.

Against dockerd (DOCKER_HOST) or a private berth engine (--engine), in a real pseudo-terminal:
  first frame  launch to the first frame that shows "Containers (N)", with 1, 200 and 1,000
               containers on the engine; `docker ps -a` (launch to exit) timed in the same run
  idle CPU     200 containers, the list and the Stats tab open, --idle seconds: berth's own CPU,
               and the engine's CPU with berth open minus the same span with berth closed
               (dockerd counts with containerd and its shims; berth's engine is one process)
  idle bytes   bytes berth writes to the terminal per second while nothing changes (list and
               Logs tab of a silent container)
  RSS          berth's resident memory with 1,000 containers, after the first frame, right after
               moving through them, and 10 s later
  keys         key-to-frame with 1,000 containers: `j` every 120 ms (and `ctrl-f` pages), time
               from the key to berth's first output after it, median and 90th percentile
1,000 is 200 running and 800 created (not started) containers, labelled berth.bench=scale.
berth runs with NODE_EXTRA_CA_CERTS unset, as on a user's machine. Everything else on the engine
counts towards N, so use a daemon with nothing else on it.

Usage: DOCKER_HOST=unix:///path/docker.sock bench/scale.py [--engine] [--runs 7] [--idle 30] [--keep]
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time

from benchlib import Target, Terminal, cpu_seconds, docker, key_latencies, pids_named, rss_mb

LABEL = "berth.bench=scale"


def count(host):
    return len(docker(host, "ps", "-aq").split())


def grow(target, running, created):
    """Adds labelled containers until the engine has at least this many running and created ones."""
    host = target.host
    have_running = len(docker(host, "ps", "-q", "--filter", f"label={LABEL}").split())
    have_all = len(docker(host, "ps", "-aq", "--filter", f"label={LABEL}").split())
    jobs = []
    stamp = f"{os.getpid()}-{int(time.time())}"

    def launch(arguments):
        jobs.append(subprocess.Popen(["docker", "-H", host, *arguments], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE))
        if len(jobs) >= 6:
            job = jobs.pop(0)
            if job.wait() != 0:
                sys.exit(f"docker failed: {job.stderr.read().decode()}")

    for index in range(max(0, running - have_running)):
        launch(["run", "-d", "--network", "none", "--label", LABEL, "--name", f"scale-run-{stamp}-{index}", target.image, "sleep", "86400"])
    for index in range(max(0, created - (have_all - have_running))):
        launch(["create", "--network", "none", "--label", LABEL, "--name", f"scale-new-{stamp}-{index}", target.image, "sleep", "86400"])
    for job in jobs:
        if job.wait() != 0:
            sys.exit(f"docker failed: {job.stderr.read().decode()}")


def first_frames(target, runs, size):
    total = count(target.host)
    pattern = re.compile(rb"Containers \(" + str(total).encode() + rb"\)")
    times = []
    for run in range(runs + 1):
        screen = Terminal(target.env, *size)
        try:
            elapsed = screen.wait_for(pattern)
        finally:
            screen.close()
        if run > 0:  # the first run warms the file cache
            times.append(elapsed * 1000)
    peer = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(["docker", "-H", target.host, "ps", "-a"], check=True, stdout=subprocess.DEVNULL)
        peer.append((time.perf_counter() - start) * 1000)
    return {"containers": total, "berth_ms": round(statistics.median(times), 1), "berth_min_ms": round(min(times), 1), "berth_max_ms": round(max(times), 1), "docker_ps_ms": round(statistics.median(peer), 1)}


def engine_pids(target):
    if target.process:
        return [target.process.pid]
    return pids_named("dockerd", "containerd", "containerd-shim", "containerd-shim-runc-v2")


def cpu_of(pids):
    return sum(cpu_seconds(pid) for pid in pids)


def idle_figures(target, seconds, size):
    pids = engine_pids(target)
    before = cpu_of(pids)
    time.sleep(seconds)
    closed = (cpu_of(pids) - before) / seconds * 100

    screen = Terminal(target.env, *size)
    try:
        screen.wait_for(re.compile(rb"Containers \(\d+\)"))
        screen.drain(3)
        # The selected row is a running container (running ones sort first): its Stats tab.
        screen.send(b"]")
        screen.wait_for(re.compile(rb"CPU % "), 15)
        screen.drain(3)
        berth_before = cpu_seconds(screen.pid)
        pids = engine_pids(target)
        engine_before = cpu_of(pids)
        screen.drain(seconds)
        berth_cpu = (cpu_seconds(screen.pid) - berth_before) / seconds * 100
        opened = (cpu_of(pids) - engine_before) / seconds * 100
        # Back to the Logs tab of a silent container: nothing on screen should change now, but
        # for the uptimes, which move every 10 s under a minute ("Up 20 seconds") and then only
        # at each minute: the containers are given time to pass their first minute.
        screen.send(b"[")
        screen.drain(max(5.0, 70 - newest_age(target)))
        quiet = 20
        written = screen.drain(quiet)
    finally:
        screen.close()
    return {
        "berth_cpu_percent": round(berth_cpu, 2),
        "engine_cpu_closed_percent": round(closed, 2),
        "engine_cpu_open_percent": round(opened, 2),
        "engine_extra_percent": round(opened - closed, 2),
        "together_percent": round(berth_cpu + opened - closed, 2),
        "idle_bytes_per_second": round(written / quiet, 1),
    }


def newest_age(target):
    """Seconds since the newest container was created."""
    ids = docker(target.host, "ps", "-aq").split()[:1]  # newest first
    if not ids:
        return 0.0
    created = docker(target.host, "inspect", "-f", "{{.Created}}", ids[0])
    stamp = subprocess.run(["date", "-d", created, "+%s.%N"], capture_output=True, text=True, check=True).stdout
    return time.time() - float(stamp)


def scale_figures(target, size, presses):
    total = count(target.host)
    screen = Terminal(target.env, *size)
    try:
        screen.wait_for(re.compile(rb"Containers \(" + str(total).encode() + rb"\)"))
        screen.drain(4)
        rss_first = rss_mb(screen.pid)
        latencies = key_latencies(screen, [b"\x06" if index % 10 == 9 else b"j" for index in range(presses)])
        screen.drain(2)
        rss_after = rss_mb(screen.pid)
        # Garbage from the moves is given back once V8's idle-time collection has run.
        screen.drain(10)
        rss_settled = rss_mb(screen.pid)
    finally:
        screen.close()
    latencies.sort()
    return {
        "containers": total,
        "rss_mb_first_frame": round(rss_first, 1),
        "rss_mb_after_moving": round(rss_after, 1),
        "rss_mb_10s_later": round(rss_settled, 1),
        "keys": len(latencies),
        "key_to_frame_median_ms": round(statistics.median(latencies), 1),
        "key_to_frame_p90_ms": round(latencies[int(len(latencies) * 0.9) - 1], 1),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--engine", action="store_true", help="measure a private berth engine instead of DOCKER_HOST")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--idle", type=float, default=30, help="seconds of idle measurement")
    parser.add_argument("--presses", type=int, default=60)
    parser.add_argument("--size", default="80x24")
    parser.add_argument("--keep", action="store_true", help="leave the containers for another run")
    args = parser.parse_args()
    size = tuple(int(part) for part in args.size.split("x"))
    target = Target(args.engine, os.environ.get("BERTH_TEST_IMAGE", "berth-test/busybox"), prefix="berth-scale-")
    results = {"engine": target.label, "size": args.size}
    try:
        grow(target, 1, 0)
        if count(target.host) != 1:
            print(f"note: the engine holds {count(target.host)} containers, not 1", file=sys.stderr)
        results["first_frame_1"] = first_frames(target, args.runs, size)
        print(json.dumps(results["first_frame_1"]), file=sys.stderr)
        grow(target, 200, 0)
        results["first_frame_200"] = first_frames(target, args.runs, size)
        print(json.dumps(results["first_frame_200"]), file=sys.stderr)
        results["idle_200"] = idle_figures(target, args.idle, size)
        print(json.dumps(results["idle_200"]), file=sys.stderr)
        grow(target, 200, 800)
        results["first_frame_1000"] = first_frames(target, args.runs, size)
        print(json.dumps(results["first_frame_1000"]), file=sys.stderr)
        results["scale_1000"] = scale_figures(target, size, args.presses)
    finally:
        if not args.keep:
            existing = docker(target.host, "ps", "-aq", "--filter", f"label={LABEL}").split()
            for start in range(0, len(existing), 100):
                docker(target.host, "rm", "-f", *existing[start:start + 100])
        target.close()
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
