"""Offline CBS path: read the mirror's tidy long CSVs into the same RawTable as the live path.

The mirror (laid out like ``shared/data``, see its ``cbs/PROVENANCE.md``) keeps figures as long
CSV with the original CBS column key beside each value. Its sources differ from what the live
path asks for in two ways, translated here and nowhere else:

* births, deaths and migration come from 37259eng, the English edition of 37259ned; the tidy
  file carries the Dutch key of the same column (``source_key_ned``), which is what we use;
* 03759ned was captured from the OData v4 service, whose measure code ``M000352`` is the v3
  key ``BevolkingOp1Januari_1``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from data_sources.cbs_tables import TableSpec
from data_sources.errors import SourceDataError
from data_sources.raw import KEPT_PREFIXES, RawTable


@dataclass(frozen=True)
class MirrorFiles:
    source_table: str
    files: tuple[str, ...]  # relative to <mirror>/cbs/tidy, first wins on duplicates
    key_column: str = "source_key"
    key_map: tuple[tuple[str, str], ...] = ()
    row_filter: tuple[tuple[str, str], ...] = ()  # (column, required value)
    metadata: str | None = None  # glob under <mirror>/cbs/sources for the CBS table info


MIRROR: dict[str, MirrorFiles] = {
    "03759ned": MirrorFiles(
        source_table="03759ned",
        files=("03759ned_population_1jan_long.csv",),
        key_map=(("M000352", "BevolkingOp1Januari_1"),),
        metadata="03759ned__*/properties.json",
    ),
    "37259ned": MirrorFiles(
        source_table="37259eng",
        files=("37259eng_population_dynamics_long.csv",),
        key_column="source_key_ned",
        row_filter=(("sex", "totaal"),),
    ),
    "71486ned": MirrorFiles(
        source_table="71486ned",
        files=("PARTIAL_71486ned_households_long.csv",),
    ),
    "85984NED": MirrorFiles(
        source_table="85984NED",
        files=("85984NED_kwb2024_gemeente_wijk_long.csv", "PARTIAL_85984NED_kwb2024_gemeente_wijk_long.csv"),
        metadata="85984NED__*/TableInfos.json",
    ),
}


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


def read_table(mirror: Path, spec: TableSpec) -> RawTable:
    layout = MIRROR.get(spec.table_id)
    if layout is None:
        raise SourceDataError(f"CBS table {spec.table_id}: no reader for it in the mirror layout")
    tidy = mirror / "cbs" / "tidy"
    frames, names = [], []
    for name in layout.files:
        path = tidy / name
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
        if "region_name" in frame.columns:
            names.append(frame[["region_code", "region_name"]].dropna().drop_duplicates("region_code"))
        frame = frame[["region_code", "year", "key", "value"]]
        dupes = frame[frame.duplicated(subset=["region_code", "year", "key"], keep=False)]
        if len(dupes):
            first = dupes.iloc[0]
            raise SourceDataError(
                f"table {spec.table_id}: duplicated region-year {first.region_code} {first.year} {first.key} in {name}"
            )
        frames.append(frame)
    data = pd.concat(frames, ignore_index=True)
    # The complete KWB file and its PARTIAL sibling overlap: keep the first file's figure.
    data = data.drop_duplicates(subset=["region_code", "year", "key"], keep="first")
    data = data[data["key"].isin(spec.keys()) & data["region_code"].str[:2].isin(KEPT_PREFIXES)]
    try:
        data["year"] = data["year"].astype("int64")
        data["value"] = pd.to_numeric(data["value"], errors="raise").astype("float64")
    except (ValueError, TypeError) as err:
        raise SourceDataError(f"CBS table {spec.table_id}: bad year or value in mirror ({err})") from err
    title, modified = _modified(mirror, layout.metadata)
    titles = pd.concat(names).drop_duplicates("region_code") if names else pd.DataFrame(columns=["region_code", "region_name"])
    return RawTable(
        table_id=spec.table_id,
        source_table=layout.source_table,
        title=title or spec.title,
        modified=modified,
        data=data.reset_index(drop=True),
        origin=f"mirror {tidy} ({', '.join(layout.files)})",
        regions=pd.DataFrame({"code": titles["region_code"], "title": titles["region_name"], "description": ""}),
    )
