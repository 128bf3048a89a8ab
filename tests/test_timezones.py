"""Local times from time-zone borders: a point in one country never takes another's zone.

Each case is a point a few km inside a border between countries whose clocks differ (or whose
zones differ by name), with the UTC offset its clock showed on 2024-06-15. The old rule (the
nearest gazetteer city within 500 km) put Terespol on Minsk time, Elvas on Madrid time and
Ivangorod on Tallinn's zone.
"""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest

import geo
from geo.timezones import country_zones, zone_at
from tests.test_trust import geo_cli

REF = dt.datetime(2024, 6, 15, 12)

BORDERS = [
    ("Badajoz", 38.88, -6.97, "ES", 2),
    ("Elvas", 38.88, -7.16, "PT", 1),
    ("Terespol", 52.075, 23.615, "PL", 2),
    ("Brest", 52.097, 23.69, "BY", 3),
    ("Imatra", 61.17, 28.77, "FI", 3),
    ("Svetogorsk", 61.11, 28.86, "RU", 3),
    ("Khorgos", 44.21, 80.41, "CN", 6),
    ("Zharkent", 44.16, 80.0, "KZ", 5),
    ("Maku", 39.29, 44.45, "IR", 3.5),
    ("Dogubayazit", 39.55, 44.08, "TR", 3),
    ("Attari", 31.602, 74.61, "IN", 5.5),
    ("Wagah", 31.60, 74.54, "PK", 5),
    ("Detroit", 42.33, -83.05, "US", -4),
    ("Windsor", 42.30, -83.02, "CA", -4),
    ("El Paso", 31.76, -106.49, "US", -6),
    ("Ciudad Juarez", 31.69, -106.42, "MX", -6),
    ("Kharkiv", 49.99, 36.23, "UA", 3),
    ("Belgorod", 50.6, 36.6, "RU", 3),
    ("Saryagash", 41.45, 69.17, "KZ", 5),
    ("Tashkent", 41.3, 69.25, "UZ", 5),
    ("Sarpi", 41.52, 41.55, "GE", 4),
    ("Hopa", 41.39, 41.42, "TR", 3),
    ("Herat", 34.35, 62.2, "AF", 4.5),
    ("Taybad", 34.74, 60.78, "IR", 3.5),
    ("Sinuiju", 40.10, 124.40, "KP", 9),
    ("Dandong", 40.13, 124.39, "CN", 8),
    ("Mae Sot", 16.71, 98.57, "TH", 7),
    ("Myawaddy", 16.69, 98.51, "MM", 6.5),
    ("Birgunj", 27.0, 84.87, "NP", 5.75),
    ("Raxaul", 26.98, 84.85, "IN", 5.5),
    ("Foz do Iguacu", -25.54, -54.58, "BR", -3),
    ("Puerto Iguazu", -25.60, -54.57, "AR", -3),
    ("Tijuana", 32.52, -117.04, "MX", -7),
    ("San Ysidro", 32.56, -117.04, "US", -7),
    ("Narva", 59.38, 28.19, "EE", 3),
    ("Ivangorod", 59.37, 28.22, "RU", 3),
]


def _offset(zone: str) -> float:
    off = ZoneInfo(zone).utcoffset(REF)
    assert off is not None
    return off.total_seconds() / 3600


@pytest.mark.parametrize(("name", "lat", "lon", "country", "hours"), BORDERS)
def test_a_point_inside_a_border_keeps_its_countrys_clock(name, lat, lon, country, hours):
    zone = zone_at(lat, lon, country)
    assert zone in country_zones(country), (name, zone)
    assert _offset(zone) == hours, (name, zone)
    # The boundaries alone (no country given) agree for these points.
    assert zone_at(lat, lon) == zone


def test_the_country_wins_where_the_simplified_boundary_strays():
    # On the Tumen river the boundary polygons put this point in Russia; the trip says KP.
    assert zone_at(42.45, 130.6) == "Asia/Vladivostok"
    assert zone_at(42.45, 130.6, "KP") == "Asia/Pyongyang"
    # A country of many zones takes the zone of its nearest city there.
    assert zone_at(41.3, 69.25, "KZ") in country_zones("KZ")


def test_at_sea_no_zone_unless_the_trip_gives_one():
    # A ship keeps the clock its master sets: a timed stop at sea needs `tz:`.
    assert zone_at(0.0, -150.0) is None
    assert zone_at(30.0, 150.0) is None
    # In a country's waters (Tokyo Bay), that country's zone.
    assert zone_at(35.5, 139.8) == "Asia/Tokyo"


def test_unknown_country_code_falls_back_to_the_boundaries():
    assert country_zones("ZZ") == ()
    assert zone_at(52.075, 23.615, "ZZ") == "Europe/Warsaw"


def _trip(tmp_path, stop: dict) -> object:
    doc = {
        "trip": {"id": "tz", "title": "Border"},
        "stops": [
            {"place": "Warsaw", "country": "PL", "depart": "2024-06-10T08:00"},
            stop,
        ],
    }
    path = tmp_path / "tz.yaml"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_a_stop_by_coordinates_near_a_border_gets_its_own_zone(tmp_path):
    path = _trip(
        tmp_path, {"lat": 52.075, "lon": 23.615, "country": "PL", "arrive": "2024-06-10T12:00"}
    )
    trip = geo.load_trip(path)
    assert trip.stops.iloc[1]["tz"] == "Europe/Warsaw"
    arrive = trip.stops.iloc[1]["arrive"]
    # 12:00 in Warsaw is 10:00 UTC; on Minsk's clock it would be 09:00.
    assert arrive.utcoffset() == dt.timedelta(hours=2), arrive


def test_a_given_tz_wins(tmp_path):
    path = _trip(
        tmp_path,
        {"lat": 52.075, "lon": 23.615, "tz": "Europe/Minsk", "arrive": "2024-06-10T12:00"},
    )
    assert geo.load_trip(path).stops.iloc[1]["tz"] == "Europe/Minsk"


def test_info_shows_the_local_time_of_the_border_stop(tmp_path):
    path = _trip(
        tmp_path, {"lat": 38.88, "lon": -7.16, "label": "Elvas", "arrive": "2024-06-10T18:00"}
    )
    proc = geo_cli("info", str(path))
    assert proc.returncode == 0, proc.stderr
    assert "Elvas" in proc.stdout
