"""Server time of the panels beside the map for a region's first visit, and where it goes (a
benchmark aid, not a test).

    REGIODASH_STORE=var/store .venv/bin/python benchmarks/panels_profile.py
"""

from __future__ import annotations

import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
REGIONS = ["KR01", "FG10", "RD308", "GM0363", "PV25", "AR05", "G-KRIMP", "GM1966", "NL01", "KR06"]


def main() -> None:
    from dashboard import callbacks
    from dashboard.data import DashboardData

    data = DashboardData.load(Path(os.environ.get("REGIODASH_STORE", "var/store")))
    for label in ("first visit (no memo anywhere)", "again (the inner memos warm, the panels memo bypassed)"):
        times = {}
        for region in REGIONS:
            start = time.perf_counter()
            callbacks.panels.__wrapped__(data, region, "population", "counts", "nl", "latest", "auto")
            times[region] = round((time.perf_counter() - start) * 1000)
        print(f"{label}: ms per region {times}")
    profile = cProfile.Profile()
    profile.enable()
    for region in REGIONS:  # English: the policy view's memo is cold again
        callbacks.panels.__wrapped__(data, region, "population", "index", "en", "latest", "auto")
    profile.disable()
    pstats.Stats(profile).sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
