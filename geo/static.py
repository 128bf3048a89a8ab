"""Static maps for print and social media: PNG, SVG and PDF, drawn with matplotlib.

The map is drawn on a projection centred on the trip, never Web Mercator: a Lambert conformal
conic with standard parallels at one sixth and five sixths of the trip's latitude range for a trip
in the mid-latitudes of one hemisphere, an azimuthal equidistant projection centred on the trip
otherwise (across the equator, near a pole, or wider than 160 degrees of longitude). Legs are the
densified geodesics of :attr:`geo.trip.Trip.leg_paths`, projected vertex by vertex (a geodesic
is a curve on both projections, if a gentle one on the conic), over a faint graticule that shows
how far north a long leg climbs.

Colours, shapes and dashes come from :mod:`geo.style`, words and dates from :mod:`geo.i18n`, so
an image matches the HTML map. Korean is set in NanumGothic, which the ``koreanize-matplotlib``
package ships (the package is never imported: its import changes matplotlib's global settings;
the font files are registered by path). Without it, a system "Noto Sans CJK KR" is used.

Output is deterministic: the same trip and size give byte-identical SVG, PDF and PNG files
(no timestamps, a fixed SVG id salt). matplotlib is imported only when a map is drawn, its global
settings are changed only inside a context, and pyplot is never used.

>>> from geo.static import render_static
>>> render_static(trip, "map.png", size="social", lang="ko")  # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import logging
import math
import re
import textwrap
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, cast

import numpy as np

from geo import i18n, style
from geo.errors import ExportError, GeoError
from geo.geodesy import near_lon

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.backend_bases import RendererBase
    from matplotlib.figure import Figure
    from matplotlib.offsetbox import AnchoredOffsetbox
    from matplotlib.text import Text
    from numpy.typing import ArrayLike, NDArray

    from geo.trip import Trip

__all__ = [
    "DIRECTIONS",
    "FORMATS",
    "PRESETS",
    "Projection",
    "Size",
    "candidate_boxes",
    "choose_projection",
    "parse_size",
    "place_labels",
    "render_bytes",
    "render_static",
]


class Size(NamedTuple):
    """An image size: pixels, and the resolution that sets how big a point of text is."""

    width_px: int
    height_px: int
    dpi: float


# The short side of a map is 4.5 inches at the chosen dpi, so text keeps its share of the image
# at every pixel size; the print preset is a true 150 x 100 mm at 300 dpi.
_SHORT_SIDE_IN = 4.5
PRESETS: dict[str, Size] = {
    "social": Size(1200, 675, 150.0),
    "print": Size(round(150 / 25.4 * 300), round(100 / 25.4 * 300), 300.0),
}
MIN_PX, MAX_PX = 300, 10000
FORMATS = ("png", "svg", "pdf")

# How text is set, in points; the figure's short side is about 4.5 inches.
_FONT = {
    "title": 12.5,
    "subtitle": 8.5,
    "stop": 8.0,
    "dates": 6.5,
    "marker": 6.5,
    "legend": 6.3,
    "legend_head": 6.8,
    "country": 6.3,
    "footer": 5.6,
}
_INK = "#1f2937"
# The style tables mix strings and numbers; typed once here.
_LINE = str(style.ITINERARY["line"])
_LINE_PT = float(cast(float, style.ITINERARY["weight"])) * 0.75  # CSS pixels to points
_STOP = str(style.ITINERARY["stop"])
_STOP_TEXT = str(style.ITINERARY["stop_text"])
_RES_FILL = str(style.RESOURCE_FILL["fill"])
_RES_ALPHA = float(cast(float, style.RESOURCE_FILL["opacity"]))
_RES_EDGE = str(style.RESOURCE_FILL["edge"])
_MUTED = "#5b6270"
_MARGIN_PT = 12.0
_PX_TO_PT = 0.75  # style sizes are CSS pixels (96 per inch); a point is 1/72 inch


# --- sizes -------------------------------------------------------------------------------------


def parse_size(text: str) -> Size:
    """Read an image size: ``social``, ``print`` or ``WIDTHxHEIGHT`` in pixels.

    Parameters
    ----------
    text
        ``"social"`` (1200 x 675 px), ``"print"`` (150 x 100 mm at 300 dpi, 1772 x 1181 px) or
        pixels such as ``"800x600"`` (``X`` and ``×`` work too), each side 300 to 10,000 px.

    Returns
    -------
    Size
        ``(width_px, height_px, dpi)``. For pixel sizes the dpi makes the short side 4.5
        inches, so text takes the same share of the image at any size.

    Raises
    ------
    ExportError
        For anything else, saying what is accepted.
    """
    key = text.strip().lower()
    if key in PRESETS:
        return PRESETS[key]
    usage = (
        "use social (1200x675 px), print (150x100 mm at 300 dpi) or WIDTHxHEIGHT in pixels "
        f"such as 800x600, each side {MIN_PX} to {MAX_PX:,}"
    )
    match = re.fullmatch(r"(\d+)\s*[x×]\s*(\d+)(?:\s*px)?", key)
    if not match:
        raise ExportError(f"unknown size {text!r}; {usage}")
    w, h = int(match[1]), int(match[2])
    if not (MIN_PX <= w <= MAX_PX and MIN_PX <= h <= MAX_PX):
        raise ExportError(f"size {text!r} is out of range; {usage}")
    if max(w, h) > 4 * min(w, h):
        raise ExportError(f"size {text!r} is too narrow for a map (more than 4:1); {usage}")
    return Size(w, h, min(w, h) / _SHORT_SIDE_IN)


def _format_of(path: Path) -> str:
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ExportError(
            f"{path}: cannot tell the image format from {path.suffix or 'no suffix'!r}; "
            "end the file name in .png, .svg or .pdf"
        )
    return fmt


# --- projection --------------------------------------------------------------------------------


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
def _transformer(proj4: str, inverse: bool = False) -> Any:
    from pyproj import Transformer

    if inverse:
        return Transformer.from_crs(proj4, "EPSG:4326", always_xy=True)
    return Transformer.from_crs("EPSG:4326", proj4, always_xy=True)


def _project(proj: Projection, lon: ArrayLike, lat: ArrayLike) -> NDArray[np.float64]:
    x, y = _transformer(proj.proj4).transform(
        np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    )
    return np.column_stack([np.atleast_1d(x), np.atleast_1d(y)]).astype(float)


# --- what the map shows, as plain data ---------------------------------------------------------


@dataclass(frozen=True)
class _Stop:
    xy: tuple[float, float]
    numbers: str
    name: str
    dates: str


@dataclass(frozen=True)
class _Line:
    xy: NDArray[np.float64]
    color: str
    dashes: tuple[float, ...] | None
    mode: str = ""
    twin: bool = False  # a route with another in the opposite direction
    width_pt: float = 1.25


@dataclass(frozen=True)
class _Deal:
    xy: tuple[float, float]
    radius_pt: float
    color: str
    shape: str
    status: str
    approx: bool
    value: str = ""
    offset_pt: tuple[float, float] = (0.0, 0.0)


@dataclass(frozen=True)
class _LegendItem:
    kind: str  # head, stop, line, shape, approx, fill, note, badge, width
    label: str
    color: str = ""
    dashes: tuple[float, ...] | None = None
    shape: str = ""
    width: float = 0.0


@dataclass(frozen=True)
class _Scene:
    lang: str
    projection: Projection
    title: str
    subtitle: str
    footer: str
    stops: list[_Stop]
    legs: list[_Line]
    routes: list[_Line]
    deals: list[_Deal]
    home: frozenset[str]
    partners: frozenset[str]
    legend: list[_LegendItem] = field(default_factory=list)
    # Partner country -> one colour per commodity group of its resources (the legend's swatches).
    badges: dict[str, tuple[str, ...]] = field(default_factory=dict)


def _col(frame: Any, name: str, lang: str, default: str) -> list[Any]:
    col = f"{name}_{lang}" if f"{name}_{lang}" in frame else f"{name}_{default}"
    return frame[col].tolist() if col in frame else [None] * len(frame)


def _text(value: Any, lang: str, default: str) -> str:
    return value.get_lang(lang, default) if value is not None else ""


def _size_currency(values: Sequence[list[dict[str, Any]]]) -> str | None:
    """The currency most deals report in (USD on a tie, then alphabetical): symbols are sized
    by amounts in that one currency, never converted."""
    counts: dict[str, int] = {}
    for vals in values:
        for cur in {str(v["currency"]) for v in vals}:
            counts[cur] = counts.get(cur, 0) + 1
    if not counts:
        return None
    return min(counts, key=lambda c: (-counts[c], c != "USD", c))


def _shape(shape: str, r: float, center: tuple[float, float] = (0.0, 0.0), **kw: Any) -> Any:
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


def _scene(trip: Trip, lang: str) -> _Scene:
    from geo.describe import visits

    meta = trip.meta
    default = meta.lang
    s = trip.stops
    stop_ll = np.array([[g.x, g.y] for g in s.geometry.array], dtype=float).reshape(-1, 2)

    deals = trip.deals
    located = [i for i, g in enumerate(deals.geometry.array) if g is not None]
    deal_ll = np.array(
        [[deals.geometry.array[i].x, deals.geometry.array[i].y] for i in located], dtype=float
    ).reshape(-1, 2)

    drawn = [i for i, d in enumerate(trip.leg_paths.distance_m) if d > 0]
    legs = [trip.leg_paths.coords(i) for i in drawn]
    leg_modes = [str(trip.legs["mode"].iloc[i]) for i in drawn]
    routes = [trip.route_paths.coords(i) for i in range(len(trip.route_paths))]
    every = np.concatenate([stop_ll, deal_ll, *legs, *routes]) if len(stop_ll) else stop_ll
    proj = choose_projection(every[:, 0], every[:, 1])

    # Stops: one marker per place, numbered with every visit ("1 · 6").
    labels = _col(s, "label", lang, default)
    stop_xy = _project(proj, stop_ll[:, 0], stop_ll[:, 1]) if len(stop_ll) else stop_ll
    stops = []
    for group in visits(trip):
        i = group[0]
        dates = " · ".join(
            d
            for j in group
            if (
                d := i18n.date_range(
                    s["arrive_date"][j] or s["depart_date"][j],
                    s["depart_date"][j] or s["arrive_date"][j],
                    lang,
                )
            )
        )
        stops.append(
            _Stop(
                (float(stop_xy[i, 0]), float(stop_xy[i, 1])),
                " · ".join(str(j + 1) for j in group),
                str(labels[i] or ""),
                dates,
            )
        )

    leg_lines = [
        _Line(_project(proj, c[:, 0], c[:, 1]), _LINE, style.LEG_MODE.get(m, (None, None))[1], m)
        for c, m in zip(legs, leg_modes, strict=True)
    ]

    from geo.describe import flow_sizes

    route_lines = []
    _, flow_amounts, flow_largest = flow_sizes(trip)
    for i, c in enumerate(routes):
        mode = trip.routes["mode"].iloc[i] or "none"
        color, _, dashes = style.ROUTE_MODE.get(mode, style.ROUTE_MODE["none"])
        width = style.flow_width(flow_amounts[i], flow_largest) * _PX_TO_PT * 0.8
        route_lines.append(
            _Line(_project(proj, c[:, 0], c[:, 1]), color, dashes, mode, width_pt=width)
        )

    # Deals: proportional symbols by the value in one reported currency.
    currency = _size_currency([deals["value"].iloc[i] for i in located])
    amounts = [
        next(
            (float(v["amount"]) for v in deals["value"].iloc[i] if v["currency"] == currency), None
        )
        for i in located
    ]
    largest = max((a for a in amounts if a), default=None)
    deal_xy = _project(proj, deal_ll[:, 0], deal_ll[:, 1]) if len(deal_ll) else deal_ll
    deal_marks = []
    for k, i in enumerate(located):
        amount = amounts[k]
        status = deals["status"].iloc[i] or "none"
        color, shape = style.DEAL_STATUS.get(status, style.DEAL_STATUS["none"])
        deal_marks.append(
            _Deal(
                (float(deal_xy[k, 0]), float(deal_xy[k, 1])),
                style.deal_radius(amount, largest) * _PX_TO_PT,
                color,
                shape,
                status,
                deals["precision"].iloc[i] in ("region", "country"),
                i18n.money(amount, currency, lang) if amount and currency else "",
            )
        )
    deal_marks = _spread(deal_marks)

    title = _text(meta.title, lang, default)
    subtitle = _text(meta.subtitle, lang, default)
    days = [d for c in ("arrive_date", "depart_date") for d in s[c] if d is not None]
    if days and str(min(days).year) not in subtitle:
        when = i18n.date_range(min(days), max(days), lang, year=True)
        subtitle = f"{subtitle} · {when}" if subtitle else when

    credit = _text(meta.credit, lang, default)
    names = [_text(src.name, lang, default) for src in meta.sources]
    names = [n for n in names if n and n not in credit]
    footer = [credit] if credit else []
    if names:
        footer.append(f"{i18n.t('sources', lang)}: {'; '.join(names)}")
    footer += [i18n.t("basemap_credit", lang), proj.name(lang)]

    scene = _Scene(
        lang=lang,
        projection=proj,
        title=title,
        subtitle=subtitle,
        footer=" · ".join(footer),
        stops=stops,
        legs=leg_lines,
        routes=_offset_twins(route_lines),
        deals=deal_marks,
        home=frozenset(str(c) for c in s["country"] if c),
        partners=frozenset(str(c) for c in trip.resources["country"] if c),
        badges=_badges(trip),
    )
    legend = _legend_items(trip, scene, currency, amounts)
    return dataclasses.replace(scene, legend=legend)


def _badges(trip: Trip) -> dict[str, tuple[str, ...]]:
    from geo.describe import commodities_by_group, resources_by_country

    r = trip.resources
    return {
        code: tuple(
            style.COMMODITY_GROUP[g]
            for g, _ in commodities_by_group([c for i in rows for c in r["commodities"].iloc[i]])
        )
        for code, rows in resources_by_country(trip)
    }


def _spread(deals: list[_Deal]) -> list[_Deal]:
    """Symbols at one spot are fanned out around it (an offset in points), not stacked."""
    groups: dict[tuple[float, float], list[int]] = {}
    for i, d in enumerate(deals):
        groups.setdefault((round(d.xy[0], -2), round(d.xy[1], -2)), []).append(i)
    out = list(deals)
    for members in groups.values():
        if len(members) < 2:
            continue
        radius = max(deals[i].radius_pt for i in members) + 2.0
        for k, i in enumerate(members):
            a = 2 * math.pi * k / len(members) + math.pi / 2
            offset = (radius * math.cos(a), radius * math.sin(a))
            out[i] = dataclasses.replace(deals[i], offset_pt=offset)
    # Large symbols first, so small ones stay visible on top.
    return sorted(out, key=lambda d: -d.radius_pt)


def _offset_twins(routes: list[_Line]) -> list[_Line]:
    """Mark routes that join the same two places in opposite directions: they are drawn side by
    side."""
    out = []
    for i, r in enumerate(routes):
        twin = any(
            j != i and np.allclose(o.xy[[0, -1]], r.xy[[-1, 0]], rtol=0, atol=1000.0)
            for j, o in enumerate(routes)
        )
        out.append(dataclasses.replace(r, twin=twin))
    return out


def _legend_items(
    trip: Trip,
    scene: _Scene,
    currency: str | None,
    amounts: list[float | None],
) -> list[_LegendItem]:
    from geo.describe import leg_label, leg_modes

    lang = scene.lang
    items = [_LegendItem("head", i18n.t("itinerary", lang))]
    items.append(_LegendItem("stop", i18n.t("stops", lang)))
    for mode in leg_modes(trip):
        dashes = style.LEG_MODE.get(mode, ("", None))[1]
        items.append(_LegendItem("line", leg_label(mode, lang), _LINE, dashes))
    statuses = [k for k in style.DEAL_STATUS if any(d.status == k for d in scene.deals)]
    if statuses:
        items.append(_LegendItem("head", i18n.t("deals", lang)))
        for k in statuses:
            color, shape = style.DEAL_STATUS[k]
            items.append(_LegendItem("shape", i18n.t(f"status_{k}", lang), color, shape=shape))
        if any(d.approx for d in scene.deals):
            items.append(_LegendItem("approx", i18n.t("approximate", lang), "#7a7a7a"))
        if currency and any(amounts):
            items.append(_LegendItem("note", i18n.t("size_note", lang, cur=currency)))
    if len(trip.resources):
        from geo.describe import commodities_by_group

        commodities = sorted({c for cs in trip.resources["commodities"] for c in cs})
        items.append(_LegendItem("head", i18n.t("resources", lang)))
        items.append(_LegendItem("fill", i18n.t("partner_country", lang), _RES_FILL))
        for g, cs in commodities_by_group(commodities):
            names = ", ".join(i18n.commodity(c, lang) for c in cs)
            label = f"{i18n.t(f'group_{g}', lang)}: {names}"
            items.append(_LegendItem("badge", label, style.COMMODITY_GROUP[g]))
    seen = sorted({r.mode for r in scene.routes})
    if seen:
        items.append(_LegendItem("head", i18n.t("routes", lang)))
        for mode in seen:
            color, _, dashes = style.ROUTE_MODE.get(mode, style.ROUTE_MODE["none"])
            items.append(_LegendItem("line", i18n.t(f"mode_{mode}", lang), color, dashes))
        from geo.describe import flow_legend, flow_sizes

        flow_currency, _, flow_largest = flow_sizes(trip)
        if flow_currency and flow_largest:
            items.append(_LegendItem("note", i18n.t("flow_width", lang, cur=flow_currency)))
        for label, w in flow_legend(trip, lang):
            items.append(_LegendItem("width", label, "#555555", width=w * _PX_TO_PT * 0.8))
    return items


# --- label placement ---------------------------------------------------------------------------

DIRECTIONS: tuple[tuple[str, int, int], ...] = (
    ("E", 1, 0),
    ("NE", 1, 1),
    ("SE", 1, -1),
    ("W", -1, 0),
    ("NW", -1, 1),
    ("SW", -1, -1),
    ("N", 0, 1),
    ("S", 0, -1),
)
"""The eight candidate positions of a label around its point, in order of preference."""

# Costs, in square points of overlap: covering a label or a marker is what matters; crossing a
# line costs a little; order of preference only breaks ties.
_W_COVER = 10.0  # per square point of a label or marker covered
_W_OUTSIDE = 40.0  # per square point outside the map
_W_LINE = 4.0  # per point of line length inside a label
_W_RANK = 0.5
_DIAGONAL = 0.72  # diagonal labels sit closer: their corner, not their side, faces the point


def candidate_boxes(
    anchor: Sequence[float],
    size: Sequence[float],
    clearance: Sequence[float],
    diagonal: float = _DIAGONAL,
) -> NDArray[np.float64]:
    """The eight boxes ``(x0, y0, x1, y1)`` a label of ``size`` (w, h) may take around
    ``anchor``, keeping ``clearance`` (half-width, half-height) free around it; in
    :data:`DIRECTIONS` order. Diagonal boxes keep ``diagonal`` times the clearance: less than 1
    for a round marker, whose corners are empty, 1 for a box."""
    ax, ay = anchor
    w, h = size
    boxes = np.empty((len(DIRECTIONS), 4))
    for k, (_, dx, dy) in enumerate(DIRECTIONS):
        f = diagonal if dx and dy else 1.0
        cx, cy = clearance[0] * f, clearance[1] * f
        x0 = ax + cx if dx > 0 else ax - cx - w if dx < 0 else ax - w / 2
        y0 = ay + cy if dy > 0 else ay - cy - h if dy < 0 else ay - h / 2
        boxes[k] = (x0, y0, x0 + w, y0 + h)
    return boxes


def _overlap(a: NDArray[np.float64], b: NDArray[np.float64]) -> NDArray[np.float64]:
    """Areas of intersection of every box of ``a`` (k, 4) with every box of ``b`` (m, 4)."""
    if len(a) == 0 or len(b) == 0:
        return np.zeros((len(a), len(b)))
    w = np.minimum(a[:, None, 2], b[None, :, 2]) - np.maximum(a[:, None, 0], b[None, :, 0])
    h = np.minimum(a[:, None, 3], b[None, :, 3]) - np.maximum(a[:, None, 1], b[None, :, 1])
    return np.clip(w, 0, None) * np.clip(h, 0, None)


def _outside(boxes: NDArray[np.float64], bounds: Sequence[float]) -> NDArray[np.float64]:
    area = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
    return area - _overlap(boxes, np.asarray([bounds], dtype=float))[:, 0]


def place_labels(
    anchors: ArrayLike,
    sizes: ArrayLike,
    clearances: ArrayLike,
    obstacles: ArrayLike | None = None,
    owners: Sequence[int] | None = None,
    bounds: Sequence[float] | None = None,
    lines: ArrayLike | None = None,
    line_step: float = 1.0,
    diagonals: Sequence[float] | None = None,
    passes: int = 6,
) -> tuple[list[int], NDArray[np.float64]]:
    """Choose one of eight positions for every label so that labels cover as little as possible.

    Deterministic: a greedy pass places the most crowded labels first, then each label in turn
    moves to its best position given all the others, until nothing changes. The cost of a
    position is its overlap (area) with the other labels and with ``obstacles`` (markers,
    symbols, the legend), its area outside ``bounds``, how much of ``lines`` it covers, and,
    only to break ties, the position's rank in :data:`DIRECTIONS`.

    Parameters
    ----------
    anchors
        (n, 2) points the labels belong to, in any unit of length (points are used).
    sizes
        (n, 2) widths and heights of the labels as rendered.
    clearances
        (n, 2) half-width and half-height kept free around each anchor (its marker plus a gap).
    obstacles
        (m, 4) boxes ``(x0, y0, x1, y1)`` that labels should not cover.
    owners
        For each obstacle, the label it belongs to (its own marker), which it never blocks;
        ``-1`` for none.
    bounds
        ``(x0, y0, x1, y1)``: the area labels should stay inside.
    lines
        (k, 2) points sampled along the lines of the map every ``line_step``.
    diagonals
        For each label, the share of its clearance kept by diagonal positions (see
        :func:`candidate_boxes`); 0.72 when not given.

    Returns
    -------
    choice, boxes
        The index into :data:`DIRECTIONS` of each label's position, and the (n, 4) boxes.
    """
    anchor_a = np.asarray(anchors, dtype=float).reshape(-1, 2)
    size_a = np.asarray(sizes, dtype=float).reshape(-1, 2)
    clear_a = np.asarray(clearances, dtype=float).reshape(-1, 2)
    n = len(anchor_a)
    obst = np.asarray(obstacles if obstacles is not None else [], dtype=float).reshape(-1, 4)
    owner = np.asarray(owners if owners is not None else [-1] * len(obst), dtype=int)
    pts = np.asarray(lines if lines is not None else [], dtype=float).reshape(-1, 2)
    diag = list(diagonals) if diagonals is not None else [_DIAGONAL] * n
    cands = (
        np.stack([candidate_boxes(anchor_a[i], size_a[i], clear_a[i], diag[i]) for i in range(n)])
        if n
        else np.zeros((0, len(DIRECTIONS), 4))
    )

    fixed = np.zeros((n, len(DIRECTIONS)))
    for i in range(n):
        c = cands[i]
        mine = owner == i
        fixed[i] += _W_COVER * _overlap(c, obst[~mine]).sum(axis=1)
        if bounds is not None:
            fixed[i] += _W_OUTSIDE * _outside(c, bounds)
        if len(pts):
            inside = (
                (pts[None, :, 0] > c[:, None, 0])
                & (pts[None, :, 0] < c[:, None, 2])
                & (pts[None, :, 1] > c[:, None, 1])
                & (pts[None, :, 1] < c[:, None, 3])
            )
            fixed[i] += _W_LINE * line_step * inside.sum(axis=1)
        fixed[i] += _W_RANK * np.arange(len(DIRECTIONS))

    # Most crowded first: labels with the most other anchors within reach of their candidates.
    reach = np.array(
        [
            int(
                np.sum(
                    np.abs(anchor_a - anchor_a[i]).max(axis=1)
                    < 2 * (size_a[i].max() + clear_a[i].max())
                )
            )
            for i in range(n)
        ]
    )
    order = sorted(range(n), key=lambda i: (-reach[i], i))
    choice = [-1] * n

    def cost(i: int) -> NDArray[np.float64]:
        others = [cands[j, choice[j]] for j in range(n) if j != i and choice[j] >= 0]
        c = fixed[i].copy()
        if others:
            c += _W_COVER * _overlap(cands[i], np.asarray(others)).sum(axis=1)
        return c

    for i in order:
        choice[i] = int(np.argmin(cost(i)))
    for _ in range(passes):
        changed = False
        for i in order:
            c = cost(i)
            best = int(np.argmin(c))
            if c[best] < c[choice[i]] - 1e-9:
                choice[i] = best
                changed = True
        if not changed:
            break
    boxes = np.array([cands[i, choice[i]] for i in range(n)]).reshape(-1, 4)
    return choice, boxes


# --- fonts -------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _korean_family() -> str | None:
    """Register NanumGothic from the koreanize-matplotlib package, without importing the package
    (its import sets matplotlib's global font); fall back on a system Noto Sans CJK KR."""
    import importlib.util

    from matplotlib import font_manager

    spec = importlib.util.find_spec("koreanize_matplotlib")
    if spec is not None and spec.submodule_search_locations:
        fonts = Path(next(iter(spec.submodule_search_locations))) / "fonts"
        files = [fonts / "NanumGothic.ttf", fonts / "NanumGothicBold.ttf"]
        if all(f.is_file() for f in files):
            for f in files:
                font_manager.fontManager.addfont(str(f))
            return "NanumGothic"
    if any(f.name == "Noto Sans CJK KR" for f in font_manager.fontManager.ttflist):
        return "Noto Sans CJK KR"
    return None


_HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")


def _families(lang: str, texts: Sequence[str]) -> tuple[list[str], Any]:
    """Font families (first choice, then fallbacks glyph by glyph) and the bold weight."""
    korean = _korean_family()
    if korean is None and (lang == "ko" or any(_HANGUL.search(t) for t in texts)):
        raise ExportError(
            "Korean text needs a Korean font and none was found; install the font package with "
            "`pip install koreanize-matplotlib` (NanumGothic) or Debian's fonts-noto-cjk"
        )
    if lang == "ko" and korean:
        # NanumGothic's bold is weight 600; asking for it exactly avoids a substitution.
        return [korean, "DejaVu Sans"], 600 if korean == "NanumGothic" else "bold"
    return ["DejaVu Sans", *([korean] if korean else [])], "bold"


class _Quiet(logging.Filter):
    """Drops two harmless, noisy messages: a fallback family lacking the exact bold weight, and
    fontTools skipping NanumGothic's hinting-source tables when it subsets the font for PDF."""

    def filter(self, record: logging.LogRecord) -> bool:
        msg = record.getMessage()
        return not ("Failed to find font weight" in msg or "NOT subset" in msg)


@contextlib.contextmanager
def _quiet_logs() -> Iterator[None]:
    quiet = _Quiet()
    loggers = [logging.getLogger("matplotlib.font_manager"), logging.getLogger("fontTools.subset")]
    for lg in loggers:
        lg.addFilter(quiet)
    try:
        yield
    finally:
        for lg in loggers:
            lg.removeFilter(quiet)


# --- drawing -----------------------------------------------------------------------------------


@dataclass
class _Canvas:
    fig: Figure
    ax: Axes
    renderer: RendererBase
    pt_per_px: float
    bold: Any


def _extent_px(artist: Any, renderer: RendererBase) -> NDArray[np.float64]:
    bb = artist.get_window_extent(renderer)
    return np.array([bb.x0, bb.y0, bb.x1, bb.y1], dtype=float)


def _wrap(text: Text, width_px: float, renderer: RendererBase) -> None:
    """Wrap a text at spaces until it fits ``width_px``."""
    words = text.get_text()
    if _extent_px(text, renderer)[2] - _extent_px(text, renderer)[0] <= width_px:
        return
    for chars in range(len(words) - 1, 8, -2):
        text.set_text("\n".join(textwrap.wrap(words, chars)))
        bb = _extent_px(text, renderer)
        if bb[2] - bb[0] <= width_px:
            return


def _text_size_pt(c: _Canvas, s: str, size: float, weight: Any = "normal") -> tuple[float, float]:
    t = c.fig.text(0, 0, s, fontsize=size, fontweight=weight, parse_math=False)
    bb = _extent_px(t, c.renderer)
    t.remove()
    return (bb[2] - bb[0]) * c.pt_per_px, (bb[3] - bb[1]) * c.pt_per_px


def _layout(scene: _Scene, size: Size, bold: Any) -> _Canvas:
    """The figure with its title, subtitle and footer, and an empty map axes between them."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(size.width_px / size.dpi, size.height_px / size.dpi), dpi=size.dpi)
    fig.patch.set_facecolor("white")
    renderer = FigureCanvasAgg(fig).get_renderer()
    px_per_pt = size.dpi / 72.0
    w_px, h_px = size.width_px, size.height_px
    m = _MARGIN_PT * px_per_pt

    top = h_px - m
    title = fig.text(
        m / w_px,
        top / h_px,
        scene.title,
        fontsize=_FONT["title"],
        fontweight=bold,
        color=_INK,
        va="top",
        ha="left",
        parse_math=False,
        linespacing=1.15,
    )
    _wrap(title, w_px - 2 * m, renderer)
    top = _extent_px(title, renderer)[1] - 3 * px_per_pt
    if scene.subtitle:
        sub = fig.text(
            m / w_px,
            top / h_px,
            scene.subtitle,
            fontsize=_FONT["subtitle"],
            color=_MUTED,
            va="top",
            ha="left",
            parse_math=False,
        )
        _wrap(sub, w_px - 2 * m, renderer)
        top = _extent_px(sub, renderer)[1]
    top -= 6 * px_per_pt

    foot = fig.text(
        m / w_px,
        (m * 0.6) / h_px,
        scene.footer,
        fontsize=_FONT["footer"],
        color=_MUTED,
        va="bottom",
        ha="left",
        parse_math=False,
    )
    _wrap(foot, w_px - 2 * m, renderer)
    bottom = _extent_px(foot, renderer)[3] + 4 * px_per_pt

    ax = fig.add_axes((m / w_px, bottom / h_px, (w_px - 2 * m) / w_px, (top - bottom) / h_px))
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_facecolor(style.BASEMAP["water"])
    for spine in ax.spines.values():
        spine.set_edgecolor(style.BASEMAP["edge"])
        spine.set_linewidth(0.6)
    return _Canvas(fig, ax, renderer, 1.0 / px_per_pt, bold)


def _legend_sections(items: list[_LegendItem]) -> list[list[_LegendItem]]:
    sections: list[list[_LegendItem]] = []
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


def _legend_box(c: _Canvas, items: list[_LegendItem], columns: int = 2) -> AnchoredOffsetbox:
    from matplotlib.lines import Line2D
    from matplotlib.offsetbox import AnchoredOffsetbox, DrawingArea, HPacker, TextArea, VPacker
    from matplotlib.patches import Circle, Rectangle

    fs = _FONT["legend"]
    key_w, key_h = 16.0, 8.0

    def row(it: _LegendItem) -> Any:
        if it.kind == "head":
            return TextArea(
                it.label,
                textprops={
                    "fontsize": _FONT["legend_head"],
                    "fontweight": c.bold,
                    "color": _INK,
                    "parse_math": False,
                },
            )
        if it.kind == "note":
            return TextArea(
                textwrap.fill(it.label, 36),
                textprops={"fontsize": fs * 0.92, "color": _MUTED, "parse_math": False},
            )
        da = DrawingArea(key_w, key_h, 0, 0)
        mid = key_h / 2
        if it.kind == "stop":
            da.add_artist(
                Circle((key_w / 2, mid), 3.4, facecolor=_STOP, edgecolor="white", linewidth=0.8)
            )
        elif it.kind == "line":
            w = _LINE_PT * (0.7 if it.dashes else 1.0)
            line = Line2D(
                [1, key_w - 1],
                [mid, mid],
                color=it.color,
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
                _shape(
                    "circle" if approx else it.shape,
                    3.4,
                    (key_w / 2, mid),
                    facecolor=_rgba(it.color, 0.3 if approx else 0.85),
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
                    facecolor=_rgba(_RES_FILL, _RES_ALPHA + 0.15),
                    edgecolor=_RES_EDGE,
                    linewidth=0.6,
                )
            )
        text = TextArea(
            textwrap.fill(it.label, 26),
            textprops={"fontsize": fs, "color": _INK, "parse_math": False},
        )
        return HPacker(children=[da, text], align="center", pad=0, sep=3)

    sections = _legend_sections(items)
    heights = [sum(2.0 if it.kind == "note" else 1.0 for it in sec) + 0.6 for sec in sections]
    cols = _columns(heights, min(columns, len(sections)))
    boxes = [
        VPacker(children=[row(it) for i in col for it in sections[i]], align="left", pad=0, sep=2.4)
        for col in cols
    ]
    pack = HPacker(children=list(boxes), align="top", pad=0, sep=12)
    box = AnchoredOffsetbox(loc="lower right", child=pack, pad=0.55, borderpad=0.7, frameon=True)
    box.patch.set_facecolor("white")
    box.patch.set_alpha(0.93)
    box.patch.set_edgecolor(style.BASEMAP["edge"])
    box.patch.set_linewidth(0.5)
    box.patch.set_boxstyle("square,pad=0")
    box.set_zorder(20)
    return box


def _rgba(color: str, alpha: float) -> tuple[float, float, float, float]:
    from matplotlib.colors import to_rgba

    return to_rgba(color, alpha)


def _densify(xy: NDArray[np.float64], step: float) -> NDArray[np.float64]:
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


def _choose_extent(
    c: _Canvas,
    scene: _Scene,
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
        [_densify(ln.xy, span / 200) for ln in [*scene.legs, *scene.routes]] or [np.zeros((0, 2))]
    )
    lw, lh = legend_pt
    pad = 0.6 * _FONT["legend"] + 2

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


def _window(
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
    lon, lat = _transformer(proj.proj4, inverse=True).transform(edge[:, 0], edge[:, 1])
    lon, lat = np.asarray(lon), np.asarray(lat)
    ok = np.isfinite(lon) & np.isfinite(lat)
    lon_0 = proj.lon_0
    near = near_lon(lon[ok], lon_0)
    lo, hi = float(near.min()) - 8, float(near.max()) + 8
    south, north = float(lat[ok].min()) - 8, float(lat[ok].max()) + 8
    for pole in (90.0, -90.0):
        p = _project(proj, [lon_0], [pole])[0]
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


def _basemap(
    scene: _Scene, extent: tuple[float, float, float, float]
) -> list[tuple[str, str, Any, tuple[float, float] | None, float]]:
    """Countries clipped to the map and projected: (iso, name, geometry, label xy, area)."""
    import shapely

    from geo import basemap

    proj = scene.projection
    x0, x1, y0, y1 = extent
    w, h = x1 - x0, y1 - y0
    lo, hi, south, north = _window(proj, extent)
    scale = "50m" if max(w, h) < 9_000_000 else "110m"
    countries = basemap.countries(scale)
    geoms = np.asarray(countries.geometry.array, dtype=object)
    parts: list[Any] = [None] * len(geoms)
    for shift in (-360.0, 0.0, 360.0):
        a, b = max(lo + shift, -180.0), min(hi + shift, 180.0)
        if a >= b:
            continue
        clipped = shapely.clip_by_rect(geoms, a, south, b, north)
        for i, g in enumerate(clipped):
            if g is None or g.is_empty:
                continue
            parts[i] = g if parts[i] is None else shapely.union(parts[i], g)
    transformer = _transformer(proj.proj4)
    mx, my = w * 0.05, h * 0.05
    out = []
    name_col = f"name_{scene.lang}" if f"name_{scene.lang}" in countries else "name_en"
    for i, g in enumerate(parts):
        if g is None:
            continue
        projected = shapely.transform(
            g, lambda c: np.column_stack(transformer.transform(c[:, 0], c[:, 1]))
        )
        projected = shapely.clip_by_rect(
            shapely.make_valid(projected), x0 - mx, y0 - my, x1 + mx, y1 + my
        )
        if projected.is_empty:
            continue
        iso = str(countries["iso_a2"].iloc[i])
        label = None
        if iso:
            lx, ly = float(countries["label_lon"].iloc[i]), float(countries["label_lat"].iloc[i])
            p = _project(proj, [lx], [ly])[0]
            if np.all(np.isfinite(p)) and x0 <= p[0] <= x1 and y0 <= p[1] <= y1:
                label = (float(p[0]), float(p[1]))
        out.append((iso, str(countries[name_col].iloc[i]), projected, label, projected.area))
    return out


@dataclass(frozen=True)
class _Optional:
    """A label drawn only where it covers nothing: at the first of its spots that is free."""

    text: str
    spots: list[tuple[tuple[float, float], tuple[float, float]]]  # (data xy, offset in points)
    size: float
    color: str
    weight: Any
    zorder: float


def _xy(p: ArrayLike) -> tuple[float, float]:
    a = np.asarray(p, dtype=float)
    return float(a[0]), float(a[1])


def _graticule(
    c: _Canvas, scene: _Scene, extent: tuple[float, float, float, float]
) -> list[_Optional]:
    """Faint parallels and meridians: against them a reader sees a geodesic climb toward the
    pole and come back. Meridians are labelled on the bottom edge; the parallels' labels, on
    the central meridian, are returned to be placed where they cover nothing."""
    from matplotlib.lines import Line2D

    ax, proj, lang = c.ax, scene.projection, scene.lang
    lo, hi, south, north = _window(proj, extent)
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
            fontsize=_FONT["footer"],
            color=_MUTED,
            zorder=1.6,
            parse_math=False,
            path_effects=_halo(1.6),
        )

    lats = np.arange(math.ceil(south / step) * step, min(north, 89.0) + 1e-9, step)
    optional: list[_Optional] = []
    for lat in lats:
        lon = np.linspace(lo, hi, 240)
        xy = _project(proj, lon, np.full_like(lon, lat))
        ax.add_line(Line2D(xy[:, 0], xy[:, 1], color=color, linewidth=0.45, alpha=0.75, zorder=1.5))
        # Labelled on the central meridian, where a conic's parallels are level; failing that a
        # little east or west of it.
        key = "lat_n" if lat >= 0 else "lat_s"
        spots = [proj.lon_0 + k * step / 2 for k in (0, 1, -1, 2, -2)]
        optional.append(
            _Optional(
                i18n.t(key, lang, d=f"{abs(lat):g}"),
                [
                    (xy_s, (0.0, 3.5))
                    for lon in spots
                    # Clear of the meridians' labels along the bottom edge.
                    if (xy_s := _xy(_project(proj, [lon], [lat])[0]))[1] > y0 + 16 * pt
                ],
                _FONT["footer"],
                _MUTED,
                "normal",
                1.6,
            )
        )
    first = math.ceil((proj.lon_0 + lo - proj.lon_0) / step) * step
    for lon_v in np.arange(first, hi + 1e-9, step):
        lat = np.linspace(max(south, -89.0), min(north, 89.0), 240)
        xy = _project(proj, np.full_like(lat, lon_v), lat)
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
                    text = i18n.t(key, lang, d=f"{abs(east):g}")
                label(text, (x, y0), "center", "bottom", (0, 2.0))
    return optional


def _path(geom: Any) -> Any:
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


def _halo(width: float = 2.2) -> list[Any]:
    from matplotlib import patheffects

    return [patheffects.withStroke(linewidth=width, foreground="white")]


def _draw(scene: _Scene, size: Size, bold: Any) -> Figure:
    from matplotlib.collections import PathCollection
    from matplotlib.lines import Line2D
    from matplotlib.transforms import Affine2D, ScaledTranslation

    c = _layout(scene, size, bold)
    fig, ax = c.fig, c.ax
    legend = _legend_box(c, scene.legend)
    ax.add_artist(legend)
    lb = _extent_px(legend, c.renderer)
    legend_pt = ((lb[2] - lb[0]) * c.pt_per_px, (lb[3] - lb[1]) * c.pt_per_px)
    extent, corner = _choose_extent(c, scene, legend_pt)
    legend.loc = {"lower right": 4, "lower left": 3, "upper right": 1, "upper left": 2}[corner]
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])
    ax.set_autoscale_on(False)
    pt = (extent[1] - extent[0]) / (ax.get_window_extent(c.renderer).width * c.pt_per_px)

    # Basemap: land, the stops' countries lightly, resource partners, then the resource overlay.
    countries = _basemap(scene, extent)
    paths, faces = [], []
    for iso, _, g, _, _ in countries:
        p = _path(g)
        if p is None:
            continue
        paths.append(p)
        kind = "partner" if iso in scene.partners else "home" if iso in scene.home else "land"
        faces.append(style.BASEMAP[kind])
    ax.add_collection(
        PathCollection(
            paths, facecolors=faces, edgecolors=style.BASEMAP["edge"], linewidths=0.35, zorder=1
        )
    )
    graticule_labels = _graticule(c, scene, extent)
    res = [_path(g) for iso, _, g, _, _ in countries if iso in scene.partners]
    res = [p for p in res if p is not None]
    if res:
        ax.add_collection(
            PathCollection(
                res,
                facecolors=_rgba(_RES_FILL, _RES_ALPHA),
                edgecolors=_RES_EDGE,
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
            shift = ScaledTranslation(dx / 72, -9 / 72, fig.dpi_scale_trans)
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

    # Trade routes over the itinerary, thinner and dashed, so a route that shares a leg's
    # corridor still shows; twins in opposite directions are drawn side by side.
    for r in scene.routes:
        xy = r.xy
        if r.twin:
            xy = _offset_right(xy, 2.4 * pt)
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
        _arrow(ax, xy, r.color, 4.2, zorder=4.6)

    for leg in scene.legs:
        w = _LINE_PT
        ax.add_line(
            Line2D(
                leg.xy[:, 0],
                leg.xy[:, 1],
                color="white",
                linewidth=w + 1.6,
                solid_capstyle="round",
                zorder=4,
            )
        )
        drawn = Line2D(
            leg.xy[:, 0],
            leg.xy[:, 1],
            color=leg.color,
            linewidth=w,
            solid_capstyle="round",
            zorder=4.1,
        )
        if leg.dashes:
            drawn.set_dashes(leg.dashes)
        ax.add_line(drawn)
        _arrow(ax, leg.xy, leg.color, 5.0, zorder=4.2)

    # Deals: area by value, colour and shape by status; approximate sites faint and dashed.
    points = Affine2D().scale(1 / 72) + fig.dpi_scale_trans
    for d in scene.deals:
        ax.add_patch(
            _shape(
                d.shape,
                d.radius_pt,
                d.offset_pt,
                # The stubs want an affine transform; any transform of a point works.
                transform=points + ScaledTranslation(d.xy[0], d.xy[1], ax.transData),  # type: ignore[arg-type]
                facecolor=_rgba(d.color, 0.45 if d.approx else 0.85),
                edgecolor=d.color if d.approx else "white",
                linewidth=0.8 if d.approx else 0.6,
                linestyle=(0, (3.0, 2.0)) if d.approx else "-",
                zorder=5,
            )
        )

    # Stops: numbered markers, then their labels placed clear of each other.
    pad = 0.32
    obstacles: list[Any] = []
    owners: list[int] = []
    clearances: list[tuple[float, float]] = []
    diagonals: list[float] = []
    anchors: list[NDArray[np.float64]] = []
    for i, s in enumerate(scene.stops):
        marker = ax.text(
            s.xy[0],
            s.xy[1],
            s.numbers,
            fontsize=_FONT["marker"],
            fontweight=c.bold,
            color=_STOP_TEXT,
            ha="center",
            va="center_baseline",
            zorder=7,
            parse_math=False,
            bbox={
                "boxstyle": f"circle,pad={pad}" if len(s.numbers) < 3 else f"round,pad={pad}",
                "facecolor": _STOP,
                "edgecolor": "white",
                "linewidth": 0.9,
            },
        )
        # The bbox patch is sized at draw time; work its extent out from the text's.
        e = _extent_px(marker, c.renderer) * c.pt_per_px
        # The patch is the text's box plus the pad, plus half its white edge.
        hw = (e[2] - e[0]) / 2 + pad * _FONT["marker"] + 0.5
        hh = (e[3] - e[1]) / 2 + pad * _FONT["marker"] + 0.5
        if len(s.numbers) < 3:
            hw = hh = max(hw, hh)
        centre = _display_pt(c, s.xy)
        obstacles.append((centre[0] - hw, centre[1] - hh, centre[0] + hw, centre[1] + hh))
        owners.append(i)
        clearances.append((hw + 2.0, hh + 1.0))
        diagonals.append(_DIAGONAL if len(s.numbers) < 3 else 1.0)
        anchors.append(centre)
    n_stops = len(anchors)
    valued = [d for d in scene.deals if d.value]
    for d in scene.deals:
        p, rad = _display_pt(c, d.xy, d.offset_pt), d.radius_pt
        obstacles.append((p[0] - rad, p[1] - rad, p[0] + rad, p[1] + rad))
        owners.append(n_stops + valued.index(d) if d in valued else -1)
    for d in valued:
        anchors.append(_display_pt(c, d.xy, d.offset_pt))
        clearances.append((d.radius_pt + 1.5, d.radius_pt + 1.0))
        diagonals.append(_DIAGONAL)
    obstacles.append(_extent_px(legend, c.renderer) * c.pt_per_px)
    owners.append(-1)

    axb = ax.get_window_extent(c.renderer)
    bounds = (
        axb.x0 * c.pt_per_px + 2,
        axb.y0 * c.pt_per_px + 2,
        axb.x1 * c.pt_per_px - 2,
        axb.y1 * c.pt_per_px - 2,
    )
    line_pts = [
        _densify(np.asarray(ax.transData.transform(ln.xy)) * c.pt_per_px, 1.0)
        for ln in [*scene.legs, *scene.routes]
    ]
    lines = np.concatenate(line_pts) if line_pts else np.zeros((0, 2))

    # A label is lines of (text, size, weight, colour), stacked.
    labels: list[list[tuple[str, float, Any, str]]] = [
        [(s.name, _FONT["stop"], c.bold, _INK)]
        + ([(s.dates, _FONT["dates"], "normal", _MUTED)] if s.dates else [])
        for s in scene.stops
    ]
    labels += [[(d.value, _FONT["dates"], "normal", _MUTED)] for d in valued]
    sizes = []
    gap = 0.8
    for lines_of in labels:
        dims = [_text_size_pt(c, t, fs, w) for t, fs, w, _ in lines_of]
        sizes.append((max(w for w, _ in dims), sum(h for _, h in dims) + gap * (len(dims) - 1)))
    choice, boxes = place_labels(
        np.asarray(anchors),
        sizes,
        clearances,
        obstacles,
        owners,
        bounds,
        lines,
        line_step=1.0,
        diagonals=diagonals,
    )
    xys = [s.xy for s in scene.stops] + [d.xy for d in valued]
    offsets = [(0.0, 0.0)] * n_stops + [d.offset_pt for d in valued]
    obstacle_a = np.asarray(obstacles, dtype=float)
    owner_a = np.asarray(owners)
    for i, lines_of in enumerate(labels):
        if i >= n_stops:
            # A value label is a bonus: left out where it would cover anything.
            others = np.delete(boxes, i, axis=0)
            blocks = np.concatenate([others, obstacle_a[owner_a != i]])
            if np.any(_overlap(boxes[i : i + 1], blocks) > 0.5):
                continue
        _, dx, _ = DIRECTIONS[choice[i]]
        ha = "left" if dx > 0 else "right" if dx < 0 else "center"
        x0, y0, x1, y1 = boxes[i]
        x = x0 if dx > 0 else x1 if dx < 0 else (x0 + x1) / 2
        top = y1
        for text, fsize, weight, color in lines_of:
            ax.annotate(
                text,
                xy=xys[i],
                xycoords="data",
                textcoords="offset points",
                xytext=(x - anchors[i][0] + offsets[i][0], top - anchors[i][1] + offsets[i][1]),
                ha=ha,
                va="top",
                fontsize=fsize,
                fontweight=weight,
                color=color,
                zorder=8,
                annotation_clip=False,
                parse_math=False,
                path_effects=_halo(),
            )
            top -= _text_size_pt(c, text, fsize, weight)[1] + gap

    optional = _country_labels(c, scene, countries) + graticule_labels
    _place_optional(c, optional, np.asarray([*obstacles, *boxes]), bounds, lines)
    return fig


def _display_pt(
    c: _Canvas, xy: tuple[float, float], offset: tuple[float, float] = (0.0, 0.0)
) -> NDArray[np.float64]:
    """A map point in figure points (from the lower left), moved by ``offset`` points."""
    p = c.ax.transData.transform([xy])[0] * c.pt_per_px
    return np.asarray(p + np.asarray(offset), dtype=float)


def _country_labels(
    c: _Canvas,
    scene: _Scene,
    countries: list[tuple[str, str, Any, tuple[float, float] | None, float]],
) -> list[_Optional]:
    """Country names: the trip's countries first, then the largest neighbours."""
    ax = c.ax
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    map_area = (x1 - x0) * (y1 - y0)
    ranked = sorted(
        (x for x in countries if x[3] is not None and x[0]),
        key=lambda x: (x[0] not in scene.home and x[0] not in scene.partners, -x[4], x[0]),
    )
    out = []
    for iso, name, _, label, area in ranked:
        assert label is not None
        own = iso in scene.home or iso in scene.partners
        if not own and area < map_area * 0.012:
            continue
        h = _FONT["country"] * 1.2
        out.append(
            _Optional(
                name.upper() if scene.lang == "en" else name,
                [(label, (0.0, dy)) for dy in (0.0, -h - 4, h + 4, -2 * h - 8)],
                _FONT["country"],
                style.BASEMAP["label"],
                c.bold if own else "normal",
                2.5,
            )
        )
    return out


def _place_optional(
    c: _Canvas,
    labels: list[_Optional],
    taken: NDArray[np.float64],
    bounds: tuple[float, float, float, float],
    lines: NDArray[np.float64],
) -> None:
    """Draw each label at its first spot that is inside the map and covers nothing drawn so far
    (stops, labels, symbols, the legend, earlier optional labels, the itinerary and routes);
    leave it out otherwise."""
    placed = [np.asarray(b, dtype=float) for b in taken]
    for lab in labels:
        w, h = _text_size_pt(c, lab.text, lab.size, lab.weight)
        for xy, off in lab.spots:
            p = _display_pt(c, xy, off)
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
            if inside and not on_line and not np.any(_overlap(box[None, :], np.asarray(placed))):
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
                    zorder=lab.zorder,
                    parse_math=False,
                    path_effects=_halo(1.6) if lab.zorder < 2 else None,
                )
                placed.append(box)
                break


def _offset_right(xy: NDArray[np.float64], d: float) -> NDArray[np.float64]:
    """The polyline moved ``d`` to the right of its direction of travel."""
    tangent = np.gradient(xy, axis=0)
    norm = np.hypot(tangent[:, 0], tangent[:, 1])
    norm[norm == 0] = 1.0
    right = np.column_stack([tangent[:, 1], -tangent[:, 0]]) / norm[:, None]
    return xy + right * d


def _arrow(ax: Axes, xy: NDArray[np.float64], color: str, size: float, zorder: float) -> None:
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


# --- output ------------------------------------------------------------------------------------


def _rc(families: list[str]) -> Any:
    return {  # a plain dict: matplotlib's stubs type rc_context's keys as literals
        "font.family": families,
        "svg.hashsalt": "geo-static",
        "svg.fonttype": "path",  # glyphs as paths: Korean shows without the reader's fonts
        "pdf.fonttype": 42,  # TrueType subsets: text stays selectable and searchable
        "pdf.compression": 6,
        "path.simplify": True,
        "text.usetex": False,
        "axes.unicode_minus": False,
        "savefig.facecolor": "white",
    }


def _image_bytes(fig: Figure, fmt: str, size: Size, title: str) -> bytes:
    buf = io.BytesIO()
    if fmt == "svg":
        metadata: dict[str, Any] = {"Date": None, "Title": title}
    elif fmt == "pdf":
        metadata = {"CreationDate": None, "ModDate": None, "Title": title, "Creator": "geo"}
    else:
        metadata = {"Title": title}
    fig.savefig(buf, format=fmt, dpi=size.dpi, metadata=metadata)
    return buf.getvalue()


@contextlib.contextmanager
def _drawn(trip: Trip, size: str | Size, lang: str | None) -> Iterator[tuple[Figure, _Scene]]:
    """The map drawn on a figure, inside the matplotlib settings it must be saved with."""
    import matplotlib

    dims = size if isinstance(size, Size) else parse_size(size)
    lang = lang or trip.meta.lang
    if lang not in i18n.LANGS:
        raise ExportError(f"unknown language {lang!r}; use one of {', '.join(i18n.LANGS)}")
    scene = _scene(trip, lang)
    texts = [scene.title, scene.subtitle, scene.footer, *(s.name for s in scene.stops)]
    with _quiet_logs():
        families, bold = _families(lang, texts)
        with matplotlib.rc_context(_rc(families)):
            yield _draw(scene, dims, bold), scene


def render_bytes(
    trip: Trip, fmt: str, size: str | Size = "social", lang: str | None = None
) -> bytes:
    """The bytes of a static map, computed fully in memory; see :func:`render_static`."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown image format {fmt!r}; use one of {', '.join(FORMATS)}")
    dims = size if isinstance(size, Size) else parse_size(size)
    with _drawn(trip, dims, lang) as (fig, scene):
        return _image_bytes(fig, fmt, dims, scene.title)


def render_static(
    trip: Trip, path: str | Path, size: str | Size = "social", lang: str | None = None
) -> Path:
    """Draw a trip as a static map and write it to ``path``: PNG, SVG or PDF by the suffix.

    Parameters
    ----------
    trip
        From :func:`geo.load_trip`.
    path
        The file to write, ending in ``.png``, ``.svg`` or ``.pdf``; written atomically (an
        error leaves no file behind) and deterministically (the same input gives the same
        bytes).
    size
        ``"social"`` (1200 x 675 px), ``"print"`` (150 x 100 mm at 300 dpi) or ``"WxH"`` in
        pixels; see :func:`parse_size`.
    lang
        ``"en"`` or ``"ko"``; the trip's own language when not given.

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    ExportError
        For an unknown suffix, size or language, or Korean text without a Korean font.
    """
    from geo.formats.atomic import atomic_write

    target = Path(path)
    data = render_bytes(trip, _format_of(target), size, lang)
    atomic_write(target, data)
    return target
