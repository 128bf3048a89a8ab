"""Controlled vocabularies of the trip format, and the look-ups that suggest a fix."""

from __future__ import annotations

import difflib
from functools import cache, lru_cache

__all__ = [
    "COMMODITIES",
    "COMMODITY_GROUPS",
    "REGIONS",
    "DEAL_STATUSES",
    "LEG_MODES",
    "PRECISIONS",
    "ROUTE_MODES",
    "country_code",
    "currency_code",
    "suggest",
]

LEG_MODES = ("air", "rail", "road", "sea")
ROUTE_MODES = ("rail", "road", "sea", "pipeline", "air")
DEAL_STATUSES = ("signed", "agreement", "mou", "negotiating", "estimate")
PRECISIONS = ("exact", "city", "region", "country")

COMMODITIES = (
    "aluminium", "antimony", "beryllium", "bismuth", "chromium", "coal", "cobalt", "copper",
    "crude oil", "fluorspar", "gallium", "germanium", "gold", "graphite", "helium", "hydrogen",
    "iron ore", "lead", "lithium", "magnesium", "manganese", "molybdenum", "natural gas", "nickel",
    "niobium", "phosphate", "platinum group metals", "potash", "rare earths", "silicon", "silver",
    "tantalum", "tin", "titanium", "tungsten", "uranium", "vanadium", "zinc", "zirconium",
)  # fmt: skip

# Regions a resource can name instead of its countries (ISO 3166-1 alpha-2 members).
REGIONS: dict[str, tuple[str, ...]] = {
    "central-asia": ("KG", "KZ", "TJ", "TM", "UZ"),
    "south-caucasus": ("AM", "AZ", "GE"),
    "gulf-cooperation-council": ("AE", "BH", "KW", "OM", "QA", "SA"),
    "asean": ("BN", "ID", "KH", "LA", "MM", "MY", "PH", "SG", "TH", "VN"),
}

# Commodity groups, by what the commodities are mostly for: one legend swatch each. A commodity
# not listed here is in "other".
COMMODITY_GROUPS: dict[str, tuple[str, ...]] = {
    "energy": ("coal", "crude oil", "helium", "hydrogen", "natural gas", "uranium"),
    "battery": ("cobalt", "graphite", "lithium", "manganese", "molybdenum", "nickel", "vanadium"),
    "semiconductor": ("gallium", "germanium", "silicon", "tantalum", "tungsten"),
}


def commodity_group(name: str) -> str:
    """The group of a commodity: ``energy``, ``battery``, ``semiconductor`` or ``other``."""
    return next((g for g, members in COMMODITY_GROUPS.items() if name in members), "other")


# Common words for a commodity that are not its vocabulary name: suggested, never accepted.
COMMODITY_ALIASES = {
    "petroleum": "crude oil",
    "oil": "crude oil",
    "gas": "natural gas",
    "lng": "natural gas",
    "ree": "rare earths",
    "rare earth elements": "rare earths",
    "aluminum": "aluminium",
    "wolfram": "tungsten",
    "pgm": "platinum group metals",
}


# A hint lists at most this many valid values (there are ~600 time zones).
SHOWN_CHOICES = 40


def suggest(
    value: str, choices: tuple[str, ...] | list[str], aliases: dict[str, str] | None = None
) -> str:
    """A 'did you mean ...' hint, or the valid values (a few of a long list) when nothing is
    close. A value far longer than any choice is not compared: difflib's cost grows with it."""
    low = value.strip().lower()
    if aliases and low in aliases:
        return f"did you mean '{aliases[low]}'?"
    longest = max((len(c) for c in choices), default=0)
    close = (
        difflib.get_close_matches(low, [c.lower() for c in choices], n=1, cutoff=0.6)
        if len(low) <= 2 * longest + 8
        else []
    )
    if close:
        match = next(c for c in choices if c.lower() == close[0])
        return f"did you mean '{match}'?"
    if len(choices) > SHOWN_CHOICES:
        return "use one of: " + ", ".join(choices[:SHOWN_CHOICES]) + ", …"
    return "use one of: " + ", ".join(choices)


@cache
def _countries() -> dict[str, str]:
    import pycountry

    table = {c.alpha_2: c.name for c in pycountry.countries}
    table["XK"] = "Kosovo"  # user-assigned code in wide use (GeoNames, Natural Earth)
    return table


def country_code(value: str) -> str | None:
    """The ISO 3166-1 alpha-2 code for ``value`` (case-insensitive), or None if unknown."""
    code = value.strip().upper()
    return code if code in _countries() else None


# Trade statistics' partners that are no place: the world, unallocated areas ("nes": not
# elsewhere specified), bunkers, free zones, as UN Comtrade and others code them.
AGGREGATES = frozenset(
    {"W00", "WLD", "WORLD", "_X", "X1", "X2", "EUR", "EU", "EU27", "OAS", "NES",
     "BUNKERS", "FREE ZONES", "SPECIAL CATEGORIES", "AREAS, NES", "OTHER ASIA, NES"}
)  # fmt: skip


@lru_cache(maxsize=4096)
def aggregate(value: str) -> bool:
    """Whether a country cell names an aggregate of trade statistics, not a country:
    ``W00``, ``World``, ``Other Asia, nes``."""
    text = " ".join(value.split()).upper()
    return text in AGGREGATES or text.endswith(", NES") or text.endswith(" NES")


@lru_cache(maxsize=4096)
def any_country_code(value: str) -> str | None:
    """The ISO 3166-1 alpha-2 code for a country given by its alpha-2 or alpha-3 code or its
    English name (``KR``, ``KOR``, ``Korea, Republic of``, ``South Korea``), or None."""
    code = country_code(value)
    if code is not None:
        return code
    import pycountry

    text = value.strip()
    if not text or len(text) > 100:
        return None
    try:
        match = pycountry.countries.lookup(text)
    except LookupError:
        return _COMMON_NAMES.get(text.casefold())
    alpha2 = str(match.alpha_2)
    return alpha2 if alpha2 in _countries() else None


# English names in news use that pycountry's ISO names do not carry.
_COMMON_NAMES = {"south korea": "KR", "north korea": "KP", "russia": "RU", "iran": "IR",
                 "syria": "SY", "vietnam": "VN", "laos": "LA", "turkey": "TR"}  # fmt: skip


def country_suggestion(value: str) -> str:
    """A fix for an unknown country code: the code of a country of that name, or a close code."""
    import pycountry

    try:
        match = pycountry.countries.lookup(value.strip())
        return f"use the ISO 3166-1 alpha-2 code '{match.alpha_2}'"
    except LookupError:
        pass
    try:
        fuzzy = pycountry.countries.search_fuzzy(value.strip())[:3]
        options = ", ".join(f"'{c.alpha_2}' ({c.name})" for c in fuzzy)
        return f"use an ISO 3166-1 alpha-2 code: {options}"
    except LookupError:
        return "use an ISO 3166-1 alpha-2 code such as 'KR' or 'UZ'"


@cache
def _currencies() -> frozenset[str]:
    import pycountry

    return frozenset(c.alpha_3 for c in pycountry.currencies)


def currency_code(value: str) -> str | None:
    """The ISO 4217 code for ``value`` (case-insensitive), or None if unknown."""
    code = value.strip().upper()
    return code if code in _currencies() else None


CURRENCY_WORDS = {
    "$": "USD", "dollar": "USD", "dollars": "USD", "us$": "USD", "won": "KRW", "₩": "KRW",
    "euro": "EUR", "euros": "EUR", "€": "EUR", "yen": "JPY", "yuan": "CNY", "rmb": "CNY",
    "£": "GBP", "pound": "GBP", "tenge": "KZT", "sum": "UZS", "manat": "TMT", "rouble": "RUB",
    "ruble": "RUB",
}  # fmt: skip
