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


# A border correction moving a few houses between COROP regions does not move a gemeente.
MIN_SHARE = 0.995


def membership(corop_2015: pd.DataFrame, weights_2015: Weights, population_2015: dict[str, float]) -> pd.DataFrame:
    """gemeente_code (today) -> corop_code, for gemeenten at least 99.5 % of whose 2015
    inhabitants (by the harmonisation weights) lived in one COROP region."""
    corop_of = dict(zip(corop_2015["gemeente_code"], corop_2015["corop_code"]))
    people: dict[str, dict[str | None, float]] = defaultdict(lambda: defaultdict(float))
    for old, targets in weights_2015.items():
        for new, share in targets.items():
            people[new][corop_of.get(old)] += share * population_2015.get(old, 0.0)
    rows = []
    for new, by_region in sorted(people.items()):
        region, most = max(by_region.items(), key=lambda kv: kv[1])
        if region is not None and most >= MIN_SHARE * sum(by_region.values()):
            rows.append((new, region))
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
