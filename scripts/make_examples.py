"""Regenerate the committed example maps in maps/ from the bundled dataset.

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


def examples() -> dict[str, bytes]:
    """Relative path -> bytes of every example."""
    trip = geo.load_trip(geo.bundled_trip())
    out = {
        f"maps/{trip.meta.id}.html": render_map(trip, lang="en").encode("utf-8"),
        f"maps/{trip.meta.id}.ko.html": render_map(trip, lang="ko").encode("utf-8"),
    }
    for name, data in embed_files(trip, lang="en").items():
        out[f"maps/{trip.meta.id}/{name}"] = data
    return out


def main() -> int:
    for rel, data in examples().items():
        atomic_write(REPO / rel, data)
        print(f"wrote {rel} ({len(data):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
