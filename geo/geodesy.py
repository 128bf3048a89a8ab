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
from typing import TYPE_CHECKING, Any

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
    "mercator_lat",
    "mercator_y",
    "near_lon",
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
# The sampled estimate of a segment's largest stray can fall short of the true peak by a fraction
# of a percent (0.6% at worst in the tests' dense measurements); segments are split once the
# estimate passes the tolerance less this margin, so the bound holds in full.
GAP_MARGIN = 0.02
# Where the cheap bound of a segment's stray lies between the tolerance and this many times it,
# the exact (and costlier) measure decides whether to split.
UNSURE = 3.0
# At most this many pieces from one segment in one step.
MAX_PARTS = 64
# Legs densified together; more are done a chunk at a time.
CHUNK = 8192


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


def mercator_y(lat: NDArray[np.float64]) -> NDArray[np.float64]:
    """Web Mercator y (radians of the unit sphere) of latitudes, clamped as Leaflet clamps."""
    phi = np.radians(np.clip(lat, -MERCATOR_MAX_LAT, MERCATOR_MAX_LAT))
    return np.log(np.tan(np.pi / 4 + phi / 2))


def mercator_lat(y: NDArray[np.float64]) -> NDArray[np.float64]:
    """Latitudes (degrees) of Web Mercator y: the inverse of :func:`mercator_y`."""
    return np.degrees(2 * np.arctan(np.exp(y)) - np.pi / 2)


def near_lon(lon: Any, ref: Any) -> Any:
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
    if n > CHUNK:
        # In chunks, so the working arrays of the bisection stay small: the vertices are the
        # same, and memory no longer grows with every segment of 100,000 long routes at once.
        chunks = [
            geodesic_paths(lon1a[k : k + CHUNK], lat1a[k : k + CHUNK], lon2a[k : k + CHUNK],
                           lat2a[k : k + CHUNK], tolerance_km)
            for k in range(0, n, CHUNK)
        ]  # fmt: skip
        sizes = np.cumsum([0] + [len(p.lon) for p in chunks[:-1]])
        return Paths(
            lon=np.concatenate([p.lon for p in chunks]),
            lat=np.concatenate([p.lat for p in chunks]),
            offsets=np.concatenate(
                [[0]] + [p.offsets[1:] + base for p, base in zip(chunks, sizes, strict=True)]
            ).astype(np.int64),
            distance_m=np.concatenate([p.distance_m for p in chunks]),
        )
    geod = _geod()
    az, dist = inverse(lon1a, lat1a, lon2a, lat2a)
    tol_m = tolerance_km * 1000.0

    def points(path: NDArray[np.int64], frac: NDArray[np.float64]) -> tuple[NDArray, NDArray]:
        lon, lat, _ = geod.fwd(lon1a[path], lat1a[path], az[path], frac * dist[path])
        return np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)

    # Cut points (path, fraction, lon, lat), the stops themselves included exactly, and the
    # active segments between consecutive cut points, whose ends are already known.
    every = np.arange(n)
    cut_path, cut_frac = [every, every], [np.zeros(n), np.ones(n)]
    cut_lon, cut_lat = [lon1a, lon2a], [lat1a, lat2a]
    active = np.flatnonzero(dist > tol_m)
    seg_path, seg_f0, seg_f1 = active, np.zeros(len(active)), np.ones(len(active))
    lon_a, lat_a, lon_b, lat_b = lon1a[active], lat1a[active], lon2a[active], lat2a[active]
    stray_limit = tol_m * (1 - GAP_MARGIN)
    for _ in range(MAX_DEPTH):
        if len(seg_path) == 0:
            break
        args = (
            lon1a[seg_path], lat1a[seg_path], az[seg_path], dist[seg_path],
            seg_f0, seg_f1, lon_a, lat_a, near_lon(lon_b, lon_a), lat_b,
        )  # fmt: skip
        length = (seg_f1 - seg_f0) * dist[seg_path]
        # A cheap bound first: within about 1% of the exact stray, except for a segment that
        # crosses the equator (the drawn line and the geodesic cross there, in an S, and the
        # bound can fall 9% short): there the exact measure decides when the bound is close.
        gap = _gap_bound(*args)
        crosses = lat_a * lat_b <= 0
        unsure = crosses & (gap > 0.85 * stray_limit) & (gap < UNSURE * tol_m) & (length > tol_m)
        if unsure.any():
            gap[unsure] = _largest_gap(*(a[unsure] for a in args))
        split = (gap > stray_limit) & (length > tol_m)
        if not split.any():
            break
        # The stray grows with the square of a segment's length, so a segment k times too
        # curved is cut into about sqrt(k) equal parts at once rather than halved repeatedly.
        ratio = gap[split] / (0.6 * stray_limit)
        parts = np.clip(np.ceil(np.sqrt(ratio)), 2, MAX_PARTS).astype(int)
        sp, f0, f1 = seg_path[split], seg_f0[split], seg_f1[split]
        owner = np.repeat(np.arange(len(sp)), parts - 1)
        j = np.arange(len(owner)) - np.repeat(np.cumsum(parts - 1) - (parts - 1), parts - 1) + 1
        frac = f0[owner] + (f1 - f0)[owner] * j / parts[owner]
        new_lon, new_lat = points(sp[owner], frac)
        cut_path.append(sp[owner])
        cut_frac.append(frac)
        cut_lon.append(new_lon)
        cut_lat.append(new_lat)
        # Next segments: each split segment's pieces, ends taken from the points just made.
        starts = np.cumsum(parts) - parts
        piece = np.arange(parts.sum()) - np.repeat(starts, parts)
        whose = np.repeat(np.arange(len(sp)), parts)
        inner = np.repeat(np.cumsum(parts - 1) - (parts - 1), parts) + piece  # new point index
        is_first = piece == 0
        is_last = piece == parts[whose] - 1
        seg_path = sp[whose]
        seg_f0 = np.where(is_first, f0[whose], frac[np.maximum(inner - 1, 0)])
        seg_f1 = np.where(is_last, f1[whose], frac[np.minimum(inner, len(frac) - 1)])
        a_lon, a_lat = lon_a[split][whose], lat_a[split][whose]
        b_lon, b_lat = lon_b[split][whose], lat_b[split][whose]
        lon_a = np.where(is_first, a_lon, new_lon[np.maximum(inner - 1, 0)])
        lat_a = np.where(is_first, a_lat, new_lat[np.maximum(inner - 1, 0)])
        lon_b = np.where(is_last, b_lon, new_lon[np.minimum(inner, len(frac) - 1)])
        lat_b = np.where(is_last, b_lat, new_lat[np.minimum(inner, len(frac) - 1)])

    all_path = np.concatenate(cut_path)
    all_frac = np.concatenate(cut_frac)
    order = np.lexsort((all_frac, all_path))
    all_path = all_path[order]
    lon = np.concatenate(cut_lon)[order]
    lat = np.concatenate(cut_lat)[order]
    first = np.r_[True, all_path[1:] != all_path[:-1]]
    lon = _unwrap(lon, first)
    offsets = np.r_[0, np.cumsum(np.bincount(all_path, minlength=n))].astype(np.int64)
    return Paths(lon=lon, lat=lat, offsets=offsets, distance_m=dist)


def _gap_bound(
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
    """An upper bound, at a quarter, half and three quarters of each drawn segment, of its
    distance to the geodesic: the distance from the drawn point to the geodesic point at the same
    fraction of the way (the distance to a curve is at most the distance to any of its points).

    The drawn point at fraction ``t`` of a rhumb line's length has its latitude ``t`` of the way
    (a rhumb line's length is proportional to its change of latitude), so the two points
    correspond closely and the bound is tight; it costs one forward and one inverse geodesic
    per sample, where :func:`_largest_gap` needs several Newton steps.
    """
    geod = _geod()
    m = len(lon0)
    t = np.array([0.25, 0.5, 0.75])
    rep = np.repeat(np.arange(m), len(t))
    tt = np.tile(t, m)
    ya, yb = mercator_y(lat_a)[rep], mercator_y(lat_b)[rep]
    la, lb = lat_a[rep], lat_b[rep]
    lat_d = la + tt * (lb - la)
    dy = yb - ya
    flat = np.abs(dy) < 1e-9
    s = np.where(flat, tt, (mercator_y(lat_d) - ya) / np.where(flat, 1.0, dy))
    lon_d = lon_a[rep] + s * (lon_b - lon_a)[rep]
    frac = f0[rep] + tt * (f1 - f0)[rep]
    qlon, qlat, _ = geod.fwd(lon0[rep], lat0[rep], az0[rep], frac * dist[rep])
    _, _, r = geod.inv(np.asarray(qlon), np.asarray(qlat), lon_d, lat_d)
    return np.asarray(r, dtype=float).reshape(m, len(t)).max(axis=1)


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
    ya, yb = mercator_y(lat_a), mercator_y(lat_b)
    x = (lon_a[:, None] + t * (lon_b - lon_a)[:, None]).ravel()
    y = mercator_lat(ya[:, None] + t * (yb - ya)[:, None]).ravel()
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
                y0, y1 = mercator_y(lat[j - 1 : j + 1])
                blat = float(mercator_lat(np.array(y0 + t * (y1 - y0))))
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
