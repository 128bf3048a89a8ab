"""The figure: title, subtitle and footer around an empty map axes, and text measured in points."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from geo.palette import palette
from geo.static.scene import Scene
from geo.static.sizes import Size
from geo.static.theme import FONT, MARGIN_PT

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.backend_bases import RendererBase
    from matplotlib.figure import Figure
    from matplotlib.text import Text
    from numpy.typing import NDArray


__all__ = ["Canvas", "display_pt", "extent_px", "layout_figure", "text_size_pt"]


@dataclass
class Canvas:
    fig: Figure
    ax: Axes
    renderer: RendererBase
    pt_per_px: float
    bold: Any
    colours: Mapping[str, str]
    """The theme's palette (:func:`geo.palette.palette`)."""


def extent_px(artist: Any, renderer: RendererBase) -> NDArray[np.float64]:
    bb = artist.get_window_extent(renderer)
    return np.array([bb.x0, bb.y0, bb.x1, bb.y1], dtype=float)


def _wrap(text: Text, width_px: float, renderer: RendererBase) -> None:
    """Wrap a text at spaces until it fits ``width_px``."""
    words = text.get_text()
    if extent_px(text, renderer)[2] - extent_px(text, renderer)[0] <= width_px:
        return
    for chars in range(len(words) - 1, 8, -2):
        text.set_text("\n".join(textwrap.wrap(words, chars)))
        bb = extent_px(text, renderer)
        if bb[2] - bb[0] <= width_px:
            return


def text_size_pt(c: Canvas, s: str, size: float, weight: Any = "normal") -> tuple[float, float]:
    t = c.fig.text(0, 0, s, fontsize=size, fontweight=weight, parse_math=False)
    bb = extent_px(t, c.renderer)
    t.remove()
    return (bb[2] - bb[0]) * c.pt_per_px, (bb[3] - bb[1]) * c.pt_per_px


def layout_figure(scene: Scene, size: Size, bold: Any) -> Canvas:
    """The figure with its title, subtitle and footer, and an empty map axes between them."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(size.width_px / size.dpi, size.height_px / size.dpi), dpi=size.dpi)
    colours = palette(scene.theme)
    fig.patch.set_facecolor(colours["background"])
    renderer = FigureCanvasAgg(fig).get_renderer()
    px_per_pt = size.dpi / 72.0
    w_px, h_px = size.width_px, size.height_px
    m = MARGIN_PT * px_per_pt

    top = h_px - m
    title = fig.text(
        m / w_px,
        top / h_px,
        scene.title,
        fontsize=FONT["title"],
        fontweight=bold,
        color=colours["text"],
        va="top",
        ha="left",
        parse_math=False,
        linespacing=1.15,
    )
    _wrap(title, w_px - 2 * m, renderer)
    top = extent_px(title, renderer)[1] - 3 * px_per_pt
    if scene.subtitle:
        sub = fig.text(
            m / w_px,
            top / h_px,
            scene.subtitle,
            fontsize=FONT["subtitle"],
            color=colours["muted_text"],
            va="top",
            ha="left",
            parse_math=False,
        )
        _wrap(sub, w_px - 2 * m, renderer)
        top = extent_px(sub, renderer)[1]
    top -= 6 * px_per_pt

    foot = fig.text(
        m / w_px,
        (m * 0.6) / h_px,
        scene.footer,
        fontsize=FONT["footer"],
        color=colours["muted_text"],
        va="bottom",
        ha="left",
        parse_math=False,
    )
    _wrap(foot, w_px - 2 * m, renderer)
    bottom = extent_px(foot, renderer)[3] + 4 * px_per_pt

    ax = fig.add_axes((m / w_px, bottom / h_px, (w_px - 2 * m) / w_px, (top - bottom) / h_px))
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_facecolor(colours["water"])
    for spine in ax.spines.values():
        spine.set_edgecolor(colours["border"])
        spine.set_linewidth(0.6)
    return Canvas(fig, ax, renderer, 1.0 / px_per_pt, bold, colours)


def display_pt(
    c: Canvas, xy: tuple[float, float], offset: tuple[float, float] = (0.0, 0.0)
) -> NDArray[np.float64]:
    """A map point in figure points (from the lower left), moved by ``offset`` points."""
    p = c.ax.transData.transform([xy])[0] * c.pt_per_px
    return np.asarray(p + np.asarray(offset), dtype=float)
