#!/usr/bin/env python3
"""`docker pull` of one image from a loopback registry: berth's engine against dockerd, same run.

Starts Debian's docker-registry on 127.0.0.1 (and, with --dockerd-netns, a second one on the
same storage inside the network namespace dockerd runs in, so that both daemons pull from
loopback), builds a test image of four layers (the busybox test image and three of random
bytes, 24 MiB in all) with dockerd, pushes it, then alternates: remove the image from the
daemon, pull it again, timing the whole docker CLI command. Medians. The engine is a private
one (state in a temporary directory), started without NODE_EXTRA_CA_CERTS as on a user's machine.

Usage: DOCKER_HOST=unix:///path/docker.sock bench/pull.py [--runs N] [--dockerd-netns /run/netns/NAME]
"""
import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import Target, docker, peer_daemon  # noqa: E402


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_registry(work, port, netns=None):
    config = os.path.join(work, f"registry-{port}.yml")
    with open(config, "w") as handle:
        handle.write(f"version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: {work}/storage\nhttp:\n  addr: 127.0.0.1:{port}\n")
    command = ["docker-registry", "serve", config]
    if netns:
        command = ["nsenter", f"--net={netns}", *command]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return process


def timed(command, env):
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--image", default=os.environ.get("BERTH_TEST_IMAGE", "berth-test/busybox"))
    parser.add_argument("--dockerd-netns", default=os.environ.get("BERTH_TEST_DOCKERD_NETNS"))
    args = parser.parse_args()
    dockerd, _ = peer_daemon()
    if not shutil.which("docker-registry"):
        sys.exit("needs docker-registry (apt-get install docker-registry)")

    work = tempfile.mkdtemp(prefix="berth-bench-pull-")
    port = free_port()
    registries = [start_registry(work, port)]
    if args.dockerd_netns:
        registries.append(start_registry(work, port, args.dockerd_netns))
    engine = Target(True, "host", prefix="berth-bench-pull-engine-")
    name = f"127.0.0.1:{port}/bench/pull:1"
    try:
        time.sleep(1)
        context = os.path.join(work, "context")
        os.makedirs(context)
        with open(os.path.join(context, "Dockerfile"), "w") as handle:
            handle.write(f"FROM {args.image}\n" + "".join(f"RUN head -c 8388608 /dev/urandom > /random-{index}\n" for index in range(3)))
        subprocess.run(["docker", "-H", dockerd, "build", "-q", "--network", "none", "-t", name, context], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        docker(dockerd, "push", name)
        env = dict(engine.env)
        runs = {"engine": [], "dockerd": []}
        for index in range(args.runs + 1):
            for label, host in (("engine", engine.host), ("dockerd", dockerd)):
                subprocess.run(["docker", "-H", host, "rmi", "-f", name], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                seconds = timed(["docker", "-H", host, "pull", name], env)
                if index > 0:  # the first of each is a warm-up
                    runs[label].append(seconds)
        e, d = statistics.median(runs["engine"]), statistics.median(runs["dockerd"])
        print(f"docker pull of a 4-layer, 24 MiB image from a loopback registry, {args.runs} runs each, medians:")
        print(f"  berth's engine: {e * 1000:.0f} ms ({min(runs['engine']) * 1000:.0f}-{max(runs['engine']) * 1000:.0f})")
        print(f"  dockerd:        {d * 1000:.0f} ms ({min(runs['dockerd']) * 1000:.0f}-{max(runs['dockerd']) * 1000:.0f})")
        print(f"  ratio dockerd/engine: {d / e:.2f}")
    finally:
        subprocess.run(["docker", "-H", dockerd, "rmi", "-f", name], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        engine.close()
        for registry in registries:
            registry.terminate()
            registry.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
