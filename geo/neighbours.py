"""Statistical neighbours ("vergelijkbare gemeenten"): for each gemeente, the k gemeenten most
like it in 2014, on today's map.

Method: per gemeente the features log(population), log(density in inhabitants per km²), share
aged 65+ (%) and persons per private household, each z-scored over all gemeenten (mean 0,
standard deviation 1, so that no feature weighs more because of its unit); the distance between
two gemeenten is the Euclidean distance of their z-scores; the neighbours are the k nearest
(ties broken by code). A feature that is missing for any gemeente is left out for all (and the
features used are stored with the table), so that every gemeente is compared on the same terms.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

K = 5
YEAR = 2014
FEATURES = ("log_population", "log_density", "share_65_plus", "persons_per_household")


def nearest(features: pd.DataFrame, k: int = K) -> pd.DataFrame:
    """``features``: one row per gemeente (index = code), numeric columns. Returns code,
    neighbour, rank (1 = nearest), distance (in z-score units) and features (space-separated)."""
    used = [c for c in features.columns if features[c].notna().all() and features[c].std(ddof=0) > 0]
    columns = ["code", "neighbour", "rank", "distance", "features"]
    if not used or len(features) < 2:
        return pd.DataFrame(columns=columns)
    frame = features[used].sort_index()
    z = ((frame - frame.mean()) / frame.std(ddof=0)).to_numpy(dtype=float)
    distance = np.sqrt(((z[:, None, :] - z[None, :, :]) ** 2).sum(axis=2))
    np.fill_diagonal(distance, np.inf)
    codes = frame.index.to_numpy()
    rows = []
    for i, code in enumerate(codes):
        order = np.lexsort((codes, distance[i]))[: min(k, len(codes) - 1)]  # by distance, then code
        rows += [(code, codes[j], rank, round(float(distance[i, j]), 6), " ".join(used))
                 for rank, j in enumerate(order, start=1)]
    return pd.DataFrame(rows, columns=columns)


def features_of(harmonised: pd.DataFrame, area_km2: pd.Series, year: int = YEAR) -> pd.DataFrame:
    """The features of every gemeente in ``year`` from the harmonised counts (region_code, year,
    measure, value) and today's land area per gemeente (km²). Ratios from counts, never averaged."""
    rows = harmonised[harmonised["year"] == year]
    wide = rows.pivot_table(index="region_code", columns="measure", values="value", aggfunc="first")
    pop = wide.get("population", pd.Series(np.nan, index=wide.index))
    out = pd.DataFrame(index=wide.index)
    out["log_population"] = np.log(pop.where(pop > 0))
    area = area_km2.reindex(wide.index)
    out["log_density"] = np.log((pop / area).where(area > 0))
    if "age_65_plus" in wide:
        out["share_65_plus"] = wide["age_65_plus"] / pop * 100.0
    else:
        out["share_65_plus"] = np.nan
    if "households" in wide:
        out["persons_per_household"] = pop / wide["households"].where(wide["households"] > 0)
    else:
        out["persons_per_household"] = np.nan
    return out[list(FEATURES)].dropna(subset=["log_population"])


def table(harmonised: pd.DataFrame, gemeente_map, k: int = K) -> pd.DataFrame:
    """The store's ``neighbours`` table from the harmonised counts and today's gemeente map
    (a GeoDataFrame with ``statcode``; area measured in RD New, EPSG:28992)."""
    if gemeente_map is None:
        return nearest(pd.DataFrame(), k)
    area = pd.Series(gemeente_map.to_crs(28992).geometry.area.values / 1e6, index=gemeente_map["statcode"].values)
    return nearest(features_of(harmonised, area), k)
