"""COROP regions of today's gemeenten, for the PBL/CBS prognosis (published per COROP region).

Source: CBS's gebiedsindelingen 2015 (each 2015 gemeente's ``corop_gebied``), carried onto
today's map with the harmonisation weights: a current gemeente belongs to a COROP region when
all its 2015 predecessors (every part that went into it) lay in that region. The result is
checked against CBS's own COROP population (37259): a COROP region whose members do not sum to
CBS's figure is left out (reported), so no projection is ever summed over a wrong membership.
"""

from __future__ import annotations

from collections import defaultdict

import pandas as pd

from geo.harmonise import Weights

COLUMNS = ["gemeente_code", "corop_code", "checked_year", "source"]
SOURCE = "CBS gebiedsindelingen 2015 (corop_gebied), carried onto today's map; checked against CBS 37259 COROP population"


def membership(corop_2015: pd.DataFrame, weights_2015: Weights) -> pd.DataFrame:
    """gemeente_code (today) -> corop_code, for gemeenten whose 2015 predecessors lie in one region."""
    corop_of = dict(zip(corop_2015["gemeente_code"], corop_2015["corop_code"]))
    regions: dict[str, set[str | None]] = defaultdict(set)
    for old, targets in weights_2015.items():
        for new in targets:
            regions[new].add(corop_of.get(old))
    rows = [(new, next(iter(found))) for new, found in sorted(regions.items()) if len(found) == 1 and None not in found]
    return pd.DataFrame(rows, columns=["gemeente_code", "corop_code"])


def checked(members: pd.DataFrame, population: pd.DataFrame, latest_codes: set[str]) -> tuple[pd.DataFrame, list[str]]:
    """Keep the COROP regions whose members' population equals CBS's COROP population in the
    newest year on today's map that has both (``population``: region_code, year, value).
    Returns the kept membership and the regions left out, with why."""
    pop = population.pivot_table(index="region_code", columns="year", values="value", aggfunc="first")
    gm_years = [y for y in pop.columns if latest_codes <= set(pop.index[pop[y].notna()])
                and pop.loc[pop.index.str.startswith("CR"), y].notna().any()]
    if not gm_years or members.empty:
        return pd.DataFrame(columns=COLUMNS), ["no year with gemeente and COROP population on today's map"]
    year = max(gm_years)
    covered = members.groupby("corop_code")["gemeente_code"].apply(list)
    # A current gemeente with no single COROP region makes its region(s) incomplete.
    keep, problems = [], []
    for corop, gemeenten in covered.items():
        total = pop.loc[gemeenten, year].sum()
        target = pop[year].get(corop)
        if target is not None and abs(total - target) <= 0.5:
            keep.append(corop)
        else:
            problems.append(f"{corop}: members sum to {total:,.0f} in {year}, CBS {target}")
    out = members[members["corop_code"].isin(keep)].assign(checked_year=int(year), source=SOURCE)
    return out[COLUMNS].reset_index(drop=True), problems
