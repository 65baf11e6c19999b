"""The three journeys of issue 12 in a real browser (Debian's Chromium via Playwright):
the official of gemeente Eemsdelta, ministry staff comparing krimp vs anticipeer vs the rest, and
the public on a phone looking at Den Haag Zuidwest in English. Waits on conditions only.

Screenshots of each journey at 1366x900 and 390x844 go to artifacts/journey_*.png (look at them)."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Error as PlaywrightError
from servers import ARTIFACTS

pytestmark = pytest.mark.browser

KNOWN_LIBRARY_ISSUES = {"nested-interactive"}  # Dash 4's RadioItems, see test_accessibility.py
SIZES = {"desktop": (1366, 900), "phone": (390, 844)}


# ``server``: the app from tests/conftest.py (its start-up bound, SERVER_START_S, allows a busy machine).


@pytest.fixture()
def open_page(browser):
    contexts = []

    def _open(size: str = "desktop"):
        width, height = SIZES[size]
        ctx = browser.new_context(viewport={"width": width, "height": height}, accept_downloads=True)
        contexts.append(ctx)
        return ctx.new_page()

    ARTIFACTS.mkdir(exist_ok=True)
    yield _open
    for ctx in contexts:
        ctx.close()


def wait_until(page, predicate: str, arg=None, seconds: float = 90.0):
    """Wait until ``predicate`` (a JS function) is true, asking the page from outside: while the
    WebGL map paints in software, Chromium can starve the page's own timers and animation frames
    (which page.wait_for_function polls with) for minutes, though the page is long ready."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            if page.evaluate(predicate, arg):
                return
        except PlaywrightError:  # an element re-rendered under the question: ask again
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"not true within {seconds:.0f} s: {predicate}")
        page.wait_for_timeout(100)  # the poll interval, not a wait for something to happen


def ready(page, region_title: str | None = None):
    """The first paint is done: map and both trend charts drawn, the headline written."""
    wait_until(page, "() => { const g = document.querySelector('#map .js-plotly-plot');"
                     " return !!(g && g.data && g.data.length === 2 && g.data[0].z && g.data[0].z.length > 300); }")
    wait_until(page, "() => ['trend', 'trend-second'].every(id => { const g = document.querySelector("
                     "'#' + id + ' .js-plotly-plot'); return !!(g && g.data && g.data.length > 0); })")
    wait_until(page, "() => (document.getElementById('headline-sentence')?.innerText || '').length > 10")
    if region_title:
        wait_until(page, "(t) => (document.getElementById('region-title')?.innerText || '').startsWith(t)", region_title)


def axe_violations(page) -> dict:
    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})
    return {v["id"]: [n["target"] for n in v["nodes"]] for v in result.response["violations"]
            if v["id"] not in KNOWN_LIBRARY_ISSUES}


def trend_lines(page, graph: str = "trend") -> list[dict]:
    return page.evaluate(f"() => document.querySelector('#{graph} .js-plotly-plot').data"
                         ".filter(d => d.mode === 'lines+markers')"
                         ".map(d => ({name: d.name, visible: d.visible, y0: d.y[0]}))")


def pdf_page_count(pdf: bytes) -> int:
    """Pages of a PDF: the /Count of its root page tree (Chromium writes uncompressed dictionaries)."""
    objects = [m[1] for m in re.finditer(rb"\d+ 0 obj(.*?)endobj", pdf, re.S)]
    root = next(body for body in objects if re.search(rb"/Type\s*/Pages\b", body) and b"/Parent" not in body)
    return int(re.search(rb"/Count\s+(\d+)", root)[1])


def print_to_pdf(page, name: str) -> tuple[int, bool]:
    """Print as the browser would (print media); pages, and whether the printed page shows the map
    (the SVG map itself: it prints as vector shapes)."""
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    page.emulate_media(media="print")
    map_printed = page.evaluate("""() => {
        const shown = el => el && getComputedStyle(el).display !== 'none' && el.getBoundingClientRect().height > 100;
        const shapes = [...document.querySelectorAll('#map path.choroplethlocation')].filter(p => (p.getAttribute('d') || '').length > 10);
        return shown(document.getElementById('map')) && shapes.length > 0;  // zoomed: gemeenten outside the view are clipped
    }""")
    path = ARTIFACTS / f"journey_{name}.pdf"
    page.pdf(path=str(path), format="A4", print_background=True)
    pages = pdf_page_count(path.read_bytes())
    page.emulate_media(media="screen")
    return pages, map_printed


def shoot(page, name: str, size: str) -> Path:
    path = ARTIFACTS / f"journey_{name}_{size}.png"
    page.screenshot(path=str(path), full_page=False)
    return path


def focus_by_tab(page, target_id: str, limit: int = 8) -> list[str]:
    """Press Tab until the element with ``target_id`` has focus; the ids/classes passed on the way."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        here = page.evaluate("() => document.activeElement.id || document.activeElement.className")
        seen.append(here)
        if here == target_id:
            return seen
    raise AssertionError(f"{target_id} never got focus; Tab went through {seen}")


# ---------------------------------------------------------------- 1. the official of Eemsdelta
def test_journey_gemeente_eemsdelta(server, open_page):
    page = open_page("desktop")
    page.goto(server + "/")
    ready(page, "Nederland")
    wait_until(page, "() => document.getElementById('region').tabIndex === 0")  # assets/a11y.js ran
    passed = focus_by_tab(page, "region")  # keyboard only, from the top of the page
    assert passed[0] == "skip-link"
    page.keyboard.press("Enter")
    page.keyboard.type("Eemsdelta")
    wait_until(page, "() => { const o = document.querySelector('.dash-dropdown-option');"
                           " return o && o.innerText.startsWith('Eemsdelta'); }")
    first_option = page.inner_text(".dash-dropdown-option")
    page.keyboard.press("Enter")
    wait_until(page, "() => location.search.includes('region=GM1979')")
    assert first_option.startswith("Eemsdelta — gemeente")  # the gemeente, not the krimpregio or the deal
    ready(page, "Eemsdelta")

    sentence = page.inner_text("#headline-sentence")
    assert sentence.startswith("Eemsdelta: \u22126,5 % inwoners sinds 2014, Nederland +7,7 %")
    cards = page.inner_text("#headline")
    assert "44.846" in cards and "Nederland: +7,7 %" in cards
    lines = trend_lines(page)
    assert [ln["name"] for ln in lines][:2] == ["Eemsdelta", "Nederland"] and len(lines) >= 3
    assert all(ln["visible"] is True and ln["y0"] == 100 for ln in lines)  # index, all shown
    assert "Vergelijkbare gemeenten: de 5 gemeenten" in page.inner_text("#compare-note")
    shoot(page, "eemsdelta", "desktop")

    with page.expect_download() as info:
        page.click("#download-csv")
    text = Path(info.value.path()).read_text()
    lines_csv = text.splitlines()
    assert lines_csv[0] == "# regiodash export: Eemsdelta (GM1979)"
    assert lines_csv[1].startswith("# link: http") and "region=GM1979" in lines_csv[1]
    table_rows = [line for line in lines_csv if not line.startswith("#")][1:]
    shown = {row.split(",")[0] for row in table_rows}
    assert {"GM1979", "NL01", "PV20", "NB-GM1979"} <= shown  # every region of the table on screen
    assert "GM1979,Eemsdelta,population,persons,2014,47958.0,100.0,2014,exact," in text
    with page.expect_download() as info:
        page.click("#download-csv-nl")
    excel = Path(info.value.path()).read_text(encoding="utf-8-sig")
    assert "GM1979;Eemsdelta;population;persons;2014;47958,0;100,0;2014;exact;" in excel

    pages, map_printed = print_to_pdf(page, "eemsdelta")
    print(f"\nEemsdelta PDF: {pages} pages, map printed: {map_printed}")
    assert map_printed and 2 <= pages <= 12
    assert axe_violations(page) == {}

    phone = open_page("phone")
    phone.goto(server + "/?region=GM1979")
    ready(phone, "Eemsdelta")
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= 390
    shoot(phone, "eemsdelta", "phone")


# ---------------------------------------------------------------- 2. krimp vs anticipeer vs the rest
def test_journey_krimp_vs_anticipeer_vs_rest_as_index(server, open_page):
    page = open_page("desktop")
    page.goto(server + "/?region=G-KRIMP&compare=")
    ready(page, "Alle krimpregio's")
    assert len(trend_lines(page)) == 2  # the krimpregio's and Nederland: nothing chosen yet
    for typed in ("Alle anticipeer", "Rest van Nederland"):
        if not page.is_visible("input.dash-dropdown-search"):  # a multi-choice list stays open between choices
            page.click("#compare")
        page.fill("input.dash-dropdown-search", typed)
        wait_until(page, "(t) => { const o = document.querySelector('.dash-dropdown-option');"
                         " return !!o && o.innerText.startsWith(t); }", typed)
        page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    wait_until(page, "() => decodeURIComponent(location.search).includes('compare=G-ANTICIPEER,G-REST')")
    wait_until(page, "() => document.querySelector('#trend .js-plotly-plot').data"
                     ".filter(d => d.mode === 'lines+markers').length === 4")
    lines = trend_lines(page)
    assert [ln["name"] for ln in lines] == ["Alle krimpregio's", "Nederland", "Alle anticipeerregio's",
                                            "Rest van Nederland (geen krimp- of anticipeerregio)"]
    assert all(ln["visible"] is True and ln["y0"] == 100 for ln in lines)
    title = page.evaluate("() => document.querySelector('#trend .js-plotly-plot').layout.title.text")
    assert "Index (2014 = 100)" in title
    assert page.is_checked("#view input[value='index']")
    shoot(page, "krimp_anticipeer_rest", "desktop")
    assert axe_violations(page) == {}
    page.click("#view input[value='counts']")  # counts one click away
    wait_until(page, "() => location.search.includes('view=counts')")
    wait_until(page, "() => document.querySelector('#trend .js-plotly-plot').data[0].y[0] > 1000000")
    assert "klik op hun naam in de legenda" in page.inner_text("#compare-note")

    # the three groups side by side from a link (Nederland's page), on a phone
    phone = open_page("phone")
    phone.goto(server + "/?region=NL01&compare=G-KRIMP,G-ANTICIPEER,G-REST")
    ready(phone, "Nederland")
    assert [ln["name"] for ln in trend_lines(phone)] == [
        "Nederland", "Alle krimpregio's", "Alle anticipeerregio's", "Rest van Nederland (geen krimp- of anticipeerregio)"]
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= 390
    shoot(phone, "krimp_anticipeer_rest", "phone")


# ---------------------------------------------------------------- 3. the public, on a phone, in English
def test_journey_den_haag_zuidwest_in_english_on_a_phone(server, open_page):
    page = open_page("phone")
    page.goto(server + "/?region=FG10&lang=en")
    ready(page, "Den Haag Zuidwest")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    assert page.evaluate("() => document.getElementById('controls-panel').open") is False  # choices folded
    assert page.evaluate("() => document.getElementById('headline').getBoundingClientRect().top") < 844
    sentence = page.inner_text("#headline-sentence")
    # the focusgebied is the sum of its wijken, published on its wijk division from 2015 on
    assert sentence.startswith("Den Haag Zuidwest: ") and "inhabitants since 2015" in sentence
    first_screen = " ".join(page.inner_text(sel) for sel in ("header", "#region-title", "#headline", "#headline-sentence"))
    for leftover in ("focusgebied", "Gemeenten in this", "Peildatum", "03759ned", "harmonised"):
        assert leftover not in first_screen, leftover  # no Dutch leftovers, no CBS table codes up top
    about = page.inner_text("#about")
    assert "Source: CBS" in about and "CC BY 4.0" in about and "Gemeenten in this" not in page.inner_text("main")
    shoot(page, "den_haag_zuidwest_en", "phone")
    # the skip link takes a keyboard user to the table and its download buttons
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "skip-table"
    page.keyboard.press("Enter")
    wait_until(page, "() => location.hash === '#table-section'")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "download-csv"
    assert axe_violations(page) == {}
    modebar = page.evaluate("() => Array.from(document.querySelectorAll('.modebar-btn'))"
                            ".map(b => b.getAttribute('data-title') || '').join('|')")
    assert "Share" not in modebar and "Cloud" not in modebar

    desktop = open_page("desktop")
    desktop.goto(server + "/?region=FG10&lang=en")
    ready(desktop, "Den Haag Zuidwest")
    shoot(desktop, "den_haag_zuidwest_en", "desktop")
    assert axe_violations(desktop) == {}


# ---------------------------------------------------------------- measurements (printed, not asserted)
def test_print_first_paint_and_dom_size_of_the_front_page(server, browser):
    for query in ("/", "/?region=GM1979", "/?region=KR03"):
        ctx = browser.new_context(viewport={"width": 1366, "height": 900})
        page = ctx.new_page()
        started = time.perf_counter()
        page.goto(server + query)
        ready(page)
        seconds = time.perf_counter() - started
        nodes = page.evaluate("() => document.getElementsByTagName('*').length")
        print(f"\nfirst paint {query}: {seconds:.2f} s (map, trends and headline drawn), DOM {nodes} nodes")
        ctx.close()
