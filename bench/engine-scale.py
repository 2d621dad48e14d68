#!/usr/bin/env python3
"""berth's engine at scale, through its API on a private socket, with dockerd as the peer.

  create+start: 100 containers, one after another (engine: image `host`; dockerd: the busybox
                test image, --network none), whole time for all
  list:         GET /containers/json?all=1 with N containers (default 1000), median of 10, on
                both
  idle:         the engine's CPU (share of one core) over 30 s and its RSS, with 200 running

Usage: DOCKER_HOST=unix:///path/docker.sock bench/engine-scale.py [--list 1000] [--idle 30]
Node is started without NODE_EXTRA_CA_CERTS, as on a user's machine.
"""
import argparse
import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import tempfile
import time
import urllib.parse

from benchlib import peer_daemon, rss_mb

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BERTH = os.path.join(ROOT, "dist", "berth.js")
TICKS = os.sysconf("SC_CLK_TCK")


class UnixConnection(http.client.HTTPConnection):
    def __init__(self, path):
        super().__init__("localhost")
        self.path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(self.path)


def call(sock, method, path, body=None):
    connection = UnixConnection(sock)
    headers = {"Content-Type": "application/json"} if body is not None else {}
    connection.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
    response = connection.getresponse()
    data = response.read()
    connection.close()
    if response.status >= 400:
        raise RuntimeError(f"{method} {path}: {response.status} {data[:200]!r}")
    return json.loads(data) if data and data[:1] in b"[{" else None


def create_start(sock, image, count, label, start=True):
    started = time.perf_counter()
    for index in range(count):
        created = call(sock, "POST", "/containers/create", {"Image": image, "Cmd": ["sleep", "86400"], "Labels": {"berth.bench": label}, "HostConfig": {"NetworkMode": "none"}})
        if start:
            call(sock, "POST", f"/containers/{created['Id']}/start")
    return time.perf_counter() - started


def remove_all(sock, label):
    query = urllib.parse.quote(json.dumps({"label": [f"berth.bench={label}"]}))
    for container in call(sock, "GET", "/containers/json?all=1&filters=" + query):
        call(sock, "DELETE", f"/containers/{container['Id']}?force=1")


def list_time(sock):
    samples = []
    for _ in range(10):
        started = time.perf_counter()
        call(sock, "GET", "/containers/json?all=1")
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS



def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--list", type=int, default=1000)
    parser.add_argument("--running", type=int, default=200)
    parser.add_argument("--idle", type=float, default=30)
    parser.add_argument("--image", default=os.environ.get("BERTH_TEST_IMAGE", "berth-test/busybox"))
    args = parser.parse_args()
    _, dockerd_sock = peer_daemon()

    work = tempfile.mkdtemp(prefix="berth-scale-")
    env = dict(os.environ, BERTH_ENGINE_STATE=os.path.join(work, "state"), BERTH_ENGINE_RUN=os.path.join(work, "run"))
    env.pop("NODE_EXTRA_CA_CERTS", None)
    engine = subprocess.Popen(["node", BERTH, "engine", "run"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    sock = os.path.join(work, "run", "engine.sock")
    try:
        for _ in range(100):
            if os.path.exists(sock):
                break
            time.sleep(0.1)
        time.sleep(0.3)
        results = {}
        results["create_start_100_engine_s"] = create_start(sock, "host", 100, "a")
        results["create_start_100_dockerd_s"] = create_start(dockerd_sock, args.image, 100, "a")
        remove_all(dockerd_sock, "a")
        # The 100 running ones stay for the idle figure; the rest are created, not started.
        create_start(sock, "host", args.running - 100, "b")
        time.sleep(2)
        before, started = cpu_seconds(engine.pid), time.perf_counter()
        time.sleep(args.idle)
        results["idle_cpu_share_of_core_%d_running" % args.running] = (cpu_seconds(engine.pid) - before) / (time.perf_counter() - started)
        results["idle_rss_mb_%d_running" % args.running] = rss_mb(engine.pid)
        create_start(sock, "host", args.list - args.running, "c", start=False)
        results[f"list_{args.list}_engine_ms"] = list_time(sock) * 1000
        results["engine_rss_mb_%d_containers" % args.list] = rss_mb(engine.pid)
        # The same list from dockerd, with as many containers (created, not started).
        create_start(dockerd_sock, args.image, args.list, "d", start=False)
        results[f"list_{args.list}_dockerd_ms"] = list_time(dockerd_sock) * 1000
        remove_all(dockerd_sock, "d")
        print(f"create+start 100, engine:  {results['create_start_100_engine_s']:.2f} s")
        print(f"create+start 100, dockerd: {results['create_start_100_dockerd_s']:.2f} s")
        print(f"engine idle with {args.running} running: {results['idle_cpu_share_of_core_%d_running' % args.running] * 100:.2f}% of a core over {args.idle:.0f} s, RSS {results['idle_rss_mb_%d_running' % args.running]:.0f} MB")
        print(f"list {args.list} containers, engine: {results[f'list_{args.list}_engine_ms']:.1f} ms (median of 10); engine RSS {results['engine_rss_mb_%d_containers' % args.list]:.0f} MB")
        print(f"list {args.list} containers, dockerd: {results[f'list_{args.list}_dockerd_ms']:.1f} ms (median of 10)")
        print(json.dumps(results))
    finally:
        engine.terminate()
        try:
            engine.wait(timeout=120)
        except subprocess.TimeoutExpired:
            engine.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
