"""Build checks across tables and boundaries: a store that would break the dashboard is refused.

Per-table coverage (which gemeenten and years each CBS table must hold) is stated once, in
the table registry (``data_sources.cbs_tables``, ``Coverage``); here are the checks that need more than one table: the
population table as the list of gemeenten per year, Nederland's row in every year the
dashboard shows, and a map for every year. Each failure is one line naming table (or level),
year and what is missing; all of them are raised together as one SourceDataError.
"""

from __future__ import annotations

import pandas as pd

from data_sources.errors import SourceDataError
from data_sources.validate import Gap

POPULATION_TABLE = "03759ned"


def _raise(problems: list[str]) -> None:
    if problems:
        raise SourceDataError("\n".join(problems))


def gemeenten_per_year(codes_by_year: dict[int, set[str]], first_year: int) -> list[str]:
    """The population table has gemeenten in every year from ``first_year`` on. (That each year's
    gemeenten follow from the year before by CBS's recorded boundary changes is checked when
    they are harmonised: ``geo.harmonise.transition`` refuses a gemeente that vanishes unrecorded.)"""
    if not codes_by_year:
        return [f"table {POPULATION_TABLE}: no gemeente population rows from {first_year} on"]
    return [f"table {POPULATION_TABLE} {year}: no gemeente population rows"
            for year in range(first_year, max(codes_by_year) + 1) if not codes_by_year.get(year)]


def national_population(observations: pd.DataFrame, years: list[int]) -> list[str]:
    """Nederland (NL01) must have a population figure in every year the gemeenten have one:
    the dashboard opens on Nederland in the latest year."""
    have = set(observations.loc[(observations["level"] == "land") & (observations["measure"] == "population"), "year"])
    lacking = [y for y in years if y not in have]
    if lacking:
        return [f"population on 1 January {', '.join(map(str, lacking))}: no Nederland (NL01) row in any table"]
    return []


def before_harmonising(observations: pd.DataFrame, codes_by_year: dict[int, set[str]], first_year: int) -> None:
    _raise(gemeenten_per_year(codes_by_year, first_year)
           + national_population(observations, sorted(codes_by_year)))


def every_map(map_gaps: list[Gap]) -> None:
    """A map of every level for every year (from a file or derived from one): the dashboard
    draws the map of whichever year is chosen, and cannot start without the latest."""
    by_level: dict[str, list[int]] = {}
    for gap in map_gaps:
        by_level.setdefault(gap.level, []).append(gap.year)
    _raise([f"boundaries {level} {', '.join(map(str, sorted(years)))}: no boundary file, and none can be "
            f"derived from another year's map" for level, years in sorted(by_level.items())])
