"""What every visitor needs, loaded once per worker at start-up: store, region API, geometry."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd
import shapely
from shapely.geometry import shape

from dashboard.comparison import neighbour_lists
from dashboard.figures import NL_BOX, NL_VIEW
from dashboard.geometry import GeometryFile, geometry_file
from dashboard.model.regions import RegionAPI
from store.files import Store


@dataclass(eq=False)  # identity hash: one instance per worker, used as a cache key
class DashboardData:
    store: Store
    api: RegionAPI
    geojson: dict  # current gemeente map, simplified
    gemeente_codes: list[str]
    gemeente_names: list[str]
    answers: object | None = None  # the answer cache every worker shares (set by the app; dashboard.cache.shared)
    neighbours: dict | None = None  # gemeente -> its statistical neighbours, rank order (comparison.neighbour_lists)

    @classmethod
    def load(cls, store_dir) -> "DashboardData":
        store = Store.open(store_dir)
        api = RegionAPI(store)
        geojson = json.loads(store.boundary_geojson("gemeente", api.latest_year))
        data = cls(store, api, geojson, *_codes_and_names(geojson, api))
        data.neighbours = neighbour_lists(store)
        data._shapes = {f["properties"]["statcode"]: shape(f["geometry"]) for f in geojson["features"]}
        data.region_shape = lru_cache(maxsize=512)(data._region_shape)  # outline and label share one union
        data.outline = lru_cache(maxsize=512)(data._outline)
        data.label_point = lru_cache(maxsize=512)(data._label_point)
        data.regions_table = api.regions()  # for the search options, built once
        data.published_map = lru_cache(maxsize=16)(data._published_map)
        data.geometry_file = lru_cache(maxsize=32)(data._geometry_file)
        data.geometry_file("gemeente-latest")  # hashed now, so the first page does not wait for it
        data.policy_type_of_gemeenten = lru_cache(maxsize=1)(data._policy_type_of_gemeenten)
        return data

    def _published_map(self, year: int) -> tuple[dict, list[str], list[str]] | None:
        """A year's own gemeente map (as published), its codes and names; None if not stored."""
        text = self.store.boundary_geojson("gemeente", year)
        if text is None:
            return None
        geojson = json.loads(text)
        return geojson, *_codes_and_names(geojson, self.api)

    def _geometry_file(self, name: str) -> GeometryFile | None:
        """The static file of a map: ``gemeente-latest`` (today's gemeenten) or ``gemeente-<year>``
        (a year's own map, as published); None for any other name."""
        if name == "gemeente-latest":
            return geometry_file(name, self.geojson)
        year = name.removeprefix("gemeente-")
        found = self.published_map(int(year)) if year.isdigit() and len(year) == 4 else None
        return geometry_file(name, found[0]) if found else None

    def _region_shape(self, region: str):
        """The union of a region's gemeenten (shapely geometry), or None if none is on the map."""
        geoms = [self._shapes[c] for c in self.api.member_shares(region).index if c in self._shapes]
        return shapely.union_all(geoms) if geoms else None

    def _outline(self, region: str) -> tuple[list, list]:
        """Lon/lat of the outline of a region's gemeenten (None separates rings)."""
        union = self.region_shape(region)
        if union is None:
            return [], []
        lon, lat = [], []
        polygons = getattr(union, "geoms", [union])
        for poly in polygons:
            for ring in [poly.exterior, *poly.interiors]:
                xs, ys = ring.coords.xy
                lon += [round(x, 4) for x in xs] + [None]
                lat += [round(y, 4) for y in ys] + [None]
        return lon, lat

    def view(self, region: str) -> dict:
        """Where the map looks for a region: its centre (lon/lat) and a zoom factor relative to
        the whole country (``scale`` 1), fitting its outline with a 40 % margin, at most 40x.

        The map's frame stays the country's box (figures.NL_BOX), so it always fills the panel;
        zooming in shows the neighbours around the region rather than cutting them off."""
        if region == "NL01":  # the whole country, without the union of all 342 gemeenten
            return NL_VIEW
        lon, lat = self.outline(region)
        xs = [x for x in lon if x is not None]
        ys = [y for y in lat if y is not None]
        if not xs:
            return NL_VIEW
        box_lon, box_lat = NL_BOX["lon"], NL_BOX["lat"]
        scale = min((box_lon[1] - box_lon[0]) / (max(max(xs) - min(xs), 0.02) * 1.4),
                    (box_lat[1] - box_lat[0]) / (max(max(ys) - min(ys), 0.02) * 1.4))
        return {"center": {"lon": round((max(xs) + min(xs)) / 2, 4), "lat": round((max(ys) + min(ys)) / 2, 4)},
                "scale": round(max(1.0, min(scale, 40.0)), 2)}

    def _label_point(self, region: str) -> tuple[float, float] | None:
        """Lon/lat of a point inside the region (for its name on the map); None for Nederland."""
        union = None if region == "NL01" else self.region_shape(region)
        if union is None:
            return None
        point = union.representative_point()
        return round(point.x, 4), round(point.y, 4)

    def _policy_type_of_gemeenten(self) -> pd.Series:
        """For each current gemeente the policy region types it belongs to (for the type map)."""
        members = self.api.members_table.merge(
            self.api.policy_regions[["type"]], left_on="region_code", right_index=True
        )
        return members.groupby("gemeente_code")["type"].agg(lambda s: sorted(set(s)))


def _codes_and_names(geojson: dict, api: RegionAPI) -> tuple[list[str], list[str]]:
    codes = [f["properties"]["statcode"] for f in geojson["features"]]
    return codes, [api.names.get(c, c) for c in codes]
