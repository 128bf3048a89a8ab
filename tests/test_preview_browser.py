"""geo preview in a real browser: the page follows the file through edits, errors and fixes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.browser import visit
from tests.conftest import DATA, serving

pytestmark = pytest.mark.browser

HOSTILE_TITLE = "<script>alert(1)</script><img src=x onerror=alert(2)>{{7*7}}"
# Long enough for a render on a busy machine; a reload that never comes fails well before.
WAIT_MS = 20_000


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture()
def trip(tmp_path: Path) -> Path:
    path = tmp_path / "mini.yaml"
    shutil.copy(DATA / "mini.yaml", path)
    return path


def test_page_follows_edits_errors_and_fixes(chromium, trip):
    from playwright.sync_api import expect

    with serving(trip) as server, visit(chromium, server.url) as v:
        page = v.page
        expect(page.locator("h1")).to_have_text("A mini tour")
        assert page.locator(".geo-stop").count() == 4

        # Edit the title: the page reloads by itself and shows it, as text.
        edit(trip, "A mini tour", "'" + HOSTILE_TITLE.replace("'", "''") + "'")
        expect(page.locator("h1")).to_have_text(HOSTILE_TITLE, timeout=WAIT_MS)
        page.wait_for_function("() => document.querySelectorAll('.geo-stop').length === 4")
        assert page.title().startswith(HOSTILE_TITLE)

        # Break a date: the problem, with its record, instead of the map.
        edit(trip, "arrive: 2024-06-13", "arrive: '2024-13-45 <img src=x onerror=alert(3)>'")
        problem = page.locator(".geo-problem")
        expect(problem).to_have_count(1, timeout=WAIT_MS)
        expect(problem).to_contain_text("stops[2].arrive")
        expect(problem).to_contain_text("<img src=x onerror=alert(3)>")
        expect(problem).to_contain_text("write an ISO 8601 date")
        expect(page.locator(".geo-file")).to_have_text(str(trip))
        assert page.locator("#geo-map").count() == 0

        # Fix it: the map is back.
        edit(trip, "'2024-13-45 <img src=x onerror=alert(3)>'", "2024-06-13")
        expect(page.locator("#geo-map")).to_have_count(1, timeout=WAIT_MS)
        page.wait_for_function("() => document.querySelectorAll('.geo-stop').length === 4")
        expect(page.locator("h1")).to_have_text(HOSTILE_TITLE)
        assert page.locator(".geo-problem").count() == 0

        assert page.locator("img").count() == 0
        assert v.dialogs == []
        assert v.external == []
        assert v.errors == []


def test_korean_preview(chromium, trip):
    from playwright.sync_api import expect

    with serving(trip, lang="ko") as server, visit(chromium, server.url) as v:
        expect(v.page.locator("h1")).to_have_text("작은 순방")
        assert v.page.evaluate("document.documentElement.lang") == "ko"
        assert v.errors == [] and v.external == []
