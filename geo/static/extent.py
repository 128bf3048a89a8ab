"""The map's extent: every feature with room for labels, and a legend corner that covers nothing."""

from __future__ import annotations

import math
from dataclasses import dataclass
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


Extent = tuple[float, float, float, float]  # x0, x1, y0, y1 in projected metres

# Room around the features for labels: about 60 pt sideways, 22 pt up and down.
_ROOM_X, _ROOM_Y = 62.0, 24.0


@dataclass(frozen=True)
class _Frame:
    """The map axes' size in points, and what the legend must not cover."""

    w_pt: float
    h_pt: float
    features: NDArray[np.float64]  # every stop, deal and line vertex
    stop_xy: NDArray[np.float64]
    deal_xy: NDArray[np.float64]
    deal_r: NDArray[np.float64]
    lines: NDArray[np.float64]
    legend_pt: tuple[float, float]


def choose_extent(c: Canvas, scene: Scene, legend_pt: tuple[float, float]) -> tuple[Extent, str]:
    """The projected extent that shows every feature with room for labels, and the corner the
    legend takes: the one that covers nothing, zooming out toward it if no corner is free."""
    bb = c.ax.get_window_extent(c.renderer)
    w_pt, h_pt = bb.width * c.pt_per_px, bb.height * c.pt_per_px
    pts = [np.array([s.xy for s in scene.stops]).reshape(-1, 2)]
    pts += [np.array([d.xy for d in scene.deals]).reshape(-1, 2)]
    pts += [ln.xy for ln in scene.legs] + [ln.xy for ln in scene.routes]
    allxy = np.concatenate(pts)
    ex, span = _fit(allxy, w_pt, h_pt)
    frame = _Frame(
        w_pt,
        h_pt,
        allxy,
        np.array([s.xy for s in scene.stops]).reshape(-1, 2),
        np.array([d.xy for d in scene.deals]).reshape(-1, 2),
        np.array([d.radius_pt for d in scene.deals]),
        np.concatenate(
            [densify(ln.xy, span / 200) for ln in [*scene.legs, *scene.routes]]
            or [np.zeros((0, 2))]
        ),
        legend_pt,
    )
    for k in range(0, 60):
        grow = 1 + 0.04 * k
        for t in (0.0, 0.5, 1.0):
            for corner in _CORNERS:
                e = _moved(frame, _grown(ex, corner, grow), corner, t)
                if not _covered(frame, e, corner):
                    return e, corner
    return ex, _CORNERS[0]


def _fit(allxy: NDArray[np.float64], w_pt: float, h_pt: float) -> tuple[Extent, float]:
    """The smallest extent of the axes' shape around the features with room for labels (a
    minimum size keeps a one-city trip from filling the map), and the features' span."""
    x0, y0 = allxy.min(axis=0)
    x1, y1 = allxy.max(axis=0)
    span = max(x1 - x0, y1 - y0, 300_000.0)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    x0, x1 = min(x0, cx - span * 0.15), max(x1, cx + span * 0.15)
    y0, y1 = min(y0, cy - span * 0.08), max(y1, cy + span * 0.08)
    mx, my = _ROOM_X, _ROOM_Y
    scale = max((x1 - x0) / max(w_pt - 2 * mx, 1), (y1 - y0) / max(h_pt - 2 * my, 1))
    ex = (
        cx - w_pt * scale / 2,
        cx + w_pt * scale / 2,
        cy - h_pt * scale / 2,
        cy + h_pt * scale / 2,
    )
    return ex, span


def _grown(ex: Extent, corner: str, grow: float) -> Extent:
    """The extent grown by ``grow`` toward the legend's corner: the features move away."""
    gw, gh = (ex[1] - ex[0]) * (grow - 1), (ex[3] - ex[2]) * (grow - 1)
    return (
        ex[0] - (gw if "left" in corner else 0),
        ex[1] + (gw if "right" in corner else 0),
        ex[2] - (gh if "lower" in corner else 0),
        ex[3] + (gh if "upper" in corner else 0),
    )


def _moved(f: _Frame, e: Extent, corner: str, t: float) -> Any:
    """The extent panned by ``t`` of its slack so the features move away from ``corner``."""
    fx0, fy0 = f.features.min(axis=0)
    fx1, fy1 = f.features.max(axis=0)
    mx, my = _ROOM_X, _ROOM_Y
    s = (e[1] - e[0]) / f.w_pt
    left, right = fx0 - mx * s - e[0], e[1] - (fx1 + mx * s)
    below, above = fy0 - my * s - e[2], e[3] - (fy1 + my * s)
    dx = t * max(left, 0) if "right" in corner else -t * max(right, 0)
    dy = t * max(below, 0) if "upper" in corner else -t * max(above, 0)
    return (e[0] + dx, e[1] + dx, e[2] + dy, e[3] + dy)


def _covered(f: _Frame, e: Extent, corner: str) -> bool:
    """Whether the legend in ``corner`` of extent ``e`` covers a stop with room for its label,
    a deal symbol or a line."""
    sx = f.w_pt / (e[1] - e[0])
    sy = f.h_pt / (e[3] - e[2])

    def to_pt(xy: NDArray[np.float64]) -> NDArray[np.float64]:
        return np.column_stack([(xy[:, 0] - e[0]) * sx, (xy[:, 1] - e[2]) * sy])

    lw, lh = f.legend_pt
    pad = 0.6 * FONT["legend"] + 2
    bx0 = f.w_pt - pad - lw if "right" in corner else pad
    by0 = pad if "lower" in corner else f.h_pt - pad - lh
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
        hits(to_pt(f.stop_xy), 45.0, 16.0)
        or hits(to_pt(f.deal_xy), f.deal_r + 3, f.deal_r + 3)
        or hits(to_pt(f.lines), 2.0, 2.0)
    )
