"""The static map names the water in view, in italic blue, after the stops and own countries."""

from __future__ import annotations

import geo
from geo._data import data_path
from geo.palette import palette
from geo.static.output import drawn


def _texts(fig):
    return [t for ax in fig.axes for t in ax.texts]


def test_sea_voyage_names_seas_in_italic_blue():
    trip = geo.load_trip(data_path("gallery/sea-voyage.yaml"))
    with drawn(trip, "social", "en") as (fig, _):
        water = {t.get_text(): t for t in _texts(fig) if t.get_fontstyle() == "italic"}
    assert {"Caspian Sea", "Arabian Sea"} <= set(water)
    for t in water.values():
        assert t.get_color() == palette("light")["water_text"]


def test_korean_map_names_seas_in_korean():
    trip = geo.load_trip(data_path("gallery/sea-voyage.yaml"))
    with drawn(trip, "social", "ko") as (fig, _):
        water = {t.get_text() for t in _texts(fig) if t.get_fontstyle() == "italic"}
    assert "카스피해" in water and "Caspian Sea" not in water
