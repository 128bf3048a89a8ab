"""The trade map in Chromium: flows drawn by zoom and filter, names that never overlap, hostile
names kept as text, nothing fetched, and axe-core clean at a phone's and a desktop's size."""

from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from geo.cli import main
from tests.reader import VIEWS
from tests.test_axe_browser import AXE, assert_clean, violations

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from comtrade import write_comtrade  # noqa: E402

HOSTILE = [
    "<img src=x onerror=alert(1)>", "{{7*7}}", "</script><script>alert(2)</script>",
    "${alert(3)}", "A" * 300,
]  # fmt: skip


def _run(*args: object) -> None:
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def maps(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("trade")
    table = write_comtrade(out / "comtrade.csv", 5_000)
    made = {}
    for lang in ("en", "ko"):
        made[lang] = out / f"trade.{lang}.html"
        _run("flows", table, "--preset", "comtrade", "--skip-aggregates", "--lang", lang,
             "-o", made[lang])  # fmt: skip
    made["dark"] = out / "trade.dark.html"
    _run("flows", table, "--preset", "comtrade", "--skip-aggregates", "--theme", "dark",
         "-o", made["dark"])  # fmt: skip
    hostile = out / "hostile.csv"
    with hostile.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["origin", "origin_lat", "origin_lon", "destination", "destination_lat",
                    "destination_lon", "goods", "value_amount", "value_currency", "year"])  # fmt: skip
        for k, name in enumerate(HOSTILE):
            w.writerow([name, 10 + 7 * k, 20 + 9 * k, HOSTILE[-1 - k], -5 - 3 * k, 100 + 8 * k,
                        name, 1000 * (k + 1), "USD", 2020 + k % 2])  # fmt: skip
    made["hostile"] = out / "hostile.html"
    _run("flows", hostile, "-o", made["hostile"])
    return made


def _open(chromium: Any, path: Path, view: str = "desktop") -> tuple[Any, Any, dict[str, list]]:
    context = chromium.new_context(**VIEWS[view])
    page = context.new_page()
    seen: dict[str, list] = {"dialogs": [], "external": [], "errors": []}
    page.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.on("console", lambda m: seen["errors"].append(m.text) if m.type == "error" else None)

    def route(r: Any) -> None:
        if r.request.url.startswith(("file:", "data:")):
            r.continue_()
        else:
            seen["external"].append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.goto(path.as_uri(), wait_until="load")
    page.wait_for_function("() => document.querySelectorAll('.geo-trade-flow').length > 0")
    return context, page, seen


STATE = """() => ({
  flows: document.querySelectorAll('.geo-trade-flow').length,
  places: document.querySelectorAll('.geo-trade-place').length,
  note: document.querySelector('.geo-trade-note').textContent,
  names: Array.from(document.querySelectorAll('.geo-trade-name')).map(n => {
    const r = n.getBoundingClientRect(); return [n.textContent, r.left, r.top, r.right, r.bottom];
  }),
  frame: (() => { const r = window.geoMap.getContainer().getBoundingClientRect();
    return [r.left, r.top, r.right, r.bottom]; })(),
})"""


def _no_overlap(state: dict[str, Any]) -> None:
    names = state["names"]
    l0, t0, r0, b0 = state["frame"]
    for i, (text, left, top, right, bottom) in enumerate(names):
        assert left >= l0 - 1 and right <= r0 + 1 and top >= t0 - 1 and bottom <= b0 + 1, text
        for other in names[i + 1 :]:
            apart = right <= other[1] or other[3] <= left or bottom <= other[2] or other[4] <= top
            assert apart, (text, other[0])


@pytest.mark.parametrize("view", ["phone", "desktop"])
def test_flows_split_as_one_zooms_in_and_follow_the_filters(chromium, maps, view):
    context, page, seen = _open(chromium, maps["en"], view)
    try:
        first = page.evaluate(STATE)
        assert 0 < first["flows"] <= (150 if view == "phone" else 300)
        assert first["names"], "the largest places are named"
        _no_overlap(first)
        page.evaluate("() => window.geoMap.setZoom(window.geoMap.getZoom() + 2, {animate: false})")
        page.wait_for_timeout(300)
        closer = page.evaluate(STATE)
        assert closer["places"] > first["places"] // 2  # still places in view, split further
        total = lambda s: int(s["note"].split(" of ")[1].split()[0].replace(",", ""))  # noqa: E731
        assert total(closer) != total(first)
        _no_overlap(closer)
        # A year: fewer flows in all than every year together.
        page.select_option("#geo-trade-f0", label="2021")
        page.wait_for_timeout(200)
        year = page.evaluate(STATE)
        assert total(year) < total(closer)
        assert year["flows"] > 0
        _no_overlap(year)
        # A popup tells the value in its currency, as text.
        page.locator(".geo-trade-flow").last.click(force=True)
        popup = page.wait_for_selector(".leaflet-popup-content")
        assert "USD" in popup.text_content() and "→" in popup.text_content()
        assert not seen["external"] and not seen["errors"] and not seen["dialogs"]
    finally:
        context.close()


def test_korean_words_and_names(chromium, maps):
    context, page, _ = _open(chromium, maps["ko"])
    try:
        labels = page.evaluate(
            "() => Array.from(document.querySelectorAll('.geo-trade-filter label'))"
            ".map(n => n.textContent)"
        )
        assert labels[0] == "연도" and "전체" in page.locator("#geo-trade-f0").inner_text()
        names = [n[0] for n in page.evaluate(STATE)["names"]]
        assert any("\uac00" <= ch <= "\ud7a3" for n in names for ch in n)  # Hangul names
    finally:
        context.close()


def test_hostile_names_are_text_and_nothing_runs(chromium, maps):
    page_text = maps["hostile"].read_text(encoding="utf-8")
    assert "<img src=x" not in page_text and "<script>alert" not in page_text
    context, page, seen = _open(chromium, maps["hostile"])
    try:
        page.evaluate("() => window.geoMap.setZoom(6, {animate: false})")
        page.evaluate("() => window.geoMap.setZoom(2, {animate: false})")
        page.wait_for_timeout(300)
        shown = page.evaluate(
            "() => Array.from(document.querySelectorAll('.geo-trade-name, option'))"
            ".map(n => n.textContent)"
        )
        assert any("<img src=x onerror=alert(1)>" in s for s in shown)
        assert any("{{7*7}}" in s for s in shown) and not any(s == "49" for s in shown)
        assert page.evaluate("() => document.querySelector('img[src=\"x\"]') === null")
        assert not seen["dialogs"] and not seen["external"] and not seen["errors"]
    finally:
        context.close()


@pytest.mark.parametrize(("page", "view"), [("en", "phone"), ("en", "desktop"), ("ko", "phone"),
                                             ("dark", "desktop")])  # fmt: skip
def test_the_trade_map_is_accessible(chromium, maps, page, view):
    if not AXE.exists():
        pytest.fail(f"axe-core is missing ({AXE}): run scripts/test.sh")
    assert_clean(violations(chromium, AXE, maps[page], view))


def test_the_trade_map_is_one_light_file(maps):
    import gzip

    data = maps["en"].read_bytes()
    assert b"https://" not in data.replace(b"https://leafletjs.com", b"")
    assert len(gzip.compress(data)) < 400_000
