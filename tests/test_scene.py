"""One scene per trip and language: every output takes dates, sizes and the legend from it."""

from __future__ import annotations

import datetime as dt
import json
import re

import geo
from geo.describe import alt_text
from geo.render import render_map
from geo.scene import build_scene
from tests.conftest import write

DATELINE = """
trip: {id: dateline, title: Across the date line}
stops:
  - {place: Seoul, country: KR, depart: 2024-11-13}
  - {place: Honolulu, country: US, arrive: 2024-11-12, depart: 2024-11-14}
  - {place: Los Angeles, country: US, arrive: 2024-11-14, depart: 2024-11-18}
  - {place: Seoul, country: KR, arrive: 2024-11-20}
"""

TWO_CURRENCIES = """
trip: {id: money, title: Two currencies}
stops:
  - {lat: 37.5, lon: 127.0, depart: 2024-06-10}
  - {lat: 41.3, lon: 69.2, arrive: 2024-06-10}
deals:
  - {title: Big, site: {lat: 41.3, lon: 69.2}, value: {amount: 100, currency: USD}, status: signed}
  - {title: Small, site: {lat: 40, lon: 70}, value: {amount: 25, currency: USD}, status: mou}
  - {title: Won only, site: {lat: 39, lon: 66}, value: {amount: 9000, currency: KRW}}
"""


def _payload(html: str) -> dict:
    return json.loads(re.search(r'id="geo-data">(.*?)</script>', html, re.S).group(1))


def test_dates_across_the_date_line_follow_the_trip(tmp_path):
    trip = geo.load_trip(write(tmp_path, DATELINE))
    assert trip.date_range() == (dt.date(2024, 11, 13), dt.date(2024, 11, 20))
    scene = build_scene(trip, "en")
    assert scene.dates == "Nov 13\u2009–\u200920, 2024"  # CLDR's interval, thin spaces
    steps = scene.steps
    assert steps[0].events == ("Depart: Seoul",)
    assert steps[1].day == dt.date(2024, 11, 12) and steps[1].events == ("Arrive: Honolulu",)
    assert [s.label for s in steps] == ["Nov 13", "Nov 12", "Nov 13", "Nov 14", *(
        f"Nov {d}" for d in range(15, 21))]  # fmt: skip
    html = render_map(trip)
    assert '<p><span class="geo-dates">Nov 13\u2009–\u200920, 2024</span></p>' in html
    assert "Nov 12\u2009–\u200922" not in html
    assert _payload(html)["timeline"]["days"][0]["events"] == ["Depart: Seoul"]
    assert "Nov 13\u2009–\u200920, 2024" in alt_text(trip, "en")


def test_one_currency_sizes_every_output(tmp_path):
    trip = geo.load_trip(write(tmp_path, TWO_CURRENCIES))
    scene = build_scene(trip, "en")
    assert scene.deal_currency == "USD"
    radius = {d.title: d.radius_px for d in scene.deals}
    assert radius["Big"] > radius["Small"] > radius["Won only"]  # KRW: neutral, not converted
    notes = [it.label for sec in scene.legend for it in sec.items if it.kind == "note"]
    assert "Circle area: reported value in USD" in notes
    assert "Values only in KRW: smallest symbol (not converted)" in notes
    data = _payload(render_map(trip))
    assert {d["title"]: d["radius"] for d in data["deals"]} == radius
    html_notes = [
        it["label"] for sec in data["legend"] for it in sec["items"] if it["kind"] == "note"
    ]
    assert html_notes == notes


def test_no_usd_means_no_usd_in_the_legend(tmp_path):
    text = TWO_CURRENCIES.replace("currency: USD", "currency: EUR")
    trip = geo.load_trip(write(tmp_path, text))
    labels = [it["label"] for sec in _payload(render_map(trip))["legend"] for it in sec["items"]]
    assert "Circle area: reported value in EUR" in labels
    assert not any("USD" in label for label in labels)


def test_scene_is_cached_per_trip_and_language(bundled):
    assert build_scene(bundled, "en") is build_scene(bundled, "en")
    assert build_scene(bundled, "ko").dates == "2024년 6월 10일~16일"  # CLDR's interval


def test_chronology_allows_the_date_line_but_not_going_back(tmp_path):
    import pytest

    from geo.errors import TripFormatError

    back = DATELINE.replace("arrive: 2024-11-12, depart: 2024-11-14", "arrive: 2024-11-10")
    with pytest.raises(TripFormatError, match=r"stops\[1\].arrive: 2024-11-10 is before"):
        geo.load_trip(write(tmp_path, back))


def test_html_and_static_take_sizes_legend_and_dates_from_one_scene(tmp_path):
    from geo.static.scene import build_scene as static_scene
    from geo.static.theme import PX_TO_PT

    trip = geo.load_trip(write(tmp_path, TWO_CURRENCIES))
    data = _payload(render_map(trip))
    image = static_scene(trip, "en")
    html_r = sorted(d["radius"] for d in data["deals"])
    assert sorted(round(d.radius_pt / PX_TO_PT, 1) for d in image.deals) == html_r
    html_legend = [(it["kind"], it["label"]) for sec in data["legend"] for it in sec["items"]]
    static_legend = [(it.kind, it.label) for it in image.legend if it.kind != "head"]
    assert static_legend == html_legend
    assert ("note", "Values only in KRW: smallest symbol (not converted)") in static_legend
    heads = [it.label for it in image.legend if it.kind == "head"]
    assert heads == [sec["title"] for sec in data["legend"]]
    assert image.subtitle.endswith(build_scene(trip, "en").dates)
