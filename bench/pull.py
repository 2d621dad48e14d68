#!/usr/bin/env python3
"""`docker pull` from a loopback registry: berth's engine against dockerd, same run.

Starts Debian's docker-registry on 127.0.0.1 (and, with --dockerd-netns, a second one on the
same storage inside the network namespace dockerd runs in, so that both daemons pull from
loopback) and builds with dockerd: an image of five layers (the busybox test image and three of
16 MiB of random bytes: about 50 MB), and ten small images on one 16 MiB base. Measures, through
the docker CLI, whole commands, medians of alternating runs:
  1. the pull of the 50 MB image, each time after removing it;
  2. the pull of an image sharing that base (only its own layer is fetched);
  3. the disk the ten images on one base take (du of the engine's layers and blobs, and of
     dockerd's overlay2 and image directories, before and after).
The engine is a private one (state in a temporary directory), started without
NODE_EXTRA_CA_CERTS as on a user's machine.

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
        def build(tag, dockerfile):
            context = tempfile.mkdtemp(dir=work)
            with open(os.path.join(context, "Dockerfile"), "w") as handle:
                handle.write(dockerfile)
            subprocess.run(["docker", "-H", dockerd, "build", "-q", "--network", "none", "-t", tag, context], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            docker(dockerd, "push", tag)

        random_layer = "RUN head -c 16777216 /dev/urandom > /random-{}\n"
        build(name, f"FROM {args.image}\n" + "".join(random_layer.format(index) for index in range(3)))
        base = f"127.0.0.1:{port}/bench/base:1"
        build(base, f"FROM {args.image}\n" + random_layer.format("base"))
        family = [f"127.0.0.1:{port}/bench/family-{index}:1" for index in range(10)]
        for index, tag in enumerate(family):
            build(tag, f"FROM {base}\nRUN echo {index} > /which\n")
        sharing = family[0]
        for tag in [base, *family]:
            subprocess.run(["docker", "-H", dockerd, "rmi", "-f", tag], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

        env = dict(engine.env)
        hosts = (("engine", engine.host), ("dockerd", dockerd))
        runs = {"engine": [], "dockerd": []}
        shared = {"engine": [], "dockerd": []}
        for index in range(args.runs + 1):
            for label, host in hosts:
                subprocess.run(["docker", "-H", host, "rmi", "-f", name, sharing, base], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                seconds = timed(["docker", "-H", host, "pull", name], env)
                subprocess.run(["docker", "-H", host, "pull", base], check=True, stdout=subprocess.DEVNULL, env=env)
                shared_seconds = timed(["docker", "-H", host, "pull", sharing], env)
                if index > 0:  # the first of each is a warm-up
                    runs[label].append(seconds)
                    shared[label].append(shared_seconds)
            for label, host in hosts:
                subprocess.run(["docker", "-H", host, "rmi", "-f", name, sharing, base], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

        # Disk: the ten images on one base, pulled into each.
        root = docker(dockerd, "info", "--format", "{{.DockerRootDir}}")
        places = {"engine": [os.path.join(engine.work, "state", "layers"), os.path.join(engine.work, "state", "blobs"), os.path.join(engine.work, "state", "images")], "dockerd": [os.path.join(root, "overlay2"), os.path.join(root, "image")]}

        def disk(label):
            return sum(int(subprocess.run(["du", "-sb", place], capture_output=True, text=True, check=True).stdout.split()[0]) for place in places[label])

        # dockerd has the busybox test image's layers, which the family is built on: the engine gets them too.
        saved = os.path.join(work, "busybox.tar")
        subprocess.run(["docker", "-H", dockerd, "save", "-o", saved, args.image], check=True)
        subprocess.run(["docker", "-H", engine.host, "load", "-i", saved], check=True, stdout=subprocess.DEVNULL)
        used = {}
        for label, host in hosts:
            before = disk(label)
            for tag in family:
                subprocess.run(["docker", "-H", host, "pull", tag], check=True, stdout=subprocess.DEVNULL, env=env)
            used[label] = disk(label) - before
            subprocess.run(["docker", "-H", host, "rmi", "-f", base, *family], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

        def line(label, values):
            return f"{statistics.median(values) * 1000:.0f} ms ({min(values) * 1000:.0f}-{max(values) * 1000:.0f})"

        print(f"{args.runs} runs each, medians (min-max):")
        print(f"  pull of a 5-layer, 50 MB image   engine {line('engine', runs['engine'])}   dockerd {line('dockerd', runs['dockerd'])}   dockerd/engine {statistics.median(runs['dockerd']) / statistics.median(runs['engine']):.2f}")
        print(f"  pull of one sharing its base     engine {line('engine', shared['engine'])}   dockerd {line('dockerd', shared['dockerd'])}   dockerd/engine {statistics.median(shared['dockerd']) / statistics.median(shared['engine']):.2f}")
        print(f"  disk for ten images on one base  engine {used['engine'] / 1e6:.1f} MB   dockerd {used['dockerd'] / 1e6:.1f} MB")
    finally:
        engine.close()
        for registry in registries:
            registry.terminate()
            registry.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
