"""A trip's own names for context places: the ``names:`` mapping of a trip file.

A story can rename any water body or capital the map names, for its own usage::

    names:
      Sea of Japan: {ko: 동해, en: East Sea}
      Caspian Sea: Каспий          # one text for every language

Keys are context names as Natural Earth writes them in English (``Sea of Japan``; case and runs of
spaces do not matter). A plain string is stored under the key ``"*"`` (every language).

>>> resolve({"Sea of Japan": {"ko": "동해"}}, "Sea of Japan", "ko", "일본해")
'동해'
>>> resolve({"Sea of Japan": {"ko": "동해"}}, "Sea of Japan", "en", "Sea of Japan")
'Sea of Japan'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from geo import vocab

if TYPE_CHECKING:
    from geo.schema import Checker

__all__ = ["ANY_LANG", "MAX_NAME", "context_names", "parse_names", "resolve"]

ANY_LANG = "*"
"""Key of a name given as a plain string: it applies in every language."""
MAX_NAME = 200
"""Longest name a trip may give, in characters (a map label, not a paragraph)."""
MAX_ENTRIES = 500

_LANG = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")


def _fold(name: str) -> str:
    return " ".join(name.split()).casefold()


@lru_cache(maxsize=1)
def context_names() -> dict[str, str]:
    """Folded name → the name as Natural Earth writes it, for every water body and capital."""
    from geo.basemap import capitals, water_bodies

    out: dict[str, str] = {}
    for row in water_bodies():
        out.setdefault(_fold(row["name"]), row["name"])
        out.setdefault(_fold(row["name_en"]), row["name"])
    for row in capitals():
        out.setdefault(_fold(row["name_en"]), row["name_en"])
    return out


def parse_names(c: Checker, path: str, value: Any) -> dict[str, dict[str, str]]:
    """Check a trip's ``names:`` section; problems go to the checker, the good entries come back.

    Returns ``{Natural Earth name: {lang or "*": text}}``, keys in the canonical spelling.
    """
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        c.add(
            path,
            "expected a mapping of context names",
            "write it as `Sea of Japan: {ko: 동해, en: East Sea}` lines",
        )
        return {}
    if len(value) > MAX_ENTRIES:
        c.add(path, f"has {len(value)} entries, more than {MAX_ENTRIES}", "keep the map's names")
        return {}
    known = context_names()
    out: dict[str, dict[str, str]] = {}
    for key, item in value.items():
        where = f"{path}.{str(key)[:60]}"
        if not isinstance(key, str) or not key.strip():
            c.add(where, f"expected a place name as key, got {key!r:.60}", "write the English name")
            continue
        canonical = known.get(_fold(key))
        if canonical is None:
            choices = tuple(sorted(set(known.values())))
            hint = vocab.suggest(key, choices) if len(key) <= 100 else ""
            c.add(
                where,
                "is not a sea, lake or capital this map can name",
                hint or "use the English name as Natural Earth writes it, e.g. 'Sea of Japan'",
            )
            continue
        texts = _texts(c, where, item)
        if texts is not None:
            out[canonical] = texts
    return dict(sorted(out.items()))


def _texts(c: Checker, where: str, item: Any) -> dict[str, str] | None:
    if isinstance(item, str):
        return {ANY_LANG: item} if _good(c, where, item) else None
    if isinstance(item, Mapping) and item:
        texts: dict[str, str] = {}
        for lang, text in item.items():
            if not isinstance(lang, str) or not _LANG.match(lang):
                c.add(f"{where}.{str(lang)[:20]}", "not a language code", "use a code such as 'ko'")
                return None
            if not isinstance(text, str):
                c.add(f"{where}.{lang}", "expected text", "quote it")
                return None
            if not _good(c, f"{where}.{lang}", text):
                return None
            texts[lang] = text
        return dict(sorted(texts.items()))
    c.add(where, "expected a name or a map such as {ko: 동해, en: East Sea}", "give the name")
    return None


def _good(c: Checker, where: str, text: str) -> bool:
    if not text.strip():
        c.add(where, "is empty", "give the name, or leave the entry out")
        return False
    if len(text) > MAX_NAME:
        c.add(where, f"is {len(text)} characters, more than {MAX_NAME}", "shorten the name")
        return False
    return c.printable(where, text)


def resolve(
    names: Mapping[str, Mapping[str, str]] | None, key: str, lang: str, default: str
) -> str:
    """The trip's name for ``key`` in ``lang`` (a BCP 47 tag, then its shorter prefixes; then
    the any-language name), else ``default``."""
    if not names:
        return default
    entry = names.get(key)
    if entry is None:
        return default
    parts = lang.split("-")
    for n in range(len(parts), 0, -1):
        if text := entry.get("-".join(parts[:n])):
            return text
    return entry.get(ANY_LANG) or default
