"""Boundaries of gemeenten and provincies per year, as CBS publishes them through PDOK.

Live: the PDOK WFS of ``cbs/gebiedsindelingen`` (generalised layers, RD New EPSG:28992),
reprojected to WGS84. Mirror: ``boundaries/<level>_<year>.geojson|.topojson`` in WGS84.
Both return a GeoDataFrame with ``statcode``, ``statnaam`` and ``geometry`` in EPSG:4326.
"""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path

import geopandas as gpd
import requests
from shapely.geometry import shape

from data_sources import topojson
from data_sources.errors import SourceDataError

log = logging.getLogger(__name__)

LEVELS = ("gemeente", "provincie")
# A box around the Netherlands in lon/lat: anything outside is a CRS mix-up (RD metres).
NL_LONLAT = (3.0, 50.6, 7.4, 53.7)
PDOK_LAYERS = {"gemeente": "gemeente_gegeneraliseerd", "provincie": "provincie_gegeneraliseerd"}


def mirror_years(mirror: Path, level: str) -> dict[int, Path]:
    """Years for which the mirror has a boundary file of this level."""
    found: dict[int, Path] = {}
    for path in sorted((mirror / "boundaries").glob(f"{level}_*.*json")):
        stem_year = path.stem.split("_")[-1]
        if stem_year.isdigit():
            found[int(stem_year)] = path
    return found


def read_file(path: Path, level: str, year: int) -> gpd.GeoDataFrame:
    """Read one GeoJSON or TopoJSON boundary file (WGS84) and check it."""
    what = f"boundaries {level} {year} ({path.name})"
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as err:
        raise SourceDataError(f"{what}: cannot read: {err}") from err
    if doc.get("type") == "Topology":
        feats = topojson.features(doc)
        records = [{**f["properties"], "geometry": f["geometry"]} for f in feats]
    elif doc.get("type") == "FeatureCollection":
        crs_name = (doc.get("crs") or {}).get("properties", {}).get("name", "")
        if crs_name and "4326" not in crs_name and "CRS84" not in crs_name:
            raise SourceDataError(f"{what}: CRS is {crs_name}, expected WGS84 (EPSG:4326)")
        records = [
            {**(f.get("properties") or {}), "geometry": shape(f["geometry"]) if f.get("geometry") else None}
            for f in doc["features"]
        ]
    else:
        raise SourceDataError(f"{what}: neither a GeoJSON FeatureCollection nor a TopoJSON Topology")
    frame = gpd.GeoDataFrame(records, geometry="geometry", crs="EPSG:4326")
    return check(frame, what)


def check(frame: gpd.GeoDataFrame, what: str) -> gpd.GeoDataFrame:
    for column in ("statcode", "statnaam"):
        if column not in frame.columns:
            raise SourceDataError(f"{what}: property {column!r} missing")
    frame = frame[["statcode", "statnaam", "geometry"]].copy()
    frame["statcode"] = frame["statcode"].astype(str).str.strip()
    empty = frame[frame.geometry.isna() | frame.geometry.is_empty]
    if len(empty):
        raise SourceDataError(f"{what}: empty geometry for {', '.join(empty['statcode'][:5])}")
    dupes = frame[frame["statcode"].duplicated()]["statcode"]
    if len(dupes):
        raise SourceDataError(f"{what}: duplicated region {', '.join(dupes[:5])}")
    minx, miny, maxx, maxy = frame.total_bounds
    bx0, by0, bx1, by1 = NL_LONLAT
    if minx < bx0 - 1 or miny < by0 - 1 or maxx > bx1 + 1 or maxy > by1 + 1:
        raise SourceDataError(
            f"{what}: coordinates ({minx:.0f}, {miny:.0f}, {maxx:.0f}, {maxy:.0f}) are not WGS84 "
            "lon/lat of the Netherlands (RD New metres in a WGS84 file?)"
        )
    return frame.sort_values("statcode").reset_index(drop=True)


def download_pdok(level: str, year: int, raw_dir: Path, base: str, timeout: int = 120) -> Path:
    """Download one generalised CBS layer from PDOK (RD New) and store it as WGS84 GeoJSON."""
    target = raw_dir / "boundaries" / f"{level}_{year}.geojson"
    if target.exists():
        return target
    url = base.format(year=year)
    params = {
        "service": "WFS",
        "version": "2.0.0",
        "request": "GetFeature",
        "typeNames": PDOK_LAYERS[level],
        "outputFormat": "json",
        "srsName": "EPSG:28992",
    }
    try:
        response = requests.get(url, params=params, timeout=timeout)
        response.raise_for_status()
        frame = gpd.read_file(io.BytesIO(response.content))
    except (requests.RequestException, ValueError) as err:
        raise SourceDataError(f"boundaries {level} {year}: PDOK download failed: {err}") from err
    if frame.crs is None:
        frame = frame.set_crs("EPSG:28992")
    frame = frame.to_crs("EPSG:4326")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".tmp")
    tmp.write_text(frame[["statcode", "statnaam", "geometry"]].to_json(), encoding="utf-8")
    tmp.rename(target)
    return target
