"""Municipal boundary changes, read from CBS's own RegioS code list.

CBS describes every change in the ``Description`` of each gemeente code ("Opgeheven per
01-01-2019, overgegaan naar: - Het Hogeland (GM1966), ... 4454 hectare met 4703 woningen en
10493 inwoners"). That list comes with every CBS table (``RegioS.json`` in a cbsodata download,
``codes-RegioS.json`` in the mirror), so the change table is built from data, with the number of
inhabitants that moved: the weights for harmonising series.
"""

from __future__ import annotations

import re
from datetime import date

import pandas as pd

CHANGE_COLUMNS = [
    "date", "map_year", "from_code", "from_name", "to_code", "to_name",
    "kind", "inhabitants", "hectares", "source",
]
_HEADER = re.compile(
    r"^(?P<what>Opgeheven|Grenswijziging|Gemeentelijke herindeling|Wijziging) per "
    r"(?P<d>\d\d)-(?P<m>\d\d)-(?P<y>\d{4}), (?P<dir>overgegaan naar|ontvangen van):"
)
_RENAME = re.compile(r"^Naamswijziging per (?P<d>\d\d)-(?P<m>\d\d)-(?P<y>\d{4}),")
_NEW_NAME = re.compile(r"^nieuwe naam: (?P<name>.+) \((?P<code>GM\d{4})\)")
_TARGET = re.compile(r"^- (?P<name>.+) \((?P<code>GM\d{4})\),?$")
_AMOUNT = re.compile(r"^\.\.\. (?P<ha>\d+) hectare.*?(?P<inh>\d+) inwoners?$")


def map_year(when: date) -> int:
    """The first 1-January map on which a change shows (a change on 24 March 2022 -> 2023)."""
    return when.year if (when.month, when.day) == (1, 1) else when.year + 1


def parse_description(code: str, name: str, text: str) -> list[dict]:
    """Transfers *from* this gemeente described in its CBS note (the giving side only,
    so that every transfer is counted once)."""
    out: list[dict] = []
    section: dict | None = None
    target: tuple[str, str] | None = None
    lines = [line.strip() for line in text.replace("\r", "").split("\n")]
    for i, line in enumerate(lines):
        if header := _HEADER.match(line):
            when = date(int(header["y"]), int(header["m"]), int(header["d"]))
            giving = header["dir"] == "overgegaan naar"
            section = {"date": when, "dissolved": header["what"] == "Opgeheven"} if giving else None
            target = None
        elif rename := _RENAME.match(line):
            new = _NEW_NAME.match(lines[i + 1]) if i + 1 < len(lines) else None
            if new:
                when = date(int(rename["y"]), int(rename["m"]), int(rename["d"]))
                out.append(_row(when, code, name, new["code"], new["name"], "rename", None, None))
            section = None
        elif section and (found := _TARGET.match(line)):
            target = (found["code"], found["name"])
        elif section and target and (amount := _AMOUNT.match(line)):
            kind = "dissolved" if section["dissolved"] else "partial transfer"
            out.append(_row(section["date"], code, name, target[0], target[1], kind,
                            int(amount["inh"]), int(amount["ha"])))
            target = None
        elif not line:
            section, target = None, None
    return out


def _row(when, from_code, from_name, to_code, to_name, kind, inhabitants, hectares) -> dict:
    return {
        "date": when, "map_year": map_year(when), "from_code": from_code, "from_name": from_name,
        "to_code": to_code, "to_name": to_name, "kind": kind,
        "inhabitants": inhabitants, "hectares": hectares,
        "source": "CBS RegioS code list (Description of the gemeente code)",
    }


def change_table(codes: pd.DataFrame, first_map_year: int, last_map_year: int) -> pd.DataFrame:
    """All gemeente boundary changes whose map year lies in (first, last], classified.

    A dissolved gemeente whose inhabitants all went to one gemeente is a ``merger``; one whose
    inhabitants went to several is a ``split``; a transfer from a gemeente that goes on is a
    ``partial transfer``; a new code for the same area is a ``rename``.
    """
    rows: list[dict] = []
    for rec in codes[codes["code"].str.startswith("GM")].itertuples():
        rows.extend(parse_description(rec.code, rec.title, rec.description))
    table = pd.DataFrame(rows, columns=CHANGE_COLUMNS)
    table = table[(table["map_year"] > first_map_year) & (table["map_year"] <= last_map_year)].copy()
    dissolved = table["kind"] == "dissolved"
    receivers = (
        table[dissolved & (table["inhabitants"] > 0)].groupby(["from_code", "map_year"])["to_code"].nunique()
    )
    def classify(row) -> str:
        if row.kind != "dissolved":
            return row.kind
        return "split" if receivers.get((row.from_code, row.map_year), 1) > 1 else "merger"
    table["kind"] = [classify(r) for r in table.itertuples()]
    return table.sort_values(["map_year", "from_code", "to_code"]).reset_index(drop=True)


def dissolved_during_year(changes: pd.DataFrame) -> dict[int, set[str]]:
    """Gemeenten dissolved after 1 January of a year (Weesp, 24 March 2022): CBS reports that
    year's births, deaths and moves in the gemeente that took them over."""
    out: dict[int, set[str]] = {}
    for row in changes[changes["kind"].isin(["merger", "split"])].itertuples():
        when = pd.Timestamp(row.date)
        if (when.month, when.day) != (1, 1):
            out.setdefault(when.year, set()).add(row.from_code)
    return out
