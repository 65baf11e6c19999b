"""What every visitor needs, loaded once per worker at start-up: store, region API, geometry."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd
import shapely
from shapely.geometry import shape

from dashboard.figures import NL_VIEW
from dashboard.model.regions import RegionAPI
from store.files import Store


@dataclass(eq=False)  # identity hash: one instance per worker, used as a cache key
class DashboardData:
    store: Store
    api: RegionAPI
    geojson: dict  # current gemeente map, simplified
    gemeente_codes: list[str]
    gemeente_names: list[str]

    @classmethod
    def load(cls, store_dir) -> "DashboardData":
        store = Store.open(store_dir)
        api = RegionAPI(store)
        geojson = json.loads(store.boundary_geojson("gemeente", api.latest_year))
        data = cls(store, api, geojson, *_codes_and_names(geojson, api))
        data._shapes = {f["properties"]["statcode"]: shape(f["geometry"]) for f in geojson["features"]}
        data.outline = lru_cache(maxsize=512)(data._outline)
        data.regions_table = api.regions()  # for the search options, built once
        data.published_map = lru_cache(maxsize=16)(data._published_map)
        data.policy_type_of_gemeenten = lru_cache(maxsize=1)(data._policy_type_of_gemeenten)
        return data

    def _published_map(self, year: int) -> tuple[dict, list[str], list[str]] | None:
        """A year's own gemeente map (as published), its codes and names; None if not stored."""
        text = self.store.boundary_geojson("gemeente", year)
        if text is None:
            return None
        geojson = json.loads(text)
        return geojson, *_codes_and_names(geojson, self.api)

    def _outline(self, region: str) -> tuple[list, list]:
        """Lon/lat of the outline of a region's gemeenten (None separates rings)."""
        members = list(self.api.member_shares(region).index)
        geoms = [self._shapes[c] for c in members if c in self._shapes]
        if not geoms:
            return [], []
        union = shapely.union_all(geoms)
        lon, lat = [], []
        polygons = getattr(union, "geoms", [union])
        for poly in polygons:
            for ring in [poly.exterior, *poly.interiors]:
                xs, ys = ring.coords.xy
                lon += [round(x, 4) for x in xs] + [None]
                lat += [round(y, 4) for y in ys] + [None]
        return lon, lat

    def view(self, region: str, width_px: int = 300, height_px: int = 480) -> dict:
        """Map centre and zoom that fit a region's outline (the whole country for Nederland).

        ``width_px`` is the plot area left beside the colour bar on a laptop screen."""
        lon, lat = self.outline(region)
        xs = [x for x in lon if x is not None]
        ys = [y for y in lat if y is not None]
        if not xs or region == "NL01":
            return NL_VIEW
        span_lon = max(max(xs) - min(xs), 0.02)
        mid_lat = (max(ys) + min(ys)) / 2
        span_lat = max(max(ys) - min(ys), 0.02) / math.cos(math.radians(mid_lat))
        # MapLibre: 512 px per 360 degrees at zoom 0; keep a margin of 40 %
        zoom = min(math.log2(width_px * 360 / (512 * span_lon * 1.4)),
                   math.log2(height_px * 360 / (512 * span_lat * 1.4)))
        return {"center": {"lon": (max(xs) + min(xs)) / 2, "lat": mid_lat}, "zoom": round(max(5.6, min(zoom, 11)), 2)}

    def _policy_type_of_gemeenten(self) -> pd.Series:
        """For each current gemeente the policy region types it belongs to (for the type map)."""
        members = self.api.members_table.merge(
            self.api.policy_regions[["type"]], left_on="region_code", right_index=True
        )
        return members.groupby("gemeente_code")["type"].agg(lambda s: sorted(set(s)))


def _codes_and_names(geojson: dict, api: RegionAPI) -> tuple[list[str], list[str]]:
    codes = [f["properties"]["statcode"] for f in geojson["features"]]
    return codes, [api.names.get(c, c) for c in codes]
