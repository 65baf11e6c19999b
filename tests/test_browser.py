"""End to end in a real browser: Debian's Chromium driven by Playwright, against the real app.

Screenshots go to artifacts/ (look at them)."""

from pathlib import Path

import pytest
from servers import ARTIFACTS
from test_journeys import wait_until  # asks from outside: the page's own timers starve while the map paints

pytestmark = pytest.mark.browser


def wait_for_map(page):
    wait_until(page, "() => { const g = document.querySelector('#map .js-plotly-plot');"
                           " return g && g.data && g.data.length === 2 && g.data[0].z && g.data[0].z.length > 300; }")


def map_state(page):
    return page.evaluate("() => { const g = document.querySelector('#map .js-plotly-plot');"
                         " return {title: g.layout.title.text, outline: (g.data[1].lon || []).length,"
                         " z0: g.data[0].z[0]}; }")


def choose(page, control_id, text):
    """Open a dropdown, type into its search box (as a person would) and take the first match."""
    page.click(f"#{control_id}")
    page.fill("input.dash-dropdown-search", text)
    page.wait_for_timeout(400)
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)


def test_find_a_krimpregio_and_see_map_trend_and_measures(server, page):
    page.goto(server + "/")
    wait_for_map(page)
    choose(page, "region", "Achterhoek")
    wait_until(page, "() => location.search.includes('region=KR01')")
    wait_until(page, "() => document.querySelector('#region-title').innerText.startsWith('Achterhoek')")
    page.wait_for_timeout(800)
    assert map_state(page)["outline"] > 20  # the outline of the 8 gemeenten is drawn
    assert "Actieplan Bevolkingsdaling" in page.inner_text("#policies")
    assert page.evaluate("() => document.querySelectorAll('#policy-all *').length") == 0  # not on first paint
    page.click("#policy-all-summary")  # opening the full table loads it
    page.wait_for_selector("#policy-all .policy-table table", state="attached")  # folded by kind
    assert "Kamerstuk 31757 nr. 102" in page.text_content("#policy-all")  # in the folded kinds
    trend_titles = page.evaluate("() => document.querySelector('#trend .js-plotly-plot').data.map(d => d.name)")
    assert "Achterhoek" in trend_titles and "Nederland" in trend_titles
    page.screenshot(path=str(ARTIFACTS / "achterhoek.png"), full_page=True)

    before = map_state(page)
    choose(page, "year", "2016")
    wait_until(page, "() => document.querySelector('#map .js-plotly-plot').layout.title.text.includes('2016')")
    choose(page, "measure", "Geboorteoverschot per 1000")
    wait_until(page, "() => document.querySelector('#map .js-plotly-plot').layout.title.text.includes('1000')")
    assert map_state(page)["z0"] != before["z0"]

    page.click("text=English")  # reloads the page in English, same view
    wait_until(page, "() => document.querySelector('#page-title')?.innerText.includes('regions in figures')")
    wait_until(page, "() => location.search.includes('lang=en')")
    wait_for_map(page)
    page.wait_for_timeout(500)
    assert "2016" in map_state(page)["title"] and "1,000" in map_state(page)["title"]
    page.screenshot(path=str(ARTIFACTS / "achterhoek_en.png"), full_page=False)
    shared = page.url

    # the shared link restores the same view in a fresh page
    other = page.context.new_page()
    other.goto(shared)
    wait_for_map(other)
    wait_until(other, "() => document.querySelector('#region-title').innerText.startsWith('Achterhoek')")
    assert "regions in figures" in other.inner_text("#page-title")
    assert "1,000" in other.evaluate("() => document.querySelector('#map .js-plotly-plot').layout.title.text") \
        or "1000" in other.evaluate("() => document.querySelector('#map .js-plotly-plot').layout.title.text")
    assert "2016" in other.evaluate("() => document.querySelector('#map .js-plotly-plot').layout.title.text")

    with page.expect_download() as info:
        page.click("#download-csv")
    text = Path(info.value.path()).read_text()
    lines = text.splitlines()
    assert lines[0].startswith("# regiodash export: Achterhoek (KR01)")
    assert any(line.startswith("# source: CBS") for line in lines)
    assert "region,region_name,measure,unit,year,value,index,index_base_year,flag,source" in lines
    assert any(line.startswith("KR01,Achterhoek,natural_growth_rate,") for line in lines)


@pytest.mark.parametrize("query, name", [("?region=FG10", "Den Haag Zuidwest"), ("?region=RD308", "Regio Deal Noord-Limburg")])
def test_focusgebied_and_regio_deal(server, page, query, name):
    page.goto(server + "/" + query)
    wait_for_map(page)
    wait_until(page, f"() => document.querySelector('#region-title').innerText.startsWith({name!r})")
    page.wait_for_timeout(800)
    assert map_state(page)["outline"] > 10
    assert page.inner_text("#policies").strip()
    page.screenshot(path=str(ARTIFACTS / f"{query.split('=')[1]}.png"), full_page=True)


def test_bad_url_shows_a_message(server, page):
    page.goto(server + "/?region=NOPE&year=1850")
    wait_for_map(page)
    page.wait_for_selector("#messages p")
    text = page.inner_text("#messages")
    assert "NOPE" in text and "1850" in text
    page.goto(server + "/does/not/exist")
    page.wait_for_selector("#not-found p")
    assert "bestaat niet" in page.inner_text("#not-found")
    page.screenshot(path=str(ARTIFACTS / "bad_url.png"))


def test_print_view_prints_the_map_itself(server, page):
    page.goto(server + "/?region=KR01")
    wait_for_map(page)
    # no dialog in a test; what was drawn when the page went to the printer
    page.evaluate("() => { window.print = () => { window.__printed = window.regiodashDeferredDrawn(); }; }")
    assert page.evaluate("() => document.querySelectorAll('#series-table tr').length") == 0  # below the fold
    page.click("#print")
    wait_until(page, "() => window.__printed !== undefined")
    assert page.evaluate("() => window.__printed") is True  # every part below the fold drawn first
    assert page.evaluate("() => document.querySelectorAll('#series-table tr').length") > 10
    page.emulate_media(media="print")
    # the SVG map prints as vector shapes: shown on paper with every gemeente drawn
    assert page.evaluate("() => getComputedStyle(document.getElementById('map')).display") != "none"
    assert page.evaluate("() => [...document.querySelectorAll('#map path.choroplethlocation')]"
                         ".filter(p => (p.getAttribute('d') || '').length > 10).length") >= 8  # Achterhoek's 8 in view
    assert page.evaluate("() => getComputedStyle(document.querySelector('.controls')).display") == "none"
    page.pdf(path=str(ARTIFACTS / "print_KR01.pdf"), format="A4", print_background=True)


def test_parts_below_the_fold_are_drawn_after_the_first_paint(server, page):
    """Not with the first paint (no plot, no table rows when the trend is drawn), then all of them
    without any scrolling once the browser is idle (screen readers, find-in-page and Ctrl+P get
    them), and drawn again for a new region."""
    parts = "['#growth .js-plotly-plot', '#age-structure .js-plotly-plot', '#overview-table tr', '#series-table tr']" \
            ".map(s => document.querySelectorAll(s).length)"
    # counted in the same task as plotly draws the trend, before any idle moment
    page.add_init_script("new MutationObserver(function () { if (!window.__atPaint && "
                         "document.querySelector('#trend .main-svg')) { window.__atPaint = " + parts + "; } })"
                         ".observe(document, {childList: true, subtree: true});")
    page.set_viewport_size({"width": 1366, "height": 700})  # the growth bars start ~1,200 px down
    page.goto(server + "/?region=GM1979")
    wait_for_map(page)
    assert page.evaluate("() => window.__atPaint") == [0, 0, 0, 0]
    wait_until(page, "() => window.regiodashDeferredDrawn()")  # no scrolling
    growth, age, overview, series = page.evaluate("() => " + parts)
    assert growth == 1 and age == 1 and overview > 20 and series > 30  # 20 policy regions and groups; 2014-2050
    assert page.evaluate("() => document.querySelector('#growth .js-plotly-plot').data.length") == 2
    choose(page, "region", "Achterhoek")
    wait_until(page, "() => document.querySelector('#series-table').innerText.includes('Achterhoek')")
