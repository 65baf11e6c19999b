"""The store: a folder of tidy Parquet tables, simplified GeoJSON and a metadata record.

Why Parquet files and not DuckDB: the store is small (a few MB), written once per build and
read whole into memory by each dashboard worker; plain files can be swapped atomically with a
symlink, read by any tool, and need no server or file locks between gunicorn workers.

Layout: ``<root>/current`` is a symlink to ``<root>/builds/<stamp>/``. A build writes a new
folder, re-reads it, and only then replaces the symlink (``os.replace`` is atomic), so a
failed build leaves the last good store in place and readable by a running dashboard.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

TABLES = (
    "observations", "harmonised", "regions", "changes", "gaps",
    "policy_regions", "policy_members", "policy_measures", "corop_members",
)
KEEP_BUILDS = 2


class StoreMissing(FileNotFoundError):
    pass


@dataclass
class Store:
    """A built store, read into memory (read-only)."""

    path: Path
    metadata: dict
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)

    @classmethod
    def open(cls, root: Path) -> "Store":
        root = Path(root)
        path = root / "current" if (root / "current").exists() else root
        meta_file = path / "metadata.json"
        if not meta_file.exists():
            raise StoreMissing(f"no store at {root}: run `regiodash build` first")
        metadata = json.loads(meta_file.read_text(encoding="utf-8"))
        tables = {name: pd.read_parquet(path / f"{name}.parquet") for name in TABLES}
        return cls(path=path.resolve(), metadata=metadata, tables=tables)

    def boundary_geojson(self, level: str, year: int) -> str | None:
        file = self.path / "boundaries" / f"{level}_{year}.geojson"
        return file.read_text(encoding="utf-8") if file.exists() else None

    @property
    def data_date(self) -> str:
        """The newest CBS modified date among the source tables (else the build date)."""
        dates = [t.get("modified") for t in self.metadata.get("tables", []) if t.get("modified")]
        return max(dates)[:10] if dates else self.metadata["built_at"][:10]


def write(root: Path, tables: dict[str, pd.DataFrame], geojson: dict[str, str], metadata: dict) -> Path:
    """Write a complete store next to the current one and swap it in atomically."""
    root = Path(root)
    builds = root / "builds"
    builds.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    tmp = builds / f".{stamp}.tmp"
    try:
        (tmp / "boundaries").mkdir(parents=True)
        for name in TABLES:
            tables[name].to_parquet(tmp / f"{name}.parquet", index=False)
        for name, text in geojson.items():
            (tmp / "boundaries" / f"{name}.geojson").write_text(text, encoding="utf-8")
        (tmp / "metadata.json").write_text(json.dumps(metadata, indent=2, default=str), encoding="utf-8")
        Store.open(tmp)  # re-read before publishing: a store we cannot read is not swapped in
        final = builds / stamp
        tmp.rename(final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    link = root / ".current.new"
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(Path("builds") / stamp)
    os.replace(link, root / "current")
    _prune(builds, keep=stamp)
    return final


def _prune(builds: Path, keep: str) -> None:
    done = sorted(p for p in builds.iterdir() if not p.name.startswith("."))
    for old in done[:-KEEP_BUILDS]:
        if old.name != keep:
            shutil.rmtree(old, ignore_errors=True)
