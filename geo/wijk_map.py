"""A wijk (district) map for the web: the 3,393 wijken of CBS's Wijk- en Buurtkaart 2024, or
the wijken of some gemeenten (a province, the focusgebied cities), simplified with shared
edges kept (geo.shapes: each shared edge simplified once, so neighbours keep sharing it).

A separate build step (not part of store.build): ``wijk_map(load_wijken(path), gemeenten)``.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd

from geo import shapes

# Degrees. Wijken are ten times smaller than gemeenten; 0.002 (about 140-220 m) keeps a city's
# wijken recognisable at a province view and all 3,393 below 600 KB of GeoJSON (gzipped).
WIJK_TOLERANCE = 0.002


def load_wijken(path: Path) -> gpd.GeoDataFrame:
    """The wijk layer with figures: code, name, gemeente code, inhabitants, geometry (WGS84).

    The file also holds 82 features without figures ("Groot water", "Buitenland"); CBS
    publishes 3,393 wijken with figures, and only those are kept."""
    frame = gpd.read_file(path)
    frame = frame[frame["aantal_inwoners"].notna() & (frame["gemeentecode"] != "GM0998")]
    frame = frame.rename(columns={"wijkcode": "statcode", "wijknaam": "statnaam", "gemeentecode": "gemeente_code",
                                  "aantal_inwoners": "inhabitants"})
    return frame[["statcode", "statnaam", "gemeente_code", "inhabitants", "geometry"]].reset_index(drop=True)


def wijk_map(wijken: gpd.GeoDataFrame, gemeenten: set[str] | None = None,
             tolerance: float = WIJK_TOLERANCE) -> gpd.GeoDataFrame:
    """The wijken of ``gemeenten`` (all if None), repaired and simplified as one coverage."""
    part = wijken if gemeenten is None else wijken[wijken["gemeente_code"].isin(gemeenten)]
    return shapes.simplify(shapes.repair(part.reset_index(drop=True)), tolerance)
