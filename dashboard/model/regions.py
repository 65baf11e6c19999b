"""Regions as one concept, and the small API the dashboard uses: ``regions()``,
``series(region, measure, boundaries)``, ``members(region)`` and ``policies(region, year)``.

A region is a gemeente, a provincie, Nederland, a policy region (krimpregio, anticipeerregio,
focusgebied, Regio Deal area) or a group of them. Everything is computed from the store; a
region's counts are the (share-weighted) sums of its current gemeenten's harmonised counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

import numpy as np
import pandas as pd

from dashboard.i18n import NOTES
from dashboard.model.measures import MEASURES, Measure, measure as get_measure
from store.files import Store

TYPES = ("gemeente", "provincie", "land", "krimpregio", "anticipeerregio", "focusgebied", "regiodeal", "groep")
GROUPS = {
    "G-KRIMP": ("Alle krimpregio's", "All krimpregio's (shrinking regions)", "krimpregio"),
    "G-ANTICIPEER": ("Alle anticipeerregio's", "All anticipeerregio's (anticipating regions)", "anticipeerregio"),
    "G-FOCUS": ("Gemeenten met een stedelijk focusgebied", "Gemeenten with an urban focus area", "focusgebied"),
    "G-REGIODEAL": ("Alle Regio Deal-gebieden", "All Regio Deal areas", "regiodeal"),
    "G-REST": ("Rest van Nederland (geen krimp- of anticipeerregio)", "Rest of the Netherlands (neither krimp nor anticipeer)", None),
}
BOUNDARIES = ("latest", "published")


class UnknownRegion(KeyError):
    def __str__(self) -> str:
        return str(self.args[0])


class UnknownMeasure(KeyError):
    def __str__(self) -> str:
        return str(self.args[0])




@dataclass(frozen=True)
class Note:
    """A remark on a series, as a key and its values, worded in Dutch or English on demand."""

    key: str
    args: dict

    def text(self, lang: str = "en") -> str:
        return NOTES[self.key]["en" if lang == "en" else "nl"].format(**self.args)

    def __str__(self) -> str:
        return self.text("en")


@dataclass(frozen=True)
class Series:
    """One region's yearly values of one measure. Immutable: it is memoised and shared by every
    request of a worker, so a view that needs less (one year) makes a new Series with
    ``dataclasses.replace``; ``points`` is a private copy whose arrays are read-only."""

    region: str
    measure: str
    unit: str
    boundaries: str
    sources: tuple[str, ...]
    data_date: str
    points: pd.DataFrame  # year, value, flag
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
        return {
            "region": self.region, "measure": self.measure, "unit": self.unit,
            "boundaries": self.boundaries, "sources": list(self.sources), "data_date": self.data_date,
            "notes": [str(n) for n in self.notes],
            "points": [
                {"year": int(r.year), "value": None if pd.isna(r.value) else float(r.value), "flag": r.flag}
                for r in self.points.itertuples()
            ],
        }


def _clean_name(name: str) -> str:
    return re.sub(r" \((gemeente|PV)\)$", "", name)


class RegionAPI:
    """Read-only view of a store as regions, series, members and policies."""

    def __init__(self, store: Store):
        self.store = store
        t = store.tables
        self.latest_year = int(store.metadata["latest_year"])
        self.first_year = int(store.metadata["first_year"])
        reg = t["regions"]
        current = reg[reg["last_year"] == self.latest_year]
        self.current_gemeenten = current[current["level"] == "gemeente"]
        self.province_of = dict(zip(self.current_gemeenten["code"], self.current_gemeenten["province"]))
        self.names = {c: _clean_name(n) for c, n in zip(reg["code"], reg["name"])}
        self.policy_regions = t["policy_regions"].set_index("code")
        self.members_table = t["policy_members"]
        self.measures_table = t["policy_measures"]
        self._regions = self._build_regions(current)
        harm = t["harmonised"]
        self._values = {m: g.pivot(index="region_code", columns="year", values="value") for m, g in harm.groupby("measure")}
        self._estimated = {
            m: g.assign(e=g["flag"].eq("estimated")).pivot(index="region_code", columns="year", values="e")
            for m, g in harm.groupby("measure")
        }
        obs = t["observations"]
        self._published = {m: g.pivot(index="region_code", columns="year", values="value") for m, g in obs.groupby("measure")}
        self._sources = obs.groupby("measure")["source_table"].agg(lambda s: sorted(set(s))).to_dict()

        self._by_code = {code: row for code, row in self._regions.set_index("code", drop=False).iterrows()}
        # The store is read-only, so answers can be memoised per instance.
        # Bounded memos (about 1-4 KB per series, 3 KB per member list, up to 30 KB per policy
        # table): at most ~16 + 3 + 16 MB, whatever years or regions clients ask for.
        self.series = lru_cache(maxsize=4096)(self._series)
        self.members = lru_cache(maxsize=1024)(self._members)
        self.policies = lru_cache(maxsize=512)(self._policies)
        self._region_values, self._region_estimated = self._region_counts()
        wijk = obs[obs["level"] == "wijk"]
        self._wijk = wijk.pivot_table(index="region_code", columns="measure", values="value", aggfunc="first")
        self._deals = self._deal_rows()
        deals = self.policy_regions.index[self.policy_regions["type"] == "regiodeal"]
        self._unlisted_deals = list(deals.difference(self.members_table["region_code"]))

    # ----------------------------------------------------------------- regions
    def _build_regions(self, current: pd.DataFrame) -> pd.DataFrame:
        rows = []
        for r in current.itertuples():
            kind = {"gemeente": "gemeente", "provincie": "provincie", "land": "land"}[r.level]
            name = _clean_name(r.name)
            name_en = "Netherlands" if r.code.startswith("NL") else name
            rows.append((r.code, name, name_en, kind, r.province if kind == "gemeente" else None))
        with_members = set(self.members_table["region_code"])
        for code, r in self.policy_regions.iterrows():
            if code in with_members:
                rows.append((code, r["name_nl"], r["name_en"], r["type"], None))
        for code, (nl, en, _) in GROUPS.items():
            rows.append((code, nl, en, "groep", None))
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
        extra = self.members_table[self.members_table["region_code"] == code]
        if len(extra):
            out = out.merge(extra[["gemeente_code", "partial", "wijk_codes", "basis", "confidence"]], on="gemeente_code", how="left")
        else:
            out["partial"] = out["share"] < 0.999
        return out

    # ----------------------------------------------------------------- series
    def _counts(self, code: str, stored: str, boundaries: str) -> tuple[pd.Series, pd.Series]:
        """A stored count for a region per year, and whether each year is estimated."""
        if boundaries == "published" or code == "NL01":
            # Nederland is the same on every map: CBS's own national figure is exact.
            table = self._published.get(stored)
            if table is None or code not in table.index:
                return pd.Series(dtype=float), pd.Series(dtype=bool)
            values = table.loc[code].dropna()
            return values, pd.Series(False, index=values.index)
        if stored not in self._region_values:
            return pd.Series(dtype=float), pd.Series(dtype=bool)
        values = self._region_values[stored].loc[code].dropna()
        return values, self._region_estimated[stored].loc[code, values.index]

    def _region_counts(self) -> tuple[dict[str, pd.DataFrame], dict[str, pd.DataFrame]]:
        """Every stored count for every region and year at once: shares (regions x gemeenten)
        times harmonised values (gemeenten x years). A year is missing for a region when any
        member lacks it; it is estimated when any member's value is, or a member counts in part."""
        codes = list(self._regions["code"])
        gemeenten = list(self.current_gemeenten["code"])
        shares = pd.DataFrame(0.0, index=codes, columns=gemeenten)
        for code in codes:
            member = self.member_shares(code)
            shares.loc[code, member.index.intersection(gemeenten)] = member
        weights = shares.to_numpy()
        is_member = (weights > 0).astype(float)
        partial = ((weights > 0) & (weights < 0.999)).any(axis=1)
        values, estimated = {}, {}
        for stored, table in self._values.items():
            block = table.reindex(gemeenten)
            data = block.to_numpy()
            missing = is_member @ np.isnan(data).astype(float) > 0
            summed = weights @ np.nan_to_num(data)
            summed[missing] = np.nan
            values[stored] = pd.DataFrame(summed, index=codes, columns=block.columns)
            est = self._estimated[stored].reindex(gemeenten).fillna(False).to_numpy(dtype=float)
            flags = (is_member @ est > 0) | partial[:, None]
            estimated[stored] = pd.DataFrame(flags, index=codes, columns=block.columns)
        return values, estimated

    def _series(self, code: str, measure_id: str, boundaries: str = "latest") -> Series:
        if measure_id not in MEASURES:
            raise UnknownMeasure(f"unknown measure {measure_id!r}; known: {', '.join(MEASURES)}")
        if boundaries not in BOUNDARIES:
            raise ValueError(f"boundaries must be one of {BOUNDARIES}, not {boundaries!r}")
        row = self.region(code) if boundaries == "latest" or code not in self.names else None
        if boundaries == "published" and not re.match(r"^(GM\d{4}|PV\d{2}|NL01)$", code):
            raise ValueError(f"region {code!r}: published boundaries exist only for CBS regions (gemeente, provincie, NL01)")
        m: Measure = get_measure(measure_id)
        num, est = self._counts(code, m.numerator, boundaries)
        if m.denominator:
            den, est2 = self._counts(code, m.denominator, boundaries)
            years = num.index.intersection(den.index)
            values = num[years] / den[years].replace(0, np.nan) * m.scale
            est = est.reindex(years, fill_value=False) | est2.reindex(years, fill_value=False)
        elif m.index_base:
            base = num.get(self.first_year)
            values = (num / base - 1.0) * 100.0 if base else pd.Series(dtype=float)
        else:
            values = num
        flag = np.where(est.reindex(values.index, fill_value=False), "estimated", "exact")
        if boundaries == "published":
            flag = np.full(len(values), "published")
        points = pd.DataFrame({"year": values.index.astype(int), "value": values.values, "flag": flag})
        sources = [f"CBS {t}" for t in self._sources.get(m.numerator, [])]
        if m.denominator:
            sources += [f"CBS {t}" for t in self._sources.get(m.denominator, []) if f"CBS {t}" not in sources]
        notes = self._notes(code, row) if row is not None else []
        return Series(code, measure_id, m.unit_en, boundaries, sources, self.store.data_date, points, notes)

    def _notes(self, code: str, row) -> list[Note]:
        notes = []
        if row["type"] == "focusgebied":
            gm = self.member_shares(code).index[0]
            notes.append(Note("whole_gemeente_focus", {"name": self.names.get(gm, gm)}))
        elif row["type"] not in ("gemeente", "provincie", "land"):
            partial = self.members(code)
            partial = partial[partial["partial"].fillna(False).astype(bool) & (partial["share"] >= 0.001)]
            # One note per kind, listing the gemeenten: a deal of nine town centres is one remark.
            counted = partial[partial["share"] < 0.999]
            whole = partial[partial["share"] >= 0.999]
            if len(counted):
                parts = ", ".join(f"{r.name} ({r.share:.0%})" for r in counted.itertuples())
                notes.append(Note("share_counted", {"parts": parts}))
            if len(whole):
                notes.append(Note("whole_gemeente_part", {"names": ", ".join(whole["name"])}))
        return notes

    def gemeente_values(self, measure_id: str, year: int, boundaries: str = "latest") -> pd.Series:
        """One year's value of a measure for every gemeente (for the map), vectorised: today's
        gemeenten (harmonised) or, with ``boundaries="published"``, the gemeenten of that year."""
        if measure_id not in MEASURES:
            raise UnknownMeasure(f"unknown measure {measure_id!r}; known: {', '.join(MEASURES)}")
        m = MEASURES[measure_id]
        source = self._published if boundaries == "published" else self._values
        if boundaries == "published":
            population = self._published["population"]
            codes = [c for c in population.index if c.startswith("GM") and not pd.isna(population.at[c, year])]
        else:
            codes = self.current_gemeenten["code"]

        def col(stored: str, y: int) -> pd.Series:
            table = source.get(stored)
            if table is None or y not in table.columns:
                return pd.Series(np.nan, index=codes)
            return table[y].reindex(codes)

        num = col(m.numerator, year)
        if m.denominator:
            return num / col(m.denominator, year).replace(0, np.nan) * m.scale
        if m.index_base:
            return (num / col(m.numerator, self.first_year) - 1.0) * 100.0
        return num

    def years(self, measure_id: str) -> list[int]:
        m = MEASURES[measure_id]
        table = self._values.get(m.numerator)
        years = set(table.columns) if table is not None else set()
        if m.denominator:
            den = self._values.get(m.denominator)
            years &= set(den.columns) if den is not None else set()
        return sorted(int(y) for y in years)

    def wijk_figures(self, code: str) -> pd.DataFrame:
        """KWB 2024 figures of the CBS wijken a focusgebied is given as (candidates, see the
        register's basis): code, name, inhabitants, households, share 65+ (%), where CBS has them."""
        rows = self.members_table[self.members_table["region_code"] == code]
        codes = sorted({c for text in rows["wijk_codes"] for c in str(text).split()})
        out = pd.DataFrame({"code": codes})
        out["name"] = out["code"].map(self.names).fillna("")
        table = self._wijk.reindex(codes)
        out["inhabitants"] = table.get("kwb_population", pd.Series(np.nan, index=codes)).values
        out["households"] = table.get("kwb_households", pd.Series(np.nan, index=codes)).values
        out["share_65_plus"] = (table.get("age_65_plus", pd.Series(np.nan, index=codes)) /
                                table.get("kwb_population", pd.Series(np.nan, index=codes)) * 100).values
        return out

    # ----------------------------------------------------------------- policies
    def _policies(self, code: str, year: int | None = None) -> pd.DataFrame:
        """Measures that apply to a region, with period, ministry, budget and source."""
        row = self.region(code)
        kind = row["type"]
        table = self.measures_table.copy()
        deals = self._deals
        if kind == "land":
            out = pd.concat([table, deals], ignore_index=True)
            out["scope"] = np.where(out["applies_to"].str.split().map(lambda t: "land" in t), "national", "regional")
        else:
            tokens = {code}
            if kind in ("krimpregio", "anticipeerregio", "focusgebied", "regiodeal"):
                tokens.add(kind)
                shares = self.member_shares(code)
                if len(shares) == 1:
                    tokens.add(shares.index[0])
            elif kind == "groep" and GROUPS[code][2]:
                tokens.add(GROUPS[code][2])
            elif kind == "provincie":
                # Everything that applies to part of the province: its gemeenten, the policy regions
                # they belong to, and the deals in it that have no gemeente list (named by province).
                inside = [g for g, p in self.province_of.items() if p == code]
                unlisted = self.policy_regions.loc[self._unlisted_deals, "province"].str.split("; ")
                name = self.names.get(code, code)
                tokens |= set(inside) | self._containing(inside) | set(unlisted.index[unlisted.map(lambda p: name in p)])
            elif kind == "gemeente":
                tokens.add(self.province_of.get(code) or "")
                tokens |= self._containing([code])
            applies = table["applies_to"].str.split()
            regional = applies.map(lambda t: bool(tokens & set(t)))
            national = applies.map(lambda t: "land" in t)
            deal_hit = deals["applies_to"].isin(tokens)
            out = pd.concat([table[regional].assign(scope="regional"), deals[deal_hit].assign(scope="regional"),
                             table[national & ~regional].assign(scope="national")], ignore_index=True)
        if year is not None:
            start = pd.to_numeric(out["start_year"], errors="coerce").fillna(-np.inf)
            end = pd.to_numeric(out["end_year"], errors="coerce").fillna(np.inf)
            out = out[(start <= year) & (end >= year)]
        return out.reset_index(drop=True)

    def _containing(self, gemeenten: list[str]) -> set[str]:
        """Codes and types of the policy regions that have any of these gemeenten as member."""
        codes = set(self.members_table.loc[self.members_table["gemeente_code"].isin(gemeenten), "region_code"])
        return codes | set(self.policy_regions.loc[list(codes), "type"])

    def _deal_rows(self) -> pd.DataFrame:
        """Each Regio Deal of the register as a measure row of its own area."""
        deals = self.policy_regions[self.policy_regions["type"] == "regiodeal"]
        rows = []
        for code, r in deals.iterrows():
            notes = r["notes"]
            tranche = re.search(r"tranche (\d)", notes)
            selected = re.search(r"selected (\d{4})", notes)
            amount = re.search(r"EUR ([\d.]+) mln", notes)
            t = int(tranche.group(1)) if tranche else 0
            rows.append({
                "measure_id": code, "name": r["name_nl"] + (f" (tranche {t})" if t else ""),
                "measure_type": "Regio Deal", "ministry": "LNV" if t <= 3 else "BZK",
                "start_year": selected.group(1) if selected else "", "end_year": "",
                "applies_to": code, "area_in_source": notes.split("Area in source: ")[-1].split(" | ")[0],
                "budget": f"EUR {amount.group(1)} mln (national contribution)" if amount else "",
                "description": "Regio Deal between the Rijk and the region (national contribution matched by the region).",
                "source_document": "", "confidence": r["confidence"], "source": r["source"], "checked": "",
            })
        return pd.DataFrame(rows, columns=list(self.measures_table.columns))
