"""The inset locator in a real browser: where it shows, what it says, and its frame following the
reader's pans and zooms (39-inset.js)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import geo
from geo.render import render_map
from tests.browser import visit

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parent.parent
BENELUX = REPO / "data" / "gallery" / "benelux-rail.yaml"

FRAME = """() => {
  const r = document.querySelector('.geo-inset rect');
  const vb = document.querySelector('.geo-inset svg').viewBox.baseVal;
  const f = k => parseFloat(r.getAttribute(k));
  return { x: f('x'), y: f('y'), w: f('width'), h: f('height'), W: vb.width, H: vb.height };
}"""


@pytest.fixture(scope="module")
def pages(tmp_path_factory: Any, bundled: Any) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("inset")
    small = geo.load_trip(BENELUX)
    files = {}
    for name, trip, kwargs in (
        ("small", small, {"lang": "en"}),
        ("small-ko", small, {"lang": "ko"}),
        ("small-off", small, {"lang": "en", "inset": "off"}),
        ("bundled", bundled, {"lang": "en"}),
        ("bundled-on", bundled, {"lang": "en", "inset": "on"}),
    ):
        path = out / f"{name}.html"
        path.write_text(render_map(trip, **kwargs), encoding="utf-8")
        files[name] = path
    return files


def test_a_small_region_gets_an_inset_a_continent_does_not(chromium, pages):
    for name, count in (("small", 1), ("small-off", 0), ("bundled", 0), ("bundled-on", 1)):
        with visit(chromium, pages[name], 1280, 800) as v:
            assert v.page.locator(".geo-inset").count() == count, name
            assert v.external == [] and v.errors == []


def test_the_inset_is_an_image_named_in_the_maps_language(chromium, pages):
    names = {}
    for name in ("small", "small-ko"):
        with visit(chromium, pages[name], 1280, 800) as v:
            inset = v.page.locator(".geo-inset")
            assert inset.get_attribute("role") == "img"
            names[name] = inset.get_attribute("aria-label")
            # The drawing itself is hidden from screen readers: the label says it all.
            assert v.page.locator(".geo-inset svg").get_attribute("aria-hidden") == "true"
            # An outline of land, drawn from our own numbers: no image, no request.
            assert len(v.page.locator(".geo-inset path").get_attribute("d")) > 200
            assert v.page.locator(".geo-inset img, .geo-inset image").count() == 0
    assert names["small"] and names["small-ko"] and names["small"] != names["small-ko"]
    assert any("\uac00" <= ch <= "\ud7a3" for ch in names["small-ko"])


def test_the_frame_follows_the_view(chromium, pages):
    with visit(chromium, pages["small"], 1280, 800) as v:
        page = v.page
        start = page.evaluate(FRAME)
        # The frame is inside the inset, small against the region it shows.
        assert start["x"] >= 0 and start["x"] + start["w"] <= start["W"]
        assert start["y"] >= 0 and start["y"] + start["h"] <= start["H"]
        assert start["w"] < start["W"] / 4
        # Zooming out one step doubles the view: the frame twice as wide and tall, same centre.
        page.locator(".leaflet-control-zoom-out").click()
        page.wait_for_function(
            "w => parseFloat(document.querySelector('.geo-inset rect').getAttribute('width')) > w",
            arg=start["w"] * 1.5,
        )
        page.wait_for_timeout(400)  # the zoom animation ends
        out = page.evaluate(FRAME)
        assert out["w"] == pytest.approx(2 * start["w"], rel=0.05)
        assert out["h"] == pytest.approx(2 * start["h"], rel=0.05)
        assert out["x"] + out["w"] / 2 == pytest.approx(start["x"] + start["w"] / 2, abs=0.5)
        # Panning east with the keyboard (Leaflet's arrow keys, 80 px a press, 3 presses) shows
        # what is east of the view: the frame moves right by that share of its width, not up
        # or down.
        width = page.locator(".leaflet-container").bounding_box()["width"]
        page.locator(".leaflet-container").focus()
        for _ in range(3):
            page.keyboard.press("ArrowRight")
            page.wait_for_timeout(350)
        moved = page.evaluate(FRAME)
        assert moved["x"] - out["x"] == pytest.approx(out["w"] * 240 / width, rel=0.1)
        assert moved["y"] == pytest.approx(out["y"], abs=0.3)
        assert moved["w"] == pytest.approx(out["w"], abs=0.2)
        assert v.errors == []
