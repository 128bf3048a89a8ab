"""The graticule: faint parallels and meridians, with their labels."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from geo.static.artists import halo
from geo.static.labels import OptionalLabel
from geo.static.layout import Canvas
from geo.static.projection import lonlat_window, project
from geo.static.scene import Scene
from geo.static.theme import FONT

if TYPE_CHECKING:
    from numpy.typing import ArrayLike


__all__ = ["graticule"]


def _xy(p: ArrayLike) -> tuple[float, float]:
    a = np.asarray(p, dtype=float)
    return float(a[0]), float(a[1])


def graticule(
    c: Canvas, scene: Scene, extent: tuple[float, float, float, float]
) -> list[OptionalLabel]:
    """Faint parallels and meridians: against them a reader sees a geodesic climb toward the
    pole and come back. Meridians are labelled on the bottom edge; the parallels' labels, on
    the central meridian, are returned to be placed where they cover nothing."""
    from matplotlib.lines import Line2D

    ax, proj, loc = c.ax, scene.projection, scene.loc
    lo, hi, south, north = lonlat_window(proj, extent)
    span = max(hi - lo, north - south)
    step = next(s for s in (2, 5, 10, 15, 30, 45) if span / s <= 14)
    x0, x1, y0, y1 = extent
    color = "#8fa3b8"
    pt = (x1 - x0) / (ax.get_window_extent(c.renderer).width * c.pt_per_px)

    def label(
        text: str, xy: tuple[float, float], ha: str, va: str, off: tuple[float, float]
    ) -> None:
        ax.annotate(
            text,
            xy=xy,
            xycoords="data",
            textcoords="offset points",
            xytext=off,
            ha=ha,
            va=va,
            fontsize=FONT["footer"],
            color=c.colours["muted_text"],
            zorder=1.6,
            parse_math=False,
            path_effects=halo(1.6, c.colours["halo"]),
        )

    lats = np.arange(math.ceil(south / step) * step, min(north, 89.0) + 1e-9, step)
    optional: list[OptionalLabel] = []
    for lat in lats:
        lon = np.linspace(lo, hi, 240)
        xy = project(proj, lon, np.full_like(lon, lat))
        ax.add_line(Line2D(xy[:, 0], xy[:, 1], color=color, linewidth=0.45, alpha=0.75, zorder=1.5))
        # Labelled on the central meridian, where a conic's parallels are level; failing that a
        # little east or west of it.
        key = "lat_n" if lat >= 0 else "lat_s"
        spots = [proj.lon_0 + k * step / 2 for k in (0, 1, -1, 2, -2)]
        optional.append(
            OptionalLabel(
                loc.t(key, d=f"{abs(lat):g}"),
                [
                    (xy_s, (0.0, 3.5))
                    for lon in spots
                    # Clear of the meridians' labels along the bottom edge.
                    if (xy_s := _xy(project(proj, [lon], [lat])[0]))[1] > y0 + 16 * pt
                ],
                FONT["footer"],
                c.colours["muted_text"],
                "normal",
                1.6,
            )
        )
    first = math.ceil((proj.lon_0 + lo - proj.lon_0) / step) * step
    for lon_v in np.arange(first, hi + 1e-9, step):
        lat = np.linspace(max(south, -89.0), min(north, 89.0), 240)
        xy = project(proj, np.full_like(lat, lon_v), lat)
        ax.add_line(Line2D(xy[:, 0], xy[:, 1], color=color, linewidth=0.45, alpha=0.75, zorder=1.5))
        bottom = np.flatnonzero(np.diff(np.sign(xy[:, 1] - y0)) != 0)
        if len(bottom):
            k = bottom[0]
            f = (y0 - xy[k, 1]) / (xy[k + 1, 1] - xy[k, 1])
            x = xy[k, 0] + f * (xy[k + 1, 0] - xy[k, 0])
            if x0 + 14 * pt < x < x1 - 14 * pt:
                east = (lon_v + 180.0) % 360.0 - 180.0
                key = "lon_e" if east >= 0 else "lon_w"
                if abs(east) in (0.0, 180.0):
                    text = f"{abs(east):g}°"
                else:
                    text = loc.t(key, d=f"{abs(east):g}")
                label(text, (x, y0), "center", "bottom", (0, 2.0))
    return optional
