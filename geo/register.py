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
# A member share at or above this is the whole gemeente (not "partial"); dashboard/model/series.py
# reads shares with the same value (tests/test_layers.py checks that the two agree).
FULL_SHARE = 0.999
# The policy region types, in the order the dashboard lists them: the one statement of this
# vocabulary. The build records it in the store's metadata ("policy_types"); the dashboard reads it
# from there (Store.policy_types), since it may not import geo (tests/test_layers.py).
REGION_TYPES = ("krimpregio", "anticipeerregio", "focusgebied", "regiodeal")

# The complete schema of a measure row (policy_measures.csv) and of a deal row (the regiodeal rows of
# policy_regions.csv). A fact that could not be sourced is a cell starting "unknown:" with the reason.
MEASURE_COLUMNS = ("measure_id", "kind", "name_nl", "name_en", "measure_type", "ministry", "start_year", "end_year",
                   "applies_to", "area_in_source", "budget_eur", "budget_basis", "budget_note", "description_nl",
                   "description_en", "source_document", "confidence", "source", "checked")
DEAL_COLUMNS = ("tranche", "year_selected", "year_signed", "contribution_eur", "ministry", "parties", "area", "family", "checked")
KINDS = ("classification", "programme", "funding", "rules", "knowledge", "infrastructure", "cross_border", "example")
# What an amount in budget_eur is: the whole budget, a yearly amount, the Rijk's share, or what was applied for.
BUDGET_BASES = ("total", "per year", "national contribution", "requested")
UNKNOWN = "unknown:"

# The ministry that coordinated each tranche (deal rows say it in ``ministry``): LNV with BZK for
# tranches 1-3 (rijksoverheid.nl 16 Nov 2018: ministers Schouten (LNV) and Ollongren (BZK)), BZK for
# tranche 4 and the selection of tranche 5, VRO for the tranche-5 convenants and tranche 6
# (Staatscourant 2025, 1140; rijksoverheid.nl 3 Feb 2025). ESTEC (tranche 1) was signed by EZK.

# Published national totals per Regio Deal tranche (EUR): (amount, how it is stated, source).
TRANCHE_TOTALS = {
    2: (215_000_000, "exact", "https://www.rvo.nl/onderwerpen/regio-deals/tweede-tranche"),
    3: (180_000_000, "exact", "https://www.kennisvoorkrimp.nl/nieuws-over-krimp/14-regiodeals-vastgesteld"),
    4: (284_200_000, "exact", "https://www.rijksoverheid.nl/actueel/nieuws/2023/02/17/rijk-investeert-opnieuw-in-regio-284-miljoen-euro-voor-14-nieuwe-regio-deals"),
    5: (384_600_000, "exact", "https://www.elkeregiotelt.nl/programma-regio-deals/vijfde-tranche-regio-deals"),
    6: (244_300_000, "exact", "https://www.rijksoverheid.nl/actueel/nieuws/2025/02/03/rijk-investeert-opnieuw-in-de-regio-%E2%82%AC2443-miljoen-voor-16-regio-deals"),
}
# Tranche 1 (the deals named in the 2017 coalition agreement) has no published total: each deal was
# announced on its own.


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
                "partial": bool(share < FULL_SHARE or named_part[new]),
                "wijk_codes": " ".join(sorted(set(" ".join(group["wijk_codes"]).split()))),
                "basis": "; ".join(sorted(set(group["basis"])))[:500],
                "confidence": group.iloc[0]["confidence"],
            })
    return pd.DataFrame(rows, columns=["region_code", "gemeente_code", "share", "partial", "wijk_codes", "basis", "confidence"])


def year_of(cell: str) -> int | None:
    """A year cell as a number: None for "ongoing" or an "unknown: ..." cell."""
    return int(cell) if str(cell).isdigit() else None


def incomplete_measures(measures: pd.DataFrame) -> list[tuple[str, str]]:
    """(measure_id, problem) for every measure cell that is neither a fact nor an explained unknown."""
    out = []
    for r in measures.to_dict("records"):
        i = r["measure_id"]
        for col in MEASURE_COLUMNS:
            if col not in ("budget_note", "budget_eur") and not str(r.get(col, "")).strip():
                out.append((i, f"{col} empty"))
        if not (year_of(r["start_year"]) or r["start_year"].startswith(UNKNOWN)):
            out.append((i, f"start_year {r['start_year']!r}"))
        if not (year_of(r["end_year"]) or r["end_year"] == "ongoing" or r["end_year"].startswith(UNKNOWN)):
            out.append((i, f"end_year {r['end_year']!r}"))
        if r["budget_eur"]:
            if not r["budget_eur"].isdigit() or r["budget_basis"] not in BUDGET_BASES:
                out.append((i, f"budget {r['budget_eur']!r} / {r['budget_basis']!r}"))
        elif not r["budget_basis"].startswith((UNKNOWN, "not in EUR:")):
            out.append((i, f"no budget and no reason: {r['budget_basis']!r}"))
        if r["kind"] not in KINDS:
            out.append((i, f"kind {r['kind']!r}"))
    return out


def incomplete_deals(regions: pd.DataFrame) -> list[tuple[str, str]]:
    """(code, problem) for every Regio Deal row that lacks a deal fact or its explained unknown."""
    out = []
    for r in regions[regions["type"] == "regiodeal"].to_dict("records"):
        for col in DEAL_COLUMNS:
            if not str(r.get(col, "")).strip():
                out.append((r["code"], f"{col} empty"))
        if not r["tranche"].isdigit() or not r["year_selected"].isdigit():
            out.append((r["code"], "tranche/year_selected not a number"))
        if not (year_of(r["year_signed"]) or r["year_signed"].startswith(UNKNOWN)):
            out.append((r["code"], f"year_signed {r['year_signed']!r}"))
        if not r["contribution_eur"].isdigit():
            out.append((r["code"], f"contribution_eur {r['contribution_eur']!r}"))
    return out
