"""CSV output, written by one function (``write_csv``) for every download:

* the briefing table (the page's "download" buttons, ``table``): every region and measure shown
  on screen, per year, as counts and as an index, with flags, units and sources;
* the API's series (``/api/v1/series?format=csv``, ``dashboard/api.py``);
* the overview (``/api/v1/overview?format=csv``, ``dashboard/model/overview.py``).

Each opens with ``# key: value`` lines (title, link, sources, data date, licence ...), then the
table with a header row; comma and decimal point, or for Dutch-locale Excel semicolon, decimal
comma and a byte-order mark (so that Excel reads UTF-8)."""

from __future__ import annotations

import io

import pandas as pd

from dashboard.model.measures import INDEX_SCALE, MEASURES, derive, index_base_year

COLUMNS = ["region", "region_name", "measure", "unit", "year", "value", "index", "index_base_year", "flag", "source"]
DECIMALS = 4  # the briefing table's values and indexes (counts are whole numbers anyway)


def table(shown: list[tuple[str, str, object]], years: list[int] | None = None) -> pd.DataFrame:
    """One row per region, measure and year: ``shown`` holds (code, name, Series). A year that a
    series lacks while another shown series has it is a row with an empty value and flag "missing"
    (never dropped silently). The index (counts only) is ``derive``'s: the base year (2014, else the
    series' first observed year) = 100.
    Values and indexes are rounded to ``DECIMALS``."""
    all_years = sorted(years or {int(y) for _, _, s in shown for y in s.points["year"]})
    rows = []
    for code, name, s in shown:
        points = s.points.set_index(s.points["year"].astype(int))
        base = None if MEASURES[s.measure].is_ratio else index_base_year(s.points)
        indexed = (derive("index", points["value"].astype(float), base_year=base, scale=INDEX_SCALE)
                   if base is not None else None)
        source = "; ".join(s.sources)
        for year in all_years:
            if year in points.index and pd.notna(points.at[year, "value"]):
                value, flag = float(points.at[year, "value"]), points.at[year, "flag"]
                index = float(indexed[year]) if indexed is not None and pd.notna(indexed[year]) else None
            else:
                value, flag, index = None, "missing", None
            rows.append((code, name, s.measure, s.unit, year, value, index, base, flag, source))
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["index_base_year"] = frame["index_base_year"].astype("Int64")
    frame["value"] = frame["value"].round(DECIMALS)
    frame["index"] = frame["index"].round(DECIMALS)
    return frame


def header_line(key: str | None, value: str) -> str:
    """One line of a download's header, without the ``# ``: ``key: value``, or the value alone (a title)."""
    return value if key is None else f"{key}: {value}"


def write_csv(frame: pd.DataFrame, header: list[tuple[str | None, str]], dutch_excel: bool = False) -> str:
    """The one CSV writer. ``header``: (key, value) pairs, each written as a ``# key: value`` line
    (key None: ``# value``); then ``frame`` as it is (its columns in order, a header row, no index,
    numbers at the precision the caller gave them, an empty field for a missing value), lines
    ending in ``\\n``. ``dutch_excel``: a byte-order mark, semicolons and decimal commas."""
    out = io.StringIO()
    if dutch_excel:
        out.write("\ufeff")
    for key, value in header:
        out.write(f"# {header_line(key, value)}\n")
    frame.to_csv(out, index=False, lineterminator="\n", sep=";" if dutch_excel else ",",
                 decimal="," if dutch_excel else ".")
    return out.getvalue()


SERIES_COLUMNS = ["region", "measure", "unit", "year", "value", "flag"]


def series_csv(region: str, measure: str, series) -> str:
    """``/api/v1/series?format=csv``: one line ``# source: <tables> (CC BY 4.0); data date: <date>;
    boundaries: <latest|published>``, then ``SERIES_COLUMNS``, one row per point of the series
    (projection rows included, flag ``projection``; values at full precision, no interval)."""
    header = [("source", f"{'; '.join(series.sources)} (CC BY 4.0); data date: {series.data_date}; "
                         f"boundaries: {series.boundaries}")]
    frame = series.points.assign(region=region, measure=measure, unit=series.unit)[SERIES_COLUMNS]
    return write_csv(frame, header)
