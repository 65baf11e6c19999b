"""One cold load on a timeline (a benchmark aid, not a test): when each request started and ended,
every long task, when the map and trend were drawn, and the DOM size.

    .venv/bin/python benchmarks/timeline.py "http://127.0.0.1:8050/?region=KR01"
"""

from __future__ import annotations

import json
import sys

from firstpaint import CHROMIUM_ARGS, DRAWN, LONGTASKS


def main(url: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1366, "height": 900})
        context.add_init_script(LONGTASKS)
        page = context.new_page()
        page.goto(url)
        page.wait_for_function(DRAWN, polling="raf", timeout=60000)
        drawn = page.evaluate("window.__drawnAt")
        page.wait_for_timeout(1500)  # a window after the paint, for the long tasks that follow it
        tasks = page.evaluate("window.__longtasks")
        resources = json.loads(page.evaluate(
            "JSON.stringify(performance.getEntriesByType('resource').map(e => [e.name.split('?')[0].slice(-60),"
            " Math.round(e.startTime), Math.round(e.responseEnd), e.encodedBodySize]))"))
        print(f"drawn at {drawn:.0f} ms; DOM nodes {page.evaluate('document.getElementsByTagName(`*`).length')}")
        for name, start, end, size in resources:
            print(f"request  {start:6d} → {end:6d} ms  {size:8d} B  {name}")
        for start, duration in tasks:
            print(f"longtask {start:6.0f} ms  {duration:5.0f} ms")
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1])
