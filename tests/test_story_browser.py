"""The story page (geo story) read in Chromium at a phone's and a desktop's size: each chapter,
scrolled to the reading line, becomes current and brings the map to what it shows; the map keeps
half the screen or more; the page is accessible and stays inert with a hostile story."""

from __future__ import annotations

from typing import Any

import pytest

import geo
from geo.render.story import story_files
from tests.conftest import DATA
from tests.test_axe_browser import AXE, assert_clean, violations

pytestmark = pytest.mark.browser

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 3,
    "is_mobile": True,
    "has_touch": True,
}
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
SIZES = {"phone": (PHONE, 0.77), "desktop": (DESKTOP, 0.49)}  # and the reading line

# The state of the page: the current chapter(s), the places shown active and whether they are
# inside the map's visible box, and how much of the screen the map keeps.
STATE = """() => {
  const box = document.querySelector('.geo-map').getBoundingClientRect();
  const seen = { t: Math.max(box.top, 0), b: Math.min(box.bottom, innerHeight),
    l: Math.max(box.left, 0), r: Math.min(box.right, innerWidth) };
  const places = [...document.querySelectorAll('.geo-stop:not(.geo-echo)')].map(s => {
    const icon = s.closest('.leaflet-marker-icon'), r = s.querySelector('.geo-stop-n')
      .getBoundingClientRect();
    return { n: s.querySelector('.geo-stop-n').textContent,
      active: icon.classList.contains('geo-active'), dim: icon.classList.contains('geo-dim'),
      inside: r.left >= seen.l && r.right <= seen.r && r.top >= seen.t && r.bottom <= seen.b };
  });
  return { current: [...document.querySelectorAll('.geo-chapter[aria-current="step"]')]
      .map(s => Number(s.dataset.index)),
    places, share: Math.max(0, seen.b - seen.t) * Math.max(0, seen.r - seen.l)
      / (innerWidth * innerHeight), height: Math.max(0, seen.b - seen.t) / innerHeight };
}"""

TO_LINE = """([k, line]) => {
  const s = document.querySelectorAll('.geo-chapter')[k];
  const top = s.getBoundingClientRect().top + scrollY;
  scrollTo(0, top - line * innerHeight + 24);
}"""


@pytest.fixture(scope="module")
def pages(tmp_path_factory, bundled):
    out = tmp_path_factory.mktemp("story")
    made = {}
    for name, trip, lang in (
        ("bundled", bundled, "en"),
        ("bundled-ko", bundled, "ko"),
        ("hostile", geo.load_trip(DATA / "hostile.yaml"), "en"),
    ):
        files = story_files(trip, lang=lang, fallback=False)
        (out / f"{name}.html").write_bytes(files["index.html"])
        made[name] = out / f"{name}.html"
    return made


def _open(chromium: Any, path, size: str, reduced: bool = True):
    options, _ = SIZES[size]
    context = chromium.new_context(
        reduced_motion="reduce" if reduced else "no-preference", **options
    )
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
    page.goto(path.as_uri(), wait_until="load")
    page.wait_for_function("() => window.geoStep !== undefined")
    return context, page, dialogs


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_each_chapter_brings_the_map_to_what_it_shows(chromium, pages, size, lang):
    context, page, dialogs = _open(chromium, pages["bundled" if lang == "en" else "bundled-ko"],
                                   size)  # fmt: skip
    try:
        line = SIZES[size][1]
        count = page.locator(".geo-chapter").count()
        assert count == 6
        for k in range(count):
            page.evaluate(TO_LINE, [k, line])
            page.wait_for_function(
                f"() => document.querySelectorAll('.geo-chapter')[{k}]"
                ".getAttribute('aria-current') === 'step'"
            )
            page.wait_for_timeout(150)
            state = page.evaluate(STATE)
            assert state["current"] == [k]
            # Chapter k shows stop k + 1 (the sixth is the return to place "1 · 6").
            shown = [p for p in state["places"] if str(k + 1) in p["n"].split(" · ")]
            assert len(shown) == 1 and shown[0]["active"] and shown[0]["inside"], state
            assert all(p["dim"] for p in state["places"] if p is not shown[0])
            assert state["height"] >= 0.5, state  # the map keeps half the screen or more
        # Past the last chapter the map shows the whole trip again.
        page.evaluate("() => scrollTo(0, document.body.scrollHeight)")
        page.wait_for_function("() => !document.querySelector('.geo-chapter[aria-current]')")
        page.wait_for_timeout(150)
        state = page.evaluate(STATE)
        assert not any(p["dim"] for p in state["places"])
        assert all(p["inside"] for p in state["places"]) or size == "phone"
        assert dialogs == []
    finally:
        context.close()


def test_a_chapter_is_reached_by_keyboard(chromium, pages):
    context, page, _ = _open(chromium, pages["bundled"], "desktop")
    try:
        page.locator(".geo-chapter").nth(3).focus()
        page.wait_for_function(
            "() => document.querySelectorAll('.geo-chapter')[3]"
            ".getAttribute('aria-current') === 'step'"
        )
        assert page.locator(".geo-chapter").nth(3).locator("h2").inner_text().startswith("4.")
    finally:
        context.close()


def test_a_hostile_story_opens_every_chapter_and_runs_nothing(chromium, pages):
    context, page, dialogs = _open(chromium, pages["hostile"], "phone")
    try:
        titles = page.locator(".geo-chapter h2").all_inner_texts()
        assert titles == ["<img src=x onerror=alert(17)> {{7*7}}"]
        assert "<iframe src=javascript:alert(19)></iframe> {% raw %}" in (
            page.locator(".geo-chapter p").inner_text()
        )
        page.evaluate(TO_LINE, [0, SIZES["phone"][1]])
        page.wait_for_function("() => document.querySelector('.geo-chapter[aria-current]')")
        page.wait_for_timeout(300)
        injected = "img, iframe, object, u, marquee, [onerror], [onload]"
        assert page.locator(injected).count() == 0 and dialogs == []
    finally:
        context.close()


@pytest.mark.parametrize("view", ["phone", "desktop"])
def test_the_story_page_is_accessible(chromium, pages, view):
    if not AXE.exists():
        pytest.fail(f"axe-core is missing ({AXE}): run scripts/test.sh")
    assert_clean(violations(chromium, AXE, pages["bundled"], view))


def test_the_story_page_is_light(pages):
    import gzip

    data = pages["bundled"].read_bytes()
    assert len(gzip.compress(data, 9)) <= 100_000


LEGS = """() => {
  const out = [];
  geoMap.eachLayer(l => { if (l.geoFull && l.options.weight > 3)
    out.push([l.getLatLngs().length, l.geoFull.length]); });
  return out;
}"""


def test_playback_draws_the_leg_and_pauses_and_the_arrow_keys_seek(chromium, pages):
    context, page, _ = _open(chromium, pages["bundled"], "desktop", reduced=False)
    try:
        page.evaluate(TO_LINE, [1, SIZES["desktop"][1]])  # chapter 2: the leg to Ashgabat
        page.wait_for_timeout(400)
        pause = page.locator(".geo-story-pause")
        assert pause.get_attribute("aria-label") == "Pause"
        pause.click()
        assert pause.get_attribute("aria-label") == "Play"
        ((drawn, full),) = page.evaluate(LEGS)
        page.wait_for_timeout(900)
        assert page.evaluate(LEGS) == [[drawn, full]] and 1 < drawn < full  # held mid-path
        pause.click()  # resume
        page.wait_for_function(
            "() => { let ok = false; geoMap.eachLayer(l => { if (l.geoFull && l.options.weight"
            " > 3) ok = l.getLatLngs().length === l.geoFull.length; }); return ok; }",
            timeout=8000,
        )
        # Arrow keys move from chapter to chapter.
        page.locator(".geo-chapter").nth(2).focus()
        page.keyboard.press("ArrowDown")
        page.wait_for_function(
            "() => document.querySelectorAll('.geo-chapter')[3]"
            ".getAttribute('aria-current') === 'step'"
        )
        page.keyboard.press("ArrowUp")
        page.wait_for_function(
            "() => document.querySelectorAll('.geo-chapter')[2]"
            ".getAttribute('aria-current') === 'step'"
        )
    finally:
        context.close()


def test_a_chapter_can_show_a_route_and_a_partner_country(chromium, tmp_path):
    from tests.conftest import REPO

    text = (REPO / "data" / "k-silk-road-2024.yaml").read_text(encoding="utf-8")
    text += (
        "\nstory:\n"
        "  - {title: The trains, routes: [1]}\n"
        "  - {title: Kazakhstan's minerals, resources: [1]}\n"
    )
    (tmp_path / "trip.yaml").write_text(text, encoding="utf-8")
    trip = geo.load_trip(tmp_path / "trip.yaml")
    path = tmp_path / "story.html"
    path.write_bytes(story_files(trip, fallback=False)["index.html"])
    context, page, _ = _open(chromium, path, "desktop")
    try:
        styles = """() => { const out = { routes: [], fills: [] };
          geoMap.eachLayer(l => {
            if (l.geoOpacity !== undefined) out.routes.push(l.options.opacity);
            if (l.geoFill !== undefined) out.fills.push(l.options.fillOpacity);
          });
          return out; }"""
        for k in (0, 1):
            page.evaluate(TO_LINE, [k, SIZES["desktop"][1]])
            page.wait_for_function(
                f"() => document.querySelectorAll('.geo-chapter')[{k}]"
                ".getAttribute('aria-current') === 'step'"
            )
            page.wait_for_timeout(200)
            got = page.evaluate(styles)
            if k == 0:  # the first route lit, the other two dimmed
                assert sorted(got["routes"]) == [0.15, 0.15, 0.85], got
            else:  # Kazakhstan's shape filled, the other partners faint
                assert got["fills"].count(0.08) == len(got["fills"]) - 1, got
    finally:
        context.close()
