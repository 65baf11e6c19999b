"""The policy panel: a summary of what applies here (since when, how much, why), then the full table
collapsed by kind, and the trend chart's bands for the region's own measures.

First paint stays small for every region: the summary is a handful of lines, and the full table is
loaded when its section is first opened (``full_table``, one callback): each kind of measure is then
one collapsed ``html.Details`` holding a single Markdown table (one component, however many rows).
Nederland's ~190 rows were ~2,000 DOM nodes and Dash's Markdown bundles (138 KB) on every first paint.
"""

from __future__ import annotations

import math
import re
from collections import namedtuple
from functools import lru_cache

import numpy as np
import pandas as pd
from dash import dcc, html

from dashboard import markdown
from dashboard import folded
from dashboard.data import DashboardData
from dashboard.i18n import t
from store.settings import FIRST_YEAR

# Programmes that define why a region is a policy region; the summary names them with their period.
PROGRAMMES = ("PM01", "PM39", "PM33")
KIND_ORDER = ("regiodeal", "classification", "programme", "funding", "rules", "knowledge", "infrastructure",
              "cross_border", "example")
GROUP_TYPES = {"G-KRIMP": "krimpregio", "G-ANTICIPEER": "anticipeerregio", "G-FOCUS": "focusgebied"}
TYPE_PLURAL = {"krimpregio": ("krimpregio's", "krimpregio's"), "anticipeerregio": ("anticipeerregio's", "anticipeerregio's"),
               "focusgebied": ("stedelijke focusgebieden", "urban focus areas")}


# ------------------------------------------------------------------ numbers and periods, per language
def _number(value: float, decimals: int, lang: str) -> str:
    text = f"{value:,.{decimals}f}".rstrip("0").rstrip(".") if decimals else f"{value:,.0f}"
    return text if lang == "en" else text.translate(str.maketrans(",.", ".,"))


def money(eur: float, lang: str) -> str:
    """An amount in EUR as people write it: € 8,5 mln / € 1,7 mld in Dutch, €8.5 mln / €1.7 bn in English."""
    if eur >= 1e9:
        amount, unit = _number(eur / 1e9, 2, lang), ("mld" if lang != "en" else "bn")
    else:
        amount, unit = _number(eur / 1e6, 1, lang), "mln"
    return f"€ {amount} {unit}" if lang != "en" else f"€{amount} {unit}"


def period(start, end, lang: str) -> str:
    """"2016–2020", "sinds 2022" for an ongoing measure, "2013–?" where the end is unknown."""
    first = str(start) if isinstance(start, int) else "?"
    if end == "ongoing":
        return f"{t('policy_since', lang)} {first}"
    return f"{first}–{end if isinstance(end, int) else '?'}"


def _year_of_deal(row) -> int:
    return row.year_signed if isinstance(row.year_signed, int) else int(row.year_selected)


# ------------------------------------------------------------------ the table as plain rows
def rows_of(pol: pd.DataFrame | list[dict], row) -> list:
    """The rows of a policy table (``Policies.table`` or ``Policies.rows``) as ``row``, a namedtuple
    of some of its columns, with plain Python values (NaN stays NaN)."""
    if isinstance(pol, pd.DataFrame):
        return [row(*values) for values in zip(*(pol[c].tolist() for c in row._fields))]
    return [row(*(r[c] for c in row._fields)) for r in pol]


def _nansum(values) -> float:
    """The sum of the numbers, NaN left out (as pandas sums a column: 0.0 for none)."""
    return float(np.nansum(np.asarray(values, dtype=float)))


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _numeric(value) -> float:
    """A cell as a number (pd.to_numeric(..., errors="coerce") of one value): NaN where it is none."""
    if isinstance(value, bool) or _missing(value):
        return math.nan
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


# ------------------------------------------------------------------ the summary
SummaryRow = namedtuple("SummaryRow", ("id", "kind", "scope", "via", "via_en", "name_nl", "name_en", "start_year",
                                       "end_year", "budget_eur", "tranche", "family", "year_signed", "year_selected"))


def summary_items(pol: pd.DataFrame | list[dict], lang: str, identified: dict[str, tuple[int, int]] | None = None,
                  whole_country: bool = False) -> list[str]:
    """What applies here as short lines: the defining programmes, each Regio Deal (a family of deals for
    one area on one line, with its total in EUR), then how many other measures the table holds."""
    en = lang == "en"
    via = "via_en" if en else "via"
    name = "name_en" if en else "name_nl"
    rows = rows_of(pol, SummaryRow)
    regional = [r for r in rows if r.scope == "regional"]
    programmes = [r for r in regional if r.id in PROGRAMMES]
    deals = [r for r in regional if r.kind == "regiodeal"]
    items = []
    if whole_country:
        tranches = {r.tranche for r in deals if not _missing(r.tranche)}
        items.append(t("policy_deals_total", lang, count=len(deals), tranches=len(tranches),
                       amount=money(_nansum([r.budget_eur for r in deals]), lang)))
    else:
        for r in programmes:
            items.append(f"{getattr(r, via)} ({getattr(r, name)} {period(r.start_year, r.end_year, lang)})")
        for family in _families(deals):
            parts = [f"tranche {int(r.tranche)}, {_year_of_deal(r)}, {money(r.budget_eur, lang)}" for r in family]
            if len(family) == 1:
                items.append(f"{getattr(family[0], via)}, {parts[0]}")
            else:
                total = money(_nansum([r.budget_eur for r in family]), lang)
                items.append(f"{getattr(family[0], via)}: {'; '.join(parts)} ({t('policy_together', lang)} {total})")
    for kind, (found, total) in (identified or {}).items():
        items.append(t("policy_identified", lang, kind=TYPE_PLURAL[kind][1 if en else 0], found=found, total=total))
    shown = len(programmes) + len(deals) if not whole_country else len(deals)
    others = len(regional) - shown
    national = sum(r.scope == "national" for r in rows)
    if others or national:
        items.append(t("policy_more", lang, regional=others, national=national))
    return items


def _families(deals: list) -> list[list]:
    """The deals by family, in order of (tranche, id) within and of each family's first deal between."""
    ordered = sorted(deals, key=lambda r: (_missing(r.tranche), 0 if _missing(r.tranche) else r.tranche, r.id))
    families: dict = {}
    for r in ordered:
        if not _missing(r.family):
            families.setdefault(r.family, []).append(r)
    return list(families.values())


def summary_block(items: list[str], lang: str) -> html.Div:
    body = html.Ul([html.Li(text) for text in items]) if items else html.P(t("policy_none", lang))
    return html.Div([html.Strong(t("policy_summary", lang)), body], id="policy-summary", className="policy-summary")


# ------------------------------------------------------------------ the panel
@lru_cache(maxsize=1024)
def policy_view(data: DashboardData, region: str, lang: str):
    """The policy panel (summary + collapsed table) and the trend chart's bands of a region."""
    api = data.api
    pol = api.policy_index.rows(region)  # the rows of api.policies(region), without building the table
    kind = api.region(region)["type"]
    index = api.policy_index
    if kind == "land":
        identified = {k: index.identified(k) for k in TYPE_PLURAL}
    elif kind in TYPE_PLURAL:
        identified = {kind: index.identified(kind)}
    elif region in GROUP_TYPES:
        identified = {GROUP_TYPES[region]: index.identified(GROUP_TYPES[region])}
    else:
        identified = {}
    items = summary_items(pol, lang, identified, whole_country=kind == "land")
    # Always rendered, even with no rows: the callback that fills it names these ids.
    full = folded.section(t("policy_all", lang, count=len(pol)), "policy-all-summary", "policy-all",
                          id="policy-all-details")
    return html.Div([summary_block(items, lang), full]), policy_bands(pol, region, latest=api.latest_year)


@lru_cache(maxsize=256)
def full_table(data: DashboardData, region: str, lang: str) -> html.Div:
    """Every measure that applies to a region, collapsed by kind (loaded when the section is opened)."""
    return policy_table(data.api.policies(region), lang)


BandRow = namedtuple("BandRow", ("id", "kind", "name", "scope", "own", "start_year", "end_year"))
BAND_RANK = {"classification": 1, "funding": 2, "programme": 3}


def policy_bands(pol: pd.DataFrame | list[dict], region: str, limit: int = 4, latest: int | None = None) -> list[dict]:
    """Bands on the trend chart for the region's own measures with a known period (not what reaches it
    through its province, a partly overlapping region or the whole country): the defining programmes
    first, then classifications, money and programmes; an ongoing measure runs to ``latest``.
    ``start`` and ``end`` are years."""
    bands = []
    for r in rows_of(pol, BandRow):
        if r.scope != "regional" or _missing(r.own) or not bool(r.own):
            continue
        ongoing = r.end_year == "ongoing" and latest is not None
        start, end = _numeric(r.start_year), (latest if ongoing else _numeric(r.end_year))
        if math.isnan(start) or math.isnan(end) or end < FIRST_YEAR:
            continue
        rank = 0 if r.id in PROGRAMMES else BAND_RANK.get(r.kind, 4)
        bands.append((rank, start, end, r))
    chosen = sorted(bands, key=lambda b: (b[0], b[1], b[3].id))[:limit]

    def years(start: float, end: float, r) -> str:
        return f"{int(start)}–{int(end)}" if r.end_year != "ongoing" else f"{int(start)}–"
    return [{"start": max(int(start), FIRST_YEAR), "end": int(end), "label": f"{_short(r.name)} ({years(start, end, r)})",
             "title": f"{r.name} ({years(start, end, r)})"} for _, start, end, r in sorted(chosen, key=lambda b: (b[1], b[3].id))]


def _short(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def policy_table(pol: pd.DataFrame, lang: str) -> html.Div:
    """Every row, collapsed by kind: the region's own kinds first, national measures in their own section."""
    regional = pol[pol["scope"] == "regional"]
    national = pol[pol["scope"] == "national"]
    sections = []
    for kind in KIND_ORDER:
        rows = regional[regional["kind"] == kind]
        if len(rows):
            sections.append(html.Details([html.Summary(f"{t('kind_' + kind, lang)} ({len(rows)})"), _policy_rows(rows, lang)]))
    if len(national):
        label = f"{t('national', lang).capitalize()} ({len(national)})"
        sections.append(html.Details([html.Summary(label), _policy_rows(national, lang)], className="policy-national"))
    return html.Div(sections, className="policy-sections")


# ------------------------------------------------------------------ one Markdown table per section
_md = markdown.escape


def _link_label(url: str) -> str:
    """What a reader recognises: the parliamentary paper for officielebekendmakingen, else the site."""
    if m := re.search(r"/kst-([0-9A-Za-z-]+)-(\d+)\.html", url):
        return f"Kamerstuk {m[1].replace('-', ' ')} nr. {m[2]}"
    if m := re.search(r"/stcrt-(\d{4})-(\d+)\.html", url):
        return f"Staatscourant {m[1]}, {m[2]}"
    return url.split("/")[2] if url.count("/") >= 2 else url


def _links(source: str) -> str:
    """The sources of a row as Markdown links (a part that is not a URL is kept as text)."""
    out = []
    for part in [p.strip() for p in str(source).split(" ; ") if p.strip()]:
        url = part.split(" ")[0]
        if url.startswith("http") and not re.search(r"[()\s]", url):
            out.append(f"[{_md(_link_label(url))}]({url})")
        else:
            out.append(_md(part))
    return ", ".join(out)


def _checked(checked, lang: str) -> str:
    """A mark for rows re-read against their sources, with the date of the last check."""
    last = str(checked).split(" | ")[-1]
    if not re.match(r"\d{4}-\d{2}-\d{2}", last):
        return ""
    return f"✓ {t('checked', lang)} {last[:10]}"


def _budget(row, lang: str) -> str:
    if pd.isna(row.budget_eur):
        return t("policy_unknown", lang)
    return f"{money(row.budget_eur, lang)} {t('basis_' + row.budget_basis, lang)}"


def _policy_rows(pol: pd.DataFrame, lang: str) -> dcc.Markdown:
    en = lang == "en"
    head = [t(k, lang) for k in ("name", "period", "ministry", "budget")] + [t("policy_why", lang), t("source", lang)]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    rows = pol.assign(_start=pd.to_numeric(pol["start_year"], errors="coerce")).sort_values(["_start", "id"])
    for r in rows.itertuples():
        # in English the official Dutch title follows, since that is what a reader will search for
        name = f"{r.name_en} ({r.name_nl})" if en and r.name_en != r.name_nl else r.name_nl
        description = r.description_en if en else r.description_nl
        ministry = r.ministry if not str(r.ministry).startswith(("unknown:", "none:")) else "—"
        checked = _checked(r.checked, lang)
        source = _links(r.source) + (f" — {_md(checked)}" if checked else "")
        cells = [f"**{_md(name)}** — {_md(description)}", period(r.start_year, r.end_year, lang), _md(ministry),
                 _md(_budget(r, lang)), _md(r.via_en if en else r.via), source]
        lines.append("| " + " | ".join(cells) + " |")
    return dcc.Markdown("\n".join(lines), className="policy-table", link_target="_blank",
                        style={"overflowX": "auto"})
