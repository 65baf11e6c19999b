"""Load and soak on 127.0.0.1: gunicorn with 2 workers (deploy/gunicorn.conf.py), wrk as load.

    REGIODASH_STORE=store .venv/bin/python benchmarks/load.py [--soak-seconds 300]

Prints requests/s and errors for /api/v1/series and for a Dash callback POST (30 s each), and
the workers' memory after 30 s of load and after the soak (target: flat within 10 %).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
PORT = 8777
URL = f"http://127.0.0.1:{PORT}"


def workers_rss_mb(master: int) -> float:
    children = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True).stdout.split()
    total = 0
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        total += int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
    return total / 1024 / max(len(children), 1)


def wrk(seconds: int, path: str, script: str | None = None) -> tuple[float, int, int]:
    cmd = ["wrk", "-t2", "-c16", f"-d{seconds}s", "--latency"]
    if script:
        cmd += ["-s", script]
    out = subprocess.run(cmd + [URL + path], capture_output=True, text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    errors = 0
    if m := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        errors += int(m.group(1))
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        errors += sum(int(x) for x in m.groups())
    return rps, total, errors


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--soak-seconds", type=int, default=300)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install wrk)")
    env = {**os.environ, "GUNICORN_BIND": f"127.0.0.1:{PORT}", "GUNICORN_WORKERS": "2"}
    master = subprocess.Popen([sys.executable, "-m", "gunicorn", "--config", str(ROOT / "deploy/gunicorn.conf.py"),
                               "--access-logfile", "/dev/null", "dashboard.app:server"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(200):
            try:
                if requests.get(URL + "/healthz", timeout=1).ok:
                    break
            except requests.RequestException:
                time.sleep(0.1)
        rows = []
        rps, total, errors = wrk(args.seconds, "/api/v1/series?region=KR01&measure=population")
        rows.append(("GET /api/v1/series", rps, total, errors))
        rps, total, errors = wrk(args.seconds, "/", str(ROOT / "benchmarks/load.lua"))
        rows.append(("POST /_dash-update-component (panels)", rps, total, errors))
        after_30s = workers_rss_mb(master.pid)
        soak_rps, soak_total, soak_errors = wrk(args.soak_seconds, "/", str(ROOT / "benchmarks/load.lua"))
        after_soak = workers_rss_mb(master.pid)
        print(f"{'load (2 gunicorn workers, wrk -t2 -c16)':<44} {'req/s':>9} {'requests':>9} {'errors':>7}")
        for name, r, n, e in rows:
            print(f"{name:<44} {r:>9.1f} {n:>9} {e:>7}")
        print(f"{f'soak {args.soak_seconds} s (callback POST)':<44} {soak_rps:>9.1f} {soak_total:>9} {soak_errors:>7}")
        print(f"memory per worker after load {after_30s:.1f} MB, after soak {after_soak:.1f} MB "
              f"(ratio {after_soak / after_30s:.3f}, target within 1.10)")
    finally:
        master.terminate()
        master.wait(10)


if __name__ == "__main__":
    main()
