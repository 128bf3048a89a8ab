from __future__ import annotations

import pytest

from geo.errors import GazetteerError
from geo.gazetteer import fold, lookup, nearest_timezone


@pytest.mark.parametrize(
    ("name", "country", "expect_name", "expect_country", "tz"),
    [
        ("Samarkand", None, "Samarkand", "UZ", "Asia/Samarkand"),
        ("samarkand", None, "Samarkand", "UZ", "Asia/Samarkand"),
        ("Seongnam", "KR", "Seongnam-si", "KR", "Asia/Seoul"),
        ("Ashgabat", None, "Ashgabat", "TM", "Asia/Ashgabat"),
        ("Astana", None, "Astana", "KZ", "Asia/Almaty"),
        ("Tashkent", None, "Tashkent", "UZ", "Asia/Tashkent"),
        ("Turkmenbashi", None, "Türkmenbaşy", "TM", "Asia/Ashgabat"),
        ("TÜRKMENBAŞY", None, "Türkmenbaşy", "TM", "Asia/Ashgabat"),
        ("Valencia", "ES", "Valencia", "ES", "Europe/Madrid"),
    ],
)
def test_lookup(name, country, expect_name, expect_country, tz):
    place = lookup(name, country)
    assert (place.name, place.country, place.timezone) == (expect_name, expect_country, tz)


def test_samarkand_is_not_temirtau():
    # Temirtau (KZ, ~170,000 people) has "Samarkand" among its alternate names.
    place = lookup("Samarkand")
    assert place.population > 500_000
    assert abs(place.lat - 39.65) < 0.1


def test_ambiguous_name_lists_candidates_with_countries():
    with pytest.raises(GazetteerError, match="ambiguous") as info:
        lookup("Valencia")
    text = str(info.value)
    assert "(VE" in text and "(ES" in text and "country" in text


def test_unknown_name_suggests_close_names():
    with pytest.raises(GazetteerError, match="not a known place") as info:
        lookup("Samarkandd")
    assert "Samarkand (UZ" in str(info.value)


def test_country_narrows_and_rejects():
    with pytest.raises(GazetteerError, match="in KR"):
        lookup("Tashkent", "KR")


def test_fold():
    assert fold("  Türkmenbaşy ") == "turkmenbasy"


def test_nearest_timezone():
    assert nearest_timezone(41.3, 69.25) == "Asia/Tashkent"
    assert nearest_timezone(0.0, -150.0) is None  # mid-Pacific
