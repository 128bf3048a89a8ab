"""The article map in a real browser: Debian's Chromium, the network blocked."""

from __future__ import annotations

import pytest

import geo
from geo.render import render_map
from tests.browser import visit
from tests.conftest import DATA

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def pages(tmp_path_factory, bundled):
    out = tmp_path_factory.mktemp("maps")
    files = {}
    for name, trip, lang in (
        ("en", bundled, "en"),
        ("ko", bundled, "ko"),
        ("hostile", geo.load_trip(DATA / "hostile.yaml"), "en"),
        ("pacific", geo.load_trip(DATA / "pacific.yaml"), "en"),
    ):
        path = out / f"{name}.html"
        path.write_text(render_map(trip, lang=lang), encoding="utf-8")
        files[name] = path
    return files


def test_renders_every_layer_offline(chromium, pages, bundled):
    with visit(chromium, pages["en"]) as v:
        page = v.page
        assert page.evaluate("typeof L") == "object"
        # One marker per place: Seongnam (start and end) is one.
        assert page.locator(".geo-stop").count() == 5
        assert page.locator(".geo-stop-n").all_inner_texts() == ["1 · 6", "2", "3", "4", "5"]
        located = int(bundled.deals.geometry.notna().sum())
        assert page.locator(".geo-deal").count() == located
        overlays = page.locator(".leaflet-control-layers-overlays label").all_inner_texts()
        assert [o.strip() for o in overlays] == ["Resources", "Trade routes", "Itinerary", "Deals"]
        # 5 legs and 3 routes; the 5 partner countries (the 3 visited, and Kyrgyzstan and
        # Tajikistan of the Central Asia record) in their own pane, under the lines
        assert page.locator(".leaflet-overlay-pane path").count() == 5 + 3
        assert page.locator(".leaflet-geo-countries-pane path").count() == 5
        assert page.locator(".leaflet-geo-basemap-pane path").count() > 30
        assert page.locator(".geo-legend").is_visible()
        # Folded where it would take too much of the trip's room: a reader opens it.
        if not page.evaluate("document.querySelector('.geo-legend').open"):
            page.locator(".geo-legend summary").click()
        legend = page.locator(".geo-legend").inner_text()
        for word in ("Itinerary", "signed", "estimate", "Circle area", "lithium"):
            assert word in legend
        label = page.locator(".geo-stop").nth(1).inner_text()
        assert label.replace("\n", " ") == "2 Ashgabat · Jun 11"
        assert v.external == [] and v.errors == []


def test_layers_toggle(chromium, pages):
    with visit(chromium, pages["en"]) as v:
        page = v.page
        before = page.locator(".geo-deal").count()
        page.get_by_label("Deals").uncheck()
        assert page.locator(".geo-deal").count() == 0
        page.get_by_label("Deals").check()
        assert page.locator(".geo-deal").count() == before
        page.get_by_label("Itinerary").uncheck()
        assert page.locator(".geo-stop").count() == 0


def test_popup_shows_values_and_quote(chromium, pages):
    with visit(chromium, pages["en"]) as v:
        page = v.page
        page.locator(".geo-deal-icon[aria-label^='Contract to supply']").click()
        popup = page.locator(".leaflet-popup-content").inner_text()
        assert "USD 200 million (KRW 270 billion)" in popup
        assert "signed" in popup and "Hyundai Rotem" in popup
        assert "secured a 200 million dollar (270 billion won) contract" in popup


def test_keyboard_reaches_markers(chromium, pages):
    with visit(chromium, pages["en"]) as v:
        page = v.page
        focused = []
        for _ in range(40):
            page.keyboard.press("Tab")
            focused.append(page.evaluate("document.activeElement.getAttribute('aria-label') || ''"))
            if focused[-1].startswith("4. Tashkent"):
                break
        assert focused[-1].startswith("4. Tashkent"), focused
        page.keyboard.press("Enter")
        assert "Tashkent" in page.locator(".leaflet-popup-content").inner_text()


def test_korean(chromium, pages):
    with visit(chromium, pages["ko"]) as v:
        page = v.page
        assert page.evaluate("document.documentElement.lang") == "ko"
        assert (
            page.locator(".geo-stop").nth(1).inner_text().replace("\n", " ")
            == "2 아슈하바트 · 6월 11일"
        )
        assert "범례" in page.locator(".geo-legend").inner_text()
        assert "일정" in page.locator(".leaflet-control-layers").inner_text()
        assert v.errors == [] and v.external == []


def test_hostile_strings_run_nothing(chromium, pages):
    with visit(chromium, pages["hostile"]) as v:
        page = v.page
        page.wait_for_timeout(300)
        for deal in page.locator(".geo-deal-icon").all():
            deal.focus()
            page.keyboard.press("Enter")
        page.locator(".geo-text summary").click()
        page.wait_for_timeout(200)
        assert v.dialogs == []
        assert page.locator("img, iframe, svg[onload], a[href^='javascript']").count() == 0
        assert page.locator("h1").inner_text().startswith("<img src=x onerror=alert(1)>")
        assert page.title().startswith("<img src=x onerror=alert(1)>")
        assert (
            "<img src=x onerror=alert(7)>" in page.locator(".geo-stop-label").first.text_content()
        )
        assert v.errors == [] and v.external == []


def test_antimeridian_drawn_the_short_way(chromium, pages):
    with visit(chromium, pages["pacific"]) as v:
        page = v.page
        width = page.evaluate(
            "() => { const b = document.querySelector('.leaflet-overlay-pane svg').getBBox();"
            " return b.width; }"
        )
        # The three legs span the Pacific, not the whole world the long way round.
        assert width < 1100 * 1.2
        assert v.errors == []


def test_dark_theme_legend_keys_the_legs_in_the_themes_ink(chromium, tmp_path):
    from geo.palette import palette

    trip = geo.load_trip(DATA.parent.parent / "data" / "gallery" / "benelux-rail.yaml")
    strokes = {}
    for theme in ("light", "dark"):
        path = tmp_path / f"{theme}.html"
        path.write_text(render_map(trip, lang="en", theme=theme), encoding="utf-8")
        with visit(chromium, path, 1280, 800) as v:
            line = v.page.locator(".geo-legend-line svg line").first
            strokes[theme] = line.get_attribute("stroke")
            legs = v.page.locator(".leaflet-overlay-pane path").first.get_attribute("stroke")
            assert strokes[theme] == legs  # the key is the line's colour
            assert v.errors == []
    assert strokes["dark"] == palette("dark")["route"]
    assert strokes["light"] == palette("light")["route"]
