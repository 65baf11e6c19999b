"""Live CBS path: ``cbsodata.download_data`` with filters, retries and an atomic raw folder.

The raw responses are kept exactly as cbsodata writes them (one JSON file per part:
TableInfos, DataProperties, TypedDataSet, RegioS, Perioden, ...), because ``get_data``
replaces region keys by titles and we need the keys.
"""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
import time
from pathlib import Path

import cbsodata
import pandas as pd
import requests

from data_sources.cbs_tables import TableSpec
from data_sources.errors import SourceDataError
from data_sources.raw import RawTable, keep_levels, normalise_period

log = logging.getLogger(__name__)



def odata_filter(spec: TableSpec, first_year: int) -> str:
    """The $filter of a table, on its real dimensions (from the registry)."""
    levels = {"land": "NL", "provincie": "PV", "corop": "CR", "gemeente": "GM", "wijk": "WK"}
    wanted = " or ".join(f"substringof('{levels[lv]}',{spec.region_dimension})" for lv in spec.coverage.levels)
    parts = [f"({wanted})"]
    if spec.period_dimension:
        parts.append(f"{spec.period_dimension} ge '{first_year}JJ00'")
    if spec.dimension_filter:
        parts.append(f"({spec.dimension_filter})")
    return " and ".join(parts)


def download_table(
    spec: TableSpec,
    raw_dir: Path,
    *,
    first_year: int,
    catalog: str = "opendata.cbs.nl",
    https: bool = True,
    retries: int = 4,
    backoff_s: float = 1.0,
) -> Path:
    """Download one table into ``raw_dir/<table_id>/`` and return that folder.

    CBS answers at most 10,000 rows per request and follows with ``odata.nextLink`` (cbsodata
    follows it); it sometimes answers 5xx, so the whole download is retried with exponential
    back-off. The folder is written to a temporary sibling and renamed at the end, so a failed
    download never leaves half a table behind.
    """
    raw_dir.mkdir(parents=True, exist_ok=True)
    target = raw_dir / spec.table_id
    dims = [d for d in (spec.region_dimension, spec.period_dimension, spec.variant_dimension) if d]
    select = [*dims, *dict.fromkeys(part for c in spec.columns for part in c.parts)]
    cbsodata.options.use_https = https
    last_error: Exception | None = None
    for attempt in range(1, retries + 1):
        tmp = Path(tempfile.mkdtemp(prefix=f".{spec.table_id}-", dir=raw_dir))
        try:
            cbsodata.download_data(
                spec.table_id,
                dir=str(tmp),
                select=select,
                filters=odata_filter(spec, first_year),
                catalog_url=catalog,
                timeout=60,
            )
            if target.exists():
                shutil.rmtree(target)
            tmp.rename(target)
            return target
        except (requests.RequestException, ValueError, KeyError) as err:
            last_error = err
            shutil.rmtree(tmp, ignore_errors=True)
            if attempt < retries:
                wait = backoff_s * 2 ** (attempt - 1)
                log.warning("CBS table %s: attempt %d failed (%s); retry in %.1fs", spec.table_id, attempt, err, wait)
                time.sleep(wait)
    raise SourceDataError(
        f"CBS table {spec.table_id}: download failed after {retries} attempts: {last_error}"
    )


def _read_json(path: Path, table_id: str):
    if not path.exists():
        raise SourceDataError(f"CBS table {table_id}: {path.name} missing in {path.parent}")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise SourceDataError(f"CBS table {table_id}: {path.name} is not valid JSON ({err})") from err


def read_download(folder: Path, spec: TableSpec) -> RawTable:
    """Read a ``cbsodata.download_data`` folder into a RawTable (keys kept, not titles).

    Reads the table's real dimensions from the registry: its region dimension (RegioS,
    RegioIndeling2021, or WijkenEnBuurten for the one-year KWB tables), its period dimension
    (or the table's fixed year), a variant dimension (a prognosis interval's bounds, matched on
    CBS's title), and columns that are sums of CBS columns (age bands)."""
    table_id = spec.table_id
    infos = _read_json(folder / "TableInfos.json", table_id)
    rows = _read_json(folder / "TypedDataSet.json", table_id)
    region_dim = spec.region_dimension
    regions = _read_json(folder / f"{region_dim}.json", table_id)
    frame = pd.DataFrame(rows)
    parts = list(dict.fromkeys(part for c in spec.columns for part in c.parts))
    dims = [d for d in (region_dim, spec.period_dimension, spec.variant_dimension) if d]
    missing = set(dims + parts) - set(frame.columns)
    if missing:
        raise SourceDataError(f"CBS table {table_id}: columns missing in TypedDataSet: {sorted(missing)}")
    frame = frame.rename(columns={region_dim: "region_code"})
    frame["region_code"] = frame["region_code"].astype(str).str.strip()
    frame = keep_levels(frame, spec.coverage.levels)
    try:
        frame["year"] = frame[spec.period_dimension].map(normalise_period) if spec.period_dimension else spec.fixed_year
    except ValueError as err:
        raise SourceDataError(f"CBS table {table_id}: {err}") from err
    if spec.variant_dimension:
        titles = {r["Key"].strip(): r.get("Title", "") for r in _read_json(folder / f"{spec.variant_dimension}.json", table_id)}
        frame["variant"] = frame[spec.variant_dimension].astype(str).str.strip().map(titles)
    longs = []
    for column in spec.columns:
        rows_of = frame if column.variant is None else frame[frame["variant"] == column.variant]
        values = rows_of[list(column.parts)].apply(pd.to_numeric, errors="coerce")
        # A sum of CBS columns exists only where every part does (min_count): never a partial sum.
        summed = values.sum(axis=1, min_count=len(column.parts))
        longs.append(pd.DataFrame({"region_code": rows_of["region_code"], "year": rows_of["year"],
                                   "key": column.key, "value": summed * spec.value_scale}))
    long = pd.concat(longs, ignore_index=True).dropna(subset=["value"])
    long["value"] = long["value"].astype("float64")
    long["flag"] = spec.flag
    if spec.rounded_levels:
        long.loc[keep_levels(long, spec.rounded_levels).index, "flag"] = "rounded"
    info = infos[0] if infos else {}
    codes = pd.DataFrame(
        {
            "code": [r["Key"].strip() for r in regions],
            "title": [r.get("Title", "") for r in regions],
            "description": [r.get("Description") or "" for r in regions],
        }
    )
    return RawTable(
        table_id=table_id,
        source_table=table_id,
        title=info.get("Title", spec.title),
        modified=info.get("Modified"),
        data=long.reset_index(drop=True),
        origin=f"CBS OData (cbsodata), {folder}",
        regions=codes,
    )
