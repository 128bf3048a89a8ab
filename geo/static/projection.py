"""The projection of a static map: its choice from the trip's points, and (inverse) projecting."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np

from geo import i18n
from geo.errors import GeoError
from geo.geodesy import near_lon

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray


__all__ = ["Projection", "choose_projection", "lonlat_window", "project", "transformer"]


@dataclass(frozen=True)
class Projection:
    """A map projection centred on a trip, as a PROJ string, and its kind."""

    proj4: str
    kind: str  # "lcc" or "aeqd"
    lon_0: float
    lat_0: float

    def name(self, lang: str) -> str:
        """The projection's name for the map's credits."""
        return i18n.t(f"proj_{self.kind}", lang)


def choose_projection(lon: ArrayLike, lat: ArrayLike) -> Projection:
    """The projection for a map of these points (degrees, WGS84).

    A Lambert conformal conic when every point lies between 15 and 80 degrees of latitude on one
    side of the equator and within 160 degrees of longitude; an azimuthal equidistant centred on
    the points otherwise. Both are centred on the middle of the points' longitudes (taken the
    short way round the antimeridian).
    """
    lon_a = np.asarray(lon, dtype=float).ravel()
    lat_a = np.asarray(lat, dtype=float).ravel()
    if len(lon_a) == 0:
        raise GeoError("nothing to map: the trip has no located stops")
    ref = float(lon_a[0])
    near = near_lon(lon_a, ref)
    lon_0 = float(near_lon(np.array([(near.min() + near.max()) / 2]), 0.0)[0])
    lon_span = float(near.max() - near.min())
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
    return Projection(
        f"+proj=aeqd +lat_0={lat_0:.4f} +lon_0={lon_0:.4f} +datum=WGS84 +units=m +no_defs",
        "aeqd",
        lon_0,
        lat_0,
    )


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
    # The conic's apex and the azimuthal's antipode are where projections tear: stay clear.
    if proj.kind == "lcc":
        if proj.lat_0 > 0:
            south, north = max(south, -60.0), min(north, 89.5)
        else:
            south, north = max(south, -89.5), min(north, 60.0)
    south, north = max(south, -90.0), min(north, 90.0)

    return lo, hi, south, north
