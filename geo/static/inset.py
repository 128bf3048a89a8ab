"""The inset locator of the static map: the region's land with the map's frame marked, in a
corner of the map that holds no stop, deal or legend (the HTML map's ``.geo-inset``)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from geo.static.layout import Canvas, extent_px
from geo.static.projection import lonlat_window
from geo.static.scene import Scene

__all__ = ["CORNERS", "draw_inset"]

CORNERS = ("upper right", "upper left", "lower left", "lower right")
"""The corners tried for the inset, in order; the legend's corner is never one."""
# The inset's width as a share of the map's, and its bounds in points; its pad from the edge.
WIDTH_SHARE = 0.2
WIDTH_PT = (70.0, 130.0)
PAD_PT = 6.0


def _aspect(extent: Sequence[float]) -> float:
    """Height over width of a lon/lat box drawn in Web Mercator, as on the HTML map."""
    west, south, east, north = extent

    def y(lat: float) -> float:
        lat = max(-85.0, min(85.0, lat))
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    return (y(north) - y(south)) / math.radians(east - west)


def _mercator(lat: Any) -> Any:
    lat = np.clip(np.asarray(lat, dtype=float), -85.0, 85.0)
    return np.log(np.tan(np.pi / 4 + np.radians(lat) / 2))


def draw_inset(
    c: Canvas,
    scene: Scene,
    extent: tuple[float, float, float, float],
    legend_corner: str,
    keep_clear: Sequence[Sequence[float]],
) -> tuple[float, float, float, float] | None:
    """Draw the inset in the first corner (:data:`CORNERS`, not the legend's) whose box covers
    none of ``keep_clear`` (boxes in figure points: stops, deals); return its box in figure
    points, or None when it is not wanted (``scene.inset``, :func:`geo.context.inset_wanted`)
    or no corner is free: the inset never covers what the map is about."""
    from matplotlib.patches import Polygon, Rectangle

    from geo.context import inset_outline, inset_wanted

    lo, hi, south, north = lonlat_window(scene.projection, extent)
    bounds = (lo, south, hi, north)
    if not inset_wanted(bounds, scene.inset):
        return None
    shift = round((lo + hi) / 720) * 360
    outline = inset_outline((lo - shift, south, hi - shift, north))
    ax_box = extent_px(c.ax, c.renderer) * c.pt_per_px
    width = min(max((ax_box[2] - ax_box[0]) * WIDTH_SHARE, WIDTH_PT[0]), WIDTH_PT[1])
    height = width * min(max(_aspect(outline.extent), 0.45), 1.1)
    clear = np.asarray(keep_clear, dtype=float).reshape(-1, 4)
    for corner in CORNERS:
        if corner == legend_corner:
            continue
        top, right = corner.startswith("upper"), corner.endswith("right")
        x0 = ax_box[2] - PAD_PT - width if right else ax_box[0] + PAD_PT
        y0 = ax_box[3] - PAD_PT - height if top else ax_box[1] + PAD_PT
        box = (x0, y0, x0 + width, y0 + height)
        hit = (
            (clear[:, 0] < box[2] + 2)
            & (clear[:, 2] > box[0] - 2)
            & (clear[:, 1] < box[3] + 2)
            & (clear[:, 3] > box[1] - 2)
        )
        if not hit.any():
            break
    else:
        return None
    fig_w, fig_h = c.fig.get_size_inches() * 72
    ax = c.fig.add_axes((box[0] / fig_w, box[1] / fig_h, width / fig_w, height / fig_h))
    ax.set_zorder(30)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_facecolor(c.colours["inset_water"])
    for spine in ax.spines.values():
        spine.set_edgecolor(c.colours["border"])
        spine.set_linewidth(0.6)
    west, s, east, n = outline.extent
    ax.set_xlim(west, east)
    ax.set_ylim(float(_mercator(s)), float(_mercator(n)))
    ax.set_autoscale_on(False)
    for ring in outline.rings:
        xy = np.asarray(ring, dtype=float)
        xy = np.column_stack([xy[:, 0], _mercator(xy[:, 1])])
        ax.add_patch(
            Polygon(xy, closed=True, facecolor=c.colours["inset_land"], edgecolor="none", lw=0)
        )
    fw, fs, fe, fn = outline.frame
    # A view smaller than a few points of the inset is still marked, around its centre.
    per_pt_x = (east - west) / width
    per_pt_y = (float(_mercator(n)) - float(_mercator(s))) / height
    y0, y1 = float(_mercator(fs)), float(_mercator(fn))
    w, h = max(fe - fw, 5 * per_pt_x), max(y1 - y0, 5 * per_pt_y)
    cx, cy = (fw + fe) / 2, (y0 + y1) / 2
    ax.add_patch(
        Rectangle(
            (cx - w / 2, cy - h / 2),
            w,
            h,
            facecolor="none",
            edgecolor=c.colours["inset_frame"],
            linewidth=1.1,
        )
    )
    return box
