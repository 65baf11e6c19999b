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
from data_sources.raw import KEPT_PREFIXES, RawTable, normalise_period

log = logging.getLogger(__name__)

REGION_FILTER = (
    "(substringof('NL',RegioS) or substringof('PV',RegioS) or substringof('GM',RegioS))"
)


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
    """Read a ``cbsodata.download_data`` folder into a RawTable (keys kept, not titles)."""
    table_id = spec.table_id
    infos = _read_json(folder / "TableInfos.json", table_id)
    rows = _read_json(folder / "TypedDataSet.json", table_id)
    region_dim = spec.extra.get("region_dimension", "RegioS")
    regions = _read_json(folder / f"{region_dim}.json", table_id)
    frame = pd.DataFrame(rows)
    needed = {region_dim, "Perioden", *spec.keys()}
    missing = needed - set(frame.columns)
    if missing:
        raise SourceDataError(f"CBS table {table_id}: columns missing in TypedDataSet: {sorted(missing)}")
    frame = frame.rename(columns={region_dim: "region_code"})
    frame["region_code"] = frame["region_code"].str.strip()
    frame = frame[frame["region_code"].str[:2].isin(KEPT_PREFIXES)]
    try:
        frame["year"] = frame["Perioden"].map(normalise_period)
    except ValueError as err:
        raise SourceDataError(f"CBS table {table_id}: {err}") from err
    long = frame.melt(id_vars=["region_code", "year"], value_vars=spec.keys(), var_name="key")
    long = long.dropna(subset=["value"])
    try:
        long["value"] = pd.to_numeric(long["value"], errors="raise").astype("float64")
    except (ValueError, TypeError) as err:
        raise SourceDataError(f"CBS table {table_id}: non-numeric value ({err})") from err
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
        data=long,
        origin=f"CBS OData (cbsodata), {folder}",
        regions=codes,
    )
