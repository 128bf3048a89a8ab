"""Validation: every problem in one report, each with its record, value and fix."""

from __future__ import annotations

import pytest

import geo
from geo.errors import TripFormatError
from tests.conftest import write

HEAD = "trip: {id: t, title: T}\n"


def problems(tmp_path, body: str) -> list[str]:
    path = write(tmp_path, HEAD + body)
    with pytest.raises(TripFormatError) as info:
        geo.load_trip(path)
    assert info.value.source == str(path)
    return [str(p) for p in info.value.problems]


def test_three_problems_in_one_report(tmp_path):
    found = problems(
        tmp_path,
        """stops:
  - {place: Seongnam, country: KR, depart: 2024-06-10}
  - {place: Ashgabat, lat: 137.9, lon: 58.4, arrive: 2024-06-10}
  - {place: Astana, arive: 2024-06-11, depart: 2024-06-13}
  - {place: Tashkent, arrive: 2024-06-14, depart: 2024-06-13}
""",
    )
    assert len(found) == 3, found
    assert any(p.startswith("stops[1].lat: 137.9 is not a latitude") for p in found)
    assert any(p.startswith("stops[2].arive: unknown key; did you mean 'arrive'?") for p in found)
    assert any(
        p.startswith("stops[3].depart: 2024-06-13 is before arrive 2024-06-14") for p in found
    )


@pytest.mark.parametrize(
    ("body", "where", "message"),
    [
        ("stops:\n  - {place: Seongnam, depart: 2024-06-31}\n  - {place: Ashgabat}\n",
         "stops[0].depart", "is not a real date"),
        ("stops:\n  - {place: Seongnam, depart: next tuesday}\n  - {place: Ashgabat}\n",
         "stops[0].depart", "is not a date"),
        ("stops:\n  - {place: Seongnam, depart: 2024-06-12}\n  - {place: Ashgabat, arrive: 2024-06-10}\n",
         "stops[1].arrive", "chronological order"),
        ("stops:\n  - {place: Seongnam, country: Uzbekistan}\n  - {place: Ashgabat}\n",
         "stops[0].country", "use the ISO 3166-1 alpha-2 code 'UZ'"),
        ("stops:\n  - {place: Seongnam, country: ZZ}\n  - {place: Ashgabat}\n",
         "stops[0].country", "not an ISO 3166-1"),
        ("stops:\n  - {place: Seongnam, country: Korea}\n  - {place: Ashgabat}\n",
         "stops[0].country", "'KR' (Korea, Republic of)"),
        ("stops:\n  - {place: Seongnam}\n",
         "stops", "at least two stops, found 1"),
        ("stops:\n  - {lat: 10, lon: 200}\n  - {place: Ashgabat}\n",
         "stops[0].lon", "is not a longitude"),
        ("stops:\n  - {lat: 10}\n  - {place: Ashgabat}\n",
         "stops[0]", "only one of lat and lon"),
        ("stops:\n  - {place: Nowhereville}\n  - {place: Ashgabat}\n",
         "stops[0].place", "not a known place"),
        ("stops:\n  - {lat: 0, lon: -150, depart: '2024-06-10T10:00'}\n  - {place: Ashgabat}\n",
         "stops[0].depart", "no time zone"),
        ("stops:\n  - {place: Seongnam, tz: Asia/Seol}\n  - {place: Ashgabat}\n",
         "stops[0].tz", "did you mean 'Asia/Seoul'"),
        ("stops:\n  - {place: Seongnam, mode: plane}\n  - {place: Ashgabat}\n",
         "stops[0].mode", "use one of: air, rail, road, sea"),
        ("stops: [{place: Seongnam}, {place: Ashgabat}]\ndeals:\n  - {title: X, value: [{amount: -5, currency: USD}]}\n",
         "deals[0].value[0].amount", "not a non-negative amount"),
        ("stops: [{place: Seongnam}, {place: Ashgabat}]\ndeals:\n  - {title: X, value: [{amount: 5, currency: dollars}]}\n",
         "deals[0].value[0].currency", "did you mean 'USD'"),
        ("stops: [{place: Seongnam}, {place: Ashgabat}]\ndeals:\n  - {title: X, status: done}\n",
         "deals[0].status", "use one of: signed"),
        ("stops: [{place: Seongnam}, {place: Ashgabat}]\ndeals:\n  - {title: X, site: {lat: 95, lon: 1}}\n",
         "deals[0].site.lat", "not a latitude"),
        ("stops: [{place: Seongnam}, {place: Ashgabat}]\nresources:\n  - {country: KZ, commodities: [petroleum]}\n",
         "resources[0].commodities[0]", "did you mean 'crude oil'"),
        ("stops: [{place: Seongnam}, {place: Ashgabat}]\nresources:\n  - {country: KZ, commodities: [lithum]}\n",
         "resources[0].commodities[0]", "did you mean 'lithium'"),
        ("stops: [{place: Seongnam}, {place: Ashgabat}]\nresources:\n  - {region: central-asai, commodities: [uranium]}\n",
         "resources[0].region", "did you mean 'central-asia'"),
        ("stops: [{place: Seongnam}, {place: Ashgabat}]\nresources:\n  - {region: '{{7*7}}<b>', commodities: [uranium]}\n",
         "resources[0].region", "use one of: central-asia"),
        ("stops: [{place: Seongnam}, {place: Ashgabat}]\nresources:\n  - {country: KZ, region: central-asia, commodities: [uranium]}\n",
         "resources[0]", "needs exactly one of country, countries or region, found country, region"),
        ("stops: [{place: Seongnam}, {place: Ashgabat}]\nresources:\n  - {commodities: [uranium]}\n",
         "resources[0]", "needs exactly one of country, countries or region;"),
        ("stops: [{place: Seongnam}, {place: Ashgabat}]\nresources:\n  - {countries: [KZ, Uzbekistan], commodities: [uranium]}\n",
         "resources[0].countries[1]", "use the ISO 3166-1 alpha-2 code 'UZ'"),
        ("stops: [{place: Seongnam}, {place: Ashgabat}]\nresources:\n  - {countries: [KZ, kz], commodities: [uranium]}\n",
         "resources[0].countries", "lists a country twice"),
        ("stops: [{place: Seongnam}, {place: Ashgabat}]\nresources:\n  - {countries: KZ, commodities: [uranium]}\n",
         "resources[0].countries", "expected a list"),
        ("stops: [{place: Seongnam}, {place: Ashgabat}]\nroutes:\n  - {name: R, waypoints: [Tashkent]}\n",
         "routes[0].waypoints", "at least two waypoints"),
        ("stops: [{place: Seongnam}, {place: Ashgabat}]\ndeal: []\n",
         "deal", "did you mean 'deals'"),
        ("stops: [{place: Seongnam}, {place: Ashgabat}]\ntitel: x\n",
         "titel", "use one of: trip, stops, deals"),
    ],
)  # fmt: skip
def test_each_check(tmp_path, body, where, message):
    found = problems(tmp_path, body)
    assert any(p.startswith(where + ":") and message in p for p in found), found


def test_trip_section_checks(tmp_path):
    path = write(tmp_path, "trip: {id: Not A Slug, sources: [{name: X, url: ftp://x}]}\n"
                           "stops: [{place: Seongnam}, {place: Ashgabat}]\n")  # fmt: skip
    with pytest.raises(TripFormatError) as info:
        geo.load_trip(path)
    text = info.value.report()
    assert "trip.id: 'Not A Slug' is not a slug" in text and "'not-a-slug'" in text
    assert "trip.title: missing" in text
    assert "trip.sources[0].url" in text


def test_csv_problems_name_file_and_line(tmp_path):
    folder = tmp_path / "trip"
    folder.mkdir()
    (folder / "trip.csv").write_text("id,title\nt,T\n", encoding="utf-8")
    (folder / "stops.csv").write_text(
        "place,lat,lon,arrive\nSeongnam,,,\n,95,10,\nAshgabat,,,2024-13-01\n", encoding="utf-8"
    )
    with pytest.raises(TripFormatError) as info:
        geo.load_trip(folder)
    found = [str(p) for p in info.value.problems]
    assert any(p.startswith("stops.csv:3 lat: '95' is not a latitude") for p in found), found
    assert any(p.startswith("stops.csv:4 arrive: '2024-13-01'") for p in found), found


def test_yaml_syntax_error_names_line(tmp_path):
    path = write(tmp_path, "trip: {id: t\nstops: [\n")
    with pytest.raises(geo.GeoError, match=r"trip.yaml:\d+:\d+: YAML syntax error"):
        geo.load_trip(path)


def test_duplicate_key_is_an_error(tmp_path):
    path = write(tmp_path, HEAD + "stops: []\nstops: []\n")
    with pytest.raises(geo.GeoError, match="duplicate key 'stops'"):
        geo.load_trip(path)


def test_offsets_kept_and_local_times_zoned(mini):
    depart = mini.stops.loc[0, "depart"]
    assert depart.isoformat() == "2024-06-10T08:30:00+09:00"
    arrive = mini.stops.loc[1, "arrive"]
    assert arrive.utcoffset().total_seconds() == 5 * 3600  # Ashgabat, UTC+5


def test_explicit_coordinates_win(tmp_path):
    path = write(tmp_path, HEAD + "stops: [{place: Seongnam, lat: 37.4458, lon: 127.1139}, "
                                   "{place: Ashgabat}]\n")  # fmt: skip
    trip = geo.load_trip(path)
    assert trip.stops.geometry[0].coords[0] == (127.1139, 37.4458)
