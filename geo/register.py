"""The policy register: policy regions, their members and the measures, from ``geo/data``.

The CSV files in ``geo/data`` are the project's authority; every row carries its source.
At build time the members (named on the boundaries of the year they were classified, e.g.
2015 for the krimpregio's) are carried onto the current gemeenten with the harmonisation
weights, so a current gemeente that only partly lies in a region is found and flagged.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pandas as pd

from data_sources.errors import SourceDataError
from geo.harmonise import Weights

DATA = Path(__file__).parent / "data"
MIN_SHARE = 0.001
REGION_TYPES = ("krimpregio", "anticipeerregio", "focusgebied", "regiodeal")


def read(name: str) -> pd.DataFrame:
    return pd.read_csv(DATA / f"{name}.csv", dtype=str).fillna("")


def current_members(
    members: pd.DataFrame, weights: dict[int, Weights], population: pd.DataFrame
) -> pd.DataFrame:
    """Members on the latest boundaries: region_code, gemeente_code, share, partial, basis.

    ``share`` is the part of the current gemeente's population (in the classification year)
    that lived in the region's member gemeenten; ``partial`` is True where that is below 1 or
    the source names only part of the gemeente (a focusgebied, "Amsterdam-Noord").
    """
    pop = {(r.region_code, r.year): r.value for r in population.itertuples()}
    rows = []
    for (region, year_text), group in members.groupby(["region_code", "code_year"]):
        year = int(year_text)
        w = weights.get(year) or weights[max(weights)]
        unknown = set(group["gemeente_code"]) - set(w)
        if unknown:
            raise SourceDataError(f"policy register: region {region}: gemeenten {sorted(unknown)} not on the {year} map")
        inside: dict[str, float] = defaultdict(float)
        for code in group["gemeente_code"]:
            for new, share in w[code].items():
                inside[new] += share * pop.get((code, year), 1.0)
        for new, amount in inside.items():
            if amount / max(sum(pop.get((c, year), 1.0) for c in group["gemeente_code"]), 1.0) < MIN_SHARE:
                continue  # a border correction of a few houses, not membership
            total = sum(share * pop.get((old, year), 1.0) for old, t in w.items() for n, share in t.items() if n == new)
            named_part = group[group["gemeente_code"].map(lambda c: new in w[c])]["basis"].str.contains(
                "only part|focusgebied is part", case=False).any()
            share = min(1.0, amount / total) if total else 1.0
            first = group.iloc[0]
            rows.append({
                "region_code": region, "gemeente_code": new, "share": round(share, 6),
                "partial": bool(share < 0.999 or named_part),
                "wijk_codes": " ".join(sorted(set(" ".join(group["wijk_codes"]).split()))),
                "basis": "; ".join(sorted(set(group["basis"])))[:500],
                "confidence": first["confidence"],
            })
    return pd.DataFrame(rows, columns=["region_code", "gemeente_code", "share", "partial", "wijk_codes", "basis", "confidence"])
