"""The map's extent: every feature with room for labels, and a legend corner that covers nothing."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from geo.static.layout import Canvas
from geo.static.scene import Scene
from geo.static.theme import FONT

if TYPE_CHECKING:
    from numpy.typing import NDArray


__all__ = ["choose_extent", "densify"]


def densify(xy: NDArray[np.float64], step: float) -> NDArray[np.float64]:
    """Points along a polyline every ``step`` (in its own units), vertices included."""
    if len(xy) < 2:
        return xy
    out = [xy[:1]]
    for a, b in zip(xy[:-1], xy[1:], strict=True):
        n = max(1, int(math.ceil(float(np.hypot(*(b - a))) / step)))
        t = np.linspace(0, 1, n + 1)[1:, None]
        out.append(a + (b - a) * t)
    return np.concatenate(out)


_CORNERS = ("lower right", "lower left", "upper right", "upper left")


def choose_extent(
    c: Canvas,
    scene: Scene,
    legend_pt: tuple[float, float],
) -> tuple[tuple[float, float, float, float], str]:
    """The projected extent that shows every feature with room for labels, and the corner the
    legend takes: the one that covers nothing, zooming out toward it if no corner is free."""
    bb = c.ax.get_window_extent(c.renderer)
    w_pt, h_pt = bb.width * c.pt_per_px, bb.height * c.pt_per_px
    pts = [np.array([s.xy for s in scene.stops]).reshape(-1, 2)]
    pts += [np.array([d.xy for d in scene.deals]).reshape(-1, 2)]
    pts += [ln.xy for ln in scene.legs] + [ln.xy for ln in scene.routes]
    allxy = np.concatenate(pts)
    x0, y0 = allxy.min(axis=0)
    x1, y1 = allxy.max(axis=0)
    span = max(x1 - x0, y1 - y0, 300_000.0)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    x0, x1 = min(x0, cx - span * 0.15), max(x1, cx + span * 0.15)
    y0, y1 = min(y0, cy - span * 0.08), max(y1, cy + span * 0.08)
    # Room around the features for labels: about 60 pt sideways, 22 pt up and down.
    mx, my = 62.0, 24.0
    scale = max((x1 - x0) / max(w_pt - 2 * mx, 1), (y1 - y0) / max(h_pt - 2 * my, 1))
    ex = (
        cx - w_pt * scale / 2,
        cx + w_pt * scale / 2,
        cy - h_pt * scale / 2,
        cy + h_pt * scale / 2,
    )

    # What the legend must not cover: stops with room for a label, deal symbols, lines.
    stop_xy = np.array([s.xy for s in scene.stops]).reshape(-1, 2)
    deal_xy = np.array([d.xy for d in scene.deals]).reshape(-1, 2)
    deal_r = np.array([d.radius_pt for d in scene.deals])
    lines = np.concatenate(
        [densify(ln.xy, span / 200) for ln in [*scene.legs, *scene.routes]] or [np.zeros((0, 2))]
    )
    lw, lh = legend_pt
    pad = 0.6 * FONT["legend"] + 2

    def covered(e: tuple[float, float, float, float], corner: str) -> bool:
        sx = w_pt / (e[1] - e[0])
        sy = h_pt / (e[3] - e[2])

        def to_pt(xy: NDArray[np.float64]) -> NDArray[np.float64]:
            return np.column_stack([(xy[:, 0] - e[0]) * sx, (xy[:, 1] - e[2]) * sy])

        bx0 = w_pt - pad - lw if "right" in corner else pad
        by0 = pad if "lower" in corner else h_pt - pad - lh
        box = (bx0 - 4, by0 - 4, bx0 + lw + 4, by0 + lh + 4)

        def hits(p: NDArray[np.float64], rx: Any, ry: Any) -> bool:
            return bool(
                np.any(
                    (p[:, 0] + rx > box[0])
                    & (p[:, 0] - rx < box[2])
                    & (p[:, 1] + ry > box[1])
                    & (p[:, 1] - ry < box[3])
                )
            )

        return (
            hits(to_pt(stop_xy), 45.0, 16.0)
            or hits(to_pt(deal_xy), deal_r + 3, deal_r + 3)
            or hits(to_pt(lines), 2.0, 2.0)
        )

    fx0, fy0 = allxy.min(axis=0)
    fx1, fy1 = allxy.max(axis=0)

    def moved(e: tuple[float, float, float, float], corner: str, t: float) -> Any:
        """The extent panned by ``t`` of its slack so the features move away from ``corner``."""
        s = (e[1] - e[0]) / w_pt
        left, right = fx0 - mx * s - e[0], e[1] - (fx1 + mx * s)
        below, above = fy0 - my * s - e[2], e[3] - (fy1 + my * s)
        dx = t * max(left, 0) if "right" in corner else -t * max(right, 0)
        dy = t * max(below, 0) if "upper" in corner else -t * max(above, 0)
        return (e[0] + dx, e[1] + dx, e[2] + dy, e[3] + dy)

    for k in range(0, 60):
        grow = 1 + 0.04 * k
        for t in (0.0, 0.5, 1.0):
            for corner in _CORNERS:
                gw, gh = (ex[1] - ex[0]) * (grow - 1), (ex[3] - ex[2]) * (grow - 1)
                # Grow toward the legend's corner: the features move away from it.
                e = (
                    ex[0] - (gw if "left" in corner else 0),
                    ex[1] + (gw if "right" in corner else 0),
                    ex[2] - (gh if "lower" in corner else 0),
                    ex[3] + (gh if "upper" in corner else 0),
                )
                e = moved(e, corner, t)
                if not covered(e, corner):
                    return e, corner
    return ex, _CORNERS[0]
