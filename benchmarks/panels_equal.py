"""Is the panels callback's answer unchanged? Dump it for every region and view, then compare two dumps
(a benchmark aid for speed work on the panels, not a test: it takes minutes).

    # before the change (a checkout of the old code on PYTHONPATH), then after:
    PYTHONHASHSEED=0 REGIODASH_STORE=var/store .venv/bin/python benchmarks/panels_equal.py dump /tmp/before.json
    PYTHONHASHSEED=0 REGIODASH_STORE=var/store .venv/bin/python benchmarks/panels_equal.py dump /tmp/after.json
    # a quick look: every 10th region only (dump /tmp/x.json 10)
    .venv/bin/python benchmarks/panels_equal.py compare /tmp/before.json /tmp/after.json

Every region code x {population, households} x {counts, index} x {nl, en}, boundaries "latest",
comparison "auto"; the answer as the JSON Dash sends (components and figures). Floats are equal
when they differ by at most 1e-9 (relative to their size where that is above 1).

Run both dumps with the same PYTHONHASHSEED (e.g. 0): the policy summary's "via" text names one of
several overlapping regions by set order (Policies.reasons), which differs from process to process.
"""

from __future__ import annotations

import json
import math
import os
import sys
from pathlib import Path

TOLERANCE = 1e-9
VIEWS = [(m, v, lang) for m in ("population", "households") for v in ("counts", "index") for lang in ("nl", "en")]


def dump(out: Path, every: int = 1) -> None:
    """Write {key: answer as JSON} for every region (every ``every``-th, for a quick look) and view to ``out``."""
    import plotly.utils

    from dashboard import callbacks
    from dashboard.data import DashboardData

    data = DashboardData.load(Path(os.environ.get("REGIODASH_STORE", "var/store")))
    answers = {}
    for region in sorted(data.api.codes())[::every]:
        for measure, view, lang in VIEWS:
            filled = callbacks.panels.__wrapped__(data, region, measure, view, lang, "latest", "auto")
            answers[f"{region}|{measure}|{view}|{lang}"] = json.loads(json.dumps(filled, cls=plotly.utils.PlotlyJSONEncoder))
    out.write_text(json.dumps(answers, sort_keys=True))
    print(f"{len(answers)} answers written to {out}")


def differences(a, b, where: str = "") -> list[str]:
    """Where two JSON values differ (floats within the tolerance are equal; 1 and 1.0 are equal)."""
    if isinstance(a, bool) or isinstance(b, bool) or not (isinstance(a, (int, float)) and isinstance(b, (int, float))):
        if type(a) is not type(b):
            return [f"{where}: {a!r} != {b!r}"]
    if isinstance(a, dict):
        if a.keys() != b.keys():
            return [f"{where}: keys {sorted(a.keys() ^ b.keys())} differ"]
        return [d for k in a for d in differences(a[k], b[k], f"{where}/{k}")]
    if isinstance(a, list):
        if len(a) != len(b):
            return [f"{where}: length {len(a)} != {len(b)}"]
        return [d for i, (x, y) in enumerate(zip(a, b)) for d in differences(x, y, f"{where}[{i}]")]
    if isinstance(a, float) or isinstance(b, float):
        if isinstance(a, bool) or isinstance(b, bool):
            return [] if a == b else [f"{where}: {a!r} != {b!r}"]
        if math.isnan(a) and math.isnan(b):
            return []
        ok = abs(a - b) <= TOLERANCE * max(1.0, abs(a), abs(b))
        return [] if ok else [f"{where}: {a!r} != {b!r}"]
    return [] if a == b else [f"{where}: {a!r} != {b!r}"]


def compare(before: Path, after: Path) -> int:
    a, b = json.loads(before.read_text()), json.loads(after.read_text())
    found = differences(a, b)
    for line in found[:40]:
        print(line)
    print(f"{len(a)} answers compared: {len(found)} differences")
    return 1 if found else 0


if __name__ == "__main__":
    command, *paths = sys.argv[1:]
    if command == "dump":
        dump(Path(paths[0]), int(paths[1]) if len(paths) > 1 else 1)
    else:
        sys.exit(compare(Path(paths[0]), Path(paths[1])))
