"""Shared fixtures: the bundled trip, small fixture trips, and where the seed article is."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

import geo

if TYPE_CHECKING:
    from geo.preview import PreviewServer

DATA = Path(__file__).parent / "data"
REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def chromium():
    """One Debian Chromium for every browser test (started only when one asks for it)."""
    from tests.browser import browser

    with browser() as b:
        yield b


# The gallery is committed in English and Korean; in Russian and Japanese the browser checks
# render it fresh (the bundled trip's maps are committed in all four languages).
FRESH_LANGS = ("ru", "ja")
GALLERY_TRIPS = sorted((REPO / "data" / "gallery").glob("*.yaml"))
FRESH_MAPS = [f"{p.stem}.{lang}.html" for p in GALLERY_TRIPS for lang in FRESH_LANGS]


def committed_maps() -> list[Path]:
    """The bundled trip's maps in every language and the gallery's in English and Korean."""
    return sorted(
        [REPO / "maps" / f"k-silk-road-2024{s}.html" for s in ("", ".ko", ".ru", ".ja")]
        + list((REPO / "maps" / "gallery").glob("*.html"))
    )


@pytest.fixture(scope="session")
def map_pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """File name → page, for the committed maps and the gallery rendered in ru and ja."""
    from geo.render import render_map

    pages = {p.name: p for p in committed_maps()}
    out = tmp_path_factory.mktemp("gallery-i18n")
    for trip_file in GALLERY_TRIPS:
        trip = geo.load_trip(trip_file)
        for lang in FRESH_LANGS:
            path = out / f"{trip_file.stem}.{lang}.html"
            path.write_text(render_map(trip, lang=lang), encoding="utf-8")
            pages[path.name] = path
    return pages


@pytest.fixture(scope="session")
def bundled() -> geo.Trip:
    return geo.load_trip(geo.bundled_trip())


@pytest.fixture(scope="session")
def mini() -> geo.Trip:
    return geo.load_trip(DATA / "mini.yaml")


@pytest.fixture(scope="session")
def pacific() -> geo.Trip:
    return geo.load_trip(DATA / "pacific.yaml")


def write(tmp_path: Path, text: str, name: str = "trip.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@contextmanager
def serving(path: Path, lang: str | None = None) -> Iterator[PreviewServer]:
    """``geo preview`` of ``path`` in this process, on a free port, watching the file."""
    from geo.preview import Preview, PreviewServer

    watched = Preview(path, lang)
    server = PreviewServer(watched, port=0)
    watched.refresh()
    watched.start()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield server
    finally:
        watched.stop()
        server.shutdown()
        server.server_close()
        thread.join()
