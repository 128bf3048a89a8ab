"""Validated records of a trip: what a trip file says, checked, typed and located.

These frozen dataclasses are the stage between a file and the GeoDataFrames: readers produce raw
mappings, :mod:`geo.schema` turns them into these records (or one report of every problem), and
:mod:`geo.trip` turns the records into GeoDataFrames.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from geo.text import Text

__all__ = [
    "Agreement",
    "Deal",
    "Meta",
    "Money",
    "Resource",
    "Route",
    "Site",
    "Source",
    "Stop",
    "TripRecords",
    "Waypoint",
]

When = dt.date | dt.datetime


@dataclass(frozen=True)
class Source:
    """A source the trip is based on."""

    name: Text
    url: str | None = None
    date: dt.date | None = None


@dataclass(frozen=True)
class Meta:
    """The ``trip:`` section."""

    id: str
    title: Text
    subtitle: Text | None = None
    sources: tuple[Source, ...] = ()
    credit: Text | None = None
    lang: str = "en"
    avoid: tuple[str, ...] = ()
    allow: tuple[str, ...] = ()


@dataclass(frozen=True)
class Money:
    """An amount as reported, in its own currency (ISO 4217)."""

    amount: float
    currency: str

    def as_dict(self) -> dict[str, float | str]:
        amount: float | int = int(self.amount) if float(self.amount).is_integer() else self.amount
        return {"amount": amount, "currency": self.currency}


@dataclass(frozen=True)
class Site:
    """A located site; ``precision`` says how well its position is known."""

    lon: float
    lat: float
    precision: str
    name: Text | None = None


@dataclass(frozen=True)
class Waypoint:
    """A located waypoint of a route, or a via-point of a leg."""

    lon: float
    lat: float
    name: str
    names: Text | None = None
    """The place's name in other languages (:mod:`geo.placenames`), where the gazetteer found
    it and the trip gave no ``name``; exports keep ``name`` as written."""


@dataclass(frozen=True)
class Stop:
    """One stop of the itinerary, located and with its local dates."""

    place: str | None
    lon: float
    lat: float
    country: str | None
    tz: str | None
    arrive: When | None
    depart: When | None
    label: Text
    venue: Text | None = None
    note: Text | None = None
    mode: str = "air"
    avoid: tuple[str, ...] = ()
    allow: tuple[str, ...] = ()
    via: tuple[Waypoint, ...] = ()


@dataclass(frozen=True)
class Deal:
    """A deal, contract, agreement or cooperation item."""

    title: Text
    parties: tuple[Text, ...] = ()
    country: str | None = None
    site: Site | None = None
    value: tuple[Money, ...] = ()
    status: str | None = None
    sector: Text | None = None
    date: dt.date | None = None
    source: str | None = None


@dataclass(frozen=True)
class Agreement:
    """The agreement behind a resource partnership."""

    title: Text
    date: dt.date | None = None
    parties: tuple[Text, ...] = ()


@dataclass(frozen=True)
class Resource:
    """Critical-mineral or energy cooperation with one country, several, or a region.

    ``countries`` always lists the countries (a region's members when ``region`` is given).
    """

    countries: tuple[str, ...]
    commodities: tuple[str, ...]
    uses: Text | None = None
    agreement: Agreement | None = None
    sites: tuple[Site, ...] = ()
    source: str | None = None
    region: str | None = None


@dataclass(frozen=True)
class Route:
    """A corridor or a flow of goods."""

    name: Text
    waypoints: tuple[Waypoint, ...]
    mode: str | None = None
    goods: tuple[Text, ...] = ()
    value: tuple[Money, ...] = ()
    description: Text | None = None
    source: str | None = None
    avoid: tuple[str, ...] = ()
    allow: tuple[str, ...] = ()


@dataclass(frozen=True)
class Chapter:
    """One chapter of a trip's ``story:``: what it says and what it shows (0-based rows of the
    stops, legs, deals, resources and routes), and where the map goes, if the file says."""

    title: Text
    text: Text | None = None
    stops: tuple[int, ...] = ()
    legs: tuple[int, ...] = ()
    deals: tuple[int, ...] = ()
    resources: tuple[int, ...] = ()
    routes: tuple[int, ...] = ()
    view: tuple[tuple[str, float, float, float], ...] = ()
    """``(screen, lat, lon, zoom)`` for ``phone`` and ``desktop``, as given."""


@dataclass(frozen=True)
class TripRecords:
    """Everything a trip file says, validated."""

    meta: Meta
    stops: tuple[Stop, ...]
    deals: tuple[Deal, ...] = ()
    resources: tuple[Resource, ...] = ()
    routes: tuple[Route, ...] = ()
    languages: tuple[str, ...] = field(default=("en",))
    names: dict[str, dict[str, str]] = field(default_factory=dict, hash=False)
    """A trip's own names for context places (``names:``): NE name → lang or "*" → text."""
    story: tuple[Chapter, ...] = ()
    """The trip's own chapters (``story:``); empty: one per stop."""
