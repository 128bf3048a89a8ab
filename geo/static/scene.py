"""What the static map shows, as plain data built from a :class:`~geo.trip.Trip`: stops, legs,
routes, deals, title, footer and legend items, already projected."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from geo import i18n, style
from geo.static.projection import Projection, choose_projection, project, project_path
from geo.static.theme import LINE, PX_TO_PT, RES_FILL

if TYPE_CHECKING:
    from numpy.typing import NDArray

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
    lang: str
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


def build_scene(trip: Trip, lang: str) -> Scene:
    """Everything the static map shows for ``trip`` in ``lang``, projected and styled."""
    located = [i for i, g in enumerate(trip.deals.geometry.array) if g is not None]
    proj = _projection_for(trip, located)
    currency, amounts, deals = _deals(trip, located, proj, lang)
    title, subtitle, footer = _texts(trip, proj, lang)
    s = trip.stops
    scene = Scene(
        lang=lang,
        projection=proj,
        title=title,
        subtitle=subtitle,
        footer=footer,
        stops=_stops(trip, proj, lang),
        legs=_legs(trip, proj),
        routes=_offset_twins(_routes(trip, proj)),
        deals=deals,
        home=frozenset(str(c) for c in s["country"] if c),
        partners=frozenset(str(c) for c in trip.resources["country"] if c),
        badges=_badges(trip),
    )
    legend = _legend_items(trip, scene, currency, amounts)
    return dataclasses.replace(scene, legend=legend)


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


def _stops(trip: Trip, proj: Projection, lang: str) -> list[Stop]:
    """Stops: one marker per place, numbered with every visit ("1 · 6"), with their dates."""
    from geo.describe import visits

    s = trip.stops
    labels = _col(s, "label", lang, trip.meta.lang)
    stop_ll = _lonlat(s.geometry.array)
    stop_xy = project(proj, stop_ll[:, 0], stop_ll[:, 1]) if len(stop_ll) else stop_ll
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
            Stop(
                (float(stop_xy[i, 0]), float(stop_xy[i, 1])),
                " · ".join(str(j + 1) for j in group),
                str(labels[i] or ""),
                dates,
            )
        )
    return stops


def _legs(trip: Trip, proj: Projection) -> list[Line]:
    """The legs as lines in their mode's dashes; a path crossing a world map's edge is drawn in
    pieces, one on each side."""
    return [
        Line(xy, LINE, style.LEG_MODE.get(m, (None, None))[1], m)
        for i in _drawn_legs(trip)
        for m in [str(trip.legs["mode"].iloc[i])]
        for xy in project_path(proj, trip.leg_paths.coords(i))
    ]


def _routes(trip: Trip, proj: Projection) -> list[Line]:
    """Trade routes in their mode's colour and dashes, as wide as their flow."""
    from geo.describe import flow_sizes

    route_lines = []
    _, flow_amounts, flow_largest = flow_sizes(trip)
    for i in range(len(trip.route_paths)):
        mode = trip.routes["mode"].iloc[i] or "none"
        color, _, dashes = style.ROUTE_MODE.get(mode, style.ROUTE_MODE["none"])
        width = style.flow_width(flow_amounts[i], flow_largest) * PX_TO_PT * 0.8
        route_lines += [
            Line(xy, color, dashes, mode, width_pt=width)
            for xy in project_path(proj, trip.route_paths.coords(i))
        ]
    return route_lines


def _deals(
    trip: Trip, located: list[int], proj: Projection, lang: str
) -> tuple[str | None, list[float | None], list[Deal]]:
    """Deals: proportional symbols by the value in one reported currency; returns that
    currency, each located deal's amount in it, and the symbols, fanned out where they meet."""
    deals = trip.deals
    currency = _size_currency([deals["value"].iloc[i] for i in located])
    amounts = [
        next(
            (float(v["amount"]) for v in deals["value"].iloc[i] if v["currency"] == currency), None
        )
        for i in located
    ]
    largest = max((a for a in amounts if a), default=None)
    deal_ll = _lonlat(deals.geometry.array[i] for i in located)
    deal_xy = project(proj, deal_ll[:, 0], deal_ll[:, 1]) if len(deal_ll) else deal_ll
    deal_marks = []
    for k, i in enumerate(located):
        amount = amounts[k]
        status = deals["status"].iloc[i] or "none"
        color, shape = style.DEAL_STATUS.get(status, style.DEAL_STATUS["none"])
        deal_marks.append(
            Deal(
                (float(deal_xy[k, 0]), float(deal_xy[k, 1])),
                style.deal_radius(amount, largest) * PX_TO_PT,
                color,
                shape,
                status,
                deals["precision"].iloc[i] in ("region", "country"),
                i18n.money(amount, currency, lang) if amount and currency else "",
            )
        )
    return currency, amounts, _spread(deal_marks)


def _texts(trip: Trip, proj: Projection, lang: str) -> tuple[str, str, str]:
    """Title, subtitle (with the trip's dates unless it names the year) and footer (credit,
    sources, basemap, projection)."""
    meta = trip.meta
    default = meta.lang
    s = trip.stops
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
    return title, subtitle, " · ".join(footer)


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


def _legend_items(
    trip: Trip,
    scene: Scene,
    currency: str | None,
    amounts: list[float | None],
) -> list[LegendItem]:
    from geo.describe import leg_label, leg_modes

    lang = scene.lang
    items = [LegendItem("head", i18n.t("itinerary", lang))]
    items.append(LegendItem("stop", i18n.t("stops", lang)))
    for mode in leg_modes(trip):
        dashes = style.LEG_MODE.get(mode, ("", None))[1]
        items.append(LegendItem("line", leg_label(mode, lang), LINE, dashes))
    statuses = [k for k in style.DEAL_STATUS if any(d.status == k for d in scene.deals)]
    if statuses:
        items.append(LegendItem("head", i18n.t("deals", lang)))
        for k in statuses:
            color, shape = style.DEAL_STATUS[k]
            items.append(LegendItem("shape", i18n.t(f"status_{k}", lang), color, shape=shape))
        if any(d.approx for d in scene.deals):
            items.append(LegendItem("approx", i18n.t("approximate", lang), "#7a7a7a"))
        if currency and any(amounts):
            items.append(LegendItem("note", i18n.t("size_note", lang, cur=currency)))
    if len(trip.resources):
        from geo.describe import commodities_by_group

        commodities = sorted({c for cs in trip.resources["commodities"] for c in cs})
        items.append(LegendItem("head", i18n.t("resources", lang)))
        items.append(LegendItem("fill", i18n.t("partner_country", lang), RES_FILL))
        for g, cs in commodities_by_group(commodities):
            names = ", ".join(i18n.commodity(c, lang) for c in cs)
            label = f"{i18n.t(f'group_{g}', lang)}: {names}"
            items.append(LegendItem("badge", label, style.COMMODITY_GROUP[g]))
    seen = sorted({r.mode for r in scene.routes})
    if seen:
        items.append(LegendItem("head", i18n.t("routes", lang)))
        for mode in seen:
            color, _, dashes = style.ROUTE_MODE.get(mode, style.ROUTE_MODE["none"])
            items.append(LegendItem("line", i18n.t(f"mode_{mode}", lang), color, dashes))
        from geo.describe import flow_legend, flow_sizes

        flow_currency, _, flow_largest = flow_sizes(trip)
        if flow_currency and flow_largest:
            items.append(LegendItem("note", i18n.t("flow_width", lang, cur=flow_currency)))
        for label, w in flow_legend(trip, lang):
            items.append(LegendItem("width", label, "#555555", width=w * PX_TO_PT * 0.8))
    return items
