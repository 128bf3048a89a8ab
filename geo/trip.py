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
    (the from-stop's), ``arrive`` (the to-stop's), ``mode``, ``distance_km`` (exact, WGS84
    ellipsoid), ``vertices``, geometry LineString/MultiLineString (None for coincident stops).
``deals``
    ``deal``, ``title_*``, ``parties_*`` (lists), ``country``, ``site_name_*``, ``precision``,
    ``value`` (list of ``{amount, currency}`` as reported), ``status``, ``sector_*``, ``date``,
    ``source``, geometry Point (None when the deal has no location).
``resources``
    ``resource``, ``country``, ``country_name_*``, ``commodities`` (list), ``uses_*``,
    ``agreement_title_*``, ``agreement_date``, ``agreement_parties_*``, ``sites`` (count),
    ``source``, geometry the country's (Multi)Polygon from the bundled Natural Earth basemap.
``routes``
    ``route``, ``name_*``, ``mode``, ``waypoints`` (list of names), ``goods_*`` (lists),
    ``value``, ``description_*``, ``source``, ``distance_km``, geometry LineString or
    MultiLineString along the geodesics between waypoints.
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
_DRIVERS = {".geojson": "geojson", ".json": "geojson", ".gpkg": "gpkg", ".csv": "csv"}


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
        """First and last local date of the itinerary (None, None when it states no date)."""
        days = [d for c in ("arrive_date", "depart_date") for d in self.stops[c] if d is not None]
        return (min(days), max(days)) if days else (None, None)

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

    def to_file(self, path: str | Path, layer: str = "all", driver: str | None = None) -> Path:
        """Write the trip's layers, the format chosen by ``driver`` or the file extension
        (``.geojson``/``.json``, ``.gpkg``, ``.csv`` for one layer). Returns the path."""
        from geo.formats.export import FORMATS, write_export

        target = Path(path)
        fmt = (driver or _DRIVERS.get(target.suffix.lower(), "")).lower()
        fmt = {"gpkg": "gpkg", "geopackage": "gpkg", "geojson": "geojson", "csv": "csv"}.get(
            fmt, fmt
        )
        if fmt not in FORMATS:
            from geo.errors import ExportError

            raise ExportError(
                f"path: cannot tell the format of {target.name!r}; use a .geojson, .gpkg or "
                f".csv name, or driver= one of {', '.join(FORMATS)}"
            )
        write_export(self, layer, fmt, target)
        return target

    def to_image(self, path: str | Path, size: str = "social", lang: str | None = None) -> Path:
        """Draw the static map (``.png``, ``.svg`` or ``.pdf``); see :mod:`geo.static`."""
        from geo.static import render_static

        return render_static(self, Path(path), size=size, lang=lang)

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
    stops: Sequence[Stop], paths: geodesy.Paths, langs: Sequence[str], default: str
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
        "distance_km": paths.distance_m / 1000.0,
        "vertices": paths.vertex_counts(),
    }
    return _frame(cols, geodesy.rfc7946_geometries(paths))


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
    from geo import basemap

    countries = basemap.countries("50m", codes=[r.country for r in resources]).set_index("iso_a2")
    cols: dict[str, Any] = {
        "resource": np.arange(1, len(resources) + 1),
        "country": [r.country for r in resources],
    }
    for lang in langs:
        cols[f"country_name_{lang}"] = [basemap.country_name(r.country, lang) for r in resources]
    cols["commodities"] = [list(r.commodities) for r in resources]
    cols |= _text_columns("uses", [r.uses for r in resources], langs, default)
    agreements = [r.agreement for r in resources]
    cols |= _text_columns(
        "agreement_title", [a.title if a else None for a in agreements], langs, default
    )
    cols["agreement_date"] = [a.date if a else None for a in agreements]
    cols |= _list_columns(
        "agreement_parties", [a.parties if a else () for a in agreements], langs, default
    )
    cols["sites"] = [len(r.sites) for r in resources]
    cols["source"] = [r.source for r in resources]
    geometry = [
        countries.geometry.get(r.country) if r.country in countries.index else None
        for r in resources
    ]
    return _frame(cols, np.asarray(geometry, dtype=object))


def _route_paths(routes: Sequence[Route], tolerance_km: float) -> geodesy.Paths:
    """One path per route: the geodesics between its waypoints, joined end to end."""
    a = [(w1, w2) for r in routes for w1, w2 in zip(r.waypoints[:-1], r.waypoints[1:], strict=True)]
    hops = geodesy.geodesic_paths(
        [w1.lon for w1, _ in a],
        [w1.lat for w1, _ in a],
        [w2.lon for _, w2 in a],
        [w2.lat for _, w2 in a],
        tolerance_km,
    )
    lon: list[np.ndarray] = []
    lat: list[np.ndarray] = []
    offsets = [0]
    dist = []
    h = 0
    for r in routes:
        n_hops = len(r.waypoints) - 1
        parts_lon: list[np.ndarray] = []
        parts_lat: list[np.ndarray] = []
        total = 0.0
        shift = 0.0
        for k in range(h, h + n_hops):
            c = hops.coords(k)
            x, y = c[:, 0], c[:, 1]
            if parts_lon:
                # Continue from where the last hop ended, in the same unwrapped frame.
                shift = parts_lon[-1][-1] - x[0]
                x, y = x[1:] + shift, y[1:]
            parts_lon.append(x)
            parts_lat.append(y)
            total += float(hops.distance_m[k])
        h += n_hops
        lon.append(np.concatenate(parts_lon))
        lat.append(np.concatenate(parts_lat))
        offsets.append(offsets[-1] + len(lon[-1]))
        dist.append(total)
    return geodesy.Paths(
        lon=np.concatenate(lon) if lon else np.zeros(0),
        lat=np.concatenate(lat) if lat else np.zeros(0),
        offsets=np.asarray(offsets, dtype=np.int64),
        distance_m=np.asarray(dist, dtype=float),
    )


def _routes_frame(
    routes: Sequence[Route], paths: geodesy.Paths, langs: Sequence[str], default: str
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
    cols["distance_km"] = paths.distance_m / 1000.0
    return _frame(cols, geodesy.rfc7946_geometries(paths))


def build_trip(records: TripRecords, tolerance_km: float = 1.0) -> Trip:
    """Turn validated records into a :class:`Trip`: geodesic legs, located deals, shaded countries.

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
    leg_paths = geodesy.geodesic_paths(
        [s.lon for s in stops[:-1]],
        [s.lat for s in stops[:-1]],
        [s.lon for s in stops[1:]],
        [s.lat for s in stops[1:]],
        tolerance_km,
    )
    route_paths = _route_paths(records.routes, tolerance_km)
    return Trip(
        meta=records.meta,
        languages=langs,
        stops=_stops_frame(stops, langs, default),
        legs=_legs_frame(stops, leg_paths, langs, default),
        deals=_deals_frame(records.deals, langs, default),
        resources=_resources_frame(records.resources, langs, default),
        routes=_routes_frame(records.routes, route_paths, langs, default),
        leg_paths=leg_paths,
        route_paths=route_paths,
        records=records,
        tolerance_km=tolerance_km,
    )
