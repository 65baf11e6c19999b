"""The raw step's output: one CBS table as a long frame, the same whether live or mirrored."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from data_sources.errors import SourceDataError

LEVEL_PATTERNS = {
    "land": re.compile(r"^NL0[01]$"),
    "provincie": re.compile(r"^PV\d{2}$"),
    "corop": re.compile(r"^CR\d{2}$"),
    "gemeente": re.compile(r"^GM\d{4}$"),
    "wijk": re.compile(r"^WK\d{4}[0-9A-Z]{2}$"),  # Amsterdam: WK0363AA
}
# Region levels regiodash can keep (landsdeel and buurt are dropped on reading); each table's
# registry entry says which of these it keeps (``Coverage.levels``).
KEPT_PREFIXES = ("NL", "PV", "CR", "GM", "WK")
DATA_COLUMNS = {"region_code": "object", "year": "int64", "key": "object", "value": "float64"}
# Optional per-row columns: how CBS published the figure (exact, rounded, projection) and the
# table it really comes from (a combined mirror file mixes 71486ned and the KWB of 2014).
OPTIONAL_COLUMNS = ("flag", "source_table")


def level_of(code: str) -> str | None:
    """CBS region level of a code (``GM0363`` -> ``gemeente``), None for levels we do not use."""
    for level, pattern in LEVEL_PATTERNS.items():
        if pattern.match(code):
            return level
    return None


@dataclass
class RawTable:
    """One CBS table, filtered to totals, long: region_code, year, key, value, flag, source_table.

    ``table_id`` is the table regiodash asks for live; ``source_table`` is the table the
    figures really come from (the mirror may hold the English edition of the same table).
    """

    table_id: str
    source_table: str
    title: str
    modified: str | None
    data: pd.DataFrame
    origin: str
    regions: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["code", "title", "description"]))

    def __post_init__(self) -> None:
        missing = set(DATA_COLUMNS) - set(self.data.columns)
        if missing:
            raise SourceDataError(f"table {self.table_id}: columns missing: {sorted(missing)}")
        data = self.data.copy()
        if "flag" not in data.columns:
            data["flag"] = "exact"
        if "source_table" not in data.columns:
            data["source_table"] = self.source_table
        self.data = data[[*DATA_COLUMNS, *OPTIONAL_COLUMNS]]


def keep_levels(frame: pd.DataFrame, levels: tuple[str, ...]) -> pd.DataFrame:
    """Rows whose region_code is of one of these levels."""
    either = "|".join(f"(?:{LEVEL_PATTERNS[level].pattern.strip('^$')})" for level in levels)
    return frame[frame["region_code"].astype(str).str.fullmatch(either)]


def normalise_period(period: str) -> int:
    """'2014JJ00' -> 2014. Only yearly periods are expected in the tables we read."""
    text = str(period).strip()
    if not re.match(r"^\d{4}JJ00$", text):
        raise ValueError(f"not a yearly CBS period: {period!r}")
    return int(text[:4])
