"""The legend box: one row per legend item, sections balanced over columns."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from geo.static.artists import rgba, symbol_patch
from geo.static.layout import Canvas
from geo.static.scene import LegendItem
from geo.static.theme import FONT, LINE, LINE_PT, RES_ALPHA, RES_EDGE, RES_FILL

if TYPE_CHECKING:
    from matplotlib.offsetbox import AnchoredOffsetbox


__all__ = ["legend_box"]


def _legend_sections(items: list[LegendItem]) -> list[list[LegendItem]]:
    sections: list[list[LegendItem]] = []
    for it in items:
        if it.kind == "head" or not sections:
            sections.append([])
        sections[-1].append(it)
    return sections


def _columns(heights: list[float], count: int) -> list[list[int]]:
    """Sections split into ``count`` columns, each keeping the sections' order, so that the
    tallest column is as short as can be (ties: earlier sections in the first column)."""
    import itertools

    best: tuple[float, list[list[int]]] | None = None
    n = len(heights)
    for assign in itertools.product(range(count), repeat=n):
        cols = [[i for i in range(n) if assign[i] == c] for c in range(count)]
        if any(not col for col in cols) and n >= count:
            continue
        tallest = max(sum(heights[i] for i in col) for col in cols)
        if best is None or tallest < best[0] - 1e-9:
            best = (tallest, cols)
    return best[1] if best else [list(range(n))]


_KEY_W, _KEY_H = 16.0, 8.0


def legend_box(c: Canvas, items: list[LegendItem], columns: int = 2) -> AnchoredOffsetbox:
    """The legend: its sections packed into balanced columns, in a white box above the map."""
    from matplotlib.offsetbox import AnchoredOffsetbox, HPacker, VPacker

    sections = _legend_sections(items)
    heights = [sum(2.0 if it.kind == "note" else 1.0 for it in sec) + 0.6 for sec in sections]
    cols = _columns(heights, min(columns, len(sections)))
    boxes = [
        VPacker(
            children=[_row(c, it) for i in col for it in sections[i]], align="left", pad=0, sep=2.4
        )
        for col in cols
    ]
    pack = HPacker(children=list(boxes), align="top", pad=0, sep=12)
    box = AnchoredOffsetbox(loc="lower right", child=pack, pad=0.55, borderpad=0.7, frameon=True)
    box.patch.set_facecolor(c.colours["panel"])
    box.patch.set_alpha(0.93)
    box.patch.set_edgecolor(c.colours["border"])
    box.patch.set_linewidth(0.5)
    box.patch.set_boxstyle("square,pad=0")
    box.set_zorder(20)
    return box


def _row(c: Canvas, it: LegendItem) -> Any:
    """One legend row: a heading, a note, or a key drawn beside its label."""
    from matplotlib.offsetbox import HPacker, TextArea

    fs = FONT["legend"]
    if it.kind == "head":
        return TextArea(
            it.label,
            textprops={
                "fontsize": FONT["legend_head"],
                "fontweight": c.bold,
                "color": c.colours["text"],
                "parse_math": False,
            },
        )
    if it.kind == "note":
        return TextArea(
            textwrap.fill(it.label, 36),
            textprops={
                "fontsize": fs * 0.92,
                "color": c.colours["muted_text"],
                "parse_math": False,
            },
        )
    da = _key(it, c.colours)
    text = TextArea(
        textwrap.fill(it.label, 26),
        textprops={"fontsize": fs, "color": c.colours["text"], "parse_math": False},
    )
    return HPacker(children=[da, text], align="center", pad=0, sep=3)


def _key(it: LegendItem, colours: Mapping[str, str]) -> Any:
    """The small drawing that stands for a legend item: a marker, a line, a symbol, a fill."""
    from matplotlib.lines import Line2D
    from matplotlib.offsetbox import DrawingArea
    from matplotlib.patches import Circle, Rectangle

    key_w, key_h = _KEY_W, _KEY_H
    da = DrawingArea(key_w, key_h, 0, 0)
    mid = key_h / 2
    if it.kind == "stop":
        da.add_artist(
            Circle(
                (key_w / 2, mid), 3.4, facecolor=colours["stop"], edgecolor="white", linewidth=0.8
            )
        )
    elif it.kind == "line":
        w = LINE_PT * (0.7 if it.dashes else 1.0)
        line = Line2D(
            [1, key_w - 1],
            [mid, mid],
            # The itinerary's ink is the theme's, as on the map.
            color=colours["route"] if it.color == LINE else it.color,
            linewidth=w,
            solid_capstyle="butt",
            dash_capstyle="butt",
        )
        if it.dashes:
            line.set_dashes(it.dashes)
        da.add_artist(line)
    elif it.kind in ("shape", "approx"):
        approx = it.kind == "approx"
        da.add_artist(
            symbol_patch(
                "circle" if approx else it.shape,
                3.4,
                (key_w / 2, mid),
                facecolor=rgba(it.color, 0.3 if approx else 0.85),
                edgecolor=it.color if approx else "white",
                linewidth=0.7,
                linestyle=(0, (1.6, 1.0)) if approx else "-",
            )
        )
    elif it.kind == "width":
        da.add_artist(
            Line2D(
                [1, key_w - 1],
                [mid, mid],
                color=it.color,
                linewidth=it.width,
                solid_capstyle="butt",
            )
        )
    elif it.kind == "badge":
        da.add_artist(
            Rectangle(
                (key_w / 2 - 3, mid - 3),
                6,
                6,
                facecolor=it.color,
                edgecolor="white",
                linewidth=0.6,
            )
        )
    elif it.kind == "fill":
        da.add_artist(
            Rectangle(
                (1.5, mid - 3.5),
                key_w - 3,
                7,
                facecolor=rgba(RES_FILL, RES_ALPHA + 0.15),
                edgecolor=RES_EDGE,
                linewidth=0.6,
            )
        )
    return da
