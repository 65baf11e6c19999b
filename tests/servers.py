"""Helpers for tests that start real servers on 127.0.0.1 and drive a real browser."""

import socket
import subprocess
import time
from pathlib import Path

import requests

CHROMIUM = "/usr/bin/chromium"  # Debian's chromium package; Playwright's own download does not work here
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"  # screenshots to look at
# Set by tests/conftest.py before each test's fixtures: is the test in the deployment tier? (None:
# not under pytest, e.g. benchmarks/load.py.) A test outside that tier may not start nginx, gunicorn
# or Redis: it would run them in the fast or mirror tier, which must run without them.
DEPLOYMENT_TEST: bool | None = None


def _deployment_only(what: str) -> None:
    if DEPLOYMENT_TEST is False:
        raise RuntimeError(f"{what} started by a test outside the deployment tier: take it from a fixture in "
                           "tests/conftest.py DEPLOYMENT_FIXTURES, which puts the test in that tier")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, procs: list[subprocess.Popen], seconds: float = 30.0) -> None:
    """Wait until ``url``/healthz answers 200; kill ``procs`` and raise if it never does."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if requests.get(url + "/healthz", timeout=1).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    for proc in procs:
        proc.kill()
    raise RuntimeError(f"{url}/healthz did not answer within {seconds:.0f} s")


ROOT = Path(__file__).resolve().parent.parent


def start_redis(tmp: Path) -> tuple[subprocess.Popen, str]:
    """A throw-away redis-server on 127.0.0.1 (no persistence); its process and URL."""
    import shutil

    import redis

    _deployment_only("redis-server")
    binary = shutil.which("redis-server")
    if not binary:
        import pytest

        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    port = free_port()
    proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                             "--dir", str(tmp)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    client = redis.Redis(port=port)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    return proc, f"redis://127.0.0.1:{port}/0"


def render_nginx_conf(app_port: int, web_port: int, tmp: Path, edits: dict | None = None) -> Path:
    """The SHIPPED deploy/nginx.conf, with only the upstream, the port and the temp paths changed
    (and ``edits``, old -> new text, for a benchmark that must not be rate limited)."""
    conf = (ROOT / "deploy/nginx.conf").read_text()
    for old, new in (("server app:8000;", f"server 127.0.0.1:{app_port};"),
                     ("listen 8080;", f"listen 127.0.0.1:{web_port};"), ("/tmp/", f"{tmp}/"),
                     *(edits or {}).items()):
        assert old in conf, f"deploy/nginx.conf no longer contains {old!r}: update the test's rendering"
        conf = conf.replace(old, new)
    path = tmp / "nginx.conf"
    path.write_text(conf)
    return path


class Stack:
    """nginx (deploy/nginx.conf) -> gunicorn (deploy/gunicorn.conf.py) -> app, with Redis, on 127.0.0.1."""

    def __init__(self, store: Path, tmp: Path, workers: int = 2, env: dict | None = None,
                 nginx_edits: dict | None = None):
        import os
        import shutil
        import sys

        _deployment_only("the nginx + gunicorn stack")
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        if not Path(nginx).exists():
            import pytest

            pytest.skip("nginx is not installed (apt-get install nginx)")
        self.tmp = tmp
        tmp.mkdir(parents=True, exist_ok=True)
        self.redis, self.redis_url = start_redis(tmp)
        app_port, web_port = free_port(), free_port()
        self.app_url = f"http://127.0.0.1:{app_port}"
        self.url = f"http://127.0.0.1:{web_port}"
        self.log = tmp / "gunicorn.log"
        environ = {**os.environ, "REGIODASH_STORE": str(store), "REGIODASH_CACHE_URL": self.redis_url,
                   "GUNICORN_BIND": f"127.0.0.1:{app_port}", "GUNICORN_WORKERS": str(workers), **(env or {})}
        self.gunicorn = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", str(ROOT / "deploy/gunicorn.conf.py"), "--access-logfile",
             "/dev/null", "dashboard.app:server"],
            env=environ, stdout=subprocess.DEVNULL, stderr=self.log.open("w"), cwd=ROOT)
        # nginx's workers run as an unprivileged user: their temp files (large bundles are buffered
        # to disk) go to a folder that user can reach, not into pytest's private tmp folder.
        import tempfile

        nginx_tmp = Path(tempfile.mkdtemp(prefix="regiodash-nginx-"))
        nginx_tmp.chmod(0o777)
        conf = render_nginx_conf(app_port, web_port, nginx_tmp, nginx_edits)
        self.nginx = subprocess.Popen([nginx, "-c", str(conf), "-e", str(tmp / "error.log"), "-g", "daemon off;"],
                                      stdout=subprocess.DEVNULL, stderr=(tmp / "nginx.log").open("w"))
        wait_healthy(self.url, [self.nginx, self.gunicorn, self.redis], seconds=60)

    def stop(self) -> None:
        for proc in (self.nginx, self.gunicorn, self.redis):
            proc.terminate()
        for proc in (self.nginx, self.gunicorn, self.redis):
            proc.wait(15)
