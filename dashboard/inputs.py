"""One parser for all untrusted input: query strings, the Referer, API parameters and Dash callback
payloads. Every check raises ``BadInput`` (a 4xx with a one-line reason); nothing here lets an
unexpected value reach the read model, and nothing here can raise anything else.

Why one place: a value that is checked in two ways is accepted by one of them. ``"²".isdigit()``
is True but ``int("²")`` fails; ``float("nan")`` is a number but no year. Each rule is stated once.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

log = logging.getLogger("regiodash.inputs")

MAX_PARAM = 64  # characters of one parameter value: longer values are not ours
MAX_QUERY = 512  # bytes of a query string
MAX_URL = 2048  # characters of a URL in a callback (url.href) or a Referer
MAX_BODY = 64 * 1024  # bytes of a callback POST (nginx's client_max_body_size says the same)
MAX_ITEMS = 64  # entries of a list in a callback payload (our callbacks have at most 11 inputs)
YEAR_DIGITS = 4


class BadInput(ValueError):
    """Input we refuse, with the HTTP status to answer and a message safe to show."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


def shorten(value, limit: int = 40) -> str:
    """A value for a message or log line: repr, cut to ``limit`` characters."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def rejected(where: str, err: BadInput) -> None:
    """One log line per refused input; no traceback (refusing is the expected outcome)."""
    log.warning("rejected %s: %s", where, err)


# ------------------------------------------------------------------ scalars
def year(value) -> int:
    """A calendar year from text or JSON: 1-4 ASCII digits, or an int (not bool, not NaN)."""
    if isinstance(value, bool):
        raise BadInput(f"year must be a number, not {shorten(value)}")
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and 0 < len(value) <= YEAR_DIGITS and value.isascii() and value.isdigit():
        number = int(value)
    else:
        raise BadInput(f"year must be a number of at most {YEAR_DIGITS} digits, not {shorten(value)}")
    if not 0 < number < 10 ** YEAR_DIGITS:
        raise BadInput(f"year {number} is out of range")
    return number


def json_year(value) -> int:
    """A year in a JSON payload: an int (a string or float year is not what our controls send)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadInput(f"year must be an integer, not {shorten(value)}")
    return year(value)


def text(name: str, value, limit: int = MAX_PARAM) -> str:
    if not isinstance(value, str):
        raise BadInput(f"{name} must be text, not {type(value).__name__}")
    if len(value) > limit:
        raise BadInput(f"{name} is too long ({len(value)} characters, at most {limit})")
    return value


def choice(name: str, value, allowed: Iterable[str]) -> str:
    allowed = allowed if isinstance(allowed, (set, frozenset, dict)) else set(allowed)
    if not isinstance(value, str) or value not in allowed:
        raise BadInput(f"{name} {shorten(value)} is not one of the known values")
    return value


def count(name: str, value) -> int | None:
    """A click counter: None or a non-negative int."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise BadInput(f"{name} must be a count, not {shorten(value)}")
    return value


# ------------------------------------------------------------------ URLs
def query_params(search: str | None) -> dict[str, str]:
    """The last value of each parameter of a query string (with or without '?'), bounded."""
    search = (search or "").lstrip("?")
    if len(search) > MAX_QUERY:
        raise BadInput(f"query string too long (at most {MAX_QUERY} bytes)", 414)
    try:
        params = parse_qs(search, keep_blank_values=True, max_num_fields=32)
    except ValueError as err:  # too many fields
        raise BadInput(f"query string not understood: {err}") from err
    return {name: values[-1] for name, values in params.items()}


def referer_query(referrer: str | None) -> str:
    """The query string of the page URL a /_dash-layout request comes from ('' if none or unusable)."""
    if not referrer or len(referrer) > MAX_URL:
        return ""
    try:
        return urlsplit(referrer).query
    except ValueError:  # e.g. "http://[::1" (an invalid IPv6 host) makes urlsplit raise
        return ""


@dataclass(frozen=True)
class PageURL:
    """A page's address as the browser's ``location`` has it."""
    pathname: str
    search: str  # with its "?", or ""
    href: str


def page_url(referrer: str | None) -> PageURL | None:
    """The address of the page a /_dash-layout request comes from (its Referer; None if missing or
    not an http(s) URL). The page is rendered with it, so Dash's Location does not report it again
    after the first paint, and three callbacks do not run (measured: benchmarks/RESULTS.md)."""
    if not referrer or len(referrer) > MAX_URL:
        return None
    try:
        parts = urlsplit(referrer)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.fragment:
        return None
    return PageURL(parts.path or "/", f"?{parts.query}" if parts.query else "", referrer)


# ------------------------------------------------------------------ Dash callback payloads
def _no_constants(name: str):
    raise BadInput(f"{name} is not JSON")  # NaN, Infinity: Python's json accepts them, JSON does not


def callback_body(raw: bytes) -> dict:
    """The JSON object of a callback POST, strictly parsed and bounded."""
    if len(raw) > MAX_BODY:
        raise BadInput(f"request body too large (at most {MAX_BODY} bytes)", 413)
    try:
        body = json.loads(raw, parse_constant=_no_constants)
    except (ValueError, RecursionError) as err:
        raise BadInput("request body is not valid JSON") from err
    if not isinstance(body, dict):
        raise BadInput("request body must be a JSON object")
    return body


def _dependencies(body: dict, key: str, declared: list[dict]) -> list[dict]:
    items = body.get(key, [])
    if not isinstance(items, list) or len(items) > MAX_ITEMS:
        raise BadInput(f"{key} must be a list of at most {MAX_ITEMS} items")
    if len(items) != len(declared):
        raise BadInput(f"{key}: expected {len(declared)} items, got {len(items)}")
    for item, spec in zip(items, declared):
        if not isinstance(item, dict) or item.get("id") != spec["id"] or item.get("property") != spec["property"]:
            raise BadInput(f"{key}: expected {spec['id']}.{spec['property']}, got {shorten(item)}")
    return items


def callback_request(body: dict, callback_map: dict,
                     checks: dict[str, Callable[[object], object]]) -> None:
    """Check a callback POST against the app's own callback map (ids, properties, counts) and each
    value against ``checks`` (keyed ``id.property``; values of components without a check pass)."""
    output = body.get("output")
    if not isinstance(output, str) or output not in callback_map:
        raise BadInput(f"unknown callback output {shorten(output)}")
    spec = callback_map[output]
    if "callback" not in spec:
        raise BadInput(f"callback {shorten(output)} runs in the browser")
    expected = [part.rsplit(".", 1) for part in output_parts(output)]
    outputs = body.get("outputs")
    listed = outputs if output.startswith("..") else [outputs]
    if not isinstance(listed, list) or len(listed) != len(expected) or not all(
            isinstance(o, dict) and [o.get("id"), o.get("property")] == e for o, e in zip(listed, expected)):
        raise BadInput("outputs do not match the callback's outputs")
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or len(changed) > MAX_ITEMS or not all(isinstance(c, str) for c in changed):
        raise BadInput("changedPropIds must be a short list of strings")
    items = _dependencies(body, "inputs", spec["inputs"]) + _dependencies(body, "state", spec.get("state", []))
    for item in items:
        check = checks.get(f"{item['id']}.{item['property']}")
        if check is not None:
            try:
                check(item.get("value"))
            except BadInput as err:
                raise BadInput(f"{item['id']}.{item['property']}: {err}") from None


def output_parts(output: str) -> list[str]:
    """``id.property`` of each output of a callback key (Dash writes several as ``..a.b...c.d..``)."""
    return output.strip(".").split("...") if output.startswith("..") else [output]


def finite_json(value, depth: int = 0) -> None:
    """Any JSON value of bounded depth and size (for component values we do not interpret)."""
    if depth > 8:
        raise BadInput("value nested too deeply")
    if isinstance(value, float) and not math.isfinite(value):
        raise BadInput("value is not a finite number")
    if isinstance(value, (list, dict)):
        if len(value) > 1000:
            raise BadInput("value too large")
        for v in value.values() if isinstance(value, dict) else value:
            finite_json(v, depth + 1)
