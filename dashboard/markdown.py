"""Tables as Markdown text, drawn by one ``dcc.Markdown`` instead of a component per cell.

Why: Dash's renderer spends milliseconds per component that a callback returns. The table of the
shown series (37 rows, ~450 html components) blocked the page for 1.5-1.7 s on every region
change (Chromium long tasks, benchmarks/RESULTS.md); as one Markdown component it is one small
task. The table stays a real <table> with a header row, for screen readers.
"""

from __future__ import annotations

import re

_SPECIAL = re.compile(r"([\\|*_\[\]<>`])")


def escape(text) -> str:
    """Plain text safe inside a Markdown table cell (one line, Markdown's marks taken literally)."""
    return _SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def table(head: list[str], rows: list[list[str]], right_from: int = 1) -> str:
    """A GFM table; columns from ``right_from`` on are right-aligned (numbers)."""
    align = ["---" if i < right_from else "--:" for i in range(len(head))]
    return "\n".join("| " + " | ".join(cells) + " |" for cells in
                     [[escape(c) for c in head], align] + [[escape(c) for c in row] for row in rows])
