"""Reader checks on every gallery map and the bundled one, in both languages, at a phone's and a
desktop's size: every marker inside the map and not covered, no label across its edge, the stops
spread over at least 60 % of its width or height."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import REPO
from tests.reader import VIEWS, measure

MAPS = sorted(
    [REPO / "maps" / "k-silk-road-2024.html", REPO / "maps" / "k-silk-road-2024.ko.html"]
    + list((REPO / "maps" / "gallery").glob("*.html"))
)


@pytest.fixture(scope="module")
def seen(chromium: Any) -> dict[tuple[str, str], dict[str, Any]]:
    """Each map measured once per view; the tests below read the results."""
    return {(p.name, v): measure(chromium, p, v) for p in MAPS for v in VIEWS}


CASES = [(p.name, v) for p in MAPS for v in VIEWS]


def test_the_gallery_is_there():
    names = {p.name for p in MAPS}
    assert len([n for n in names if not n.endswith(".ko.html")]) >= 9
    assert "pacific-loop.ko.html" in names


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
