"""Context labels (water names, capitals), the label ranks and the inset locator's data."""

from __future__ import annotations

import json

import pytest

from geo import basemap
from geo._data import data_path
from geo.context import (
    RANKS,
    ContextLabel,
    context_labels,
    inset_outline,
    inset_wanted,
    rank_of,
)

CASPIAN = (46.0, 35.0, 56.0, 47.0)
KOREA_STRAIT = (125.0, 32.5, 130.5, 36.5)


def test_ranks_are_in_the_issue_order():
    assert RANKS == ("stop", "deal", "partner", "water", "country", "capital")
    assert rank_of("stop") < rank_of("water") < rank_of("capital")


def test_caspian_is_named_in_four_languages():
    for lang, text in (
        ("en", "Caspian Sea"),
        ("ko", "카스피해"),
        ("ru", "Каспийское море"),
        ("ja", "カスピ海"),
    ):
        labels = context_labels(CASPIAN, lang, context="none")
        assert [x.text for x in labels] == [text]
        assert labels[0].rank == "water" and labels[0].kind == "sea" and labels[0].italic


def test_capitals_in_view_and_none_leaves_them_out():
    labels = context_labels(CASPIAN, "en")
    capitals = [x.text for x in labels if x.kind == "capital"]
    assert "Baku" in capitals and "Tehran" in capitals
    assert all(x.rank == "capital" and not x.italic for x in labels if x.kind == "capital")
    assert not any(x.kind == "capital" for x in context_labels(CASPIAN, "en", context="none"))
    with pytest.raises(ValueError, match="capitals, none"):
        context_labels(CASPIAN, "en", context="all")


def test_a_name_missing_in_a_language_falls_back_to_english():
    # Capitals have Korean and Japanese names from the gazetteer's table (scripts/build_names.py)
    found = {x.key: x for x in context_labels(CASPIAN, "ko")}
    assert found["Baku"].text == "바쿠" and found["Baku"].native
    assert {x.key: x.text for x in context_labels(CASPIAN, "ja")}["Baku"] == "バクー"
    # Hargeisa has none in Korean: the English name, marked as not the map's language, so the
    # maps leave it out rather than put an English word among Hangul.
    horn = {x.key: x for x in context_labels((40.0, 5.0, 50.0, 14.0), "ko")}
    assert horn["Hargeisa"].text == "Hargeisa" and not horn["Hargeisa"].native
    assert horn["Hargeisa"].kind == "capital"


def test_oceans_on_a_wide_view_lakes_only_when_close():
    wide = [x.text for x in context_labels((-180.0, -60.0, 180.0, 80.0), "en", context="none")]
    assert "Indian Ocean" in wide and "Lake Tana" not in wide
    close = context_labels((36.0, 11.0, 38.5, 13.0), "en", context="none")
    assert [x.text for x in close] == ["Lake Tana"]
    assert all(isinstance(x, ContextLabel) for x in close)


def test_an_ocean_or_sea_whose_label_point_is_off_the_map_is_named_at_another_point():
    # A map of Australia: the Tasman Sea's label point (160.6 E, 40.1 S) is east of the view,
    # and the North Pacific's is off Mexico; both are named on regional maps all the same.
    australia = (109.6, -41.6, 160.4, -10.8)
    tasman = next(row for row in basemap.water_bodies() if row["name"] == "Tasman Sea")
    assert tasman["lon"] > australia[2]
    found = {x.text: x for x in context_labels(australia, "en", context="none")}
    assert "Tasman Sea" in found
    w, s, e, n = australia
    assert all(w < x.lon < e and s < x.lat < n for x in found.values())
    japan = [x.text for x in context_labels((120.0, 20.0, 150.0, 45.0), "ko", context="none")]
    assert "북태평양" in japan
    # Every extra point is inside its body's bounding box.
    for row in basemap.water_bodies():
        bw, bs, be, bn = row["bbox"]
        assert all(bw <= lon <= be and bs <= lat <= bn for lon, lat in row["points"])


def test_a_water_name_has_other_places_in_view_or_just_beyond():
    # The Caspian on the caspian-ferry trip's frame: its label point is in the south; places in
    # the north (beyond the frame, where a phone's taller map shows them) come as alternatives.
    (caspian,) = [
        x
        for x in context_labels((43.0, 36.5, 60.0, 43.2), "en", context="none")
        if x.key == "Caspian Sea"
    ]
    assert (caspian.lon, caspian.lat) == (51.37, 38.77)
    assert 2 <= len(caspian.alts) <= 5
    assert max(lat for _, lat in caspian.alts) > 43.2  # in the north, beyond the frame
    assert len(set(caspian.alts)) == len(caspian.alts)
    # A body is listed only when a place of its is in view: none of the Aral Sea's is here.
    names = [x.key for x in context_labels((46.0, 36.0, 54.0, 42.0), "en", context="none")]
    assert "Aral Sea" not in names and "Caspian Sea" in names


def test_inset_wanted():
    assert inset_wanted(KOREA_STRAIT)
    assert inset_wanted(CASPIAN)
    assert not inset_wanted((40.0, 20.0, 130.0, 55.0))  # Central Asia to Korea
    assert inset_wanted((40.0, 20.0, 130.0, 55.0), "on")
    assert not inset_wanted(KOREA_STRAIT, "off")
    with pytest.raises(ValueError, match="auto, on, off"):
        inset_wanted(KOREA_STRAIT, "yes")


def test_inset_outline_holds_the_frame_inside_a_continent_sized_extent():
    inset = inset_outline(KOREA_STRAIT)
    west, south, east, north = inset.extent
    assert west < 125.0 and east > 130.5 and south < 32.5 and north > 36.5
    assert east - west >= 70 and north - south >= 45
    assert inset.frame == KOREA_STRAIT
    assert inset.rings  # Korea, Japan and China are land
    for ring in inset.rings:
        assert all(
            west - 1e-6 <= x <= east + 1e-6 and south - 1e-6 <= y <= north + 1e-6 for x, y in ring
        )
    assert inset_outline(KOREA_STRAIT) == inset  # deterministic


def test_bundled_context_data_is_small_and_complete():
    water = basemap.water_bodies()
    names = {row["name"] for row in water}
    assert {"Caspian Sea", "Sea of Japan", "Lake Baikal", "Caribbean Sea", "Ross Sea"} <= names
    assert len(names) == len(water)  # Natural Earth's duplicate Ross/Mediterranean parts merged
    for row in water:
        assert "\r" not in row["name"] and "  " not in row["name"]
        assert row["kind"] in {"ocean", "sea", "gulf", "bay", "lake"}
        w, s, e, n = row["bbox"]
        assert w <= row["lon"] <= e and s <= row["lat"] <= n
    with_ko = [row for row in water if row["name_ko"]]
    assert len(with_ko) >= 40
    caps = basemap.capitals()
    assert 190 <= len(caps) <= 220
    assert {"Seoul", "Baku", "Ashgabat", "Astana"} <= {c["name_en"] for c in caps} | {
        c["name"] for c in caps
    }
    for name in ("water.json", "capitals.json", "inset-110m.geojson"):
        size = data_path(f"basemap/{name}").stat().st_size
        assert size < 40_000, (name, size)
    land = json.loads(data_path("basemap/inset-110m.geojson").read_text(encoding="utf-8"))
    assert land["geometry"]["type"] == "MultiPolygon"
    assert len(basemap.inset_land()) == len(land["geometry"]["coordinates"])
