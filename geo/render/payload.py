"""What the map shows, as plain data: built from a Trip's GeoDataFrames, drawn by geo-map.js.

Every string from a trip file travels as JSON data and is put on the page by the browser with
``textContent``: it is shown as text and never parsed as HTML or run. Coordinates are
``[lon, lat]`` here as everywhere in Python; geo-map.js turns them into Leaflet's ``[lat, lon]``
in one function.
"""

from __future__ import annotations

import hashlib
import math
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict

import numpy as np

from geo import style
from geo.geodesy import mercator_lat, mercator_y, near_lon
from geo.scene import (
    LARGE,
    PACE,
    Scene,
    build_scene,
    column,
    commodities_by_group,
    deal_value,
    leg_seconds,
    path_words,
    resources_by_country,
    stop_labels,
)

if TYPE_CHECKING:
    from geo.i18n import Locale
    from geo.trip import Trip

__all__ = ["Payload", "build_payload"]


# --- the payload's shape: the keys geo-map.js reads, one TypedDict per kind of record --------

Coords = list[list[float]]  # [[lon, lat], ...], unwrapped across the antimeridian


class Popup(TypedDict, total=False):
    title: str
    rows: list[list[str]]  # [label, value] pairs, empty values left out
    quote: str  # the source's words
    quotes: list[str]  # several sources (a country's resources)
    note: str


class StopItem(TypedDict):
    """One marker per place (``scene.Visit``)."""

    lon: float
    lat: float
    numbers: str  # "1 · 6"
    label: str
    dates: str
    title: str  # accessible name and popup title
    popup: Popup


class LegItem(TypedDict, total=False):
    coords: Coords
    mode: str
    dash: str  # SVG dash array of the mode
    title: str  # tooltip
    arrow: list[float]  # [lon, lat, screen angle in degrees]
    leg: int  # the trip's leg, where one across the window's edge is drawn as two items


class DealItem(TypedDict, total=False):
    lon: float
    lat: float
    radius: float  # pixels, sized by scene.deal_currency
    color: str
    shape: str
    approx: bool
    title: str
    popup: Popup


class ResourceItem(TypedDict, total=False):
    geom: list[list[list[int]]] | None  # see _encoded
    quantum: float
    title: str
    at: list[float]  # where the country's commodity badges sit
    badges: list[str]
    popup: Popup
    records: list[int]  # the resource records (0-based) that name the country


class RouteItem(TypedDict, total=False):
    coords: Coords
    color: str
    dash: str
    width: float  # pixels, by value (scene.flow_widths)
    mode: str
    title: str
    arrow: list[float]
    popup: Popup


class LegendEntry(TypedDict, total=False):
    kind: str  # stop, line, shape, approx, fill, badge, width, note
    label: str
    color: str
    dash: str
    shape: str
    width: float


class LegendBlock(TypedDict):
    title: str
    items: list[LegendEntry]


class Day(TypedDict):
    label: str
    full: str
    events: list[str]


class Timeline(TypedDict):
    days: list[Day]
    stopDays: list[list[int]]  # per stop marker, the steps that light it
    legDays: list[list[int]]  # per leg, the steps it is travelled on


class Basemap(TypedDict, total=False):
    quantum: float
    features: list[list[Any]]  # [kind (0 land, 1 home, 2 partner), encoded polygons]
    labels: list[list[Any]]  # [lon, lat, name, is-key-country(, alternative [lon, lat]s)]
    context: list[list[Any]]  # [lon, lat, name, rank(, alternative [lon, lat]s)] (geo.context)


class Inset(TypedDict):
    """The inset locator: the land of the region around the map as one SVG path, in a
    ``w`` x ``h`` box that is the equirectangular ``extent`` [west, south, east, north]."""

    w: int
    h: int
    d: str
    extent: list[float]
    label: str


class ChapterItem(TypedDict, total=False):
    title: str
    text: str
    stops: list[int]  # indexes into Payload.stops (places)
    legs: list[int]  # leg rows (LegItem.leg)
    deals: list[int]  # indexes into Payload.deals
    routes: list[int]  # route rows (indexes into Payload.routes)
    resources: list[int]  # resource records (ResourceItem.records)
    view: dict[str, list[float]]  # "phone" / "desktop": [lat, lon, zoom]


class Payload(TypedDict, total=False):
    """Everything geo-map.js draws: the JSON in ``<script id="geo-data">``."""

    lang: str
    trade: dict[str, Any]  # the trade map's places, clusters and summed flows (geo.trademap)
    large: bool  # stops drawn for scale (scene.LARGE or more)
    largeRoutes: bool
    bounds: list[list[float]]  # [[west, south], [east, north]]
    basemap: Basemap
    stops: list[StopItem]
    echo: list[list[Any]]  # [lon, lat, numbers]: a stop's place on another world copy
    legs: list[LegItem]
    deals: list[DealItem]
    resources: list[ResourceItem]
    routes: list[RouteItem]
    legend: list[LegendBlock]
    timeline: Timeline
    strings: dict[str, str]
    style: dict[str, Any]
    embed: bool
    id: str
    inset: Inset
    story: dict[str, Any]  # chapters (ChapterItem), seconds (per leg row)
    storyPage: bool  # geo story: the chapters on the page drive the map


def _r(x: float, nd: int = 4) -> float:
    v = round(float(x), nd) + 0.0
    return int(v) if v.is_integer() else v


def _itinerary(
    trip: Trip, scene: Scene, default: str, large: bool = False
) -> tuple[list[StopItem], list[LegItem], float, list[list[Any]]]:
    """Stops (one marker per place) and legs, unwrapped so the whole trip is continuous."""
    loc = scene.loc
    paths = trip.leg_paths
    s = trip.stops
    stop_lon = _window([float(g.x) for g in s.geometry.array], paths)
    # Each leg starts at its stop's longitude in the window. A leg whose end falls on another
    # world copy of its next stop (it crosses the window's edge) is drawn twice, once from each
    # end, and the copy it reaches is marked (``echo``): no stop's location is left unmarked.
    echo: list[list[Any]] = []
    legs: list[LegItem] = []
    modes = trip.legs["mode"].tolist()
    kinds = trip.legs["path"].tolist()
    direct_km = trip.legs["great_circle_km"].tolist()
    names = stop_labels(trip, loc)
    from_labels = [names[k - 1] for k in trip.legs["from_stop"]]
    to_labels = [names[k - 1] for k in trip.legs["to_stop"]]
    for i in range(len(paths)):
        c = paths.coords(i)
        lon = c[:, 0] + (stop_lon[i] - c[0, 0])
        wrap = round((stop_lon[i + 1] - lon[-1]) / 360) * 360
        km = float(paths.distance_m[i] / 1000)
        if large:
            keep = _simplified(lon, c[:, 1])
            legs.append(
                {
                    "coords": [
                        [_r(x, 3), _r(y, 3)] for x, y in zip(lon[keep], c[keep, 1], strict=True)
                    ],
                    "title": f"{loc.t('leg_word')} {i + 1}: {from_labels[i]} → "
                    f"{to_labels[i]}, {loc.km(km)}",
                }
            )
            continue
        path = path_words(modes[i], kinds[i], direct_km[i], loc)
        for piece in (lon, lon + wrap) if wrap else (lon,):
            legs.append(
                {
                    "coords": [[_r(x), _r(y)] for x, y in zip(piece, c[:, 1], strict=True)],
                    "mode": modes[i],
                    "dash": style.LEG_MODE.get(modes[i], style.LEG_MODE["air"])[0],
                    "title": f"{loc.t('leg_word')} {i + 1}: {from_labels[i]} → "
                    f"{to_labels[i]}, {loc.km(km)}, {loc.t(f'mode_{modes[i]}')}: {path}",
                    "arrow": _arrow(piece, c[:, 1]),
                    "leg": i,
                }
            )
        if wrap:
            echo += [[_r(lon[-1]), _r(c[-1, 1]), i + 1], [_r(lon[0] + wrap), _r(c[0, 1]), i]]
    center = (min(stop_lon) + max(stop_lon)) / 2 if stop_lon else 0.0
    stops: list[StopItem] = [
        {
            "lon": _r(stop_lon[v.rows[0]]),
            "lat": _r(v.lat),
            "numbers": v.numbers,
            "label": v.label,
            "dates": v.dates,
            "title": v.title,
            "popup": _stop_popup(trip, v.rows, v.title, loc),
        }
        for v in scene.visits
    ]
    visit_n = {j: v.numbers for v in scene.visits for j in v.rows}
    # A place visited again on another world copy (a round trip unwrapped end to end).
    echo += [
        [_r(stop_lon[j]), _r(float(s.geometry.array[j].y)), j]
        for v in scene.visits
        for j in v.rows[1:]
        if abs(stop_lon[j] - stop_lon[v.rows[0]]) > 180
    ]
    if len(legs) == len(paths):
        # No leg was split: geo-map.js takes a leg's index as its place in the list.
        for leg in legs:
            leg.pop("leg", None)
    marks = sorted({(x, y, visit_n[j]) for x, y, j in echo})
    return stops, legs, center, [list(m) for m in marks]


def _window(lons: list[float], paths: Any) -> list[float]:
    """Each stop's longitude in the window that shows the trip most compactly: the legs
    unwrapped end to end from the first stop (a trip across the Pacific stays in one piece),
    unless cutting the world at the widest gap between stops is narrower (a trip round the
    world, whose unwrapped legs span all 360 degrees)."""
    if not lons:
        return []
    chain = [lons[0]]
    for i in range(len(paths)):
        c = paths.coords(i)
        chain.append(chain[-1] + float(c[-1, 0] - c[0, 0]))
    ring = sorted({(x + 180) % 360 - 180 for x in lons})
    gaps = [(ring[(k + 1) % len(ring)] - ring[k]) % 360 or 360 for k in range(len(ring))]
    k = max(range(len(ring)), key=lambda j: (gaps[j], -j))
    start = ring[(k + 1) % len(ring)]
    cut = [start + (x - start) % 360 for x in lons]
    if max(cut) - min(cut) < max(chain) - min(chain) - 1e-6:
        return cut
    return chain


def _stop_popup(trip: Trip, rows: tuple[int, ...], title: str, loc: Locale) -> Popup:
    """Every visit's arrival and departure (with the time and UTC offset where the file gives
    one), venue and note, in the file's words."""
    s = trip.stops
    default = trip.meta.lang
    venues, notes = column(s, "venue", loc, default), column(s, "note", loc, default)
    lines: list[tuple[str, str]] = []
    for j in rows:
        prefix = f"{j + 1}. " if len(rows) > 1 else ""
        for key in ("arrive", "depart"):
            if s[key].iloc[j] is not None:
                label = prefix + loc.t(key).capitalize()
                lines.append((label, loc.when(s[key].iloc[j])))
        if venues[j]:
            lines.append((prefix + loc.t("venue"), str(venues[j])))
    note = " ".join(dict.fromkeys(str(notes[j]) for j in rows if notes[j]))
    return _popup(title, lines, None, note or None)


def _simplified(lon: np.ndarray, lat: np.ndarray, keep_at_most: int = 5) -> np.ndarray:
    """Indices of a few evenly spaced vertices (ends included) of a densified geodesic: at the
    zoom a thousand-leg map is seen at, a handful of points draws the curve."""
    n = len(lon)
    if n <= keep_at_most:
        return np.arange(n)
    return np.unique(np.linspace(0, n - 1, keep_at_most).round().astype(int))


def _timeline(scene: Scene, n_legs: int) -> Timeline:
    """The scene's day-by-day steps as the page's timeline wants them: per step its words, per
    place marker and per leg the steps that light them up."""
    steps = scene.steps
    return {
        "days": [{"label": st.label, "full": st.full, "events": list(st.events)} for st in steps],
        "stopDays": [
            [k for k, st in enumerate(steps) if st.stops & set(v.rows)] for v in scene.visits
        ],
        "legDays": [[k for k, st in enumerate(steps) if j in st.legs] for j in range(n_legs)],
    }


def _arrow(lon: np.ndarray, lat: np.ndarray) -> list[float]:
    """A direction arrow at the middle of a path: position and screen angle (degrees, clockwise
    from east). Web Mercator is conformal, so the angle holds at every zoom."""

    n = len(lon)
    j = max(1, n // 2)
    k = j - 1
    x0, x1 = lon[k], lon[j]
    y0, y1 = mercator_y(lat[k : j + 1])
    angle = math.degrees(math.atan2(-(y1 - y0), math.radians(x1 - x0)))
    return [_r((x0 + x1) / 2), _r((lat[k] + lat[j]) / 2), round(angle, 1)]


def _popup(
    title: str, rows: list[tuple[str, str]], quote: str | None, note: str | None = None
) -> Popup:
    out: Popup = {"title": title, "rows": [[k, v] for k, v in rows if v]}
    if quote:
        out["quote"] = quote
    if note:
        out["note"] = note
    return out


def _deals(trip: Trip, scene: Scene, default: str, center: float) -> list[DealItem]:
    loc = scene.loc
    d = trip.deals
    parties = column(d, "parties", loc, default)
    sectors = column(d, "sector", loc, default)
    sites = column(d, "site_name", loc, default)
    if len(trip.records.deals) == len(d):  # the names of gazetteer places in every language
        sites = [
            loc.text(x.site.name, default) if x.site and x.site.name else sites[i]
            for i, x in enumerate(trip.records.deals)
        ]
    out: list[DealItem] = []
    for m in scene.deals:
        i = m.row
        rows = [
            (loc.t("parties"), ", ".join(parties[i] or [])),
            (loc.t("value"), deal_value(d["value"][i], loc)),
            (loc.t("status"), loc.t(f"status_{m.status}")),
            (loc.t("sector"), sectors[i] or ""),
        ]
        where = sites[i] or ""
        note = f"{where} ({loc.t('approximate')})" if m.approx else where
        out.append(
            {
                "lon": _r(near_lon(m.lon, center)),
                "lat": _r(m.lat),
                "radius": m.radius_px,
                "color": m.color,
                "shape": m.shape,
                "approx": m.approx,
                "title": m.title,
                "popup": _popup(m.title, rows, d["source"][i], note.strip() or None),
            }
        )
    return out


def _encoded(geom: Any, quantum: float, shift: float) -> list[list[list[int]]] | None:
    """A (multi)polygon as integers for the page: each ring's first position in units of
    ``quantum`` degrees, then the steps from one position to the next (repeats dropped);
    geo-map.js ``decodePolygons`` undoes it. Small integers, not decimals: the basemap is a
    third of the size it was as rounded GeoJSON, and gzips better."""
    import shapely

    if geom is None or geom.is_empty:
        return None
    polygons = []
    for part in shapely.get_parts(geom):
        rings = []
        for ring in (part.exterior, *part.interiors):
            xy = np.rint((np.asarray(ring.coords)[:, :2] + [shift, 0.0]) / quantum).astype(np.int64)
            keep = np.ones(len(xy), dtype=bool)
            keep[1:] = np.any(xy[1:] != xy[:-1], axis=1)
            xy = xy[keep]
            if len(xy) < 4:
                continue  # a ring that collapses at this resolution
            steps = np.vstack([xy[:1], np.diff(xy, axis=0)])
            rings.append(steps.ravel().tolist())
        if rings:
            polygons.append(rings)
    return polygons or None


def _resources(
    trip: Trip, loc: Locale, default: str, center: float, tol: float
) -> list[ResourceItem]:
    """One shaded shape per partner country; its popup lists its own commodities by group,
    then each record that names it (a country's own, or a region's it belongs to)."""
    import shapely

    from geo import basemap

    r = trip.resources
    names = [loc.country(c) for c in r["country"]]
    uses = column(r, "uses", loc, default)
    agreements = column(r, "agreement_title", loc, default)
    # The badges sit under the country's name, at the basemap's label point.
    labels = basemap.countries("50m", codes=sorted(set(r["country"]))).set_index("iso_a2")
    out: list[ResourceItem] = []
    for code, rows in resources_by_country(trip):
        geom = r.geometry.array[rows[0]]
        if geom is None:
            continue
        simple = geom.simplify(tol, preserve_topology=True)
        point = simple.representative_point()
        if code in labels.index:
            point = shapely.Point(labels.at[code, "label_lon"], labels.at[code, "label_lat"])
        shift = near_lon(point.x, center) - point.x
        listed = [c for i in rows for c in r["commodities"][i]]
        groups = commodities_by_group(listed)
        popup_rows = [
            (loc.t(f"group_{g}"), ", ".join(loc.commodity(c) for c in cs)) for g, cs in groups
        ]
        for i in rows:
            agreement = agreements[i] or ""
            if r["agreement_date"][i] is not None:
                agreement += f" ({loc.day(r['agreement_date'][i], year=True)})"
            popup_rows += [
                (loc.t("uses"), uses[i] or ""),
                (loc.t("agreement"), agreement),
            ]
        popup = _popup(names[rows[0]], popup_rows, None)
        quotes = list(dict.fromkeys(q for i in rows if (q := r["source"][i])))
        if quotes:
            popup["quotes"] = quotes
        out.append(
            {
                "geom": _encoded(simple, round(tol / 4, 5), round(shift)),
                "quantum": round(tol / 4, 5),
                "title": names[rows[0]],
                "at": [_r(point.x + round(shift), 3), _r(point.y, 3)],
                "badges": [style.COMMODITY_GROUP[g] for g, _ in groups],
                "popup": popup,
                "records": sorted({int(r["resource"][i]) - 1 for i in rows}),
            }
        )
    return out


def _routes(trip: Trip, scene: Scene, default: str, center: float) -> list[RouteItem]:
    loc = scene.loc
    r = trip.routes
    names = column(r, "name", loc, default)
    goods = column(r, "goods", loc, default)
    descriptions = column(r, "description", loc, default)
    paths = trip.route_paths
    large = len(paths) > LARGE
    out: list[RouteItem] = []
    for i in range(len(paths)):
        c = paths.coords(i)
        shift = near_lon(c[0, 0], center) - c[0, 0]
        mode = r["mode"][i] or "none"
        if mode == "none" and len(r["waypoints"][i]) == 2:
            c = _flow_arc(c[0], c[-1], n=5 if large else 24)
        color, dash, _ = style.ROUTE_MODE.get(mode, style.ROUTE_MODE["none"])
        if large:
            # Drawn for scale, like a large itinerary: a few vertices, name on hover.
            keep = _simplified(c[:, 0], c[:, 1])
            out.append(
                {
                    "coords": [[_r(x + shift, 3), _r(y, 3)] for x, y in c[keep]],
                    "color": color,
                    "dash": dash,
                    "mode": loc.t(f"mode_{mode}"),
                    "title": names[i],
                }
            )
            continue
        path = path_words(r["mode"][i], r["path"][i], r["great_circle_km"][i], loc)
        rows = [
            (loc.t("goods"), ", ".join(goods[i] or [])),
            (loc.t("value"), deal_value(r["value"][i], loc) if r["value"][i] else ""),
            (loc.t("mode"), loc.t(f"mode_{mode}")),
            (loc.t("path"), f"{r['distance_km'][i]:,.0f} km, {path}"),
        ]
        out.append(
            {
                "coords": [[_r(x + shift, 3), _r(y, 3)] for x, y in c],
                "color": color,
                "dash": dash,
                "width": round(scene.flow_widths[i], 1),
                "mode": loc.t(f"mode_{mode}"),
                "title": names[i],
                "arrow": _arrow(c[:, 0] + shift, c[:, 1]),
                "popup": _popup(names[i], rows, r["source"][i], descriptions[i]),
            }
        )
    return out


def _flow_arc(a: np.ndarray, b: np.ndarray, bend: float = 0.18, n: int = 48) -> np.ndarray:
    """A flow of goods whose path the source does not give, drawn as an arc bowing to the right
    of its direction (a flow-map convention): flows both ways between two places stay apart,
    and no one mistakes the arc for a known path."""

    b = b.copy()
    b[0] = near_lon(b[0], a[0])
    ax, bx = a[0], b[0]
    ay, by = (np.degrees(mercator_y(np.array([a[1], b[1]])))).tolist()
    dx, dy = bx - ax, by - ay
    cx, cy = (ax + bx) / 2 + bend * dy, (ay + by) / 2 - bend * dx
    t = np.linspace(0.0, 1.0, n)
    x = (1 - t) ** 2 * ax + 2 * (1 - t) * t * cx + t**2 * bx
    y = (1 - t) ** 2 * ay + 2 * (1 - t) * t * cy + t**2 * by
    return np.column_stack([x, mercator_lat(np.radians(y))])


def _bounds(stops: list[StopItem], legs: list[LegItem], deals: list[DealItem]) -> list[list[float]]:
    xs = [p["lon"] for p in stops] + [p["lon"] for p in deals]
    ys = [p["lat"] for p in stops] + [p["lat"] for p in deals]
    for leg in legs:
        xs += [c[0] for c in leg["coords"]]
        ys += [c[1] for c in leg["coords"]]
    return [[_r(min(xs), 3), _r(min(ys), 3)], [_r(max(xs), 3), _r(max(ys), 3)]]


def _basemap(trip: Trip, loc: Locale, bounds: list[list[float]]) -> Basemap:
    """Natural Earth countries around the trip, clipped and simplified for the page."""
    (w, s), (e, n) = bounds
    # Only codes can match a country of the basemap; strings sort, so the key is stable.
    partners = tuple(sorted({c for c in trip.resources["country"] if isinstance(c, str)}))
    home = tuple(sorted({c for c in trip.stops["country"] if isinstance(c, str)}))
    layer = _basemap_layer(loc, w, s, e, n, partners, home)
    # New containers over the cached, never-modified polygons: a caller may edit its payload.
    return {
        "quantum": layer["quantum"],
        "features": [list(f) for f in layer["features"]],
        "labels": [list(label) for label in layer["labels"]],
    }


@lru_cache(maxsize=8)
def _basemap_layer(
    loc: Locale,
    w: float,
    s: float,
    e: float,
    n: float,
    partners: tuple[str, ...],
    home: tuple[str, ...],
) -> Basemap:
    """The basemap of a window in the locale's language, made once per process (``geo
    preview`` re-renders the same window on every save) from its outlines, which are made once
    per user (:mod:`geo._cache`: clipping, simplifying and encoding them is most of a cold
    ``geo map``)."""
    from geo import _cache, basemap

    args = (w, s, e, n, partners, home)
    key = f"{_window_key()} {args!r}"
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
    window = _cache.cached(
        f"basemap-window-{digest}", key, lambda: _basemap_window(*args), keep=WINDOWS_KEPT
    )
    labels = [
        [x, y, basemap.name_in(own[0], own[1:], loc.code), *rest]
        for x, y, own, *rest in window["labels"]
    ]
    return {"quantum": window["quantum"], "features": window["features"], "labels": labels}


# Windows of basemap outlines kept in the per-user cache (about 50 KB each), newest first.
WINDOWS_KEPT = 32


@lru_cache(maxsize=1)
def _window_key() -> str:
    """What a window's outlines are made from: this module's code and the basemap's, and the
    bundled country files."""
    from geo import basemap
    from geo._data import data_path

    h = hashlib.sha256()
    for module in (__file__, basemap.__file__):
        h.update(Path(module).read_bytes())
    for scale in basemap.SCALES:
        stat = data_path(f"basemap/countries-{scale}.geojson").stat()
        h.update(f"{scale} {stat.st_size} {stat.st_mtime_ns}".encode())
    return h.hexdigest()


def _basemap_window(
    w: float,
    s: float,
    e: float,
    n: float,
    partners: tuple[str, ...],
    home: tuple[str, ...],
) -> dict[str, Any]:
    """The outlines of a window and where its countries are named: each label carries the
    country's code and the basemap's own names (``[iso, name_en, name_ko]``) in place of its
    text, which the caller puts in the map's language."""
    import shapely

    from geo import basemap

    span = max(e - w, (n - s) * 1.5, 20.0)
    # The trip's own view, a little wider: a neighbour whose label point lies outside it is
    # named inside it instead (Germany and France on a map of the Low Countries).
    mx, my = max((e - w) * 0.15, 1.0), max((n - s) * 0.15, 0.75)
    view = (w - mx, max(-85.0, s - my), e + mx, min(85.0, n + my))
    view_area = (view[2] - view[0]) * (view[3] - view[1])
    # Enough around the trip to fill a wide or a tall screen at the fitted zoom, and a little
    # zooming out; beyond it the map shows open water colour.
    cx, cy = (w + e) / 2, (s + n) / 2
    half_w = max(e - w, (n - s) * 2.2, 20.0) * 1.1
    half_h = max(n - s, (e - w) * 0.6, 12.0) * 0.85
    w, e = cx - half_w, cx + half_w
    s, n = max(-85.0, cy - half_h), min(85.0, cy + half_h)
    scale = "110m" if span > 120 else "50m"
    tol = span / 480
    # Positions a quarter of the simplification tolerance apart: finer than anything the
    # simplified outlines keep, a third of a pixel at the fitted zoom.
    quantum = round(tol / 4, 5)
    countries = basemap.countries(scale, bbox=_world_bbox(w, s, e, n))
    features = []
    labels = []
    names = [
        [iso, *(str(v) for v in own)]
        for iso, *own in zip(
            countries["iso_a2"], *(countries[c] for c in basemap.NAME_COLUMNS), strict=True
        )
    ]
    for shift in (-360.0, 0.0, 360.0):
        box = shapely.box(w - shift, s, e - shift, n)
        for iso, name, lx, ly, geom in zip(
            countries["iso_a2"],
            names,
            countries["label_lon"],
            countries["label_lat"],
            countries.geometry.array,
            strict=True,
        ):
            if geom is None or not geom.intersects(box):
                continue
            part = shapely.clip_by_rect(geom, w - shift, s, e - shift, n)
            part = _drop_specks(part.simplify(tol, preserve_topology=True), (3 * tol) ** 2)
            if part is None:
                continue
            kind = 2 if iso in partners else 1 if iso in home else 0
            encoded = _encoded(part, quantum, shift)
            if encoded is not None:
                features.append([kind, encoded])
            point = _label_point(geom, lx, ly, shift, view, view_area)
            if point is None:
                if not (w <= lx + shift <= e and s <= ly <= n):
                    continue
                if not (kind or geom.area > span * span / 400):
                    continue
                point = (lx + shift, ly)
            entry: list[Any] = [_r(point[0], 2), _r(point[1], 2), name, kind]
            alts = _label_alts(geom, point, shift, view)
            if alts:
                entry.append([[_r(x, 2), _r(y, 2)] for x, y in alts])
            labels.append(entry)
    return {"quantum": quantum, "features": features, "labels": labels}


def _label_point(
    geom: Any,
    lx: float,
    ly: float,
    shift: float,
    view: tuple[float, float, float, float],
    view_area: float,
) -> tuple[float, float] | None:
    """Where a country is named on a small map whose view holds part of it but not its label
    point: the pole of inaccessibility of its largest part in view, when that part is at least a
    twentieth of the view (room for a name); None otherwise (the label point is used, if at all)."""
    import shapely
    from shapely.ops import polylabel

    west, south, east, north = view
    if west <= lx + shift <= east and south <= ly <= north:
        return None
    part = shapely.clip_by_rect(geom, west - shift, south, east - shift, north)
    pieces = [p for p in shapely.get_parts(part) if isinstance(p, shapely.Polygon)]
    if not pieces:
        return None
    largest = max(pieces, key=lambda p: p.area)
    if largest.area < view_area / 20:
        return None
    pole = polylabel(largest, tolerance=(east - west) / 200)
    return (pole.x + shift, pole.y)


def _label_alts(
    geom: Any,
    point: tuple[float, float],
    shift: float,
    view: tuple[float, float, float, float],
) -> list[tuple[float, float]]:
    """Other places for a country's name where its point has no room (a stop's label on it):
    the pole of inaccessibility of its part in each half of the trip's view, where that part has
    room for a name, at least an eighth of the view from the point and from each other."""
    import shapely
    from shapely.ops import polylabel

    west, south, east, north = view
    cx, cy = (west + east) / 2, (south + north) / 2
    apart = (east - west) / 8
    halves = (
        (west, south, cx, north),
        (cx, south, east, north),
        (west, cy, east, north),
        (west, south, east, cy),
    )
    out: list[tuple[float, float]] = []
    for hw, hs, he, hn in halves:
        part = shapely.clip_by_rect(geom, hw - shift, hs, he - shift, hn)
        pieces = [p for p in shapely.get_parts(part) if isinstance(p, shapely.Polygon)]
        if not pieces:
            continue
        largest = max(pieces, key=lambda p: p.area)
        if largest.area < (he - hw) * (hn - hs) / 12:
            continue
        pole = polylabel(largest, tolerance=(east - west) / 200)
        xy = (pole.x + shift, pole.y)
        if all(math.hypot(xy[0] - q[0], xy[1] - q[1]) > apart for q in [point, *out]):
            out.append(xy)
    return out


def _world_bbox(w: float, s: float, e: float, n: float) -> tuple[float, float, float, float]:
    """The part of [-180, 180] that a window in unwrapped longitudes covers (all of it if the
    window wraps), for reading only the countries the map can show."""
    if e - w >= 360 or w < -180 or e > 180:
        return (-180.0, s, 180.0, n)
    return (w, s, e, n)


def _drop_specks(geom: Any, min_area: float) -> Any:
    """Islands smaller than a few pixels at the fitted zoom are noise on the page."""
    import shapely

    parts = [p for p in shapely.get_parts(geom) if p.area >= min_area]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts)


def _context(trip: Trip, loc: Locale, bounds: list[list[float]], context: str) -> list[list[Any]]:
    """Water names and capitals around the trip (geo.context, most important first), at their
    longitudes in the map's window; geo-map.js places them after everything of higher rank."""
    from geo.context import context_labels

    (w, s), (e, n) = bounds
    dx, dy = max((e - w) * 0.3, 2.0), max((n - s) * 0.3, 1.5)
    view = (w - dx, max(-85.0, s - dy), e + dx, min(85.0, n + dy))
    out: list[list[Any]] = []
    seen: set[tuple[str, str]] = set()
    names = trip.records.names
    for shift in (0.0, -360.0, 360.0):
        shifted = (view[0] + shift, view[1], view[2] + shift, view[3])
        for lab in context_labels(shifted, loc, names, context):
            if (lab.rank, lab.key) in seen:
                continue
            # A capital is named in the map's language or not at all (an English word among
            # Hangul reads as a slip).
            if lab.rank == "capital" and not lab.native:
                continue
            seen.add((lab.rank, lab.key))
            entry = [_r(lab.lon - shift, 2), _r(lab.lat, 2), lab.text, lab.rank]
            if lab.alts:
                entry.append([[_r(x - shift, 2), _r(y, 2)] for x, y in lab.alts])
            out.append(entry)
    return out


INSET_WIDTH = 120
"""The inset's width in its own units (CSS pixels at desktop size)."""


def _inset(bounds: list[list[float]], loc: Locale) -> Inset:
    """The inset locator's land around the trip, as one SVG path in Web Mercator (the main map's
    projection, so the map's frame is a rectangle on it)."""
    import shapely

    from geo.context import inset_outline

    (w, s), (e, n) = bounds
    shift = round((w + e) / 720) * 360
    outline = inset_outline((w - shift, s, e - shift, n))
    west, south, east, north = outline.extent
    top, bottom = float(mercator_y(np.array([north]))[0]), float(mercator_y(np.array([south]))[0])
    k = INSET_WIDTH / math.radians(east - west)
    height = max(40, round((top - bottom) * k))

    # Whole units (under a CSS pixel on the page), each point as a step from the one before.
    parts = []
    for ring in outline.rings:
        lon, lat = np.asarray(ring, dtype=float).T
        xy = np.column_stack((np.radians(lon - west) * k, (top - mercator_y(lat)) * k))
        poly = shapely.Polygon(xy).simplify(0.7)
        if poly.is_empty or poly.area < 4.0:
            continue
        pts = [(round(x), round(y)) for x, y in poly.exterior.coords[:-1]]
        steps = [f"M{pts[0][0]} {pts[0][1]}"]
        for (ax, ay), (bx, by) in zip(pts, pts[1:], strict=False):
            if (ax, ay) != (bx, by):
                steps.append(f"{bx - ax} {by - ay}")
        if len(steps) > 2:
            parts.append(steps[0] + "l" + " ".join(steps[1:]) + "z")
    return {
        "w": INSET_WIDTH,
        "h": height,
        "d": "".join(parts),
        "extent": [_r(v + (shift if i % 2 == 0 else 0), 2) for i, v in enumerate(outline.extent)],
        "label": loc.t("inset_label"),
    }


def _timeline_off() -> Timeline:
    return {"days": [], "stopDays": [], "legDays": []}


def _legend(scene: Scene) -> list[LegendBlock]:
    """The scene's legend in the keys geo-map.js reads."""
    out: list[LegendBlock] = []
    for section in scene.legend:
        items: list[LegendEntry] = []
        for it in section.items:
            item: LegendEntry = {"kind": it.kind, "label": it.label}
            if it.color:
                item["color"] = it.color
            if it.kind == "line":
                item["dash"] = it.dash
            if it.shape:
                item["shape"] = it.shape
            if it.kind == "width":
                item["width"] = it.width_px
            items.append(item)
        out.append({"title": section.title, "items": items})
    return out


# Interface words geo-map.js needs, in the page's language.
JS_STRINGS = (
    "itinerary", "deals", "resources", "routes", "legend", "source", "approximate", "timeline",
    "prev_day", "next_day", "play", "pause", "all_days", "no_events", "fullscreen",
)  # fmt: skip


def story_payload(scene: Scene, trip: Trip | None = None, pace: float = PACE) -> dict[str, Any]:
    """The scene's chapters with the payload's own indexes (places for stops, located deals),
    and each leg's seconds of playback (:func:`geo.scene.leg_seconds`)."""
    place = {j: k for k, v in enumerate(scene.visits) for j in v.rows}
    deal = {m.row: k for k, m in enumerate(scene.deals)}
    out: list[ChapterItem] = []
    for c in scene.chapters:
        item: ChapterItem = {
            "title": c.title,
            "text": c.text,
            "stops": sorted({place[j] for j in c.stops if j in place}),
            "legs": list(c.legs),
            "deals": sorted(deal[r] for r in c.deals if r in deal),
            "routes": list(c.routes),
            "resources": list(c.resources),
        }
        if c.view:
            item["view"] = {screen: [lat, lon, zoom] for screen, lat, lon, zoom in c.view}
        out.append(item)
    seconds = list(leg_seconds(trip, pace)) if trip is not None else []
    return {"chapters": out, "seconds": seconds}


def build_payload(
    trip: Trip,
    loc: Locale | str,
    context: str = "capitals",
    inset: str = "auto",
    focus: list[list[float]] | None = None,
) -> Payload:
    """Everything geo-map.js draws, as JSON-ready data.

    ``context`` is ``capitals`` or ``none`` (water names only); ``inset`` is ``auto``, ``on`` or
    ``off`` (:func:`geo.context.inset_wanted`); ``focus`` (``[[west, south], [east, north]]``)
    is the box a page with nothing of the trip's own to frame shows (the trade map)."""
    from geo.context import inset_wanted
    from geo.i18n import locale

    loc = locale(loc)

    default = trip.meta.lang
    scene = build_scene(trip, loc)
    large = len(trip.stops) >= LARGE
    stops, legs, center, echo = _itinerary(trip, scene, default, large)
    flows_only = not len(trip.stops) and not len(trip.deals) and len(trip.route_paths)
    if flows_only:
        # A map of flows alone (geo flows --top): centred on where they start, fitted to them.
        paths = trip.route_paths
        center = float(np.median(near_lon(paths.lon[paths.offsets[:-1]], 0.0)))
    deals = _deals(trip, scene, default, center)
    routes = _routes(trip, scene, default, center)
    drawn: list[Any] = list(routes) if flows_only else list(legs)
    if focus is not None and not stops and not drawn and not deals:
        bounds = [[_r(x, 3) for x in focus[0]], [_r(x, 3) for x in focus[1]]]
    else:
        bounds = _bounds(stops, drawn, deals)
    span = max(bounds[1][0] - bounds[0][0], bounds[1][1] - bounds[0][1], 20.0)
    out: Payload = {
        "lang": loc.code,
        "large": large,
        "largeRoutes": len(routes) > LARGE,
        "bounds": bounds,
        "basemap": _basemap(trip, loc, bounds),
        "stops": stops,
        "legs": legs,
        "deals": deals,
        "resources": _resources(trip, loc, default, center, span / 480),
        "routes": routes,
        "legend": _legend(scene),
        "timeline": _timeline(scene, len(trip.legs)) if not large else _timeline_off(),
        "strings": {k: loc.t(k) for k in JS_STRINGS},
        "style": {
            "line": style.ITINERARY["line"],
            "stop": style.ITINERARY["stop"],
            "basemap": style.BASEMAP,
            "resource": style.RESOURCE_FILL,
        },
    }
    if not out["largeRoutes"]:
        out["basemap"]["context"] = _context(trip, loc, bounds, context)
    (w, s), (e, n) = bounds
    if inset_wanted((w, s, e, n), inset):
        out["inset"] = _inset(bounds, loc)
    if echo:
        out["echo"] = echo
    return out
