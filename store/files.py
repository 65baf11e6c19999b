"""The store: a folder of tidy Parquet tables, simplified GeoJSON and a metadata record.

Why Parquet files and not DuckDB: the store is small (a few MB), written once per build and
read whole into memory by each dashboard worker; plain files can be swapped atomically with a
symlink, read by any tool, and need no server or file locks between gunicorn workers.

Layout: ``<root>/current`` is a symlink to ``<root>/builds/<stamp>/``. A build writes a new
folder, re-reads it, and only then replaces the symlink (``os.replace`` is atomic), so a
failed build leaves the last good store in place and readable by a running dashboard.

Retention: after a swap the new build, the build that was in use until then (the last good
one, also when ``current`` was pointed back at an older build by hand) and the newest
``KEEP_BUILDS`` builds are kept; older ones are removed. ``Store.open`` reads everything,
boundaries included, into memory, so a running worker never reads a file that pruning removes.
Half-written ``.<stamp>.tmp`` folders of killed builds are removed by the next build, under a
lock so that two builds at once never remove each other's work.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

TABLES = (
    "observations", "harmonised", "regions", "changes", "gaps",
    "policy_regions", "policy_members", "policy_measures", "neighbours", "corop_members",
)
KEEP_BUILDS = 2  # newest builds kept, besides the new one and the one in use before it
LOCK = ".lock"  # in <root>/builds: held while a build writes, swaps and prunes


class StoreMissing(FileNotFoundError):
    pass


@dataclass
class Store:
    """A built store, read into memory (read-only)."""

    path: Path
    metadata: dict
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    boundaries: dict[str, str] = field(default_factory=dict)  # "<level>_<year>" -> GeoJSON text

    @classmethod
    def open(cls, root: Path) -> "Store":
        root = Path(root)
        path = root / "current" if (root / "current").exists() else root
        meta_file = path / "metadata.json"
        if not meta_file.exists():
            raise StoreMissing(f"no store at {root}: run `regiodash build` first")
        metadata = json.loads(meta_file.read_text(encoding="utf-8"))
        tables = {name: pd.read_parquet(path / f"{name}.parquet") for name in TABLES}
        boundaries = {file.stem: file.read_text(encoding="utf-8")
                      for file in sorted((path / "boundaries").glob("*.geojson"))}
        return cls(path=path.resolve(), metadata=metadata, tables=tables, boundaries=boundaries)

    @property
    def stamp(self) -> str:
        """The build's folder name (UTC time of the build): names this store in cache keys."""
        return self.path.name

    def boundary_geojson(self, level: str, year: int) -> str | None:
        return self.boundaries.get(f"{level}_{year}")

    @property
    def policy_types(self) -> tuple[str, ...]:
        """The policy region types, in order: geo/register.py REGION_TYPES as the build recorded it
        (a store built before it was recorded: the types of its register rows, in their order)."""
        recorded = self.metadata.get("policy_types")
        return tuple(recorded) if recorded else tuple(dict.fromkeys(self.tables["policy_regions"]["type"]))

    @property
    def data_date(self) -> str:
        """The newest CBS modified date among the source tables (else the build date)."""
        dates = [table.get("modified") for table in self.metadata.get("tables", []) if table.get("modified")]
        return max(dates)[:10] if dates else self.metadata["built_at"][:10]


def write(root: Path, tables: dict[str, pd.DataFrame], geojson: dict[str, str], metadata: dict) -> Path:
    """Write a complete store next to the current one and swap it in atomically."""
    root = Path(root)
    builds = root / "builds"
    builds.mkdir(parents=True, exist_ok=True)
    with _locked(builds):
        _remove_stale(builds)
        return _write(root, builds, tables, geojson, metadata)


@contextmanager
def _locked(builds: Path):
    with open(builds / LOCK, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # waits for another build to finish writing
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _remove_stale(builds: Path) -> None:
    """Half-written builds of killed runs: no build holds the lock, so none is being written."""
    for stale in builds.glob(".*.tmp"):
        shutil.rmtree(stale, ignore_errors=True)


def _in_use(root: Path) -> str | None:
    link = root / "current"
    return Path(os.readlink(link)).name if link.is_symlink() else None


def _write(root: Path, builds: Path, tables: dict[str, pd.DataFrame], geojson: dict[str, str],
           metadata: dict) -> Path:
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
    previous = _in_use(root)
    link = root / ".current.new"
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(Path("builds") / stamp)
    os.replace(link, root / "current")
    prune(builds, keep={stamp, previous})
    return final


def prune(builds: Path, keep: set[str | None]) -> list[str]:
    """Remove complete builds beyond the newest KEEP_BUILDS, never one named in ``keep``;
    return the names removed."""
    done = sorted(p for p in builds.iterdir() if p.is_dir() and not p.name.startswith("."))
    removed = []
    for old in done[:-KEEP_BUILDS]:
        if old.name not in keep:
            shutil.rmtree(old, ignore_errors=True)
            removed.append(old.name)
    return removed
