"""What a region is compared with: the user's choice (up to three regions, in the URL as
``compare=G-KRIMP,G-ANTICIPEER,G-REST``) or an automatic choice that fits the region, and the
statistical neighbours ("vergelijkbare gemeenten") as a group of their own (code ``NB-<gemeente>``)."""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from dashboard.i18n import t
from dashboard.model.measures import MEASURES
from dashboard.model.regions import CBS_TYPES, GROUPS, Series
from dashboard.model.series import EMPTY, Counts, flag_names

MAX_COMPARE = 3
AUTO = "auto"
NEIGHBOURS_PREFIX = "NB-"
# For a policy region: its province and its own kind of region as a whole; for a group, the other groups.
# (Not for a Regio Deal: "all Regio Deal areas" is 277 of 342 gemeenten, no comparison; issue 12.)
OWN_GROUP = {kind: code for code, (_, _, kind) in GROUPS.items() if kind not in (None, "regiodeal")}
OTHER_GROUPS = {"G-KRIMP": ["G-ANTICIPEER", "G-REST"], "G-ANTICIPEER": ["G-KRIMP", "G-REST"],
                "G-REST": ["G-KRIMP", "G-ANTICIPEER"], "G-FOCUS": ["G-REST"], "G-REGIODEAL": ["G-REST"]}


def parse(value: str | None, known: set[str]) -> list[str]:
    """The chosen comparison codes from a URL value (comma-separated), unknown ones dropped;
    [] means "Nederland only", ["auto"] the automatic choice."""
    if value is None or value == AUTO:
        return [AUTO]
    codes = [c for c in dict.fromkeys(str(value).split(",")) if c and (c in known or is_neighbours(c, known))]
    return codes[:MAX_COMPARE]


def is_neighbours(code: str, known: set[str]) -> bool:
    return code.startswith(NEIGHBOURS_PREFIX) and code[len(NEIGHBOURS_PREFIX):] in known


def neighbours_of(data, gemeente: str) -> list[str]:
    """The stored nearest gemeenten of a gemeente in 2014 (rank order); [] if not built."""
    return list(data.neighbours.get(gemeente, ()))


def neighbour_lists(store) -> dict[str, list[str]]:
    """Every gemeente's stored nearest gemeenten (rank order), from the store's neighbours table."""
    table = store.tables.get("neighbours")
    if table is None or table.empty:
        return {}
    rows = table.sort_values(["code", "rank"], kind="stable")
    return {code: list(group["neighbour"]) for code, group in rows.groupby("code", sort=False)}


def neighbours_features(data) -> list[str]:
    table = data.store.tables.get("neighbours")
    if table is None or table.empty or "features" not in table.columns:
        return []
    return str(table["features"].iloc[0]).split()


def automatic(data, region: str) -> list[str]:
    """Comparisons that fit the region: a gemeente its province and similar gemeenten; a policy
    region its province (when it lies in one) and its kind as a whole; Nederland the three groups."""
    api = data.api
    kind = api.region(region)["type"]
    if kind == "land":
        return ["G-KRIMP", "G-ANTICIPEER", "G-REST"]
    if kind == "groep":
        return OTHER_GROUPS.get(region, [])
    if kind == "provincie":
        return []
    out = []
    members = list(api.member_shares(region).index)
    provinces = sorted({api.province_of.get(g) for g in members} - {None})
    if kind == "focusgebied" and len(members) == 1:
        out.append(members[0])  # the whole gemeente beside its district
    if len(provinces) == 1:
        out.append(provinces[0])
    if kind == "gemeente" and neighbours_of(data, region):
        out.append(NEIGHBOURS_PREFIX + region)
    if kind in OWN_GROUP:
        out.append(OWN_GROUP[kind])
    if kind == "regiodeal" and len(members) == 1 and neighbours_of(data, members[0]):
        out.append(NEIGHBOURS_PREFIX + members[0])
    return [c for c in dict.fromkeys(out) if c != region][:MAX_COMPARE]


def resolve(data, region: str, compare: str | None) -> list[str]:
    """The comparison regions shown, in order (Nederland is always shown besides)."""
    codes = parse(compare, data.api.codes())
    if codes == [AUTO]:
        codes = automatic(data, region)
    return [c for c in codes if c not in (region, "NL01")]


def name(data, code: str, lang: str) -> str:
    if code.startswith(NEIGHBOURS_PREFIX):
        return t("neighbours", lang, name=data.api.name(code[len(NEIGHBOURS_PREFIX):], lang))
    return data.api.name(code, lang)


def series(data, code: str, measure: str, boundaries: str = "latest") -> Series:
    """A region's series; for a neighbours group, the sum of its gemeenten's harmonised counts
    (ratios from summed numerator and denominator, never averaged)."""
    api = data.api
    if not code.startswith(NEIGHBOURS_PREFIX):
        if boundaries == "published" and api.region(code)["type"] not in CBS_TYPES:
            boundaries = "latest"
        return api.series(code, measure, boundaries)
    members = neighbours_of(data, code[len(NEIGHBOURS_PREFIX):])
    definition = MEASURES[measure]

    def summed(count_name: str) -> Counts:
        """The members' harmonised count summed per year (a year only when every member has it),
        and each year's most remarkable flag."""
        parts = [api.model.count_arrays(g, count_name, "latest") for g in members]
        if not parts:
            return EMPTY
        years = functools.reduce(np.intersect1d, [p.years for p in parts])
        return Counts(years, np.sum([p.at(years).values for p in parts], axis=0),
                      np.max([p.at(years).ranks for p in parts], axis=0))

    # the read model's own arithmetic and flag rule, on the group's summed counts
    got = api.model.derived(definition, summed)
    points = pd.DataFrame({"year": got.years.astype(int), "value": got.values, "flag": flag_names(got.ranks),
                           "lower": np.nan, "upper": np.nan})
    sources = api.model.sources_of(definition)
    return Series(code, measure, definition.unit_en, "latest", sources, data.store.data_date, points, [])
