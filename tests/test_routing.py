"""Paths by mode: searoute sea lanes against searoute itself, passages, the antimeridian, errors.

The sea lanes are checked against ``searoute.searoute`` called directly (its own length) and
against the Natural Earth land shapes the basemap ships, not against geo's own arithmetic.
"""

from __future__ import annotations

import numpy as np
import pytest
import searoute
import shapely
from pyproj import Geod

from geo import geodesy, routing
from geo.errors import GeodesyError, GeoError

GEOD = Geod(ellps="WGS84")
ULSAN = (129.38, 35.5)
ANTWERP = (4.4, 51.2)
BUSAN = (129.04, 35.1)
SAN_FRANCISCO = (-122.4, 37.8)
CONSTANTA = (28.65, 44.17)
PIRAEUS = (23.6, 37.94)
ARAL_SEA = (60.0, 45.0)


def _one(mode: str, a: tuple[float, float], b: tuple[float, float], **kw: object):
    paths, kinds = routing.hop_paths([mode], [a[0]], [a[1]], [b[0]], [b[1]], **kw)  # type: ignore[arg-type]
    return paths, kinds


def _searoute_km(a, b, restrictions) -> float:
    return float(
        searoute.searoute(list(a), list(b), restrictions=restrictions).properties["length"]
    )


def test_kinds_by_mode_and_air_is_the_geodesic():
    modes = ["sea", "air", "rail", "road", "pipeline"]
    n = len(modes)
    paths, kinds = routing.hop_paths(
        modes, [ULSAN[0]] * n, [ULSAN[1]] * n, [ANTWERP[0]] * n, [ANTWERP[1]] * n
    )
    assert list(kinds) == ["sea-lane"] + ["geodesic"] * 4
    direct = geodesy.geodesic_paths(ULSAN[0], ULSAN[1], ANTWERP[0], ANTWERP[1])
    for i in range(1, n):
        np.testing.assert_array_equal(paths.coords(i), direct.coords(0))
        assert paths.distance_m[i] == direct.distance_m[0]
    assert paths.distance_m[0] > 1.15 * direct.distance_m[0]


def test_sea_lane_starts_and_ends_at_the_stops_and_measures_its_own_geodesics():
    paths, _ = _one("sea", ULSAN, ANTWERP)
    c = paths.coords(0)
    np.testing.assert_allclose(c[0], ULSAN)
    np.testing.assert_allclose(c[-1], ANTWERP)
    assert np.abs(np.diff(c[:, 0])).max() < 180  # continuous
    # The distance is the sum of the WGS84 geodesics between consecutive vertices.
    _, _, d = GEOD.inv(c[:-1, 0], c[:-1, 1], c[1:, 0], c[1:, 1])
    assert paths.distance_m[0] == pytest.approx(np.sum(d), rel=1e-9)


def test_sea_distance_within_3_percent_of_searoute():
    paths, _ = _one("sea", ULSAN, ANTWERP)
    own = _searoute_km(ULSAN, ANTWERP, ["northwest", "bering"])
    assert paths.distance_m[0] / 1000 == pytest.approx(own, rel=0.03)


def test_avoid_suez_and_panama_goes_round_africa():
    paths, _ = _one("sea", ULSAN, ANTWERP, avoid=[["suez", "panama"]])
    c = paths.coords(0)
    assert c[:, 1].min() < -30
    # Round the Cape: below 30°S the lane is between Africa's longitudes, not at Cape Horn.
    south = c[c[:, 1] < -30]
    assert np.all((south[:, 0] > 0) & (south[:, 0] < 60))


def test_avoid_suez_does_not_take_the_arctic_unless_allowed():
    closed, _ = _one("sea", ULSAN, ANTWERP, avoid=[["suez"]])
    assert closed.coords(0)[:, 1].max() < 66
    # With the Arctic opened the network's shortest lane is the Bering one: the default matters.
    opened, _ = _one("sea", ULSAN, ANTWERP, avoid=[["suez"]], allow=[["arctic"]])
    assert opened.coords(0)[:, 1].max() > 66
    assert opened.distance_m[0] < closed.distance_m[0]


def test_transpacific_is_continuous_and_cut_at_the_antimeridian():
    paths, _ = _one("sea", BUSAN, SAN_FRANCISCO)
    c = paths.coords(0)
    assert c[0, 0] == BUSAN[0]
    assert c[-1, 0] == pytest.approx(SAN_FRANCISCO[0] + 360)  # the short way, unwrapped
    (geom,) = geodesy.rfc7946_geometries(paths)
    assert geom.geom_type == "MultiLineString"
    coords = shapely.get_coordinates(geom)
    assert np.all(np.abs(coords[:, 0]) <= 180)
    ends = [(p.coords[-1][0], p.coords[0][0]) for p in geom.geoms]
    assert abs(ends[0][0]) == 180 and ends[1][1] == -ends[0][0]
    # The other way round too, starting east of the antimeridian.
    back, _ = _one("sea", SAN_FRANCISCO, BUSAN)
    assert back.coords(0)[-1, 0] == pytest.approx(BUSAN[0] - 360)
    assert back.distance_m[0] == pytest.approx(paths.distance_m[0], rel=1e-3)


@pytest.mark.parametrize(
    ("a", "b", "kw", "match"),
    [
        (ARAL_SEA, ANTWERP, {}, r"hop 1: the start \(60, 45\) is 6\d\d km from the nearest sea"),
        (ANTWERP, ARAL_SEA, {"names": ["stops[4]"]}, r"stops\[4\]: the end .* inland"),
        (CONSTANTA, PIRAEUS, {"avoid": [["bosporus"]]}, r"no sea lane .* bosporus closed"),
        (ULSAN, ANTWERP, {"avoid": [["suz"]]}, r"avoid\[0\]: unknown passage 'suz'; did you mean 'suez'"),
        (ULSAN, ANTWERP, {"avoid": [["{{7*7}}<b>"]]}, r"unknown passage '\{\{7\*7\}\}<b>'; known"),
        (ULSAN, ANTWERP, {"allow": [["suez"]]}, r"allow\[0\]: suez is open already; only arctic"),
        (ULSAN, ANTWERP, {"avoid": [[], []]}, r"avoid: has 2 entries for 1 hops"),
    ],
)  # fmt: skip
def test_unroutable_sea_hops_are_errors(a, b, kw, match):
    with pytest.raises(routing.RoutingError, match=match):
        _one("sea", a, b, **kw)
    assert issubclass(routing.RoutingError, GeoError)


def test_inland_is_fine_by_air():
    paths, kinds = _one("air", ARAL_SEA, ANTWERP)
    assert list(kinds) == ["geodesic"] and paths.distance_m[0] > 0


@pytest.mark.parametrize("bad", [float("nan"), 181.0, 1e308])
def test_bad_coordinates(bad):
    with pytest.raises(GeodesyError, match="lon must be finite"):
        _one("sea", (bad, 0.0), ANTWERP)


def test_coincident_and_empty():
    paths, kinds = routing.hop_paths([], [], [], [], [])
    assert len(paths) == 0 and len(kinds) == 0
    paths, _ = _one("sea", ANTWERP, ANTWERP)
    assert paths.distance_m[0] == pytest.approx(2 * routing.snap_km(*ANTWERP)[0] * 1000)


def test_repeated_hops_are_identical_and_routed_once():
    routing._lane.cache_clear()
    n = 50
    paths, _ = routing.hop_paths(
        ["sea"] * n, [ULSAN[0]] * n, [ULSAN[1]] * n, [ANTWERP[0]] * n, [ANTWERP[1]] * n
    )
    assert routing._lane.cache_info().misses == 1
    for i in range(1, n):
        np.testing.assert_array_equal(paths.coords(i), paths.coords(0))


def test_join_paths_keeps_longitudes_continuous():
    pieces = geodesy.geodesic_paths([170, -170, 10], [0, 0, 0], [-170, -150, 20], [0, 0, 0])
    joined = routing.join_paths(pieces, [2, 1])
    c = joined.coords(0)
    assert c[0, 0] == 170 and c[-1, 0] == pytest.approx(210)
    assert np.all(np.diff(c[:, 0]) > 0)
    assert len(c) == pieces.vertex_counts()[:2].sum() - 1
    assert joined.distance_m[0] == pytest.approx(pieces.distance_m[:2].sum())
    np.testing.assert_array_equal(joined.coords(1), pieces.coords(2))


def test_vocabulary_is_documented_and_maps_to_searoute_passages():
    marnet, _ = searoute.get_graphs()  # passage names are attributes of the network's edges
    names = {d.get("passage") for _, _, d in marnet.edges(data=True)}
    for passage in routing.AVOIDABLE.values():
        assert set(passage.searoute) <= names, passage
        assert passage.where
    assert set(routing.DEFAULT_CLOSED) <= set(routing.AVOIDABLE)
