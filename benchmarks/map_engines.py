"""The same map view drawn by two engines, measured (a benchmark, not a test):

- ``geo``: plotly's SVG ``choropleth`` on a geo subplot (d3, no WebGL);
- ``maplibre``: plotly's ``choroplethmap`` (MapLibre GL, WebGL; software-rendered without a GPU).

    REGIODASH_STORE=store .venv/bin/python benchmarks/map_engines.py [--runs 5] [--out artifacts/engines]

Each engine gets its own partial plotly.js bundle (scatter + bar + its map traces, built with
scripts/build_plotly_bundle.sh, so npm is needed; or pass --geo-bundle/--maplibre-bundle), the
same figure (gemeenten of today, growth since 2014, the Achterhoek outlined) and the same
geometry file, on a bare page served from localhost. Per engine: cold paint and blocking time
(fresh context per load), bytes, whether page.pdf holds the map (vector paths or an image in
the PDF's content), and screenshots at 1366x900 and 390x844 to look at.
"""

from __future__ import annotations

import argparse
import gzip
import math
import http.server
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from firstpaint import CHROMIUM_ARGS, LONGTASKS, TBT, Wire  # noqa: E402

TRACES = {"geo": "bar choropleth scattergeo", "maplibre": "bar choroplethmap scattermap"}
DRAWN = """
() => {
  const gd = document.getElementById('map');
  if (!gd || !gd._fullLayout) { return false; }
  let ok = Array.from(gd.querySelectorAll('path.choroplethlocation')).some(p => (p.getAttribute('d') || '').length > 2);
  const sub = gd._fullLayout.map && gd._fullLayout.map._subplot;
  if (sub && sub.map && sub.map.loaded() && sub.map.getStyle().layers.some(l => l.type === 'fill')) { ok = true; }
  if (ok) { window.__drawnAt = window.__drawnAt || performance.now(); }
  return ok;
}
"""
PAGE = """<!doctype html><html><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{{margin:0;font-family:sans-serif}} #map{{width:100%;max-width:560px;height:560px}}</style>
<script src="/{bundle}"></script></head>
<body><div id="map"></div><script src="/figure-{engine}.js"></script></body></html>"""


def figures(store: Path, region: str):
    """The figure of each engine for one region, with the geometry at /geo.json."""
    import plotly.graph_objects as go

    from dashboard.data import DashboardData
    from dashboard.map_view import map_update

    data = DashboardData.load(store)
    geo = map_update(data, None, "population", 2024, region, "value", "nl", False).to_plotly_json()
    geo["data"][0]["geojson"] = "/geo.json"
    choro, outline = geo["data"]
    view = data.view(region)
    # MapLibre: 512 px per 360 degrees at zoom 0; the geo view's scale is relative to the country.
    zoom = 6.35 + math.log2(view["scale"])  # 6.35: the country fills the 560 px panel
    fig = go.Figure()
    keep = {k: v for k, v in choro.items() if k not in ("type", "geojson")}
    fig.add_trace(go.Choroplethmap(geojson="/geo.json", **keep))
    fig.add_trace(go.Scattermap(lon=outline["lon"], lat=outline["lat"], text=outline["text"], mode="lines+text",
                                hoverinfo="skip", line={"color": "#000000", "width": 2.5}, showlegend=False))
    fig.update_layout(map={"style": "white-bg", "center": view["center"], "zoom": zoom},
                      margin=geo["layout"]["margin"], height=560, title=geo["layout"]["title"])
    return {"geo": geo, "maplibre": json.loads(fig.to_json())}, data.geometry_file("gemeente-latest")


def serve(files: dict[str, tuple[bytes, str]]) -> tuple[str, http.server.ThreadingHTTPServer]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            body, kind = files.get(self.path.split("?")[0], (b"not found", "text/plain"))
            gz = "gzip" in self.headers.get("Accept-Encoding", "") and kind != "text/plain"
            payload = gzip.compress(body, 6) if gz else body
            self.send_response(200 if self.path.split("?")[0] in files else 404)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(payload)))
            if gz:
                self.send_header("Content-Encoding", "gzip")
            self.end_headers()
            self.wfile.write(payload)

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{httpd.server_address[1]}", httpd


def pdf_content(pdf: bytes) -> tuple[int, int]:
    """(filled paths, images) in a PDF's content streams: vector shapes and raster pictures."""
    fills = images = 0
    for m in re.finditer(rb"<<(.*?)>>\s*stream\r?\n", pdf, re.S):
        start = m.end()
        end = pdf.find(b"endstream", start)
        raw = pdf[start:end]
        if b"/Subtype /Image" in m.group(1) or b"/Subtype/Image" in m.group(1):
            images += 1
            continue
        try:
            text = zlib.decompress(raw) if b"FlateDecode" in m.group(1) else raw
        except zlib.error:
            continue
        fills += len(re.findall(rb"(?:^|\s)(?:f|f\*|B|B\*)(?=\s)", text))
    return fills, images


def measure(base: str, engine: str, runs: int, out: Path, region: str) -> dict:
    from playwright.sync_api import sync_playwright

    url = f"{base}/{engine}.html"
    paints, tbts, kbs = [], [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for _ in range(runs):
            context = browser.new_context(viewport={"width": 1366, "height": 900})
            context.add_init_script(LONGTASKS)
            page = context.new_page()
            wire = Wire()
            wire.attach(context.new_cdp_session(page))
            wire.reset()
            page.goto(url, wait_until="commit")
            page.wait_for_function(DRAWN, polling="raf", timeout=120000)
            drawn = page.evaluate("window.__drawnAt")
            try:
                page.wait_for_load_state("networkidle", timeout=120000)
            except Exception:  # noqa: BLE001 - still busy: the blocking time so far is reported
                pass
            paints.append(drawn / 1000)
            tbts.append(page.evaluate(TBT, None))
            kbs.append(wire.bytes / 1000)
            context.close()
        shots = []
        for w, h in ((1366, 900), (390, 844)):
            context = browser.new_context(viewport={"width": w, "height": h})
            page = context.new_page()
            page.goto(url)
            page.wait_for_function(DRAWN, polling="raf", timeout=120000)
            page.wait_for_timeout(500)
            path = out / f"engine_{engine}_{region}_{w}.png"
            page.screenshot(path=str(path))
            shots.append(str(path))
            if w == 1366:
                pdf = page.pdf(format="A4", print_background=True)
                (out / f"engine_{engine}_{region}.pdf").write_bytes(pdf)
                fills, images = pdf_content(pdf)
            context.close()
        browser.close()
    return {"paint": paints, "tbt": tbts, "kb": kbs, "pdf_fills": fills, "pdf_images": images, "shots": shots}


def build_bundle(engine: str, target: Path) -> Path:
    subprocess.run([str(ROOT / "scripts" / "build_plotly_bundle.sh")], check=True, cwd=ROOT,
                   env={**os.environ, "TRACES": TRACES[engine], "OUT": str(target)})
    return target


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--region", default="KR01")
    ap.add_argument("--out", default=str(ROOT / "artifacts" / "engines"))
    ap.add_argument("--geo-bundle", default=str(ROOT / "dashboard" / "assets" / "plotly-partial.min.js"))
    ap.add_argument("--maplibre-bundle")
    args = ap.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    store = Path(os.environ.get("REGIODASH_STORE", "var/store"))
    figs, geometry = figures(store, args.region)
    bundles = {"geo": Path(args.geo_bundle),
               "maplibre": Path(args.maplibre_bundle) if args.maplibre_bundle
               else build_bundle("maplibre", Path(tempfile.mkdtemp()) / "plotly-maplibre.min.js")}
    files = {"/geo.json": (geometry.body, "application/json")}
    for engine in TRACES:
        files[f"/bundle-{engine}.js"] = (bundles[engine].read_bytes(), "application/javascript")
        files[f"/figure-{engine}.js"] = (
            f"Plotly.newPlot('map', {json.dumps(figs[engine]['data'])}, {json.dumps(figs[engine]['layout'])},"
            " {displaylogo: false});".encode(), "application/javascript")
        files[f"/{engine}.html"] = (PAGE.format(bundle=f"bundle-{engine}.js", engine=engine).encode(), "text/html")
    base, httpd = serve(files)
    rows = []
    try:
        for engine in TRACES:
            r = measure(base, engine, args.runs, out, args.region)
            med = {k: statistics.median(r[k]) for k in ("paint", "tbt", "kb")}
            rows.append(f"| {engine} | {med['paint']:.2f} ({min(r['paint']):.2f}–{max(r['paint']):.2f}) "
                        f"| {med['tbt']:.0f} ({min(r['tbt']):.0f}–{max(r['tbt']):.0f}) | {med['kb']:.0f} "
                        f"| {bundles[engine].stat().st_size / 1e6:.2f} MB | {r['pdf_fills']} fills, {r['pdf_images']} images "
                        f"| {', '.join(Path(s).name for s in r['shots'])} |")
            print(f"  measured {engine}", file=sys.stderr)
    finally:
        httpd.shutdown()
    load = "/".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"### Map engines, {args.region}, {args.runs} cold loads each (gzip), load {load}\n")
    print("| engine | paint s median (min–max) | TBT ms | KB on the wire | bundle | page.pdf content | screenshots |")
    print("|---|---|---|---|---|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
