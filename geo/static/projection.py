"""The projection of a static map: its choice from the trip's points, and (inverse) projecting."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np

from geo.errors import GeoError
from geo.geodesy import near_lon

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray

    from geo.i18n import Locale


__all__ = [
    "AZIMUTHAL_CUT",
    "AZIMUTHAL_REACH",
    "Projection",
    "angular_distance",
    "choose_projection",
    "far_side",
    "lonlat_window",
    "outline",
    "project",
    "project_path",
    "transformer",
]


@dataclass(frozen=True)
class Projection:
    """A map projection centred on a trip, as a PROJ string, and its kind."""

    proj4: str
    kind: str  # "lcc", "aeqd" or "eqearth"
    lon_0: float
    lat_0: float

    def name(self, loc: Locale) -> str:
        """The projection's name for the map's credits."""
        return loc.t(f"proj_{self.kind}")


# Beyond this angular distance from the centre an azimuthal map distorts too much: the trip gets
# a world map instead.
AZIMUTHAL_REACH = 100.0
# Land farther than this from an azimuthal map's centre is cut away before projecting: the
# antipode is the projection's edge, where polygons would turn inside out.
AZIMUTHAL_CUT = 150.0


def choose_projection(lon: ArrayLike, lat: ArrayLike) -> Projection:
    """The projection for a map of these points (degrees, WGS84).

    A Lambert conformal conic when every point lies between 15 and 80 degrees of latitude on one
    side of the equator and within 160 degrees of longitude; an azimuthal equidistant centred on
    the points when every point lies within :data:`AZIMUTHAL_REACH` degrees of their centre;
    otherwise an Equal Earth world map whose edge (the meridian opposite its centre) falls in
    the widest stretch of longitude without points. The centre is the middle of the points'
    longitudes, taken the short way round, and of their latitudes.
    """
    lon_a = np.asarray(lon, dtype=float).ravel()
    lat_a = np.asarray(lat, dtype=float).ravel()
    if len(lon_a) == 0:
        raise GeoError("nothing to map: the trip has no located stops")
    lon_0, lon_span = _lon_window(lon_a)
    south, north = float(lat_a.min()), float(lat_a.max())
    lat_0 = (south + north) / 2
    one_side = south >= 15 and north <= 80 or south >= -80 and north <= -15
    if one_side and lon_span <= 160:
        span = north - south
        lat_1, lat_2 = south + span / 6, north - span / 6
        return Projection(
            f"+proj=lcc +lat_1={lat_1:.4f} +lat_2={lat_2:.4f} +lat_0={lat_0:.4f} "
            f"+lon_0={lon_0:.4f} +datum=WGS84 +units=m +no_defs",
            "lcc",
            lon_0,
            lat_0,
        )
    if float(angular_distance(lon_0, lat_0, lon_a, lat_a).max()) <= AZIMUTHAL_REACH:
        return Projection(
            f"+proj=aeqd +lat_0={lat_0:.4f} +lon_0={lon_0:.4f} +datum=WGS84 +units=m +no_defs",
            "aeqd",
            lon_0,
            lat_0,
        )
    return Projection(
        f"+proj=eqearth +lon_0={lon_0:.4f} +datum=WGS84 +units=m +no_defs", "eqearth", lon_0, 0.0
    )


def _lon_window(lon: NDArray[np.float64]) -> tuple[float, float]:
    """The middle and width of the shortest arc of longitude holding every point: the arc
    opposite the widest gap between neighbouring longitudes."""
    wrapped = np.sort((lon + 180.0) % 360.0 - 180.0)
    gaps = np.diff(np.r_[wrapped, wrapped[0] + 360.0])
    k = int(np.argmax(gaps))  # the widest gap runs from wrapped[k] east to the next point
    start = float(wrapped[(k + 1) % len(wrapped)])
    span = 360.0 - float(gaps[k])
    middle = start + span / 2
    return float(near_lon(np.array([middle]), 0.0)[0]), span


def angular_distance(
    lon_0: float, lat_0: float, lon: ArrayLike, lat: ArrayLike
) -> NDArray[np.float64]:
    """Great-circle distances in degrees from ``(lon_0, lat_0)`` to each point."""
    p0, l0 = math.radians(lat_0), math.radians(lon_0)
    p = np.radians(np.asarray(lat, dtype=float))
    dl = np.radians(np.asarray(lon, dtype=float)) - l0
    cos_d = math.sin(p0) * np.sin(p) + math.cos(p0) * np.cos(p) * np.cos(dl)
    return np.degrees(np.arccos(np.clip(cos_d, -1.0, 1.0)))


@lru_cache(maxsize=8)
def transformer(proj4: str, inverse: bool = False) -> Any:
    from pyproj import Transformer

    if inverse:
        return Transformer.from_crs(proj4, "EPSG:4326", always_xy=True)
    return Transformer.from_crs("EPSG:4326", proj4, always_xy=True)


def project(proj: Projection, lon: ArrayLike, lat: ArrayLike) -> NDArray[np.float64]:
    x, y = transformer(proj.proj4).transform(
        np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    )
    return np.column_stack([np.atleast_1d(x), np.atleast_1d(y)]).astype(float)


def lonlat_window(
    proj: Projection, extent: tuple[float, float, float, float]
) -> tuple[float, float, float, float]:
    """The lon/lat box (west, east relative to the central meridian, south, north) that
    covers the map: its edge inverse-projected, with a margin."""
    x0, x1, y0, y1 = extent
    w, h = x1 - x0, y1 - y0
    # The lon/lat window: the map's edge, inverse-projected, with a margin.
    t = np.linspace(0, 1, 60)
    edge = np.concatenate(
        [
            np.column_stack([x0 + w * t, np.full_like(t, y0)]),
            np.column_stack([np.full_like(t, x1), y0 + h * t]),
            np.column_stack([x1 - w * t, np.full_like(t, y1)]),
            np.column_stack([np.full_like(t, x0), y1 - h * t]),
        ]
    )
    lon, lat = transformer(proj.proj4, inverse=True).transform(edge[:, 0], edge[:, 1])
    lon, lat = np.asarray(lon), np.asarray(lat)
    ok = np.isfinite(lon) & np.isfinite(lat)
    lon_0 = proj.lon_0
    near = near_lon(lon[ok], lon_0)
    lo, hi = float(near.min()) - 8, float(near.max()) + 8
    south, north = float(lat[ok].min()) - 8, float(lat[ok].max()) + 8
    for pole in (90.0, -90.0):
        p = project(proj, [lon_0], [pole])[0]
        if np.all(np.isfinite(p)) and x0 <= p[0] <= x1 and y0 <= p[1] <= y1:
            lo, hi = lon_0 - 179.9, lon_0 + 179.9
            south, north = (south, 90.0) if pole > 0 else (-90.0, north)
    lo, hi = max(lo, lon_0 - 179.9), min(hi, lon_0 + 179.9)
    if proj.kind == "eqearth":
        # A world map: every longitude, cut at the edge meridian opposite the centre.
        lo, hi = lon_0 - 179.9, lon_0 + 179.9
    # The conic's apex and the azimuthal's antipode are where projections tear: stay clear.
    if proj.kind == "lcc":
        if proj.lat_0 > 0:
            south, north = max(south, -60.0), min(north, 89.5)
        else:
            south, north = max(south, -89.5), min(north, 60.0)
    south, north = max(south, -90.0), min(north, 90.0)

    return lo, hi, south, north


def far_side(proj: Projection) -> Any:
    """The land an azimuthal map must cut away before projecting (a lon/lat polygon): every
    point farther than :data:`AZIMUTHAL_CUT` degrees from its centre, around the antipode where
    the projection tears; ``None`` for other projections."""
    import shapely

    if proj.kind != "aeqd":
        return None
    lon_a = proj.lon_0 + 180.0
    lat_a = -proj.lat_0
    radius = 180.0 - AZIMUTHAL_CUT
    lon, lat = _small_circle(lon_a, lat_a, radius)
    if abs(lat_a) + radius >= 90.0:
        # The cap holds a pole: its edge runs once round the globe; close it along the pole.
        pole = 90.0 if lat_a > 0 else -90.0
        order = np.argsort(lon)
        lon, lat = lon[order], lat[order]
        lon = np.r_[lon, lon[0] + 360.0, lon[0] + 360.0, lon[0]]
        lat = np.r_[lat, lat[0], pole, pole]
    cap = shapely.make_valid(shapely.Polygon(np.column_stack([lon, lat])))
    pieces = [
        shapely.clip_by_rect(
            shapely.transform(cap, lambda c, s=s: c + [s, 0.0]), -180, -90, 180, 90
        )
        for s in (-720.0, -360.0, 0.0, 360.0, 720.0)
    ]
    return shapely.union_all(pieces)


def project_path(proj: Projection, lonlat: NDArray[np.float64]) -> list[NDArray[np.float64]]:
    """A path (lon/lat vertices) projected, in pieces: on a world map a path that crosses the
    edge meridian is cut there, each piece ending on its side of the edge."""
    if proj.kind != "eqearth" or len(lonlat) < 2:
        return [project(proj, lonlat[:, 0], lonlat[:, 1])]
    rel = (lonlat[:, 0] - proj.lon_0 + 180.0) % 360.0 - 180.0
    lat = lonlat[:, 1]
    cuts = np.flatnonzero(np.abs(np.diff(rel)) > 180.0)
    pieces: list[tuple[list[float], list[float]]] = [([], [])]
    last = 0
    for k in cuts:
        # Where segment k -> k + 1 meets the edge, taken the short way across it.
        edge = 180.0 if rel[k] > 0 else -180.0
        b = rel[k + 1] + 2 * edge
        at = float(lat[k] + (edge - rel[k]) / (b - rel[k]) * (lat[k + 1] - lat[k]))
        pieces[-1][0].extend([*rel[last : k + 1], edge * 0.99999])
        pieces[-1][1].extend([*lat[last : k + 1], at])
        pieces.append(([-edge * 0.99999], [at]))
        last = int(k) + 1
    pieces[-1][0].extend(rel[last:])
    pieces[-1][1].extend(lat[last:])
    return [
        project(proj, np.asarray(r) + proj.lon_0, np.asarray(la)) for r, la in pieces if len(r) >= 2
    ]


def _small_circle(lon_c: float, lat_c: float, radius: float) -> tuple[Any, Any]:
    """Points every degree of bearing at ``radius`` degrees from a centre, on the sphere;
    longitudes unwrapped (continuous, possibly beyond +-180)."""
    r = math.radians(radius)
    p0, l0 = math.radians(lat_c), math.radians(lon_c)
    bearing = np.radians(np.arange(0.0, 360.0, 1.0))
    lat = np.arcsin(math.sin(p0) * math.cos(r) + math.cos(p0) * math.sin(r) * np.cos(bearing))
    lon = l0 + np.arctan2(
        np.sin(bearing) * math.sin(r) * math.cos(p0), math.cos(r) - math.sin(p0) * np.sin(lat)
    )
    return np.degrees(np.unwrap(lon)), np.degrees(lat)


def outline(proj: Projection) -> NDArray[np.float64] | None:
    """The projected edge of what a map can show, as a closed ring: the world's outline on an
    Equal Earth map, the circle where land is cut on an azimuthal one; ``None`` for a conic."""
    if proj.kind == "eqearth":
        edge = 179.9999
        lat = np.linspace(-90.0, 90.0, 181)
        lon = np.r_[np.full_like(lat, proj.lon_0 + edge), np.full_like(lat, proj.lon_0 - edge)]
        return project(proj, lon, np.r_[lat, lat[::-1]])
    if proj.kind == "aeqd":
        lon, lat = _small_circle(proj.lon_0, proj.lat_0, AZIMUTHAL_CUT)
        return project(proj, lon, lat)
    return None
