"""Series arithmetic: a region's stored counts per year (summed from harmonised gemeenten, or
CBS's own totals, or a focusgebied's wijken), turned into a measure by ``derive``, with the
PBL/CBS projection after the last observed year.

Flags of a point: ``exact`` (every figure exact, whole gemeenten), ``estimated`` (a split or a
gemeente counted in part), ``rounded`` (a figure CBS published rounded to 5 went into it:
households 2014 after "Moerdijk", KWB wijk counts), ``published`` (as CBS published it, on that
year's own map), ``projection`` (PBL/CBS prognosis; ``lower``/``upper`` its 67 % interval where
CBS publishes one for this very region).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Callable, NamedTuple

import numpy as np
import pandas as pd

from dashboard.i18n import TEXT
from dashboard.model.measures import FLAG_ORDER, FLAG_RANK, MEASURES, Measure, derive, derive_ranks
from store.files import Store

BOUNDARIES = ("latest", "published")
POINT_COLUMNS = ["year", "value", "flag", "lower", "upper"]
FULL_SHARE = 0.999  # a member share at or above this counts as the whole gemeente
PROJECTION = ("population_projection", "population_projection_lower", "population_projection_upper")
# What a focusgebied's wijken hold under another name than the gemeente figure.
WIJK_STORED = {"population": "kwb_population", "households": "kwb_households"}


class UnknownMeasure(KeyError):
    def __str__(self) -> str:
        return str(self.args[0])


@dataclass(frozen=True)
class Note:
    """A remark on a series, as a key and its values, worded in Dutch or English on demand."""

    key: str
    args: dict

    def text(self, lang: str = "en") -> str:
        return TEXT[self.key]["en" if lang == "en" else "nl"].format(**self.args)

    def __str__(self) -> str:
        return self.text("en")


@dataclass(frozen=True)
class Series:
    """One region's yearly values of one measure. Immutable: it is memoised and shared by every
    request of a worker, so a view that needs less (one year) makes a new Series with
    ``only_year``; ``points`` is a private copy whose arrays are read-only."""

    region: str
    measure: str
    unit: str
    boundaries: str
    sources: tuple[str, ...]
    data_date: str
    points: pd.DataFrame  # year, value, flag, lower, upper
    notes: tuple[Note, ...] = ()

    def __post_init__(self):
        points = self.points.copy()
        for column in points.columns:
            values = points[column].to_numpy()
            values.flags.writeable = False  # an in-place write raises instead of changing every view
        object.__setattr__(self, "points", points)
        object.__setattr__(self, "sources", tuple(self.sources))
        object.__setattr__(self, "notes", tuple(self.notes))

    def only_year(self, year: int) -> "Series":
        return replace(self, points=self.points[self.points["year"] == year])

    def as_dict(self) -> dict:
        def num(v):
            return None if pd.isna(v) else float(v)
        return {
            "region": self.region, "measure": self.measure, "unit": self.unit,
            "boundaries": self.boundaries, "sources": list(self.sources), "data_date": self.data_date,
            "notes": [str(n) for n in self.notes],
            "points": [
                {"year": int(r.year), "value": num(r.value), "flag": r.flag, "lower": num(r.lower), "upper": num(r.upper)}
                for r in self.points.itertuples()
            ],
        }


def _empty() -> tuple[pd.Series, pd.Series]:
    return pd.Series(dtype=float), pd.Series(dtype=object)


class SeriesModel:
    """Counts and measures of every region, from one store (read-only, computed once)."""

    def __init__(self, store: Store, codes: list[str], gemeenten: list[str],
                 member_shares: Callable[[str], pd.Series], wijk_codes: Callable[[str], list[str]]):
        self.store = store
        self.first_year = int(store.metadata["first_year"])
        self.member_shares = member_shares
        self.wijk_codes = wijk_codes
        self.gemeenten = gemeenten
        tables = store.tables
        harm = tables["harmonised"]
        self.values = {measure: rows.pivot(index="region_code", columns="year", values="value")
                       for measure, rows in harm.groupby("measure")}
        self.ranks = {measure: rows.assign(r=rows["flag"].map(FLAG_RANK)).pivot(index="region_code", columns="year", values="r")
                      for measure, rows in harm.groupby("measure")}
        obs = tables["observations"]
        if "flag" not in obs.columns:
            obs = obs.assign(flag="exact")
        top = obs[obs["level"] != "wijk"]
        self.published = {measure: rows.pivot(index="region_code", columns="year", values="value")
                          for measure, rows in top.groupby("measure")}
        self.published_flags = {measure: rows.pivot(index="region_code", columns="year", values="flag")
                                for measure, rows in top.groupby("measure")}
        self.sources = obs.groupby("measure")["source_table"].agg(lambda s: sorted(set(s))).to_dict()
        wijk = obs[obs["level"] == "wijk"]
        self.wijk = {measure: rows.pivot(index="region_code", columns="year", values="value")
                     for measure, rows in wijk.groupby("measure")}
        self.wijk_sets = {(gm, int(y)): frozenset(g["region_code"])
                          for (gm, y), g in wijk[wijk["measure"] == "kwb_population"]
                          .assign(gm="GM" + wijk["region_code"].str[2:6]).groupby(["gm", "year"])}
        self.corop = tables["corop_members"] if "corop_members" in tables else pd.DataFrame(columns=["gemeente_code", "corop_code"])
        self.corop_sets = self.corop.groupby("corop_code")["gemeente_code"].apply(set).to_dict()
        self.region_values, self.region_ranks = self._region_counts(codes)
        # The same tables as numpy arrays, for one region's row without pandas indexing (read-only).
        self._summed_rows = {name: _Rows.of(values, self.region_ranks[name]) for name, values in self.region_values.items()}
        self._published_rows = {name: _Rows.of(values, self.published_flags[name].map(FLAG_RANK.get))
                                for name, values in self.published.items()}

    # ----------------------------------------------------------------- counts
    def _region_counts(self, codes: list[str]) -> tuple[dict[str, pd.DataFrame], dict[str, pd.DataFrame]]:
        """Every stored count for every region and year at once: shares (regions x gemeenten)
        times harmonised values (gemeenten x years). A year is missing for a region when any
        member lacks it; its flag is the most remarkable of its members' flags, and at least
        ``estimated`` when a member counts in part."""
        gemeenten = self.gemeenten
        column = {g: j for j, g in enumerate(gemeenten)}
        weights = np.zeros((len(codes), len(gemeenten)))
        for i, code in enumerate(codes):
            member = self.member_shares(code)
            for gemeente, share in zip(member.index, member.to_numpy(dtype=float)):
                if gemeente in column:
                    weights[i, column[gemeente]] = share
        is_member = (weights > 0).astype(float)
        partial = ((weights > 0) & (weights < FULL_SHARE)).any(axis=1)
        values, ranks = {}, {}
        for count_name, table in self.values.items():
            block = table.reindex(gemeenten)
            data = block.to_numpy()
            missing = is_member @ np.isnan(data).astype(float) > 0
            summed = weights @ np.nan_to_num(data)
            summed[missing] = np.nan
            values[count_name] = pd.DataFrame(summed, index=codes, columns=block.columns)
            member_ranks = self.ranks[count_name].reindex(index=gemeenten, columns=block.columns).fillna(0).to_numpy()
            rank = np.zeros_like(summed)
            for flag in ("estimated", "rounded"):  # the most remarkable member flag wins
                r = FLAG_RANK[flag]
                rank = np.where(is_member @ (member_ranks >= r).astype(float) > 0, r, rank)
            rank = np.where(partial[:, None], np.maximum(rank, FLAG_RANK["estimated"]), rank)
            ranks[count_name] = pd.DataFrame(rank, index=codes, columns=block.columns)
        return values, ranks

    def counts(self, code: str, count_name: str, boundaries: str) -> tuple[pd.Series, pd.Series]:
        """A stored count of a region per year, and each year's flag (``count_arrays`` as Series)."""
        got = self.count_arrays(code, count_name, boundaries)
        index = pd.Index(got.years)
        return pd.Series(got.values, index=index, dtype=float), pd.Series(flag_names(got.ranks), index=index, dtype=object)

    def count_arrays(self, code: str, count_name: str, boundaries: str) -> "Counts":
        """A stored count of a region per year, with each year's flag rank (FLAG_RANK).

        Published boundaries: CBS's figure for the region as it was that year. Nederland on
        today's map: CBS's own national total where published (the map does not change it),
        else the sum of all gemeenten. Other regions: the sum of their members' harmonised counts.
        """
        if boundaries == "published" or code == "NL01":
            rows = self._published_rows.get(count_name)
            own = rows.row(code) if rows is not None else EMPTY
            if boundaries == "published":
                return own._replace(ranks=np.where(own.ranks == RANK["rounded"], RANK["rounded"], RANK["published"]))
            summed = self._summed(code, count_name)
            # All gemeenten together are Nederland whatever the map: a split only moves people.
            summed = summed._replace(ranks=np.where(summed.ranks == RANK["estimated"], RANK["exact"], summed.ranks))
            unpublished = summed.at(np.setdiff1d(summed.years, own.years))  # years without a national figure
            order = np.argsort(np.concatenate([own.years, unpublished.years]), kind="stable")
            return Counts(*(np.concatenate(pair)[order] for pair in zip(own, unpublished)))
        return self._summed(code, count_name)

    def _summed(self, code: str, count_name: str) -> "Counts":
        rows = self._summed_rows.get(count_name)
        return rows.row(code) if rows is not None else EMPTY

    def wijk_counts(self, code: str, count_name: str) -> tuple[pd.Series, pd.Series, list[int]]:
        """The sum of a focusgebied's wijken per year, for the years in which its gemeente's wijk
        division is the one the wijken were named on (same set of wijk codes as the newest year
        that has them all); other years are left out and returned as the third value."""
        wijken = self.wijk_codes(code)
        count_name = WIJK_STORED.get(count_name, count_name)
        table = self.wijk.get(count_name)
        if not wijken or table is None:
            return *_empty(), []
        gm = "GM" + wijken[0][2:6]
        years = sorted(y for (g, y) in self.wijk_sets if g == gm)
        named = [y for y in years if set(wijken) <= self.wijk_sets[(gm, y)]]
        if not named:
            return *_empty(), years
        division = self.wijk_sets[(gm, max(named))]
        same = [y for y in years if self.wijk_sets[(gm, y)] == division]
        block = table.reindex(index=wijken, columns=same)
        complete = block.notna().all(axis=0)
        values = block.loc[:, complete].sum(axis=0)
        values.index = values.index.astype(int)
        return values, pd.Series("rounded", index=values.index), [y for y in years if y not in values.index]

    # ----------------------------------------------------------------- measures
    @staticmethod
    def measure_counts(parts: tuple[str, ...], count) -> "Counts":
        """The sum of stored counts (15-64 = three bands) per year, where every part is there;
        ``count(name)`` gives the Counts of one stored count."""
        got = [count(p) for p in parts]
        if not got or any(len(c.years) == 0 for c in got):
            return EMPTY
        years = got[0].years
        for c in got[1:]:
            years = np.intersect1d(years, c.years)
        values = sum(c.at(years).values for c in got)
        ranks = np.max([c.at(years).ranks for c in got], axis=0)
        return Counts(years, values, ranks)

    def derived(self, measure: Measure, count) -> "Counts":
        """A measure's values and flag ranks from ``count(name)``, the Counts of a stored count
        (years without a value left out)."""
        num = self.measure_counts(measure.numerators, count)
        den = self.measure_counts(measure.denominators, count) if measure.denominators else None
        if den is not None:
            years = np.intersect1d(num.years, den.years)
            num, den = num.at(years), den.at(years)
        values = derive(measure.kind, num.series(), den.series() if den is not None else None, measure.base, measure.scale)
        values = np.asarray(values, dtype=float)
        ranks = derive_ranks(measure.kind, num.years, num.ranks, den.ranks if den is not None else None, measure.base)
        keep = ~np.isnan(values)
        return Counts(num.years[keep], values[keep], ranks[keep])

    def projection(self, code: str, members: pd.Series) -> tuple[pd.DataFrame, str | None]:
        """PBL/CBS population projection of a region (year, value, lower, upper), and a note key.

        Published regions (NL, provinces, the gemeenten CBS publishes) get CBS's own figures and
        interval. A region of whole gemeenten gets the sum of whole COROP regions and published
        gemeenten where its members make up exactly that (never prorated), without an interval
        (the interval of a sum is not the sum of the intervals)."""
        table = self.published.get(PROJECTION[0])
        if table is None:
            return pd.DataFrame(columns=["year", "value", "lower", "upper"]), "projection_none"

        def own(region: str) -> pd.DataFrame:
            value = self._published_rows[PROJECTION[0]].row(region)
            low, up = (self._published_rows.get(k) for k in PROJECTION[1:])
            return pd.DataFrame({"year": value.years, "value": value.values,
                                 "lower": low.at(region, value.years) if low is not None else np.nan,
                                 "upper": up.at(region, value.years) if up is not None else np.nan})

        if code in table.index and (not code.startswith("GM") or code in self.gemeenten):
            return own(code), "projection_published"
        if len(members) == 0 or (members < FULL_SHARE).any():
            return pd.DataFrame(columns=["year", "value", "lower", "upper"]), "projection_none"
        left = set(members.index)
        parts = []
        for corop, gemeenten in self.corop_sets.items():
            if gemeenten <= left and corop in table.index:
                parts.append(corop)
                left -= gemeenten
        for gm in sorted(left):
            if gm in table.index:
                parts.append(gm)
                left.discard(gm)
        if left:
            return pd.DataFrame(columns=["year", "value", "lower", "upper"]), "projection_none"
        if len(parts) == 1:  # exactly one published region: CBS's own figures and interval
            return own(parts[0]), "projection_published"
        summed = table.loc[parts].sum(axis=0, min_count=len(parts)).dropna()
        frame = pd.DataFrame({"year": summed.index.astype(int), "value": summed.values, "lower": np.nan, "upper": np.nan})
        return frame, "projection_summed"

    def sources_of(self, measure: Measure) -> list[str]:
        out: list[str] = []
        for count_name in measure.count_names:
            out += [f"CBS {table}" for table in self.sources.get(count_name, []) if f"CBS {table}" not in out]
        return out


def points(values: pd.Series, flags: pd.Series) -> pd.DataFrame:
    return pd.DataFrame({"year": values.index.astype(int), "value": values.values.astype(float),
                         "flag": flags.reindex(values.index).values, "lower": np.nan, "upper": np.nan})


def points_of(counts: "Counts", ahead: pd.DataFrame | None = None) -> pd.DataFrame:
    """``points`` of Counts: year, value, flag (by name), lower, upper (NaN); then the rows of
    ``ahead`` (year, value, lower, upper: a projection after the last year) flagged "projection"."""
    if ahead is None:
        return pd.DataFrame({"year": counts.years.astype(int), "value": counts.values.astype(float),
                             "flag": flag_names(counts.ranks), "lower": np.nan, "upper": np.nan})
    n, m = len(counts.years), len(ahead)
    return pd.DataFrame({
        "year": np.concatenate([counts.years.astype(int), ahead["year"].to_numpy()]),
        "value": np.concatenate([counts.values.astype(float), ahead["value"].to_numpy(dtype=float)]),
        "flag": np.concatenate([flag_names(counts.ranks), np.full(m, "projection", dtype=object)]),
        "lower": np.concatenate([np.full(n, np.nan), ahead["lower"].to_numpy(dtype=float)]),
        "upper": np.concatenate([np.full(n, np.nan), ahead["upper"].to_numpy(dtype=float)]),
    })


RANK = FLAG_RANK
_FLAG_NAMES = np.array(FLAG_ORDER, dtype=object)


def flag_names(ranks: np.ndarray) -> np.ndarray:
    """Flag names (object array) of flag ranks."""
    return _FLAG_NAMES[np.asarray(ranks, dtype=int)]


class Counts(NamedTuple):
    """A count or measure of one region per year as arrays: ``years`` (int, ascending, unique),
    ``values`` (float, in the count's unit) and ``ranks`` (int, FLAG_RANK of each year's flag)."""

    years: np.ndarray
    values: np.ndarray
    ranks: np.ndarray

    def at(self, years: np.ndarray) -> "Counts":
        """The entries of ``years`` (which must all be present)."""
        if len(years) == len(self.years):
            return self
        pick = np.searchsorted(self.years, years)
        return Counts(self.years[pick], self.values[pick], self.ranks[pick])

    def series(self) -> pd.Series:
        """The values as a Series by year (for ``derive``)."""
        return pd.Series(self.values, index=self.years, dtype=float)


EMPTY = Counts(np.array([], dtype=int), np.array([], dtype=float), np.array([], dtype=int))


@dataclass(frozen=True)
class _Rows:
    """A table of regions x years (values and flag ranks) as arrays, for one region's row."""

    index: dict[str, int]
    years: np.ndarray
    values: np.ndarray
    ranks: np.ndarray

    @classmethod
    def of(cls, values: pd.DataFrame, ranks: pd.DataFrame) -> "_Rows":
        ranks = ranks.reindex(index=values.index, columns=values.columns)
        return cls({code: i for i, code in enumerate(values.index)}, values.columns.to_numpy().astype(int),
                   values.to_numpy(dtype=float), ranks.to_numpy(dtype=float))

    def at(self, code: str, years: np.ndarray) -> np.ndarray:
        """A region's values in ``years`` (NaN where the table has none)."""
        out = np.full(len(years), np.nan)
        i = self.index.get(code)
        if i is None or not len(self.years):
            return out
        column = np.minimum(np.searchsorted(self.years, years), len(self.years) - 1)
        found = self.years[column] == years
        out[found] = self.values[i][column[found]]
        return out

    def row(self, code: str) -> Counts:
        """A region's years with a value; EMPTY for a region not in the table."""
        i = self.index.get(code)
        if i is None:
            return EMPTY
        values = self.values[i]
        keep = ~np.isnan(values)
        return Counts(self.years[keep], values[keep], self.ranks[i][keep].astype(int))


def check_measure(measure_id: str) -> Measure:
    if measure_id not in MEASURES:
        raise UnknownMeasure(f"unknown measure {measure_id!r}; known: {', '.join(MEASURES)}")
    return MEASURES[measure_id]


CBS_REGION = re.compile(r"^(GM\d{4}|PV\d{2}|NL01)$")
