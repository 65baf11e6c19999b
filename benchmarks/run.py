"""Benchmarks (not tests): prints a table of numbers and ratios to their targets.

    REGIODASH_MIRROR=/path/to/mirror .venv/bin/python benchmarks/run.py

Build, callbacks (server time and response size) and start-up. The browser side (cold first
paint, blocking time, bytes on the wire) is benchmarks/firstpaint.py; the map engines
benchmarks/map_engines.py; wijk maps benchmarks/wijkmap.py.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
rows: list[tuple[str, float, str, float | None]] = []
REGIONS = ["KR01", "FG10", "RD308", "GM0363", "PV25", "AR05", "G-KRIMP", "GM1966", "NL01", "KR06"]


def record(name, value, unit, target=None):
    rows.append((name, value, unit, target))


def bench_build(mirror: Path, store: Path):
    code = ("import resource,time,sys;from pathlib import Path;from store import build;"
            "from store.settings import Settings;t=time.perf_counter();"
            f"build.run(Settings(mirror=Path({str(mirror)!r}),store=Path({str(store)!r})),progress=False);"
            "print(time.perf_counter()-t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    record("store build from mirror", float(out[0]), "s", 30)
    record("store build peak memory", int(out[1]) / 1024, "MB", 1024)
    size = sum(p.stat().st_size for p in (store / "current").resolve().rglob("*") if p.is_file())
    record("store size", size / 1e6, "MB")


def bench_callbacks(store: Path):
    import plotly.io as pio

    from dashboard import callbacks
    from dashboard.data import DashboardData

    data = DashboardData.load(store)
    cases = {
        "year change": lambda y: callbacks.map_update(data, "year", "population", 2014 + y % 13, "KR01", "value", "nl", True),
        "measure change": lambda y: callbacks.map_update(data, "measure", ["population", "natural_growth_rate"][y % 2],
                                                         2020, "KR01", "value", "nl", True),
        # the map's part of a region change: outline, label and extent (first visits: memo cleared)
        "region select (map patch, first visit)": lambda y: (data.outline.cache_clear(), data.label_point.cache_clear(), data.region_shape.cache_clear(),
                                                             callbacks.map_update(data, "region", "population", 2020,
                                                                                  REGIONS[y % len(REGIONS)], "value",
                                                                                  "nl", True))[-1],
        # __wrapped__: the first visit of a region (no memo); repeated visits are memo hits
        "region select (panels, first visit)": lambda y: callbacks.panels.__wrapped__(
            data, REGIONS[y % len(REGIONS)], "population", "counts", "nl", "latest", "auto"),
    }
    for name, fn in cases.items():
        times, size = [], 0
        for i in range(40):
            t = time.perf_counter()
            out = fn(i)
            times.append((time.perf_counter() - t) * 1000)
            size = len(json.dumps(out.to_plotly_json())) if hasattr(out, "to_plotly_json") and not isinstance(out, tuple) \
                else len(pio.to_json(out[0], validate=False))
        times.sort()
        record(f"callback {name} p50", statistics.median(times), "ms", 20)
        record(f"callback {name} p95", times[int(len(times) * 0.95) - 1], "ms")
        record(f"callback {name} response", size / 1000, "KB", 10 if "change" in name else None)
    full = callbacks.map_update(data, None, "population", 2024, "KR01", "value", "nl", False)
    record("first map figure (in the page; geometry by URL)", len(pio.to_json(full)) / 1000, "KB")
    geometry = data.geometry_file("gemeente-latest")
    record("gemeente geometry file (once per browser), gzip", len(geometry.gzipped) / 1000, "KB")


def bench_startup(store: Path):
    import requests

    env = {**os.environ, "REGIODASH_STORE": str(store)}
    t = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "regiodash.cli", "serve", "--port", "8765"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while True:
        try:
            if requests.get("http://127.0.0.1:8765/healthz", timeout=0.5).status_code == 200:
                break
        except requests.RequestException:
            time.sleep(0.05)
    record("app start until /healthz", time.perf_counter() - t, "s", 3)
    rss = int(Path(f"/proc/{proc.pid}/status").read_text().split("VmRSS:")[1].split()[0]) / 1024
    record("memory per worker (dev server)", rss, "MB", 250)
    # The first paint in a browser is measured honestly (fresh context per load, until drawn)
    # by benchmarks/firstpaint.py; this process only starts the server.
    proc.terminate()
    proc.wait()


def main():
    mirror = Path(os.environ["REGIODASH_MIRROR"])
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "store"
        bench_build(mirror, store)
        bench_callbacks(store)
        bench_startup(store)
    print(f"{'benchmark':<56} {'value':>10} {'unit':<4} {'target':>8} {'ratio':>6}")
    for name, value, unit, target in rows:
        ratio = f"{value / target:.2f}" if target else ""
        print(f"{name:<56} {value:>10.2f} {unit:<4} {target if target else '':>8} {ratio:>6}")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
