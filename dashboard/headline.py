"""The headline of a region: its latest population, households and share 65+, each with the
change since 2014 beside Nederland's, as figure cards and one generated sentence.

Computed from the very series the charts draw (``RegionAPI.series``), never from a second source."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from dash import html

from dashboard.i18n import number, percent, signed, t
from dashboard.model.measures import MEASURES, derive, index_base_year

HEADLINE_MEASURES = ("population", "households", "share_65_plus")
OBSERVED = ("exact", "estimated", "rounded", "published")  # not "projection"


@dataclass(frozen=True)
class Figure:
    """One card: a measure's latest observed value and its change since the base year.

    ``change`` is in % for counts and in percentage points for ratios (shares)."""

    measure: str
    year: int | None
    value: float | None
    base_year: int | None
    change: float | None
    nl_value: float | None
    nl_change: float | None

    @property
    def is_ratio(self) -> bool:
        return MEASURES[self.measure].is_ratio


def observed(points: pd.DataFrame) -> pd.Series:
    """Observed values by year (projections and missing values left out)."""
    if points is None or points.empty:
        return pd.Series(dtype=float)
    value = points["value"].to_numpy(dtype=float)
    keep = np.isin(points["flag"].to_numpy(), OBSERVED) & ~np.isnan(value)
    return pd.Series(value[keep], index=points["year"].to_numpy()[keep].astype(int))


def change(values: pd.Series, base_year: int, year: int, is_ratio: bool) -> float | None:
    """% change from base_year to year (counts), or the difference in points (ratios)."""
    if base_year not in values.index or year not in values.index:
        return None
    if is_ratio:
        return values[year] - values[base_year]
    growth = derive("growth", values, base_year=base_year, scale=100.0)[year]
    return None if pd.isna(growth) else float(growth)


def figure(measure: str, region_points: pd.DataFrame, nl_points: pd.DataFrame) -> Figure:
    """The card of one measure; Nederland is read at the region's own base and latest year."""
    is_ratio = MEASURES[measure].is_ratio
    own, nl = observed(region_points), observed(nl_points)
    if own.empty:
        return Figure(measure, None, None, None, None, None, None)
    year = int(own.index.max())
    base = index_base_year(region_points)  # 2014, the policy papers' starting point, if the series has it
    if base == year:
        base = None
    return Figure(
        measure, year, float(own[year]), base,
        change(own, base, year, is_ratio) if base else None,
        float(nl[year]) if year in nl.index else None,
        change(nl, base, year, is_ratio) if base else None,
    )


def figures_of(api, region: str, boundaries: str = "latest") -> list[Figure]:
    out = []
    for measure in HEADLINE_MEASURES:
        if measure not in MEASURES:
            continue
        own = api.series(region, measure, boundaries).points
        nl = api.series("NL01", measure, "latest").points
        out.append(figure(measure, own, nl))
    return out


# ------------------------------------------------------------------ words
def _change_text(f: Figure, value: float | None, lang: str) -> str:
    if value is None:
        return "—"
    if f.is_ratio:
        return f"{signed(value, lang, 1)} {t('points', lang)}"
    return percent(value, lang, 1, sign=True)


def _value_text(f: Figure, lang: str) -> str:
    if f.is_ratio:
        return percent(f.value, lang, 1)
    return number(f.value, lang, 0)


def sentence(name: str, figs: list[Figure], lang: str, is_nl: bool = False) -> str:
    """"Eemsdelta: −6,5 % inwoners sinds 2014, Nederland +7,7 %; huishoudens −1,7 % (2014–2024),
    Nederland +10,3 %; 65-plussers 26,1 % in 2024" (nl), the same in English."""
    nl = t("nl_short", lang)
    parts = []
    for i, f in enumerate(figs):
        noun = {"population": ("inwoners", "inhabitants"), "households": ("huishoudens", "households"),
                "share_65_plus": ("65-plussers", "aged 65+")}[f.measure][lang == "en"]
        beside = None
        if f.value is None:
            parts.append(f"{noun}: {t('no_figures', lang)}")
            continue
        if f.is_ratio:
            text = f"{noun} {_value_text(f, lang)} in {f.year}"
            if f.change is not None:
                text += f" ({_change_text(f, f.change, lang)} {t('since', lang, year=f.base_year)})"
            beside = percent(f.nl_value, lang, 1) if f.nl_value is not None else None
        elif f.change is None:
            text = f"{noun} {_value_text(f, lang)} ({f.year})"
        elif i == 0:
            text = f"{_change_text(f, f.change, lang)} {noun} {t('since', lang, year=f.base_year)}"
            beside = _change_text(f, f.nl_change, lang) if f.nl_change is not None else None
        else:
            text = f"{noun} {_change_text(f, f.change, lang)} ({f.base_year}–{f.year})"
            beside = _change_text(f, f.nl_change, lang) if f.nl_change is not None else None
        if beside and not is_nl:
            text += f", {nl} {beside}"
        parts.append(text)
    return f"{name}: " + "; ".join(parts) + "."


def cards(figs: list[Figure], lang: str, is_nl: bool = False) -> list:
    """One card per figure: the value, its year, the change and Nederland's change beside it."""
    out = []
    for f in figs:
        label = t(f"card_{f.measure}", lang)
        if f.value is None:
            out.append(html.Div([html.Div(label, className="card-label"), html.Div("—", className="card-value"),
                                 html.Div(t("no_figures", lang), className="card-sub")], className="card card-empty"))
            continue
        when = t("of_inhabitants", lang, year=f.year) if f.is_ratio else t("on_1_january", lang, year=f.year)
        rows = [html.Div(label, className="card-label"), html.Div(_value_text(f, lang), className="card-value"),
                html.Div(when, className="card-sub")]
        if f.base_year is not None:
            rows.append(html.Div([html.Span(_change_text(f, f.change, lang), className="card-change"),
                                  " " + t("since", lang, year=f.base_year)], className="card-line"))
            if not is_nl:
                rows.append(html.Div(f"{t('nl_short', lang)}: {_change_text(f, f.nl_change, lang)}", className="card-nl"))
        elif f.nl_value is not None and not is_nl:
            nl_value = percent(f.nl_value, lang, 1) if f.is_ratio else number(f.nl_value, lang)
            rows.append(html.Div(f"{t('nl_short', lang)}: {nl_value}", className="card-nl"))
        out.append(html.Div(rows, className="card"))
    return out
