"""The policy that applies to a region: one table of measures and Regio Deals, with why each applies.

The register's columns are complete at build time (``geo/register.py`` checks them): this module only
selects rows and says through which region they reach the one asked for (``via``). Nothing is parsed
from free text here.

Columns of the table ``Policies.table`` returns (the contract the dashboard and the API use):
id, kind, name_nl, name_en, name (= name_nl), description_nl, description_en, ministry,
start_year / end_year (a year as int, "ongoing", or an "unknown: why" text), budget_eur (EUR, float,
NaN when unknown), budget_basis, budget_note, applies_to, area, scope ("regional"/"national"),
via / via_en (why it applies here), own (it reaches the region through the region itself or a
region that wholly contains it, not through its province or a partial overlap), tranche, family, year_selected, year_signed, parties, source,
source_document, checked, confidence.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.model.series import FULL_SHARE

COLUMNS = ["id", "kind", "name_nl", "name_en", "name", "description_nl", "description_en", "ministry",
           "start_year", "end_year", "budget_eur", "budget_basis", "budget_note", "applies_to", "area", "scope",
           "via", "via_en", "own", "tranche", "family", "year_selected", "year_signed", "parties", "source",
           "source_document", "checked", "confidence"]
TYPE_LABEL = {"krimpregio": ("krimpregio", "krimpregio"), "anticipeerregio": ("anticipeerregio", "anticipeerregio"),
              "focusgebied": ("stedelijk focusgebied", "urban focus area"), "regiodeal": ("", ""),
              "gemeente": ("gemeente", "municipality"), "provincie": ("provincie", "province")}
NATIONAL = ("landelijk", "national")
SUFFIX = {"whole": ("", ""), "part": (" (deels)", " (in part)"),
          "same_gemeente": (" (in dezelfde gemeente)", " (in the same municipality)")}


def _year(cell):
    """A year cell as an int where it is a year; "ongoing" and "unknown: ..." stay text."""
    text = str(cell)
    return int(text) if text.isdigit() else text


@dataclass(frozen=True)
class Reason:
    """Why a token (a region code, a region type, a province) brings a row to the region asked for."""

    nl: str
    en: str
    own: bool = False  # the region itself, or a region that wholly contains it


class Policies:
    """Selects the register rows for a region. ``api`` is the RegionAPI (regions, members, provinces)."""

    def __init__(self, api):
        self.api = api
        regions = api.policy_regions
        self.regions = regions
        self.members = api.members_table
        # Text columns as plain Python objects: a region's table takes rows from these on every first
        # visit, and taking rows of Arrow-backed text columns costs ~10x more.
        self.deals = _plain_text(self._deal_rows(regions))
        self.measures = _plain_text(self._measure_rows(api.measures_table))
        self.by_gemeente = self.members.groupby("gemeente_code")["region_code"].agg(set).to_dict()
        self.member_sets = self.members.groupby("region_code")["gemeente_code"].agg(set).to_dict()
        self.partial = {(r.region_code, r.gemeente_code): bool(r.partial) for r in self.members.itertuples()}
        # (region, gemeente) -> (share, named part): a member counted whole although the source names
        # only part of it ("Rotterdam (Rotterdam-Zuid)") is a named part.
        self.shares = {(r.region_code, r.gemeente_code): (float(r.share), bool(r.partial) and float(r.share) >= FULL_SHARE)
                       for r in self.members.itertuples()}
        listed = set(self.members["region_code"])
        self.unlisted_deals = [c for c in regions.index[regions["type"] == "regiodeal"] if c not in listed]
        # The tokens each row applies to, split once (read-only): measures by their ``applies_to``, a deal by its code.
        self._measure_tokens = [str(text).split() for text in self.measures["applies_to"]]
        self._measure_national = np.array(["land" in tokens for tokens in self._measure_tokens], dtype=bool)
        self._deal_tokens = [[code] for code in self.deals["applies_to"]]
        self._measure_records = self.measures.to_dict("records")
        self._deal_records = self.deals.to_dict("records")
        # Each policy region's facts as a plain dict (read-only): looked up per row on a first visit.
        facts = ("type", "name_nl", "name_en", "family", "province")
        self._region_rows = {code: dict(zip(facts, values)) for code, *values in
                             zip(regions.index, *(regions[c].tolist() for c in facts))}
        self._identified = {kind: self._count_identified(kind) for kind in set(regions["type"])}

    # ------------------------------------------------------------------ the register as rows
    @staticmethod
    def _measure_rows(measures: pd.DataFrame) -> pd.DataFrame:
        out = measures.rename(columns={"measure_id": "id", "area_in_source": "area"}).copy()
        out["name"] = out["name_nl"]
        out["budget_eur"] = pd.to_numeric(out["budget_eur"], errors="coerce")
        out["start_year"] = out["start_year"].map(_year)
        out["end_year"] = out["end_year"].map(_year)
        for col in ("tranche", "family", "year_selected", "year_signed", "parties"):
            out[col] = np.nan if col == "tranche" else ""
        return out

    @staticmethod
    def _deal_rows(regions: pd.DataFrame) -> pd.DataFrame:
        """Each Regio Deal as a row of its own area; the deal's facts are register columns."""
        deals = regions[regions["type"] == "regiodeal"].copy()
        signed = deals["year_signed"].map(_year)
        out = pd.DataFrame({
            "id": deals.index, "kind": "regiodeal", "name_nl": deals["name_nl"].values, "name_en": deals["name_en"].values,
            "description_nl": [f"Regio Deal van Rijk en regio, tranche {tranche}; " + (
                "de gelezen bronnen noemen het gebied, niet de ondertekenaars." if parties.startswith("unknown:")
                else f"partijen: {parties}.") for tranche, parties in zip(deals["tranche"], deals["parties"])],
            "description_en": [f"Regio Deal between the Rijk and the region, tranche {tranche}; " + (
                "the sources read name the area, not the signatories." if parties.startswith("unknown:")
                else f"parties: {parties}.") for tranche, parties in zip(deals["tranche"], deals["parties"])],
            "ministry": deals["ministry"].values,
            # A deal runs from its signing (else its selection); its term is not part of the register.
            "start_year": [s if isinstance(s, int) else int(y) for s, y in zip(signed, deals["year_selected"])],
            "end_year": "unknown: the deal's term is not recorded in the register",
            "budget_eur": pd.to_numeric(deals["contribution_eur"], errors="coerce").values,
            "budget_basis": "national contribution", "budget_note": "",
            "applies_to": deals.index, "area": deals["area"].values,
            "tranche": pd.to_numeric(deals["tranche"]).values, "family": deals["family"].values,
            "year_selected": pd.to_numeric(deals["year_selected"]).values, "year_signed": signed.values,
            "parties": deals["parties"].values, "source": deals["source"].values,
            "source_document": "", "checked": deals["checked"].values, "confidence": deals["confidence"].values,
        })
        out["name"] = out["name_nl"]
        return out

    # ------------------------------------------------------------------ why a row applies
    def _label(self, code: str, suffix: tuple[str, str] = ("", "")) -> Reason:
        row = self._region_rows[code]
        kind_nl, kind_en = TYPE_LABEL[row["type"]]
        nl = f"{kind_nl} {row['name_nl']}".strip() + suffix[0]
        en = f"{kind_en} {row['name_en']}".strip() + suffix[1]
        return Reason(nl, en)

    def reasons(self, code: str) -> dict[str, Reason]:
        """Every token that brings rows to this region, with why (empty for Nederland: all rows apply)."""
        api = self.api
        kind = api.region(code)["type"]
        out: dict[str, Reason] = {}
        overlapping: dict[str, str] = {}  # policy region -> "whole", "part" or "same_gemeente" (see _relation)
        if kind == "gemeente":
            out[code] = Reason(f"gemeente {api.names.get(code, code)}", f"municipality {api.names.get(code, code)}", True)
            province = api.province_of.get(code)
            if province:
                name = api.names.get(province, province)
                out[province] = Reason(f"provincie {name}", f"province of {name}")
            # sorted: the first region of a type is named below; a set's order differs per process
            # (PYTHONHASHSEED), and two workers named different krimpregio's for Het Hogeland
            for region in sorted(self.by_gemeente.get(code, ())):
                overlapping[region] = "part" if self.partial.get((region, code), False) else "whole"
        elif kind == "provincie":
            name = api.names.get(code, code)
            out[code] = Reason(f"provincie {name}", f"province of {name}")
            inside = [g for g, p in api.province_of.items() if p == code]
            for g in inside:
                out[g] = Reason(f"gemeente {api.names.get(g, g)}", f"municipality {api.names.get(g, g)}")
                for region in sorted(self.by_gemeente.get(g, ())):
                    overlapping[region] = "part"
            for deal in self.unlisted_deals:
                if name in self._region_rows[deal]["province"].split("; "):
                    overlapping[deal] = "part"
        elif kind in api.policy_types:
            members = list(api.member_shares(code).index)
            for region in sorted(set().union(*(self.by_gemeente.get(g, set()) for g in members))):
                overlapping[region] = self._relation(region, code, members)
            overlapping[code] = "whole"
            if len(members) == 1:
                g = next(iter(members))
                out[g] = Reason(f"gemeente {api.names.get(g, g)}", f"municipality {api.names.get(g, g)}", True)
            if kind == "regiodeal":
                family = self._region_rows[code]["family"]
                for deal in self.regions.index[(self.regions["type"] == "regiodeal") & (self.regions["family"] == family)]:
                    overlapping.setdefault(deal, "whole")
        elif kind == "groep":
            from dashboard.model.regions import GROUPS  # here, not at the top: regions imports this module

            group_type = GROUPS[code][2]
            if group_type:
                label = TYPE_LABEL[group_type]
                out[group_type] = Reason(f"alle {label[0] or 'Regio Deal'}-gebieden", f"every {label[1] or 'Regio Deal'} area")
        for region, relation in overlapping.items():
            reason = self._label(region, SUFFIX[relation] if region != code else ("", ""))
            reason = Reason(reason.nl, reason.en, region == code or relation == "whole")
            out[region] = reason
            region_type = self._region_rows[region]["type"]
            # a measure for a whole type ("krimpregio") reaches us through a region of that type; name a
            # region that contains us wholly where there is one
            if region_type not in out or (reason.own and not out[region_type].own):
                out[region_type] = reason
        return out

    def _relation(self, other: str, code: str, members: list[str]) -> str:
        """How policy region ``other`` lies over policy region ``code``: "whole" when it holds at least
        the same share of every member gemeente; "same_gemeente" when both name only part of the same
        gemeente (a focusgebied and a deal in one city: the register cannot tell whether they overlap),
        unless the deal's family carries this region's name; otherwise "part"."""
        same_gemeente = False
        for g in members:
            mine, theirs = self.shares.get((code, g)), self.shares.get((other, g))
            if theirs is None or theirs[0] < mine[0] - 1e-6 or (theirs[1] and not mine[1]):
                return "part"
            same_gemeente |= theirs[1] and mine[1]
        if same_gemeente and self._region_rows[other]["family"] != self._region_rows[code]["name_nl"]:
            return "same_gemeente"
        return "whole"

    # ------------------------------------------------------------------ the table
    def _selected(self, code: str) -> tuple[list[tuple[str, int]], list[tuple[str, str, str, bool]]]:
        """The rows that apply to a region, in the table's order, as (``"measure"`` or ``"deal"``, row
        number), and for each its scope, via, via_en and own."""
        if self.api.region(code)["type"] == "land":
            rows = [("measure", i) for i in range(len(self.measures))] + [("deal", i) for i in range(len(self.deals))]
            national = list(self._measure_national) + [("land" in t) for t in self._deal_tokens]
            return rows, [("national", NATIONAL[0], NATIONAL[1], False) if n else ("regional", "regio", "regional", False)
                          for n in national]
        reasons = self.reasons(code)

        def why(tokens) -> tuple[str, str, bool]:
            hit = list(dict.fromkeys(reasons[token] for token in tokens if token in reasons))
            return "; ".join(r.nl for r in hit), "; ".join(r.en for r in hit), any(r.own for r in hit)

        measure_why = [why(tokens) for tokens in self._measure_tokens]
        deal_why = [why(tokens) for tokens in self._deal_tokens]
        regional = [i for i, w in enumerate(measure_why) if w[0]]
        deals = [i for i, w in enumerate(deal_why) if w[0]]
        national = [i for i, w in enumerate(measure_why) if self._measure_national[i] and not w[0]]
        rows = [("measure", i) for i in regional] + [("deal", i) for i in deals] + [("measure", i) for i in national]
        facts = [("regional", *measure_why[i]) for i in regional] + [("regional", *deal_why[i]) for i in deals]
        return rows, facts + [("national", NATIONAL[0], NATIONAL[1], False)] * len(national)

    def rows(self, code: str) -> list[dict]:
        """The rows of ``table(code)`` as plain dicts, in its order (for a view that reads a few columns
        of every row: no table is built)."""
        rows, facts = self._selected(code)
        records = {"measure": self._measure_records, "deal": self._deal_records}
        return [{**records[source][i], "scope": scope, "via": via, "via_en": via_en, "own": own}
                for (source, i), (scope, via, via_en, own) in zip(rows, facts)]

    def table(self, code: str, year: int | None = None) -> pd.DataFrame:
        """The rows that apply to a region (regional first, then national), optionally in one year."""
        if self.api.region(code)["type"] == "land":
            out = pd.concat([self.measures, self.deals], ignore_index=True)
            is_national = np.concatenate([self._measure_national, [("land" in t) for t in self._deal_tokens]]).astype(bool)
            out["scope"] = np.where(is_national, "national", "regional")
            out["via"] = np.where(is_national, NATIONAL[0], "regio")
            out["via_en"] = np.where(is_national, NATIONAL[1], "regional")
            out["own"] = False
        else:
            rows, facts = self._selected(code)
            parts = []
            for source, group in itertools.groupby(rows, key=lambda r: r[0]):  # measures, deals, measures
                frame = self.measures if source == "measure" else self.deals
                parts.append(frame.iloc[[i for _, i in group]])
            out = pd.concat(parts, ignore_index=True) if parts else self.measures.iloc[[]].reset_index(drop=True)
            for column, values in zip(("scope", "via", "via_en"), zip(*facts) if facts else ((), (), ())):
                out[column] = list(values)
            out["own"] = np.array([f[3] for f in facts], dtype=bool)
        if year is not None:
            start = pd.to_numeric(out["start_year"], errors="coerce").fillna(-np.inf)
            end = pd.to_numeric(out["end_year"], errors="coerce").fillna(np.inf)
            out = out[(start <= year) & (end >= year)]
        return out.reindex(columns=COLUMNS).reset_index(drop=True)

    # ------------------------------------------------------------------ counts for the summary
    def identified(self, region_type: str) -> tuple[int, int]:
        """(regions of a type with a sourced member list, regions of that type in the register)."""
        found = self._identified.get(region_type)  # every type of the register, counted at start-up
        return found if found is not None else self._count_identified(region_type)

    def _count_identified(self, region_type: str) -> tuple[int, int]:
        codes = self.regions.index[self.regions["type"] == region_type]
        listed = set(self.members["region_code"])
        return sum(c in listed for c in codes), len(codes)


def _plain_text(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its text columns as object columns (the same values)."""
    text = [c for c in frame.columns if pd.api.types.is_string_dtype(frame[c].dtype) and frame[c].dtype != object]
    return frame.astype({c: object for c in text})


def records(table: pd.DataFrame) -> list[dict]:
    """The table as JSON-ready rows: unknown numbers are null, whole numbers are ints."""
    def clean(value):
        if isinstance(value, float):
            return None if np.isnan(value) else (int(value) if value.is_integer() else value)
        if isinstance(value, (np.integer, np.bool_)):
            return value.item()
        return value
    return [{k: clean(v) for k, v in row.items()} for row in table.to_dict(orient="records")]
