"""A small TopoJSON decoder (spec: github.com/topojson/topojson-specification).

GDAL reads TopoJSON too, but not the mirror's files whose ``"type":"Topology"`` stands at the
end; decoding the arcs ourselves is short and keeps shared edges bit-identical, which the
topology-preserving simplification later relies on.
"""

from __future__ import annotations

from typing import Any

from shapely.geometry import MultiPolygon, Polygon, shape


def _decode_arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        if transform:
            (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
            x = y = 0
            points = []
            for dx, dy, *_ in arc:  # delta-encoded, quantised
                x += dx
                y += dy
                points.append((x * sx + tx, y * sy + ty))
        else:
            points = [(p[0], p[1]) for p in arc]
        arcs.append(points)
    return arcs


def _ring(indices: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    ring: list[tuple[float, float]] = []
    for index in indices:
        points = arcs[index] if index >= 0 else arcs[~index][::-1]
        # consecutive arcs share their end/start point
        ring.extend(points if not ring else points[1:])
    return ring


def _polygon(rings: list[list[int]], arcs) -> Polygon | None:
    # Quantisation can collapse a small ring to fewer than 4 points: such a ring has no area.
    shell, *holes = [_ring(r, arcs) for r in rings]
    if len(shell) < 4:
        return None
    return Polygon(shell, [h for h in holes if len(h) >= 4])


def _geometry(obj: dict[str, Any], arcs):
    kind = obj.get("type")
    if kind == "Polygon":
        return _polygon(obj["arcs"], arcs)
    if kind == "MultiPolygon":
        parts = [p for p in (_polygon(rings, arcs) for rings in obj["arcs"]) if p is not None]
        return MultiPolygon(parts) if parts else None
    if kind is None:
        return None
    # Points and lines do not occur in boundary layers; shapely handles them if they do.
    return shape({"type": kind, "coordinates": obj.get("coordinates")})


def features(topology: dict[str, Any], object_name: str | None = None) -> list[dict[str, Any]]:
    """Decode one object of a Topology into a list of ``{"properties", "geometry"}`` dicts."""
    if topology.get("type") != "Topology":
        raise ValueError("not a TopoJSON Topology")
    objects = topology["objects"]
    name = object_name or next(iter(objects))
    arcs = _decode_arcs(topology)
    collection = objects[name]
    geometries = collection["geometries"] if collection.get("type") == "GeometryCollection" else [collection]
    out = []
    for geom in geometries:
        properties = dict(geom.get("properties") or {})
        if "id" in geom and "statcode" not in properties:
            properties["statcode"] = geom["id"]
        out.append({"properties": properties, "geometry": _geometry(geom, arcs)})
    return out
