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


def test_a_trips_names_rename_the_water(tmp_path):
    import yaml

    doc = yaml.safe_load(data_path("gallery/sea-voyage.yaml").read_text(encoding="utf-8"))
    doc["names"] = {"caspian  sea": {"en": "<b>Caspian</b> {{7*7}}", "ko": "카스피 바다"}}
    path = tmp_path / "renamed.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    trip = geo.load_trip(path)
    for lang, name in (("en", "<b>Caspian</b> {{7*7}}"), ("ko", "카스피 바다")):
        with drawn(trip, "social", lang) as (fig, _):
            water = {t.get_text() for t in _texts(fig) if t.get_fontstyle() == "italic"}
        assert name in water, water  # drawn as text, markup and all


def test_an_unknown_water_name_is_a_problem_with_a_suggestion(tmp_path):
    import yaml

    from tests.test_trust import geo_cli

    doc = yaml.safe_load(data_path("gallery/sea-voyage.yaml").read_text(encoding="utf-8"))
    doc["names"] = {"Caspain Sea": "x"}
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    proc = geo_cli("validate", str(path))
    assert proc.returncode == 2 and "names" in proc.stderr and "Caspian Sea" in proc.stderr
