"""The briefing table: every region and measure shown on screen, per year, as counts and as an
index, with flags, units and sources; written as CSV (comma/point) or as CSV for Dutch-locale
Excel (semicolon, decimal comma, byte-order mark so that Excel reads UTF-8)."""

from __future__ import annotations

import io

import pandas as pd

from dashboard.model.measures import MEASURES

COLUMNS = ["region", "region_name", "measure", "unit", "year", "value", "index", "index_base_year", "flag", "source"]


def base_year(points: pd.DataFrame, preferred: int = 2014) -> int | None:
    seen = points.loc[points["value"].notna() & (points["flag"] != "projection"), "year"]
    if seen.empty:
        return None
    return preferred if preferred in set(seen.astype(int)) else int(seen.min())


def table(shown: list[tuple[str, str, object]], years: list[int] | None = None) -> pd.DataFrame:
    """One row per region, measure and year: ``shown`` holds (code, name, Series). A year that a
    series lacks while another shown series has it is a row with an empty value and flag "missing"
    (never dropped silently). The index is value / value in the base year x 100 (counts only)."""
    all_years = sorted(years or {int(y) for _, _, s in shown for y in s.points["year"]})
    rows = []
    for code, name, s in shown:
        m = MEASURES[s.measure]
        points = s.points.set_index(s.points["year"].astype(int))
        base = None if m.is_ratio else base_year(s.points)
        base_value = float(points.at[base, "value"]) if base is not None else None
        source = "; ".join(s.sources)
        for year in all_years:
            if year in points.index and pd.notna(points.at[year, "value"]):
                value, flag = float(points.at[year, "value"]), points.at[year, "flag"]
                index = value / base_value * 100.0 if base_value else None
            else:
                value, flag, index = None, "missing", None
            rows.append((code, name, s.measure, s.unit, year, value, index, base, flag, source))
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["index_base_year"] = frame["index_base_year"].astype("Int64")
    return frame


def write_csv(frame: pd.DataFrame, header: list[tuple[str, str]], dutch_excel: bool = False) -> str:
    """CSV text: ``# key: value`` lines on top (title, link, data date, licence ...), then the table.
    Values keep full precision (counts are whole numbers; ratios and indexes to 4 decimals)."""
    out = io.StringIO()
    if dutch_excel:
        out.write("\ufeff")
    for key, value in header:
        out.write(f"# {key}: {value}\n")
    frame = frame.copy()
    frame["value"] = frame["value"].round(4)
    frame["index"] = frame["index"].round(4)
    frame.to_csv(out, index=False, lineterminator="\n", sep=";" if dutch_excel else ",",
                 decimal="," if dutch_excel else ".")
    return out.getvalue()
