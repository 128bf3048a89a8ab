"""A container voyage by sea (tests/data/voyage.yaml): the issue's done-when criteria.

Ships must not be drawn over land: each leg is intersected with the Natural Earth land shapes
the basemap ships (read here straight from the file), and its distance is compared with
``searoute``'s own. Passages, via-points, the antimeridian and the errors are tested through
trip files, the way a user meets them.
"""

from __future__ import annotations

import json
from functools import cache

import geopandas as gpd
import numpy as np
import pytest
import searoute
import shapely
from click.testing import CliRunner
from pyproj import Geod

import geo
import geo.geodesy
from geo.cli import main
from geo.formats.export import geojson_text
from geo.render.payload import build_payload
from tests.conftest import DATA, REPO, write

GEOD = Geod(ellps="WGS84")
# The Suez isthmus is about 160 km of Natural Earth land (the canal is not cut out of it).
MAX_LAND_KM = 250.0


@pytest.fixture(scope="module")
def voyage() -> geo.Trip:
    return geo.load_trip(DATA / "voyage.yaml")


@cache
def land() -> shapely.Geometry:
    frame = gpd.read_file(REPO / "data" / "basemap" / "countries-50m.geojson")
    return shapely.union_all(frame.geometry.make_valid().array)


def land_km(geom: shapely.Geometry) -> float:
    """Kilometres of a (Multi)LineString over land, along the ellipsoid."""
    over = shapely.intersection(geom, land())
    return GEOD.geometry_length(over) / 1000.0 if not over.is_empty else 0.0


def trip_text(*stops: str, extra: str = "") -> str:
    lines = ["trip: {id: t, title: T}", extra, "stops:"]
    return "\n".join(lines + [f"  - {s}" for s in stops]) + "\n"


ULSAN = "{lat: 35.5, lon: 129.38, mode: sea"
ANTWERP = "{lat: 51.22, lon: 4.4}"


def test_every_leg_is_a_sea_lane_that_stays_off_land(voyage):
    assert list(voyage.legs["mode"]) == ["sea"] * 4
    assert list(voyage.legs["path"]) == ["sea-lane"] * 4
    crossings = [land_km(g) for g in voyage.legs.geometry.array]
    assert max(crossings) < MAX_LAND_KM, crossings
    # The great circle, by contrast, crosses Arabia, Greece and the Alps.
    x, y = voyage.stops.geometry.x, voyage.stops.geometry.y
    direct = geo.geodesy.geodesic_paths(x.iloc[0], y.iloc[0], x.iloc[4], y.iloc[4])
    (arc,) = geo.geodesy.rfc7946_geometries(direct)
    assert land_km(arc) > 5000


def test_total_within_3_percent_of_searoute(voyage):
    pts = [[p.x, p.y] for p in voyage.stops.geometry.array]
    own = sum(
        searoute.searoute(a, b, restrictions=["northwest", "bering"]).properties["length"]
        for a, b in zip(pts[:-1], pts[1:], strict=True)
    )
    assert voyage.total_km == pytest.approx(own, rel=0.03)
    # Sea and great-circle distances are both kept, and the sea is the longer.
    assert voyage.legs["great_circle_km"].sum() == pytest.approx(16_432, rel=0.01)
    assert voyage.total_km == pytest.approx(20_634, rel=0.01)
    assert np.all(voyage.legs["snap_km"] < 25)


def test_avoid_suez_and_panama_goes_round_africa(tmp_path):
    trip = geo.load_trip(write(tmp_path, trip_text(ULSAN + ", avoid: [suez, panama]}", ANTWERP)))
    c = trip.leg_paths.coords(0)
    assert c[:, 1].min() < -30
    assert land_km(trip.legs.geometry.iloc[0]) < MAX_LAND_KM


def test_avoid_suez_does_not_take_the_arctic(tmp_path):
    trip = geo.load_trip(write(tmp_path, trip_text(ULSAN + ", avoid: suez}", ANTWERP)))
    assert trip.leg_paths.coords(0)[:, 1].max() < 66
    opened = geo.load_trip(
        write(tmp_path, trip_text(ULSAN + ", avoid: suez, allow: arctic}", ANTWERP))
    )
    assert opened.leg_paths.coords(0)[:, 1].max() > 66


def test_trip_level_avoid_applies_to_every_sea_leg_and_route(tmp_path):
    extra = (
        "routes:\n  - {name: R, mode: sea, waypoints: [{lat: 35.5, lon: 129.38}, "
        "{lat: 51.22, lon: 4.4}]}"
    )
    text = trip_text(ULSAN + "}", ANTWERP).replace(
        "trip: {id: t, title: T}", "trip: {id: t, title: T, avoid: [suez, panama]}"
    )
    trip = geo.load_trip(write(tmp_path, text + extra + "\n"))
    assert trip.leg_paths.coords(0)[:, 1].min() < -30
    assert trip.route_paths.coords(0)[:, 1].min() < -30
    assert list(trip.routes["path"]) == ["sea-lane"]
    assert trip.routes["distance_km"].iloc[0] > trip.routes["great_circle_km"].iloc[0]


def test_via_points_shape_the_path_without_becoming_stops(tmp_path):
    cape = "via: [{lat: -35.5, lon: 18.5}]"
    trip = geo.load_trip(write(tmp_path, trip_text(ULSAN + f", {cape}}}", ANTWERP)))
    assert len(trip.stops) == 2 and len(trip.legs) == 1
    c = trip.leg_paths.coords(0)
    assert c[:, 1].min() < -30
    assert trip.legs["great_circle_km"].iloc[0] > 20_000  # the direct lines through the via


def test_transpacific_sea_leg_is_rfc7946_and_drawn_continuous(tmp_path):
    text = trip_text("{place: Busan, country: KR, mode: sea}", "{lat: 37.8, lon: -122.4}")
    trip = geo.load_trip(write(tmp_path, text))
    data = json.loads(geojson_text(trip, "legs", 6))
    (feature,) = data["features"]
    geom = feature["geometry"]
    assert geom["type"] == "MultiLineString"
    lons = [p[0] for part in geom["coordinates"] for p in part]
    assert all(-180 <= x <= 180 for x in lons)
    assert {geom["coordinates"][0][-1][0], geom["coordinates"][1][0][0]} == {180, -180}
    assert feature["properties"]["path"] == "sea-lane"
    (leg,) = build_payload(trip, "en")["legs"]
    xs = np.array([c[0] for c in leg["coords"]])
    assert np.abs(np.diff(xs)).max() < 10 and xs[-1] > 180  # one line, the short way


@pytest.mark.parametrize(
    ("stops", "match"),
    [
        ((ULSAN + ", avoid: [suz]}", ANTWERP), r"stops\[0\]\.avoid\[0\]: 'suz' is not a passage; did you mean 'suez'"),
        ((ULSAN + ", avoid: ['{{7*7}}<script>']}", ANTWERP), r"'\{\{7\*7\}\}<script>' is not a passage; known passages: arctic"),
        ((ULSAN + ", avoid: [" + "x" * 5000 + "]}", ANTWERP), r"is not a passage"),
        ((ULSAN + ", avoid: [{a: 1}]}", ANTWERP), r"stops\[0\]\.avoid\[0\]: \{'a': 1\} is not a passage"),
        ((ULSAN + ", avoid: 7}", ANTWERP), r"stops\[0\]\.avoid: expected a list"),
        ((ULSAN + ", allow: [suez]}", ANTWERP), r"stops\[0\]\.allow\[0\]: 'suez' is open unless avoided"),
        (("{lat: 35.5, lon: 129.38, avoid: [suez]}", ANTWERP), r"stops\[0\]\.avoid: passages shape sea lanes only, and the leg leaving this stop is by air"),
        ((ULSAN + ", via: [{lat: 95, lon: 0}]}", ANTWERP), r"stops\[0\]\.via\[0\]\.lat"),
        ((ULSAN + "}", "{lat: 45, lon: 60}"), r"stops\[0\]: the end \(60, 45\) is 6\d\d km from the nearest sea lane"),
        (("{lat: 44.17, lon: 28.65, mode: sea, avoid: [bosporus]}", "{lat: 37.94, lon: 23.6}"), r"stops\[0\]: no sea lane .* bosporus closed; avoid fewer"),
    ],
)  # fmt: skip
def test_bad_sea_legs_name_the_file_and_record(tmp_path, stops, match):
    path = write(tmp_path, trip_text(*stops))
    with pytest.raises(geo.TripFormatError, match=match) as info:
        geo.load_trip(path)
    assert str(path) in str(info.value)
    result = CliRunner().invoke(main, ["export", str(path), "-o", str(tmp_path / "out.geojson")])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) <= 3
    assert not (tmp_path / "out.geojson").exists()


def test_csv_folder_takes_avoid_and_via(tmp_path):
    folder = tmp_path / "csv"
    folder.mkdir()
    (folder / "trip.csv").write_text("id,title\nt,T\n", encoding="utf-8")
    (folder / "stops.csv").write_text(
        "lat,lon,mode,avoid,via\n35.5,129.38,sea,suez;panama,\n51.22,4.4,,,\n", encoding="utf-8"
    )
    trip = geo.load_trip(folder)
    assert trip.records.stops[0].avoid == ("panama", "suez")
    assert trip.leg_paths.coords(0)[:, 1].min() < -30
    (folder / "stops.csv").write_text(
        "lat,lon,mode,avoid\n35.5,129.38,sea,sues\n51.22,4.4,,\n", encoding="utf-8"
    )
    with pytest.raises(
        geo.TripFormatError,
        match=r"stops.csv:2 avoid\[0\]: 'sues' is not a passage; did you mean 'suez'",
    ):
        geo.load_trip(folder)
    (folder / "stops.csv").write_text("lat,lon,mode\n35.5,129.38,sea\n45,60,\n", encoding="utf-8")
    with pytest.raises(geo.TripFormatError, match=r"stops.csv:2: the end"):
        geo.load_trip(folder)


def test_same_voyage_same_bytes():
    from geo import routing

    first = geojson_text(geo.load_trip(DATA / "voyage.yaml"), "all", 6)
    routing._lane.cache_clear()  # routed afresh, not served from the cache
    again = geojson_text(geo.load_trip(DATA / "voyage.yaml"), "all", 6)
    assert first == again
