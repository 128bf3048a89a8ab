"""A Trip behaves like a geopandas object: explore(), _repr_html_, __geo_interface__,
to_file(), to_image()."""

from __future__ import annotations

import json
import re
import sqlite3

import folium
import geopandas as gpd
import pytest

import geo
from geo.errors import GeoError
from tests.browser import visit
from tests.conftest import DATA

LAYERS = ("stops", "legs", "deals", "resources", "routes")


def test_explore_returns_a_new_folium_map(bundled):
    m = bundled.explore()
    assert isinstance(m, folium.Map)
    page = m.get_root().render()
    assert "geoDrawTrip(" in page and 'type="application/json" id="geo-data-' in page
    names = [c.layer_name for c in m._children.values() if isinstance(c, folium.FeatureGroup)]
    assert names == ["basemap", "Resources", "Trade routes", "Itinerary", "Deals"]


def test_explore_draws_onto_an_existing_map(bundled):
    m = folium.Map(location=[40, 70], zoom_start=4)
    mine = folium.Marker([41.3, 69.2], tooltip="my own layer").add_to(m)
    out = bundled.explore(m, lang="ko")
    assert out is m
    assert mine in m._children.values()
    groups = [c.layer_name for c in m._children.values() if isinstance(c, folium.FeatureGroup)]
    assert groups == ["핵심광물·에너지", "교역 경로", "일정", "계약·협력"]  # no basemap over tiles
    folium.LayerControl().add_to(m)
    page = m.get_root().render()
    assert page.count("geoDrawTrip(") == 1 and "my own layer" in page


def test_explore_layers_and_bad_arguments(bundled):
    m = bundled.explore(layers=["itinerary"], tiles="OpenStreetMap.Mapnik")
    groups = [c.layer_name for c in m._children.values() if isinstance(c, folium.FeatureGroup)]
    assert groups == ["Itinerary"]
    with pytest.raises(GeoError, match="layers: 'legs' is not a layer"):
        bundled.explore(layers=["legs"])
    with pytest.raises(GeoError, match="lang: 'fr'"):
        bundled.explore(lang="fr")


def test_explore_keeps_trip_text_out_of_templates(monkeypatch):
    import jinja2

    compiled: list[str] = []
    real = jinja2.Environment.from_string

    def spy(self, source, *args, **kwargs):
        compiled.append(str(source))
        return real(self, source, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "from_string", spy)
    trip = geo.load_trip(DATA / "hostile.yaml")
    page = trip.explore().get_root().render()
    for source in compiled:
        assert "onerror" not in source and "{{7*7}}" not in source
    data = page.split('type="application/json"', 1)[1]
    assert "<img" not in data.split("</script>", 1)[0]
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in page


@pytest.mark.browser
def test_explore_on_a_users_map_draws_in_a_browser(chromium, bundled, tmp_path):
    """A user's folium map (Leaflet from folium's CDN, served here from the local package),
    with the trip added by explore() and a marker of their own."""
    from geo.render.assets import leaflet

    m = folium.Map(location=[40, 70], zoom_start=4, tiles=None)
    folium.Marker([41.3, 69.2], tooltip="mine").add_to(m)
    bundled.explore(m)
    path = tmp_path / "user.html"
    m.save(str(path))
    js, css = (next(a.text for a in leaflet(inline=True) if a.kind == k) for k in ("js", "css"))
    context = chromium.new_context(viewport={"width": 1100, "height": 750})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))

    def route(r):
        url = r.request.url
        if url.startswith("file:"):
            r.continue_()
        elif re.search(r"/leaflet(@[\d.]+)?/dist/leaflet\.js$", url):
            r.fulfill(body=js, content_type="text/javascript")
        elif re.search(r"/leaflet(@[\d.]+)?/dist/leaflet\.css$", url):
            r.fulfill(body=css, content_type="text/css")
        else:
            r.abort()  # folium's jQuery, Bootstrap, Font Awesome: not needed to draw

    context.route("**/*", route)
    try:
        page.goto(path.as_uri(), wait_until="load")
        page.wait_for_function("() => document.querySelectorAll('.geo-stop').length > 0")
        assert page.locator(".geo-stop").count() == 5
        assert page.locator(".geo-deal").count() == int(bundled.deals.geometry.notna().sum())
        assert page.locator(".leaflet-marker-icon:not(.geo-stop-icon)").count() >= 1
        assert not [e for e in errors if "geo" in e.lower()], errors
    finally:
        context.close()


@pytest.mark.browser
def test_repr_html_renders_offline_in_a_notebook_frame(chromium, bundled, tmp_path):
    html = bundled._repr_html_()
    assert html.startswith("<iframe srcdoc=") and "<script" not in html  # all inside srcdoc
    path = tmp_path / "notebook.html"
    path.write_text(f"<!DOCTYPE html><html><body>{html}</body></html>", encoding="utf-8")
    with visit(chromium, path, wait_for=None) as v:
        frame = v.page.frame_locator("iframe")
        frame.locator(".geo-stop").first.wait_for()
        assert frame.locator(".geo-stop").count() == 5
        assert v.external == [] and v.errors == []


def test_geo_interface_round_trips_every_layer(bundled):
    gi = bundled.__geo_interface__
    assert gi["type"] == "FeatureCollection"
    assert {f["properties"]["layer"] for f in gi["features"]} == set(LAYERS)
    for name, frame in bundled.layers().items():
        feats = [f for f in gi["features"] if f["properties"]["layer"] == name]
        back = gpd.GeoDataFrame.from_features(feats, crs="EPSG:4326")
        assert len(back) == len(frame)
        assert set(back.columns) == set(frame.columns) | {"layer"}
        for a, b in zip(back.geometry, frame.geometry, strict=True):
            assert (a is None and b is None) or a.equals_exact(b, tolerance=1e-9)
        key = {"stops": "stop", "legs": "leg", "deals": "deal", "resources": "resource",
               "routes": "route"}[name]  # fmt: skip
        assert back[key].tolist() == frame[key].tolist()


def test_to_file_by_extension(bundled, tmp_path):
    gj = bundled.to_file(tmp_path / "trip.geojson")
    assert {f["properties"]["layer"] for f in json.loads(gj.read_text())["features"]} == set(LAYERS)
    gpkg = bundled.to_file(tmp_path / "trip.gpkg")
    with sqlite3.connect(gpkg) as db:
        tables = {r[0] for r in db.execute("select table_name from gpkg_contents")}
    assert tables == set(LAYERS)
    csv = bundled.to_file(tmp_path / "legs.csv", layer="legs")
    assert csv.read_text().splitlines()[0].startswith("leg,")
    assert bundled.to_file(tmp_path / "x.dat", driver="GeoJSON").read_text().startswith("{")
    with pytest.raises(GeoError, match="unknown extension '.txt'"):
        bundled.to_file(tmp_path / "trip.txt")
    kml = bundled.to_file(tmp_path / "trip.kml", lang="ko")
    assert "<kml" in kml.read_text(encoding="utf-8") and "성남" in kml.read_text(encoding="utf-8")
    fgb = bundled.to_file(tmp_path / "legs.fgb", layer="legs")
    assert gpd.read_file(fgb).shape[0] == len(bundled.legs)
    with pytest.raises(GeoError, match="one layer per file"):
        bundled.to_file(tmp_path / "all.csv")


def test_to_image(bundled, tmp_path):
    out = bundled.to_image(tmp_path / "card.png", size="600x400")
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_trip_compares_and_hashes_by_identity(bundled):
    other = geo.load_trip(geo.bundled_trip())
    assert bundled == bundled and bundled != other
    assert len({bundled, other, bundled}) == 2
    with pytest.raises(AttributeError):
        bundled.meta = None  # frozen
