"""The view state that lives in the URL, parsed and checked (bad input -> default + message)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from urllib.parse import urlencode

from dashboard import inputs
from dashboard.model.measures import MEASURES

MAX_PARAM = 64  # longer values are not ours: reject rather than echo them


@dataclass
class ViewState:
    region: str = "NL01"
    measure: str = "population"
    year: int | None = None
    view: str = "index"  # index | counts: comparing first (a region against Nederland)
    lang: str = "nl"
    boundaries: str = "latest"
    colour: str = "value"  # value | type
    compare: str = "auto"  # "auto", or up to three region codes joined by "," ("" = Nederland only)

    def to_query(self) -> str:
        values = {k: v for k, v in asdict(self).items() if v is not None}
        return "?" + urlencode(values)


def parse(search: str | None, known_regions: set[str], years: list[int]) -> tuple[ViewState, list[tuple[str, dict]]]:
    """State from a query string, and the problems found (message key, format arguments)."""
    state = ViewState(year=years[-1] if years else None)
    problems: list[tuple[str, dict]] = []
    try:
        params = inputs.query_params(search)
    except inputs.BadInput:
        params = {}
        problems.append(("bad_param", {"name": "?", "value": (search or "")[:20] + "…"}))
    choices = {
        "measure": set(MEASURES), "view": {"counts", "index"}, "lang": {"nl", "en"},
        "boundaries": {"latest", "published"}, "colour": {"value", "type"},
    }
    for name, value in params.items():
        if len(value) > MAX_PARAM:
            problems.append(("bad_param", {"name": name[:20], "value": value[:20] + "…"}))
            continue
        if name == "region":
            if value in known_regions:
                state.region = value
            else:
                problems.append(("unknown_region", {"code": value}))
        elif name == "year":
            try:
                year = inputs.year(value)
            except inputs.BadInput:
                year = None
            if year in years:
                state.year = year
            else:
                problems.append(("bad_param", {"name": name, "value": value}))
        elif name == "compare":
            codes = [c for c in value.split(",") if c in known_regions or (c.startswith("NB-") and c[3:] in known_regions)]
            state.compare = "auto" if value == "auto" or (value and not codes) else ",".join(list(dict.fromkeys(codes))[:3])
        elif name in choices:
            if value in choices[name]:
                setattr(state, name, value)
            else:
                problems.append(("bad_param", {"name": name, "value": value}))
    return state, problems
