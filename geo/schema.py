"""Validation: raw mappings from a trip file become :class:`~geo.records.TripRecords`.

Every problem is collected before anything is raised, so a user fixes a file in one pass. Each
problem names the record (``stops[3].arrive``, or ``stops.csv:5 arrive`` for a CSV row), the bad
value and the fix.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import reprlib
from collections.abc import Callable, Mapping, Sequence
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from geo import vocab
from geo.errors import GazetteerError, Problem, TripFormatError
from geo.fields import section_keys
from geo.names import parse_names
from geo.placenames import place_text, with_place_names
from geo.records import (
    Agreement,
    Chapter,
    Deal,
    Meta,
    Money,
    Resource,
    Route,
    Site,
    Source,
    Stop,
    TripRecords,
    Waypoint,
    When,
)
from geo.text import Text

__all__ = [
    "SECTION_KEYS",
    "Checker",
    "leg_passages",
    "locate",
    "sea_leg_problems",
    "show",
    "validate",
    "waypoint",
]

# The keys of each section, from the one definition of the fields (geo/fields.py), which the
# JSON Schemas and the docs' tables are checked against too.
SECTION_KEYS: dict[str, tuple[str, ...]] = section_keys()

# A trip id names files (``maps/<id>.ko.html``, temporary ``.<id>…tmp`` files, embed folders):
# short enough for every file system's 255-byte names with room to spare.
MAX_ID = 64
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_LANG = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Thousands separators as English writes them: 1,000 or 8,300,000.5.
_GROUPED = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")

Where = Callable[[str], str]


class Checker:
    """Collects problems; each ``check_*`` returns the parsed value or None."""

    def __init__(self, origins: Mapping[str, str]) -> None:
        self.problems: list[Problem] = []
        self.origins = origins
        self.languages: set[str] = set()

    def where(self, path: str) -> str:
        # A CSV row is named by its file and line: 'stops[2].lat' -> 'stops.csv:4 lat'.
        for prefix, origin in self.origins.items():
            if path == prefix:
                return origin
            if path.startswith(prefix + "."):
                return f"{origin} {path[len(prefix) + 1 :]}"
            if path.startswith(prefix + "["):
                return f"{origin} {path[len(prefix) :]}"
        return path

    def add(self, path: str, message: str, fix: str = "") -> None:
        self.problems.append(Problem(self.where(path), message, fix))

    # -- structure -------------------------------------------------------------------------

    def mapping(self, path: str, value: Any, keys: Sequence[str]) -> dict[str, Any] | None:
        if not isinstance(value, Mapping):
            self.add(
                path,
                f"expected a mapping of keys, got {show(value)}",
                "write it as `key: value` lines",
            )
            return None
        out: dict[str, Any] = {}
        for key, item in value.items():
            if str(key) not in keys:
                self.add(
                    f"{path}.{_key(key)}" if path else _key(key),
                    "unknown key",
                    vocab.suggest(str(key), tuple(keys)),
                )
            else:
                out[str(key)] = item
        return out

    def sequence(self, path: str, value: Any) -> list[Any]:
        if value is None:
            return []
        if isinstance(value, str | bytes) or not isinstance(value, Sequence):
            self.add(path, f"expected a list, got {show(value)}", "write it as `- item` lines")
            return []
        return list(value)

    # -- scalars ---------------------------------------------------------------------------

    def text(self, path: str, value: Any, required: bool = False) -> Text | None:
        if value is None or value == "":
            if required:
                self.add(path, "missing", "give a text, or a map such as {en: ..., ko: ...}")
            return None
        if isinstance(value, bool):
            self.add(path, f"expected text, got {show(value)}", "quote it")
            return None
        if isinstance(value, str | int | float):
            return Text.of(str(value)) if self.printable(path, str(value)) else None
        if isinstance(value, Mapping):
            good = True
            for lang, item in value.items():
                if not isinstance(lang, str) or not _LANG.match(lang):
                    self.add(
                        f"{path}.{_key(lang)}",
                        "not a language code",
                        "use a code such as 'en' or 'ko'",
                    )
                    good = False
                elif not isinstance(item, str | int | float) or isinstance(item, bool):
                    self.add(f"{path}.{lang}", f"expected text, got {show(item)}", "quote it")
                    good = False
                elif not self.printable(f"{path}.{lang}", str(item)):
                    good = False
            if not value:
                self.add(path, "empty language map", "give at least one language")
                return None
            if good:
                self.languages.update(str(k) for k in value)
                return Text.of({str(k): str(v) for k, v in value.items()})
            return None
        self.add(
            path,
            f"expected text, got {show(value)}",
            "give a text, or a map such as {en: ..., ko: ...}",
        )
        return None

    def string(self, path: str, value: Any) -> str | None:
        if value is None or value == "":
            return None
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            return str(value) if self.printable(path, str(value)) else None
        self.add(path, f"expected text, got {show(value)}", "quote it")
        return None

    def printable(self, path: str, text: str) -> bool:
        """Text without control characters (other than tab and line breaks): an escape
        sequence would recolour or retitle the terminal that prints ``geo info``, and no map
        shows one."""
        bad = _CONTROL.search(text)
        if bad is None:
            return True
        self.add(
            path,
            f"contains the control character U+{ord(bad.group()):04X}",
            "remove it (often pasted from another program)",
        )
        return False

    def number(
        self,
        path: str,
        value: Any,
        lo: float,
        hi: float,
        what: str,
        fix: str,
        grouping: bool = False,
    ) -> float | None:
        """A finite number in ``[lo, hi]``. With ``grouping``, thousands separators
        (``1,000,000``) are allowed; any other comma is a decimal comma and an error, never
        dropped (``"4,5"`` is not 45)."""
        if value is None or value == "":
            return None
        if isinstance(value, str) and "," in value:
            text = value.strip()
            if grouping and _GROUPED.match(text):
                value = text.replace(",", "")
            else:
                self.add(
                    path,
                    f"{show(value)} has a decimal comma",
                    f"write a decimal point, e.g. {text.replace(',', '.', 1)!r}"
                    if text.count(",") == 1
                    else "write a decimal point and no separators",
                )
                return None
        try:
            if isinstance(value, bool):
                raise ValueError
            x = float(value.strip()) if isinstance(value, str) else float(value)
        except (TypeError, ValueError, OverflowError):
            self.add(path, f"{show(value)} is not a number", fix)
            return None
        if not math.isfinite(x) or not lo <= x <= hi:
            self.add(path, f"{show(value)} is not {what}", fix)
            return None
        return x

    def amount(self, path: str, value: Any) -> float | None:
        """A reported amount, the one rule for trips (``value: [{amount}]``) and flow tables
        (``value_amount``): a number ≥ 0, thousands separators allowed (``1,200,000``), a
        decimal comma refused (``1,5``)."""
        return self.number(
            path,
            value,
            0,
            math.inf,
            "a non-negative amount",
            "give the amount as reported, ≥ 0",
            grouping=True,
        )

    def choice(
        self, path: str, value: Any, choices: tuple[str, ...], aliases: dict[str, str] | None = None
    ) -> str | None:
        if value is None or value == "":
            return None
        text = str(value).strip().lower()
        if text in choices:
            return text
        self.add(path, f"{show(value)} is not allowed", vocab.suggest(text, choices, aliases))
        return None

    def country(self, path: str, value: Any) -> str | None:
        if value is None or value == "":
            return None
        code = vocab.country_code(str(value)) if isinstance(value, str) else None
        if code is None:
            self.add(
                path,
                f"{show(value)} is not an ISO 3166-1 alpha-2 country code",
                vocab.country_suggestion(str(value)),
            )
        return code

    def date(self, path: str, value: Any) -> dt.date | None:
        when = self.when(path, value, tz=None, allow_time=False)
        return when if isinstance(when, dt.date) and not isinstance(when, dt.datetime) else None

    def when(self, path: str, value: Any, tz: str | None, allow_time: bool = True) -> When | None:
        if value is None or value == "":
            return None
        if isinstance(value, dt.datetime):
            text = value.isoformat()
        elif isinstance(value, dt.date):
            return value
        else:
            text = str(value).strip()
        fix = "write an ISO 8601 date such as 2024-06-10" + (
            " or a date-time such as 2024-06-10T14:30" if allow_time else ""
        )
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            try:
                return dt.date.fromisoformat(text)
            except ValueError:
                self.add(path, f"{show(value)} is not a real date", fix)
                return None
        if not allow_time or not re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}.*", text):
            self.add(path, f"{show(value)} is not a date", fix)
            return None
        try:
            moment = dt.datetime.fromisoformat(text)
        except ValueError:
            self.add(path, f"{show(value)} is not a date-time", fix)
            return None
        if moment.tzinfo is None:
            if tz is None:
                self.add(
                    path,
                    f"{show(value)} has a time but the stop has no time zone",
                    "add `tz:` (an IANA zone such as Asia/Seoul) or a UTC offset",
                )
                return None
            moment = moment.replace(tzinfo=ZoneInfo(tz))
        return moment

    def timezone(self, path: str, value: Any) -> str | None:
        if value is None or value == "":
            return None
        try:
            # Zone names are short ASCII paths: anything else (a 100,000-character value, a
            # NUL) is refused before it reaches the file system as a zoneinfo path.
            if len(str(value)) > 64:
                raise ValueError(value)
            ZoneInfo(str(value))
            return str(value)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            import zoneinfo

            self.add(
                path,
                f"{show(value)} is not an IANA time zone",
                vocab.suggest(str(value), sorted(zoneinfo.available_timezones())),
            )
            return None

    def money(self, path: str, value: Any) -> tuple[Money, ...]:
        out: list[Money] = []
        if isinstance(value, Mapping):
            value = [value]
        for i, item in enumerate(self.sequence(path, value)):
            p = f"{path}[{i}]"
            m = self.mapping(p, item, SECTION_KEYS["value"])
            if m is None:
                continue
            amount = self.amount(f"{p}.amount", m.get("amount"))
            if m.get("amount") is None:
                self.add(f"{p}.amount", "missing", "give the amount as reported")
            cur = m.get("currency")
            code = vocab.currency_code(str(cur)) if isinstance(cur, str) else None
            if code is None:
                word = vocab.CURRENCY_WORDS.get(str(cur).strip().lower()) if cur else None
                self.add(
                    f"{p}.currency",
                    f"{show(cur)} is not an ISO 4217 currency code",
                    f"did you mean '{word}'?" if word else "use a code such as USD or KRW",
                )
            if amount is not None and code is not None:
                out.append(Money(amount, code))
        return tuple(out)

    def site(self, path: str, value: Any, default_precision: str = "exact") -> Site | None:
        m = self.mapping(path, value, SECTION_KEYS["site"])
        if m is None:
            return None
        lat = self.number(
            f"{path}.lat", m.get("lat"), -90, 90, "a latitude", "use decimal degrees from -90 to 90"
        )
        lon = self.number(
            f"{path}.lon",
            m.get("lon"),
            -180,
            180,
            "a longitude",
            "use decimal degrees from -180 to 180",
        )
        for key in ("lat", "lon"):
            if m.get(key) is None:
                self.add(f"{path}.{key}", "missing", "give both lat and lon")
        precision = self.choice(f"{path}.precision", m.get("precision"), vocab.PRECISIONS)
        name = self.text(f"{path}.name", m.get("name"))
        if lat is None or lon is None:
            return None
        return Site(lon=lon, lat=lat, precision=precision or default_precision, name=name)

    def place(self, path: str, name: str, country: str | None, admin1: Any = None) -> Any:
        from geo import gazetteer

        try:
            return gazetteer.lookup(name, country, self.string(path, admin1))
        except GazetteerError as exc:
            self.add(path, str(exc), "")
            return None


def locate(path: str, origins: Mapping[str, str] | None = None) -> str:
    """How a problem names a record: ``stops[2]``, or ``stops.csv:4`` for a CSV row."""
    return Checker(origins or {}).where(path)


# Values shown in a report are previews: a huge or deeply nested value (an alias bomb, a pasted
# document) must not make the report itself huge.
PREVIEW_CHARS = 60


def show(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None:
        return "nothing"
    text = _REPR.repr(value)
    return text if len(text) <= PREVIEW_CHARS else text[: PREVIEW_CHARS - 1] + "…"


def _bounded_repr() -> reprlib.Repr:
    r = reprlib.Repr()
    r.maxlevel, r.maxstring, r.maxother = 2, PREVIEW_CHARS, PREVIEW_CHARS
    r.maxlist = r.maxtuple = r.maxdict = r.maxset = 4
    return r


_REPR = _bounded_repr()


def _stops(c: Checker, raw: Any) -> list[Stop]:
    items = c.sequence("stops", raw)
    if len(items) < 2:
        c.add(
            "stops",
            f"a trip needs at least two stops, found {len(items)}",
            "list the stops in order under `stops:`",
        )
    stops: list[Stop] = []
    for i, item in enumerate(items):
        p = f"stops[{i}]"
        m = c.mapping(p, item, SECTION_KEYS["stops"])
        if m is None:
            continue
        country = c.country(f"{p}.country", m.get("country"))
        lat = c.number(
            f"{p}.lat", m.get("lat"), -90, 90, "a latitude", "use decimal degrees from -90 to 90"
        )
        lon = c.number(
            f"{p}.lon",
            m.get("lon"),
            -180,
            180,
            "a longitude",
            "use decimal degrees from -180 to 180",
        )
        place = c.string(f"{p}.place", m.get("place"))
        tz = c.timezone(f"{p}.tz", m.get("tz"))
        has_coords = m.get("lat") is not None or m.get("lon") is not None
        if has_coords and (m.get("lat") is None or m.get("lon") is None):
            c.add(p, "has only one of lat and lon", "give both")
        resolved = None
        if not has_coords:
            if place is None:
                c.add(p, "has no place and no lat/lon", "give `place:` or both `lat:` and `lon:`")
            else:
                resolved = c.place(f"{p}.place", place, country, m.get("admin1"))
                if resolved is not None:
                    lat, lon = resolved.lat, resolved.lon
                    country = country or resolved.country
                    tz = tz or resolved.timezone
        elif lat is not None and lon is not None and tz is None and _has_time(m):
            from geo.timezones import zone_at

            tz = zone_at(lat, lon, country)
        arrive = c.when(f"{p}.arrive", m.get("arrive"), tz)
        depart = c.when(f"{p}.depart", m.get("depart"), tz)
        if lat is None or lon is None:
            # The problem is already reported; check the rest of the record all the same.
            for key in ("arrive", "depart"):
                c.when(f"{p}.{key}", m.get(key), tz or "UTC")
            continue
        label = c.text(f"{p}.label", m.get("label"))
        if resolved is not None:
            label = with_place_names(label, resolved, place)
        elif label is None:
            label = Text.of(place or f"{lat:.2f}, {lon:.2f}")
        venue = c.text(f"{p}.venue", m.get("venue"))
        note = c.text(f"{p}.note", m.get("note"))
        mode = c.choice(f"{p}.mode", m.get("mode"), vocab.LEG_MODES) or "air"
        avoid, allow = leg_passages(c, p, m, mode, "the leg leaving this stop")
        via = [
            waypoint(c, f"{p}.via[{j}]", v)
            for j, v in enumerate(c.sequence(f"{p}.via", m.get("via")))
        ]
        if arrive is not None and depart is not None and _before(depart, arrive):
            c.add(
                f"{p}.depart",
                f"{show(depart)} is before arrive {show(arrive)}",
                "fix the dates, or swap arrive and depart",
            )
        if lat is None or lon is None:
            continue
        stops.append(
            Stop(
                place=place,
                lon=lon,
                lat=lat,
                country=country,
                tz=tz,
                arrive=arrive,
                depart=depart,
                label=label,
                venue=venue,
                note=note,
                mode=mode,
                avoid=avoid,
                allow=allow,
                via=tuple(v for v in via if v is not None),
            )
        )
        _order(c, stops, i, p)
    return stops


def _order(c: Checker, stops: list[Stop], i: int, p: str) -> None:
    """The new stop must not arrive before the last known date of the stops before it."""
    new = stops[-1]
    first = new.arrive or new.depart
    if first is None:
        return
    for prev in reversed(stops[:-1]):
        last = prev.depart or prev.arrive
        if last is not None:
            if _before(first, last, new.tz, prev.tz):
                key = "arrive" if new.arrive is not None else "depart"
                c.add(
                    f"{p}.{key}",
                    f"{show(first)} is before the previous stop's {show(last)}; stops must "
                    "be in chronological order",
                    "reorder the stops or fix the date",
                )
            return


def _has_time(m: Mapping[str, Any]) -> bool:
    return any(isinstance(m.get(k), str) and "T" in str(m.get(k)) for k in ("arrive", "depart"))


def _before(a: When, b: When, tz_a: str | None = None, tz_b: str | None = None) -> bool:
    """Whether ``a`` is surely earlier than ``b``: as instants when both have a time, else as
    days. Days in different time zones overlap: the day ``a`` may end after ``b`` begins even
    when its date is earlier (leave Seoul on the 13th, land in Honolulu on the 12th), so ``a``
    is before ``b`` only if all of ``a``'s day is over before ``b``'s starts. A day whose zone
    is unknown may be anywhere from UTC-12 to UTC+14."""
    if isinstance(a, dt.datetime) and isinstance(b, dt.datetime):
        return a < b
    da = a.date() if isinstance(a, dt.datetime) else a
    db = b.date() if isinstance(b, dt.datetime) else b
    if tz_a == tz_b or da >= db:
        return da < db
    a_ends = _day_edge(da, tz_a, end=True)
    b_starts = _day_edge(db, tz_b, end=False)
    return a_ends <= b_starts


def _day_edge(day: dt.date, tz: str | None, end: bool) -> dt.datetime:
    """The first (or last) instant of a local day, in UTC; the widest for an unknown zone."""
    if tz is None:
        hours = -12 if end else 14  # the day ends latest at UTC-12, starts earliest at UTC+14
        edge = dt.datetime.combine(day + dt.timedelta(days=end), dt.time(), dt.timezone.utc)
        return edge - dt.timedelta(hours=hours)
    local = dt.datetime.combine(day + dt.timedelta(days=end), dt.time(), ZoneInfo(tz))
    return local.astimezone(dt.timezone.utc)


def _meta(c: Checker, raw: Any) -> Meta:
    m = c.mapping("trip", raw, SECTION_KEYS["trip"]) if raw is not None else None
    if raw is None:
        c.add("trip", "missing", "add a `trip:` section with at least `id` and `title`")
    m = m or {}
    ident = c.string("trip.id", m.get("id"))
    if ident is None:
        c.add("trip.id", "missing", "give a slug such as k-silk-road-2024")
    elif not _SLUG.match(ident):
        c.add(
            "trip.id",
            f"{show(ident)} is not a slug",
            f"use lower-case letters, digits and hyphens, e.g. {_slugify(ident)!r}",
        )
    elif len(ident) > MAX_ID:
        c.add(
            "trip.id",
            f"{show(ident)} is {len(ident)} characters long",
            f"use at most {MAX_ID}: the id names output files and folders",
        )
    title = c.text("trip.title", m.get("title"), required=True)
    lang = str(m.get("lang") or "en")
    if not _LANG.match(lang):
        c.add(
            "trip.lang", f"{show(lang)} is not a language code", "use a code such as 'en' or 'ko'"
        )
        lang = "en"
    sources = []
    for i, item in enumerate(c.sequence("trip.sources", m.get("sources"))):
        p = f"trip.sources[{i}]"
        s = c.mapping(p, item, SECTION_KEYS["sources"])
        if s is None:
            continue
        name = c.text(f"{p}.name", s.get("name"), required=True)
        url = c.string(f"{p}.url", s.get("url"))
        if url is not None and not _URL.match(url):
            c.add(
                f"{p}.url", f"{show(url)} is not an http(s) URL", "give a full URL or leave it out"
            )
            url = None
        date = c.date(f"{p}.date", s.get("date"))
        if name is not None:
            sources.append(Source(name=name, url=url, date=date))
    avoid, allow = leg_passages(c, "trip", m, "sea", "every sea leg and route")
    return Meta(
        id=ident if ident and _SLUG.match(ident) and len(ident) <= MAX_ID else "trip",
        title=title or Text.of(""),
        subtitle=c.text("trip.subtitle", m.get("subtitle")),
        sources=tuple(sources),
        credit=c.text("trip.credit", m.get("credit")),
        lang=lang,
        avoid=avoid,
        allow=allow,
    )


def leg_passages(
    c: Checker, p: str, m: Mapping[str, Any], mode: str | None, what: str
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``avoid`` and ``allow``: passage names from :data:`geo.routing.AVOIDABLE`, sea only."""
    from geo import routing

    out: list[tuple[str, ...]] = []
    for key, names in (("avoid", routing.AVOIDABLE), ("allow", routing.DEFAULT_CLOSED)):
        raw = m.get(key)
        if isinstance(raw, str):
            raw = [raw]
        good: list[str] = []
        for j, name in enumerate(c.sequence(f"{p}.{key}", raw)):
            text = name.strip().lower() if isinstance(name, str) else None
            if text is not None and text in names:
                good.append(text)
            elif key == "allow" and text in routing.AVOIDABLE:
                c.add(
                    f"{p}.allow[{j}]",
                    f"{show(name)} is open unless avoided",
                    f"only {', '.join(routing.DEFAULT_CLOSED)} is closed by default",
                )
            else:
                c.add(
                    f"{p}.{key}[{j}]",
                    f"{show(name)} is not a passage",
                    routing.suggest_passage(name),
                )
        if raw and mode != "sea":
            c.add(
                f"{p}.{key}",
                f"passages shape sea lanes only, and {what} is by {mode or 'an unknown mode'}",
                "set `mode: sea` or remove it",
            )
        out.append(tuple(sorted(set(good))))
    return out[0], out[1]


def _slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:MAX_ID].strip("-") or "trip"


def _key(key: Any) -> str:
    """A key as part of a record path in a report, cut to a preview."""
    text = str(key)
    return text if len(text) <= 40 else text[:39] + "…"


def _texts(c: Checker, path: str, value: Any) -> tuple[Text, ...]:
    if isinstance(value, str | Mapping):
        value = [value]
    out = (c.text(f"{path}[{i}]", v) for i, v in enumerate(c.sequence(path, value)))
    return tuple(t for t in out if t is not None)


def _deals(c: Checker, raw: Any) -> list[Deal]:
    deals: list[Deal] = []
    for i, item in enumerate(c.sequence("deals", raw)):
        p = f"deals[{i}]"
        m = c.mapping(p, item, SECTION_KEYS["deals"])
        if m is None:
            continue
        title = c.text(f"{p}.title", m.get("title"), required=True)
        country = c.country(f"{p}.country", m.get("country"))
        site = c.site(f"{p}.site", m["site"]) if m.get("site") is not None else None
        place = c.string(f"{p}.place", m.get("place"))
        if site is None and place is not None:
            resolved = c.place(f"{p}.place", place, country, m.get("admin1"))
            if resolved is not None:
                site = Site(resolved.lon, resolved.lat, "city", place_text(resolved, place))
                country = country or resolved.country
        if site is None and country is not None:
            site = _country_site(c, f"{p}.country", country)
        deal = Deal(
            title=title or Text.of(""),
            parties=_texts(c, f"{p}.parties", m.get("parties")),
            country=country,
            site=site,
            value=c.money(f"{p}.value", m.get("value")),
            status=c.choice(f"{p}.status", m.get("status"), vocab.DEAL_STATUSES),
            sector=c.text(f"{p}.sector", m.get("sector")),
            date=c.date(f"{p}.date", m.get("date")),
            source=c.string(f"{p}.source", m.get("source")),
        )
        deals.append(deal)
    return deals


def _country_site(c: Checker, path: str, country: str) -> Site | None:
    from geo import basemap

    try:
        lon, lat = basemap.country_point(country)
    except KeyError:
        c.add(
            path,
            f"{country} has no shape in the bundled basemap to place it in",
            "give `site:` with lat and lon",
        )
        return None
    return Site(lon, lat, "country", None)


def _resources(c: Checker, raw: Any) -> list[Resource]:
    out: list[Resource] = []
    for i, item in enumerate(c.sequence("resources", raw)):
        p = f"resources[{i}]"
        m = c.mapping(p, item, SECTION_KEYS["resources"])
        if m is None:
            continue
        countries, region = _resource_countries(c, p, m)
        commodities = []
        raw_list = m.get("commodities")
        if isinstance(raw_list, str):
            raw_list = [raw_list]
        for j, name in enumerate(c.sequence(f"{p}.commodities", raw_list)):
            got = c.choice(
                f"{p}.commodities[{j}]", name, vocab.COMMODITIES, vocab.COMMODITY_ALIASES
            )
            if got:
                commodities.append(got)
        if not raw_list:
            c.add(f"{p}.commodities", "missing", "list at least one commodity")
        agreement = None
        if m.get("agreement") is not None:
            a = c.mapping(f"{p}.agreement", m["agreement"], SECTION_KEYS["agreement"])
            if a is not None:
                agreement = Agreement(
                    title=c.text(f"{p}.agreement.title", a.get("title"), required=True)
                    or Text.of(""),
                    date=c.date(f"{p}.agreement.date", a.get("date")),
                    parties=_texts(c, f"{p}.agreement.parties", a.get("parties")),
                )
        checked = [
            c.site(f"{p}.sites[{j}]", s)
            for j, s in enumerate(c.sequence(f"{p}.sites", m.get("sites")))
        ]
        sites = tuple(s for s in checked if s is not None)
        if not countries:
            continue
        out.append(
            Resource(
                countries=countries,
                region=region,
                commodities=tuple(commodities),
                uses=c.text(f"{p}.uses", m.get("uses")),
                agreement=agreement,
                sites=sites,
                source=c.string(f"{p}.source", m.get("source")),
            )
        )
    return out


def _resource_countries(
    c: Checker, p: str, m: Mapping[str, Any]
) -> tuple[tuple[str, ...], str | None]:
    """Exactly one of ``country``, ``countries`` (a list) or ``region`` (a vocabulary name)."""
    given = [k for k in ("country", "countries", "region") if m.get(k) not in (None, "", [])]
    if len(given) != 1:
        c.add(
            p,
            "needs exactly one of country, countries or region"
            + (f", found {', '.join(given)}" if given else ""),
            "give the partner country's ISO alpha-2 code, a list of them, or a region such as "
            "central-asia",
        )
        if not given:
            return (), None
    key = given[0]
    if key == "region":
        region = c.choice(f"{p}.region", m["region"], tuple(vocab.REGIONS))
        return (vocab.REGIONS[region] if region else ()), region
    raw = [m["country"]] if key == "country" else c.sequence(f"{p}.countries", m["countries"])
    where = f"{p}.country" if key == "country" else f"{p}.countries"
    codes = [
        c.country(where if key == "country" else f"{where}[{j}]", v) for j, v in enumerate(raw)
    ]
    good = [x for x in codes if x is not None]
    if len(good) != len(set(good)):
        c.add(where, "lists a country twice", "list each country once")
    if len(good) != len(raw):
        return (), None
    return tuple(dict.fromkeys(good)), None


def waypoint(c: Checker, path: str, value: Any) -> Waypoint | None:
    if isinstance(value, str):
        place = c.place(path, value, None)
        return Waypoint(place.lon, place.lat, value, place_text(place, value)) if place else None
    m = c.mapping(path, value, SECTION_KEYS["waypoint"])
    if m is None:
        return None
    country = c.country(f"{path}.country", m.get("country"))
    name = c.string(f"{path}.name", m.get("name"))
    if m.get("lat") is not None or m.get("lon") is not None:
        site = c.site(path, {k: m.get(k) for k in ("lat", "lon")})
        return (
            Waypoint(site.lon, site.lat, name or f"{site.lat:.2f}, {site.lon:.2f}")
            if site
            else None
        )
    place = c.string(f"{path}.place", m.get("place"))
    if place is not None:
        found = c.place(f"{path}.place", place, country, m.get("admin1"))
        if found is None:
            return None
        local = None if name else place_text(found, place)
        return Waypoint(found.lon, found.lat, name or place, local)
    if country is not None:
        from geo.gazetteer import capital_name

        capital = capital_name(country)
        found = c.place(f"{path}.country", capital, country) if capital else None
        if capital is None:
            c.add(f"{path}.country", f"no capital known for {country}", "give `place:` instead")
        if found is None:
            return None
        return Waypoint(
            found.lon, found.lat, name or found.name, None if name else place_text(found, None)
        )
    c.add(path, "has no place, country or lat/lon", "give one of them")
    return None


def _routes(c: Checker, raw: Any) -> list[Route]:
    out: list[Route] = []
    for i, item in enumerate(c.sequence("routes", raw)):
        p = f"routes[{i}]"
        m = c.mapping(p, item, SECTION_KEYS["routes"])
        if m is None:
            continue
        name = c.text(f"{p}.name", m.get("name"), required=True)
        raw_wps = c.sequence(f"{p}.waypoints", m.get("waypoints"))
        if len(raw_wps) < 2:
            c.add(
                f"{p}.waypoints",
                f"a route needs at least two waypoints, found {len(raw_wps)}",
                "list where it starts and ends",
            )
        wps = [waypoint(c, f"{p}.waypoints[{j}]", w) for j, w in enumerate(raw_wps)]
        mode = c.choice(f"{p}.mode", m.get("mode"), vocab.ROUTE_MODES)
        avoid, allow = leg_passages(c, p, m, mode, "this route")
        route = Route(
            name=name or Text.of(""),
            waypoints=tuple(w for w in wps if w is not None),
            mode=mode,
            goods=_texts(c, f"{p}.goods", m.get("goods")),
            value=c.money(f"{p}.value", m.get("value")),
            description=c.text(f"{p}.description", m.get("description")),
            source=c.string(f"{p}.source", m.get("source")),
            avoid=avoid,
            allow=allow,
        )
        if len(route.waypoints) >= 2 and len(route.waypoints) == len(raw_wps):
            out.append(route)
    return out


def sea_leg_problems(meta: Any, stops: list[Stop]) -> list[tuple[str, str, str]]:
    """(where, message, fix) of each sea leg that cannot be routed (an inland end, every way
    closed), named by its stop as the trip's routing names it."""
    from geo import routing
    from geo.errors import RoutingError

    out = []
    for i, (s, t) in enumerate(zip(stops[:-1], stops[1:], strict=False)):
        if s.mode != "sea":
            continue
        points = [(s.lon, s.lat), *((v.lon, v.lat) for v in s.via), (t.lon, t.lat)]
        avoid = tuple(sorted({*meta.avoid, *s.avoid}))
        allow = tuple(sorted({*meta.allow, *s.allow}))
        for (x1, y1), (x2, y2) in zip(points[:-1], points[1:], strict=True):
            try:
                routing.hop_paths(
                    ["sea"], [x1], [y1], [x2], [y2], avoid=[avoid], allow=[allow],
                    names=[f"stops[{i}]"],
                )  # fmt: skip
            except RoutingError as exc:
                out.append((exc.problem.where, exc.problem.message, exc.problem.fix))
                break
    return out


# Chapters a story may have (a chapter a stop of a long tour; beyond this a story is a list).
MAX_CHAPTERS = 300


def _story(c: Checker, raw: Any, counts: Mapping[str, int]) -> list[Chapter]:
    """The ``story:`` chapters: their text, the records they show by number (1-based, as the
    map numbers stops and legs), and an optional view per screen."""
    items = c.sequence("story", raw)
    if len(items) > MAX_CHAPTERS:
        c.add("story", f"has {len(items)} chapters, more than {MAX_CHAPTERS}", "shorten it")
        return []
    out = []
    for i, item in enumerate(items):
        p = f"story[{i}]"
        m = c.mapping(p, item, SECTION_KEYS["story"])
        if m is None:
            continue
        title = c.text(f"{p}.title", m.get("title"), required=True)
        text = c.text(f"{p}.text", m.get("text"))
        shown = {k: _numbers(c, f"{p}.{k}", m.get(k), counts[k]) for k in counts}
        view = _view(c, f"{p}.view", m.get("view"))
        if title is not None:
            out.append(Chapter(title, text, view=view, **shown))
    return out


def _numbers(c: Checker, path: str, value: Any, count: int) -> tuple[int, ...]:
    """Record numbers (1 to ``count``) as 0-based rows, each once, in the order given."""
    what = path.rsplit(".", 1)[-1]
    rows: list[int] = []
    for j, v in enumerate(c.sequence(path, value)):
        if isinstance(v, bool) or not isinstance(v, int):
            c.add(f"{path}[{j}]", f"expected a number, got {show(v)}", f"use 1 to {count}")
        elif not 1 <= v <= count:
            have = f"the trip has {count} {what}" if count else f"the trip has no {what}"
            c.add(f"{path}[{j}]", f"{v} is not one of its {what}", f"{have}; number from 1")
        elif v - 1 not in rows:
            rows.append(v - 1)
    return tuple(rows)


def _view(c: Checker, path: str, value: Any) -> tuple[tuple[str, float, float, float], ...]:
    if value is None:
        return ()
    m = c.mapping(path, value, SECTION_KEYS["view"])
    if m is None:
        return ()
    out = []
    for screen in ("phone", "desktop"):
        if m.get(screen) is None:
            continue
        q = f"{path}.{screen}"
        cam = c.mapping(q, m[screen], SECTION_KEYS["camera"])
        if cam is None:
            continue
        lat = c.number(f"{q}.lat", cam.get("lat"), -85, 85, "a latitude", "use -85 to 85")
        lon = c.number(f"{q}.lon", cam.get("lon"), -180, 180, "a longitude", "use -180 to 180")
        zoom = c.number(f"{q}.zoom", cam.get("zoom"), 1, 12, "a zoom level", "use 1 to 12")
        for key in ("lat", "lon", "zoom"):
            if cam.get(key) is None:
                c.add(f"{q}.{key}", "is missing", f"give {key}")
        if lat is not None and lon is not None and zoom is not None:
            out.append((screen, lat, lon, zoom))
    return tuple(out)


def validate(raw: Any, source: str, origins: Mapping[str, str] | None = None) -> TripRecords:
    """Check a raw trip (as read from YAML or a CSV folder) and return its records.

    Parameters
    ----------
    raw
        The parsed file: a mapping with ``trip``, ``stops`` and optional sections.
    source
        The file or folder name, for the report.
    origins
        For CSV input, where each record came from (``{"stops[2]": "stops.csv:4"}``).

    Raises
    ------
    TripFormatError
        With every problem found.
    """
    c = Checker(origins or {})
    top = c.mapping("", raw, SECTION_KEYS[""]) if raw is not None else None
    if raw is None:
        c.add("file", "is empty", "start from the example in docs/trip-format.md")
    top = top or {}
    meta = _meta(c, top.get("trip"))
    stops = _stops(c, top.get("stops"))
    deals = _deals(c, top.get("deals"))
    resources = _resources(c, top.get("resources"))
    routes = _routes(c, top.get("routes"))
    names = parse_names(c, "names", top.get("names"))
    story = _story(
        c,
        top.get("story"),
        {
            "stops": len(stops),
            "legs": max(len(stops) - 1, 0),
            "deals": len(deals),
            "resources": len(resources),
            "routes": len(routes),
        },
    )
    raw_stops = top.get("stops")
    if (
        c.problems
        and meta is not None
        and isinstance(raw_stops, list)
        and len(stops) == len(raw_stops)
    ):
        # Other problems stop the file, but a sea leg that cannot be routed is one too: the
        # report names it now, not once the others are fixed.
        for where, message, fix in sea_leg_problems(meta, stops):
            c.add(where, message, fix)
    if c.problems:
        raise TripFormatError(source, c.problems)
    langs = sorted(c.languages - {meta.lang})
    return TripRecords(
        meta=meta,
        stops=tuple(stops),
        deals=tuple(deals),
        resources=tuple(resources),
        routes=tuple(routes),
        languages=(meta.lang, *langs),
        names=names,
        story=tuple(story),
    )
