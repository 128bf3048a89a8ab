"""CLDR through Babel, by BCP 47 tag: the tag is tried, then its shorter prefixes (``pt-BR``,
then ``pt``). Shared by :mod:`geo.i18n` (formats) and :mod:`geo.basemap` (country names)."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import babel

__all__ = ["known", "tags", "territories"]


def tags(code: str) -> list[str]:
    """``pt-BR`` → ``["pt_BR", "pt"]``: the tag, then shorter prefixes (gettext's and Babel's
    spelling)."""
    parts = code.replace("_", "-").split("-")
    return ["_".join(parts[:n]) for n in range(len(parts), 0, -1)]


@cache
def known(code: str) -> babel.Locale | None:
    """Babel's locale of the tag or its language, or None where CLDR has neither."""
    import babel

    for tag in tags(code):
        try:
            return babel.Locale.parse(tag)
        except (babel.UnknownLocaleError, ValueError):
            continue
    return None


@cache
def territories(code: str) -> dict[str, str]:
    """CLDR's country names in the language by ISO code; empty where CLDR lacks it."""
    found = known(code)
    return dict(found.territories) if found is not None else {}
