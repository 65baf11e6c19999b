"""Build-time checks of raw CBS tables. A failure names table, region, year and value."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from data_sources.cbs_tables import Coverage, TableSpec
from data_sources.errors import SourceDataError
from data_sources.raw import RawTable, level_of

# Balances can be negative, and so can emigration *including administrative corrections*
# (CBS: Schiermonnikoog 2012 is -1); every other measure we keep is a count.
SIGNED_KEYS = {
    "Geboorteoverschot_7", "VestigingsoverschotInclusiefCorrecties_17", "TotaleGroei_18",
    "EmigratieInclusiefAdministratieveC_14",
}


@dataclass(frozen=True)
class Gap:
    """Something a source does not hold; reported by ``regiodash info``, never filled in."""

    table: str
    measure: str
    year: int
    level: str
    missing: int
    note: str


def _codes(codes: list[str] | set[str], shown: int = 5) -> str:
    ordered = sorted(codes)
    more = f" and {len(ordered) - shown} more" if len(ordered) > shown else ""
    return ", ".join(ordered[:shown]) + more


def _years(years: list[int]) -> str:
    return ", ".join(str(y) for y in sorted(years))


def check_coverage(raw: RawTable, keys: list[str], coverage: Coverage,
                   gemeenten_by_year: dict[int, set[str]]) -> None:
    """Raise one SourceDataError listing, one line per table and year, what a table lacks."""
    if coverage.complete_years is None:
        return
    first, last = coverage.complete_years
    data = raw.data
    gm = data[data["region_code"].str.startswith("GM")]
    national = data[data["region_code"].str.startswith("NL")]
    required = [k for k in keys if not coverage.may_lack(k, raw.origin)]
    problems: list[str] = []
    no_nl: list[int] = []
    # Only the years the build covers (those with gemeente population): a mirror or test world
    # that ends earlier than CBS's table does not make every later year "missing".
    last = min(last, max(gemeenten_by_year, default=last))
    for year in range(first, last + 1):
        in_year = gm[gm["year"] == year]
        if in_year.empty:
            problems.append(f"table {raw.table_id} {year}: no gemeente rows at all "
                            f"(required {first}-{last}; the source ends or was cut short)")
            continue
        expected = gemeenten_by_year.get(year)
        lacking: dict[str, set[str]] = {}
        for key in required:
            have = set(in_year.loc[in_year["key"] == key, "region_code"])
            if expected and (missing := expected - have):
                lacking[key] = missing
        if lacking:
            codes = set().union(*lacking.values())
            problems.append(f"table {raw.table_id} {year}: {len(codes)} of {len(expected)} gemeenten missing "
                            f"({_codes(codes)}) for {len(lacking)} of {len(required)} columns ({_codes(lacking, 3)})")
        nl_keys = set(national.loc[national["year"] == year, "key"])
        if "land" in coverage.complete_levels and any(k not in nl_keys for k in required):
            no_nl.append(year)
    if no_nl:
        problems.append(f"table {raw.table_id} {_years(no_nl)}: no Nederland (NL01) row")
    if problems:
        raise SourceDataError("\n".join(problems))


def check_codes(raw: RawTable) -> None:
    for code in raw.data["region_code"].unique():
        if level_of(code) is None:
            raise SourceDataError(f"table {raw.table_id}: region code {code!r} is not a CBS code")


def check_duplicates(raw: RawTable) -> None:
    dupes = raw.data[raw.data.duplicated(subset=["region_code", "year", "key"], keep=False)]
    if len(dupes):
        first = dupes.iloc[0]
        raise SourceDataError(
            f"table {raw.table_id}: duplicated region-year {first.region_code} {first.year} "
            f"{first.key} ({len(dupes)} rows)"
        )


def check_negative(raw: RawTable) -> None:
    counts = raw.data[~raw.data["key"].isin(SIGNED_KEYS)]
    bad = counts[counts["value"] < 0]
    if len(bad):
        first = bad.iloc[0]
        raise SourceDataError(
            f"table {raw.table_id}: negative count {first.key}={first.value:g} "
            f"for {first.region_code} in {first.year}"
        )


# A figure CBS rounded to a multiple of 5 is at most 2.5 from the exact one.
ROUNDING_TOLERANCE = 2.5


def sum_tolerance(flags: pd.Series) -> float:
    """How far a sum of published figures may lie from CBS's exact total: 0 (bar float noise)
    when every figure is exact, 2.5 per figure CBS rounded to 5 otherwise."""
    return 0.5 + ROUNDING_TOLERANCE * float((flags == "rounded").sum())


def check_sums(raw: RawTable, gemeenten_by_year: dict[int, set[str]]) -> list[Gap]:
    """Gemeenten sum to Nederland where the table covers every gemeente of that year (exactly
    when all are exact, within the rounding otherwise); where it does not, the shortfall is
    returned as a gap."""
    gaps: list[Gap] = []
    data = raw.data
    national = data[data["region_code"].str.startswith("NL")]
    gm = data[data["region_code"].str.startswith("GM")]
    for (year, key), group in gm.groupby(["year", "key"]):
        expected = gemeenten_by_year.get(year)
        if expected is None:
            continue
        missing = expected - set(group["region_code"])
        if missing:
            gaps.append(Gap(raw.table_id, key, int(year), "gemeente", len(missing),
                            f"{len(expected) - len(missing)} of {len(expected)} gemeenten in source"))
            continue
        nl = national[(national["year"] == year) & (national["key"] == key)]["value"]
        if nl.empty:
            continue
        total, target = group["value"].sum(), float(nl.iloc[0])
        if abs(total - target) > sum_tolerance(group["flag"]):
            raise SourceDataError(
                f"table {raw.table_id}: {key} {year}: gemeenten sum to {total:,.0f}, "
                f"Nederland is {target:,.0f} (difference {total - target:+,.0f})"
            )
    return gaps


def validate(raw: RawTable, spec: TableSpec, gemeenten_by_year: dict[int, set[str]]) -> list[Gap]:
    """Refuse a table that is malformed or lacks what its registry ``Coverage`` says it must hold; return
    the gaps it may legitimately have. ``gemeenten_by_year``: the gemeenten of each year."""
    if raw.data.empty:
        raise SourceDataError(f"table {raw.table_id}: no rows")
    unknown = set(raw.data["key"]) - set(spec.keys())
    if unknown:
        raise SourceDataError(f"table {raw.table_id}: unknown column(s) {sorted(unknown)}")
    check_codes(raw)
    check_duplicates(raw)
    check_negative(raw)
    check_coverage(raw, spec.keys(), spec.coverage, gemeenten_by_year)
    if "gemeente" not in spec.coverage.complete_levels:
        return []  # a table that publishes only some gemeenten (the prognosis): nothing to sum
    return check_sums(raw, gemeenten_by_year)


def check_years(observations: pd.DataFrame, measure: str, first_year: int) -> list[int]:
    """Years from ``first_year`` to the last one present that the measure lacks nationally."""
    years = set(observations.loc[observations["measure"] == measure, "year"])
    if not years:
        return list(range(first_year, first_year + 1))
    return [y for y in range(first_year, max(years) + 1) if y not in years]
