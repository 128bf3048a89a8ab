"""A trip's story: its chapters, written in the file or one per stop, validated like any section."""

from __future__ import annotations

import json
import re

import pytest

import geo
from geo.errors import TripFormatError
from geo.render.payload import story_payload
from geo.scene import build_scene
from tests.conftest import write

TRIP = """\
trip: {id: told, title: Told, lang: en}
stops:
  - {place: Seoul, depart: 2024-06-10}
  - {place: Tashkent, arrive: 2024-06-11, depart: 2024-06-13, note: Talks}
  - {place: Samarkand, arrive: 2024-06-13}
deals:
  - {title: Rail cars, country: UZ, place: Tashkent, date: 2024-06-12}
  - {title: Minerals, country: UZ, date: 2024-06-20}
"""

STORY = """\
story:
  - title: {en: "<img src=x onerror=alert(1)> Arrival", ko: "{{7*7}} 도착"}
    text: "</script><script>alert(2)</script>"
    stops: [2]
    legs: [1]
    deals: [1, 1]
  - title: The whole tour
    view: {phone: {lat: 40, lon: 70, zoom: 4}, desktop: {lat: 41, lon: 71, zoom: 5}}
"""


def load(tmp_path, text):
    return geo.load_trip(write(tmp_path, text))


def test_without_a_story_each_stop_is_a_chapter(tmp_path):
    scene = build_scene(load(tmp_path, TRIP), "en")
    chapters = scene.chapters
    assert [c.title for c in chapters] == [
        "1. Seoul · Jun 10",
        "2. Tashkent · Jun 11\u2009–\u200913",
        "3. Samarkand · Jun 13",
    ]
    assert [c.legs for c in chapters] == [(), (0,), (1,)]
    # The rail deal is dated during the Tashkent visit; the minerals deal after it.
    assert chapters[1].deals == (0,) and chapters[1].text == "Talks Deals: Rail cars"
    assert chapters[2].deals == ()


def test_a_written_story_replaces_them_and_its_text_is_data(tmp_path):
    trip = load(tmp_path, TRIP + STORY)
    en, ko = build_scene(trip, "en"), build_scene(trip, "ko")
    assert [c.title for c in en.chapters] == [
        "<img src=x onerror=alert(1)> Arrival",
        "The whole tour",
    ]
    assert ko.chapters[0].title == "{{7*7}} 도착"
    first = en.chapters[0]
    assert (first.stops, first.legs, first.deals) == ((1,), (0,), (0,))  # 1-based in the file
    assert en.chapters[1].view == (("phone", 40.0, 70.0, 4.0), ("desktop", 41.0, 71.0, 5.0))
    story = story_payload(en)["chapters"]
    assert story[1]["view"] == {"phone": [40.0, 70.0, 4.0], "desktop": [41.0, 71.0, 5.0]}
    html = geo.render.render_map(trip, embed=True)
    assert "<img src=x" not in html and "</script><script>alert(2)" not in html
    data = json.loads(re.search(r'id="geo-data">(.*?)</script>', html, re.S).group(1))
    assert data["story"]["chapters"][0]["text"] == "</script><script>alert(2)</script>"


@pytest.mark.parametrize(
    ("story", "where", "message"),
    [
        ("story: [{title: A, stops: [4]}]", "story[0].stops[0]", "4 is not one of its stops"),
        ("story: [{title: A, legs: [0]}]", "story[0].legs[0]", "0 is not one of its legs"),
        ("story: [{title: A, routes: [1]}]", "story[0].routes[0]", "the trip has no routes"),
        ("story: [{title: A, stops: [two]}]", "story[0].stops[0]", "expected a number"),
        ("story: [{title: A, stops: [true]}]", "story[0].stops[0]", "expected a number"),
        ("story: [{text: A}]", "story[0].title", ""),
        ("story: [{title: A, stop: [1]}]", "story[0].stop", "did you mean 'stops'"),
        ("story: [{title: A, view: {tablet: {}}}]", "story[0].view.tablet", ""),
        (
            "story: [{title: A, view: {phone: {lat: 95, lon: 0, zoom: 3}}}]",
            "story[0].view.phone.lat",
            "",
        ),
        ("story: [{title: A, view: {phone: {lat: 1, lon: 0}}}]", "story[0].view.phone.zoom", ""),
        ("story: A", "story", "expected a list"),
    ],
)
def test_every_problem_names_its_record(tmp_path, story, where, message):
    with pytest.raises(TripFormatError) as err:
        load(tmp_path, TRIP + story + "\n")
    report = err.value.report()
    assert where in report and message in report, report


def test_geo_story_writes_the_folder_and_refuses_a_bad_story(tmp_path):
    import subprocess
    import sys

    def geo_story(*args):
        return subprocess.run(
            [sys.executable, "-m", "geo", "story", *args],
            capture_output=True, text=True, cwd=tmp_path, check=False,
        )  # fmt: skip

    done = geo_story("-o", "out", "--lang", "ko")
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "alt.txt",
        "fallback.png",
        "index.html",
    ]
    page = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert page.count('class="geo-chapter"') == 6 and '<html lang="ko">' in page
    assert "<h2>챕터</h2>" in page  # the text version lists the chapters
    again = geo_story("-o", "out2", "--lang", "ko")
    assert again.returncode == 0
    assert (tmp_path / "out2" / "index.html").read_bytes() == page.encode("utf-8")
    bad = write(tmp_path, TRIP + "story: [{title: A, stops: [9]}]\n", "bad.yaml")
    refused = geo_story(str(bad), "-o", "out3")
    assert refused.returncode == 2 and "story[0].stops[0]" in refused.stderr
    assert "Traceback" not in refused.stderr and not (tmp_path / "out3").exists()
