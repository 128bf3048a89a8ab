"""Geodesic legs: how far the drawn line strays, exact distances, the antimeridian, edge cases.

The tolerance tests measure the line as Leaflet draws it (straight in Web Mercator between
vertices, latitudes clamped at ±85.05°) against the true WGS84 geodesic, independently of how
geo.geodesy measures it: every drawn segment is sampled at 50 points and each sample's distance
to the geodesic is minimised by golden-section search along the geodesic.
"""

from __future__ import annotations

import json
import math
import re
import tempfile
import warnings
from pathlib import Path

import numpy as np
import pytest
import shapely
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pyproj import Geod

import geo
from geo import geodesy
from geo.cli import main
from geo.formats.export import geojson_text
from tests.conftest import DATA

GEOD = Geod(ellps="WGS84")
LEAFLET_MAX_LAT = 85.0511287798066
GOLDEN = (math.sqrt(5) - 1) / 2
# WGS84 reference lengths (metres): a quarter meridian, and the equator's radius.
QUARTER_MERIDIAN = 10_001_965.729
EQUATOR_A = 6_378_137.0
SCHEMA = json.loads((DATA / "geojson-schema" / "FeatureCollection.json").read_text("utf-8"))


# --- measuring the drawn line against the true geodesic ------------------------------------


def _merc_y(lat: np.ndarray) -> np.ndarray:
    phi = np.radians(np.clip(lat, -LEAFLET_MAX_LAT, LEAFLET_MAX_LAT))
    return np.log(np.tan(np.pi / 4 + phi / 2))


def _merc_lat(y: np.ndarray) -> np.ndarray:
    return np.degrees(2 * np.arctan(np.exp(y)) - np.pi / 2)


def drawn_samples(coords: np.ndarray, per_segment: int = 50) -> tuple[np.ndarray, np.ndarray]:
    """Points along each segment as Leaflet draws it: straight in Web Mercator."""
    x, y = coords[:, 0], _merc_y(coords[:, 1])
    t = np.linspace(0.0, 1.0, per_segment)
    px = x[:-1, None] + t * (x[1:] - x[:-1])[:, None]
    py = _merc_lat(y[:-1, None] + t * (y[1:] - y[:-1])[:, None])
    return px.ravel(), py.ravel()


def max_deviation_m(coords: np.ndarray, per_segment: int = 50) -> float:
    """Largest ground distance from the drawn polyline to the geodesic between its ends."""
    (lon1, lat1), (lon2, lat2) = coords[0], coords[-1]
    az, _, _ = GEOD.inv(lon1, lat1, lon2, lat2)
    n_vert = len(coords)
    # Every vertex lies on the geodesic: its distance from the start says where.
    _, _, s_vert = GEOD.inv(
        np.full(n_vert, lon1), np.full(n_vert, lat1), coords[:, 0], coords[:, 1]
    )
    s_vert = np.asarray(s_vert)
    px, py = drawn_samples(coords, per_segment)
    half = np.diff(s_vert) / 2 + 1.0
    lo = np.repeat(s_vert[:-1] - half, per_segment)
    hi = np.repeat(s_vert[1:] + half, per_segment)
    ones = np.ones(len(px))

    def dist(s: np.ndarray) -> np.ndarray:
        qlon, qlat, _ = GEOD.fwd(lon1 * ones, lat1 * ones, az * ones, s)
        return np.asarray(GEOD.inv(qlon, qlat, px, py)[2])

    a, b = hi - GOLDEN * (hi - lo), lo + GOLDEN * (hi - lo)
    fa, fb = dist(a), dist(b)
    for _ in range(32):
        left = fa < fb  # the minimum is in [lo, b]
        hi, lo = np.where(left, b, hi), np.where(left, lo, a)
        new = np.where(left, hi - GOLDEN * (hi - lo), lo + GOLDEN * (hi - lo))
        f_new = dist(new)
        a, b, fa, fb = (
            np.where(left, new, b),
            np.where(left, a, new),
            np.where(left, f_new, fb),
            np.where(left, fa, f_new),
        )
    return float(np.minimum(fa, fb).max())


def test_deviation_measure_sees_a_bad_line():
    # Two vertices across 100 degrees of longitude: the drawn rhumb line is far off the geodesic.
    coords = np.array([[0.0, 40.0], [100.0, 40.0]])
    assert max_deviation_m(coords) > 500_000
    # And a densified path is measured as close to it.
    _, _, dense = _dense_geodesic(0.0, 40.0, 100.0, 40.0, 2000)
    assert max_deviation_m(dense, per_segment=3) < 50


def _dense_geodesic(lon1, lat1, lon2, lat2, n):
    r = GEOD.inv_intermediate(lon1, lat1, lon2, lat2, npts=n, initial_idx=0, terminus_idx=0)
    lons = np.unwrap(np.asarray(r.lons), period=360.0)
    return r, lons, np.column_stack([lons, np.asarray(r.lats)])


# --- the tolerance bound -------------------------------------------------------------------


@pytest.mark.parametrize("trip_file", ["bundled", "pacific.yaml"])
@pytest.mark.parametrize("tolerance_km", [1.0, 0.1])
def test_drawn_legs_stay_within_tolerance(trip_file, tolerance_km):
    path = geo.bundled_trip() if trip_file == "bundled" else DATA / trip_file
    trip = geo.load_trip(path, tolerance_km)
    worst = [max_deviation_m(trip.leg_paths.coords(i)) for i in range(len(trip.leg_paths))]
    tol_m = tolerance_km * 1000
    assert max(worst) <= tol_m + 0.1, worst
    # No more than needed: a path bisected further than necessary would leave every segment
    # far inside the bound (halving a segment quarters its stray).
    assert max(worst) > tol_m / 4, worst


@pytest.mark.parametrize(
    ("lon1", "lat1", "lon2", "lat2"),
    [
        (0.0, -10.0, 100.0, 10.0),  # crosses the equator at its middle: an S, not a bow
        (0.0, -30.0, 120.0, 30.0),
        (-60.0, -20.0, 60.0, 20.0),
        (170.0, -20.0, -80.0, 25.0),  # the same across the antimeridian
        (10.0, 0.0, 60.0, 0.1),
        (127.13778, 37.43861, -122.41942, 37.77493),  # Seongnam - San Francisco
        (-70.0, 60.0, 30.0, 70.0),  # high latitude, below Leaflet's clamp
    ],
)
@pytest.mark.parametrize("tolerance_km", [1.0, 0.1])
def test_hard_pairs_within_tolerance(lon1, lat1, lon2, lat2, tolerance_km):
    paths = geodesy.geodesic_paths(lon1, lat1, lon2, lat2, tolerance_km)
    assert max_deviation_m(paths.coords(0)) <= tolerance_km * 1000 + 0.1


def test_random_pairs_within_tolerance():
    rng = np.random.default_rng(20240610)
    checked = 0
    for tolerance_km, count in ((1.0, 14), (0.1, 6)):
        lon = rng.uniform(-180, 180, (count, 2))
        lat = rng.uniform(-70, 70, (count, 2))
        paths = geodesy.geodesic_paths(lon[:, 0], lat[:, 0], lon[:, 1], lat[:, 1], tolerance_km)
        for i in range(count):
            c = paths.coords(i)
            # Leaflet clamps latitudes beyond 85.05°; near-antipodes have no unique geodesic.
            if np.abs(c[:, 1]).max() > 80 or paths.distance_m[i] > 19_000_000:
                continue
            checked += 1
            assert max_deviation_m(c) <= tolerance_km * 1000 + 0.1, (lon[i], lat[i])
    assert checked >= 12


# --- no more vertices than needed ----------------------------------------------------------


def _stop(trip, label):
    g = trip.stops.loc[trip.stops["label_en"] == label, "geometry"].iloc[0]
    return g.x, g.y


def test_short_hop_needs_few_vertices(bundled):
    (x1, y1), (x2, y2) = _stop(bundled, "Tashkent"), _stop(bundled, "Samarkand")
    paths = geodesy.geodesic_paths(x1, y1, x2, y2, 1.0)
    assert 250 < paths.distance_m[0] / 1000 < 270
    assert 2 <= paths.vertex_counts()[0] <= 5
    leg = bundled.legs[bundled.legs["from_label_en"] == "Tashkent"].iloc[0]
    assert leg["vertices"] == paths.vertex_counts()[0]


def test_long_flight_needs_dozens_not_hundreds(pacific):
    leg = pacific.legs.iloc[0]  # Seongnam -> San Francisco
    assert 8900 < leg["distance_km"] < 9200
    assert 20 < leg["vertices"] < 200
    assert (pacific.legs["vertices"] == pacific.leg_paths.vertex_counts()).all()


@pytest.mark.parametrize("trip_name", ["bundled", "pacific"])
def test_smaller_tolerance_more_vertices(trip_name, request):
    trip = request.getfixturevalue(trip_name)
    s = trip.stops.geometry
    args = (s.x[:-1], s.y[:-1], s.x[1:], s.y[1:])
    counts = [geodesy.geodesic_paths(*args, t).vertex_counts() for t in (2.0, 1.0, 0.5, 0.1)]
    for coarse, fine in zip(counts, counts[1:], strict=False):
        assert (fine >= coarse).all()
        assert fine.sum() > coarse.sum()
    # Every leg longer than a few hundred kilometres gains vertices at a tenth of the tolerance
    # (halving it may not: bisection doubles a leg's vertices only once its stray passes it).
    long = trip.leg_paths.distance_m > 500_000
    assert (counts[3][long] > counts[1][long]).all()


def test_trip_tolerance_is_used(bundled):
    fine = geo.load_trip(geo.bundled_trip(), 0.1)
    assert (fine.legs["vertices"] >= bundled.legs["vertices"]).all()
    assert fine.legs["vertices"].sum() > bundled.legs["vertices"].sum()
    assert fine.total_km == bundled.total_km


@pytest.mark.parametrize("tolerance_km", [0.0, -1.0, math.nan, math.inf])
def test_tolerance_must_be_a_positive_number(tolerance_km):
    with pytest.raises(geo.GeodesyError, match="tolerance_km must be a positive number"):
        geodesy.geodesic_paths(0, 0, 10, 10, tolerance_km)


@pytest.mark.parametrize(
    ("lon1", "lat1", "lon2", "lat2", "name"),
    [(0, 90.5, 1, 1, "lat"), (0, 0, 181, 1, "lon"), (math.nan, 0, 1, 1, "lon"),
     (0, 0, 1, -math.inf, "lat")],
)  # fmt: skip
def test_bad_coordinates_raise(lon1, lat1, lon2, lat2, name):
    with pytest.raises(geo.GeodesyError, match=f"{name} must be finite"):
        geodesy.geodesic_paths(lon1, lat1, lon2, lat2)


def test_no_pairs_no_paths():
    paths = geodesy.geodesic_paths([], [], [], [])
    assert len(paths) == 0
    assert len(geodesy.rfc7946_geometries(paths)) == 0


# --- distances -----------------------------------------------------------------------------


@pytest.mark.parametrize("trip_name", ["bundled", "pacific", "mini"])
def test_distances_are_exact(trip_name, request):
    trip = request.getfixturevalue(trip_name)
    s = trip.stops.geometry
    _, _, metres = GEOD.inv(s.x[:-1], s.y[:-1], s.x[1:], s.y[1:])
    assert np.abs(trip.legs["distance_km"].to_numpy() * 1000 - metres).max() < 1.0
    assert np.abs(trip.leg_paths.distance_m - metres).max() < 1e-3
    assert trip.total_km == pytest.approx(trip.legs["distance_km"].sum(), abs=1e-9)
    assert trip.total_km == pytest.approx(np.sum(metres) / 1000, abs=1e-6)


@pytest.mark.parametrize(
    ("lon1", "lat1", "lon2", "lat2", "metres"),
    [
        (0, 0, 0, 90, QUARTER_MERIDIAN),  # equator to pole
        (0, 0, 180, 0, 2 * QUARTER_MERIDIAN),  # equatorial antipodes: over a pole
        (10, 20, -170, -20, 2 * QUARTER_MERIDIAN),  # every antipodal pair: half a meridian
        (0, 90, 0, -90, 2 * QUARTER_MERIDIAN),
        (0, 0, 1, 0, EQUATOR_A * math.pi / 180),  # one degree along the equator
        (179.5, 0, -179.5, 0, EQUATOR_A * math.pi / 180),  # ... across the antimeridian
    ],
)
def test_distances_match_reference_lengths(lon1, lat1, lon2, lat2, metres):
    paths = geodesy.geodesic_paths(lon1, lat1, lon2, lat2)
    assert abs(paths.distance_m[0] - metres) < 1.0
    assert np.isfinite(paths.lon).all() and np.isfinite(paths.lat).all()


def test_distances_match_geographiclib(bundled, pacific):
    geographiclib = pytest.importorskip("geographiclib.geodesic")
    wgs84 = geographiclib.Geodesic.WGS84
    for trip in (bundled, pacific):
        s = trip.stops.geometry
        for i, km in enumerate(trip.legs["distance_km"]):
            ref = wgs84.Inverse(s.y[i], s.x[i], s.y[i + 1], s.x[i + 1])["s12"]
            assert abs(km * 1000 - ref) < 1.0


def test_info_shows_kilometres_and_nautical_miles(bundled):
    out = CliRunner().invoke(main, ["info", "--nm"], catch_exceptions=False).output
    rows = re.findall(r"([\d,]+\.\d) km\s+([\d,]+\.\d) nmi", out)
    assert len(rows) == len(bundled.legs) + 1  # every leg and the total
    expected = [*bundled.legs["distance_km"], bundled.total_km]
    for (km, nmi), exact in zip(rows, expected, strict=True):
        assert float(km.replace(",", "")) == pytest.approx(exact, abs=0.05)
        assert float(nmi.replace(",", "")) == pytest.approx(exact / 1.852, abs=0.05)
    plain = CliRunner().invoke(main, ["info"], catch_exceptions=False).output
    assert "nmi" not in plain and f"{bundled.total_km:,.1f} km" in plain


# --- the antimeridian ----------------------------------------------------------------------


def _meets_at_antimeridian(parts):
    """Consecutive parts share a point at exactly 180 / -180 with the same latitude."""
    for a, b in zip(parts, parts[1:], strict=False):
        (ax, ay), (bx, by) = a[-1], b[0]
        assert {ax, bx} == {180.0, -180.0}, (a[-1], b[0])
        assert ay == by


def test_pacific_legs_are_cut_at_the_antimeridian(pacific):
    assert list(pacific.legs.geometry.geom_type) == ["MultiLineString"] * 3
    for geom in pacific.legs.geometry:
        parts = [np.asarray(p.coords) for p in geom.geoms]
        assert len(parts) == 2
        _meets_at_antimeridian(parts)
        xy = shapely.get_coordinates(geom)
        assert (np.abs(xy[:, 0]) <= 180).all() and (np.abs(xy[:, 1]) <= 90).all()
        assert geom.is_valid


@pytest.mark.parametrize("leg", [0, 1, 2])
def test_cut_point_lies_on_the_geodesic(pacific, leg):
    # The cut is where the drawn line crosses 180; the true geodesic crosses within tolerance.
    geom = pacific.legs.geometry[leg]
    cut_lat = np.asarray(geom.geoms[0].coords)[-1, 1]
    c = pacific.leg_paths.coords(leg)
    (lon1, lat1), (lon2, lat2) = c[0], c[-1]
    az, _, dist = GEOD.inv(lon1, lat1, lon2, lat2)
    lo, hi = 0.0, dist  # bisect on the distance where the longitude passes 180
    east = c[-1, 0] > c[0, 0]
    for _ in range(60):
        mid = (lo + hi) / 2
        x, _, _ = GEOD.fwd(lon1, lat1, az, mid)
        past = (x < 0) if east else (x > 0)  # 170 -> -170 eastwards, the other way westwards
        lo, hi = (lo, mid) if past else (mid, hi)
    true_lon, true_lat, back = GEOD.fwd(lon1, lat1, az, lo)
    along_meridian = GEOD.inv(180.0, cut_lat, 180.0, true_lat)[2]
    slant = abs(math.sin(math.radians(back)))
    assert along_meridian <= pacific.tolerance_km * 1000 / slant + 1.0


def test_pacific_unwrapped_goes_the_short_way(pacific):
    lines = geodesy.unwrapped_geometries(pacific.leg_paths)
    for line in lines:
        x = np.asarray(line.coords)[:, 0]
        assert np.abs(np.diff(x)).max() < 180
    seongnam_sf = np.asarray(lines[0].coords)
    # East across the Pacific (127E to 237.6E, i.e. 122.4W), never back through Europe.
    assert seongnam_sf[0, 0] == pytest.approx(127.13778)
    assert seongnam_sf[-1, 0] == pytest.approx(-122.41942 + 360)
    assert (np.diff(seongnam_sf[:, 0]) > 0).all()
    # The great circle bows north to the Aleutians.
    assert 50 < seongnam_sf[:, 1].max() < 56
    auckland_santiago = np.asarray(lines[2].coords)
    assert auckland_santiago[-1, 0] == pytest.approx(-70.64827 + 360)
    assert -56 < auckland_santiago[:, 1].min() < -48  # south, but far from Antarctica
    # Unwrapped and RFC 7946 forms are the same path, shifted by whole turns.
    for line, cut in zip(lines, pacific.legs.geometry, strict=True):
        wrapped = np.asarray(line.coords).copy()
        wrapped[:, 0] = (wrapped[:, 0] + 180) % 360 - 180
        cut_xy = shapely.get_coordinates(cut)
        for x, y in wrapped[1:-1]:
            assert np.min(np.hypot((cut_xy[:, 0] - x + 180) % 360 - 180, cut_xy[:, 1] - y)) < 1e-9


@pytest.mark.parametrize(
    ("lon1", "lat1", "lon2", "lat2", "kind"),
    [
        (170.0, 50.0, -170.0, 50.0, "MultiLineString"),
        (-170.0, 50.0, 170.0, 50.0, "MultiLineString"),
        (170.0, 50.0, 180.0, 50.0, "LineString"),  # ends on the antimeridian: nothing to cut
        (170.0, 50.0, -180.0, 50.0, "LineString"),
        (-180.0, 50.0, 170.0, 50.0, "LineString"),  # starts on it
        (180.0, 50.0, -170.0, 50.0, "LineString"),
        (180.0, 10.0, 180.0, -10.0, "LineString"),  # along it
        (-180.0, 10.0, 180.0, 30.0, "LineString"),
    ],
)
def test_antimeridian_cases(lon1, lat1, lon2, lat2, kind):
    paths = geodesy.geodesic_paths(lon1, lat1, lon2, lat2)
    geom = geodesy.rfc7946_geometries(paths)[0]
    assert geom.geom_type == kind and geom.is_valid
    xy = shapely.get_coordinates(geom)
    assert (np.abs(xy[:, 0]) <= 180).all()
    if kind == "MultiLineString":
        _meets_at_antimeridian([np.asarray(p.coords) for p in geom.geoms])
    # Either end is the stop itself (+180 and -180 are the same meridian).
    for (x, y), (ex, ey) in ((xy[0], (lon1, lat1)), (xy[-1], (lon2, lat2))):
        assert y == ey and (x - ex) % 360 == 0


# --- coincident, antipodal, polar ----------------------------------------------------------


def test_coincident_stops_have_no_line():
    paths = geodesy.geodesic_paths([10.0, 0.0, 180.0], [20.0, 90.0, 0.0], [10.0, 100.0, -180.0],
                                   [20.0, 90.0, 0.0])  # fmt: skip
    assert list(paths.distance_m) == [0.0, 0.0, 0.0]
    assert list(paths.vertex_counts()) == [2, 2, 2]
    assert list(geodesy.rfc7946_geometries(paths)) == [None, None, None]
    assert list(geodesy.unwrapped_geometries(paths)) == [None, None, None]


def test_coincident_stops_in_a_trip(tmp_path):
    trip_file = tmp_path / "twice.yaml"
    trip_file.write_text(
        "trip: {id: twice, title: Twice}\nstops:\n"
        "  - {place: Seongnam, country: KR}\n  - {place: Seongnam, country: KR}\n"
        "  - {place: Tashkent, country: UZ}\n",
        encoding="utf-8",
    )
    trip = geo.load_trip(trip_file)
    assert trip.legs.loc[0, "distance_km"] == 0.0
    assert trip.legs.geometry[0] is None
    assert trip.legs.geometry[1].is_valid
    collection = json.loads(geojson_text(trip, "legs"))
    assert collection["features"][0]["geometry"] is None
    _validate(collection)


@pytest.mark.parametrize(
    ("lon1", "lat1", "lon2", "lat2"),
    [(0.0, 0.0, 180.0, 0.0), (10.0, 20.0, -170.0, -20.0), (0.0, 90.0, 0.0, -90.0),
     (-180.0, -90.0, 180.0, 90.0), (120.0, 45.0, -60.0, -45.0001), (0.0, 0.0, 179.5, 0.3),
     (45.0, -90.0, -45.0, 89.0), (-179.0, -89.0, 179.0, 89.0)],
)  # fmt: skip
def test_antipodal_and_polar_pairs(lon1, lat1, lon2, lat2):
    paths = geodesy.geodesic_paths(lon1, lat1, lon2, lat2)
    _, _, metres = GEOD.inv(lon1, lat1, lon2, lat2)
    assert paths.distance_m[0] == pytest.approx(metres, abs=1e-3)
    assert 19_000_000 < paths.distance_m[0] <= 2 * QUARTER_MERIDIAN + 1
    assert np.isfinite(paths.lon).all() and np.isfinite(paths.lat).all()
    geom = geodesy.rfc7946_geometries(paths)[0]
    assert geom is not None and geom.is_valid
    xy = shapely.get_coordinates(geom)
    assert (np.abs(xy[:, 0]) <= 180).all() and (np.abs(xy[:, 1]) <= 90).all()
    assert geodesy.unwrapped_geometries(paths)[0].is_valid


def test_equatorial_antipodes_go_over_a_pole():
    # The documented choice: GeographicLib's geodesic, which for points on the equator is a
    # meridian through a pole, and is the same on every run.
    paths = geodesy.geodesic_paths(0.0, 0.0, 180.0, 0.0)
    assert np.abs(paths.lat).max() == pytest.approx(90.0, abs=1e-6)
    again = geodesy.geodesic_paths(0.0, 0.0, 180.0, 0.0)
    assert np.array_equal(paths.lon, again.lon) and np.array_equal(paths.lat, again.lat)


# --- property-based: random stops never break anything -------------------------------------


def _validate(collection):
    import jsonschema

    jsonschema.Draft7Validator(SCHEMA).validate(collection)


_lon = st.floats(-180, 180, allow_nan=False)
_lat = st.floats(-90, 90, allow_nan=False)
_edge_lon = st.sampled_from([-180.0, 180.0, 0.0, 179.9999999, -179.9999999, 179.99999999999])
_edge_lat = st.sampled_from([-90.0, 90.0, 0.0, 89.9999999, -89.9999999, 85.0511287798066])
_point = st.one_of(
    st.tuples(_lon, _lat), st.tuples(_lon, _edge_lat), st.tuples(_edge_lon, _lat),
    st.tuples(_edge_lon, _edge_lat),
)  # fmt: skip


def _antipode(lon: float, lat: float, dlon: float, dlat: float) -> tuple[float, float]:
    x = lon - 180 if lon > 0 else lon + 180
    return min(180.0, max(-180.0, x + dlon)), min(90.0, max(-90.0, -lat + dlat))


@st.composite
def _stops(draw):
    points = [draw(_point)]
    for _ in range(draw(st.integers(1, 5))):
        kind = draw(st.sampled_from(["new", "same", "antipode", "near"]))
        lon, lat = points[-1]
        if kind == "new":
            points.append(draw(_point))
        elif kind == "same":
            points.append((lon, lat))
        else:
            small = st.floats(-1e-3, 1e-3) if kind == "antipode" else st.floats(-1e-6, 1e-6)
            if kind == "antipode":
                points.append(_antipode(lon, lat, draw(small), draw(small)))
            else:
                points.append(
                    (min(180.0, max(-180.0, lon + draw(small))),
                     min(90.0, max(-90.0, lat + draw(small))))
                )  # fmt: skip
    return points


def _trip_yaml(points) -> str:
    stops = [
        {"lat": lat, "lon": lon, "label": {"en": f"Stop {i}", "ko": f"정류장 {i}"}}
        for i, (lon, lat) in enumerate(points, 1)
    ]
    waypoints = [{"lat": lat, "lon": lon, "name": f"W{i}"} for i, (lon, lat) in enumerate(points)]
    doc = {
        "trip": {"id": "random", "title": {"en": "Random", "ko": "무작위"}},
        "stops": stops,
        "routes": [{"name": "Route", "waypoints": waypoints}],
    }
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)


def _check_geometry(geom, distance_km):
    if geom is None:
        assert distance_km == 0.0
        return
    assert geom.is_valid and not geom.is_empty
    xy = shapely.get_coordinates(geom)
    assert np.isfinite(xy).all()
    assert (np.abs(xy[:, 0]) <= 180).all() and (np.abs(xy[:, 1]) <= 90).all()
    if geom.geom_type == "MultiLineString":
        _meets_at_antimeridian([np.asarray(p.coords) for p in geom.geoms])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(points=_stops(), tolerance_km=st.sampled_from([1.0, 0.5, 5.0]))
# Found by this test: a route over both poles touching the antimeridian at a pole, a route
# whose float arithmetic ended a few ulps past 180, and a route that dips 1e-7 degrees across
# the antimeridian and back (its middle part vanishes when rounded to 6 decimals).
@example(points=[(-1.0, 0.0), (179.9999999, 0.0), (-1.0, 0.0)], tolerance_km=1.0)
@example(
    points=[
        (-180.0, -89.9999999),
        (4.386914586941965e-11, 89.9991108174556),
        (-179.99999999995612, -89.9991108174556),
        (0.0, -90.0),
        (180.0, 90.0),
        (0.0, -1e-282),
    ],
    tolerance_km=1.0,
)
@example(
    points=[(1.0, 0.0), (-180.0, 0.0), (0.0005132676841759084, 0.0), (-180.0, 0.0)],
    tolerance_km=1.0,
)
def test_random_stops_never_break(points, tolerance_km):
    with tempfile.TemporaryDirectory() as tmp:
        trip_file = Path(tmp) / "random.yaml"
        trip_file.write_text(_trip_yaml(points), encoding="utf-8")
        trip = geo.load_trip(trip_file, tolerance_km)
        out = Path(tmp) / "random.geojson"
        text = geojson_text(trip, "all")
        out.write_text(text, encoding="utf-8")
        import pyogrio

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            read = pyogrio.read_dataframe(out)
        assert not caught, [str(w.message) for w in caught]

    legs, paths = trip.legs, trip.leg_paths
    assert len(legs) == len(points) - 1 and len(read) == len(points) * 2
    x, y = np.array(points).T
    _, _, metres = GEOD.inv(x[:-1], y[:-1], x[1:], y[1:])
    assert np.isfinite(paths.distance_m).all()
    assert np.abs(paths.distance_m - metres).max() < 1e-3
    assert np.isfinite(paths.lon).all() and np.isfinite(paths.lat).all()
    assert (paths.vertex_counts() >= 2).all()
    for geom, km in zip(legs.geometry, legs["distance_km"], strict=True):
        _check_geometry(geom, km)
    for geom, km in zip(trip.routes.geometry, trip.routes["distance_km"], strict=True):
        _check_geometry(geom, km)
    for line, m in zip(geodesy.unwrapped_geometries(paths), paths.distance_m, strict=True):
        assert (line is None) == (m == 0.0)
        if line is not None:
            assert line.is_valid
            # Continuous: a jump of exactly 180 happens only where the path crosses a pole.
            assert np.abs(np.diff(np.asarray(line.coords)[:, 0])).max() <= 180

    collection = json.loads(text)
    _validate(collection)
    assert "\\u" not in text and "정류장" in text
    for feature in collection["features"]:
        g = feature["geometry"]
        if g is not None and g["type"] == "MultiLineString":
            _meets_at_antimeridian(g["coordinates"])
        if g is not None and g["type"] in ("LineString", "MultiLineString"):
            assert shapely.geometry.shape(g).is_valid


def test_chunked_densification_gives_the_same_vertices(monkeypatch):
    rng = np.random.default_rng(7)
    lat = rng.uniform(-70, 70, (2, 40))
    lon = rng.uniform(-180, 180, (2, 40))
    whole = geodesy.geodesic_paths(lon[0], lat[0], lon[1], lat[1])
    monkeypatch.setattr(geodesy, "CHUNK", 7)
    chunked = geodesy.geodesic_paths(lon[0], lat[0], lon[1], lat[1])
    assert np.array_equal(whole.offsets, chunked.offsets)
    assert np.array_equal(whole.lon, chunked.lon) and np.array_equal(whole.lat, chunked.lat)
    assert np.array_equal(whole.distance_m, chunked.distance_m)
