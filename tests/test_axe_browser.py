"""axe-core's accessibility rules on the maps a reader opens: the bundled map and the gallery in
English and Korean, at a phone's and a desktop's size, light, dark and auto (with the reader's
system set dark), the embed page, and with the legend and a popup open. Every rule axe runs must
pass: no violation of any impact.

axe-core is pinned in scripts/test.sh and installed into tests/node/ from npm."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import geo
from geo.render.embed import embed_files, write_embed
from geo.render.page import render_map
from tests.conftest import FRESH_MAPS, REPO
from tests.reader import VIEWS

pytestmark = pytest.mark.browser

AXE = REPO / "tests" / "node" / "node_modules" / "axe-core" / "axe.min.js"
GALLERY = REPO / "data" / "gallery"

RUN = """async () => {
  const r = await axe.run(document, {resultTypes: ['violations']});
  return r.violations.map(v => ({id: v.id, impact: v.impact,
    nodes: v.nodes.slice(0, 4).map(n => n.target.join(' ') + ': ' + n.failureSummary)}));
}"""


@pytest.fixture(scope="module")
def axe_source() -> Path:
    if not AXE.exists():
        pytest.fail(
            f"axe-core is missing ({AXE}): run scripts/test.sh, which installs axe-core@4.10.3 "
            "from npm into tests/node/"
        )
    return AXE


def violations(
    chromium: Any,
    axe: Path,
    path: Path,
    view: str,
    scheme: str = "light",
    action: str | None = None,
) -> list[dict[str, Any]]:
    """Open a page offline, optionally open its legend or first popup, and run axe on it."""
    context = chromium.new_context(color_scheme=scheme, **VIEWS[view])
    try:
        page = context.new_page()
        page.route(
            "**/*",
            lambda r: r.continue_() if r.request.url.startswith(("file:", "data:")) else r.abort(),
        )
        page.goto(path.resolve().as_uri(), wait_until="load")
        if path.name != "embed-host.html":
            page.wait_for_function("() => window.geoMap !== undefined")
        if action == "legend":
            page.evaluate("() => { document.querySelector('.geo-legend').open = true; }")
        elif action == "popup":
            page.locator(".geo-stop").first.click()
            page.wait_for_selector(".leaflet-popup-content")
        page.wait_for_timeout(200)
        page.add_script_tag(path=str(axe))
        found: list[dict[str, Any]] = page.evaluate(RUN)
        return found
    finally:
        context.close()


def assert_clean(found: list[dict[str, Any]]) -> None:
    assert found == [], json.dumps(found, indent=1, ensure_ascii=False)


@pytest.fixture(scope="module")
def themed(tmp_path_factory, bundled: geo.Trip) -> dict[str, Path]:
    """The bundled map in each theme and language, rendered fresh."""
    out = tmp_path_factory.mktemp("themes")
    pages = {}
    for theme in ("light", "dark", "auto"):
        for lang in ("en", "ko"):
            path = out / f"{theme}.{lang}.html"
            path.write_text(render_map(bundled, lang=lang, theme=theme), encoding="utf-8")
            pages[f"{theme}.{lang}"] = path
    return pages


@pytest.mark.parametrize("view", sorted(VIEWS))
@pytest.mark.parametrize(
    "name",
    [
        "k-silk-road-2024.html",
        "k-silk-road-2024.ko.html",
        "k-silk-road-2024.ru.html",
        "k-silk-road-2024.ja.html",
    ],
)
def test_the_bundled_map_is_clean(chromium, axe_source, name, view):
    assert_clean(violations(chromium, axe_source, REPO / "maps" / name, view))


@pytest.mark.parametrize("view", sorted(VIEWS))
@pytest.mark.parametrize("theme", ["dark.en", "dark.ko"])
def test_the_dark_theme_is_clean(chromium, axe_source, themed, theme, view):
    assert_clean(violations(chromium, axe_source, themed[theme], view, scheme="dark"))


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_auto_follows_the_reader_and_stays_clean(chromium, axe_source, themed, scheme):
    assert_clean(violations(chromium, axe_source, themed["auto.ko"], "phone", scheme=scheme))


@pytest.mark.parametrize("action", ["legend", "popup"])
@pytest.mark.parametrize(("theme", "view"), [("light.en", "phone"), ("dark.ko", "desktop")])
def test_open_legend_and_popup_are_clean(chromium, axe_source, themed, theme, view, action):
    scheme = theme.split(".")[0]
    assert_clean(violations(chromium, axe_source, themed[theme], view, scheme, action))


# Every gallery trip in both languages at both sizes: 32 pages, about 40 s.
TRIPS = sorted(p.stem for p in GALLERY.glob("*.yaml"))


@pytest.mark.parametrize("view", sorted(VIEWS))
@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("trip", TRIPS)
def test_every_gallery_map_is_clean(chromium, axe_source, trip, lang, view):
    assert len(TRIPS) >= 8
    name = f"{trip}.html" if lang == "en" else f"{trip}.ko.html"
    assert_clean(violations(chromium, axe_source, REPO / "maps" / "gallery" / name, view))


# The gallery in Russian and Japanese (rendered fresh), sampled: one view each, alternating.
@pytest.mark.parametrize(
    ("name", "view"),
    [(n, sorted(VIEWS)[i % 2]) for i, n in enumerate(sorted(FRESH_MAPS))],
)
def test_the_gallery_in_russian_and_japanese_is_clean(chromium, axe_source, map_pages, name, view):
    assert_clean(violations(chromium, axe_source, map_pages[name], view))


@pytest.fixture(scope="module")
def embedded(tmp_path_factory, bundled: geo.Trip) -> Path:
    out = tmp_path_factory.mktemp("embed")
    write_embed(out, embed_files(bundled, fallback=False))
    snippet = (out / "embed.html").read_text(encoding="utf-8")
    (out / "embed-host.html").write_text(
        '<!DOCTYPE html><html lang="en"><head><title>Host</title></head><body><main>'
        f"<h1>An article</h1><p>Text before the map.</p>{snippet}</main></body></html>",
        encoding="utf-8",
    )
    return out


@pytest.mark.parametrize("view", sorted(VIEWS))
def test_the_embed_page_and_its_host_are_clean(chromium, axe_source, embedded, view):
    assert_clean(violations(chromium, axe_source, embedded / "index.html", view))
    assert_clean(violations(chromium, axe_source, embedded / "embed-host.html", view))
