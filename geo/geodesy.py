"""Geodesics on the WGS84 ellipsoid, densified for Web Mercator maps, and the antimeridian.

Everything here is a pure, vectorised function of coordinate arrays: no files, no GeoDataFrames.
Distances and points come from pyproj's :class:`~pyproj.Geod`, which is GeographicLib (Karney
2013): exact to a few nanometres, so distances agree with GeographicLib by construction.

Two forms of every path exist:

* **unwrapped**: longitudes run continuously (a Pacific crossing goes from 170 to 190), so a
  Leaflet polyline drawn from them takes the short way across the antimeridian;
* **RFC 7946**: longitudes in [-180, 180]; a path that crosses the antimeridian is cut there into
  a MultiLineString whose parts share the crossing point at exactly 180 / -180 (RFC 7946 §3.1.9).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from geo.errors import GeodesyError

if TYPE_CHECKING:
    import pyproj
    from numpy.typing import ArrayLike, NDArray
    from shapely import Geometry

__all__ = [
    "Paths",
    "geodesic_paths",
    "inverse",
    "rfc7946_geometries",
    "unwrapped_geometries",
]

# Leaflet clamps latitudes to this before projecting; what it draws beyond is on the clamp line.
MERCATOR_MAX_LAT = 85.0511287798066
# Each bisection halves a segment; 2**16 vertices per leg is far beyond any tolerance we accept.
MAX_DEPTH = 16
# Points per drawn segment at which its distance to the geodesic is measured, and the Newton
# steps that find each point's foot on the geodesic.
GAP_SAMPLES = 8
NEWTON_STEPS = 3


@lru_cache(maxsize=1)
def _geod() -> pyproj.Geod:
    from pyproj import Geod

    return Geod(ellps="WGS84")


def inverse(
    lon1: ArrayLike, lat1: ArrayLike, lon2: ArrayLike, lat2: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Forward azimuth (degrees) and distance (metres) of the geodesic between point pairs."""
    az, _, dist = _geod().inv(
        np.asarray(lon1, dtype=float),
        np.asarray(lat1, dtype=float),
        np.asarray(lon2, dtype=float),
        np.asarray(lat2, dtype=float),
    )
    return np.atleast_1d(np.asarray(az, dtype=float)), np.atleast_1d(np.asarray(dist, dtype=float))


def _mercator_y(lat: NDArray[np.float64]) -> NDArray[np.float64]:
    phi = np.radians(np.clip(lat, -MERCATOR_MAX_LAT, MERCATOR_MAX_LAT))
    return np.log(np.tan(np.pi / 4 + phi / 2))


def _mercator_lat(y: NDArray[np.float64]) -> NDArray[np.float64]:
    return np.degrees(2 * np.arctan(np.exp(y)) - np.pi / 2)


def _near(lon: NDArray[np.float64], ref: NDArray[np.float64]) -> NDArray[np.float64]:
    """``lon`` shifted by a multiple of 360 to lie within 180 degrees of ``ref``."""
    return ref + (lon - ref + 180.0) % 360.0 - 180.0


@dataclass(frozen=True)
class Paths:
    """Densified geodesic paths, all in three flat arrays.

    Path ``i`` has the vertices ``lon[offsets[i]:offsets[i+1]]`` (unwrapped: continuous,
    starting in [-180, 180]) and the matching ``lat``. ``distance_m[i]`` is its exact length.
    """

    lon: NDArray[np.float64]
    lat: NDArray[np.float64]
    offsets: NDArray[np.int64]
    distance_m: NDArray[np.float64]

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def vertex_counts(self) -> NDArray[np.int64]:
        """Vertices per path."""
        return np.diff(self.offsets)

    def coords(self, i: int) -> NDArray[np.float64]:
        """The (n, 2) lon/lat array of path ``i``."""
        a, b = self.offsets[i], self.offsets[i + 1]
        return np.column_stack([self.lon[a:b], self.lat[a:b]])


def geodesic_paths(
    lon1: ArrayLike,
    lat1: ArrayLike,
    lon2: ArrayLike,
    lat2: ArrayLike,
    tolerance_km: float = 1.0,
) -> Paths:
    """Geodesics between point pairs, densified for drawing on a Web Mercator map.

    Leaflet joins consecutive vertices with straight lines in Web Mercator, i.e. rhumb lines.
    Each path is bisected adaptively: a segment between two points of the geodesic is split at
    its geodesic midpoint while the straight Mercator segment that would be drawn strays more
    than ``tolerance_km`` (measured on the ellipsoid, perpendicular to the geodesic) from the
    geodesic anywhere along it; the stray is measured at several points of each drawn segment
    (see :func:`_largest_gap`), and the test suite checks the bound by sampling every segment
    densely. A 260 km hop needs two or three vertices, a 9,000 km flight a few dozen. Segments
    shorter than the tolerance are never split (near the poles, where Leaflet clamps latitudes
    to ±85.05°, the drawn line cannot follow the geodesic anyway, so the bound holds only below
    that latitude).

    Coincident pairs give a two-vertex path of length 0. Antipodal pairs have infinitely many
    geodesics; GeographicLib's choice (a deterministic one, via the poles for points on the
    equator) is used, and the distance is exact whichever path is drawn.

    Parameters
    ----------
    lon1, lat1, lon2, lat2
        Degrees, WGS84; arrays of equal length (or scalars).
    tolerance_km
        The largest allowed gap, in kilometres, between the drawn line and the true geodesic.

    Returns
    -------
    Paths
        The densified paths, with unwrapped longitudes, and their exact lengths.
    """
    if not tolerance_km > 0 or not math.isfinite(tolerance_km):
        raise GeodesyError(f"tolerance_km must be a positive number, not {tolerance_km!r}")
    lon1a, lat1a, lon2a, lat2a = (
        np.atleast_1d(np.asarray(v, dtype=float)) for v in (lon1, lat1, lon2, lat2)
    )
    for name, arr, limit in (
        ("lat", lat1a, 90),
        ("lat", lat2a, 90),
        ("lon", lon1a, 180),
        ("lon", lon2a, 180),
    ):
        if not np.all(np.isfinite(arr)) or np.any(np.abs(arr) > limit):
            raise GeodesyError(f"{name} must be finite and within ±{limit} degrees")
    n = len(lon1a)
    if n == 0:
        empty = np.zeros(0)
        return Paths(lon=empty, lat=empty, offsets=np.zeros(1, dtype=np.int64), distance_m=empty)
    geod = _geod()
    az, dist = inverse(lon1a, lat1a, lon2a, lat2a)
    tol_m = tolerance_km * 1000.0

    def points(path: NDArray[np.int64], frac: NDArray[np.float64]) -> tuple[NDArray, NDArray]:
        lon, lat, _ = geod.fwd(lon1a[path], lat1a[path], az[path], frac * dist[path])
        return np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)

    # Active segments: (path, f0, f1) fractions of the path length. Final cut points collect in
    # (path, fraction) lists, endpoints included.
    cut_path = [np.arange(n), np.arange(n)]
    cut_frac = [np.zeros(n), np.ones(n)]
    seg_path = np.flatnonzero(dist > tol_m)
    seg_f0 = np.zeros(len(seg_path))
    seg_f1 = np.ones(len(seg_path))
    for _ in range(MAX_DEPTH):
        if len(seg_path) == 0:
            break
        fm = (seg_f0 + seg_f1) / 2
        lon_a, lat_a = points(seg_path, seg_f0)
        lon_b, lat_b = points(seg_path, seg_f1)
        gap = _largest_gap(
            lon1a[seg_path], lat1a[seg_path], az[seg_path], dist[seg_path],
            seg_f0, seg_f1, lon_a, lat_a, _near(lon_b, lon_a), lat_b,
        )  # fmt: skip
        length = (seg_f1 - seg_f0) * dist[seg_path]
        split = (gap > tol_m) & (length > tol_m)
        cut_path.append(seg_path[split])
        cut_frac.append(fm[split])
        seg_path = np.concatenate([seg_path[split], seg_path[split]])
        seg_f0, seg_f1 = (
            np.concatenate([seg_f0[split], fm[split]]),
            np.concatenate([fm[split], seg_f1[split]]),
        )

    all_path = np.concatenate(cut_path)
    all_frac = np.concatenate(cut_frac)
    order = np.lexsort((all_frac, all_path))
    all_path, all_frac = all_path[order], all_frac[order]
    lon, lat = points(all_path, all_frac)
    # The endpoints are the stops themselves, exactly, not their round trip through fwd().
    first = np.r_[True, all_path[1:] != all_path[:-1]]
    last = np.r_[all_path[1:] != all_path[:-1], True]
    lon[first], lat[first] = lon1a, lat1a
    lon[last], lat[last] = lon2a, lat2a
    lon = _unwrap(lon, first)
    offsets = np.r_[0, np.cumsum(np.bincount(all_path, minlength=n))].astype(np.int64)
    return Paths(lon=lon, lat=lat, offsets=offsets, distance_m=dist)


def _largest_gap(
    lon0: NDArray[np.float64],
    lat0: NDArray[np.float64],
    az0: NDArray[np.float64],
    dist: NDArray[np.float64],
    f0: NDArray[np.float64],
    f1: NDArray[np.float64],
    lon_a: NDArray[np.float64],
    lat_a: NDArray[np.float64],
    lon_b: NDArray[np.float64],
    lat_b: NDArray[np.float64],
) -> NDArray[np.float64]:
    """Largest distance (metres) between drawn segments and the geodesics they stand for.

    Segment ``i`` joins the points at fractions ``f0[i]`` and ``f1[i]`` of the geodesic that
    leaves ``(lon0, lat0)`` at azimuth ``az0`` and runs ``dist`` metres; its ends are
    ``(lon_a, lat_a)`` and ``(lon_b, lat_b)`` (``lon_b`` within 180 degrees of ``lon_a``). The
    drawn segment is sampled at evenly spaced Mercator parameters; each sample's signed distance
    to the geodesic comes from a few Newton steps to the foot of its perpendicular, and the peak
    between samples from a parabola through the largest sample and its neighbours. Several
    samples are needed, not just the midpoint: a segment that crosses the equator at its middle
    meets the geodesic there and strays on both sides (an S), so the midpoint alone would say 0.
    """
    geod = _geod()
    m = len(lon0)
    t = np.arange(1, GAP_SAMPLES) / GAP_SAMPLES
    ya, yb = _mercator_y(lat_a), _mercator_y(lat_b)
    x = (lon_a[:, None] + t * (lon_b - lon_a)[:, None]).ravel()
    y = _mercator_lat(ya[:, None] + t * (yb - ya)[:, None]).ravel()
    rep = np.repeat(np.arange(m), len(t))
    frac = (f0[:, None] + t * (f1 - f0)[:, None]).ravel()
    for step in range(NEWTON_STEPS + 1):
        qlon, qlat, back = geod.fwd(lon0[rep], lat0[rep], az0[rep], frac * dist[rep])
        az_qd, _, r = geod.inv(qlon, qlat, x, y)
        delta = np.radians(np.asarray(az_qd) - (np.asarray(back) + 180.0))
        if step < NEWTON_STEPS:
            frac = frac + np.asarray(r) * np.cos(delta) / dist[rep]
    signed = (np.asarray(r) * np.sign(np.sin(delta))).reshape(m, len(t))
    v = np.pad(signed, ((0, 0), (1, 1)))  # the ends lie on the geodesic
    k = np.argmax(np.abs(signed), axis=1) + 1
    rows = np.arange(m)
    sgn = np.where(v[rows, k] < 0, -1.0, 1.0)
    left, mid, right = sgn * v[rows, k - 1], sgn * v[rows, k], sgn * v[rows, k + 1]
    curve = left - 2 * mid + right
    with np.errstate(divide="ignore", invalid="ignore"):
        peak = np.where(curve < 0, mid - (right - left) ** 2 / (8 * curve), mid)
    return np.maximum(peak, mid)


def _unwrap(lon: NDArray[np.float64], first: NDArray[np.bool_]) -> NDArray[np.float64]:
    """Make longitudes continuous within each path (marked by ``first``), vectorised."""
    step = np.diff(lon, prepend=lon[:1])
    jump = np.where(step > 180, -360.0, np.where(step < -180, 360.0, 0.0))
    jump[first] = 0.0
    # Cumulative correction, restarted at each path's first vertex.
    total = np.cumsum(jump)
    starts = np.flatnonzero(first)
    base = np.repeat(total[starts] - jump[starts], np.diff(np.r_[starts, len(lon)]))
    return lon + (total - base)


def unwrapped_geometries(paths: Paths) -> NDArray[np.object_]:
    """One LineString per path with continuous longitudes, for drawing (not for GeoJSON).

    A path of length 0 (coincident stops) gives ``None``, as in :func:`rfc7946_geometries`.
    """
    import shapely

    idx = np.repeat(np.arange(len(paths)), paths.vertex_counts())
    out = np.asarray(
        shapely.linestrings(np.column_stack([paths.lon, paths.lat]), indices=idx), dtype=object
    )
    out[paths.distance_m <= 0] = None
    return out


def rfc7946_geometries(paths: Paths) -> NDArray[np.object_]:
    """One geometry per path in RFC 7946 form.

    A path within [-180, 180] is a LineString. A path that crosses the antimeridian is a
    MultiLineString cut there; each cut point is interpolated on the drawn (Mercator-straight)
    segment and appears in both parts, as 180 in one and -180 in the other. A coincident pair
    (length 0) gives ``None``: a line with no extent is not valid geometry in most GIS tools.
    """
    import shapely

    counts = paths.vertex_counts()
    idx = np.repeat(np.arange(len(paths)), counts)
    copy = np.floor((paths.lon + 180.0) / 360.0)
    # A vertex exactly on +180 belongs to the copy it came from, not the next one.
    copy = np.where((paths.lon + 180.0) % 360.0 == 0, copy - 1, copy) if len(copy) else copy
    first_of = paths.offsets[:-1]
    crossing = np.zeros(len(paths), dtype=bool)
    if len(copy):
        changes = np.flatnonzero(np.diff(copy) != 0)
        same_path = idx[changes] == idx[changes + 1]
        crossing[idx[changes[same_path]]] = True
        # A path that starts in another copy (only possible at exactly ±180) is cut too.
        crossing[(copy[first_of[counts > 0]] != 0)] = True
    # Clipped: a longitude a few ulps past 180 (360 turns of float arithmetic) is 180.
    shifted = np.clip(paths.lon - 360.0 * copy, -180.0, 180.0)
    out = np.empty(len(paths), dtype=object)
    plain = ~crossing & (paths.distance_m > 0)
    keep = plain[idx]
    if plain.any():
        lines = shapely.linestrings(
            np.column_stack([shifted[keep], paths.lat[keep]]),
            indices=np.unique(idx[keep], return_inverse=True)[1],
        )
        out[np.flatnonzero(plain)] = lines
    for i in np.flatnonzero(crossing & (paths.distance_m > 0)):
        out[i] = _cut(paths.coords(int(i)))
    return out


def _cut(coords: NDArray[np.float64]) -> Geometry:
    """Cut one unwrapped path at every odd multiple of 180 degrees."""
    import shapely

    parts: list[list[tuple[float, float]]] = [[]]
    lon, lat = coords[:, 0], coords[:, 1]

    def copy_of(x: float) -> int:
        c = math.floor((x + 180.0) / 360.0)
        return c - 1 if (x + 180.0) % 360.0 == 0 and c > 0 else c

    def wrapped(x: float) -> float:
        return min(180.0, max(-180.0, float(x)))

    current = copy_of(lon[0])
    parts[-1].append((wrapped(lon[0] - 360 * current), float(lat[0])))
    for j in range(1, len(lon)):
        target = copy_of(lon[j])
        while target != current:
            step = 1 if target > current else -1
            boundary = 360.0 * current + 180.0 * step
            t = (boundary - lon[j - 1]) / (lon[j] - lon[j - 1])
            if t <= 0.0 or t >= 1.0:
                # A vertex on the antimeridian itself: keep its latitude exactly, not its round
                # trip through the Mercator projection, so no sliver part is left over.
                blat = float(lat[j - 1] if t <= 0.0 else lat[j])
            else:
                y0, y1 = _mercator_y(lat[j - 1 : j + 1])
                blat = float(_mercator_lat(np.array(y0 + t * (y1 - y0))))
            parts[-1].append((180.0 * step, blat))
            parts.append([(-180.0 * step, blat)])
            current += step
        parts[-1].append((wrapped(lon[j] - 360 * current), float(lat[j])))
    lines: list[list[tuple[float, float]]] = []
    for part in parts:
        if len(set(part)) < 2:
            continue  # a path that only touches the antimeridian leaves a point-sized part
        if lines and lines[-1][-1] == part[0]:
            lines[-1].extend(part[1:])  # ... and the parts either side of it join up again
        else:
            lines.append(part)
    if len(lines) == 1:
        return shapely.LineString(lines[0])
    return shapely.MultiLineString(lines)
