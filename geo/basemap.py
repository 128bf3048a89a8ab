"""Country outlines, names and label points for basemaps.

The data are the bundled ``data/basemap/countries-{50m,110m}.geojson``: Natural Earth 4.1.0
Admin 0 countries (via world-atlas 2.0.2), derived by ``scripts/build_basemap.py``. Nothing here
reads the Natural Earth source itself.

>>> from geo.basemap import countries, country_name, country_point
>>> country_name("KR", "ko")
'한국'
>>> country_point("KZ")
(66.32, 47.98)
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple

from geo._data import data_path

if TYPE_CHECKING:
    import geopandas

__all__ = [
    "COLUMNS",
    "CONTEXT_LANGUAGES",
    "LANGUAGES",
    "SCALES",
    "capitals",
    "countries",
    "country_name",
    "country_point",
    "frame_names",
    "name_in",
    "inset_land",
    "water_bodies",
]

CONTEXT_LANGUAGES = ("en", "ko", "ru", "ja")
"""Languages of the water and capital names (``name_<lang>``; empty where the source has none)."""

SCALES = ("50m", "110m")
"""Natural Earth scales bundled: 1:50 million (detailed) and 1:110 million (coarse)."""
LANGUAGES = ("en", "ko")
"""Languages of the country names."""
COLUMNS = ("iso_a2", "name_en", "name_ko", "label_lon", "label_lat", "geometry")
"""Columns of :func:`countries`, in order."""

# Look-ups use 50m: it has every country of 110m plus the small ones 110m leaves out.
_LOOKUP_SCALE = "50m"


class _Country(NamedTuple):
    name_en: str
    name_ko: str
    label_lon: float
    label_lat: float


def countries(
    scale: str = "50m",
    bbox: tuple[float, float, float, float] | None = None,
    codes: Sequence[str] | None = None,
) -> geopandas.GeoDataFrame:
    """Every country as one (multi)polygon, with names and a label point.

    Parameters
    ----------
    scale : {"50m", "110m"}
        Natural Earth scale: ``"50m"`` (coordinates to 0.001 degree, 240 features) or ``"110m"``
        (0.01 degree, 177 features, no small islands).

    Returns
    -------
    geopandas.GeoDataFrame
        In EPSG:4326 (lon/lat), columns ``iso_a2`` (ISO 3166-1 alpha-2; ``"XK"`` for Kosovo,
        ``""`` for places without a code such as Somaliland), ``name_en``, ``name_ko``,
        ``label_lon``, ``label_lat`` and ``geometry``; sorted by ``iso_a2`` then ``name_en``.
        A fresh copy on each call, so callers may modify it.

    Raises
    ------
    ValueError
        If ``scale`` is not one of :data:`SCALES`.

    Notes
    -----
    With ``bbox`` (west, south, east, north) or ``codes``, only those countries' geometries are
    read and parsed: a map of one region pays for its region, not the world.
    """
    scale = _check_choice("scale", scale, SCALES)
    if bbox is None and codes is None:
        return _countries(scale).copy()
    table = _table(scale)
    rows: list[int] = list(range(len(table["wkb"])))
    if codes is not None:
        wanted = {c.upper() for c in codes if c.isalpha() and len(c) == 2}
        rows = [i for i in rows if table["properties"][i][0] in wanted]
    if bbox is not None:
        # Bounds first, then the exact test GDAL's spatial filter makes (GEOS intersects).
        w, s, e, n = bbox
        b = table["bounds"]
        rows = [i for i in rows if b[i][0] <= e and b[i][2] >= w and b[i][1] <= n and b[i][3] >= s]
    frame = _frame_of(table, rows)
    if bbox is not None:
        import shapely

        frame = frame[shapely.intersects(frame.geometry.array, shapely.box(*bbox))]
    return frame.sort_values(["iso_a2", "name_en"], kind="stable").reset_index(drop=True)


def country_name(iso_a2: str, lang: str) -> str:
    """Short name of a country, as used on a map.

    Parameters
    ----------
    iso_a2 : str
        ISO 3166-1 alpha-2 code, e.g. ``"KR"`` (case-insensitive); ``"XK"`` is Kosovo.
    lang : str
        A BCP 47 language tag. The basemap's own names come first where it has a column for the
        language (:data:`LANGUAGES`): Natural Earth's short English name (``"South Korea"``),
        the name a Korean newspaper uses (``"한국"``). Other languages take CLDR's territory
        name through Babel (``"Казахстан"``, ``"カザフスタン"``), trying the whole tag, then its
        language; English when CLDR has neither.

    Returns
    -------
    str

    Raises
    ------
    KeyError
        If no country in the basemap has that code.
    """
    country = _lookup(iso_a2)
    column = f"name_{lang.split('-')[0].casefold()}"
    if column in _Country._fields:
        return str(getattr(country, column))
    from geo.cldr import territories

    return territories(lang).get(iso_a2.strip().upper()) or country.name_en


NAME_COLUMNS = ("name_en", "name_ko")
"""The basemap's own name columns, in :data:`LANGUAGES` order."""


def name_in(iso_a2: str, own: Sequence[str], lang: str) -> str:
    """A country's name in ``lang`` from its code (:func:`country_name`), or for a place
    without a code from its own names (``own``, in :data:`NAME_COLUMNS` order; else English)."""
    if iso_a2:
        return country_name(iso_a2, lang)
    column = f"name_{lang.split('-')[0].casefold()}"
    names = dict(zip(NAME_COLUMNS, own, strict=True))
    return names.get(column) or names["name_en"]


def frame_names(frame: Any, lang: str) -> list[str]:
    """Each row's short name in ``lang`` for a frame of :func:`countries` (:func:`name_in`:
    Somaliland, without a code, is 소말릴란드 on a Korean map)."""
    columns = (frame[c] for c in NAME_COLUMNS)
    return [
        name_in(iso, [str(v) for v in own], lang)
        for iso, *own in zip(frame["iso_a2"], *columns, strict=True)
    ]


def country_point(iso_a2: str) -> tuple[float, float]:
    """Where to put a country's label: a point inside its largest polygon.

    Parameters
    ----------
    iso_a2 : str
        ISO 3166-1 alpha-2 code, e.g. ``"UZ"`` (case-insensitive).

    Returns
    -------
    tuple of float
        ``(lon, lat)`` in degrees, rounded to 2 decimals.

    Raises
    ------
    KeyError
        If no country in the basemap has that code.
    """
    country = _lookup(iso_a2)
    return country.label_lon, country.label_lat


def _check_choice(what: str, value: str, valid: tuple[str, ...]) -> str:
    if value not in valid:
        raise ValueError(f"unknown {what} {value!r}; valid values are {', '.join(valid)}")
    return value


@lru_cache(maxsize=len(SCALES))
def _features(scale: str) -> list[dict[str, Any]]:
    import json

    text = data_path(f"basemap/countries-{scale}.geojson").read_text(encoding="utf-8")
    features: list[dict[str, Any]] = json.loads(text)["features"]
    return features


@lru_cache(maxsize=len(SCALES))
def _countries(scale: str) -> geopandas.GeoDataFrame:
    table = _table(scale)
    return _frame_of(table, list(range(len(table["wkb"]))))


@lru_cache(maxsize=len(SCALES))
def _table(scale: str) -> dict[str, list[Any]]:
    """The countries of a scale as columns: properties, WKB geometry and bounds, from the user
    cache (:mod:`geo._cache`) when it holds them for this file; geometry is parsed only for the
    countries asked for."""
    from geo import _cache

    path = data_path(f"basemap/countries-{scale}.geojson")
    try:
        stat = path.stat()
        key = f"{path} {stat.st_size} {stat.st_mtime_ns}"
    except OSError:
        key = f"{path} unknown"
    table: dict[str, list[Any]] = _cache.cached(
        f"countries-{scale}", key, lambda: _build_table(scale)
    )
    return table


def _build_table(scale: str) -> dict[str, list[Any]]:
    import json

    import shapely

    features = _features(scale)
    geometry = shapely.from_geojson([json.dumps(f["geometry"]) for f in features])
    return {
        "properties": [[f["properties"][c] for c in COLUMNS[:-1]] for f in features],
        "wkb": [bytes(b) for b in shapely.to_wkb(geometry)],
        "bounds": shapely.bounds(geometry).tolist(),
    }


def _frame_of(table: dict[str, list[Any]], rows: list[int]) -> geopandas.GeoDataFrame:
    import geopandas
    import shapely

    geometry = shapely.from_wkb([table["wkb"][i] for i in rows])
    properties = [table["properties"][i] for i in rows]
    columns = {c: [p[k] for p in properties] for k, c in enumerate(COLUMNS[:-1])}
    # RFC 7946 GeoJSON is always lon/lat on WGS 84.
    return geopandas.GeoDataFrame(columns, geometry=list(geometry), crs="EPSG:4326")


@lru_cache(maxsize=1)
def _index() -> dict[str, _Country]:
    return {
        str(p[0]): _Country(str(p[1]), str(p[2]), float(p[3]), float(p[4]))
        for p in _table(_LOOKUP_SCALE)["properties"]
        if p[0]
    }


def _lookup(iso_a2: str) -> _Country:
    country = _index().get(iso_a2.strip().upper()) if iso_a2.strip() else None
    if country is None:
        raise KeyError(
            f"unknown country code {iso_a2!r}: the basemap has no country with that "
            "ISO 3166-1 alpha-2 code; use two letters such as 'KR' or 'UZ' ('XK' for Kosovo)"
        )
    return country


@lru_cache(maxsize=1)
def water_bodies() -> tuple[dict[str, Any], ...]:
    """Oceans, seas, gulfs, bays and large lakes, Natural Earth 1:110m (``basemap/water.json``).

    Each row: ``name`` (Natural Earth's English name, spaces normalised: the key of a trip's
    ``names:``), ``name_en``/``name_ko``/``name_ru``/``name_ja``, ``kind`` (ocean, sea, gulf,
    bay, lake),
    ``rank`` (Natural Earth ``scalerank``: 0 most important), ``min_label``, the label point
    ``lon``/``lat`` and ``bbox`` ``[west, south, east, north]``. Read-only: do not change the rows.
    """
    import json

    text = data_path("basemap/water.json").read_text(encoding="utf-8")
    return tuple(json.loads(text))


@lru_cache(maxsize=1)
def capitals() -> tuple[dict[str, Any], ...]:
    """National capitals (Natural Earth 1:10m populated places with ``adm0cap``).

    Each row: ``name``, ``name_en``/``name_ru`` (``name_ko``/``name_ja`` empty: the source lacks
    them), ``iso_a2``, ``rank``, ``pop_max``, ``lon``, ``lat``.
    """
    import json

    text = data_path("basemap/capitals.json").read_text(encoding="utf-8")
    return tuple(json.loads(text))


@lru_cache(maxsize=1)
def inset_land() -> tuple[tuple[tuple[float, float], ...], ...]:
    """The world's land for an inset locator: exterior rings of lon/lat points (1:110m)."""
    import json

    feature = json.loads(data_path("basemap/inset-110m.geojson").read_text(encoding="utf-8"))
    geometry = feature["geometry"]
    polygons = geometry["coordinates"]
    if geometry["type"] == "Polygon":
        polygons = [polygons]
    return tuple(tuple((float(x), float(y)) for x, y in polygon[0]) for polygon in polygons)
