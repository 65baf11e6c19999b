"""Helpers for tests that start real servers on 127.0.0.1 and drive a real browser."""

import socket
import subprocess
import time
from pathlib import Path

import requests

CHROMIUM = "/usr/bin/chromium"  # Debian's chromium package; Playwright's own download does not work here
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"  # screenshots to look at


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
