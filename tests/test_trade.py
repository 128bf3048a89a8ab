"""The trade layer in every output: legs by mode, resources by region, flows sized by value.

The HTML map (payload and, in Chromium, the drawn page) and the static image's scene must say
the same things: the same leg modes in the legend, the same commodity groups, the same flow
widths.
"""

from __future__ import annotations

import math

import pytest

import geo
from geo import style
from geo.render import render_map
from geo.render.payload import build_payload
from geo.static.scene import build_scene
from tests.browser import visit
from tests.conftest import DATA, write

TRIP = """trip: {id: t, title: T}
stops:
  - {lat: 35.5, lon: 129.38, mode: sea, label: Ulsan}
  - {lat: 1.26, lon: 103.84, mode: air, label: Singapore}
  - {lat: 41.3, lon: 69.25, mode: rail, label: Tashkent}
  - {lat: 39.65, lon: 66.96, label: Samarkand}
resources:
  - {country: KZ, commodities: [lithium], source: own}
  - {region: central-asia, commodities: [uranium, natural gas], source: region}
  - {countries: [UZ, TM], commodities: [tungsten], source: "<b>{{7*7}}</b>"}
routes:
  - {name: Big, mode: sea, waypoints: [Busan, Rotterdam], value: [{amount: 400, currency: USD}]}
  - {name: Small, mode: sea, waypoints: [Busan, Singapore], value: [{amount: 100, currency: USD}]}
  - {name: Won, mode: rail, waypoints: [Seoul, Tashkent], value: [{amount: 5, currency: KRW}]}
  - {name: None, mode: road, waypoints: [Tashkent, Almaty]}
"""


@pytest.fixture(scope="module")
def trip(tmp_path_factory) -> geo.Trip:
    return geo.load_trip(write(tmp_path_factory.mktemp("trade"), TRIP))


def _legend(payload: dict, title: str) -> list[dict]:
    return next(s["items"] for s in payload["legend"] if s["title"] == title)


def test_legs_grouped_by_mode_in_both_legends(trip):
    payload = build_payload(trip, "en")
    lines = [i["label"] for i in _legend(payload, "Itinerary") if i["kind"] == "line"]
    assert lines == ["Legs (air)", "Legs (rail): direct line, not the track", "Legs (sea)"]
    dashes = {leg["mode"]: leg["dash"] for leg in payload["legs"]}
    assert dashes == {m: style.LEG_MODE[m][0] for m in ("sea", "air", "rail")}
    assert len(set(dashes.values())) == 3
    scene_lines = [i.label for i in build_scene(trip, "en").legend if i.kind == "line"]
    assert scene_lines[:3] == lines
    ko = [i["label"] for i in _legend(build_payload(trip, "ko"), "일정") if i["kind"] == "line"]
    assert ko == ["구간 (항공)", "구간 (철도): 직선 (실제 경로 아님)", "구간 (해상)"]
    assert "sea lane (great circle" in payload["legs"][0]["title"]
    assert "direct line, not the track" in payload["legs"][2]["title"]


def test_voyage_legend_lists_only_sea():
    payload = build_payload(geo.load_trip(DATA / "voyage.yaml"), "en")
    lines = [i["label"] for i in _legend(payload, "Itinerary") if i["kind"] == "line"]
    assert lines == ["Legs (sea)"]


def test_each_country_lists_its_own_commodities(trip):
    r = trip.resources
    assert sorted(r["country"]) == sorted(["KZ", "KG", "KZ", "TJ", "TM", "UZ", "UZ", "TM"])
    shapes = {p["title"]: p for p in build_payload(trip, "en")["resources"]}
    assert len(shapes) == 5  # one shape per country, however many records name it
    rows = {name: dict(p["popup"]["rows"]) for name, p in shapes.items()}
    assert rows["Kyrgyzstan"] == {"Energy": "uranium, natural gas"}  # in the file's order
    assert rows["Kazakhstan"]["Battery materials"] == "lithium"
    assert rows["Kazakhstan"]["Energy"] == "uranium, natural gas"
    assert "Semiconductor materials" not in rows["Kazakhstan"]
    assert rows["Uzbekistan"]["Semiconductor materials"] == "tungsten"
    assert shapes["Kazakhstan"]["popup"]["quotes"] == ["own", "region"]
    assert shapes["Uzbekistan"]["popup"]["quotes"] == ["region", "<b>{{7*7}}</b>"]
    assert shapes["Kyrgyzstan"]["badges"] == [style.COMMODITY_GROUP["energy"]]
    assert len(shapes["Kazakhstan"]["badges"]) == 2


def test_one_legend_swatch_per_commodity_group(trip):
    items = _legend(build_payload(trip, "en"), "Resources")
    assert [i["kind"] for i in items] == ["fill", "badge", "badge", "badge"]
    assert [i["label"] for i in items[1:]] == [
        "Energy: natural gas, uranium",
        "Battery materials: lithium",
        "Semiconductor materials: tungsten",
    ]
    ko = _legend(build_payload(trip, "ko"), "핵심광물·에너지")
    assert ko[1]["label"] == "에너지: 천연가스, 우라늄"
    static = [i.label for i in build_scene(trip, "en").legend if i.kind == "badge"]
    assert static == [i["label"] for i in items[1:]]


def test_flows_are_sized_by_value_on_a_square_root_scale(trip):
    payload = build_payload(trip, "en")
    w = {r["title"]: r["width"] for r in payload["routes"]}
    assert w["Big"] == style.FLOW_MAX_PX
    assert w["Small"] == pytest.approx(style.FLOW_MAX_PX * math.sqrt(100 / 400), abs=0.05)
    # KRW is never converted to USD: that route is not sized, nor is the one without value.
    assert w["Won"] == w["None"] == style.FLOW_UNSIZED_PX
    items = _legend(payload, "Trade routes")
    notes = [i["label"] for i in items if i["kind"] == "note"]
    assert notes == ["Line width: reported value in USD (square-root scale)"]
    widths = [(i["label"], i["width"]) for i in items if i["kind"] == "width"]
    assert widths[0] == ("USD 400", style.FLOW_MAX_PX)
    assert [label for label, _ in widths[2:]] == [
        "value in KRW only (not converted)",
        "value not reported",
    ]
    # The static image draws the same order of widths.
    scene = build_scene(trip, "en")
    by_name = dict(zip(trip.routes["name_en"], scene.routes, strict=True))
    assert by_name["Big"].width_pt > by_name["Small"].width_pt > by_name["Won"].width_pt
    assert by_name["Won"].width_pt == by_name["None"].width_pt


def test_routes_follow_their_mode_and_say_so(trip):
    r = trip.routes
    assert list(r["path"]) == ["sea-lane", "sea-lane", "geodesic", "geodesic"]
    assert r["distance_km"].iloc[0] > r["great_circle_km"].iloc[0]
    popups = {p["title"]: dict(p["popup"]["rows"]) for p in build_payload(trip, "en")["routes"]}
    assert "sea lane (great circle" in popups["Big"]["Path"]
    assert popups["Won"]["Path"].endswith("direct line, not the track")


@pytest.mark.browser
def test_drawn_in_chromium(chromium, tmp_path, trip):
    path = tmp_path / "trade.html"
    path.write_text(render_map(trip, lang="en"), encoding="utf-8")
    with visit(chromium, path) as v:
        page = v.page
        legend = page.locator(".geo-legend").inner_text()
        for text in ("Legs (sea)", "Legs (air)", "Energy: natural gas, uranium", "USD 400"):
            assert text in legend
        assert page.locator(".geo-badge").count() == 2 + 1 + 1 + 2 + 2  # KZ KG TJ UZ TM
        widths = page.evaluate(
            "() => Array.from(document.querySelectorAll('path.leaflet-interactive'))"
            ".map(p => +p.getAttribute('stroke-width'))"
        )
        assert style.FLOW_MAX_PX in widths
        assert not v.errors and not v.dialogs
