"""Drawing a scene: basemap, graticule, resources, routes, legs, deals, stops and labels."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from geo.static.artists import arrow, halo, mpl_path, offset_right, rgba, symbol_patch
from geo.static.countries import clip_countries, country_labels
from geo.static.extent import choose_extent, densify
from geo.static.graticule import graticule
from geo.static.inset import draw_inset
from geo.static.labels import DIAGONAL, DIRECTIONS, OptionalLabel, overlap, place_labels
from geo.static.layout import Canvas, display_pt, extent_px, layout_figure, text_size_pt
from geo.static.legend import legend_box
from geo.static.projection import outline
from geo.static.scene import Deal, Scene
from geo.static.sizes import Size
from geo.static.theme import (
    FONT,
    LINE,
    LINE_PT,
    RES_ALPHA,
    RES_EDGE,
    RES_FILL,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from numpy.typing import NDArray


__all__ = ["draw", "place_optional"]


# Stop markers and deal symbols as boxes (x0, y0, x1, y1) in figure points, with what labels
# need around them.
@dataclass
class _Marks:
    """What the labels must keep clear of: marker and symbol boxes, and each label's anchor."""

    obstacles: list[Any] = field(default_factory=list)
    owners: list[int] = field(default_factory=list)
    clearances: list[tuple[float, float]] = field(default_factory=list)
    diagonals: list[float] = field(default_factory=list)
    anchors: list[NDArray[np.float64]] = field(default_factory=list)


def draw(scene: Scene, size: Size, bold: Any) -> Figure:
    """The scene drawn on a new figure: frame, basemap, lines, symbols, stops, then labels."""
    c = layout_figure(scene, size, bold)
    legend, extent, corner = _frame(c, scene)
    countries = clip_countries(scene, extent)
    _draw_land(c, scene, countries)
    graticule_labels = graticule(c, scene, extent)
    _draw_resources(c, scene, countries)
    _draw_routes(c, scene, extent)
    _draw_legs(c, scene)
    _draw_deals(c, scene)
    marks = _draw_stops(c, scene)
    valued = _deal_marks(c, scene, marks)
    inset = draw_inset(c, scene, extent, corner, marks.obstacles)
    marks.obstacles.append(extent_px(legend, c.renderer) * c.pt_per_px)
    marks.owners.append(-1)
    if inset is not None:
        marks.obstacles.append(np.asarray(inset, dtype=float))
        marks.owners.append(-1)
    bounds = _bounds(c)
    lines = _line_points(c, scene)
    boxes = _label_stops_and_values(c, scene, valued, marks, bounds, lines)
    named = country_labels(c, scene, countries)
    own = [lab for lab in named if lab.weight != "normal"]
    others = [lab for lab in named if lab.weight == "normal"]
    # The ranks after stops and deals (geo.context.RANKS): partner countries, water, other
    # countries, capitals; the graticule's degrees last.
    water = water_labels(c, scene, extent)
    optional = own + water + others + capital_labels(c, scene, extent) + graticule_labels
    place_optional(c, optional, np.asarray([*marks.obstacles, *boxes]), bounds, lines)
    return c.fig


def water_labels(
    c: Canvas, scene: Scene, extent: tuple[float, float, float, float]
) -> list[OptionalLabel]:
    """Names of the seas, gulfs and lakes in view, in italic blue (geo.context)."""
    from geo.context import context_labels
    from geo.static.projection import lonlat_window, project

    lo, hi, south, north = lonlat_window(scene.projection, extent)
    out = []
    h = FONT["country"] * 1.2
    for lab in context_labels((lo, south, hi, north), scene.loc, scene.names, context="none"):
        # Its point, a line up or down, then its other places, as on the HTML map.
        points = project(scene.projection, *zip(*[(lab.lon, lab.lat), *lab.alts], strict=True))
        spots = [
            ((float(x), float(y)), (0.0, dy))
            for k, (x, y) in enumerate(points)
            if np.isfinite(x) and np.isfinite(y)
            for dy in ((0.0, -h - 4, h + 4) if k == 0 else (0.0,))
        ]
        if not spots:
            continue
        out.append(
            OptionalLabel(
                lab.text,
                spots,
                FONT["country"],
                c.colours["water_text"],
                "normal",
                2.4,
                "italic",
            )
        )
    return out


def capital_labels(
    c: Canvas, scene: Scene, extent: tuple[float, float, float, float]
) -> list[OptionalLabel]:
    """Capitals in view (``scene.context == "capitals"``): a small dot with the name beside it,
    right, left, above or below, both left out where the name has no room (geo.context). As on
    the HTML map, a capital with no name in the map's language is left out."""
    from geo.context import context_labels
    from geo.static.projection import lonlat_window, project

    if scene.context != "capitals":
        return []
    lo, hi, south, north = lonlat_window(scene.projection, extent)
    out = []
    for lab in context_labels((lo, south, hi, north), scene.loc, scene.names, "capitals"):
        if lab.rank != "capital" or not lab.native:
            continue
        xy = project(scene.projection, [lab.lon], [lab.lat])[0]
        if not np.all(np.isfinite(xy)):
            continue
        sides = [(1.0, 0.0), (-1.0, 0.0), (0.0, 1.0), (0.0, -1.0)]
        out.append(
            OptionalLabel(
                lab.text,
                [((float(xy[0]), float(xy[1])), side) for side in sides],
                FONT["country"] * 0.95,
                c.colours["capital_text"],
                "normal",
                1.7,
                dot=True,
            )
        )
    return out


def _frame(c: Canvas, scene: Scene) -> tuple[Any, tuple[float, float, float, float], str]:
    """Add the legend, choose the extent and the legend's corner, and fix the axes' limits."""
    ax = c.ax
    legend = legend_box(c, scene.legend)
    ax.add_artist(legend)
    lb = extent_px(legend, c.renderer)
    legend_pt = ((lb[2] - lb[0]) * c.pt_per_px, (lb[3] - lb[1]) * c.pt_per_px)
    extent, corner = choose_extent(c, scene, legend_pt)
    legend.loc = {"lower right": 4, "lower left": 3, "upper right": 1, "upper left": 2}[corner]
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])
    ax.set_autoscale_on(False)
    return legend, extent, corner


def _draw_land(c: Canvas, scene: Scene, countries: list[Any]) -> None:
    """Basemap: the sea inside the projection's outline, land, the stops' countries lightly,
    resource partners."""
    from matplotlib.collections import PathCollection
    from matplotlib.patches import Polygon

    edge = outline(scene.projection)
    if edge is not None:
        # Beyond the outline there is nothing to show: paper, not sea.
        c.ax.set_facecolor(c.colours["background"])
        c.ax.add_patch(
            Polygon(
                edge,
                closed=True,
                facecolor=c.colours["water"],
                edgecolor=c.colours["border"],
                linewidth=0.6,
                zorder=0.5,
            )
        )

    paths, faces = [], []
    for iso, _, g, _, _ in countries:
        p = mpl_path(g)
        if p is None:
            continue
        paths.append(p)
        kind = "partner" if iso in scene.partners else "home" if iso in scene.home else "land"
        faces.append(c.colours[kind])
    c.ax.add_collection(
        PathCollection(
            paths, facecolors=faces, edgecolors=c.colours["border"], linewidths=0.35, zorder=1
        )
    )


def _draw_resources(c: Canvas, scene: Scene, countries: list[Any]) -> None:
    """The resource overlay on partner countries, and one small square per commodity group
    under each partner's name, as in the legend."""
    from matplotlib.collections import PathCollection
    from matplotlib.lines import Line2D
    from matplotlib.transforms import ScaledTranslation

    ax = c.ax
    res = [mpl_path(g) for iso, _, g, _, _ in countries if iso in scene.partners]
    res = [p for p in res if p is not None]
    if res:
        ax.add_collection(
            PathCollection(
                res,
                facecolors=rgba(RES_FILL, RES_ALPHA),
                edgecolors=RES_EDGE,
                linewidths=0.7,
                zorder=2,
            )
        )
    # One small square per commodity group under each partner's name, as in the legend.
    for iso, _, _, label_xy, _ in countries:
        colors = scene.badges.get(iso, ())
        if label_xy is None or not colors:
            continue
        for k, color in enumerate(colors):
            dx = (k - (len(colors) - 1) / 2) * 6.5
            shift = ScaledTranslation(dx / 72, -9 / 72, c.fig.dpi_scale_trans)
            ax.add_line(
                Line2D(
                    [label_xy[0]],
                    [label_xy[1]],
                    marker="s",
                    markersize=5,
                    markerfacecolor=color,
                    markeredgecolor="white",
                    markeredgewidth=0.6,
                    linestyle="none",
                    transform=ax.transData + shift,
                    zorder=2.5,
                )
            )


def _draw_routes(c: Canvas, scene: Scene, extent: tuple[float, float, float, float]) -> None:
    """Trade routes over the itinerary, thinner and dashed, so a route that shares a leg's
    corridor still shows; twins in opposite directions are drawn side by side."""
    from matplotlib.lines import Line2D

    ax = c.ax
    pt = (extent[1] - extent[0]) / (ax.get_window_extent(c.renderer).width * c.pt_per_px)
    for r in scene.routes:
        xy = r.xy
        if r.twin:
            xy = offset_right(xy, 2.4 * pt)
        line = Line2D(
            xy[:, 0],
            xy[:, 1],
            color=r.color,
            linewidth=r.width_pt,
            zorder=4.5,
            solid_capstyle="butt",
            dash_capstyle="butt",
        )
        if r.dashes:
            line.set_dashes(r.dashes)
        ax.add_line(line)
        arrow(ax, xy, r.color, 4.2, zorder=4.6)


def _draw_legs(c: Canvas, scene: Scene) -> None:
    """The itinerary's legs: a white casing, the line in its mode's dashes, an arrowhead."""
    from matplotlib.lines import Line2D

    ax = c.ax
    for leg in scene.legs:
        w = LINE_PT
        # The itinerary's ink is the theme's (light on a dark map); other colours are kept.
        colour = c.colours["route"] if leg.color == LINE else leg.color
        ax.add_line(
            Line2D(
                leg.xy[:, 0],
                leg.xy[:, 1],
                color=c.colours["halo"],
                linewidth=w + 1.6,
                solid_capstyle="round",
                zorder=4,
            )
        )
        drawn = Line2D(
            leg.xy[:, 0],
            leg.xy[:, 1],
            color=colour,
            linewidth=w,
            solid_capstyle="round",
            zorder=4.1,
        )
        if leg.dashes:
            drawn.set_dashes(leg.dashes)
        ax.add_line(drawn)
        arrow(ax, leg.xy, colour, 5.0, zorder=4.2)


def _draw_deals(c: Canvas, scene: Scene) -> None:
    """Deals: area by value, colour and shape by status; approximate sites faint and dashed."""
    from matplotlib.transforms import Affine2D, ScaledTranslation

    ax, fig = c.ax, c.fig
    points = Affine2D().scale(1 / 72) + fig.dpi_scale_trans
    for d in scene.deals:
        ax.add_patch(
            symbol_patch(
                d.shape,
                d.radius_pt,
                d.offset_pt,
                # The stubs want an affine transform; any transform of a point works.
                transform=points + ScaledTranslation(d.xy[0], d.xy[1], ax.transData),  # type: ignore[arg-type]
                facecolor=rgba(d.color, 0.45 if d.approx else 0.85),
                edgecolor=d.color if d.approx else "white",
                linewidth=0.8 if d.approx else 0.6,
                linestyle=(0, (3.0, 2.0)) if d.approx else "-",
                zorder=5,
            )
        )


def _draw_stops(c: Canvas, scene: Scene) -> _Marks:
    """Numbered stop markers; returns their boxes and the room their labels keep clear."""
    ax = c.ax
    marks = _Marks()
    obstacles, owners, clearances = marks.obstacles, marks.owners, marks.clearances
    diagonals, anchors = marks.diagonals, marks.anchors
    pad = 0.32
    for i, s in enumerate(scene.stops):
        marker = ax.text(
            s.xy[0],
            s.xy[1],
            s.numbers,
            fontsize=FONT["marker"],
            fontweight=c.bold,
            color=c.colours["stop_text"],
            ha="center",
            va="center_baseline",
            zorder=7,
            parse_math=False,
            bbox={
                "boxstyle": f"circle,pad={pad}" if len(s.numbers) < 3 else f"round,pad={pad}",
                "facecolor": c.colours["stop"],
                "edgecolor": "white",
                "linewidth": 0.9,
            },
        )
        # The bbox patch is sized at draw time; work its extent out from the text's.
        e = extent_px(marker, c.renderer) * c.pt_per_px
        # The patch is the text's box plus the pad, plus half its white edge.
        hw = (e[2] - e[0]) / 2 + pad * FONT["marker"] + 0.5
        hh = (e[3] - e[1]) / 2 + pad * FONT["marker"] + 0.5
        if len(s.numbers) < 3:
            hw = hh = max(hw, hh)
        centre = display_pt(c, s.xy)
        obstacles.append((centre[0] - hw, centre[1] - hh, centre[0] + hw, centre[1] + hh))
        owners.append(i)
        clearances.append((hw + 2.0, hh + 1.0))
        diagonals.append(DIAGONAL if len(s.numbers) < 3 else 1.0)
        anchors.append(centre)
    return marks


def _deal_marks(c: Canvas, scene: Scene, marks: _Marks) -> list[Deal]:
    """Deal symbols as obstacles; deals with a value become labels too (returned)."""
    obstacles, owners, clearances = marks.obstacles, marks.owners, marks.clearances
    diagonals, anchors = marks.diagonals, marks.anchors
    n_stops = len(anchors)
    valued = [d for d in scene.deals if d.value]
    for d in scene.deals:
        p, rad = display_pt(c, d.xy, d.offset_pt), d.radius_pt
        obstacles.append((p[0] - rad, p[1] - rad, p[0] + rad, p[1] + rad))
        owners.append(n_stops + valued.index(d) if d in valued else -1)
    for d in valued:
        anchors.append(display_pt(c, d.xy, d.offset_pt))
        clearances.append((d.radius_pt + 1.5, d.radius_pt + 1.0))
        diagonals.append(DIAGONAL)
    return valued


def _bounds(c: Canvas) -> tuple[float, float, float, float]:
    """The map axes in figure points, less a small margin: where labels must stay."""
    ax = c.ax
    axb = ax.get_window_extent(c.renderer)
    bounds = (
        axb.x0 * c.pt_per_px + 2,
        axb.y0 * c.pt_per_px + 2,
        axb.x1 * c.pt_per_px - 2,
        axb.y1 * c.pt_per_px - 2,
    )
    return bounds


def _line_points(c: Canvas, scene: Scene) -> NDArray[np.float64]:
    """Points every figure point along the legs and routes, which labels avoid covering."""
    ax = c.ax
    line_pts = [
        densify(np.asarray(ax.transData.transform(ln.xy)) * c.pt_per_px, 1.0)
        for ln in [*scene.legs, *scene.routes]
    ]
    lines = np.concatenate(line_pts) if line_pts else np.zeros((0, 2))

    return lines


def _label_stops_and_values(
    c: Canvas,
    scene: Scene,
    valued: list[Deal],
    marks: _Marks,
    bounds: tuple[float, float, float, float],
    lines: NDArray[np.float64],
) -> NDArray[np.float64]:
    """Stop names with their dates, and deal values, placed clear of each other and drawn;
    returns the label boxes (figure points)."""
    anchors, n_stops = marks.anchors, len(scene.stops)
    sizes, gap = _label_sizes(c, labels := _label_lines(c, scene, valued))
    choice, boxes = place_labels(
        np.asarray(anchors),
        sizes,
        marks.clearances,
        marks.obstacles,
        marks.owners,
        bounds,
        lines,
        line_step=1.0,
        diagonals=marks.diagonals,
    )
    xys = [s.xy for s in scene.stops] + [d.xy for d in valued]
    offsets = [(0.0, 0.0)] * n_stops + [d.offset_pt for d in valued]
    obstacle_a = np.asarray(marks.obstacles, dtype=float)
    owner_a = np.asarray(marks.owners)
    for i, lines_of in enumerate(labels):
        if i >= n_stops:
            # A value label is a bonus: left out where it would cover anything.
            others = np.delete(boxes, i, axis=0)
            blocks = np.concatenate([others, obstacle_a[owner_a != i]])
            if np.any(overlap(boxes[i : i + 1], blocks) > 0.5):
                continue
        _, dx, _ = DIRECTIONS[choice[i]]
        _draw_label(c, lines_of, xys[i], boxes[i], dx, (anchors[i], offsets[i]), gap)
    return boxes


# A label is lines of (text, size, weight, colour), stacked.
_LabelLines = list[tuple[str, float, Any, str]]


def _label_lines(c: Canvas, scene: Scene, valued: list[Deal]) -> list[_LabelLines]:
    """Each stop's name and dates, then each valued deal's amount, as lines of text."""
    labels: list[_LabelLines] = [
        [(s.name, FONT["stop"], c.bold, c.colours["text"])]
        + ([(s.dates, FONT["dates"], "normal", c.colours["muted_text"])] if s.dates else [])
        for s in scene.stops
    ]
    labels += [[(d.value, FONT["dates"], "normal", c.colours["muted_text"])] for d in valued]
    return labels


def _label_sizes(c: Canvas, labels: list[_LabelLines]) -> tuple[list[tuple[float, float]], float]:
    """Each label's width and height in points as rendered, and the gap between its lines."""
    sizes = []
    gap = 0.8
    for lines_of in labels:
        dims = [text_size_pt(c, t, fs, w) for t, fs, w, _ in lines_of]
        sizes.append((max(w for w, _ in dims), sum(h for _, h in dims) + gap * (len(dims) - 1)))
    return sizes, gap


def _draw_label(
    c: Canvas,
    lines_of: _LabelLines,
    xy: tuple[float, float],
    box: NDArray[np.float64],
    dx: int,
    where: tuple[Any, tuple[float, float]],
    gap: float,
) -> None:
    """One label's lines, stacked from the top of its box, aligned on the side facing its
    point; ``where`` is the point's anchor in figure points and its symbol's offset."""
    anchor, offset = where
    ha = "left" if dx > 0 else "right" if dx < 0 else "center"
    x0, y0, x1, y1 = box
    x = x0 if dx > 0 else x1 if dx < 0 else (x0 + x1) / 2
    top = y1
    for text, fsize, weight, color in lines_of:
        c.ax.annotate(
            text,
            xy=xy,
            xycoords="data",
            textcoords="offset points",
            xytext=(x - anchor[0] + offset[0], top - anchor[1] + offset[1]),
            ha=ha,
            va="top",
            fontsize=fsize,
            fontweight=weight,
            color=color,
            zorder=8,
            annotation_clip=False,
            parse_math=False,
            path_effects=halo(2.2, c.colours["halo"]),
        )
        top -= text_size_pt(c, text, fsize, weight)[1] + gap


def place_optional(
    c: Canvas,
    labels: list[OptionalLabel],
    taken: NDArray[np.float64],
    bounds: tuple[float, float, float, float],
    lines: NDArray[np.float64],
) -> None:
    """Draw each label at its first spot that is inside the map and covers nothing drawn so far
    (stops, labels, symbols, the legend, earlier optional labels, the itinerary and routes);
    leave it out otherwise."""
    placed = [np.asarray(b, dtype=float) for b in taken]
    for lab in labels:
        w, h = text_size_pt(c, lab.text, lab.size, lab.weight)
        for xy, spot in lab.spots:
            off = (spot[0] * (w / 2 + 4), spot[1] * (h / 2 + 3)) if lab.dot else spot
            p = display_pt(c, xy, off)
            box = np.array([p[0] - w / 2 - 2, p[1] - h / 2 - 1, p[0] + w / 2 + 2, p[1] + h / 2 + 1])
            inside = (
                box[0] >= bounds[0]
                and box[1] >= bounds[1]
                and box[2] <= bounds[2]
                and box[3] <= bounds[3]
            )
            on_line = np.any(
                (lines[:, 0] > box[0])
                & (lines[:, 0] < box[2])
                & (lines[:, 1] > box[1])
                & (lines[:, 1] < box[3])
            )
            boxes = [box]
            if lab.dot:
                d = display_pt(c, xy)
                boxes.append(np.array([d[0] - 2.5, d[1] - 2.5, d[0] + 2.5, d[1] + 2.5]))
            free = not np.any(overlap(np.asarray(boxes), np.asarray(placed)))
            if inside and not on_line and free:
                if lab.dot:
                    c.ax.plot(
                        [xy[0]],
                        [xy[1]],
                        marker="o",
                        markersize=3.4,
                        markerfacecolor=c.colours["capital"],
                        markeredgecolor=c.colours["halo"],
                        markeredgewidth=0.6,
                        linestyle="none",
                        zorder=lab.zorder,
                    )
                    placed.append(boxes[1])
                c.ax.annotate(
                    lab.text,
                    xy=xy,
                    xycoords="data",
                    textcoords="offset points",
                    xytext=off,
                    ha="center",
                    va="center",
                    fontsize=lab.size,
                    color=lab.color,
                    fontweight=lab.weight,
                    fontstyle=lab.style,
                    zorder=lab.zorder,
                    parse_math=False,
                    path_effects=halo(1.6, c.colours["halo"]) if lab.zorder < 2 else None,
                )
                placed.append(box)
                break
