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

from dashboard.model.measures import FLAG_RANK, derive
from dashboard.model.series import (  # noqa: F401  (BOUNDARIES, Note, Series, UnknownMeasure: part of this API)
    BOUNDARIES, CBS_REGION, EMPTY, FULL_SHARE, Counts, Note, Series, SeriesModel, UnknownMeasure, check_measure, points,
    points_of,
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
        self._codes = frozenset(self._regions["code"])
        # Per-store lookups, built once (read-only): each region's member shares, the register's
        # partial marks per region, the wijken named for each focusgebied.
        by_region = {code: rows for code, rows in self.members_table.groupby("region_code", sort=False)}
        self._register_partial = {code: dict(zip(rows["gemeente_code"], rows["partial"].astype(bool)))
                                  for code, rows in by_region.items()}
        self._wijken = {code: sorted({c for text in by_region[code]["wijk_codes"] for c in str(text).split()})
                        for code in self.policy_regions.index[self.policy_regions["type"] == "focusgebied"]
                        if code in by_region}
        self._shares = {code: self._member_shares(code) for code in self._regions["code"]}
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
        return set(self._codes)

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
        """Current gemeenten of a region and the share of each that belongs to it (0-1]; a copy."""
        self.region(code)  # an unknown code raises UnknownRegion
        return self._shares[code].copy()

    def _member_shares(self, code: str) -> pd.Series:
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
        return list(self._wijken.get(code, ()))

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

            def count(count_name) -> Counts:
                values, flags, gone = model.wijk_counts(code, count_name)
                missing.extend(y for y in gone if y not in missing)
                return Counts(values.index.to_numpy(dtype=int), values.to_numpy(dtype=float),
                              flags.map(FLAG_RANK).to_numpy(dtype=int))
            got = model.derived(measure, count)
            gemeente = self.names.get(self.member_shares(code).index[0], "")
            notes.append(Note("focus_wijk_sum", {"wijken": ", ".join(wijken), "gemeente": gemeente,
                                                 "missing": ", ".join(map(str, sorted(missing)))}) if missing
                         else Note("focus_wijk_sum_all", {"wijken": ", ".join(wijken), "gemeente": gemeente}))
        elif row is not None and row["type"] == "focusgebied":
            got = EMPTY  # never the whole gemeente
        else:
            got = model.derived(measure, lambda count_name: model.count_arrays(code, count_name, boundaries))
        ahead = None
        if boundaries == "latest" and not wijken and measure.id == "population" and (row is None or row["type"] != "focusgebied"):
            ahead, key = self._projection_after(code, got)
            notes.append(Note(key, {}))
        elif boundaries == "latest" and measure.id == "households":
            notes.append(Note("projection_households_missing", {}))
        pts = points_of(got, ahead)
        return Series(code, measure_id, measure.unit_en, boundaries, model.sources_of(measure), self.store.data_date, pts, notes)

    def _projection_after(self, code: str, got: Counts) -> tuple[pd.DataFrame | None, str]:
        """The population projection after the last year of ``got`` (year, value, lower, upper;
        None for none), and the note key that says where it comes from."""
        if code.startswith("GM") and code in self._changed_since_2021:
            return None, "projection_none"
        proj, key = self.model.projection(code, self._shares[code])
        if not len(got.years) or proj.empty:
            return None, "projection_none" if proj.empty else key
        return proj[proj["year"] > int(got.years.max())], key

    def _notes(self, code: str, row) -> list[Note]:
        notes = []
        if row["type"] == "focusgebied":
            gm = self.member_shares(code).index[0]
            if not self._wijk_codes(code):
                notes.append(Note("focus_no_wijken", {"name": self.names.get(gm, gm), "code": gm}))
        elif row["type"] not in CBS_TYPES:
            # One note per kind, listing the gemeenten: a deal of nine town centres is one remark.
            partial = self._partial_members(code)
            counted = [f"{name} ({share:.0%})" for name, share in partial if share < FULL_SHARE]
            whole = [name for name, share in partial if share >= FULL_SHARE]
            if counted:
                notes.append(Note("share_counted", {"parts": ", ".join(counted)}))
            if whole:
                notes.append(Note("whole_gemeente_part", {"names": ", ".join(whole)}))
        return notes

    def _partial_members(self, code: str) -> list[tuple[str, float]]:
        """(name, share) of the member gemeenten counted in part (share at least 0.001): those the
        register marks partial, or (a region without register rows) those with a share below whole."""
        listed = self._register_partial.get(code)
        shares = self._shares[code]
        out = []
        for gemeente, share in zip(shares.index, shares.to_numpy(dtype=float)):
            partial = listed.get(gemeente, False) if listed else share < FULL_SHARE
            if partial and share >= 0.001:
                out.append((self.names.get(gemeente, float("nan")), float(share)))
        return out

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
