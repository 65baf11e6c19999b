"""Where a page's main-thread time goes: a CPU profile of one cold load (a benchmark aid, not a test).

    .venv/bin/python benchmarks/profile_page.py http://127.0.0.1:8050/ [seconds]

Loads the page in a fresh Chromium context with the DevTools CPU profiler on for the given
seconds, and prints self time per function and per script.
"""

from __future__ import annotations

import collections
import sys

from firstpaint import CHROMIUM_ARGS


def main(url: str, seconds: float = 60.0) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1366, "height": 900})
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Profiler.enable")
        cdp.send("Profiler.setSamplingInterval", {"interval": 1000})
        cdp.send("Profiler.start")
        page.goto(url)
        page.wait_for_timeout(seconds * 1000)  # a fixed window: the page may be busy long after the network is idle
        profile = cdp.send("Profiler.stop")["profile"]
        browser.close()
    nodes = {n["id"]: n for n in profile["nodes"]}
    deltas = profile["timeDeltas"]
    self_ms: collections.Counter = collections.Counter()
    per_script: collections.Counter = collections.Counter()
    for sample, dt in zip(profile["samples"], deltas):
        frame = nodes[sample]["callFrame"]
        name = frame["functionName"] or "(anonymous)"
        script = frame["url"].split("/")[-1].split("?")[0] or frame["url"] or "(native)"
        self_ms[f"{name} [{script}:{frame['lineNumber']}]"] += dt / 1000
        per_script[script] += dt / 1000
    total = sum(deltas) / 1000
    print(f"profiled {total / 1000:.1f} s of {url}")
    print("self time per script (ms):")
    for script, ms in per_script.most_common(10):
        print(f"  {ms:9.0f}  {script}")
    print("self time per function (ms):")
    for name, ms in self_ms.most_common(15):
        print(f"  {ms:9.0f}  {name[:120]}")


if __name__ == "__main__":
    main(sys.argv[1], float(sys.argv[2]) if len(sys.argv) > 2 else 60.0)
