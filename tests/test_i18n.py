"""Every reader's language: catalogs, CLDR formats through Babel, the fallback chain, names."""

from __future__ import annotations

import ast
import datetime as dt
import io
import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

import geo
from geo import i18n
from geo.i18n import locale
from geo.messages import COMMODITIES, CONTEXTS, MESSAGES, PLURALS
from geo.text import Text
from tests.conftest import write

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "geo" / "locales"
SHIPPED = ("en", "ja", "ko", "ru")
JUNE = (dt.date(2024, 6, 10), dt.date(2024, 6, 16))
# Every message id of geo/messages.py, as (context, id) with a plural's id its singular.
WANTED = (
    {(CONTEXTS.get(k), v) for k, v in MESSAGES.items()}
    | {("commodity", c) for c in COMMODITIES}
    | {(None, singular) for singular, _ in PLURALS.values()}
)


def _ids(catalog) -> set:
    return {(m.context, m.id[0] if isinstance(m.id, tuple) else m.id) for m in catalog if m.id}


def _geo(*args: str, cwd: Path | None = None, env: dict | None = None):
    """``geo`` run as a user runs it, in a process of its own."""
    return subprocess.run(
        [sys.executable, "-m", "geo", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        check=False,
    )


def test_the_shipped_languages_are_the_catalogs_found():
    assert i18n.languages() == SHIPPED
    assert {p.parent.parent.name for p in LOCALES.glob("*/LC_MESSAGES/geo.po")} == {
        "ja",
        "ko",
        "ru",
    }


@pytest.mark.parametrize("lang", ["ja", "ko", "ru"])
def test_each_catalog_is_complete_and_its_placeholders_match(lang):
    catalog = read_po((LOCALES / lang / "LC_MESSAGES" / "geo.po").open("rb"))
    assert _ids(catalog) == WANTED, "run the README's pybabel extract / update"
    for m in catalog:
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        assert all(strings) and not m.fuzzy, (lang, m.id)
        assert len(strings) == (catalog.num_plurals if len(ids) > 1 else 1), m.id
        for s in strings:
            assert set(re.findall(r"{\w+}", s)) == set(re.findall(r"{\w+}", ids[0])), m.id


@pytest.mark.parametrize("lang", ["ja", "ko", "ru"])
def test_the_compiled_catalog_is_the_po_file_compiled(lang):
    # The .mo files are committed (stdlib gettext reads them at run time, Babel is not needed
    # to start); this is `pybabel compile`, so a .po edited without compiling fails here.
    folder = LOCALES / lang / "LC_MESSAGES"
    catalog = read_po((folder / "geo.po").open("rb"))
    buf = io.BytesIO()
    write_mo(buf, catalog)
    assert (folder / "geo.mo").read_bytes() == buf.getvalue(), "run pybabel compile"


def test_the_readmes_extract_command_gives_the_committed_template(tmp_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    line = next(x for x in readme.splitlines() if x.startswith("pybabel extract "))
    command = line.replace("-o geo/locales/geo.pot", f"-o {tmp_path / 'geo.pot'}")
    pybabel = Path(sys.executable).with_name("pybabel")
    done = subprocess.run(
        [str(pybabel), *shlex.split(command)[1:]],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    fresh = read_po((tmp_path / "geo.pot").open("rb"))
    committed = read_po((LOCALES / "geo.pot").open("rb"))
    assert _ids(fresh) == _ids(committed) == WANTED


def test_plural_forms_follow_each_language():
    assert [locale("ru").tn("problems", n) for n in (1, 3, 5, 21)] == [
        "1 проблема",
        "3 проблемы",
        "5 проблем",
        "21 проблема",
    ]
    assert locale("en").tn("problems", 1) == "1 problem"
    assert locale("ko").tn("problems", 1200) == "문제 1,200건"


@pytest.mark.parametrize(
    ("lang", "words", "day", "year_range", "money"),
    [
        ("en", "Itinerary", "Jun 10", "Jun 10\u2009–\u200916, 2024", "USD 200 million"),
        ("ko", "일정", "6월 10일", "2024년 6월 10일~16일", "USD 2억"),
        ("ru", "Поездка", "10 июн.", "10—16 июн. 2024\u202fг.", "200 миллионов USD"),
        ("ja", "日程", "6月10日", "2024年6月10日～16日", "USD 2億"),
    ],
)
def test_words_and_cldr_formats_in_each_language(lang, words, day, year_range, money):
    loc = locale(lang)
    assert loc.t("itinerary") == words
    assert loc.day(JUNE[0]) == day
    assert loc.date_range(*JUNE, year=True) == year_range
    assert loc.money(2e8, "USD") == money
    assert loc.date_range(JUNE[0], JUNE[0]) == day  # one day is one date


def test_amounts_dates_and_numbers_follow_cldr():
    en, ru, ko = locale("en"), locale("ru"), locale("ko")
    assert en.money(8.3e12, "KRW") == "KRW 8.3 trillion"
    assert en.money(950_000, "EUR") == "EUR 950,000"  # under a million: written in full
    assert ru.money(6e9, "USD") == "6 миллиардов USD"
    assert ru.number(14237.4) == "14\xa0237"
    assert ru.km(5915.9) == "5\xa0916 км"
    assert ko.money(8.3e12, "KRW") == "KRW 8.3조"
    assert en.date_range(dt.date(2024, 12, 30), dt.date(2025, 1, 2), year=True) == (
        "Dec 30, 2024\u2009–\u2009Jan 2, 2025"
    )
    when = dt.datetime(2024, 6, 11, 9, 5, tzinfo=dt.timezone(dt.timedelta(hours=5)))
    assert locale("ja").when(when) == "2024年6月11日 9:05 UTC+05:00"
    assert en.when(when) == "Jun 11, 2024 09:05 UTC+05:00"


def test_a_regional_tag_uses_its_languages_catalog_and_its_own_formats():
    br = locale("pt-BR")
    assert br.chain == ("pt-BR", "pt")
    assert br.t("itinerary") == "Itinerary"  # no Portuguese catalog: English words
    assert br.day(JUNE[0]) == "10 de jun."  # but Brazilian dates
    assert locale("ko-KR").t("itinerary") == "일정"
    assert i18n.supported("ko-KR") and not i18n.supported("fr") and not i18n.supported("kr")
    assert locale("tlh").day(JUNE[0]) == "Jun 10"  # unknown to CLDR: English formats
    with pytest.raises(ValueError, match="unknown language 'kr'; use one of en, ja, ko, ru"):
        i18n.check("kr")


def test_text_fallback_chain():
    text = Text.of({"en": "Seoul", "ko": "서울", "pt-BR": "Seul", "zh-Hant": "首爾"})
    assert text.get_lang("ko-KR") == "서울"  # the tag's language
    assert text.get_lang("pt") == "Seul"  # a regional form of the language
    assert text.get_lang("ZH-hant") == "首爾"  # tags are case-insensitive
    assert text.get_lang("ru", default="ko") == "서울"  # the trip's own language
    assert text.get_lang("ru", default="fr") == "Seoul"  # then English
    assert Text.of({"de": "Seul"}).get_lang("ru", default="fr") == "Seul"  # then any
    assert Text.of("as written").get_lang("ja") == "as written"  # a plain string: every one


def test_no_module_branches_on_a_language_code():
    """Languages differ by data (catalogs, CLDR, name columns), never by an ``if`` in code:
    no comparison in ``geo/`` has a language code as an operand."""
    codes = {"en", "ko", "ru", "ja", "zh", "de", "fr", "es", "pt"}
    offenders = []
    for path in sorted((ROOT / "geo").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Compare):
                operands = [node.left, *node.comparators]
                for op in operands:
                    values = op.elts if isinstance(op, ast.Tuple | ast.List | ast.Set) else [op]
                    for v in values:
                        if isinstance(v, ast.Constant) and v.value in codes:
                            offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def test_a_language_is_added_by_a_catalog_alone(tmp_path):
    """A German catalog, compiled into a folder of GEO_LOCALES: `geo map --lang de` then writes
    a German map (words from the catalog, dates from CLDR, country names from CLDR) with no
    change to the code."""
    template = read_po((LOCALES / "geo.pot").open("rb"), locale="de")
    german = {"Itinerary": "Reiseverlauf", "Stops": "Stationen", "Deals": "Abkommen"}
    for m in template:
        if m.id in german:
            m.string = german[m.id]
    folder = tmp_path / "locales" / "de" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / "geo.mo").open("wb") as f:
        write_mo(f, template)
    env = {**os.environ, "GEO_LOCALES": str(tmp_path / "locales")}
    out = tmp_path / "de.html"
    done = _geo("map", "--lang", "de", "-o", str(out), cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    html = out.read_text(encoding="utf-8")
    assert '<html lang="de">' in html
    payload = json.loads(re.search(r'id="geo-data">(.*?)</script>', html, re.S).group(1))
    titles = [block["title"] for block in payload["legend"]]
    assert "Reiseverlauf" in titles and "Abkommen" in titles
    assert "10.–16. Juni 2024" in html  # CLDR's German interval
    assert "Kasachstan" in html  # CLDR's German name of Kazakhstan
    # Without the catalog there is no German interface.
    bare = _geo("map", "--lang", "de", "-o", str(out), cwd=tmp_path)
    assert bare.returncode == 2 and "'de' is not one of" in bare.stderr


KEYED = """\
trip:
  id: keyed
  title: {en: Keyed in Hangul and Cyrillic, ko: 한글과 키릴 문자로 쓴 여행}
  lang: ko
stops:
  - place: 성남
    depart: 2024-06-10
  - place: Астана
    country: KZ
    arrive: 2024-06-11
  - place: Rome
    arrive: 2024-06-13
  - place: Ташкент
    arrive: 2024-06-14
    label: {ko: 타시켄트}
"""


@pytest.fixture(scope="module")
def keyed(tmp_path_factory):
    return geo.load_trip(write(tmp_path_factory.mktemp("keyed"), KEYED))


@pytest.mark.parametrize(
    ("lang", "names"),
    [
        ("en", ["Seongnam", "Astana", "Rome", "Tashkent"]),
        ("ko", ["성남", "아스타나", "로마", "타시켄트"]),  # the trip's own label wins
        ("ru", ["Соннам", "Астана", "Рим", "Ташкент"]),
        ("ja", ["Seongnam", "アスタナ", "ローマ", "タシケント"]),  # no Japanese name of Seongnam
    ],
)
def test_places_keyed_in_any_script_are_named_in_the_readers_language(keyed, lang, names):
    from geo.describe import alt_text, describe
    from geo.render.payload import build_payload
    from geo.scene import build_scene

    assert [v.label for v in build_scene(keyed, lang).visits] == names
    assert [s["label"] for s in build_payload(keyed, lang)["stops"]] == names
    info = describe(keyed, lang)
    assert f"{names[0]} → {names[1]}" in info
    assert " → ".join(names) in alt_text(keyed, lang)


def test_geo_info_shows_the_names_each_map_shows(keyed, tmp_path):
    path = write(tmp_path, KEYED)
    for lang, first in (("en", "Seongnam"), ("ru", "Соннам"), ("ko", "성남")):
        done = _geo("info", str(path), "--lang", lang)
        assert done.returncode == 0 and f"  1  {first} (KR)" in done.stdout, done.stdout


def test_a_plain_label_wins_in_every_language(tmp_path):
    trip = geo.load_trip(
        write(tmp_path, KEYED.replace("    label: {ko: 타시켄트}", "    label: Tashkent Hub"))
    )
    from geo.scene import stop_labels

    for lang in SHIPPED:
        assert stop_labels(trip, locale(lang))[-1] == "Tashkent Hub"


def test_trip_text_in_a_language_without_a_catalog_is_shown_as_written(tmp_path):
    """A French trip: French texts, English interface words (no catalog), French dates."""
    text = (
        "trip:\n  id: fr\n  title: Voyage à Rome\n  lang: fr\n"
        "stops:\n  - place: Paris\n    depart: 2024-06-10\n"
        "  - place: Rome\n    arrive: 2024-06-11\n    note: {fr: Arrivée <b>tardive</b>}\n"
    )
    trip = geo.load_trip(write(tmp_path, text))
    from geo.render import render_map

    html = render_map(trip)
    assert '<html lang="fr">' in html and "<h1>Voyage à Rome</h1>" in html
    assert "Itinerary" in html and "10–11 juin 2024" in html
    payload = json.loads(re.search(r'id="geo-data">(.*?)</script>', html, re.S).group(1))
    assert payload["stops"][1]["popup"]["note"] == "Arrivée <b>tardive</b>"  # text, in JSON
    assert "<b>tardive" not in html


@pytest.mark.parametrize("lang", ["ru", "ja"])
def test_every_command_speaks_russian_and_japanese(tmp_path, lang):
    loc = locale(lang)
    embed = tmp_path / "embed"
    assert _geo("embed", "--lang", lang, "-o", str(embed), cwd=tmp_path).returncode == 0
    alt = (embed / "alt.txt").read_text(encoding="utf-8")
    assert loc.date_range(*JUNE, year=True) in alt and loc.country("KZ") in alt
    assert f'lang="{lang}"' in (embed / "embed.html").read_text(encoding="utf-8")
    kml = tmp_path / "trip.kml"
    assert _geo("export", "--lang", lang, "-o", str(kml), cwd=tmp_path).returncode == 0
    text = kml.read_text(encoding="utf-8")
    assert f"<name>{loc.t('routes')}</name>" in text  # the folders, as the legend names them
    assert loc.country("KZ") in text  # the partner country's placemark
    info = _geo("info", "--lang", lang, cwd=tmp_path).stdout
    assert loc.t("stops") in info and loc.number(5915.9, 1) in info
    done = _geo("static", "--lang", lang, "-o", str(tmp_path / "map.png"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr


def test_the_preview_problem_page_is_in_the_maps_language():
    from geo.errors import Problem
    from geo.preview import problem_page

    problems = [Problem("stops[0].lat", "is 91"), Problem("stops[1]", "<b>x</b>")]
    page = problem_page("trip.yaml", problems, "ru")
    assert '<html lang="ru">' in page and "<h1>2 проблемы</h1>" in page
    assert locale("ru").t("preview_hint") in page and "&lt;b&gt;x&lt;/b&gt;" in page
    assert "<h1>2 problems</h1>" in problem_page("trip.yaml", problems)
