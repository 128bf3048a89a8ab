"""The reader's language, resolved once per map: words from gettext catalogs, formats from CLDR.

A :class:`Locale` is made once per map (:func:`locale`) and carried by the scene; nothing below
it takes a language string or branches on a language code. What differs between languages is
data:

- **words**: the catalogs ``geo/locales/<lang>/LC_MESSAGES/geo.mo``, compiled from the ``.po``
  files beside them (message ids are the English texts of :mod:`geo.messages`);
- **dates, numbers and amounts**: CLDR through Babel (``Jun 10–13, 2024``,
  ``2024년 6월 10일~13일``, ``10—13 июн. 2024 г.``, ``2024年6月10日～13日``);
- **names**: countries from the basemap's own columns, else CLDR's territory names; cities from
  the gazetteer's names table (:mod:`geo.placenames`).

The interface languages are English and every catalog found (:data:`LANGS`); a directory in
the environment variable ``GEO_LOCALES`` (``os.pathsep``-separated) adds catalogs, so a
translator can try one before it ships. A code is a BCP 47 tag (``pt-BR``, ``zh-Hant``): the
catalog of the whole tag is used, else of its language (``pt``), else English; Babel's formats
follow the same chain.

>>> ko = locale("ko")
>>> ko.t("itinerary"), ko.date_range(dt.date(2024, 6, 10), dt.date(2024, 6, 13), year=True)
('일정', '2024년 6월 10일~13일')
>>> locale("en").money(2e8, "USD"), locale("ru").money(6e9, "USD")
('USD 200 million', '6 миллиардов USD')
"""

from __future__ import annotations

import datetime as dt
import gettext
import os
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geo import cldr
from geo.messages import COMMODITY_CONTEXT, CONTEXTS, MESSAGES, PLURALS

if TYPE_CHECKING:
    from collections.abc import Mapping

    import babel

    from geo.text import Text

__all__ = [
    "DOMAIN",
    "LANGS",
    "Locale",
    "catalog_dirs",
    "check",
    "languages",
    "locale",
    "supported",
]

DOMAIN = "geo"
"""gettext domain of the catalogs: ``<dir>/<lang>/LC_MESSAGES/geo.mo``."""
SOURCE = "en"
"""The language of the message ids, which needs no catalog."""
# Amounts from this size are written in CLDR's long compact form ("200 million", "2억"); smaller
# ones in full ("USD 950,000"), as a reader would see them in a report.
COMPACT_FROM = 1e6


def catalog_dirs() -> tuple[Path, ...]:
    """Where catalogs are looked for: ``GEO_LOCALES`` first, then the package's own."""
    extra = [Path(p) for p in os.environ.get("GEO_LOCALES", "").split(os.pathsep) if p.strip()]
    return (*extra, Path(__file__).resolve().parent / "locales")


def languages() -> tuple[str, ...]:
    """English and the language of every compiled catalog found, sorted after English."""
    found = {
        p.parent.parent.name.replace("_", "-")
        for d in catalog_dirs()
        if d.is_dir()
        for p in d.glob(f"*/LC_MESSAGES/{DOMAIN}.mo")
    }
    return (SOURCE, *sorted(found - {SOURCE}))


LANGS = languages()
"""Interface languages at import: ``("en", "ja", "ko", "ru")`` as shipped."""


@cache
def locale(code: str | Locale) -> Locale:
    """The locale of a BCP 47 ``code`` (a :class:`Locale` passes through); one object per code,
    made on first use."""
    return code if isinstance(code, Locale) else Locale(code)


def supported(code: str) -> bool:
    """Whether the interface has words for ``code``: English, or a catalog for the tag or its
    language (``ko-KR`` is served by ``ko``)."""
    have = set(languages())
    return any(tag.replace("_", "-") in have for tag in cldr.tags(code))


def check(code: str) -> Locale:
    """The locale of ``code``, or :class:`ValueError` naming the interface languages."""
    if not isinstance(code, str) or not supported(code):
        raise ValueError(
            f"unknown language {str(code)[:40]!r}; use one of {', '.join(languages())}"
        )
    return locale(code)


class Locale:
    """Words, formats and names in one language; see the module docstring."""

    def __init__(self, code: str) -> None:
        self.code = code
        """The tag as asked (``ko``, ``pt-BR``): the page's ``lang`` and the text fields' key."""
        chain = cldr.tags(code)
        self.catalog: gettext.NullTranslations = gettext.NullTranslations()
        for d in catalog_dirs():
            found = gettext.translation(DOMAIN, str(d), languages=chain, fallback=True)
            if type(found) is not gettext.NullTranslations:
                self.catalog = found
                break
        self.chain: tuple[str, ...] = tuple(tag.replace("_", "-") for tag in chain)
        """The tag and its shorter prefixes, BCP 47 spelt: ``("pt-BR", "pt")``."""

    def __repr__(self) -> str:
        return f"Locale({self.code!r})"

    @cached_property
    def cldr(self) -> babel.Locale:
        """Babel's locale for formats: the tag, its language, else English."""
        found = cldr.known(self.code)
        return found if found is not None else cldr.known(SOURCE)  # type: ignore[return-value]

    # -- words ------------------------------------------------------------------------------

    def t(self, key: str, **fmt: str) -> str:
        """The interface string ``key`` (:data:`geo.messages.MESSAGES`), English when the
        catalog lacks it; ``fmt`` fills its ``{placeholders}``."""
        msgid = MESSAGES[key]
        context = CONTEXTS.get(key)
        text = self.catalog.pgettext(context, msgid) if context else self.catalog.gettext(msgid)
        return text.format(**fmt) if fmt else text

    def tn(self, key: str, n: int) -> str:
        """A message with a plural form (:data:`geo.messages.PLURALS`) for the count ``n``,
        which fills its ``{n}`` in this language's digits."""
        singular, plural = PLURALS[key]
        return self.catalog.ngettext(singular, plural, n).format(n=self.number(n))

    def commodity(self, name: str) -> str:
        """A commodity of the controlled vocabulary (``lithium`` → ``리튬``)."""
        return self.catalog.pgettext(COMMODITY_CONTEXT, name)

    def text(self, value: Text | None, default: str) -> str:
        """A trip's text field in this language (see :meth:`geo.text.Text.get_lang`)."""
        return value.get_lang(self.code, default) if value is not None else ""

    def column(self, frame: Any, name: str, default: str) -> list[Any]:
        """A trip frame's text column in this language (``label_ko``), else in the trip's own
        language ``default``, as a list; for the languages a trip gives, see :mod:`geo.trip`."""
        for lang in (*self.chain, default):
            if f"{name}_{lang}" in frame:
                return list(frame[f"{name}_{lang}"])
        return list(frame[f"{name}_{default}"])

    def name(self, names: Mapping[str, Mapping[str, str]] | None, key: str, default: str) -> str:
        """A trip's ``names:`` entry for ``key`` in this language, else ``default``."""
        from geo.names import resolve

        return resolve(names, key, self.code, default)

    def country(self, iso_a2: str) -> str:
        """A country's short name: the basemap's own column for this language where it has one
        (``한국``: as Korean newspapers write it), else CLDR's territory name, else English."""
        from geo.basemap import country_name

        return country_name(iso_a2, self.code)

    # -- formats ----------------------------------------------------------------------------

    def number(self, value: float, digits: int = 0) -> str:
        """A number with this language's grouping (``14,237``, ``14 237``)."""
        from babel.numbers import format_decimal

        pattern = "#,##0" + ("." + "0" * digits if digits else "")
        return format_decimal(value, pattern, locale=self.cldr)

    def km(self, value: float) -> str:
        """A distance in whole kilometres: ``5,916 km``."""
        return f"{self.number(round(value))} {self.t('km')}"

    def day(self, d: dt.date, year: bool = False) -> str:
        """``Jun 10`` / ``6월 10일`` / ``10 июн.`` / ``6月10日`` (CLDR's ``MMMd``, ``yMMMd``)."""
        from babel.dates import format_skeleton

        return format_skeleton("yMMMd" if year else "MMMd", d, locale=self.cldr)

    def when(self, value: dt.date | dt.datetime | None) -> str:
        """A local date, with the time (CLDR's ``Hm``) and the UTC offset when one was given."""
        if value is None:
            return ""
        if isinstance(value, dt.datetime):
            from babel.dates import format_skeleton

            off = value.strftime("%z")
            off = f"UTC{off[:3]}:{off[3:]}" if off else ""
            clock = format_skeleton("Hm", value.replace(tzinfo=None), locale=self.cldr)
            return f"{self.day(value.date(), year=True)} {clock} {off}".strip()
        return self.day(value, year=True)

    def date_range(self, first: dt.date | None, last: dt.date | None, year: bool = False) -> str:
        """CLDR's interval (``Jun 10–13``, ``6월 10일~13일``); one date when both are one day."""
        if first is None and last is None:
            return ""
        if first is None or last is None or first == last:
            d = first or last
            assert d is not None
            return self.day(d, year)
        from babel.dates import format_interval

        return format_interval(first, last, "yMMMd" if year else "MMMd", locale=self.cldr)

    def money(self, amount: float, currency: str) -> str:
        """An amount in its own currency as reported, in CLDR's long compact form where it has
        one: ``USD 200 million``, ``USD 2억``, ``200 миллионов USD``, ``USD 2億``. The ISO code
        stands where the language's currency pattern puts the symbol."""
        from babel.numbers import format_compact_decimal, format_decimal

        if amount >= COMPACT_FROM:
            number = format_compact_decimal(
                amount, format_type="long", fraction_digits=2, locale=self.cldr
            )
        else:
            number = format_decimal(amount, "#,##0", locale=self.cldr)
        pattern = self.cldr.currency_formats["standard"].pattern
        before = pattern.index("¤") < pattern.index("0") if "¤" in pattern else True
        return f"{currency} {number}" if before else f"{number} {currency}"
