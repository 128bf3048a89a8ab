"""Derive ``data/gazetteer/country-zones.tsv``: the IANA time zones of each country.

    python scripts/build_timezones.py

From the tz database's ``zone.tab`` (as the ``tzdata`` package ships it, or the system's),
which lists every zone with the ISO 3166 country it belongs to. ``geo`` reads the derived file
to keep a stop's zone in its own country (``geo/timezones.py``). The tz database is in the
public domain.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "data" / "gazetteer" / "country-zones.tsv"


def main() -> None:
    text = (files("tzdata") / "zoneinfo" / "zone.tab").read_text(encoding="utf-8")
    rows = sorted(
        (parts[0], parts[2])
        for line in text.splitlines()
        if line and not line.startswith("#")
        for parts in [line.split("\t")]
    )
    lines = ["country\tzone", *(f"{c}\t{z}" for c, z in rows)]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({len(rows)} zones)")


if __name__ == "__main__":
    main()
