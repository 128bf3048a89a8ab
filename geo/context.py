"""Context labels for a map: the seas, gulfs, lakes and capitals in view, and the inset locator.

Every text on a map has a rank; a lower rank yields to a higher one when labels collide
(:data:`RANKS`, highest first): stops, deals, partner countries, water, other countries, capitals.
The static renderer and the HTML map place their labels in this order.

Bounds are ``(west, south, east, north)`` in degrees.

>>> from geo.i18n import locale
>>> [l.text for l in context_labels((46.0, 36.0, 56.0, 47.0), locale("en"), context="none")]
['Caspian Sea']
>>> inset_wanted((126.0, 33.0, 130.0, 36.0)), inset_wanted((40.0, 20.0, 130.0, 50.0))
(True, False)
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from geo.basemap import capitals, inset_land, water_bodies
from geo.names import resolve

if TYPE_CHECKING:
    from geo.i18n import Locale

__all__ = [
    "CONTEXT_CHOICES",
    "INSET_CHOICES",
    "RANKS",
    "ContextLabel",
    "Inset",
    "context_labels",
    "inset_outline",
    "inset_wanted",
    "rank_of",
]

RANKS = ("stop", "deal", "partner", "water", "country", "capital")
"""Label ranks, highest first: a label yields to any label of a rank before its own."""
CONTEXT_CHOICES = ("capitals", "none")
"""``--context``: capitals and water names (default), or water names only."""
INSET_CHOICES = ("auto", "on", "off")
"""``--inset``: automatic (a trip smaller than about a continent), always, never."""

# A trip narrower than this (degrees of longitude and latitude) gets an inset by default: Europe
# is ~40 x 35, so a trip inside one country or sea region is well under it.
INSET_MAX_SPAN = (40.0, 30.0)
# Most capitals named on one map, largest first (a Europe-wide map would otherwise list 40).
MAX_CAPITALS = 12
# Places tried for one water name (its label point and alternatives): enough for a sea with a
# stop or a deal on its label point, few enough to keep the page light.
MAX_WATER_POINTS = 6
# How far beyond the view an alternative place may lie, as a share of the view's size each side.
ALT_REACH = 0.5


@dataclass(frozen=True)
class ContextLabel:
    """One context text to place: what it says, where, its rank name and what it names."""

    text: str
    lon: float
    lat: float
    rank: str
    kind: str
    """``ocean``, ``sea``, ``gulf``, ``bay``, ``lake`` or ``capital``."""
    key: str = ""
    """Natural Earth's English name (the key of a trip's ``names:``)."""
    alts: tuple[tuple[float, float], ...] = ()
    """Other places for the name, best first, where ``(lon, lat)`` has no room."""
    native: bool = True
    """Whether ``text`` is in the map's language (the trip's ``names:`` or the data's name in
    that language), not the English fallback; a capital is named natively or not at all."""

    @property
    def italic(self) -> bool:
        """Water names are set in italic, as cartographers do."""
        return self.rank == "water"


@dataclass(frozen=True)
class Inset:
    """An inset locator: the world's land clipped to ``extent``, with the map's ``frame``."""

    extent: tuple[float, float, float, float]
    rings: tuple[tuple[tuple[float, float], ...], ...]
    frame: tuple[float, float, float, float]


def rank_of(rank: str) -> int:
    """Position of a rank name in :data:`RANKS` (0 is highest)."""
    return RANKS.index(rank)


def _zoom(bounds: Sequence[float]) -> float:
    """A web-map-like zoom level of the view, comparable to Natural Earth's ``min_label``."""
    west, south, east, north = bounds
    span = max(east - west, (north - south) * 1.5, 0.5)
    return math.log2(360.0 / span) + 1.5


def _inside(lon: float, lat: float, bounds: Sequence[float], margin: float = 0.0) -> bool:
    west, south, east, north = bounds
    dx, dy = (east - west) * margin, (north - south) * margin
    return west + dx <= lon <= east - dx and south + dy <= lat <= north - dy


def _water_points(row: Mapping[str, Any], bounds: Sequence[float]) -> list[tuple[float, float]]:
    """Where a water body's name may go on a view, best first: its label point when in view, then
    its extra points in the view or a little beyond (:data:`ALT_REACH`: a phone shows more of
    the north and south than the trip's frame) from a grid of them scaled to the body (see
    scripts/build_basemap.py), nearest the view's centre first; at most
    :data:`MAX_WATER_POINTS`, none when none is in view. The map takes the first with room."""
    west, south, east, north = bounds
    cx, cy = (west + east) / 2, (south + north) / 2
    main = (row["lon"], row["lat"])

    def near(p: tuple[float, float]) -> tuple[float, tuple[float, float]]:
        return ((p[0] - cx) ** 2 + (p[1] - cy) ** 2, p)

    extra = sorted(
        ((lon, lat) for lon, lat in row.get("points", ()) if (lon, lat) != main), key=near
    )
    shown = [main] if _inside(*main, bounds, 0.04) else []
    shown += [p for p in extra if _inside(*p, bounds, 0.06)]
    if not shown:
        return []
    beyond = [p for p in extra if p not in shown and _inside(*p, bounds, -ALT_REACH)]
    return (shown + beyond)[:MAX_WATER_POINTS]


def _name(row: Mapping[str, object], lang: str) -> tuple[str, bool]:
    """The data's name in ``lang`` and True, else the English name and False."""
    base = lang.split("-")[0].casefold()
    if text := str(row.get(f"name_{base}") or ""):
        return text, True
    return str(row.get("name_en") or row.get("name") or ""), f"name_{base}" == "name_en"


def _named(
    names: Mapping[str, Mapping[str, str]] | None, key: str, lang: str, row: Mapping[str, object]
) -> tuple[str, bool]:
    text, native = _name(row, lang)
    own = resolve(names, key, lang, "")
    return (own, True) if own else (text, native)


def context_labels(
    bounds: Sequence[float],
    loc: Locale | str,
    names: Mapping[str, Mapping[str, str]] | None = None,
    context: str = "capitals",
) -> list[ContextLabel]:
    """The water names (and, with ``context="capitals"``, capitals) in view, most important first.

    Parameters
    ----------
    bounds
        The map's view, ``(west, south, east, north)`` in degrees.
    loc
        The map's locale; names missing in its language fall back to English.
    names
        A trip's ``names:`` overrides (:attr:`geo.records.TripRecords.names`).
    context
        ``"capitals"`` or ``"none"`` (water names only).
    """
    if context not in CONTEXT_CHOICES:
        raise ValueError(f"unknown context {context!r}; valid values are capitals, none")
    from geo.i18n import locale

    lang = locale(loc).code
    zoom = _zoom(bounds)
    out: list[ContextLabel] = []
    waters = sorted(water_bodies(), key=lambda r: (r["rank"], r["min_label"], r["name"]))
    for row in waters:
        points = _water_points(row, bounds) if row["min_label"] <= zoom else []
        if not points:
            continue
        text, native = _named(names, row["name"], lang, row)
        (lon, lat), alts = points[0], tuple(points[1:])
        out.append(ContextLabel(text, lon, lat, "water", row["kind"], row["name"], alts, native))
    if context == "capitals":
        seen = [
            row
            for row in capitals()
            if _inside(row["lon"], row["lat"], bounds, 0.02) and row["rank"] <= zoom + 4
        ]
        seen.sort(key=lambda r: (-r["pop_max"], r["name_en"]))
        for row in seen[:MAX_CAPITALS]:
            key = str(row["name_en"])
            text, native = _named(names, key, lang, row)
            out.append(
                ContextLabel(text, row["lon"], row["lat"], "capital", "capital", key, (), native)
            )
    return out


def inset_wanted(bounds: Sequence[float], inset: str = "auto") -> bool:
    """Whether a map of ``bounds`` gets an inset: ``on``, ``off``, or ``auto`` (smaller than
    about a continent: under 40 degrees of longitude and 30 of latitude)."""
    if inset not in INSET_CHOICES:
        raise ValueError(f"unknown inset {inset!r}; valid values are auto, on, off")
    if inset != "auto":
        return inset == "on"
    west, south, east, north = bounds
    return east - west < INSET_MAX_SPAN[0] and north - south < INSET_MAX_SPAN[1]


def inset_extent(bounds: Sequence[float]) -> tuple[float, float, float, float]:
    """The inset's own view: the map's frame at the centre of a region ~6 times its size, at
    least 70 x 45 degrees (a continent), inside the world."""
    west, south, east, north = bounds
    cx, cy = (west + east) / 2, (south + north) / 2
    half_w = min(180.0, max(35.0, (east - west) * 3))
    half_h = min(80.0, max(22.5, (north - south) * 3, half_w * 0.6))
    half_w = max(half_w, half_h / 0.75)
    half_w = min(half_w, 180.0)
    cx = min(max(cx, -180.0 + half_w), 180.0 - half_w)
    cy = min(max(cy, -85.0 + half_h), 85.0 - half_h)
    return (
        round(cx - half_w, 2),
        round(cy - half_h, 2),
        round(cx + half_w, 2),
        round(cy + half_h, 2),
    )


def inset_outline(bounds: Sequence[float]) -> Inset:
    """The land of the inset's region (rings clipped to its extent) and the map's frame."""
    from shapely.geometry import Polygon, box

    extent = inset_extent(bounds)
    window = box(*extent)
    rings: list[tuple[tuple[float, float], ...]] = []
    for ring in inset_land():
        if len(ring) < 4:
            continue
        part = Polygon(ring)
        if not part.intersects(window):
            continue
        clipped = part.intersection(window)
        for poly in getattr(clipped, "geoms", [clipped]):
            if isinstance(poly, Polygon) and not poly.is_empty:
                rings.append(tuple((round(x, 2), round(y, 2)) for x, y in poly.exterior.coords))
    frame = tuple(round(float(v), 2) for v in bounds)
    return Inset(extent, tuple(rings), (frame[0], frame[1], frame[2], frame[3]))
