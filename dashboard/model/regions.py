"""Regions as one concept, and the small API the dashboard uses: ``regions()``,
``series(region, measure, boundaries)``, ``members(region)`` and ``policies(region, year)``.

A region is a gemeente, a provincie, Nederland, a policy region (krimpregio, anticipeerregio,
focusgebied, Regio Deal area) or a group of them. Everything is computed from the store; a
region's counts are the (share-weighted) sums of its current gemeenten's harmonised counts.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import pandas as pd

from dashboard.model.measures import derive
from dashboard.model.series import (  # noqa: F401  (BOUNDARIES, Note, Series, UnknownMeasure: part of this API)
    BOUNDARIES, CBS_REGION, FULL_SHARE, Note, Series, SeriesModel, UnknownMeasure, check_measure, points,
)
from dashboard.model.policies import Policies
from store.files import Store

# Region types: the CBS levels shown as regions, the policy region types (geo/register.py, read
# from the store: RegionAPI.policy_types) and the groups below. RegionAPI.types lists them all.
CBS_TYPES = ("gemeente", "provincie", "land")
GROUP_TYPE = "groep"
GROUPS = {
    "G-KRIMP": ("Alle krimpregio's", "All krimpregio's (shrinking regions)", "krimpregio"),
    "G-ANTICIPEER": ("Alle anticipeerregio's", "All anticipeerregio's (anticipating regions)", "anticipeerregio"),
    "G-FOCUS": ("Gemeenten met een stedelijk focusgebied", "Gemeenten with an urban focus area", "focusgebied"),
    "G-REGIODEAL": ("Alle Regio Deal-gebieden", "All Regio Deal areas", "regiodeal"),
    "G-REST": ("Rest van Nederland (geen krimp- of anticipeerregio)", "Rest of the Netherlands (neither krimp nor anticipeer)", None),
}


class UnknownRegion(KeyError):
    def __str__(self) -> str:
        return str(self.args[0])


def _clean_name(name: str) -> str:
    return re.sub(r" \((gemeente|PV)\)$", "", name)


class RegionAPI:
    """Read-only view of a store as regions, series, members and policies."""

    def __init__(self, store: Store):
        self.store = store
        tables = store.tables
        self.latest_year = int(store.metadata["latest_year"])
        self.first_year = int(store.metadata["first_year"])
        self.policy_types = store.policy_types
        self.types = (*CBS_TYPES, *self.policy_types, GROUP_TYPE)
        reg = tables["regions"]
        current = reg[(reg["last_year"] == self.latest_year) & reg["level"].isin(CBS_TYPES)]
        self.current_gemeenten = current[current["level"] == "gemeente"]
        self.province_of = dict(zip(self.current_gemeenten["code"], self.current_gemeenten["province"]))
        self.names = {c: _clean_name(n) for c, n in zip(reg["code"], reg["name"])}
        self.policy_regions = tables["policy_regions"].set_index("code")
        self.members_table = tables["policy_members"]
        self.measures_table = tables["policy_measures"]
        self._regions = self._build_regions(current)

        self._by_code = {code: row for code, row in self._regions.set_index("code", drop=False).iterrows()}
        # The store is read-only, so answers can be memoised per instance.
        # Bounded memos (about 1-4 KB per series, 3 KB per member list, up to 30 KB per policy
        # table): at most ~16 + 3 + 16 MB, whatever years or regions clients ask for.
        self.series = lru_cache(maxsize=4096)(self._series)
        self.members = lru_cache(maxsize=1024)(self._members)
        self.model = SeriesModel(store, list(self._regions["code"]), list(self.current_gemeenten["code"]),
                                 self.member_shares, self._wijk_codes)
        changes = tables["changes"]
        # The prognosis is on the 2021 division: gemeenten changed since then have no own projection.
        self._changed_since_2021 = set(changes.loc[changes["map_year"] > 2021, ["from_code", "to_code"]].stack())
        # Policies: the register's rows for a region, and why each applies (dashboard/model/policies.py).
        self.policy_index = Policies(self)
        self.policies = lru_cache(maxsize=512)(self.policy_index.table)

    # ----------------------------------------------------------------- regions
    def _build_regions(self, current: pd.DataFrame) -> pd.DataFrame:
        rows = []
        for r in current.itertuples():
            kind = r.level  # a CBS level is the region's type
            name = _clean_name(r.name)
            name_en = "Netherlands" if r.code.startswith("NL") else name
            rows.append((r.code, name, name_en, kind, r.province if kind == "gemeente" else None))
        with_members = set(self.members_table["region_code"])
        for code, r in self.policy_regions.iterrows():
            if code in with_members:
                rows.append((code, r["name_nl"], r["name_en"], r["type"], None))
        for code, (nl, en, _) in GROUPS.items():
            rows.append((code, nl, en, GROUP_TYPE, None))
        return pd.DataFrame(rows, columns=["code", "name_nl", "name_en", "type", "province"])

    def regions(self) -> pd.DataFrame:
        """All regions: code, name_nl, name_en, type, province (for gemeenten), members."""
        out = self._regions.copy()
        out["members"] = [list(self.member_shares(c).index) for c in out["code"]]
        return out

    def codes(self) -> set[str]:
        """Every region code the API answers for."""
        return set(self._regions["code"])

    def region(self, code: str) -> pd.Series:
        try:
            return self._by_code[code]
        except KeyError:
            raise UnknownRegion(
                f"unknown region {code!r}: not a current gemeente, provincie, NL01, policy region or group"
            ) from None

    def name(self, code: str, lang: str = "nl") -> str:
        row = self.region(code)
        return row["name_en"] if lang == "en" else row["name_nl"]

    # ----------------------------------------------------------------- members
    def member_shares(self, code: str) -> pd.Series:
        """Current gemeenten of a region and the share of each that belongs to it (0-1]."""
        kind = self.region(code)["type"]
        gm = self.current_gemeenten["code"]
        if kind == "gemeente":
            return pd.Series({code: 1.0})
        if kind == "provincie":
            return pd.Series(1.0, index=[c for c in gm if self.province_of.get(c) == code])
        if kind == "land":
            return pd.Series(1.0, index=list(gm))
        if kind == "groep":
            return self._group_shares(code)
        rows = self.members_table[self.members_table["region_code"] == code]
        return pd.Series(rows["share"].astype(float).values, index=rows["gemeente_code"].values)

    def _group_shares(self, code: str) -> pd.Series:
        def union(region_type: str) -> pd.Series:
            kinds = self.policy_regions["type"]
            codes = set(kinds[kinds == region_type].index)
            rows = self.members_table[self.members_table["region_code"].isin(codes)]
            return rows.groupby("gemeente_code")["share"].max().astype(float)
        kind = GROUPS[code][2]
        if kind:
            return union(kind)
        policy = pd.concat([union("krimpregio"), union("anticipeerregio")]).groupby(level=0).max()
        rest = pd.Series(1.0, index=list(self.current_gemeenten["code"])).sub(policy, fill_value=0.0)
        return rest[rest > 0.001]

    def _members(self, code: str) -> pd.DataFrame:
        """Member gemeenten: gemeente_code, name, share, partial (and basis for policy regions)."""
        shares = self.member_shares(code)
        out = pd.DataFrame({"gemeente_code": shares.index, "share": shares.values})
        out["name"] = out["gemeente_code"].map(self.names)
        listed = self.members_table[self.members_table["region_code"] == code]  # the register's member rows
        if len(listed):
            out = out.merge(listed[["gemeente_code", "partial", "wijk_codes", "basis", "confidence"]], on="gemeente_code", how="left")
        else:
            out["partial"] = out["share"] < FULL_SHARE
        return out

    # ----------------------------------------------------------------- series
    def _wijk_codes(self, code: str) -> list[str]:
        """The CBS wijken the register names for a focusgebied (empty for other regions)."""
        if code not in self.policy_regions.index or self.policy_regions.at[code, "type"] != "focusgebied":
            return []
        rows = self.members_table[self.members_table["region_code"] == code]
        return sorted({c for text in rows["wijk_codes"] for c in str(text).split()})

    def _series(self, code: str, measure_id: str, boundaries: str = "latest") -> Series:
        measure = check_measure(measure_id)
        if boundaries not in BOUNDARIES:
            raise ValueError(f"boundaries must be one of {BOUNDARIES}, not {boundaries!r}")
        row = self.region(code) if boundaries == "latest" or code not in self.names else None
        if boundaries == "published" and not CBS_REGION.match(code):
            raise ValueError(f"region {code!r}: published boundaries exist only for CBS regions (gemeente, provincie, NL01)")
        model = self.model
        notes = self._notes(code, row) if row is not None else []
        wijken = self._wijk_codes(code) if boundaries == "latest" else []
        if wijken:
            missing: list[int] = []

            def count(count_name):
                values, flags, gone = model.wijk_counts(code, count_name)
                missing.extend(y for y in gone if y not in missing)
                return values, flags
            values, flags = model.derived(measure, count)
            gemeente = self.names.get(self.member_shares(code).index[0], "")
            notes.append(Note("focus_wijk_sum", {"wijken": ", ".join(wijken), "gemeente": gemeente,
                                                 "missing": ", ".join(map(str, sorted(missing)))}) if missing
                         else Note("focus_wijk_sum_all", {"wijken": ", ".join(wijken), "gemeente": gemeente}))
        elif row is not None and row["type"] == "focusgebied":
            values, flags = pd.Series(dtype=float), pd.Series(dtype=object)  # never the whole gemeente
        else:
            values, flags = model.derived(measure, lambda count_name: model.counts(code, count_name, boundaries))
        pts = points(values, flags)
        if boundaries == "latest" and not wijken and measure.id == "population" and (row is None or row["type"] != "focusgebied"):
            pts, key = self._with_projection(code, pts)
            notes.append(Note(key, {}))
        elif boundaries == "latest" and measure.id == "households":
            notes.append(Note("projection_households_missing", {}))
        return Series(code, measure_id, measure.unit_en, boundaries, model.sources_of(measure), self.store.data_date, pts, notes)

    def _with_projection(self, code: str, pts: pd.DataFrame) -> tuple[pd.DataFrame, str]:
        shares = self.member_shares(code)
        if code.startswith("GM") and code in self._changed_since_2021:
            return pts, "projection_none"
        proj, key = self.model.projection(code, shares)
        last = int(pts["year"].max()) if len(pts) else None
        if last is None or proj.empty:
            return pts, "projection_none" if proj.empty else key
        ahead = proj[proj["year"] > last].assign(flag="projection")
        return pd.concat([pts, ahead[pts.columns]], ignore_index=True), key

    def _notes(self, code: str, row) -> list[Note]:
        notes = []
        if row["type"] == "focusgebied":
            gm = self.member_shares(code).index[0]
            if not self._wijk_codes(code):
                notes.append(Note("focus_no_wijken", {"name": self.names.get(gm, gm), "code": gm}))
        elif row["type"] not in CBS_TYPES:
            partial = self.members(code)
            partial = partial[partial["partial"].fillna(False).astype(bool) & (partial["share"] >= 0.001)]
            # One note per kind, listing the gemeenten: a deal of nine town centres is one remark.
            counted = partial[partial["share"] < FULL_SHARE]
            whole = partial[partial["share"] >= FULL_SHARE]
            if len(counted):
                parts = ", ".join(f"{r.name} ({r.share:.0%})" for r in counted.itertuples())
                notes.append(Note("share_counted", {"parts": parts}))
            if len(whole):
                notes.append(Note("whole_gemeente_part", {"names": ", ".join(whole["name"])}))
        return notes

    def gemeente_values(self, measure_id: str, year: int, boundaries: str = "latest") -> pd.Series:
        """One year's value of a measure for every gemeente (for the map), vectorised: today's
        gemeenten (harmonised) or, with ``boundaries="published"``, the gemeenten of that year."""
        measure = check_measure(measure_id)
        model = self.model
        if boundaries == "published":
            source = model.published
            population = source["population"]
            codes = [c for c in population.index if c.startswith("GM") and year in population.columns
                     and not pd.isna(population.at[c, year])]
        else:
            source = model.values
            codes = list(self.current_gemeenten["code"])
        wanted = sorted({year, measure.base})

        def block(parts: tuple[str, ...]) -> pd.DataFrame:
            frames = [source[p].reindex(index=codes, columns=wanted) if p in source
                      else pd.DataFrame(np.nan, index=codes, columns=wanted) for p in parts]
            return sum(frames[1:], frames[0])

        num = block(measure.numerators)
        den = block(measure.denominators) if measure.denominators else None
        return derive(measure.kind, num, den, measure.base, measure.scale)[year]

    def years(self, measure_id: str) -> list[int]:
        """Years in which today's gemeenten have every count the measure needs."""
        measure = check_measure(measure_id)
        years: set | None = None
        for count_name in measure.count_names:
            table = self.model.values.get(count_name)
            have = set(table.columns[table.notna().any(axis=0)]) if table is not None else set()
            years = have if years is None else years & have
        if measure.needs_base_year and measure.base not in (years or set()):
            return []
        return sorted(int(y) for y in years or ())

    def wijk_figures(self, code: str) -> pd.DataFrame:
        """Figures of the newest KWB year of the CBS wijken a focusgebied is given as (candidates,
        see the register's basis): code, name, inhabitants, households, share 65+ (%)."""
        codes = self._wijk_codes(code) or sorted({c for text in self.members_table.loc[
            self.members_table["region_code"] == code, "wijk_codes"] for c in str(text).split()})
        out = pd.DataFrame({"code": codes})
        out["name"] = out["code"].map(self.names).fillna("")

        def newest(count_name: str) -> pd.Series:
            table = self.model.wijk.get(count_name)
            if table is None or table.empty:
                return pd.Series(np.nan, index=codes)
            return table[table.columns.max()].reindex(codes)
        out["inhabitants"] = newest("kwb_population").values
        out["households"] = newest("kwb_households").values
        out["share_65_plus"] = derive("share", newest("age_65_plus"), newest("kwb_population"), scale=100.0).values
        return out
