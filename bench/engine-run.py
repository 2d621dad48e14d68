#!/usr/bin/env python3
"""`docker run --rm IMAGE true` through the docker CLI: berth's engine against dockerd, same run.

Starts a private berth engine (state and socket in a temporary directory) and times the whole
CLI command against it and against the Docker daemon named by DOCKER_HOST, alternating, medians.
berth's engine runs the built-in `host` image; dockerd runs the test image (static busybox).
Node is started without NODE_EXTRA_CA_CERTS, as on a user's machine.

Usage: DOCKER_HOST=unix:///path/docker.sock bench/engine-run.py [--runs N]
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BERTH = os.path.join(ROOT, "dist", "berth.js")


def timed(command):
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--image", default=os.environ.get("BERTH_TEST_IMAGE", "berth-test/busybox"))
    args = parser.parse_args()
    dockerd = os.environ.get("DOCKER_HOST")
    if not dockerd:
        sys.exit("set DOCKER_HOST to the Docker daemon to compare with")

    work = tempfile.mkdtemp(prefix="berth-bench-")
    env = dict(os.environ, BERTH_ENGINE_STATE=os.path.join(work, "state"), BERTH_ENGINE_RUN=os.path.join(work, "run"))
    env.pop("NODE_EXTRA_CA_CERTS", None)
    engine = subprocess.Popen(["node", BERTH, "engine", "run"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    socket = "unix://" + os.path.join(work, "run", "engine.sock")
    try:
        for _ in range(100):
            if subprocess.run(["docker", "-H", socket, "version"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0:
                break
            time.sleep(0.1)
        berth_cmd = ["docker", "-H", socket, "run", "--rm", "host", "true"]
        docker_cmd = ["docker", "-H", dockerd, "run", "--rm", "--network", "none", args.image, "true"]
        timed(berth_cmd)
        timed(docker_cmd)
        berth, docker = [], []
        for _ in range(args.runs):
            berth.append(timed(berth_cmd))
            docker.append(timed(docker_cmd))
        # The CLI's own floor: a request-free start, and one round trip to the engine.
        floor = statistics.median([timed(["docker", "--version"]) for _ in range(args.runs)])
        trip = statistics.median([timed(["docker", "-H", socket, "version"]) for _ in range(args.runs)])
        b, d = statistics.median(berth), statistics.median(docker)
        print(f"docker run --rm IMAGE true, {args.runs} runs each, medians")
        print(f"against berth's engine: {b * 1000:.0f} ms (min {min(berth) * 1000:.0f}, max {max(berth) * 1000:.0f})")
        print(f"against dockerd:        {d * 1000:.0f} ms (min {min(docker) * 1000:.0f}, max {max(docker) * 1000:.0f})")
        print(f"dockerd / berth:        {d / b:.1f}x")
        print(f"the CLI alone: docker --version {floor * 1000:.0f} ms, docker version against the engine {trip * 1000:.0f} ms")
        print(f"10x would need {d * 100:.0f} ms against the engine")
    finally:
        engine.terminate()
        engine.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
