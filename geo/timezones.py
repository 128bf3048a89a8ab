"""The time zone of a point, from the time-zone boundaries, kept inside the point's country.

A stop given by coordinates used to take the zone of the nearest gazetteer city within
500 km, whatever the country: near a border, the neighbour's zone, an hour off. Now the zone
comes from the boundaries of the tz database's zones (``timezonefinder``, offline, its
polygons from timezone-boundary-builder, built on OpenStreetMap) and is checked against the
stop's country: a point in one country never takes a zone of another. Where the boundary zone
belongs to another country (the polygons are simplified, a few hundred metres at a border),
the country's zone is taken from its nearest gazetteer city, or, for a country with one zone,
that zone. At sea there is none: a ship keeps the clock its master sets, so a timed stop at sea
needs its ``tz:`` (the nautical zones ``Etc/GMT-4`` … are one choice).
"""

from __future__ import annotations

import functools
from typing import Any

__all__ = ["country_zones", "zone_at"]


@functools.cache
def _finder() -> Any:
    from timezonefinder import TimezoneFinder

    return TimezoneFinder()


@functools.cache
def _country_zones() -> dict[str, tuple[str, ...]]:
    from geo._data import data_path

    zones: dict[str, list[str]] = {}
    lines = data_path("gazetteer/country-zones.tsv").read_text(encoding="utf-8").splitlines()
    for line in lines[1:]:
        country, zone = line.split("\t")
        zones.setdefault(country, []).append(zone)
    return {c: tuple(z) for c, z in zones.items()}


def country_zones(country: str) -> tuple[str, ...]:
    """The IANA zones of a country (ISO 3166 alpha-2), as the tz database's ``zone.tab``
    lists them; empty for a code it does not know."""
    return _country_zones().get(country.upper(), ())


def zone_at(lat: float, lon: float, country: str | None = None) -> str | None:
    """The IANA time zone at a point, consistent with its country.

    Parameters
    ----------
    lat, lon : float
        The point, in decimal degrees (WGS84).
    country : str, optional
        The point's country (ISO alpha-2), when known: the zone is then one of its zones.

    Returns
    -------
    str or None
        A zone such as ``Asia/Tashkent``; None at sea (outside every country's waters) when no
        country is given.
    """
    zone = _finder().timezone_at(lng=float(lon), lat=float(lat))
    if zone is not None and zone.startswith("Etc/"):
        zone = None  # a nautical zone: the open sea
    if country is None:
        return zone
    own = country_zones(country)
    if not own or zone in own:
        return zone or (own[0] if len(own) == 1 else None)
    if len(own) == 1:
        return own[0]
    from geo.gazetteer import nearest_timezone

    near = nearest_timezone(lat, lon, country=country.upper(), max_km=20_000)
    return near if near in own else own[0]
