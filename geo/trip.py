"""The Trip model: validated records become GeoDataFrames (pure: no file access).

Columns
-------
Every GeoDataFrame is in EPSG:4326 (lon/lat, WGS84) with RFC 7946 geometries (longitudes in
[-180, 180]; a leg or route crossing the antimeridian is a MultiLineString cut there). A text
field ``f`` becomes one column per language of the trip, ``f_en``, ``f_ko``, ... (a plain string
fills them all). Dates are ``datetime.date`` (a day, local at the stop) or time-zone-aware
``datetime.datetime`` where a time was given.

``stops``
    ``stop`` (1-based order), ``place``, ``country``, ``tz``, ``arrive``, ``depart``,
    ``arrive_date``/``depart_date`` (local calendar days), ``label_*``, ``venue_*``, ``note_*``,
    ``mode`` (of the leg leaving), geometry Point.
``legs``
    ``leg`` (1-based), ``from_stop``, ``to_stop``, ``from_label_*``, ``to_label_*``, ``depart``
    (the from-stop's), ``arrive`` (the to-stop's), ``mode``, ``path`` (``sea-lane`` for sea
    legs, else ``geodesic``; see :mod:`geo.routing`), ``distance_km`` (along that path, exact on
    the WGS84 ellipsoid), ``great_circle_km`` (the geodesics between the stop and its via-points),
    ``snap_km`` (sea legs: the farther stop's distance to the maritime network; else NaN),
    ``vertices``, geometry LineString/MultiLineString (None for coincident stops).
``deals``
    ``deal``, ``title_*``, ``parties_*`` (lists), ``country``, ``site_name_*``, ``precision``,
    ``value`` (list of ``{amount, currency}`` as reported), ``status``, ``sector_*``, ``date``,
    ``source``, geometry Point (None when the deal has no location).
``resources``
    One row per resource and country it names: ``resource`` (the record's number),
    ``country``, ``country_name_*``, ``region`` (when the record named one), ``commodities``
    (list), ``uses_*``, ``agreement_title_*``, ``agreement_date``, ``agreement_parties_*``,
    ``sites`` (count), ``source``, geometry the country's (Multi)Polygon from the bundled
    Natural Earth basemap.
``routes``
    ``route``, ``name_*``, ``mode``, ``waypoints`` (list of names), ``goods_*`` (lists),
    ``value``, ``description_*``, ``source``, ``path``, ``distance_km``, ``great_circle_km``,
    geometry LineString or MultiLineString along the route's path through its waypoints.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from geo import geodesy
from geo.records import Deal, Meta, Resource, Route, Stop, TripRecords
from geo.text import Text

if TYPE_CHECKING:
    import folium
    import geopandas as gpd

__all__ = ["Trip", "build_trip"]

CRS = "EPSG:4326"


@dataclass(frozen=True, eq=False)
class Trip:
    """A trip as GeoDataFrames; see the module docstring for the columns.

    Frozen, and compared and hashed by identity (``eq=False``): its DataFrames have no
    meaningful ``==`` or hash. Like a GeoDataFrame it can ``explore()`` itself onto a folium
    map, show itself in a notebook, write itself with ``to_file()``, and be read by anything
    that understands ``__geo_interface__``.
    """

    meta: Meta
    languages: tuple[str, ...]
    stops: gpd.GeoDataFrame
    legs: gpd.GeoDataFrame
    deals: gpd.GeoDataFrame
    resources: gpd.GeoDataFrame
    routes: gpd.GeoDataFrame
    leg_paths: geodesy.Paths
    route_paths: geodesy.Paths
    records: TripRecords
    tolerance_km: float = 1.0

    def date_range(self) -> tuple[dt.date | None, dt.date | None]:
        """The first and last local date in the order the trip is lived: the first stop's
        first stated date and the last stop's last one (None, None when it states no date).

        Across the date line a later stop can have an earlier calendar date (leave Seoul on the
        13th, land in Honolulu on the 12th); the trip still runs from the 13th, so this is never
        the calendar's min and max."""
        s = self.stops
        days = [
            d
            for j in range(len(s))
            for d in (s["arrive_date"].iloc[j], s["depart_date"].iloc[j])
            if d is not None
        ]
        return (days[0], days[-1]) if days else (None, None)

    @property
    def total_km(self) -> float:
        """The whole itinerary's length in kilometres, exact on the WGS84 ellipsoid."""
        return float(self.leg_paths.distance_m.sum() / 1000.0)

    def explore(
        self,
        m: folium.Map | None = None,
        *,
        lang: str | None = None,
        tiles: str | None = None,
        layers: str | Sequence[str] | None = None,
        **kwargs: Any,
    ) -> folium.Map:
        """Draw the trip onto ``m`` (or a new ``folium.Map``) and return the map, as
        ``GeoDataFrame.explore`` does. See :func:`geo.render.explore.explore`."""
        from geo.render.explore import explore

        return explore(self, m, lang=lang, tiles=tiles, layers=layers, **kwargs)

    def _repr_html_(self) -> str:
        """The article map in an iframe, for notebooks: self-contained, works offline."""
        import html

        from geo.render import render_map

        page = html.escape(render_map(self), quote=True)
        return (
            f'<iframe srcdoc="{page}" title="{html.escape(self.meta.id)}" '
            'style="width:100%;height:640px;border:0" loading="lazy"></iframe>'
        )

    @property
    def __geo_interface__(self) -> dict[str, Any]:
        """Every layer as one GeoJSON FeatureCollection, each feature with a ``layer``
        property (full precision; dates as ISO 8601 text)."""
        import json

        from geo.formats.export import geojson_text

        data: dict[str, Any] = json.loads(geojson_text(self, "all", ndigits=15))
        return data

    def to_file(
        self,
        path: str | Path,
        layer: str = "all",
        driver: str | None = None,
        lang: str | None = None,
    ) -> Path:
        """Write the trip's layers, the format chosen by ``driver`` or the file extension:
        ``.geojson``/``.json`` and ``.gpkg`` (every layer, or one), ``.csv``, ``.parquet``
        (GeoParquet), ``.fgb`` (FlatGeobuf) for one ``layer``, ``.kml`` (a folder per layer,
        names in ``lang``). Returns the path."""
        from geo.formats.export import check_request, format_for, write_export

        target = Path(path)
        aliases = {
            "geopackage": "gpkg",
            "json": "geojson",
            "flatgeobuf": "fgb",
            "geoparquet": "parquet",
        }
        fmt = aliases.get(driver.lower(), driver.lower()) if driver else None
        fmt = format_for(None if fmt else target, fmt) if fmt else format_for(target, None)
        check_request(layer, fmt)
        write_export(self, layer, fmt, target, lang=lang)
        return target

    def to_image(
        self,
        path: str | Path,
        size: str = "social",
        lang: str | None = None,
        theme: str = "light",
        inset: str = "auto",
        context: str = "capitals",
    ) -> Path:
        """Draw the static map (``.png``, ``.svg`` or ``.pdf``); see
        :func:`geo.static.render_static` for the options."""
        from geo.static import render_static

        return render_static(
            self, Path(path), size=size, lang=lang, theme=theme, inset=inset, context=context
        )

    def layers(self) -> dict[str, gpd.GeoDataFrame]:
        """The five layers by name, in a fixed order."""
        return {
            "stops": self.stops,
            "legs": self.legs,
            "deals": self.deals,
            "resources": self.resources,
            "routes": self.routes,
        }


def _text_columns(
    name: str, texts: Sequence[Text | None], languages: Sequence[str], default: str
) -> dict[str, list[str | None]]:
    return {
        f"{name}_{lang}": [t.get_lang(lang, default) if t is not None else None for t in texts]
        for lang in languages
    }


def _list_columns(
    name: str, lists: Sequence[Sequence[Text]], languages: Sequence[str], default: str
) -> dict[str, list[list[str]]]:
    return {
        f"{name}_{lang}": [[t.get_lang(lang, default) for t in items] for items in lists]
        for lang in languages
    }


def _day(when: dt.date | None) -> dt.date | None:
    return when.date() if isinstance(when, dt.datetime) else when


def _frame(columns: dict[str, Any], geometry: Any) -> gpd.GeoDataFrame:
    import geopandas as gpd
    import pandas as pd

    # Object columns keep None as None (pandas 3 would turn text into a string dtype with NaN).
    frame = pd.DataFrame(
        {
            k: v if isinstance(v, np.ndarray) else pd.Series(v, dtype=object)
            for k, v in columns.items()
        }
    )
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geometry, crs=CRS), crs=CRS)


def _points(lon: Iterable[float | None], lat: Iterable[float | None]) -> np.ndarray:
    import shapely

    lon_a = np.array([np.nan if v is None else v for v in lon], dtype=float)
    lat_a = np.array([np.nan if v is None else v for v in lat], dtype=float)
    pts = np.asarray(shapely.points(lon_a, lat_a), dtype=object)
    pts[np.isnan(lon_a)] = None
    return pts


def _stops_frame(stops: Sequence[Stop], langs: Sequence[str], default: str) -> gpd.GeoDataFrame:
    cols: dict[str, Any] = {
        "stop": np.arange(1, len(stops) + 1),
        "place": [s.place for s in stops],
        "country": [s.country for s in stops],
        "tz": [s.tz for s in stops],
        "arrive": [s.arrive for s in stops],
        "depart": [s.depart for s in stops],
        "arrive_date": [_day(s.arrive) for s in stops],
        "depart_date": [_day(s.depart) for s in stops],
    }
    cols |= _text_columns("label", [s.label for s in stops], langs, default)
    cols |= _text_columns("venue", [s.venue for s in stops], langs, default)
    cols |= _text_columns("note", [s.note for s in stops], langs, default)
    cols["mode"] = [s.mode for s in stops]
    return _frame(cols, _points([s.lon for s in stops], [s.lat for s in stops]))


def _legs_frame(
    stops: Sequence[Stop],
    paths: geodesy.Paths,
    kinds: np.ndarray,
    great_circle_m: np.ndarray,
    langs: Sequence[str],
    default: str,
) -> gpd.GeoDataFrame:
    n = len(stops) - 1
    cols: dict[str, Any] = {
        "leg": np.arange(1, n + 1),
        "from_stop": np.arange(1, n + 1),
        "to_stop": np.arange(2, n + 2),
    }
    cols |= _text_columns("from_label", [s.label for s in stops[:-1]], langs, default)
    cols |= _text_columns("to_label", [s.label for s in stops[1:]], langs, default)
    cols |= {
        "depart": [s.depart for s in stops[:-1]],
        "arrive": [s.arrive for s in stops[1:]],
        "mode": [s.mode for s in stops[:-1]],
        "path": kinds.astype(object),
        "distance_km": paths.distance_m / 1000.0,
        "great_circle_km": great_circle_m / 1000.0,
        "snap_km": _snap_km(stops, kinds),
        "vertices": paths.vertex_counts(),
    }
    return _frame(cols, geodesy.rfc7946_geometries(paths))


def _snap_km(stops: Sequence[Stop], kinds: np.ndarray) -> np.ndarray:
    """For sea legs, the farther of the two stops' distances to the lane's network; else NaN."""
    from geo import routing

    out = np.full(len(kinds), np.nan)
    sea = [int(i) for i in np.flatnonzero(kinds == "sea-lane")]
    if len(sea):
        a = routing.snap_km([stops[i].lon for i in sea], [stops[i].lat for i in sea])
        b = routing.snap_km([stops[i + 1].lon for i in sea], [stops[i + 1].lat for i in sea])
        out[sea] = np.maximum(a, b)
    return out


def _deals_frame(deals: Sequence[Deal], langs: Sequence[str], default: str) -> gpd.GeoDataFrame:
    cols: dict[str, Any] = {"deal": np.arange(1, len(deals) + 1)}
    cols |= _text_columns("title", [d.title for d in deals], langs, default)
    cols |= _list_columns("parties", [d.parties for d in deals], langs, default)
    cols["country"] = [d.country for d in deals]
    cols |= _text_columns(
        "site_name", [d.site.name if d.site else None for d in deals], langs, default
    )
    cols |= {
        "precision": [d.site.precision if d.site else None for d in deals],
        "value": [[m.as_dict() for m in d.value] for d in deals],
        "status": [d.status for d in deals],
    }
    cols |= _text_columns("sector", [d.sector for d in deals], langs, default)
    cols |= {"date": [d.date for d in deals], "source": [d.source for d in deals]}
    geometry = _points(
        [d.site.lon if d.site else None for d in deals],
        [d.site.lat if d.site else None for d in deals],
    )
    return _frame(cols, geometry)


def _resources_frame(
    resources: Sequence[Resource], langs: Sequence[str], default: str
) -> gpd.GeoDataFrame:
    """One row per resource and country: a resource of a region or several countries shades
    each of them, and every row says which resource (``resource``) it belongs to."""
    from geo import basemap

    pairs = [(k, r, code) for k, r in enumerate(resources, start=1) for code in r.countries]
    rows = [r for _, r, _ in pairs]
    codes = [code for _, _, code in pairs]
    countries = basemap.countries("50m", codes=sorted(set(codes))).set_index("iso_a2")
    cols: dict[str, Any] = {
        "resource": np.asarray([k for k, _, _ in pairs], dtype=np.int64),
        "country": codes,
    }
    for lang in langs:
        cols[f"country_name_{lang}"] = [basemap.country_name(code, lang) for code in codes]
    cols["region"] = [r.region for r in rows]
    cols["commodities"] = [list(r.commodities) for r in rows]
    cols |= _text_columns("uses", [r.uses for r in rows], langs, default)
    agreements = [r.agreement for r in rows]
    cols |= _text_columns(
        "agreement_title", [a.title if a else None for a in agreements], langs, default
    )
    cols["agreement_date"] = [a.date if a else None for a in agreements]
    cols |= _list_columns(
        "agreement_parties", [a.parties if a else () for a in agreements], langs, default
    )
    cols["sites"] = [len(r.sites) for r in rows]
    cols["source"] = [r.source for r in rows]
    geometry = [countries.geometry.get(code) if code in countries.index else None for code in codes]
    return _frame(cols, np.asarray(geometry, dtype=object))


@dataclass(frozen=True)
class _Hops:
    """The hops of several paths (legs or routes), in order, and how many make each path."""

    modes: list[str]
    ends: list[tuple[float, float, float, float]]
    avoid: list[tuple[str, ...]]
    allow: list[tuple[str, ...]]
    names: list[str]
    counts: list[int]

    @classmethod
    def empty(cls) -> _Hops:
        return cls([], [], [], [], [], [])

    def add(
        self,
        points: Sequence[tuple[float, float]],
        mode: str,
        avoid: tuple[str, ...],
        allow: tuple[str, ...],
        name: str,
    ) -> None:
        """One path through ``points``: a hop between each consecutive pair."""
        for (x1, y1), (x2, y2) in zip(points[:-1], points[1:], strict=True):
            self.modes.append(mode)
            self.ends.append((x1, y1, x2, y2))
            self.avoid.append(avoid)
            self.allow.append(allow)
            self.names.append(name)
        self.counts.append(len(points) - 1)

    def paths(self, tolerance_km: float) -> tuple[geodesy.Paths, np.ndarray, np.ndarray]:
        """The joined paths, their kinds, and their great-circle lengths (metres) hop by hop."""
        from geo import routing

        ends = np.asarray(self.ends, dtype=float).reshape(-1, 4)
        hops, kinds = routing.hop_paths(
            self.modes,
            ends[:, 0],
            ends[:, 1],
            ends[:, 2],
            ends[:, 3],
            avoid=self.avoid,
            allow=self.allow,
            names=self.names,
            tolerance_km=tolerance_km,
        )
        _, direct = geodesy.inverse(ends[:, 0], ends[:, 1], ends[:, 2], ends[:, 3])
        owner = np.repeat(np.arange(len(self.counts)), self.counts)
        first = (np.cumsum(self.counts) - np.asarray(self.counts, dtype=np.int64)).astype(np.int64)
        great_circle = np.bincount(owner, weights=direct, minlength=len(self.counts))
        path_kinds = kinds[first]
        return routing.join_paths(hops, self.counts), path_kinds, great_circle


def _leg_hops(records: TripRecords) -> _Hops:
    """Each leg from its stop through the stop's via-points to the next stop."""
    hops = _Hops.empty()
    meta, stops = records.meta, records.stops
    for i, (s, t) in enumerate(zip(stops[:-1], stops[1:], strict=True)):
        points = [(s.lon, s.lat), *((v.lon, v.lat) for v in s.via), (t.lon, t.lat)]
        avoid = tuple(sorted({*meta.avoid, *s.avoid}))
        allow = tuple(sorted({*meta.allow, *s.allow}))
        hops.add(points, s.mode, avoid, allow, f"stops[{i}]")
    return hops


def _route_hops(records: TripRecords) -> _Hops:
    """Each route through its waypoints; a route without a mode is drawn as geodesics."""
    hops = _Hops.empty()
    meta = records.meta
    for i, r in enumerate(records.routes):
        avoid = tuple(sorted({*meta.avoid, *r.avoid}))
        allow = tuple(sorted({*meta.allow, *r.allow}))
        points = [(w.lon, w.lat) for w in r.waypoints]
        hops.add(points, r.mode or "air", avoid, allow, f"routes[{i}]")
    return hops


def _routes_frame(
    routes: Sequence[Route],
    paths: geodesy.Paths,
    kinds: np.ndarray,
    great_circle_m: np.ndarray,
    langs: Sequence[str],
    default: str,
) -> gpd.GeoDataFrame:
    cols: dict[str, Any] = {"route": np.arange(1, len(routes) + 1)}
    cols |= _text_columns("name", [r.name for r in routes], langs, default)
    cols |= {
        "mode": [r.mode for r in routes],
        "waypoints": [[w.name for w in r.waypoints] for r in routes],
    }
    cols |= _list_columns("goods", [r.goods for r in routes], langs, default)
    cols["value"] = [[m.as_dict() for m in r.value] for r in routes]
    cols |= _text_columns("description", [r.description for r in routes], langs, default)
    cols["source"] = [r.source for r in routes]
    cols["path"] = kinds.astype(object)
    cols["distance_km"] = paths.distance_m / 1000.0
    cols["great_circle_km"] = great_circle_m / 1000.0
    return _frame(cols, geodesy.rfc7946_geometries(paths))


def build_trip(records: TripRecords, tolerance_km: float = 1.0) -> Trip:
    """Turn validated records into a :class:`Trip`: paths by mode, located deals, shaded countries.

    Parameters
    ----------
    records
        From :func:`geo.schema.validate`.
    tolerance_km
        How far a drawn leg may stray from the true geodesic; see
        :func:`geo.geodesy.geodesic_paths`.
    """
    stops = records.stops
    langs, default = records.languages, records.meta.lang
    leg_paths, leg_kinds, leg_direct = _leg_hops(records).paths(tolerance_km)
    route_paths, route_kinds, route_direct = _route_hops(records).paths(tolerance_km)
    return Trip(
        meta=records.meta,
        languages=langs,
        stops=_stops_frame(stops, langs, default),
        legs=_legs_frame(stops, leg_paths, leg_kinds, leg_direct, langs, default),
        deals=_deals_frame(records.deals, langs, default),
        resources=_resources_frame(records.resources, langs, default),
        routes=_routes_frame(
            records.routes, route_paths, route_kinds, route_direct, langs, default
        ),
        leg_paths=leg_paths,
        route_paths=route_paths,
        records=records,
        tolerance_km=tolerance_km,
    )
