"""Series on one municipal map: every year's gemeenten carried onto the latest boundaries.

A transition matrix per year maps the gemeenten of map year ``y`` onto those of ``y + 1``:
1 for a gemeente that stays or merges whole, shares in proportion to the inhabitants CBS
reports as moved for splits and partial transfers. Chaining them gives, for every year, the
weight of each old gemeente in each current one. A harmonised value is ``rounded`` when any
figure in it was published rounded (CBS's Wijk- en Buurtkaart 2014 households), else
``estimated`` when a weight other than 0 or 1 was used, else ``exact``.
"""

from __future__ import annotations

from collections import defaultdict

import pandas as pd

from data_sources.errors import SourceDataError

Weights = dict[str, dict[str, float]]  # old code -> {new code: share of the old gemeente}
EPS = 1e-9


def transition(
    codes_before: set[str],
    codes_after: set[str],
    changes: pd.DataFrame,
    population_before: dict[str, float],
    year_after: int,
) -> Weights:
    """Weights from the gemeenten of ``year_after - 1`` onto those of ``year_after``."""
    step = changes[changes["map_year"] == year_after]
    weights: Weights = {code: {code: 1.0} for code in codes_before}
    for code, rows in step.groupby("from_code"):
        if code not in codes_before:
            continue  # a change of a gemeente that did not exist on the previous map
        kinds = set(rows["kind"])
        if kinds & {"merger", "split", "rename"}:
            counts = rows["inhabitants"].fillna(0).clip(lower=0)
            if rows["kind"].eq("rename").any() or counts.sum() == 0:
                # a rename, or nobody lived there: follow the land (hectares), else the new code
                basis = rows["hectares"].fillna(1.0) if counts.sum() == 0 else counts
            else:
                basis = counts
            total = basis.sum()
            weights[code] = {
                to: float(share) / total for to, share in zip(rows["to_code"], basis) if share > 0
            }
        else:  # partial transfers out of a gemeente that goes on
            moved = rows[rows["inhabitants"].fillna(0) > 0]
            if moved.empty:
                continue
            base = population_before.get(code)
            if not base:
                raise SourceDataError(
                    f"harmonisation {year_after}: no population of {code} in {year_after - 1} "
                    "to weigh its partial transfer"
                )
            share = {to: n / base for to, n in zip(moved["to_code"], moved["inhabitants"])}
            share[code] = 1.0 - sum(share.values())
            weights[code] = share
    vanished = {c for c, w in weights.items() if w == {c: 1.0}} - codes_after
    if vanished:
        raise SourceDataError(
            f"harmonisation {year_after}: gemeenten {sorted(vanished)[:5]} are gone from the "
            f"{year_after} map but CBS's code list records no change for them"
        )
    unknown = {to for w in weights.values() for to in w} - codes_after
    if unknown:
        raise SourceDataError(
            f"harmonisation {year_after}: changes point to gemeenten not on the {year_after} map: "
            f"{sorted(unknown)[:5]}"
        )
    return weights


def chain(first: Weights, second: Weights) -> Weights:
    out: Weights = {}
    for old, targets in first.items():
        acc: dict[str, float] = defaultdict(float)
        for mid, w1 in targets.items():
            for new, w2 in second[mid].items():
                acc[new] += w1 * w2
        out[old] = {k: v for k, v in acc.items() if v > EPS}
    return out


def weights_to_latest(
    codes_by_year: dict[int, set[str]], changes: pd.DataFrame, population: pd.DataFrame
) -> dict[int, Weights]:
    """For each map year, the weights of its gemeenten in the gemeenten of the latest year.

    ``population`` holds gemeente population on 1 January (columns region_code, year, value),
    used to weigh partial transfers between gemeenten that both go on.
    """
    years = sorted(codes_by_year)
    latest = years[-1]
    result: dict[int, Weights] = {latest: {c: {c: 1.0} for c in codes_by_year[latest]}}
    pop = {(r.region_code, r.year): r.value for r in population.itertuples()}
    for year in reversed(years[:-1]):
        before = codes_by_year[year]
        step = transition(
            before,
            codes_by_year[year + 1],
            changes,
            {c: pop.get((c, year)) for c in before},
            year + 1,
        )
        result[year] = chain(step, result[year + 1])
    return result


def harmonise(
    observations: pd.DataFrame, weights: dict[int, Weights], midyear: dict[int, set[str]] | None = None
) -> pd.DataFrame:
    """Gemeente observations (region_code, year, measure, value, unit[, flag]) on the latest map.

    A current gemeente gets a value for a year only if every old gemeente contributing to it
    has one: a partial sum would look like a real figure and is worse than a gap. A gemeente
    dissolved during the year (``midyear``) may lack that year's flows: its successor holds them.
    """
    midyear = midyear or {}
    rows = []
    for (year, measure), group in observations.groupby(["year", "measure"]):
        if year not in weights:
            continue
        unit = group["unit"].iloc[0]
        values = dict(zip(group["region_code"], group["value"]))
        rounded_in = set(group.loc[group["flag"] == "rounded", "region_code"]) if "flag" in group else set()
        rounded: dict[str, bool] = defaultdict(bool)
        acc: dict[str, float] = defaultdict(float)
        exact: dict[str, bool] = defaultdict(lambda: True)
        complete: dict[str, bool] = defaultdict(lambda: True)
        for old, targets in weights[year].items():
            for new, w in targets.items():
                if old not in values:
                    if old not in midyear.get(year, set()):
                        complete[new] = False
                    continue
                acc[new] += w * values[old]
                rounded[new] |= old in rounded_in
                if abs(w - 1.0) > 1e-6:
                    exact[new] = False
        targets_all = {new for targets in weights[year].values() for new in targets}
        for new in targets_all:
            if complete[new]:
                flag = "rounded" if rounded[new] else "exact" if exact[new] else "estimated"
                rows.append((new, year, measure, acc[new], unit, flag))
    return pd.DataFrame(rows, columns=["region_code", "year", "measure", "value", "unit", "flag"])
