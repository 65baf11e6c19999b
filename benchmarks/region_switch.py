"""Blocking time of choosing a region, as a person does it (a benchmark aid, not a test): load a
page, wait until everything is drawn, then type "Achterhoek" in the picker, press Enter and
collect the Chromium long tasks of the next seconds.

    .venv/bin/python benchmarks/region_switch.py "http://127.0.0.1:8050/?region=GM1979" [runs]
"""

from __future__ import annotations

import sys

from firstpaint import CHROMIUM_ARGS, DRAWN, LONGTASKS

EVERYTHING_DRAWN = "() => !window.regiodashDeferredDrawn || window.regiodashDeferredDrawn()"


def one(browser, url: str) -> list[tuple[float, float]]:
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    context.add_init_script(LONGTASKS)
    page = context.new_page()
    page.goto(url)
    page.wait_for_function(DRAWN, polling="raf", timeout=60000)
    page.wait_for_function(EVERYTHING_DRAWN, polling=50, timeout=30000)
    page.wait_for_timeout(1500)
    start = page.evaluate("performance.now()")
    page.click("#region")
    page.keyboard.type("Achterhoek")
    page.wait_for_timeout(300)
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('#region-title').innerText.startsWith('Achterhoek')",
                           timeout=30000)
    page.wait_for_timeout(3000)
    tasks = [(s - start, d) for s, d in page.evaluate("window.__longtasks") if s > start]
    context.close()
    return tasks


def main(url: str, runs: int = 3) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for _ in range(runs):
            tasks = one(browser, url)
            print(f"TBT {sum(max(0.0, d - 50) for _, d in tasks):.0f} ms, longest task {max(d for _, d in tasks):.0f} ms; "
                  f"tasks (start ms, duration ms): {[(round(s), round(d)) for s, d in tasks]}")
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 3)
