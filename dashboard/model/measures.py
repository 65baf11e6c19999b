"""The measures the dashboard offers, and ``derive()``: the one place measure arithmetic lives.

A measure is a kind of arithmetic on stored counts (harmonised sums for a region). Ratios,
shares, rates and indexes are never averaged over regions: a region's value is computed from
the region's summed counts, by ``derive``, which the series, the map values, the years, the API,
the CSV and the overview all call.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from store.settings import FIRST_YEAR

KINDS = ("count", "ratio", "share", "rate", "index", "growth")
# Flags from least to most remarkable; a derived figure carries the most remarkable of its inputs.
FLAG_ORDER = ("exact", "published", "estimated", "rounded", "projection")
FLAG_RANK = {f: i for i, f in enumerate(FLAG_ORDER)}
INDEX_SCALE = 100.0  # an index: the base year = 100


@dataclass(frozen=True)
class Measure:
    id: str
    name_nl: str
    name_en: str
    unit_nl: str
    unit_en: str
    numerator: str | tuple[str, ...]  # stored count(s), summed
    denominator: str | tuple[str, ...] | None = None
    scale: float = 1.0
    kind: str = "count"
    base_year: int | None = None  # index and growth: the base year (None: the first year, 2014)
    diverging: bool = False  # centred on 0 (growth, balances)

    @property
    def numerators(self) -> tuple[str, ...]:
        return (self.numerator,) if isinstance(self.numerator, str) else tuple(self.numerator)

    @property
    def denominators(self) -> tuple[str, ...]:
        if self.denominator is None:
            return ()
        return (self.denominator,) if isinstance(self.denominator, str) else tuple(self.denominator)

    @property
    def count_names(self) -> tuple[str, ...]:
        """Every stored count the measure is computed from."""
        return self.numerators + self.denominators

    @property
    def needs_base_year(self) -> bool:
        return self.kind in ("index", "growth")

    @property
    def is_ratio(self) -> bool:
        return self.kind != "count"

    @property
    def base(self) -> int:
        return self.base_year or FIRST_YEAR

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_nl

    def unit(self, lang: str) -> str:
        return self.unit_en if lang == "en" else self.unit_nl


def derive(kind: str, numerator, denominator=None, base_year: int | None = None, scale: float = 1.0):
    """A measure's value from summed counts, for every kind.

    ``numerator``/``denominator``: a Series indexed by year, or a DataFrame with years as
    columns (regions as rows). count: the numerator; ratio/share/rate: numerator / denominator
    x scale (persons per household: 1; % of inhabitants: 100; per 1,000: 1000); index:
    numerator / numerator[base_year] x scale (100: base year = 100); growth: (numerator /
    numerator[base_year] - 1) x scale (% since the base year). A zero denominator or a missing
    base year gives NaN, never a number.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown measure kind {kind!r}; known: {KINDS}")
    if kind == "count":
        return numerator * scale if scale != 1.0 else numerator
    if kind in ("ratio", "share", "rate"):
        return numerator / denominator.replace(0, np.nan) * scale
    if isinstance(numerator, pd.DataFrame):
        base = numerator[base_year] if base_year in numerator.columns else pd.Series(np.nan, index=numerator.index)
        relative = numerator.div(base.replace(0, np.nan), axis=0)
    else:
        base = numerator.get(base_year, np.nan)
        relative = numerator / base if base else numerator * np.nan
    return relative * scale if kind == "index" else (relative - 1.0) * scale


def index_base_year(points: pd.DataFrame, preferred: int = FIRST_YEAR) -> int | None:
    """The year a series is indexed on (and its change counted from): ``preferred`` (2014) when the
    series has an observed value then, else its first observed year; None without one. ``points``:
    year, value, flag (a projection is not an observation)."""
    value = points["value"].to_numpy(dtype=float)
    seen = points["year"].to_numpy()[~np.isnan(value) & (points["flag"].to_numpy() != "projection")]
    if not len(seen):
        return None
    years = set(seen.astype(int).tolist())
    return preferred if preferred in years else min(years)


def derive_ranks(kind: str, years: np.ndarray, numerator: np.ndarray, denominator: np.ndarray | None = None,
                 base_year: int | None = None) -> np.ndarray:
    """The flag rank (FLAG_RANK) of each derived figure: the most remarkable flag of the figures it
    is made of (an index of a year carries the base year's flag too). Ranks of numerator and
    denominator aligned on ``years`` (int array)."""
    if kind in ("ratio", "share", "rate") and denominator is not None:
        return np.maximum(numerator, denominator)
    if kind in ("index", "growth") and base_year in years:
        return np.maximum(numerator, numerator[np.flatnonzero(years == base_year)[0]])
    return numerator


def _m(*args, **kwargs) -> Measure:
    return Measure(*args, **kwargs)


AGES_15_64 = ("age_15_24", "age_25_44", "age_45_64")
MEASURES: dict[str, Measure] = {measure.id: measure for measure in [
    _m("population", "Bevolking op 1 januari", "Population on 1 January", "personen", "persons", "population"),
    _m("households", "Particuliere huishoudens (1 januari)", "Private households (1 January)", "huishoudens",
       "households", "households"),
    _m("persons_per_household", "Inwoners per particulier huishouden", "Inhabitants per private household",
       "personen per huishouden", "persons per household", "population", "households", kind="ratio"),
    _m("growth_since_2014", "Bevolkingsgroei sinds 2014", "Population growth since 2014", "%", "%",
       "population", scale=100.0, kind="growth", diverging=True),
    _m("households_growth", "Groei huishoudens sinds 2014", "Growth of households since 2014", "%", "%",
       "households", scale=100.0, kind="growth", diverging=True),
    _m("births", "Levend geborenen", "Live births", "personen per jaar", "persons per year", "births"),
    _m("deaths", "Overledenen", "Deaths", "personen per jaar", "persons per year", "deaths"),
    _m("natural_growth", "Geboorteoverschot", "Natural growth (births minus deaths)", "personen per jaar",
       "persons per year", "natural_growth", diverging=True),
    _m("net_migration", "Migratiesaldo (incl. correcties)", "Net migration (incl. corrections)",
       "personen per jaar", "persons per year", "net_migration", diverging=True),
    _m("natural_growth_rate", "Geboorteoverschot per 1000 inwoners", "Natural growth per 1,000 inhabitants",
       "per 1000 inwoners", "per 1,000 inhabitants", "natural_growth", "population", 1000.0, kind="rate", diverging=True),
    _m("net_migration_rate", "Migratiesaldo per 1000 inwoners", "Net migration per 1,000 inhabitants",
       "per 1000 inwoners", "per 1,000 inhabitants", "net_migration", "population", 1000.0, kind="rate", diverging=True),
    _m("immigration", "Immigratie", "Immigration", "personen per jaar", "persons per year", "immigration"),
    _m("emigration", "Emigratie (incl. correcties)", "Emigration (incl. corrections)", "personen per jaar",
       "persons per year", "emigration"),
    _m("age_0_14", "Inwoners 0 tot 15 jaar", "Inhabitants aged 0-14", "personen", "persons", "age_0_14"),
    _m("age_15_24", "Inwoners 15 tot 25 jaar", "Inhabitants aged 15-24", "personen", "persons", "age_15_24"),
    _m("age_25_44", "Inwoners 25 tot 45 jaar", "Inhabitants aged 25-44", "personen", "persons", "age_25_44"),
    _m("age_45_64", "Inwoners 45 tot 65 jaar", "Inhabitants aged 45-64", "personen", "persons", "age_45_64"),
    _m("age_65_plus", "Inwoners 65 jaar of ouder", "Inhabitants aged 65 or over", "personen", "persons", "age_65_plus"),
    _m("age_80_plus", "Inwoners 80 jaar of ouder", "Inhabitants aged 80 or over", "personen", "persons", "age_80_plus"),
    _m("share_0_14", "Aandeel 0 tot 15 jaar", "Share aged 0-14", "% van inwoners", "% of inhabitants",
       "age_0_14", "population", 100.0, kind="share"),
    _m("share_65_plus", "Aandeel 65 jaar of ouder", "Share aged 65 or over", "% van inwoners", "% of inhabitants",
       "age_65_plus", "population", 100.0, kind="share"),
    _m("share_80_plus", "Aandeel 80 jaar of ouder", "Share aged 80 or over", "% van inwoners", "% of inhabitants",
       "age_80_plus", "population", 100.0, kind="share"),
    # CBS's own pressures use 20-64 (and 0-19); the age bands we have for every year since 2014
    # split at 15, so these are 0-14 and 65+ per 100 aged 15-64, and are named so.
    _m("grey_pressure", "Grijze druk (65+ per 100 van 15-64 jaar)", "Grey pressure (65+ per 100 aged 15-64)",
       "per 100 van 15-64 jaar", "per 100 aged 15-64", "age_65_plus", AGES_15_64, 100.0, kind="ratio"),
    _m("green_pressure", "Groene druk (0-14 per 100 van 15-64 jaar)", "Green pressure (0-14 per 100 aged 15-64)",
       "per 100 van 15-64 jaar", "per 100 aged 15-64", "age_0_14", AGES_15_64, 100.0, kind="ratio"),
]}


def measure(measure_id: str) -> Measure:
    try:
        return MEASURES[measure_id]
    except KeyError:
        raise KeyError(f"unknown measure {measure_id!r}; known: {', '.join(MEASURES)}") from None
