"""Build-time checks of raw CBS tables. A failure names table, region, year and value."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from data_sources.cbs_tables import TableSpec
from data_sources.errors import SourceDataError
from data_sources.raw import LEVEL_PATTERNS, RawTable

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

    def __str__(self) -> str:
        return f"{self.table} {self.measure} {self.year} {self.level}: {self.missing} missing ({self.note})"


@dataclass(frozen=True)
class Coverage:
    """What one CBS table must hold; less is a failed build, not a gap.

    In every year of ``complete_years`` (inclusive) every gemeente of that year (the population
    table's set, less gemeenten dissolved during the year) must have every key, and Nederland
    (NL01) a row per key. A source file whose name starts with ``PARTIAL_`` (the mirror says so in
    the name) may lack gemeenten for ``partial_keys`` (all keys when None): those shortfalls are
    recorded as gaps. Years outside ``complete_years`` are never required.
    """

    complete_years: tuple[int, int] | None
    partial_keys: tuple[str, ...] | None = ()
    why_partial: str = ""

    def may_lack(self, key: str, origin: str) -> bool:
        if "PARTIAL_" not in origin:
            return False
        return self.partial_keys is None or key in self.partial_keys


# The one statement of what each table must cover (years as CBS publishes them per gemeente).
# A table not listed here keeps the old rule: shortfalls are gaps, nothing is required.
COVERAGE: dict[str, Coverage] = {
    # The mirror's copy of 03759ned starts in 2019 (37259ned supplies population 2014-2018).
    "03759ned": Coverage(complete_years=(2019, 2025)),
    # Births, deaths and migration per gemeente: CBS/the mirror end in 2023 (2024+ not published per gemeente).
    "37259ned": Coverage(complete_years=(2014, 2023)),
    "71486ned": Coverage(complete_years=(2014, 2024), partial_keys=None,
                         why_partial="mirror PARTIAL_71486ned: gemeenten A-M only (NL and provinces complete)"),
    "85984NED": Coverage(complete_years=(2024, 2024),
                         partial_keys=("k_0Tot15Jaar_8", "k_15Tot25Jaar_9", "k_25Tot45Jaar_10",
                                       "k_45Tot65Jaar_11", "k_65JaarOfOuder_12", "HuishoudensTotaal_29"),
                         why_partial="mirror PARTIAL_85984NED: KWB 2024 detail for 172 gemeenten"),
}
NO_REQUIREMENT = Coverage(complete_years=None)


def coverage_of(raw: RawTable) -> Coverage:
    return COVERAGE.get(raw.table_id, NO_REQUIREMENT)


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
        if any(k not in nl_keys for k in keys):
            no_nl.append(year)
    if no_nl:
        problems.append(f"table {raw.table_id} {_years(no_nl)}: no Nederland (NL01) row")
    if problems:
        raise SourceDataError("\n".join(problems))


def check_codes(raw: RawTable) -> None:
    for code in raw.data["region_code"].unique():
        prefix = code[:2]
        pattern = {"NL": LEVEL_PATTERNS["land"], "PV": LEVEL_PATTERNS["provincie"],
                   "GM": LEVEL_PATTERNS["gemeente"], "WK": LEVEL_PATTERNS["wijk"]}.get(prefix)
        if pattern is None or not pattern.match(code):
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


def check_sums(raw: RawTable, gemeenten_by_year: dict[int, set[str]]) -> list[Gap]:
    """Gemeenten sum to Nederland where the table covers every gemeente of that year;
    where it does not, the shortfall is returned as a gap."""
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
        if abs(total - target) > 0.5:
            raise SourceDataError(
                f"table {raw.table_id}: {key} {year}: gemeenten sum to {total:,.0f}, "
                f"Nederland is {target:,.0f} (difference {total - target:+,.0f})"
            )
    return gaps


def validate(raw: RawTable, spec: TableSpec, gemeenten_by_year: dict[int, set[str]]) -> list[Gap]:
    """Refuse a table that is malformed or lacks what ``COVERAGE`` says it must hold; return
    the gaps it may legitimately have. ``gemeenten_by_year``: the gemeenten of each year."""
    if raw.data.empty:
        raise SourceDataError(f"table {raw.table_id}: no rows")
    unknown = set(raw.data["key"]) - set(spec.keys())
    if unknown:
        raise SourceDataError(f"table {raw.table_id}: unknown column(s) {sorted(unknown)}")
    check_codes(raw)
    check_duplicates(raw)
    check_negative(raw)
    check_coverage(raw, spec.keys(), coverage_of(raw), gemeenten_by_year)
    return check_sums(raw, gemeenten_by_year)


def check_years(observations: pd.DataFrame, measure: str, first_year: int) -> list[int]:
    """Years from ``first_year`` to the last one present that the measure lacks nationally."""
    years = set(observations.loc[observations["measure"] == measure, "year"])
    if not years:
        return list(range(first_year, first_year + 1))
    return [y for y in range(first_year, max(years) + 1) if y not in years]
