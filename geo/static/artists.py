"""Small matplotlib pieces: deal symbols, colours, polygon paths, halos, arrows, offsets."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from numpy.typing import NDArray


__all__ = ["arrow", "halo", "mpl_path", "offset_right", "rgba", "symbol_patch"]


def symbol_patch(shape: str, r: float, center: tuple[float, float] = (0.0, 0.0), **kw: Any) -> Any:
    """A deal symbol as a patch of radius ``r``: every shape has the area of a circle of that
    radius, so "area is proportional to value" holds whatever the deal's status."""
    from matplotlib.patches import Circle, RegularPolygon

    if shape == "square":
        return RegularPolygon(
            center, 4, radius=r * math.sqrt(math.pi / 2), orientation=math.pi / 4, **kw
        )
    if shape == "diamond":
        return RegularPolygon(center, 4, radius=r * math.sqrt(math.pi / 2), **kw)
    if shape == "triangle":
        # Centred on its centroid; raised a little so it looks centred on the point.
        big = r * math.sqrt(4 * math.pi / (3 * math.sqrt(3)))
        return RegularPolygon((center[0], center[1] + big * 0.1), 3, radius=big, **kw)
    if shape == "hexagon":
        return RegularPolygon(
            center, 6, radius=r * math.sqrt(2 * math.pi / (3 * math.sqrt(3))), **kw
        )
    return Circle(center, r, **kw)


def rgba(color: str, alpha: float) -> tuple[float, float, float, float]:
    from matplotlib.colors import to_rgba

    return to_rgba(color, alpha)


def mpl_path(geom: Any) -> Any:
    """A matplotlib Path of a (multi)polygon: every ring, holes included."""
    import shapely
    from matplotlib.path import Path as MplPath

    verts: list[NDArray[np.float64]] = []
    codes: list[NDArray[np.uint8]] = []
    polys = shapely.get_parts(geom)
    for poly in polys:
        if poly.geom_type != "Polygon":
            continue
        for ring in [poly.exterior, *poly.interiors]:
            xy = np.asarray(ring.coords)
            if len(xy) < 3:
                continue
            code = np.full(len(xy), MplPath.LINETO, dtype=np.uint8)
            code[0], code[-1] = MplPath.MOVETO, MplPath.CLOSEPOLY
            verts.append(xy)
            codes.append(code)
    if not verts:
        return None
    return MplPath(np.concatenate(verts), np.concatenate(codes))


def halo(width: float = 2.2, colour: str = "white") -> list[Any]:
    """An outline of ``colour`` (the theme's halo) behind a text."""
    from matplotlib import patheffects

    return [patheffects.withStroke(linewidth=width, foreground=colour)]


def offset_right(xy: NDArray[np.float64], d: float) -> NDArray[np.float64]:
    """The polyline moved ``d`` to the right of its direction of travel."""
    tangent = np.gradient(xy, axis=0)
    norm = np.hypot(tangent[:, 0], tangent[:, 1])
    norm[norm == 0] = 1.0
    right = np.column_stack([tangent[:, 1], -tangent[:, 0]]) / norm[:, None]
    return xy + right * d


def arrow(ax: Axes, xy: NDArray[np.float64], color: str, size: float, zorder: float) -> None:
    """A direction arrowhead halfway along a line."""
    from matplotlib.lines import Line2D

    if len(xy) < 2:
        return
    seg = np.hypot(*np.diff(xy, axis=0).T)
    cum = np.r_[0, np.cumsum(seg)]
    half = cum[-1] / 2
    k = int(np.clip(np.searchsorted(cum, half) - 1, 0, len(seg) - 1))
    t = (half - cum[k]) / seg[k] if seg[k] else 0.0
    p = xy[k] + (xy[k + 1] - xy[k]) * t
    angle = math.degrees(math.atan2(xy[k + 1, 1] - xy[k, 1], xy[k + 1, 0] - xy[k, 0]))
    ax.add_line(
        Line2D(
            [p[0]],
            [p[1]],
            marker=(3, 0, round(angle - 90)),
            markersize=size,
            color=color,
            markeredgecolor="white",
            markeredgewidth=0.5,
            linestyle="none",
            zorder=zorder,
        )
    )
