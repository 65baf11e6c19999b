"""The overview the Kamer asked for: population and households of a set of regions at a start
and an end year, with absolute and % change and the share 65+ (Kamerstuk 31 757, nr. 102,
answer 58: "de bevolkings- en huishoudensontwikkeling in de krimp- en anticipeerregio's vanaf 2014").

Every figure is a point of ``RegionAPI.series`` (so the same ``derive`` and the same flags);
changes are computed here from those points, never from averaged shares.
"""

from __future__ import annotations

import io
import weakref
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard import export
from dashboard.model.measures import FLAG_RANK, MEASURES

KRIMP_ANTICIPEER = "krimp-anticipeer"
GROUP_ROWS = ("G-KRIMP", "G-ANTICIPEER", "G-REST", "NL01")
MAX_CODES = 60
COUNTS = ("population", "households")
SHARE = "share_65_plus"
COLUMNS = [
    "code", "name", "type",
    "population_start", "population_end", "population_change", "population_change_pct",
    "households_start", "households_end", "households_change", "households_change_pct",
    "share_65_plus_start", "share_65_plus_end", "flags",
]
UNITS = {
    "population": "persons on 1 January", "households": "private households on 1 January",
    "change": "same unit as the figure", "change_pct": "% of the start year", "share_65_plus": "% of inhabitants",
}


class BadOverview(ValueError):
    """A request the overview cannot answer (unknown group, years outside the data)."""


@dataclass
class Overview:
    group: str
    start: int
    end: int
    table: pd.DataFrame  # COLUMNS
    sources: list[str]
    data_date: str

    def title(self, lang: str = "nl") -> str:
        if self.group == KRIMP_ANTICIPEER:
            return (f"Bevolkings- en huishoudensontwikkeling krimp- en anticipeerregio's {self.start}-{self.end}"
                    if lang != "en" else
                    f"Population and household development of krimp and anticipeer regions {self.start}-{self.end}")
        return (f"Bevolkings- en huishoudensontwikkeling {self.start}-{self.end}: {self.group}" if lang != "en"
                else f"Population and household development {self.start}-{self.end}: {self.group}")


def codes_for(api, group: str) -> list[str]:
    """The regions of a group: ``krimp-anticipeer`` (every krimpregio and anticipeerregio, the
    three groups and Nederland), a region type, or comma-separated region codes."""
    known = api.codes()
    kind_of = {code: api.region(code)["type"] for code in known}
    types = group_types(api)
    if group == KRIMP_ANTICIPEER:
        return ([c for c in sorted(known) if kind_of[c] == "krimpregio"]
                + [c for c in sorted(known) if kind_of[c] == "anticipeerregio"] + list(GROUP_ROWS))
    if group in types:
        return [c for c in sorted(known) if kind_of[c] == group] + ["NL01"]
    codes = [c.strip() for c in group.split(",") if c.strip()]
    if not codes:
        raise BadOverview("group is empty")
    if len(codes) > MAX_CODES:
        raise BadOverview(f"group lists {len(codes)} regions, at most {MAX_CODES}")
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise BadOverview(f"unknown region(s) {', '.join(unknown[:5])}: group must be {KRIMP_ANTICIPEER!r}, "
                          f"a region type ({', '.join(types)}) or comma-separated region codes")
    return list(dict.fromkeys(codes))


def group_types(api) -> tuple[str, ...]:
    """The region types a group may name: every type but "land" (Nederland is a row of every overview)."""
    return tuple(kind for kind in api.types if kind != "land")


def default_years(api) -> tuple[int, int]:
    """2014 to the newest year with both population and households."""
    years = set(api.years("population")) & set(api.years("households"))
    return api.first_year, max(years)


def build(api, group: str, start: int, end: int) -> Overview:
    years = sorted(set(api.years("population")) | set(api.years("households")))
    if start >= end:
        raise BadOverview(f"from ({start}) must be before to ({end})")
    for year in (start, end):
        if year not in years:
            raise BadOverview(f"year {year} is outside the data ({years[0]}-{years[-1]})")
    rows, sources = [], []
    for code in codes_for(api, group):
        row = {"code": code, "name": api.name(code), "type": api.region(code)["type"]}
        remarks = []
        for measure in (*COUNTS, SHARE):
            observed, series_sources = _observed(api, code, measure)
            sources += [s for s in series_sources if s not in sources]
            for when, year in (("start", start), ("end", end)):
                value, flag = observed.get(year, (np.nan, None))
                row[f"{measure}_{when}"] = value
                if flag is None:
                    remarks.append(f"{measure} {year} missing")
                elif FLAG_RANK.get(flag, 0) >= FLAG_RANK["estimated"]:
                    remarks.append(f"{measure} {year} {flag}")
            if measure in COUNTS:
                first, last = row[f"{measure}_start"], row[f"{measure}_end"]
                row[f"{measure}_change"] = last - first
                row[f"{measure}_change_pct"] = (last / first - 1.0) * 100.0 if first else np.nan
        row["flags"] = "; ".join(remarks)
        rows.append(row)
    return Overview(group, start, end, pd.DataFrame(rows, columns=COLUMNS), sorted(sources), api.store.data_date)


# Per API instance (weakly held: a new store's API never sees an old one's figures).
_OBSERVED: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def _observed(api, code: str, measure: str) -> tuple[dict[int, tuple[float, str]], list[str]]:
    """A series' observed points as {year: (value, flag)} and its sources, kept per API instance
    (the store is read-only), so that any pair of years is answered from memory."""
    known = _OBSERVED.setdefault(api, {})
    if (code, measure) not in known:
        series = api.series(code, measure)
        pts = series.points[series.points["flag"] != "projection"]
        known[(code, measure)] = ({int(y): (float(v), f) for y, v, f in zip(pts["year"], pts["value"], pts["flag"])},
                                  list(series.sources))
    return known[(code, measure)]


def header(overview: Overview) -> list[tuple[str | None, str]]:
    """The lines above the table, in the CSV and the workbook: title, units, source tables, data date, flags."""
    return [
        (None, overview.title("nl")),
        ("units", "; ".join(f"{k}: {v}" for k, v in UNITS.items())),
        ("source tables", f"{', '.join(overview.sources)} (Bron: CBS, CC BY 4.0)"),
        ("data date", overview.data_date),
        ("flags", "estimated = a split gemeente shared out by inhabitants or a gemeente counted in part; "
                  "rounded = includes figures CBS published rounded to 5 (households 2014 of 182 gemeenten, "
                  "WBK 2014); missing = no figure for every member"),
    ]


def to_csv(overview: Overview) -> str:
    """``/api/v1/overview?format=csv``: ``header`` as '#' lines, then ``COLUMNS``; percentages and
    shares to 2 decimals, counts and changes whole (the workbook keeps full precision)."""
    table = overview.table.copy()
    for column in table.columns:
        if column.endswith("_pct") or column.startswith("share_"):
            table[column] = table[column].round(2)
        elif table[column].dtype.kind == "f":
            table[column] = table[column].round(0)
    return export.write_csv(table, header(overview))


def to_xlsx(overview: Overview) -> bytes:
    """The same table as an Excel workbook: the header lines above the table, then the rows."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "overzicht"
    for key, value in header(overview):
        sheet.append([export.header_line(key, value)])
    sheet.append(COLUMNS)
    for row in overview.table.itertuples(index=False):
        sheet.append([None if isinstance(v, float) and np.isnan(v) else v for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def measure_names(lang: str) -> dict[str, str]:
    return {m: MEASURES[m].name(lang) for m in (*COUNTS, SHARE)}
