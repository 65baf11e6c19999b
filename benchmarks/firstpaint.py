"""Cold first paint, blocking time and bytes on the wire, measured in Chromium (a benchmark, not a test).

    REGIODASH_STORE=store .venv/bin/python benchmarks/firstpaint.py            # starts the dev server
    .venv/bin/python benchmarks/firstpaint.py --base http://127.0.0.1:8080    # a running server (nginx)

Per page and run a FRESH browser context (empty cache, no service worker, no connections), so
every cold load downloads everything; a load is "painted" when the map's shapes and the
trend's lines are drawn (not when a figure's data is assigned):

- map: MapLibre (``choroplethmap``): the map's style holds the choropleth layer and MapLibre
  reports ``loaded()`` (sources parsed, frame rendered); SVG (``choropleth``): a
  ``path.choroplethlocation`` with a non-empty ``d``;
- trend: ``#trend .scatterlayer .trace path`` with a non-empty ``d``.

Total blocking time = sum over Chromium long tasks (PerformanceObserver 'longtask', registered
before any page script runs) of (duration - 50 ms), until painted, until the network is idle and
until every part below the fold is drawn (dashboard/deferred.py draws them when the browser is
idle after the first paint; the page is not finished before).
Bytes = CDP ``Network.loadingFinished.encodedDataLength`` (headers + body as sent, compressed
if the server compresses). Then a warm repeat visit in the same context.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = {"front page /": "/", "gemeente GM1979": "/?region=GM1979", "krimpregio KR01": "/?region=KR01",
         "English KR01": "/?lang=en&region=KR01"}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
TARGETS = {"paint_s": 1.0, "tbt_ms": 200, "cold_kb": 1200, "warm_kb": 100}

LONGTASKS = """
window.__longtasks = [];
new PerformanceObserver(function (list) {
  list.getEntries().forEach(function (e) { window.__longtasks.push([e.startTime, e.duration]); });
}).observe({type: 'longtask', buffered: true});
"""

# True once both the map and the trend are drawn; polled on every animation frame.
DRAWN = """
() => {
  const gd = document.querySelector('#map .js-plotly-plot');
  let map = false;
  if (gd && gd._fullLayout) {
    const paths = gd.querySelectorAll('path.choroplethlocation');
    if (Array.from(paths).some(p => (p.getAttribute('d') || '').length > 2)) { map = true; }
    const sub = gd._fullLayout.map && gd._fullLayout.map._subplot;
    if (sub && sub.map && sub.map.loaded() && sub.map.getStyle().layers.some(l => l.type === 'fill')) { map = true; }
  }
  const line = document.querySelector('#trend .scatterlayer .trace path.js-line');
  const trend = !!(line && line.getAttribute('d') && line.getAttribute('d').length > 2);
  if (map && trend) { window.__drawnAt = window.__drawnAt || performance.now(); }
  return map && trend;
}
"""

TBT = """
(until) => window.__longtasks.filter(t => until === null || t[0] < until)
  .reduce((s, t) => s + Math.max(0, t[1] - 50), 0)
"""


@dataclass
class Load:
    paint_s: float
    tbt_ms: float  # until painted
    tbt_idle_ms: float  # until the network is idle
    all_s: float  # every part below the fold drawn too (dashboard/deferred.py: when the browser is idle)
    tbt_all_ms: float  # until then
    kb: float  # encoded bytes until idle, KB (1000 bytes)
    requests: int
    dom_nodes: int


@dataclass
class Wire:
    """Encoded bytes and requests of one context, from the DevTools protocol."""
    bytes: int = 0
    requests: int = 0
    urls: dict = field(default_factory=dict)
    per_url: dict = field(default_factory=dict)

    def attach(self, cdp):
        cdp.send("Network.enable")
        cdp.on("Network.requestWillBeSent", self._sent)
        cdp.on("Network.loadingFinished", self._finished)

    def _sent(self, event):
        self.requests += 1
        self.urls[event["requestId"]] = event["request"]["url"]

    def _finished(self, event):
        self.bytes += int(event["encodedDataLength"])
        url = self.urls.get(event["requestId"], "?")
        self.per_url[url] = self.per_url.get(url, 0) + int(event["encodedDataLength"])

    def reset(self):
        self.bytes, self.requests, self.per_url = 0, 0, {}


def measure(page, wire: Wire, url: str, timeout_ms: int) -> Load:
    from playwright.sync_api import TimeoutError as Timeout

    wire.reset()
    page.goto(url, wait_until="commit")
    try:
        page.wait_for_function(DRAWN, polling="raf", timeout=timeout_ms)
    except Timeout:  # counted as a load that took the whole timeout, and said so
        print(f"  NOT DRAWN within {timeout_ms / 1000:.0f} s: {url}", file=sys.stderr)
        page.evaluate("window.__drawnAt = performance.now()")
    drawn = page.evaluate("window.__drawnAt")
    tbt = page.evaluate(TBT, drawn)
    nodes = page.evaluate("document.getElementsByTagName('*').length")
    try:
        page.wait_for_load_state("networkidle", timeout=timeout_ms)
    except Timeout:
        pass
    tbt_idle = page.evaluate(TBT, None)
    try:
        page.wait_for_function("() => !window.regiodashDeferredDrawn || window.regiodashDeferredDrawn()",
                               polling=50, timeout=timeout_ms)
    except Timeout:
        print(f"  parts below the fold NOT DRAWN within {timeout_ms / 1000:.0f} s: {url}", file=sys.stderr)
    all_drawn = page.evaluate("performance.now()")
    tbt_all = page.evaluate(TBT, None)
    return Load(drawn / 1000, tbt, tbt_idle, all_drawn / 1000, tbt_all, wire.bytes / 1000, wire.requests, nodes)


def run(base: str, runs: int, pages: dict[str, str], timeout_ms: int, viewport=(1366, 900), verbose=False):
    from playwright.sync_api import sync_playwright

    results: dict[str, dict[str, list[Load]]] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for name, path in pages.items():
            cold, warm = [], []
            for i in range(runs):
                context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
                context.add_init_script(LONGTASKS)
                page = context.new_page()
                wire = Wire()
                wire.attach(context.new_cdp_session(page))
                cold.append(measure(page, wire, base + path, timeout_ms))
                if verbose and i == 0:
                    for url, n in sorted(wire.per_url.items(), key=lambda kv: -kv[1])[:8]:
                        print(f"    {n / 1000:8.1f} KB  {url[:110]}", file=sys.stderr)
                warm.append(measure(page, wire, base + path, timeout_ms))
                context.close()
            results[name] = {"cold": cold, "warm": warm}
            print(f"  measured {name}", file=sys.stderr)
        browser.close()
    return results


def spread(values: list[float], fmt: str) -> str:
    return f"{fmt.format(statistics.median(values))} ({fmt.format(min(values))}–{fmt.format(max(values))})"


def table(results, label: str) -> str:
    """Markdown: median (min–max) per page, with the target ratio of the median."""
    lines = [f"### {label}", "",
             "| page | visit | paint s | TBT to paint ms | TBT to idle ms | all parts drawn s | TBT to all drawn ms"
             " | KB on the wire | requests | DOM nodes at paint |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for name, visits in results.items():
        for visit, loads in visits.items():
            lines.append("| " + " | ".join([
                name, visit, spread([x.paint_s for x in loads], "{:.2f}"), spread([x.tbt_ms for x in loads], "{:.0f}"),
                spread([x.tbt_idle_ms for x in loads], "{:.0f}"), spread([x.all_s for x in loads], "{:.2f}"),
                spread([x.tbt_all_ms for x in loads], "{:.0f}"), spread([x.kb for x in loads], "{:.0f}"),
                spread([x.requests for x in loads], "{:.0f}"), spread([x.dom_nodes for x in loads], "{:.0f}"),
            ]) + " |")
    lines.append("")
    lines.append(f"targets: paint ≤ {TARGETS['paint_s']} s median, TBT ≤ {TARGETS['tbt_ms']} ms, "
                 f"first visit ≤ {TARGETS['cold_kb']} KB, repeat ≤ {TARGETS['warm_kb']} KB")
    for name, visits in results.items():
        c, w = visits["cold"], visits["warm"]
        ratios = {
            "paint": statistics.median(x.paint_s for x in c) / TARGETS["paint_s"],
            "TBT": statistics.median(x.tbt_idle_ms for x in c) / TARGETS["tbt_ms"],
            "TBT incl. parts below the fold": statistics.median(x.tbt_all_ms for x in c) / TARGETS["tbt_ms"],
            "cold KB": statistics.median(x.kb for x in c) / TARGETS["cold_kb"],
            "repeat KB": statistics.median(x.kb for x in w) / TARGETS["warm_kb"],
        }
        lines.append(f"- {name}: " + ", ".join(f"{k} {v:.2f}×{' MISSED' if v > 1 else ''}" for k, v in ratios.items()))
    return "\n".join(lines)


# The dev server with gzip in the app (Flask-Compress), as the app server itself compresses
# once helper "web"'s change is in; until then, the estimate of what goes on the wire compressed.
GZIP_SERVER = """
from flask_compress import Compress
from dashboard.app import create_app
app = create_app()
Compress(app.server)
app.run(host="127.0.0.1", port={port}, debug=False)
"""


def start_dev_server(port: int, gzip: bool = False) -> subprocess.Popen:
    import requests

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-c", GZIP_SERVER.format(port=port)] if gzip else \
        [sys.executable, "-m", "regiodash.cli", "serve", "--port", str(port)]
    proc = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=0.5).status_code == 200:
                return proc
        except requests.RequestException:
            time.sleep(0.1)
    proc.terminate()
    raise SystemExit("the dev server did not answer /healthz within 60 s")


def start_stack(app_port: int, web_port: int, tmp: Path) -> list[subprocess.Popen]:
    """gunicorn (deploy/gunicorn.conf.py, 2 workers) behind nginx (deploy/nginx.conf with the
    upstream, the port and the temp paths changed, as tests/test_deployment.py does)."""
    import requests

    env = {**os.environ, "PYTHONPATH": str(ROOT), "GUNICORN_BIND": f"127.0.0.1:{app_port}", "GUNICORN_WORKERS": "2"}
    app = subprocess.Popen([sys.executable, "-m", "gunicorn", "--config", str(ROOT / "deploy/gunicorn.conf.py"),
                            "dashboard.app:server"], env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
    conf = (ROOT / "deploy/nginx.conf").read_text()
    conf = conf.replace("server app:8000;", f"server 127.0.0.1:{app_port};").replace(
        "listen 8080;", f"listen 127.0.0.1:{web_port};").replace("/tmp/", f"{tmp}/")
    (tmp / "nginx.conf").write_text(conf)
    web = subprocess.Popen(["/usr/sbin/nginx", "-c", str(tmp / "nginx.conf"), "-e", str(tmp / "error.log"),
                            "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{web_port}/healthz", timeout=1).status_code == 200:
                return [web, app]
        except requests.RequestException:
            time.sleep(0.2)
    for proc in (web, app):
        proc.terminate()
    raise SystemExit("nginx + gunicorn did not answer /healthz within 90 s")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base", help="a running server; default: start `regiodash serve` (needs REGIODASH_STORE)")
    ap.add_argument("--port", type=int, default=8766)
    ap.add_argument("--stack", choices=["dev", "dev-gzip", "nginx"], default="dev",
                    help="dev: `regiodash serve`; dev-gzip: the same app with Flask-Compress; "
                         "nginx: gunicorn behind deploy/nginx.conf (needs REGIODASH_STORE)")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--label", default="")
    ap.add_argument("--page", action="append", help="name=path (repeatable); default: the four pages")
    ap.add_argument("--timeout", type=float, default=120, help="seconds per load")
    ap.add_argument("--verbose", action="store_true", help="largest downloads of the first cold load")
    args = ap.parse_args(argv)
    pages = dict(p.split("=", 1) for p in args.page) if args.page else PAGES
    import signal
    import tempfile

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # so that `finally` stops the servers we started
    if args.base:
        procs, base, kind = [], args.base, "given server"
    elif args.stack == "nginx":
        procs = start_stack(args.port + 1, args.port, Path(tempfile.mkdtemp()))
        base, kind = f"http://127.0.0.1:{args.port}", "nginx + gunicorn (2 workers)"
    else:
        procs, base = [start_dev_server(args.port, args.stack == "dev-gzip")], f"http://127.0.0.1:{args.port}"
        kind = "dev server" + (" + gzip (Flask-Compress)" if args.stack == "dev-gzip" else "")
    try:
        results = run(base, args.runs, pages, int(args.timeout * 1000), verbose=args.verbose)
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait()
    load = "/".join(f"{x:.1f}" for x in os.getloadavg())
    label = (args.label or f"{base} ({kind})") + f", {args.runs} runs, load {load}"
    print(table(results, f"{label} — {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"))


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
