"""Reader checks on every gallery map and the bundled one, in four languages, at a phone's and a
desktop's size: every marker inside the map and not covered, no label across its edge, the stops
spread over at least 60 % of its width or height."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import FRESH_MAPS, committed_maps
from tests.reader import VIEWS, measure

NAMES = sorted([p.name for p in committed_maps()] + FRESH_MAPS)


@pytest.fixture(scope="module")
def seen(chromium: Any, map_pages: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    """Each map measured once per view; the tests below read the results."""
    return {(n, v): measure(chromium, map_pages[n], v) for n in NAMES for v in VIEWS}


CASES = [(n, v) for n in NAMES for v in VIEWS]


def test_the_gallery_is_there():
    english = [n for n in NAMES if n.count(".") == 1]
    assert len(english) >= 9
    for lang in ("ko", "ru", "ja"):
        assert f"pacific-loop.{lang}.html" in NAMES and f"k-silk-road-2024.{lang}.html" in NAMES
        assert len([n for n in NAMES if n.endswith(f".{lang}.html")]) == len(english)


@pytest.mark.parametrize(("name", "view"), CASES)
def test_every_marker_is_inside_and_uncovered(seen, name: str, view: str):
    r = seen[name, view]
    assert not r["outside"], r
    assert not r["covered"], r


@pytest.mark.parametrize(("name", "view"), CASES)
def test_no_label_crosses_the_edge(seen, name: str, view: str):
    assert not seen[name, view]["clipped"]


@pytest.mark.parametrize(("name", "view"), CASES)
def test_the_stops_fill_the_map(seen, name: str, view: str):
    assert seen[name, view]["span"] >= 0.6


def test_labelled_markers_are_measured(seen):
    # The checks above mean something only if markers were found.
    assert seen["sea-voyage.html", "phone"]["markers"] == 9  # six stops, three deals
    assert seen["pacific-loop.html", "desktop"]["markers"] == 6  # Seoul once, as "1 · 7"
