"""Starts `dasim serve` on a copy of the project's scenarios in a temporary folder, and talks to it over HTTP.

Every test works in its own project folder (scenarios/ copied, results/ empty), so nothing it saves or runs touches
the repository's own scenarios/ or results/."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DASIM = os.environ.get("DASIM_BINARY", os.path.join(REPO, "build", "dasim"))


class Project:
    """A temporary project folder: scenarios/ (the repository's top-level scenario files) and results/."""

    def __init__(self):
        self.root = tempfile.mkdtemp(prefix="dasim-serve-")
        self.scenarios = os.path.join(self.root, "scenarios")
        self.results = os.path.join(self.root, "results")
        os.makedirs(self.scenarios)
        os.makedirs(self.results)
        for name in os.listdir(os.path.join(REPO, "scenarios")):
            if name.endswith(".toml"):
                shutil.copy(os.path.join(REPO, "scenarios", name), self.scenarios)

    def files(self):
        """Every file under the project folder, relative to it."""
        out = set()
        for folder, _, names in os.walk(self.root):
            for n in names:
                out.add(os.path.relpath(os.path.join(folder, n), self.root))
        return out

    def remove(self):
        shutil.rmtree(self.root, ignore_errors=True)


class Server:
    def __init__(self, project: Project, *extra: str):
        self.project = project
        self.log = open(os.path.join(project.root, "server.log"), "w+")
        self.process = subprocess.Popen(
            [DASIM, "serve", "--port", "0", "--scenarios", project.scenarios, "--results", project.results, *extra],
            stdout=subprocess.PIPE, stderr=self.log, text=True, cwd=project.root)
        line = self.process.stdout.readline()
        if "http://" not in line:
            raise RuntimeError(f"dasim serve did not start: {line!r}; log: {self.read_log()}")
        self.url = line.split("open ")[1].split(" ")[0].rstrip("/")

    def read_log(self):
        self.log.flush()
        with open(self.log.name) as f:
            return f.read()

    def request(self, method, path, params=None, raw: bytes | None = None):
        """(status, parsed JSON or bytes, headers)."""
        data = raw
        if params is not None:
            data = urllib.parse.urlencode(params, doseq=True).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method)
        if data is not None:
            req.add_header("Content-Type", "application/x-www-form-urlencoded")
        try:
            with urllib.request.urlopen(req, timeout=120) as r:
                status, body, headers = r.status, r.read(), r.headers
        except urllib.error.HTTPError as e:
            status, body, headers = e.code, e.read(), e.headers
        if headers.get("Content-Type", "").startswith("application/json"):
            return status, json.loads(body), headers
        return status, body, headers

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, params=None, raw=None):
        return self.request("POST", path, params if params is not None else ({} if raw is None else None), raw)

    def wait_run(self, name, until=lambda run: run["state"] not in ("queued", "running"), timeout=300):
        deadline = time.time() + timeout
        while time.time() < deadline:
            status, run, _ = self.get(f"/api/runs/{name}")
            if status == 200 and until(run):
                return run
            time.sleep(0.3)
        raise AssertionError(f"run {name} did not reach the expected state in {timeout} s: {run}")

    def stop(self, timeout=60):
        """SIGTERM, as Ctrl-C would; returns the exit code and what it printed."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout=timeout)
        finally:
            if self.process.poll() is None:
                self.process.kill()
        out = self.process.stdout.read()
        self.process.stdout.close()
        self.log.close()
        return code, out
