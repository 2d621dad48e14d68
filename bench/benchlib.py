"""What the benchmarks share: the engine or daemon to measure against, and process figures."""
import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BERTH = os.path.join(ROOT, "dist", "berth.js")


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def docker(host, *args):
    return subprocess.run(["docker", "-H", host, *args], check=True, capture_output=True, text=True).stdout.strip()


class Target:
    """A private berth engine (engine=True) or the daemon at DOCKER_HOST, with the image to run
    there and the environment to run berth in (NODE_EXTRA_CA_CERTS unset, as on a user's machine)."""

    def __init__(self, engine, image, prefix="berth-bench-"):
        self.env = dict(os.environ, TERM="xterm-256color")
        self.env.pop("NODE_EXTRA_CA_CERTS", None)
        self.work = self.process = None
        if engine:
            self.work = tempfile.mkdtemp(prefix=prefix)
            self.env.update(BERTH_ENGINE_STATE=os.path.join(self.work, "state"), BERTH_ENGINE_RUN=os.path.join(self.work, "run"))
            self.process = subprocess.Popen(["node", BERTH, "engine", "run"], env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            socket = os.path.join(self.work, "run", "engine.sock")
            for _ in range(100):
                if os.path.exists(socket):
                    break
                time.sleep(0.1)
            time.sleep(0.3)
            self.host, self.image, self.label = "unix://" + socket, "host", "berth's engine"
        else:
            self.host = os.environ.get("DOCKER_HOST", "")
            if not self.host:
                sys.exit("set DOCKER_HOST to the daemon to measure, or pass --engine")
            self.image, self.label = image, "dockerd"
        self.env["DOCKER_HOST"] = self.host

    def close(self):
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=60)
        if self.work:
            shutil.rmtree(self.work, ignore_errors=True)
