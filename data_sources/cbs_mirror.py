"""Offline CBS path: read the mirror's tidy long CSVs into the same RawTable as the live path.

Which files hold a table, and how their keys map onto the CBS v3 keys, is stated in the
registry (``cbs_tables``: ``TableSpec.mirror_files``); this module only applies it. The mirror
is laid out like ``shared/data`` (see its ``cbs/PROVENANCE*.md``).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from data_sources.cbs_tables import EXACT, ROUNDED, MirrorFile, TableSpec
from data_sources.errors import SourceDataError
from data_sources.raw import RawTable, keep_levels


def _modified(mirror: Path, pattern: str | None) -> tuple[str | None, str | None]:
    """CBS's own title and modified date of a table, where the mirror kept its metadata."""
    if not pattern:
        return None, None
    for path in sorted((mirror / "cbs" / "sources").glob(pattern)):
        info = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(info, list):
            info = info[0]
        return info.get("Title"), info.get("Modified")
    return None, None


def region_codes(mirror: Path) -> pd.DataFrame:
    """The CBS RegioS code list (code, title, description with CBS's boundary-change notes)."""
    paths = sorted((mirror / "cbs" / "sources").glob("03759ned__*/codes-RegioS.json"))
    if not paths:
        raise SourceDataError(f"mirror {mirror}: CBS RegioS code list (03759ned codes-RegioS.json) missing")
    values = json.loads(paths[0].read_text(encoding="utf-8"))["value"]
    return pd.DataFrame(
        {
            "code": [v["Identifier"].strip() for v in values],
            "title": [v.get("Title", "") for v in values],
            "description": [v.get("Description") or "" for v in values],
        }
    )


def corop_of_gemeenten_2015(mirror: Path) -> pd.DataFrame:
    """gemeente_code -> corop_code on the 2015 map, from the CBS gebiedsindelingen 2015 layer
    (``boundaries/gemeente_2015.topojson``, property ``corop_gebied``; see boundaries/PROVENANCE.md)."""
    path = mirror / "boundaries" / "gemeente_2015.topojson"
    if not path.exists():
        return pd.DataFrame(columns=["gemeente_code", "corop_code"])
    doc = json.loads(path.read_text(encoding="utf-8"))
    rows = [g.get("properties", {}) for obj in doc.get("objects", {}).values() for g in obj.get("geometries", [])]
    return pd.DataFrame(
        [(p["statcode"], p["corop_gebied"]) for p in rows if p.get("corop_gebied") and p.get("statcode")],
        columns=["gemeente_code", "corop_code"],
    )


def _flag(precision: pd.Series) -> pd.Series:
    text = precision.fillna("").astype(str).str.lower()
    rounded = text.str.startswith("rounded") | text.str.contains("multiple of 5")
    return rounded.map({True: ROUNDED, False: EXACT})


def _read_file(tidy: Path, spec: TableSpec, layout: MirrorFile) -> tuple[pd.DataFrame, pd.DataFrame]:
    path = tidy / layout.name
    if not path.exists():
        raise SourceDataError(f"CBS table {spec.table_id}: mirror file missing: {path}")
    frame = pd.read_csv(path, dtype={"region_code": str}, low_memory=False)
    needed = {"region_code", "year", "value", layout.key_column}
    if missing := needed - set(frame.columns):
        raise SourceDataError(f"CBS table {spec.table_id}: {path.name} lacks columns {sorted(missing)}")
    for column, wanted in layout.row_filter:
        frame = frame[frame[column] == wanted]
    frame = frame.rename(columns={layout.key_column: "key"})
    frame["key"] = frame["key"].replace(dict(layout.key_map))
    frame = frame[frame["key"].isin(spec.keys())]
    frame = keep_levels(frame, spec.coverage.levels)
    names = (frame[["region_code", "region_name"]].dropna().drop_duplicates("region_code")
             if "region_name" in frame.columns else pd.DataFrame(columns=["region_code", "region_name"]))
    frame = frame.assign(
        flag=_flag(frame[layout.precision_column]) if layout.precision_column else spec.flag,
        source_table=frame["source_table"] if "source_table" in frame.columns else (spec.mirror_source or spec.table_id),
    )
    if spec.flag != EXACT:
        frame["flag"] = spec.flag
    if spec.rounded_levels:
        frame.loc[keep_levels(frame, spec.rounded_levels).index, "flag"] = ROUNDED
    try:
        frame["year"] = frame["year"].astype("int64")
        frame["value"] = pd.to_numeric(frame["value"], errors="raise").astype("float64") * layout.scale * spec.value_scale
    except (ValueError, TypeError) as err:
        raise SourceDataError(f"CBS table {spec.table_id}: bad year or value in {path.name} ({err})") from err
    frame = frame[["region_code", "year", "key", "value", "flag", "source_table"]]
    dupes = frame[frame.duplicated(subset=["region_code", "year", "key"], keep=False)]
    if len(dupes):
        first = dupes.iloc[0]
        raise SourceDataError(
            f"table {spec.table_id}: duplicated region-year {first.region_code} {first.year} {first.key} in {layout.name}"
        )
    return frame, names


def read_table(mirror: Path, spec: TableSpec) -> RawTable:
    if not spec.mirror_files:
        raise SourceDataError(f"CBS table {spec.table_id}: no reader for it in the mirror layout")
    tidy = mirror / "cbs" / "tidy"
    read = [_read_file(tidy, spec, layout) for layout in spec.mirror_files]
    # Files overlap (a complete file and its PARTIAL sibling): the first file's figure wins.
    data = pd.concat([f for f, _ in read], ignore_index=True).drop_duplicates(["region_code", "year", "key"], keep="first")
    titles = pd.concat([n for _, n in read]).drop_duplicates("region_code")
    title, modified = _modified(mirror, spec.mirror_metadata)
    return RawTable(
        table_id=spec.table_id,
        source_table=spec.mirror_source or spec.table_id,
        title=title or spec.title,
        modified=modified,
        data=data.reset_index(drop=True),
        origin=f"mirror {tidy} ({', '.join(f.name for f in spec.mirror_files)})",
        regions=pd.DataFrame({"code": titles["region_code"], "title": titles["region_name"], "description": ""}),
    )
