"""The embedding kit in a real browser at phone and desktop sizes."""

from __future__ import annotations

import pytest

from geo.render.embed import FALLBACK_HEIGHT, embed_files, write_embed
from tests.browser import visit

pytestmark = pytest.mark.browser

SIZES = [(360, 640), (1280, 800)]
PARA = "<p>" + "Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 30 + "</p>"


@pytest.fixture(scope="module")
def folder(tmp_path_factory, bundled):
    out = tmp_path_factory.mktemp("embed")
    write_embed(out, embed_files(bundled, fallback=False))
    snippet = (out / "embed.html").read_text(encoding="utf-8")
    (out / "host.html").write_text(
        f"<!DOCTYPE html><html><body style='margin:0 auto;max-width:760px'>{PARA * 2}"
        f"{snippet}{PARA * 8}</body></html>",
        encoding="utf-8",
    )
    return out


def assert_labels_apart(page):
    """At least three stop labels are shown, and no two shown labels' boxes intersect."""
    boxes = page.evaluate(
        "() => Array.from(document.querySelectorAll('.geo-stop-label'))"
        ".filter(l => !l.hidden).map(l => { const r = l.getBoundingClientRect();"
        " return [r.left, r.top, r.right, r.bottom]; })"
    )
    assert len(boxes) >= 3
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            overlap = a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
            assert not overlap, (a, b)


def _frame(page):
    for _ in range(100):
        if len(page.frames) > 1 and page.frames[1].url.endswith("index.html"):
            break
        page.wait_for_timeout(100)
    frame = page.frames[1]
    frame.wait_for_selector(".geo-stop")
    return frame


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_iframe_takes_the_reported_height(chromium, folder, width, height):
    with visit(chromium, folder / "host.html", width, height, wait_for=None) as v:
        page = v.page
        page.locator("iframe").scroll_into_view_if_needed()
        frame = _frame(page)
        reported = frame.evaluate(
            "Math.ceil(document.querySelector('.geo-page').getBoundingClientRect().height)"
        )
        page.wait_for_function(
            "h => parseInt(document.querySelector('iframe').style.height) === h", arg=reported
        )
        assert reported != FALLBACK_HEIGHT
        box = page.locator("iframe").bounding_box()
        assert abs(box["height"] - reported) <= 1
        assert abs(box["width"] - min(width, 760)) <= 1  # full width of its column
        assert v.errors == [] and v.external == []


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_wheel_scrolls_the_page_not_the_map(chromium, folder, width, height):
    with visit(chromium, folder / "host.html", width, height, wait_for=None) as v:
        page = v.page
        page.locator("iframe").scroll_into_view_if_needed()
        frame = _frame(page)
        zoom = frame.evaluate(
            "document.querySelector('.leaflet-container') && window.geoMap.getZoom()"
        )
        box = page.locator("iframe").bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + min(box["height"], height) / 3)
        before = page.evaluate("window.scrollY")
        page.mouse.wheel(0, 400)
        page.wait_for_timeout(400)
        assert page.evaluate("window.scrollY") > before
        assert frame.evaluate("window.geoMap.getZoom()") == zoom
        # ... and the map tells the reader how to zoom it.
        assert frame.locator(".leaflet-gesture-handling-scroll-warning").count() == 1


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_stop_labels_do_not_overlap(chromium, folder, width, height):
    with visit(chromium, folder / "index.html", width, height) as v:
        assert_labels_apart(v.page)
        # A hidden label keeps its words for screen readers in the marker's name.
        names = v.page.locator(".geo-stop-icon").evaluate_all(
            "els => els.map(e => e.getAttribute('aria-label'))"
        )
        assert all(names) and len(names) == 5


def test_timeline_by_keyboard(chromium, folder):
    with visit(chromium, folder / "index.html", 1280, 800) as v:
        page = v.page
        page.locator(".geo-tl-next").focus()
        page.keyboard.press("Enter")  # Jun 10
        assert page.locator(".geo-tl-day").inner_text() == "Jun 10"
        active = page.evaluate(
            "() => Array.from(document.querySelectorAll('.leaflet-overlay-pane path[data-active]'))"
            ".map(p => p.getAttribute('data-active'))"
        )
        assert active[:5] == ["true", "false", "false", "false", "false"]
        assert "Depart: Seongnam" in page.locator(".geo-tl-events").inner_text()
        page.keyboard.press("ArrowRight")  # Jun 11: Ashgabat -> Astana
        assert page.locator(".geo-tl-day").inner_text() == "Jun 11"
        active = page.evaluate(
            "() => Array.from(document.querySelectorAll('.leaflet-overlay-pane path[data-active]'))"
            ".map(p => p.getAttribute('data-active'))"
        )
        assert active[:5] == ["false", "true", "false", "false", "false"]
        live = page.locator(".geo-timeline [aria-live]").inner_text()
        assert live.startswith("Jun 11, 2024: Depart: Ashgabat; Arrive: Astana")
        dimmed = page.locator(".geo-stop-icon.geo-dim").count()
        assert dimmed == 3  # Seongnam, Tashkent and Samarkand are not part of Jun 11
        page.keyboard.press("ArrowLeft")
        assert page.locator(".geo-tl-day").inner_text() == "Jun 10"


def test_fullscreen_button_and_collapsible_legend(chromium, folder):
    with visit(chromium, folder / "index.html", 360, 640) as v:
        page = v.page
        assert page.get_by_role("button", name="Full screen").count() == 1
        legend = page.locator(".geo-legend")
        assert legend.evaluate("d => d.open") is False  # folded on a phone
        page.locator(".geo-legend summary").click()
        assert legend.evaluate("d => d.open") is True


def test_label_places_are_computed_where_css_puts_them(chromium, folder):
    # declutter() computes each candidate box instead of laying it out; check the arithmetic
    # against the browser's layout for every place.
    with visit(chromium, folder / "index.html", 1280, 800) as v:
        gaps = v.page.evaluate(
            """() => {
              const out = [];
              const stop = document.querySelector('.geo-stop');
              const label = stop.querySelector('.geo-stop-label');
              const n = stop.querySelector('.geo-stop-n').getBoundingClientRect();
              for (const place of ['right','left','ne','se','nw','sw','above','below']) {
                label.hidden = false;
                label.setAttribute('data-place', place);
                const r = label.getBoundingClientRect();
                out.push([place, n.left, n.top, n.right, n.bottom, r.left, r.top, r.width, r.height]);
              }
              return out;
            }"""
        )
        gap = 4
        for place, nl, nt, nr, nb, rl, rt, w, h in gaps:
            cx, cy = (nl + nr) / 2, (nt + nb) / 2
            expect = {
                "right": (nr + gap, cy - h / 2),
                "left": (nl - gap - w, cy - h / 2),
                "ne": (nr + gap, nt + 6 - h),
                "se": (nr + gap, nb - 6),
                "nw": (nl + 2 - w, nt + 6 - h),
                "sw": (nl + 2 - w, nb - 6),
                "above": (cx - w / 2, nt - 3 - h),
                "below": (cx - w / 2, nb + 3),
            }[place]
            assert abs(rl - expect[0]) < 1.5 and abs(rt - expect[1]) < 1.5, (place, rl, rt, expect)


@pytest.fixture(scope="module")
def folder_ko(tmp_path_factory, bundled):
    out = tmp_path_factory.mktemp("embed-ko")
    write_embed(out, embed_files(bundled, lang="ko", fallback=False))
    return out


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_korean_stop_labels_do_not_overlap(chromium, folder_ko, width, height):
    with visit(chromium, folder_ko / "index.html", width, height) as v:
        assert_labels_apart(v.page)
        assert v.page.get_by_role("button", name="전체 화면").count() == 1
        assert v.errors == [] and v.external == []
