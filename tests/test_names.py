"""A trip's ``names:``: renames a context place for the story, validated like the rest."""

from __future__ import annotations

import pytest

import geo
from geo.context import context_labels
from geo.errors import TripFormatError
from geo.names import resolve
from tests.conftest import write

HEAD = """trip: {id: t, title: T}
stops:
  - {place: Busan, country: KR, lat: 35.1, lon: 129.04, depart: 2024-06-10}
  - {place: Jeju, country: KR, lat: 33.5, lon: 126.53, arrive: 2024-06-11}
"""


def records(tmp_path, body: str):
    return geo.load_trip(write(tmp_path, HEAD + body)).records


def problems(tmp_path, body: str) -> list[str]:
    with pytest.raises(TripFormatError) as info:
        geo.load_trip(write(tmp_path, HEAD + body))
    return [str(p) for p in info.value.problems]


def test_names_are_parsed_per_language_and_plain_text_under_star(tmp_path):
    rec = records(
        tmp_path,
        "names:\n  Sea of Japan: {ko: 동해, en: East Sea}\n  caspian  sea: Каспий\n",
    )
    assert rec.names == {
        "Caspian Sea": {"*": "Каспий"},
        "Sea of Japan": {"en": "East Sea", "ko": "동해"},
    }
    labels = context_labels((124.0, 32.0, 136.0, 42.0), "ko", rec.names)
    assert "동해" in [x.text for x in labels]
    labels = context_labels((124.0, 32.0, 136.0, 42.0), "ru", rec.names)
    assert "Японское море" in [x.text for x in labels]  # no Russian override: the atlas name


def test_no_names_is_an_empty_mapping(tmp_path):
    assert records(tmp_path, "").names == {}


def test_unknown_name_gets_a_did_you_mean(tmp_path):
    found = problems(tmp_path, "names:\n  Sea of Japn: East Sea\n")
    assert len(found) == 1
    assert found[0].startswith("names.Sea of Japn: is not a sea, lake or capital")
    assert "did you mean 'Sea of Japan'" in found[0]


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ("names: [a, b]\n", "expected a mapping of context names"),
        ("names:\n  Sea of Japan: 3\n", "expected a name"),
        ("names:\n  Sea of Japan: {Korean: 동해}\n", "not a language code"),
        ("names:\n  Sea of Japan: {ko: [동해]}\n", "expected text"),
        ("names:\n  Sea of Japan: '  '\n", "is empty"),
        ("names:\n  Sea of Japan: '" + "x" * 201 + "'\n", "more than 200"),
        ('names:\n  Sea of Japan: "East\\x1b[31mSea"\n', "control character U+001B"),
        ("names:\n  ? '" + "y" * 5000 + "'\n  : x\n", "is not a sea, lake or capital"),
    ],
)
def test_bad_names_are_reported(tmp_path, body, needle):
    found = problems(tmp_path, body)
    assert any(needle in p for p in found), found
    assert all(len(p) < 600 for p in found)


def test_markup_and_template_syntax_stay_text(tmp_path):
    hostile = "<script>alert(1)</script>{{ 7*7 }}"
    rec = records(tmp_path, f"names:\n  Seoul: '{hostile}'\n")
    assert rec.names == {"Seoul": {"*": hostile}}
    labels = context_labels((120.0, 30.0, 135.0, 40.0), "en", rec.names)
    assert hostile in [x.text for x in labels]


def test_resolve_order():
    names = {"Sea of Japan": {"ko": "동해", "*": "East Sea"}}
    assert resolve(names, "Sea of Japan", "ko", "일본해") == "동해"
    assert resolve(names, "Sea of Japan", "en", "Sea of Japan") == "East Sea"
    assert resolve(names, "Red Sea", "en", "Red Sea") == "Red Sea"
    assert resolve(None, "Red Sea", "en", "Red Sea") == "Red Sea"
