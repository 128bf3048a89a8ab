"""The map page as text: deterministic, self-contained, every data string inert."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

import geo
from geo.errors import GeoError
from geo.render import render_map
from geo.render.layer import json_for_script as _json_for_script
from tests.conftest import DATA, REPO


@pytest.fixture(scope="module")
def page(bundled) -> str:
    return render_map(bundled)


def test_same_input_same_bytes(bundled, page):
    assert render_map(bundled) == page
    code = "import geo; from geo.render import render_map; print(render_map(geo.load_trip(geo.bundled_trip())), end='')"
    runs = [
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                       cwd=REPO, env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"}).stdout
        for seed in ("1", "2")
    ]  # fmt: skip
    assert runs[0] == runs[1] == page


def test_no_random_ids(page):
    assert not re.search(r"[0-9a-f]{32}", page)


def test_inline_page_names_no_host_it_loads_from(page):
    # No script, stylesheet or image is loaded from anywhere: only attribution links remain.
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=\"https?:", page)
    for host in ("cdn.jsdelivr.net", "code.jquery.com", "netdna.bootstrapcdn.com",
                 "cdnjs.cloudflare.com", "unpkg.com"):  # fmt: skip
        assert host not in page
    assert "jquery" not in page.lower() and "bootstrap" not in page.lower()
    assert "awesome-markers" not in page and "font-awesome" not in page


def test_cdn_mode_links_leaflet_with_integrity(bundled):
    html = render_map(bundled, assets="cdn")
    assert re.search(
        r'<script src="https://unpkg.com/leaflet@1\.9\.3/dist/leaflet\.js" integrity="sha384-', html
    )
    assert '<link rel="stylesheet" href="https://unpkg.com/leaflet@1.9.3/dist/leaflet.css"' in html
    assert len(html) < len(render_map(bundled)) - 100_000


def test_accessible_frame(page):
    assert page.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert (
        "<title>K-Silk Road: Yoon&#x27;s state visit to three Central Asian countries</title>"
        in page
    )
    assert 'role="region" aria-label="Map: K-Silk Road' in page
    assert '<details class="geo-text"><summary>Text version of this map</summary>' in page
    assert "user-scalable=no" not in page  # readers may zoom the page


def test_korean_page(bundled):
    html = render_map(bundled, lang="ko")
    assert '<html lang="ko">' in html
    assert "이 지도의 텍스트 버전" in html and "2024년 6월 10일" in html
    data = json.loads(
        re.search(
            r'<script type="application/json" id="geo-data">(.*?)</script>', html, re.S
        ).group(1)
    )
    assert data["stops"][0]["dates"] == "6월 10일 · 6월 16일"
    assert data["stops"][0]["numbers"] == "1 · 6"


def test_hostile_strings_are_inert_in_the_source():
    html = render_map(geo.load_trip(DATA / "hostile.yaml"))
    # Only our own <script> elements exist: the JSON block, geo-map.js, Leaflet and folium's.
    assert html.count("<script") == html.count("</script>") == 4
    assert "<img" not in html and "<svg onload" not in html and "<iframe" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html  # the text version shows it literally
    assert "\u2028" not in html.split('id="geo-data">', 1)[1].split("</script>", 1)[0]


def test_json_for_script_escapes_breakouts():
    text = _json_for_script({"a": "</script><!--\u2028&"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"a": "</script><!--\u2028&"}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"lang": "fr"}, "lang: 'fr' is not a supported language; use one of en, ja, ko, ru"),
        ({"assets": "embed"}, "assets: 'embed' is not a way to include assets; use one of inline"),
        ({"tiles": "CartoDB.Positrn"}, "did you mean CartoDB.Positron"),
        ({"tiles": "Thunderforest.OpenCycleMap"}, "needs an API key"),
    ],
)
def test_bad_options(bundled, kwargs, message):
    with pytest.raises(GeoError, match=re.escape(message)):
        render_map(bundled, **kwargs)


def test_tiles_carry_their_attribution(bundled):
    html = render_map(bundled, tiles="OpenStreetMap.Mapnik")
    assert "https://tile.openstreetmap.org/{z}/{x}/{y}.png" in html
    assert '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>' in html


def test_geo_map_js_can_be_compacted_safely():
    """compact_js strips comments and indentation; that holds only while the file has no
    template literal and no comment marker inside a string."""
    from geo.render.assets import compact_js
    from geo.render.layer import resource

    source = resource("geo-map.js")
    assert "`" not in source
    for line in source.splitlines():
        code = line.strip()
        if "/*" in code or "*/" in code:
            assert code.startswith(("/*", "*")) or code.endswith("*/"), line
        if "//" in code and not code.startswith("//"):
            assert '"http://' in code or "'//" not in code, line  # only the SVG namespace URL
    compact = compact_js(source)
    assert len(compact) < 0.8 * len(source) and "geoDrawTrip" in compact
