"""Hostile trip text in a real browser: every popup opened, every tooltip shown, a leg hovered
with the mouse, the timeline stepped, the text version opened, in English, Korean, the embed
page, and maps drawn for scale (over 300 stops, over 300 routes). Nothing may run, and nothing
but text may appear."""

from __future__ import annotations

from pathlib import Path

import pytest

import geo
from geo.render import render_map
from tests.browser import visit
from tests.conftest import DATA, write

pytestmark = pytest.mark.browser

# Elements and attributes geo never writes itself; the hostile strings try to create them.
INJECTED = (
    "img, iframe, object, embed, u, marquee, form, body style, "
    "[onerror], [onload], [onclick], a[href^='javascript' i]"
)

HOSTILE = "<img src=x onerror=alert(1)> {{7*7}} {# x #}"


def _big_trip(tmp_path: Path, stops: int, routes: int) -> Path:
    """A trip drawn for scale, every label and name hostile (explicit coordinates: no
    gazetteer, so it loads in a moment)."""
    lines = [f"trip: {{id: big, title: {HOSTILE!r}}}", "stops:"]
    for i in range(stops):
        lat, lon = -50 + (i * 7) % 100, -170 + (i * 13) % 340
        lines.append(f"  - {{lat: {lat}, lon: {lon}, label: '<img src=x onerror=alert({i})>'}}")
    if routes:
        lines.append("routes:")
    for i in range(routes):
        lines.append(
            f"  - {{name: '<iframe src=javascript:alert({i})> {{{{7*7}}}}', waypoints: ["
            f"{{lat: {i % 60}, lon: {i % 170}, name: '<u>a</u>'}}, "
            f"{{lat: {-(i % 50)}, lon: {-(i % 160)}, name: '<u>b</u>'}}]}}"
        )
    return write(tmp_path, "\n".join(lines) + "\n", f"big-{stops}-{routes}.yaml")


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    out = tmp_path_factory.mktemp("hostile")
    hostile = geo.load_trip(DATA / "hostile.yaml")
    mini = geo.load_trip(DATA / "mini.yaml")
    files = {}
    specs = {
        "en": (hostile, {"lang": "en"}),
        "ko": (hostile, {"lang": "ko"}),
        "embed": (hostile, {"lang": "en", "embed": True}),
        "embed-ko": (hostile, {"lang": "ko", "embed": True}),
        "ru": (hostile, {"lang": "ru"}),
        "ja": (hostile, {"lang": "ja", "embed": True}),
        "benign": (mini, {"lang": "en"}),
        "benign-embed": (mini, {"lang": "en", "embed": True}),
        "stops": (geo.load_trip(_big_trip(out, 320, 0)), {"lang": "en"}),
        "routes": (geo.load_trip(_big_trip(out, 4, 320)), {"lang": "ko"}),
    }
    for name, (trip, kwargs) in specs.items():
        path = out / f"{name}.html"
        path.write_text(render_map(trip, **kwargs), encoding="utf-8")
        files[name] = path
    return files


def _open_everything(page) -> dict:
    """Open every popup and tooltip the map has, one after another, and collect their text."""
    return page.evaluate(
        """() => {
          const out = { popups: 0, tooltips: 0, texts: [] };
          const layers = [];
          geoMap.eachLayer(l => layers.push(l));
          for (const l of layers) {
            if (l.getTooltip && l.getTooltip()) {
              l.openTooltip();
              out.tooltips++;
              const e = l.getTooltip().getElement();
              if (e) out.texts.push(e.textContent);
              l.closeTooltip();
            }
            if (l.getPopup && l.getPopup()) {
              l.openPopup();
              out.popups++;
              const e = l.getPopup().getElement();
              if (e) out.texts.push(e.textContent);
              l.closePopup();
            }
          }
          return out;
        }"""
    )


def _hover_a_line(page, needle: str = "") -> str:
    """Move the mouse onto an inner vertex, in view and not covered, of the first line whose
    tooltip has ``needle`` (a leg, or on a map drawn for scale a route), as a reader would, and
    return the tooltip's text."""
    # Leaflet ignores the pointer while the map is still zooming to fit the trip (slow on a
    # busy machine), and the line moves: wait for that before measuring.
    page.wait_for_function("() => !geoMap._animatingZoom && !geoMap._panAnim?._inProgress")
    point = page.evaluate(
        """(needle) => {
          let found = null;
          const size = geoMap.getSize();
          const c = geoMap.getContainer(), r = c.getBoundingClientRect();
          geoMap.eachLayer(l => {
            const tip = l.getTooltip && l.getTooltip();
            if (found || !tip || !l.getLatLngs || !tip.getContent().textContent.includes(needle))
              return;
            const own = l._path || (l._renderer && l._renderer._container);
            const ll = l.getLatLngs();
            const mid = Math.floor(ll.length / 2);
            for (let d = 0; d < ll.length && !found; d++) {
              const k = mid + (d % 2 ? -1 : 1) * Math.ceil(d / 2);
              if (k < 1 || k > ll.length - 2) continue;
              const p = geoMap.latLngToContainerPoint(ll[k]);
              if (p.x < 60 || p.y < 60 || p.x > size.x - 60 || p.y > size.y - 60) continue;
              const x = p.x + r.left + c.clientLeft, y = p.y + r.top + c.clientTop;
              if (document.elementFromPoint(x, y) === own) found = [x, y];
            }
          });
          return found;
        }""",
        needle,
    )
    assert point, "no uncovered vertex of such a line in view"
    for _ in range(5):
        page.mouse.move(point[0] + 12, point[1] + 12)
        page.mouse.move(point[0], point[1], steps=4)
        try:
            page.wait_for_selector(".leaflet-tooltip", timeout=1500)
            break
        except Exception:  # retried; the last try's failure is reported below
            continue
    page.wait_for_selector(".leaflet-tooltip", timeout=2000)
    return page.locator(".leaflet-tooltip").first.text_content() or ""


def _step_timeline(page) -> int:
    steps = 0
    if page.locator(".geo-tl-next").count():
        for _ in range(6):
            page.locator(".geo-tl-next").click()
            steps += 1
    return steps


def _check_inert(v, page, expect_scripts: int) -> None:
    page.wait_for_timeout(200)
    assert v.dialogs == []
    assert page.locator(INJECTED).count() == 0, page.locator(INJECTED).evaluate_all(
        "els => els.map(e => e.outerHTML.slice(0, 80))"
    )
    assert page.evaluate("document.scripts.length") == expect_scripts
    assert v.errors == [] and v.external == []


@pytest.mark.parametrize(("name", "benign"), [("en", "benign"), ("embed", "benign-embed")])
def test_hostile_english_map_and_embed(chromium, pages, name, benign):
    with visit(chromium, pages[benign]) as v:
        scripts = v.page.evaluate("document.scripts.length")
    with visit(chromium, pages[name]) as v:
        page = v.page
        opened = _open_everything(page)
        assert opened["popups"] >= 5 and opened["tooltips"] >= 2
        texts = " ".join(opened["texts"])
        for literal in (
            "<iframe src=javascript:alert(10)>",  # a deal's site, in its popup
            "<style>body{display:none}</style>",  # its sector
            "</script><script>alert(9)</script>",  # its parties
            "<img src=x onerror=alert(11)>",  # a resource's use
            "<iframe src=javascript:alert(14)>",  # a route's description
            "<img src=x onerror=alert(7)> → Ash`gabat ${alert(8)} {{7*7}}",  # a leg's tooltip
        ):
            assert literal in texts, literal
        tip = _hover_a_line(page)
        assert tip.startswith("Leg ") and "Ash`gabat ${alert(8)} {{7*7}}" in tip
        assert _step_timeline(page) == 6
        page.locator(".geo-text summary").click()
        body = page.locator("body").text_content() or ""
        for literal in ("{{7*7}}", "Issue {#42} tour", "Keep {# this #} text", "{% endraw %}"):
            assert literal in body, literal
        assert "49" not in page.locator("h1").inner_text()
        _check_inert(v, page, scripts)


@pytest.mark.parametrize("name", ["ko", "embed-ko"])
def test_hostile_korean(chromium, pages, name):
    with visit(chromium, pages["benign-embed" if "embed" in name else "benign"]) as v:
        scripts = v.page.evaluate("document.scripts.length")
    with visit(chromium, pages[name]) as v:
        page = v.page
        title = "</script><script>alert(3)</script> {{ cycler.__init__.__globals__.os.getpid() }}"
        assert page.locator("h1").inner_text() == title
        assert page.title() == title
        texts = " ".join(_open_everything(page)["texts"])
        for literal in ("{{ self }}", "{% for x in y %}", "{{ range(10**9) }}", "<u>용도</u>"):
            assert literal in texts, literal
        _hover_a_line(page)
        _step_timeline(page)
        page.locator(".geo-text summary").click()
        assert "{% raw %}" in (page.locator("body").text_content() or "")
        _check_inert(v, page, scripts)


@pytest.mark.parametrize(
    ("name", "title", "label", "deal"),
    [
        (
            "ru",
            "<img src=x onerror=alert(30)> Визит {{ 7*7 }} «кавычки» </title>",
            "<u>Сеул</u> {{ config }}",
            "<iframe src=javascript:alert(15)></iframe> Сделка {% for x in y %}",
        ),
        (
            "ja",
            "</script><script>alert(31)</script> 訪問 {% raw %} 「かぎ」",
            "<marquee>ソウル</marquee> {# 注 #}",
            "<object data=javascript:alert(16)></object> 契約 {{ self }}",
        ),
    ],
)
def test_hostile_russian_and_japanese(chromium, pages, name, title, label, deal):
    # The Japanese one is an embed: both page kinds are covered in the two new languages.
    with visit(chromium, pages["benign-embed" if name == "ja" else "benign"]) as v:
        scripts = v.page.evaluate("document.scripts.length")
    with visit(chromium, pages[name]) as v:
        page = v.page
        assert page.locator("h1").inner_text() == title
        assert page.title() == title
        assert page.evaluate("document.documentElement.lang") == name
        texts = " ".join(_open_everything(page)["texts"])
        assert label in texts and deal in texts
        _hover_a_line(page)
        _step_timeline(page)
        page.locator(".geo-text summary").click()
        body = page.locator("body").text_content() or ""
        assert label in body and deal in body
        _check_inert(v, page, scripts)


def test_hostile_map_of_more_than_300_stops(chromium, pages):
    with visit(chromium, pages["benign"]) as v:
        scripts = v.page.evaluate("document.scripts.length")
    with visit(chromium, pages["stops"], wait_for=".leaflet-overlay-pane canvas") as v:
        page = v.page
        opened = _open_everything(page)
        assert opened["tooltips"] >= 300  # one per place
        assert sum("<img src=x onerror=alert(" in t for t in opened["texts"]) >= 300
        _check_inert(v, page, scripts)


def test_hostile_map_of_more_than_300_routes(chromium, pages):
    with visit(chromium, pages["benign"]) as v:
        scripts = v.page.evaluate("document.scripts.length")
    with visit(chromium, pages["routes"], wait_for=".leaflet-overlay-pane canvas") as v:
        page = v.page
        opened = _open_everything(page)
        assert sum("<iframe src=javascript:alert(" in t for t in opened["texts"]) == 320
        assert sum("{{7*7}}" in t for t in opened["texts"]) == 320
        _check_inert(v, page, scripts)


def test_route_tooltips_reach_the_mouse_above_the_itinerary(chromium, pages):
    """Over 300 routes are drawn on a canvas; the itinerary shares it, so a route under the
    pointer still shows its name (a second canvas on top used to take every event)."""
    with visit(chromium, pages["routes"], wait_for=".leaflet-overlay-pane canvas") as v:
        page = v.page
        assert page.locator(".leaflet-overlay-pane canvas").count() == 1
        assert "<iframe src=javascript:alert(" in _hover_a_line(page, "<iframe")
        assert v.dialogs == []


def test_a_trip_in_one_place_frames_a_fixed_zoom(chromium, tmp_path):
    path = write(
        tmp_path,
        "trip: {id: one-place, title: One place}\nstops:\n"
        "  - {place: Tashkent, depart: 2024-06-10}\n  - {place: Tashkent, arrive: 2024-06-10}\n",
    )
    page_path = tmp_path / "one.html"
    page_path.write_text(render_map(geo.load_trip(path)), encoding="utf-8")
    with visit(chromium, page_path) as v:
        zoom = v.page.evaluate("geoMap.getZoom()")
        assert zoom == 10
        assert v.page.locator(".geo-stop").count() == 1
        assert v.errors == []
