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

__all__ = ["COLUMNS", "LANGUAGES", "SCALES", "countries", "country_name", "country_point"]

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
    wanted = None
    if codes is not None:
        wanted = tuple(sorted({c.upper() for c in codes if c.isalpha() and len(c) == 2}))
    box = None if bbox is None else (bbox[0], bbox[1], bbox[2], bbox[3])
    return _read(scale, box, wanted).copy()


@lru_cache(maxsize=16)
def _read(
    scale: str, bbox: tuple[float, float, float, float] | None, codes: tuple[str, ...] | None
) -> geopandas.GeoDataFrame:
    """The countries in a box or with given codes, read from the file once per process (a
    long-running ``geo preview`` re-renders the same region on every save)."""
    import pyogrio

    where = None
    if codes is not None:
        where = "iso_a2 IN ({})".format(", ".join(f"'{c}'" for c in codes) or "''")
    frame = pyogrio.read_dataframe(
        data_path(f"basemap/countries-{scale}.geojson"), bbox=bbox, where=where
    )
    frame = frame.set_crs("EPSG:4326", allow_override=True)
    return (
        frame[list(COLUMNS)]
        .sort_values(["iso_a2", "name_en"], kind="stable")
        .reset_index(drop=True)
    )


def country_name(iso_a2: str, lang: str) -> str:
    """Short name of a country, as used on a map.

    Parameters
    ----------
    iso_a2 : str
        ISO 3166-1 alpha-2 code, e.g. ``"KR"`` (case-insensitive); ``"XK"`` is Kosovo.
    lang : {"en", "ko"}
        ``"en"`` gives Natural Earth's short English name (``"South Korea"``), ``"ko"`` the name
        a Korean newspaper uses (``"한국"``).

    Returns
    -------
    str

    Raises
    ------
    KeyError
        If no country in the basemap has that code.
    ValueError
        If ``lang`` is not one of :data:`LANGUAGES`.
    """
    _check_choice("lang", lang, LANGUAGES)
    country = _lookup(iso_a2)
    return country.name_ko if lang == "ko" else country.name_en


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


def _frame(features: list[dict[str, Any]]) -> geopandas.GeoDataFrame:
    import json

    import geopandas
    import shapely

    # Geometry text is parsed by GEOS, only for the features asked for.
    geometry = shapely.from_geojson([json.dumps(f["geometry"]) for f in features])
    columns = {c: [f["properties"][c] for f in features] for c in COLUMNS[:-1]}
    # RFC 7946 GeoJSON is always lon/lat on WGS 84.
    return geopandas.GeoDataFrame(columns, geometry=list(geometry), crs="EPSG:4326")


@lru_cache(maxsize=len(SCALES))
def _countries(scale: str) -> geopandas.GeoDataFrame:
    return _frame(_features(scale))


@lru_cache(maxsize=1)
def _index() -> dict[str, _Country]:
    return {
        str(p["iso_a2"]): _Country(
            str(p["name_en"]), str(p["name_ko"]), float(p["label_lon"]), float(p["label_lat"])
        )
        for p in (f["properties"] for f in _features(_LOOKUP_SCALE))
        if p["iso_a2"]
    }


def _lookup(iso_a2: str) -> _Country:
    country = _index().get(iso_a2.strip().upper()) if iso_a2.strip() else None
    if country is None:
        raise KeyError(
            f"unknown country code {iso_a2!r}: the basemap has no country with that "
            "ISO 3166-1 alpha-2 code; use two letters such as 'KR' or 'UZ' ('XK' for Kosovo)"
        )
    return country
