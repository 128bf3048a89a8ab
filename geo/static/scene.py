"""What the static map shows, as plain data built from a :class:`~geo.trip.Trip`: stops, legs,
routes, deals, title, footer and legend items, already projected."""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from geo import style
from geo.static.projection import Projection, choose_projection, project, project_path
from geo.static.theme import LINE, PX_TO_PT

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from geo.i18n import Locale
    from geo.scene import Scene as SharedScene
    from geo.trip import Trip

__all__ = ["Deal", "LegendItem", "Line", "Scene", "Stop", "build_scene"]


@dataclass(frozen=True)
class Stop:
    xy: tuple[float, float]
    numbers: str
    name: str
    dates: str


@dataclass(frozen=True)
class Line:
    xy: NDArray[np.float64]
    color: str
    dashes: tuple[float, ...] | None
    mode: str = ""
    twin: bool = False  # a route with another in the opposite direction
    width_pt: float = 1.25
    leg: int = -1  # for a leg, its row in the trip's legs (a leg may be drawn in pieces)


@dataclass(frozen=True)
class Deal:
    xy: tuple[float, float]
    radius_pt: float
    color: str
    shape: str
    status: str
    approx: bool
    value: str = ""
    offset_pt: tuple[float, float] = (0.0, 0.0)


@dataclass(frozen=True)
class LegendItem:
    kind: str  # head, stop, line, shape, approx, fill, note, badge, width
    label: str
    color: str = ""
    dashes: tuple[float, ...] | None = None
    shape: str = ""
    width: float = 0.0


@dataclass(frozen=True)
class Scene:
    loc: Locale
    projection: Projection
    title: str
    subtitle: str
    footer: str
    stops: list[Stop]
    legs: list[Line]
    routes: list[Line]
    deals: list[Deal]
    home: frozenset[str]
    partners: frozenset[str]
    legend: list[LegendItem] = field(default_factory=list)
    # Partner country -> one colour per commodity group of its resources (the legend's swatches).
    badges: dict[str, tuple[str, ...]] = field(default_factory=dict)
    names: dict[str, dict[str, str]] = field(default_factory=dict)  # the trip's names: section
    theme: str = "light"  # a palette of geo.palette.THEMES
    inset: str = "auto"  # geo.context.INSET_CHOICES
    context: str = "capitals"  # geo.context.CONTEXT_CHOICES


def build_scene(trip: Trip, loc: Locale | str) -> Scene:
    """Everything the static map shows for ``trip`` in ``loc``'s language, projected and styled: the
    shared :func:`geo.scene.build_scene` (visits, dates, sizes, legend), drawn in points."""
    from geo import scene as shared
    from geo.i18n import locale

    loc = locale(loc)

    common = shared.build_scene(trip, loc)
    proj = _projection_for(trip, [d.row for d in common.deals])
    title, subtitle, footer = _texts(common, proj, loc)
    s = trip.stops
    return Scene(
        loc=loc,
        projection=proj,
        title=title,
        subtitle=subtitle,
        footer=footer,
        stops=_stops(common, proj),
        legs=_legs(trip, proj),
        routes=_offset_twins(_routes(trip, common, proj)),
        deals=_deals(common, proj, loc),
        home=frozenset(str(c) for c in s["country"] if c),
        partners=frozenset(str(c) for c in trip.resources["country"] if c),
        badges=_badges(trip),
        legend=_legend_items(common),
        names=dict(trip.records.names),
    )


def _lonlat(geoms: Any) -> NDArray[np.float64]:
    """(n, 2) longitudes and latitudes of points."""
    return np.array([[g.x, g.y] for g in geoms], dtype=float).reshape(-1, 2)


def _drawn_legs(trip: Trip) -> list[int]:
    """Indices of the legs with a length (a leg within one place is not drawn)."""
    return [i for i, d in enumerate(trip.leg_paths.distance_m) if d > 0]


def _projection_for(trip: Trip, located: list[int]) -> Projection:
    """The projection that fits the stops, located deals, legs and routes."""
    stop_ll = _lonlat(trip.stops.geometry.array)
    deal_ll = _lonlat(trip.deals.geometry.array[i] for i in located)
    legs = [trip.leg_paths.coords(i) for i in _drawn_legs(trip)]
    routes = [trip.route_paths.coords(i) for i in range(len(trip.route_paths))]
    every = np.concatenate([stop_ll, deal_ll, *legs, *routes]) if len(stop_ll) else stop_ll
    return choose_projection(every[:, 0], every[:, 1])


def _stops(common: SharedScene, proj: Projection) -> list[Stop]:
    """Stops: one marker per place, numbered with every visit ("1 · 6"), with their dates."""
    if not common.visits:
        return []
    lon = np.array([v.lon for v in common.visits])
    lat = np.array([v.lat for v in common.visits])
    xy = project(proj, lon, lat)
    return [
        Stop((float(xy[k, 0]), float(xy[k, 1])), v.numbers, v.label, v.dates)
        for k, v in enumerate(common.visits)
    ]


def _legs(trip: Trip, proj: Projection) -> list[Line]:
    """The legs as lines in their mode's dashes; a path crossing a world map's edge is drawn in
    pieces, one on each side."""
    return [
        Line(xy, LINE, style.LEG_MODE.get(m, (None, None))[1], m, leg=i)
        for i in _drawn_legs(trip)
        for m in [str(trip.legs["mode"].iloc[i])]
        for xy in project_path(proj, trip.leg_paths.coords(i))
    ]


def _routes(trip: Trip, common: SharedScene, proj: Projection) -> list[Line]:
    """Trade routes in their mode's colour and dashes, as wide as their flow."""
    route_lines = []
    for i in range(len(trip.route_paths)):
        mode = trip.routes["mode"].iloc[i] or "none"
        color, _, dashes = style.ROUTE_MODE.get(mode, style.ROUTE_MODE["none"])
        width = common.flow_widths[i] * PX_TO_PT * 0.8
        route_lines += [
            Line(xy, color, dashes, mode, width_pt=width)
            for xy in project_path(proj, trip.route_paths.coords(i))
        ]
    return route_lines


def _deals(common: SharedScene, proj: Projection, loc: Locale) -> list[Deal]:
    """Deals: the scene's proportional symbols in points, fanned out where they meet."""
    if not common.deals:
        return []
    lon = np.array([d.lon for d in common.deals])
    lat = np.array([d.lat for d in common.deals])
    xy = project(proj, lon, lat)
    currency = common.deal_currency
    return _spread(
        [
            Deal(
                (float(xy[k, 0]), float(xy[k, 1])),
                d.radius_px * PX_TO_PT,
                d.color,
                d.shape,
                d.status,
                d.approx,
                loc.money(d.amount, currency) if d.amount and currency else "",
            )
            for k, d in enumerate(common.deals)
        ]
    )


def _texts(common: SharedScene, proj: Projection, loc: Locale) -> tuple[str, str, str]:
    """Title, subtitle (with the trip's dates unless it names the year) and footer (credit,
    sources, basemap, projection)."""
    subtitle = common.subtitle
    if common.first is not None and str(common.first.year) not in subtitle:
        subtitle = f"{subtitle} · {common.dates}" if subtitle else common.dates
    credit = common.credit
    names = [n for n in common.sources if n not in credit]
    footer = [credit] if credit else []
    if names:
        footer.append(f"{loc.t('sources')}: {'; '.join(names)}")
    footer += [loc.t("basemap_credit"), proj.name(loc)]
    return common.title, subtitle, " · ".join(footer)


def _badges(trip: Trip) -> dict[str, tuple[str, ...]]:
    from geo.scene import commodities_by_group, resources_by_country

    r = trip.resources
    return {
        code: tuple(
            style.COMMODITY_GROUP[g]
            for g, _ in commodities_by_group([c for i in rows for c in r["commodities"].iloc[i]])
        )
        for code, rows in resources_by_country(trip)
    }


def _spread(deals: list[Deal]) -> list[Deal]:
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


def _offset_twins(routes: list[Line]) -> list[Line]:
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


def _legend_items(common: SharedScene) -> list[LegendItem]:
    """The shared legend, drawn in points: a heading per section, then its rows."""
    items = []
    for section in common.legend:
        items.append(LegendItem("head", section.title))
        for it in section.items:
            width = it.width_px * PX_TO_PT * 0.8 if it.kind == "width" else 0.0
            items.append(LegendItem(it.kind, it.label, it.color, it.dashes, it.shape, width))
    return items
