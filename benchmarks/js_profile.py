"""Where Chromium spends its time drawing a map: a CPU profile of the page, as benchmarks/run.py
loads it (network blocked, 1000x700), up to the drawn state plus one animation frame.

Run as ``python benchmarks/js_profile.py MAP.html [--top 15]``; prints the functions with the
most time, inclusive (``total``) and exclusive (``self``), in milliseconds.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path
from time import perf_counter
from typing import Any

from run import CHROMIUM, CHROMIUM_ARGS, DRAWN, NEXT_FRAME, TIMEOUT_S


def profile(path: Path) -> tuple[float, dict[str, Any]]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1000, "height": 700})
        page.route(
            "**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort()
        )
        cdp = page.context.new_cdp_session(page)
        cdp.send("Profiler.enable")
        cdp.send("Profiler.setSamplingInterval", {"interval": 200})
        cdp.send("Profiler.start")
        start = perf_counter()
        page.goto(path.resolve().as_uri(), wait_until="commit", timeout=TIMEOUT_S * 1000)
        page.wait_for_function(DRAWN, polling="raf", timeout=TIMEOUT_S * 1000)
        page.evaluate(NEXT_FRAME)
        seconds = perf_counter() - start
        result = cdp.send("Profiler.stop")["profile"]
        browser.close()
    return seconds, result


def summarize(prof: dict[str, Any]) -> tuple[Counter[str], Counter[str]]:
    """Self and total microseconds per function (``name:line``)."""
    nodes = {n["id"]: n for n in prof["nodes"]}
    parent = {c: n["id"] for n in prof["nodes"] for c in n.get("children", [])}

    def name(node_id: int) -> str:
        f = nodes[node_id]["callFrame"]
        return f"{f['functionName'] or '(anonymous)'}:{f['lineNumber'] + 1}"

    own: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for sample, delta in zip(prof["samples"], prof["timeDeltas"], strict=True):
        own[name(sample)] += delta
        seen = set()
        node: int | None = sample
        while node is not None:
            key = name(node)
            if key not in seen:  # recursion counts once
                total[key] += delta
                seen.add(key)
            node = parent.get(node)
    return own, total


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("html", type=Path)
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args()
    seconds, prof = profile(args.html)
    own, total = summarize(prof)
    print(f"drawn in {seconds:.2f} s")
    for title, counts in (("total ms", total), ("self ms", own)):
        print(f"\n{title}:")
        for key, us in counts.most_common(args.top):
            print(f"  {us / 1000:8.0f}  {key}")
