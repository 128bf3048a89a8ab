"""Regenerate the committed example maps in maps/ from the bundled dataset, and the gallery
(maps/gallery/) from the trips in data/gallery/.

    python scripts/make_examples.py

tests/test_examples.py fails when the committed files differ from what this writes.
"""

from __future__ import annotations

import sys
from pathlib import Path

import geo
from geo.formats.export import atomic_write
from geo.render import render_map
from geo.render.embed import embed_files

REPO = Path(__file__).resolve().parent.parent


GALLERY = REPO / "data" / "gallery"


def gallery_trips() -> list[Path]:
    """The gallery's trip files, in name order."""
    return sorted(GALLERY.glob("*.yaml"))


def trip_files(
    trip: geo.Trip, stem: str, langs: tuple[str, ...] = ("en", "ko")
) -> dict[str, bytes]:
    """A trip's map in ``langs`` and its embed folder (with the static fallback.png)."""
    out = {
        f"{stem}{'' if lang == langs[0] else '.' + lang}.html": render_map(trip, lang=lang).encode(
            "utf-8"
        )
        for lang in langs
    }
    for name, data in embed_files(trip, lang="en").items():
        out[f"{stem}/{name}"] = data
    return out


def story_example(trip: geo.Trip, stem: str) -> dict[str, bytes]:
    """The trip's story page folder (geo story)."""
    from geo.render.story import story_files

    return {f"{stem}-story/{name}": data for name, data in story_files(trip).items()}


def examples() -> dict[str, bytes]:
    """Relative path -> bytes of every example."""
    trip = geo.load_trip(geo.bundled_trip())
    # The bundled trip in every language shipped; the gallery in English and Korean (the tests
    # render it in Russian and Japanese).
    out = trip_files(trip, f"maps/{trip.meta.id}", ("en", "ko", "ru", "ja"))
    out.update(story_example(trip, f"maps/{trip.meta.id}"))
    for path in gallery_trips():
        out.update(trip_files(geo.load_trip(path), f"maps/gallery/{path.stem}"))
    return out


def main() -> int:
    for rel, data in examples().items():
        atomic_write(REPO / rel, data)
        print(f"wrote {rel} ({len(data):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
