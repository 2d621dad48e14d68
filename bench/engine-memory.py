#!/usr/bin/env python3
"""What a container costs in memory: berth's engine against dockerd, in the same run.

  engine:  the engine's RSS empty, with N stopped containers (default 1000, created, never
           started), then with M running ones more (default 200, `sleep`); per container, an
           upper bound for each kind (all the growth put on it) and the average over all. Read as the median of 5 samples a second apart, after
           5 s to settle (V8 frees lazily, so one sample can catch garbage).
  monitor: what each running container keeps outside itself: berth's output relay (Perl) and
           monitor (one shell) and, for dockerd, its containerd-shim. Proportional set size (PSS, /proc/PID/smaps_rollup),
           so pages the processes share are split among them rather than counted each time.

Usage: DOCKER_HOST=unix:///path/docker.sock bench/engine-memory.py [--stopped 1000] [--running 200]
Node is started without NODE_EXTRA_CA_CERTS, as on a user's machine.
"""
import argparse
import json
import os
import statistics
import subprocess
import time

from benchlib import Target, peer_daemon, pids_named, rss_mb


def pss_kib(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def settled_rss_mb(pid):
    time.sleep(5)
    samples = []
    for _ in range(5):
        samples.append(rss_mb(pid))
        time.sleep(1)
    return statistics.median(samples)


def api(host, *args):
    return subprocess.run(["docker", "-H", host, *args], check=True, capture_output=True, text=True).stdout.split()


def make(host, image, count, start, label):
    ids = []
    for _ in range(count):
        ids.append(api(host, "create", "--network", "none", "--label", f"berth.bench={label}", image, "sleep", "86400")[0])
    if start:
        for index in range(0, len(ids), 50):
            api(host, "start", *ids[index:index + 50])
    return ids


def remove(host, ids):
    for index in range(0, len(ids), 100):
        api(host, "rm", "-f", *ids[index:index + 100])


def monitors_of(ids):
    """PIDs of berth's relays and monitors, by container: the processes whose command line runs a
    monitor (`berth-monitor`) and names the container."""
    wanted = set(ids)
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as handle:
                words = handle.read().split(b"\0")
        except OSError:
            continue
        if b"berth-monitor" not in words:
            continue
        for word in words:
            if word.decode(errors="replace") in wanted:
                found.setdefault(word.decode(), []).append(int(entry))
                break
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stopped", type=int, default=1000)
    parser.add_argument("--running", type=int, default=200)
    parser.add_argument("--image", default=os.environ.get("BERTH_TEST_IMAGE", "berth-test/busybox"))
    args = parser.parse_args()
    dockerd, _ = peer_daemon()

    results = {}
    engine = Target(True, None, prefix="berth-memory-")
    try:
        pid = engine.process.pid
        empty = settled_rss_mb(pid)
        stopped = make(engine.host, "host", args.stopped, False, "stopped")
        with_stopped = settled_rss_mb(pid)
        running = make(engine.host, "host", args.running, True, "running")
        with_running = settled_rss_mb(pid)
        monitors = monitors_of(running)
        results.update(
            engine_rss_mb_empty=empty,
            engine_rss_mb_stopped=with_stopped,
            engine_rss_mb_running=with_running,
            # Upper bounds: all the growth put on the one kind (V8's heap also holds garbage
            # it has not collected yet, so a later reading can be lower than an earlier one).
            engine_kib_per_stopped_at_most=max(0.0, with_stopped - empty) * 1024 / args.stopped,
            engine_kib_per_running_at_most=max(0.0, max(with_running, with_stopped) - empty) * 1024 / args.running,
            engine_kib_per_container_average=(with_running - empty) * 1024 / (args.stopped + args.running),
            monitors_found=len(monitors),
            processes_per_container=sum(len(pids) for pids in monitors.values()) / max(1, len(monitors)),
            monitor_pss_kib=sum(pss_kib(pid) for pids in monitors.values() for pid in pids) / max(1, len(monitors)),
        )
        remove(engine.host, running + stopped)
    finally:
        engine.close()

    # dockerd's per-container process: a containerd-shim each (counted before and after).
    before = set(pids_named("containerd-shim", "containerd-shim-runc-v2"))
    running = make(dockerd, args.image, args.running, True, "running")
    try:
        shims = [shim for shim in pids_named("containerd-shim", "containerd-shim-runc-v2") if shim not in before]
        results.update(shims_found=len(shims), shim_pss_kib=sum(pss_kib(shim) for shim in shims) / max(1, len(shims)))
    finally:
        remove(dockerd, running)

    print(f"engine RSS: empty {results['engine_rss_mb_empty']:.1f} MB, with {args.stopped} stopped {results['engine_rss_mb_stopped']:.1f} MB, and {args.running} running more {results['engine_rss_mb_running']:.1f} MB")
    print(f"engine per stopped container: at most {results['engine_kib_per_stopped_at_most']:.0f} KiB; per running one: at most {results['engine_kib_per_running_at_most']:.0f} KiB; on average over all {args.stopped + args.running}: {results['engine_kib_per_container_average']:.0f} KiB")
    print(f"berth's relay and monitor: {results['monitor_pss_kib']:.0f} KiB PSS a container ({results['monitors_found']} containers, {results['processes_per_container']:.1f} processes each); dockerd's containerd-shim: {results['shim_pss_kib']:.0f} KiB PSS each ({results['shims_found']} found)")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
