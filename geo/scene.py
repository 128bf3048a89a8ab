"""What a map of a trip shows, resolved once per trip and language: the one source of truth.

The HTML map (``geo.render.payload``), the static image (``geo.static``), ``alt.txt`` and the
text version (``geo.describe``, ``geo.render.page``) are views of a :class:`Scene`: the places
with their visit numbers and local dates, the deal symbols with their sizes in one stated
currency, the flow widths, the legend, the title, the trip's dates and the day-by-day steps.
None of them computes these again, so they cannot disagree.

Sizes are CSS pixels (each renderer converts: the static image draws in points). Positions are
longitude/latitude as the trip has them; unwrapping across the antimeridian and projection are
the renderers' business.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from geo import style

if TYPE_CHECKING:
    from geo.i18n import Locale
    from geo.trip import Trip

__all__ = [
    "DIRECT_MODES",
    "LARGE",
    "DealMark",
    "LegendItem",
    "LegendSection",
    "Scene",
    "Step",
    "Visit",
    "Chapter",
    "build_scene",
    "column",
    "commodities_by_group",
    "country_commodities",
    "date_text",
    "deal_value",
    "flow_legend",
    "flow_sizes",
    "leg_label",
    "leg_modes",
    "leg_seconds",
    "path_words",
    "resources_by_country",
    "size_currency",
    "stop_labels",
    "visits",
]

# Above this many stops (or routes) a layer is drawn for scale: on a canvas, simplified, without
# permanent labels, arrows or flow widths. A DOM element per feature chokes a browser at
# thousands; a canvas does not.
LARGE = 300


@dataclass(frozen=True)
class Visit:
    """One marker per place: the stops made there (a round trip's ends are one place)."""

    rows: tuple[int, ...]
    numbers: str  # "1 · 6"
    label: str
    dates: str  # "Jun 10 · Jun 16"
    title: str  # the accessible name: "1 · 6. Seongnam; Jun 10 · Jun 16"
    lon: float
    lat: float


@dataclass(frozen=True)
class DealMark:
    """A located deal as a proportional symbol."""

    row: int
    lon: float
    lat: float
    status: str
    color: str
    shape: str
    approx: bool
    radius_px: float
    amount: float | None  # in the scene's sizing currency; None: drawn at the neutral size
    title: str


@dataclass(frozen=True)
class LegendItem:
    """One legend row; each renderer draws its key from these fields."""

    kind: str  # stop, line, shape, approx, fill, badge, width, note
    label: str
    color: str = ""
    dash: str = ""  # SVG dash array
    dashes: tuple[float, ...] | None = None  # matplotlib dashes, in points
    shape: str = ""
    width_px: float = 0.0


@dataclass(frozen=True)
class LegendSection:
    title: str
    items: tuple[LegendItem, ...]


@dataclass(frozen=True)
class Step:
    """A step of the day-by-day timeline: one local date, in the order the trip lives it."""

    day: dt.date
    label: str  # "Jun 11"
    full: str  # "Jun 11, 2024"
    events: tuple[str, ...]
    stops: frozenset[int]  # stop rows present that day
    legs: frozenset[int]  # leg rows travelled that day


@dataclass(frozen=True)
class Chapter:
    """One step of the story: a stop's visit by default (its arrival, its note, the deals dated
    there during the visit); rows of the trip's frames."""

    title: str  # "3. Astana · Jun 11 – 13"
    text: str  # the stop's note, then "Deals: …"
    stops: tuple[int, ...]
    legs: tuple[int, ...]  # by default the leg that arrives
    deals: tuple[int, ...]
    routes: tuple[int, ...] = ()
    view: tuple[tuple[str, float, float, float], ...] = ()  # (screen, lat, lon, zoom)
    resources: tuple[int, ...] = ()


@dataclass(frozen=True)
class Scene:
    """Everything every output of a trip shows, in one language."""

    loc: Locale
    title: str
    subtitle: str
    first: dt.date | None
    last: dt.date | None
    dates: str  # "Jun 10–16, 2024"
    visits: tuple[Visit, ...]
    deals: tuple[DealMark, ...]
    deal_currency: str | None
    flow_currency: str | None
    flow_widths: tuple[float, ...]  # pixels, one per route
    legend: tuple[LegendSection, ...]
    sources: tuple[str, ...]
    credit: str
    steps: tuple[Step, ...]
    chapters: tuple[Chapter, ...] = ()


# --- words and facts shared by every view ------------------------------------------------------

# Modes whose path is the geodesic for want of a network: a direct line, never the track.
DIRECT_MODES = frozenset({"rail", "road", "pipeline"})


def deal_value(values: list[dict[str, Any]], loc: Locale) -> str:
    """Every reported value in its own currency: ``USD 200 million (KRW 270 billion)``."""
    if not values:
        return loc.t("not_reported")
    parts = [loc.money(float(v["amount"]), str(v["currency"])) for v in values]
    return parts[0] + (f" ({'; '.join(parts[1:])})" if len(parts) > 1 else "")


def size_currency(values: list[list[dict[str, Any]]]) -> str | None:
    """The currency most records report in (USD on a tie, then alphabetical): symbols and flows
    are sized by amounts in that one currency, never converted."""
    counts: dict[str, int] = {}
    for vals in values:
        for cur in {str(v["currency"]) for v in vals}:
            counts[cur] = counts.get(cur, 0) + 1
    if not counts:
        return None
    return min(counts, key=lambda c: (-counts[c], c != "USD", c))


def flow_sizes(trip: Trip) -> tuple[str | None, list[float | None], float | None]:
    """How trade routes are sized: the currency, each route's amount in it, the largest."""
    values = list(trip.routes["value"])
    currency = size_currency(values)
    amounts = [
        next((float(v["amount"]) for v in vals if v["currency"] == currency), None)
        for vals in values
    ]
    return currency, amounts, max((a for a in amounts if a), default=None)


def flow_legend(trip: Trip, loc: Locale) -> list[tuple[str, float]]:
    """Legend rows of the flow widths: (label, width in pixels), largest first, then a thin
    line for routes that are not sized and why."""
    from geo import style

    currency, amounts, largest = flow_sizes(trip)
    rows: list[tuple[str, float]] = []
    if currency and largest:
        for amount in (largest, largest / 4):
            rows.append((loc.money(amount, currency), style.flow_width(amount, largest)))
    unsized = [i for i, a in enumerate(amounts) if not a]
    valued = [i for i in unsized if trip.routes["value"].iloc[i]]
    other = sorted({str(v["currency"]) for i in valued for v in trip.routes["value"].iloc[i]})
    if other:
        rows.append((loc.t("flow_other_currency", cur=", ".join(other)), style.FLOW_UNSIZED_PX))
    if len(valued) < len(unsized):
        rows.append((loc.t("flow_no_value"), style.FLOW_UNSIZED_PX))
    return rows


def resources_by_country(trip: Trip) -> list[tuple[str, list[int]]]:
    """Rows of the resources layer grouped by country, countries in order of first mention."""
    groups: dict[str, list[int]] = {}
    for i, code in enumerate(trip.resources["country"]):
        groups.setdefault(str(code), []).append(i)
    return list(groups.items())


def commodities_by_group(commodities: list[str]) -> list[tuple[str, list[str]]]:
    """Commodities (without repeats) by group, groups in the vocabulary's order."""
    from geo.vocab import COMMODITY_GROUPS, commodity_group

    order = [*COMMODITY_GROUPS, "other"]
    out: dict[str, list[str]] = {}
    for c in dict.fromkeys(commodities):
        out.setdefault(commodity_group(c), []).append(c)
    return [(g, out[g]) for g in order if g in out]


def country_commodities(trip: Trip, rows: list[int], loc: Locale) -> str:
    """``Energy: natural gas, uranium; Battery materials: lithium`` for one country's rows."""
    listed = [c for i in rows for c in trip.resources["commodities"].iloc[i]]
    return "; ".join(
        f"{loc.t(f'group_{g}')}: {', '.join(loc.commodity(c) for c in cs)}"
        for g, cs in commodities_by_group(listed)
    )


def path_words(mode: str | None, kind: str, great_circle_km: float, loc: Locale) -> str:
    """What a leg's or route's line is: ``sea lane (great circle 16,432 km)``, ``great
    circle``, or for rail, road and pipeline ``direct line, not the track``."""
    if kind == "sea-lane":
        gc = f"{loc.t('great_circle')} {great_circle_km:,.0f} km"
        return f"{loc.t('path_sea-lane')} ({gc})"
    if mode in DIRECT_MODES:
        return loc.t("path_direct")
    return loc.t("path_geodesic")


def leg_modes(trip: Trip) -> list[str]:
    """The modes of the drawn legs (not coincident stops), in the vocabulary's order."""
    from geo.vocab import LEG_MODES

    drawn = {m for m, d in zip(trip.legs["mode"], trip.legs["distance_km"], strict=True) if d > 0}
    return [m for m in LEG_MODES if m in drawn]


def leg_label(mode: str, loc: Locale) -> str:
    """``Legs (sea)``; rail and road say they are drawn as direct lines."""
    label = loc.t("legs_mode", mode=loc.t(f"mode_{mode}"))
    return f"{label}: {loc.t('path_direct')}" if mode in DIRECT_MODES else label


def visits(trip: Trip) -> list[list[int]]:
    """Stops grouped by location: a place visited twice (a round trip's ends) is one group."""
    groups: dict[tuple[float, float], list[int]] = {}
    for i, g in enumerate(trip.stops.geometry.array):
        groups.setdefault((round(g.x, 5), round(g.y, 5)), []).append(i)
    return list(groups.values())


def column(frame: Any, name: str, loc: Locale, default: str) -> list[Any]:
    """A text column in the locale's language (``label_ko``), else in the trip's own language,
    as a list; see :meth:`geo.i18n.Locale.column`."""
    return loc.column(frame, name, default)


def stop_labels(trip: Trip, loc: Locale) -> list[str]:
    """Each stop's name in the locale's language: its ``label`` when the trip gives one in that
    language (or for every language), else the gazetteer's name for the place in that language
    (:mod:`geo.placenames`), else the trip's own language, else English."""
    default = trip.meta.lang
    return [loc.text(st.label, default) for st in trip.records.stops]


def _visits(trip: Trip, loc: Locale) -> tuple[Visit, ...]:
    """Stops grouped by location, numbered with every visit, with their local dates."""
    s = trip.stops
    default = trip.meta.lang
    labels, venues = stop_labels(trip, loc), column(s, "venue", loc, default)
    out = []
    for rows in visits(trip):
        i = rows[0]
        numbers = " · ".join(str(j + 1) for j in rows)
        dates = " · ".join(
            d
            for j in rows
            if (
                d := loc.date_range(
                    s["arrive_date"][j] or s["depart_date"][j],
                    s["depart_date"][j] or s["arrive_date"][j],
                )
            )
        )
        point = s.geometry.array[i]
        title = "; ".join(filter(None, (f"{numbers}. {labels[i]}", venues[i], dates)))
        out.append(
            Visit(tuple(rows), numbers, str(labels[i] or ""), dates, title, point.x, point.y)
        )
    return tuple(out)


def _deals(trip: Trip, loc: Locale) -> tuple[tuple[DealMark, ...], str | None]:
    """Located deals, sized by their value in the one currency most deals report."""
    d = trip.deals
    titles = column(d, "title", loc, trip.meta.lang)
    located = [i for i, g in enumerate(d.geometry.array) if g is not None]
    currency = size_currency([d["value"].iloc[i] for i in located])
    amounts = {
        i: next((float(v["amount"]) for v in d["value"].iloc[i] if v["currency"] == currency), None)
        for i in located
    }
    largest = max((a for a in amounts.values() if a), default=None)
    marks = []
    for i in located:
        status = d["status"].iloc[i] or "none"
        color, shape = style.DEAL_STATUS.get(status, style.DEAL_STATUS["none"])
        g = d.geometry.array[i]
        marks.append(
            DealMark(
                row=i,
                lon=g.x,
                lat=g.y,
                status=status,
                color=color,
                shape=shape,
                approx=d["precision"].iloc[i] in ("region", "country"),
                radius_px=round(style.deal_radius(amounts[i], largest), 1),
                amount=amounts[i],
                title=str(titles[i] or ""),
            )
        )
    return tuple(marks), currency


def _deal_section(
    trip: Trip, marks: tuple[DealMark, ...], currency: str | None, loc: Locale
) -> Any:
    statuses = [k for k in style.DEAL_STATUS if any(m.status == k for m in marks)]
    if not statuses:
        return None
    items = [
        LegendItem(
            "shape",
            loc.t(f"status_{k}"),
            style.DEAL_STATUS[k][0],
            shape=style.DEAL_STATUS[k][1],
        )
        for k in statuses
    ]
    if any(m.approx for m in marks):
        items.append(LegendItem("approx", loc.t("approximate"), "#7a7a7a"))
    if currency and any(m.amount for m in marks):
        items.append(LegendItem("note", loc.t("size_note", cur=currency)))
        other = sorted(
            {
                str(v["currency"])
                for m in marks
                if not m.amount
                for v in trip.deals["value"].iloc[m.row]
            }
        )
        if other:
            items.append(LegendItem("note", loc.t("size_other_currency", cur=", ".join(other))))
    return LegendSection(loc.t("deals"), tuple(items))


def _resource_section(trip: Trip, loc: Locale) -> LegendSection | None:
    if not len(trip.resources):
        return None
    listed = sorted({c for cs in trip.resources["commodities"] for c in cs})
    fill = str(style.RESOURCE_FILL["fill"])
    items = [LegendItem("fill", loc.t("partner_country"), fill)]
    items += [
        LegendItem(
            "badge",
            f"{loc.t(f'group_{g}')}: " + ", ".join(loc.commodity(c) for c in cs),
            style.COMMODITY_GROUP[g],
        )
        for g, cs in commodities_by_group(listed)
    ]
    return LegendSection(loc.t("resources"), tuple(items))


def _route_section(trip: Trip, loc: Locale) -> LegendSection | None:
    if not len(trip.routes):
        return None
    modes = sorted({m or "none" for m in trip.routes["mode"]})
    items = []
    for mode in modes:
        color, dash, dashes = style.ROUTE_MODE.get(mode, style.ROUTE_MODE["none"])
        items.append(LegendItem("line", loc.t(f"mode_{mode}"), color, dash, dashes))
    currency, _, largest = flow_sizes(trip)
    if len(trip.routes) > LARGE:
        return LegendSection(loc.t("routes"), tuple(items))  # drawn for scale: no widths
    if currency and largest:
        items.append(LegendItem("note", loc.t("flow_width", cur=currency)))
    items += [
        LegendItem("width", label, "#555555", width_px=round(w, 1))
        for label, w in flow_legend(trip, loc)
    ]
    return LegendSection(loc.t("routes"), tuple(items))


def _legend(
    trip: Trip, marks: tuple[DealMark, ...], currency: str | None, loc: Locale
) -> tuple[LegendSection, ...]:
    """The legend: only what is drawn, in the words and styles it is drawn with."""
    line = str(style.ITINERARY["line"])
    legs = [
        LegendItem("line", leg_label(m, loc), line, *style.LEG_MODE.get(m, style.LEG_MODE["air"]))
        for m in leg_modes(trip)
    ]
    itinerary = LegendSection(loc.t("itinerary"), (LegendItem("stop", loc.t("stops")), *legs))
    sections = [
        itinerary if len(trip.stops) else None,  # a map of flows alone (geo flows --top)
        _deal_section(trip, marks, currency, loc),
        _resource_section(trip, loc),
        _route_section(trip, loc),
    ]
    return tuple(s for s in sections if s is not None)


def date_text(first: dt.date | None, last: dt.date | None, loc: Locale) -> str:
    """``Jun 10–16, 2024``; a range that goes back in the calendar says both dates in full."""
    if first is None or last is None:
        return ""
    if last < first:
        return f"{loc.day(first, year=True)} – {loc.day(last, year=True)}"
    return loc.date_range(first, last, year=True)


# Longer than this and a timeline would be a year of empty days.
MAX_STEPS = 366


def _steps(trip: Trip, loc: Locale) -> tuple[Step, ...]:
    """The timeline: one step per local date, in the order the trip lives them, with the days
    of a stay filled in. Only dates the trip file states are used."""
    s = trip.stops
    labels = stop_labels(trip, loc)
    # Events in itinerary order (stops are chronological): (local day, text, stop, legs).
    events: list[tuple[dt.date, str, int | None, tuple[int, ...]]] = []
    n_legs = len(trip.legs)
    for j in range(len(s)):
        a, d = s["arrive_date"][j], s["depart_date"][j]
        if a is not None:
            leg = (j - 1,) if j > 0 else ()
            events.append((a, f"{loc.t('arrive').capitalize()}: {labels[j]}", j, leg))
        if d is not None:
            leg = (j,) if j < n_legs else ()
            events.append((d, f"{loc.t('depart').capitalize()}: {labels[j]}", j, leg))
    if not events:
        return ()
    days: list[dt.date] = []
    for day, *_ in events:
        if days and day == days[-1]:
            continue
        if days and days[-1] < day <= days[-1] + dt.timedelta(days=MAX_STEPS):
            gap = (day - days[-1]).days
            days += [days[-1] + dt.timedelta(days=k) for k in range(1, gap)]
        days.append(day)
        if len(days) > MAX_STEPS:
            return ()
    return _fill_steps(trip, loc, days, events)


def _fill_steps(
    trip: Trip,
    loc: Locale,
    days: list[dt.date],
    events: list[tuple[dt.date, str, int | None, tuple[int, ...]]],
) -> tuple[Step, ...]:
    """Attach events, stops present and legs travelled to each step, in order."""
    texts: list[list[str]] = [[] for _ in days]
    stops: list[set[int]] = [set() for _ in days]
    legs: list[set[int]] = [set() for _ in days]
    k = 0
    where: dict[int, int] = {}  # stop row -> step of its first event
    for day, text, stop, leg in events:
        while days[k] != day:
            k += 1
        texts[k].append(text)
        legs[k].update(leg)
        if stop is not None:
            start = where.setdefault(stop, k)
            for m in range(start, k + 1):
                stops[m].add(stop)
    titles = column(trip.deals, "title", loc, trip.meta.lang)
    for row, when in enumerate(trip.deals["date"]):
        if when is not None and when in days:
            texts[days.index(when)].append(str(titles[row]))
    return tuple(
        Step(
            day,
            loc.day(day),
            loc.day(day, year=True),
            tuple(texts[k]),
            frozenset(stops[k]),
            frozenset(legs[k]),
        )
        for k, day in enumerate(days)
    )


# A few entries: one trip in both languages. The cache holds its trips alive, and a long-running
# preview or a many-trip run would otherwise keep a dozen old ones.
def build_scene(trip: Trip, loc: Locale | str) -> Scene:
    """Resolve what every output of ``trip`` shows in ``loc``'s language (a :class:`Locale`, or
    a BCP 47 tag; cached per trip and locale: a Trip is immutable and hashed by identity)."""
    from geo.i18n import locale

    return _build_scene(trip, locale(loc))


@lru_cache(maxsize=4)
def _build_scene(trip: Trip, loc: Locale) -> Scene:
    meta, default = trip.meta, trip.meta.lang
    marks, currency = _deals(trip, loc)
    flow_currency, amounts, largest = flow_sizes(trip)
    first, last = trip.date_range()
    names = tuple(n for src in meta.sources if (n := loc.text(src.name, default)))
    return Scene(
        loc=loc,
        title=loc.text(meta.title, default),
        subtitle=loc.text(meta.subtitle, default),
        first=first,
        last=last,
        dates=date_text(first, last, loc),
        visits=_visits(trip, loc),
        deals=marks,
        deal_currency=currency,
        flow_currency=flow_currency,
        flow_widths=tuple(style.flow_width(a, largest) for a in amounts),
        legend=_legend(trip, marks, currency, loc),
        sources=names,
        credit=loc.text(meta.credit, default),
        steps=_steps(trip, loc),
        chapters=_chapters(trip, loc),
    )


PACE = 2.0
"""Seconds a leg takes to draw in playback, on average."""


def leg_seconds(trip: Trip, pace: float = PACE) -> tuple[float, ...]:
    """How long each leg takes to draw: its travel time (departure to arrival, as the file
    dates and times them) relative to the trip's mean, times ``pace``, kept within half and
    twice ``pace``; ``pace`` for a leg whose times the file does not give."""
    spans: list[float | None] = []
    for dep, arr in zip(trip.legs["depart"], trip.legs["arrive"], strict=True):
        if isinstance(dep, dt.datetime) and isinstance(arr, dt.datetime):
            spans.append(max((arr - dep).total_seconds(), 0.0))
        elif dep is not None and arr is not None:
            d0 = dep.date() if isinstance(dep, dt.datetime) else dep
            d1 = arr.date() if isinstance(arr, dt.datetime) else arr
            spans.append(max((d1 - d0).days, 0) * 86400.0 or 43200.0)  # same day: half a day
        else:
            spans.append(None)
    known = [s for s in spans if s]
    mean = sum(known) / len(known) if known else 0.0
    return tuple(
        round(min(2 * pace, max(pace / 2, pace * s / mean)), 2) if s and mean else pace
        for s in spans
    )


def _chapters(trip: Trip, loc: Locale) -> tuple[Chapter, ...]:
    """The trip's ``story:`` chapters; without them one chapter per stop, in order, with the
    leg that arrives there and the deals dated during the visit in the stop's country."""
    default = trip.meta.lang
    if trip.records.story:
        return tuple(
            Chapter(
                loc.text(c.title, default),
                loc.text(c.text, default),
                c.stops,
                c.legs,
                c.deals,
                c.routes,
                c.view,
                c.resources,
            )
            for c in trip.records.story
        )
    s, d = trip.stops, trip.deals
    if len(s) >= LARGE:
        return ()
    labels = stop_labels(trip, loc)
    notes = column(s, "note", loc, default)
    titles = column(d, "title", loc, default)
    out = []
    for j in range(len(s)):
        first = s["arrive_date"][j] or s["depart_date"][j]
        last = s["depart_date"][j] or s["arrive_date"][j]
        deals = tuple(
            k
            for k in range(len(d))
            if first is not None
            and d["date"][k] is not None
            and first <= d["date"][k] <= last
            and d["country"][k] == s["country"][j]
        )
        dates = loc.date_range(first, last) if first is not None else ""
        title = " · ".join(x for x in (f"{j + 1}. {labels[j]}", dates) if x)
        text = [str(notes[j])] if notes[j] else []
        if deals:
            text.append(f"{loc.t('deals')}: " + "; ".join(str(titles[k]) for k in deals))
        legs = (j - 1,) if j > 0 else ()
        out.append(Chapter(title, " ".join(text), (j,), legs, deals))
    return tuple(out)


def deal_rows(trip: Trip, loc: Locale) -> list[tuple[str, str]]:
    """(title, every reported value) of the deals with a value, for text alternatives."""
    titles = column(trip.deals, "title", loc, trip.meta.lang)
    return [(str(titles[i]), deal_value(v, loc)) for i, v in enumerate(trip.deals["value"]) if v]
