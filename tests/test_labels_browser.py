"""No text on a map covers another and none is cut by the map's edge: every text run in the map
pane (stop names and numbers, deal labels, countries, seas, capitals), measured in Chromium at two
phone sizes, a narrow column and a desktop, for the bundled map and every gallery map in English
and Korean, and for the bundled map in the dark theme."""

from __future__ import annotations

from typing import Any

import pytest

import geo
from geo.render.page import render_map
from tests.conftest import FRESH_MAPS, committed_maps
from tests.reader import LABEL_SIZES, texts

pytestmark = pytest.mark.browser

NAMES = sorted([p.name for p in committed_maps()] + FRESH_MAPS)
CASES = [(n, s) for n in NAMES for s in LABEL_SIZES]


@pytest.fixture(scope="module")
def seen(chromium: Any, map_pages: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(n, s): texts(chromium, map_pages[n], s) for n in NAMES for s in LABEL_SIZES}


def test_every_map_is_measured(seen):
    assert len(NAMES) == 44  # 11 trips in 4 languages
    # Text is found: a map with a handful of texts would pass the checks below trivially.
    # (300 stops are drawn as unlabelled dots: their names are in the tooltips and text version.)
    counts = {c: seen[c]["texts"] for c in CASES if not c[0].startswith("stops-300")}
    assert all(n >= 10 for n in counts.values()), counts
    assert seen[("sea-voyage.html", "1280x800")]["texts"] >= 40


@pytest.mark.parametrize(("name", "size"), CASES)
def test_no_text_covers_another(seen, name, size):
    assert seen[(name, size)]["overlaps"] == []


@pytest.mark.parametrize(("name", "size"), CASES)
def test_no_text_covers_a_deal_symbol(seen, name, size):
    assert seen[(name, size)]["covered"] == []


def test_deal_symbols_are_found(seen):
    # The check above is not empty: the bundled map and the sea voyage have deal symbols.
    assert seen[("k-silk-road-2024.html", "1280x800")]["symbols"] == 6  # six deal sites
    assert seen[("sea-voyage.html", "320x568")]["symbols"] == 3


@pytest.mark.parametrize(("name", "size"), CASES)
def test_no_text_is_cut_by_the_edge(seen, name, size):
    assert seen[(name, size)]["cut"] == []


@pytest.mark.parametrize("size", list(LABEL_SIZES))
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_dark_theme_places_labels_as_well(chromium, tmp_path, bundled: geo.Trip, lang, size):
    path = tmp_path / "dark.html"
    path.write_text(render_map(bundled, lang=lang, theme="dark"), encoding="utf-8")
    found = texts(chromium, path, size, scheme="dark")
    assert found["texts"] >= 6
    assert found["overlaps"] == [] and found["cut"] == [] and found["covered"] == []
