"""Boundaries for the web: repaired, simplified with shared edges kept, small GeoJSON.

``shapely.coverage_simplify`` simplifies each shared edge once, so neighbours keep sharing
it: no gaps or slivers appear between gemeenten. It needs a clean coverage as input; where a
year's published file is not one (per-feature simplified copies), the map is derived from the
newest earlier clean map by dissolving the mergers CBS reports in between, if that is all
that happened.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely

# Degrees. 0.005 keeps the national gemeente layer near 250 KB and still looks right at the
# province view; 1e-4 degrees (about 7-11 m) is far below what a screen shows.
SIMPLIFY_TOLERANCE = 0.005
PRECISION = 0.0001
MIN_VISIBLE_HA = 100


def repair(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    geoms = shapely.make_valid(frame.geometry.values.to_numpy(), method="structure", keep_collapsed=False)
    out = frame.copy()
    out["geometry"] = geoms
    return out


def is_clean_coverage(frame: gpd.GeoDataFrame) -> bool:
    edges = shapely.coverage_invalid_edges(frame.geometry.values.to_numpy())
    return bool(shapely.is_empty(edges).all())


def simplify(frame: gpd.GeoDataFrame, tolerance: float = SIMPLIFY_TOLERANCE) -> gpd.GeoDataFrame:
    geoms = shapely.coverage_simplify(frame.geometry.values.to_numpy(), tolerance)
    geoms = shapely.set_precision(geoms, PRECISION)
    out = frame.copy()
    out["geometry"] = geoms
    return out


def derive_by_mergers(
    base: gpd.GeoDataFrame, changes: pd.DataFrame, from_year: int, to_year: int,
    target_codes: set[str], names: dict[str, str],
) -> gpd.GeoDataFrame | None:
    """The map of ``to_year`` made from the map of ``from_year`` by dissolving whole-gemeente
    mergers and renames; None if anything else (a split, a transfer with inhabitants) happened."""
    step = changes[(changes["map_year"] > from_year) & (changes["map_year"] <= to_year)]
    # Border corrections of a few hectares are invisible at web scale; larger ones are not.
    relevant = step[(step["kind"] != "partial transfer") | (step["hectares"].fillna(0) >= MIN_VISIBLE_HA)]
    if (relevant["kind"].isin(["split", "partial transfer"])).any():
        return None
    mapping = {c: c for c in base["statcode"]}
    for row in relevant[relevant["inhabitants"].fillna(1) > 0].sort_values("map_year").itertuples():
        for old, new in list(mapping.items()):
            if new == row.from_code:
                mapping[old] = row.to_code
    frame = base.copy()
    frame["statcode"] = frame["statcode"].map(mapping)
    dissolved = frame.dissolve(by="statcode", as_index=False)
    if set(dissolved["statcode"]) != target_codes:
        return None
    dissolved["statnaam"] = dissolved["statcode"].map(names).fillna(dissolved["statnaam"])
    return dissolved[["statcode", "statnaam", "geometry"]]
