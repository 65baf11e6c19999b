"""The policy register: policy regions, their members and the measures, from ``geo/data``.

The CSV files in ``geo/data`` are the project's authority; every row carries its source.
At build time the members (named on the boundaries of the year they were classified, e.g.
2015 for the krimpregio's) are carried onto the current gemeenten with the harmonisation
weights, so a current gemeente that only partly lies in a region is found and flagged.
"""

from __future__ import annotations

import re
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

    def people(code: str, year: int) -> float:
        return pop.get((code, year), 1.0)

    # Population of every current gemeente in a classification year, on that year's map.
    totals: dict[int, dict[str, float]] = {}
    for year in {int(y) for y in members["code_year"]}:
        w = weights.get(year) or weights[max(weights)]
        totals[year] = defaultdict(float)
        for old, targets in w.items():
            for new, share in targets.items():
                totals[year][new] += share * people(old, year)
    part_of = re.compile("only part|focusgebied is part", re.IGNORECASE)
    rows = []
    for (region, year_text), group in members.groupby(["region_code", "code_year"]):
        year = int(year_text)
        w = weights.get(year) or weights[max(weights)]
        unknown = set(group["gemeente_code"]) - set(w)
        if unknown:
            raise SourceDataError(f"policy register: region {region}: gemeenten {sorted(unknown)} not on the {year} map")
        inside: dict[str, float] = defaultdict(float)
        named_part: dict[str, bool] = defaultdict(bool)
        for code, basis in zip(group["gemeente_code"], group["basis"]):
            for new, share in w[code].items():
                inside[new] += share * people(code, year)
                named_part[new] |= bool(part_of.search(basis))
        region_people = max(sum(people(c, year) for c in group["gemeente_code"]), 1.0)
        for new, amount in inside.items():
            if amount / region_people < MIN_SHARE:
                continue  # a border correction of a few houses, not membership
            total = totals[year][new]
            share = min(1.0, amount / total) if total else 1.0
            rows.append({
                "region_code": region, "gemeente_code": new, "share": round(share, 6),
                "partial": bool(share < 0.999 or named_part[new]),
                "wijk_codes": " ".join(sorted(set(" ".join(group["wijk_codes"]).split()))),
                "basis": "; ".join(sorted(set(group["basis"])))[:500],
                "confidence": group.iloc[0]["confidence"],
            })
    return pd.DataFrame(rows, columns=["region_code", "gemeente_code", "share", "partial", "wijk_codes", "basis", "confidence"])
