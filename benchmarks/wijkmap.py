"""The scale step: 342 gemeenten vs 3,393 wijken (a benchmark, not a test).

    REGIODASH_STORE=store REGIODASH_MIRROR=/path/to/mirror .venv/bin/python benchmarks/wijkmap.py [--runs 5]

Builds wijk maps with geo.wijk_map (a separate build step; store.build is not changed) for the
focusgebied cities, two provinces and all 3,393 wijken, and prints per map: wijken, build time,
GeoJSON bytes (raw and gzipped, as dashboard.geometry serves them); how build time and peak
memory grow with the number of regions (one subprocess per size); and the cold paint in
Chromium of the whole country as 342 gemeenten and as 3,393 wijken (the SVG geo map with the
shipped partial bundle, same page, fresh context per load).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

WIJKEN = "cbs/sources/wijkbuurtkaart2024-pdok__AnneVersion-geoinzicht-app/wijken_2024.geojson"
GROWTH = """
import resource, sys, time
sys.path.insert(0, {root!r})
from geo.wijk_map import load_wijken, wijk_map
w = load_wijken({path!r})
codes = sorted(w["gemeente_code"].unique())
part = w[w["gemeente_code"].isin(codes[: {n_gemeenten}])]
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t = time.perf_counter()
m = wijk_map(part)
print(len(m), time.perf_counter() - t, before / 1024, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--out", default=str(ROOT / "artifacts" / "wijkmap"))
    args = ap.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    path = Path(os.environ["REGIODASH_MIRROR"]) / WIJKEN

    from dashboard.data import DashboardData
    from dashboard.geometry import geometry_file
    from geo.wijk_map import load_wijken, wijk_map

    data = DashboardData.load(Path(os.environ.get("REGIODASH_STORE", "var/store")))
    api = data.api
    focus = set()
    for code in api.regions().query("type == 'focusgebied'")["code"]:
        focus |= set(api.member_shares(code).index)
    t = time.perf_counter()
    wijken = load_wijken(path)
    load_s = time.perf_counter() - t
    print(f"### Wijk maps ({len(wijken)} wijken read in {load_s:.2f} s)\n")
    print("| map | regions | build s | GeoJSON KB | gzip KB |")
    print("|---|---|---|---|---|")
    gm = data.geometry_file("gemeente-latest")
    print(f"| gemeenten (store, reference) | {len(data.gemeente_codes)} | (store build) | {len(gm.body) / 1000:.0f} "
          f"| {len(gm.gzipped) / 1000:.0f} |")
    subsets = {"focusgebied cities": focus, "province Groningen (PV20)": set(api.member_shares("PV20").index),
               "province Zuid-Holland (PV28)": set(api.member_shares("PV28").index), "all wijken": None}
    files = {}
    for name, gemeenten in subsets.items():
        t = time.perf_counter()
        frame = wijk_map(wijken, gemeenten)
        build_s = time.perf_counter() - t
        f = geometry_file("wijk", json.loads(frame[["statcode", "geometry"]].to_json(drop_id=True)))
        files[name] = (frame, f)
        print(f"| wijken, {name} | {len(frame)} | {build_s:.2f} | {len(f.body) / 1000:.0f} | {len(f.gzipped) / 1000:.0f} |")

    print("\n### Build time and peak memory against the number of wijken (one process each)\n")
    print("| gemeenten | wijken | simplify s | RSS before MB | peak RSS MB |")
    print("|---|---|---|---|---|")
    n_all = wijken["gemeente_code"].nunique()
    for n in (n_all // 8, n_all // 4, n_all // 2, n_all):
        res = subprocess.run([sys.executable, "-c", GROWTH.format(root=str(ROOT), path=str(path), n_gemeenten=n)],
                             capture_output=True, text=True, check=True).stdout.split()
        print(f"| {n} | {res[0]} | {float(res[1]):.2f} | {float(res[2]):.0f} | {float(res[3]):.0f} |")

    # Cold paint: the whole country as gemeenten and as wijken, same page and bundle.
    import map_engines

    gemeente_fig = _figure("/gemeenten.json", data.gemeente_codes, data.gemeente_names,
                           data.api.gemeente_values("population", 2024).reindex(data.gemeente_codes).tolist())
    frame, wf = files["all wijken"]
    wijk_fig = _figure("/wijken.json", frame["statcode"].tolist(), frame["statnaam"].tolist(),
                       frame["inhabitants"].astype(float).tolist())
    bundle = (ROOT / "dashboard" / "assets" / "plotly-partial.min.js").read_bytes()
    served = {"/gemeenten.json": (gm.body, "application/json"), "/wijken.json": (wf.body, "application/json"),
              "/bundle.js": (bundle, "application/javascript")}
    for name, fig in (("gemeenten", gemeente_fig), ("wijken", wijk_fig)):
        served[f"/figure-{name}.js"] = (f"Plotly.newPlot('map', {json.dumps(fig['data'])}, {json.dumps(fig['layout'])});"
                                        .encode(), "application/javascript")
        served[f"/{name}.html"] = (map_engines.PAGE.format(bundle="bundle.js", engine=name).encode(), "text/html")
    base, httpd = map_engines.serve(served)
    load = "/".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\n### Cold paint of the whole country, {args.runs} fresh contexts each (gzip), load {load}\n")
    print("| map | paint s median (min–max) | TBT ms median | KB on the wire |")
    print("|---|---|---|---|")
    try:
        for name in ("gemeenten", "wijken"):
            r = map_engines.measure(base, name, args.runs, out, "NL")
            print(f"| {name} | {statistics.median(r['paint']):.2f} ({min(r['paint']):.2f}–{max(r['paint']):.2f}) "
                  f"| {statistics.median(r['tbt']):.0f} | {statistics.median(r['kb']):.0f} |")
    finally:
        httpd.shutdown()


def _figure(url: str, codes: list, names: list, values: list) -> dict:
    from dashboard.figures import NL_VIEW, geo_layout

    return {"data": [{"type": "choropleth", "geojson": url, "featureidkey": "properties.statcode", "locations": codes,
                      "z": values, "text": names, "colorscale": "Viridis", "marker": {"line": {"width": 0.3, "color": "#fff"}},
                      "hovertemplate": "<b>%{text}</b><br>%{z:,.0f}<extra></extra>"}],
            "layout": {"geo": geo_layout(NL_VIEW), "height": 560, "margin": {"l": 0, "r": 0, "t": 10, "b": 0}}}


if __name__ == "__main__":
    main()
