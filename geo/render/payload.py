"""What the map shows, as plain data: built from a Trip's GeoDataFrames, drawn by geo-map.js.

Every string from a trip file travels as JSON data and is put on the page by the browser with
``textContent``: it is shown as text and never parsed as HTML or run. Coordinates are
``[lon, lat]`` here as everywhere in Python; geo-map.js turns them into Leaflet's ``[lat, lon]``
in one function.
"""

from __future__ import annotations

import datetime as dt
import math
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np

from geo import i18n, style
from geo.describe import deal_value, visits
from geo.geodesy import mercator_lat, mercator_y, near_lon

if TYPE_CHECKING:
    import geopandas as gpd

    from geo.trip import Trip

__all__ = ["build_payload", "trip_dates"]

# The currency proportional symbols are sized by: the one most deals report in. Other
# currencies are listed in popups, never converted.
SIZE_CURRENCY = "USD"


def _r(x: float, nd: int = 4) -> float:
    v = round(float(x), nd) + 0.0
    return int(v) if v.is_integer() else v


def _col(frame: gpd.GeoDataFrame, name: str, lang: str, default: str) -> list[Any]:
    col = f"{name}_{lang}" if f"{name}_{lang}" in frame else f"{name}_{default}"
    return frame[col].tolist() if col in frame else [None] * len(frame)


def trip_dates(trip: Trip) -> tuple[dt.date | None, dt.date | None]:
    """First and last local date of the itinerary."""
    days = [d for c in ("arrive_date", "depart_date") for d in trip.stops[c] if d is not None]
    return (min(days), max(days)) if days else (None, None)


def _stop_label_dates(arrive: dt.date | None, depart: dt.date | None, lang: str) -> str:
    return i18n.date_range(arrive or depart, depart or arrive, lang)


# Above this many stops the map is drawn for scale: legs on a canvas with simplified geometry,
# stops as plain dots without permanent labels, no direction arrows. SVG and a DOM element per
# marker choke a browser at thousands of features; a canvas does not.
LARGE = 300


def _itinerary(
    trip: Trip, lang: str, default: str, large: bool = False
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], float]:
    """Stops (one marker per place) and legs, unwrapped so the whole trip is continuous."""
    paths = trip.leg_paths
    s = trip.stops
    labels = _col(s, "label", lang, default)
    venues = _col(s, "venue", lang, default)
    lon0 = float(s.geometry.array[0].x) if len(s) else 0.0
    # Shift each leg so it starts where the previous one ended: a trip across the Pacific stays
    # in one piece, and the stops sit at the legs' ends.
    stop_lon = [lon0]
    legs: list[dict[str, Any]] = []
    modes = trip.legs["mode"].tolist()
    from_labels = _col(trip.legs, "from_label", lang, default)
    to_labels = _col(trip.legs, "to_label", lang, default)
    for i in range(len(paths)):
        c = paths.coords(i)
        shift = stop_lon[-1] - c[0, 0]
        lon = c[:, 0] + shift
        stop_lon.append(float(lon[-1]))
        km = float(paths.distance_m[i] / 1000)
        if large:
            keep = _simplified(lon, c[:, 1])
            legs.append(
                {
                    "c": [[_r(x, 3), _r(y, 3)] for x, y in zip(lon[keep], c[keep, 1], strict=True)],
                    "title": f"{i18n.t('leg_word', lang)} {i + 1}: {from_labels[i]} → "
                    f"{to_labels[i]}, {km:,.0f} km",
                }
            )
            continue
        legs.append(
            {
                "c": [[_r(x), _r(y)] for x, y in zip(lon, c[:, 1], strict=True)],
                "mode": modes[i],
                "title": f"{i18n.t('leg_word', lang)} {i + 1}: {from_labels[i]} → {to_labels[i]}, "
                f"{km:,.0f} km",
                "arrow": _arrow(lon, c[:, 1]),
            }
        )
    center = (min(stop_lon) + max(stop_lon)) / 2 if stop_lon else 0.0
    stops = []
    for group in visits(trip):
        i = group[0]
        numbers = " · ".join(str(j + 1) for j in group)
        dates = " · ".join(
            filter(
                None,
                (_stop_label_dates(s["arrive_date"][j], s["depart_date"][j], lang) for j in group),
            )
        )
        full = "; ".join(filter(None, (f"{numbers}. {labels[i]}", venues[i], dates)))
        stops.append(
            {
                "lon": _r(stop_lon[i] if i < len(stop_lon) else s.geometry.array[i].x),
                "lat": _r(s.geometry.array[i].y),
                "n": numbers,
                "label": labels[i],
                "dates": dates,
                "title": full,
            }
        )
    return stops, legs, center


def _simplified(lon: np.ndarray, lat: np.ndarray, keep_at_most: int = 5) -> np.ndarray:
    """Indices of a few evenly spaced vertices (ends included) of a densified geodesic: at the
    zoom a thousand-leg map is seen at, a handful of points draws the curve."""
    n = len(lon)
    if n <= keep_at_most:
        return np.arange(n)
    return np.unique(np.linspace(0, n - 1, keep_at_most).round().astype(int))


def _timeline(trip: Trip, lang: str, default: str) -> dict[str, Any]:
    """Day by day: which stops and legs each day touches, and what happened.

    Only dates the trip file states are used: a stop with only a departure date is on the map
    that day alone, and a leg with no date is never highlighted.
    """
    first, last = trip_dates(trip)
    if first is None or last is None or (last - first).days > 366:
        return {"days": [], "stopDays": [], "legDays": []}
    days = [first + dt.timedelta(days=k) for k in range((last - first).days + 1)]
    index = {d: k for k, d in enumerate(days)}
    s = trip.stops
    labels = _col(s, "label", lang, default)
    events: list[list[str]] = [[] for _ in days]
    per_stop: list[set[int]] = []
    for j in range(len(s)):
        a, d = s["arrive_date"][j], s["depart_date"][j]
        start, end = a or d, d or a
        span = set(range(index[start], index[end] + 1)) if start and end else set()
        per_stop.append(span)
        if a is not None:
            events[index[a]].append(f"{i18n.t('arrive', lang).capitalize()}: {labels[j]}")
        if d is not None:
            events[index[d]].append(f"{i18n.t('depart', lang).capitalize()}: {labels[j]}")
    leg_days = []
    for k in range(len(trip.legs)):
        d, a = s["depart_date"][k], s["arrive_date"][k + 1]
        leg_days.append(sorted({index[x] for x in (d, a) if x is not None}))
    titles = _col(trip.deals, "title", lang, default)
    for k, when in enumerate(trip.deals["date"]):
        if when is not None and when in index:
            events[index[when]].append(titles[k])
    stop_days = [sorted(set().union(*(per_stop[j] for j in group))) for group in visits(trip)]
    return {
        "days": [
            {"label": i18n.day(d, lang), "full": i18n.day(d, lang, year=True), "events": events[k]}
            for k, d in enumerate(days)
        ],
        "stopDays": stop_days,
        "legDays": leg_days,
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
) -> dict[str, Any]:
    out: dict[str, Any] = {"title": title, "rows": [[k, v] for k, v in rows if v]}
    if quote:
        out["quote"] = quote
    if note:
        out["note"] = note
    return out


def _deals(trip: Trip, lang: str, default: str, center: float) -> list[dict[str, Any]]:
    d = trip.deals
    titles = _col(d, "title", lang, default)
    parties = _col(d, "parties", lang, default)
    sectors = _col(d, "sector", lang, default)
    sites = _col(d, "site_name", lang, default)
    sized = [
        next((float(v["amount"]) for v in vals if v["currency"] == SIZE_CURRENCY), None)
        for vals in d["value"]
    ]
    largest = max((v for v in sized if v), default=None)
    out: list[dict[str, Any]] = []
    for i, geom in enumerate(d.geometry.array):
        if geom is None:
            continue
        status = d["status"][i] or "none"
        color, shape = style.DEAL_STATUS.get(status, style.DEAL_STATUS["none"])
        precision = d["precision"][i]
        approx = precision in ("region", "country")
        rows = [
            (i18n.t("parties", lang), ", ".join(parties[i] or [])),
            (i18n.t("value", lang), deal_value(d["value"][i], lang)),
            (i18n.t("status", lang), i18n.t(f"status_{status}", lang)),
            (i18n.t("sector", lang), sectors[i] or ""),
        ]
        where = sites[i] or ""
        note = f"{where} ({i18n.t('approximate', lang)})" if approx else where
        out.append(
            {
                "lon": _r(near_lon(geom.x, center)),
                "lat": _r(geom.y),
                "r": round(style.deal_radius(sized[i], largest), 1),
                "color": color,
                "shape": shape,
                "approx": approx,
                "title": titles[i],
                "popup": _popup(titles[i], rows, d["source"][i], note.strip() or None),
            }
        )
    _spread(out)
    return out


def _spread(points: list[dict[str, Any]]) -> None:
    """Symbols at the same spot are fanned out around it (a pixel offset), not stacked."""
    groups: dict[tuple[float, float], list[dict[str, Any]]] = {}
    for p in points:
        groups.setdefault((p["lon"], p["lat"]), []).append(p)
    for members in groups.values():
        if len(members) < 2:
            continue
        radius = max(p["r"] for p in members) + 3
        for k, p in enumerate(members):
            a = 2 * math.pi * k / len(members) - math.pi / 2
            p["dx"], p["dy"] = round(radius * math.cos(a), 1), round(radius * math.sin(a), 1)


def _geometry_json(geom: Any, nd: int, shift: float) -> dict[str, Any] | None:
    import shapely

    if geom is None or geom.is_empty:
        return None
    if shift:
        geom = shapely.transform(geom, lambda c: c + np.array([shift, 0.0]))
    mapped = shapely.geometry.mapping(geom)

    def rnd(c: Any) -> Any:
        if isinstance(c, tuple | list) and c and isinstance(c[0], float | int):
            return [_r(c[0], nd), _r(c[1], nd)]
        return [rnd(x) for x in c]

    return {"type": mapped["type"], "coordinates": rnd(mapped["coordinates"])}


def _resources(
    trip: Trip, lang: str, default: str, center: float, tol: float
) -> list[dict[str, Any]]:
    r = trip.resources
    names = _col(r, "country_name", lang, default)
    uses = _col(r, "uses", lang, default)
    agreements = _col(r, "agreement_title", lang, default)
    out = []
    for i, geom in enumerate(r.geometry.array):
        if geom is None:
            continue
        simple = geom.simplify(tol, preserve_topology=True)
        shift = near_lon(simple.representative_point().x, center) - simple.representative_point().x
        agreement = agreements[i] or ""
        if r["agreement_date"][i] is not None:
            agreement += f" ({i18n.day(r['agreement_date'][i], lang, year=True)})"
        rows = [
            (
                i18n.t("commodities", lang),
                ", ".join(i18n.commodity(c, lang) for c in r["commodities"][i]),
            ),
            (i18n.t("uses", lang), uses[i] or ""),
            (i18n.t("agreement", lang), agreement),
        ]
        out.append(
            {
                "geom": _geometry_json(simple, 3, round(shift)),
                "title": names[i],
                "popup": _popup(names[i], rows, r["source"][i]),
            }
        )
    return out


def _routes(trip: Trip, lang: str, default: str, center: float) -> list[dict[str, Any]]:
    r = trip.routes
    names = _col(r, "name", lang, default)
    goods = _col(r, "goods", lang, default)
    descriptions = _col(r, "description", lang, default)
    paths = trip.route_paths
    large = len(paths) > LARGE
    out: list[dict[str, Any]] = []
    for i in range(len(paths)):
        c = paths.coords(i)
        shift = near_lon(c[0, 0], center) - c[0, 0]
        mode = r["mode"][i] or "none"
        if mode == "none" and len(r["waypoints"][i]) == 2:
            c = _flow_arc(c[0], c[-1], n=5 if large else 48)
        color, dash, _ = style.ROUTE_MODE.get(mode, style.ROUTE_MODE["none"])
        if large:
            # Drawn for scale, like a large itinerary: a few vertices, name on hover.
            keep = _simplified(c[:, 0], c[:, 1])
            out.append(
                {
                    "c": [[_r(x + shift, 3), _r(y, 3)] for x, y in c[keep]],
                    "color": color,
                    "dash": dash,
                    "mode": i18n.t(f"mode_{mode}", lang),
                    "title": names[i],
                }
            )
            continue
        rows = [
            (i18n.t("goods", lang), ", ".join(goods[i] or [])),
            (i18n.t("value", lang), deal_value(r["value"][i], lang) if r["value"][i] else ""),
            (i18n.t("mode", lang), i18n.t(f"mode_{mode}", lang)),
        ]
        out.append(
            {
                "c": [[_r(x + shift), _r(y)] for x, y in c],
                "color": color,
                "dash": dash,
                "mode": i18n.t(f"mode_{mode}", lang),
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


def _bounds(
    stops: list[dict[str, Any]], legs: list[dict[str, Any]], deals: list[dict[str, Any]]
) -> list[list[float]]:
    xs = [p["lon"] for p in stops] + [p["lon"] for p in deals]
    ys = [p["lat"] for p in stops] + [p["lat"] for p in deals]
    for leg in legs:
        xs += [c[0] for c in leg["c"]]
        ys += [c[1] for c in leg["c"]]
    return [[_r(min(xs), 3), _r(min(ys), 3)], [_r(max(xs), 3), _r(max(ys), 3)]]


def _basemap(trip: Trip, lang: str, bounds: list[list[float]]) -> dict[str, Any]:
    """Natural Earth countries around the trip, clipped and simplified for the page."""
    (w, s), (e, n) = bounds
    partners = tuple(sorted(set(trip.resources["country"])))
    home = tuple(sorted(set(trip.stops["country"].dropna())))
    layer = _basemap_layer(lang, w, s, e, n, partners, home)
    # New containers over the cached, never-modified geometries: a caller may edit its payload.
    return {
        "type": layer["type"],
        "features": [{**f, "properties": dict(f["properties"])} for f in layer["features"]],
        "labels": [list(label) for label in layer["labels"]],
    }


@lru_cache(maxsize=8)
def _basemap_layer(
    lang: str,
    w: float,
    s: float,
    e: float,
    n: float,
    partners: tuple[str, ...],
    home: tuple[str, ...],
) -> dict[str, Any]:
    """The basemap of a window, made once per process: ``geo preview`` re-renders the same
    window on every save, and this is most of a render."""
    import shapely

    from geo import basemap

    span = max(e - w, (n - s) * 1.5, 20.0)
    # Enough around the trip to fill a wide or a tall screen at the fitted zoom, and a little
    # zooming out; beyond it the map shows open water colour.
    cx, cy = (w + e) / 2, (s + n) / 2
    half_w = max(e - w, (n - s) * 2.2, 20.0) * 1.1
    half_h = max(n - s, (e - w) * 0.6, 12.0) * 0.85
    w, e = cx - half_w, cx + half_w
    s, n = max(-85.0, cy - half_h), min(85.0, cy + half_h)
    scale = "110m" if span > 120 else "50m"
    tol = span / 600
    countries = basemap.countries(scale, bbox=_world_bbox(w, s, e, n))
    features = []
    labels = []
    name_col = f"name_{lang}" if f"name_{lang}" in countries else "name_en"
    for shift in (-360.0, 0.0, 360.0):
        box = shapely.box(w - shift, s, e - shift, n)
        for iso, name, lx, ly, geom in zip(
            countries["iso_a2"],
            countries[name_col],
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
            features.append(
                {
                    "type": "Feature",
                    "properties": {"k": kind},
                    "geometry": _geometry_json(part, 2, shift),
                }
            )
            area = geom.area
            if w <= lx + shift <= e and s <= ly <= n and (kind or area > span * span / 400):
                labels.append([_r(lx + shift, 2), _r(ly, 2), name, kind])
    return {"type": "FeatureCollection", "features": features, "labels": labels}


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


def _legend(
    trip: Trip, lang: str, deals: list[dict[str, Any]], routes: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    sections: list[dict[str, Any]] = [
        {
            "title": i18n.t("itinerary", lang),
            "items": [
                {"kind": "stop", "label": i18n.t("stops", lang)},
                {
                    "kind": "line",
                    "color": style.ITINERARY["line"],
                    "dash": "",
                    "label": i18n.t("legs", lang) + " (" + i18n.t("mode_air", lang) + ")",
                },
            ],
        }
    ]
    statuses = [
        s
        for s in style.DEAL_STATUS
        if any(
            d["color"] == style.DEAL_STATUS[s][0] and d["shape"] == style.DEAL_STATUS[s][1]
            for d in deals
        )
    ]
    if statuses:
        items = [
            {
                "kind": "shape",
                "color": style.DEAL_STATUS[s][0],
                "shape": style.DEAL_STATUS[s][1],
                "label": i18n.t(f"status_{s}", lang),
            }
            for s in statuses
        ]
        if any(d["approx"] for d in deals):
            items.append({"kind": "approx", "label": i18n.t("approximate", lang)})
        items.append({"kind": "note", "label": i18n.t("size_note", lang, cur=SIZE_CURRENCY)})
        sections.append({"title": i18n.t("deals", lang), "items": items})
    if len(trip.resources):
        sections.append(
            {
                "title": i18n.t("resources", lang),
                "items": [
                    {
                        "kind": "fill",
                        "color": style.RESOURCE_FILL["fill"],
                        "label": ", ".join(
                            i18n.commodity(c, lang)
                            for c in sorted({c for cs in trip.resources["commodities"] for c in cs})
                        ),
                    }
                ],
            }
        )
    modes = sorted({(r["mode"], r["color"], r["dash"]) for r in routes})
    if modes:
        sections.append(
            {
                "title": i18n.t("routes", lang),
                "items": [{"kind": "line", "color": c, "dash": d, "label": m} for m, c, d in modes],
            }
        )
    return sections


# Interface words geo-map.js needs, in the page's language.
JS_STRINGS = (
    "itinerary", "deals", "resources", "routes", "legend", "source", "approximate", "timeline",
    "prev_day", "next_day", "play", "pause", "all_days", "no_events", "fullscreen",
)  # fmt: skip


def build_payload(trip: Trip, lang: str) -> dict[str, Any]:
    """Everything geo-map.js draws, as JSON-ready data."""
    default = trip.meta.lang
    large = len(trip.stops) > LARGE
    stops, legs, center = _itinerary(trip, lang, default, large)
    deals = _deals(trip, lang, default, center)
    bounds = _bounds(stops, legs, deals)
    span = max(bounds[1][0] - bounds[0][0], bounds[1][1] - bounds[0][1], 20.0)
    routes = _routes(trip, lang, default, center)
    return {
        "lang": lang,
        "large": large,
        "largeRoutes": len(routes) > LARGE,
        "bounds": bounds,
        "basemap": _basemap(trip, lang, bounds),
        "stops": stops,
        "legs": legs,
        "deals": deals,
        "resources": _resources(trip, lang, default, center, span / 900),
        "routes": routes,
        "legend": _legend(trip, lang, deals, routes),
        "timeline": _timeline(trip, lang, default),
        "strings": {k: i18n.t(k, lang) for k in JS_STRINGS},
        "style": {
            "line": style.ITINERARY["line"],
            "stop": style.ITINERARY["stop"],
            "basemap": style.BASEMAP,
            "resource": style.RESOURCE_FILL,
        },
    }
