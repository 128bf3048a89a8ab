"""Names of gazetteer places in the reader's language.

A stop, deal place or waypoint that the gazetteer resolved is named, in each language, by the
first of these that has a name (``label:`` in the trip file always wins):

1. what the desk typed, where its script belongs to one language only (Hangul is Korean, kana
   Japanese) or, for English, where it is in Latin letters: ``place: 성남`` is the Korean name;
2. ``data/gazetteer/names.tsv`` (built by ``scripts/build_names.py``): CLDR's exemplar city
   names, then Natural Earth's tagged ``name_<lang>`` (joined by GeoNames id), then GeoNames
   alternate names in a script of that language alone (see the script for the rules);
3. for English, GeoNames' own name without its administrative suffix (``Seongnam-si`` →
   ``Seongnam``).

GeoNames' alternate names carry no language tag, so a Cyrillic or Han alternate is never taken
for Russian or Chinese: it may be Kazakh, Ukrainian or a former name. A language with no name
falls back, as every trip text does, along :meth:`geo.text.Text.get_lang` (to the English name
for a place the trip does not label).

>>> from geo.gazetteer import lookup
>>> text = place_text(lookup("Астана"), "Астана")
>>> text.get_lang("en"), text.get_lang("ko"), text.get_lang("ru")
('Astana', '아스타나', 'Астана')
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from geo.names import ANY_LANG
from geo.text import Text

if TYPE_CHECKING:
    from geo.gazetteer import Place

__all__ = ["city_names", "place_text", "with_place_names"]

_FILE = "gazetteer/names.tsv"
_SUFFIX = re.compile(r"(-si|-shi|-gun|-ku)$", re.IGNORECASE)
# Scripts that one language alone writes: text typed in them is that language's name.
_OWN_SCRIPT = {
    "ko": re.compile(r"^[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f\s\-·]+$"),
    "ja": re.compile(r"^(?=.*[\u3040-\u30ff])[\u3040-\u30ff\u4e00-\u9fff\s\-・ー]+$"),
}
_LATIN = re.compile(r"^[\sA-Za-z\u00c0-\u024f\u1e00-\u1eff'’.\-()]+$")


@lru_cache(maxsize=1)
def _table() -> tuple[tuple[str, ...], dict[int, str]]:
    """The header's languages and each row's line by geonameid: a row is split only when its
    city is asked for (a map names a handful of the 11,758)."""
    from geo._data import data_path

    text = data_path(_FILE).read_text(encoding="utf-8")
    header, _, body = text.partition("\n")
    rows = {int(line[: line.index("\t")]): line for line in body.split("\n") if line}
    return tuple(header.split("\t")[1:]), rows


def city_names(geonameid: int) -> dict[str, str]:
    """The table's names of a GeoNames city, by language (empty where it has none)."""
    langs, rows = _table()
    line = rows.get(int(geonameid))
    if line is None:
        return {}
    cells = line.split("\t")[1:]
    return {lang: name for lang, name in zip(langs, cells, strict=False) if name}


def place_text(place: Place, typed: str | None) -> Text:
    """A resolved place's name in every language the data give, as a :class:`Text` whose
    any-language entry (``"*"``) is the English name; see the module docstring."""
    names = city_names(place.geonameid)
    typed = (typed or "").strip()
    for lang, script in _OWN_SCRIPT.items():
        if typed and script.match(typed):
            names[lang] = typed
    if typed and _LATIN.match(typed):
        names["en"] = typed
    english = names.get("en") or _SUFFIX.sub("", place.name) or place.name
    names["en"] = english
    return Text.of({**names, ANY_LANG: english})


def with_place_names(given: Text | None, place: Place, typed: str | None) -> Text:
    """A stop's or site's name: the trip's ``label`` where it gives one for every language (a
    plain string), else the trip's languages over the place's names in the others."""
    names = place_text(place, typed)
    if given is None:
        return names
    if ANY_LANG in given:
        return given
    merged = {k: v for k, v in names.pairs if k != ANY_LANG}
    merged.update(dict(given.pairs))
    return Text.of(merged)
