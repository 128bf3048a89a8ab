"""Regenerate the committed example maps in maps/ from the bundled dataset, the gallery
(maps/gallery/) from the trips in data/gallery/, and a trade map (maps/trade/) of a
Comtrade-layout table.

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


def trade_example(rows: int = 5_000) -> dict[str, bytes]:
    """The trade map of a Comtrade-layout table (benchmarks/comtrade.py: real column names,
    synthetic values), in English and Korean."""
    import tempfile

    from geo.i18n import locale
    from geo.layouts import layout
    from geo.trademap import render_trade_map, trade_data

    sys.path.insert(0, str(REPO / "benchmarks"))
    from comtrade import write_comtrade

    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        table = write_comtrade(Path(tmp) / "comtrade.csv", rows)
        for lang in ("en", "ko"):
            loc = locale(lang)
            found = trade_data(table, loc, layout(preset="comtrade", skip_aggregates=True))
            title = f"{loc.t('trade_title')}: comtrade-{rows}"
            page = render_trade_map(found, title, loc).encode("utf-8")
            out[f"maps/trade/comtrade-{rows}{'' if lang == 'en' else '.' + lang}.html"] = page
    return out


def examples() -> dict[str, bytes]:
    """Relative path -> bytes of every example."""
    trip = geo.load_trip(geo.bundled_trip())
    # The bundled trip in every language shipped; the gallery in English and Korean (the tests
    # render it in Russian and Japanese).
    out = trip_files(trip, f"maps/{trip.meta.id}", ("en", "ko", "ru", "ja"))
    out.update(story_example(trip, f"maps/{trip.meta.id}"))
    for path in gallery_trips():
        out.update(trip_files(geo.load_trip(path), f"maps/gallery/{path.stem}"))
    out.update(trade_example())
    return out


def main() -> int:
    for rel, data in examples().items():
        atomic_write(REPO / rel, data)
        print(f"wrote {rel} ({len(data):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
