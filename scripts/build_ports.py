#!/usr/bin/env python3
"""Derive ``data/gazetteer/main-ports.tsv``: each country's main sea port, from Natural Earth.

Usage, from the repository root::

    python scripts/build_ports.py --source /work/shared/data/natural-earth

A trade-statistics flow that names a country alone (partner ``KOR``) with mode ``sea`` starts or
ends at that country's main port, not at its capital; :func:`geo.ports.main_port` reads the table
written here. The package never reads the source at run time.

Sources, both public domain (Natural Earth, https://www.naturalearthdata.com/about/terms-of-use/):

* ``ne_10m_ports.json``: Natural Earth 1:10m ports (1,081 points with ``name``, ``scalerank``
  (3 is the most important, 8 the least) and ``natlscale``; no country field), as GeoJSON from
  the CC0 repository martynafford/natural-earth-geojson;
* ``countries-50m.json``: Natural Earth 4.1.0 Admin 0 countries from world-atlas 2.0.2
  (TopoJSON, feature ``id`` = ISO 3166-1 numeric), mapped to alpha-2 codes by
  ``build_basemap.iso_a2_for`` and split at the antimeridian as that script does.

The derivation:

1. **Country of a port**: the country polygon that contains it. A port outside every polygon
   (moles and breakwaters lie just off the 1:50m coast) belongs to the nearest country within
   ``OFFSHORE_KM`` (25 km), measured in an azimuthal equidistant projection centred on the port
   (WGS84), where distance from the centre is geodesic. Ports farther out (islands too small
   for 1:50m: Helgoland, Lampedusa) and ports in a feature without an ISO code (Berbera in
   Somaliland) belong to no country and are not used.
2. **Usable**: a port within ``routing.SNAP_LIMIT_KM`` (250 km) of the searoute maritime network
   (:func:`geo.routing.snap_km`), beyond which ``geo`` refuses to start a sea lane. The network
   (searoute 1.6) reaches the Great Lakes and, through the Volga-Don canal, the Caspian Sea.
3. **Main port** of a country with usable ports of its own (basis ``own``): the lowest
   ``scalerank``, then the highest ``natlscale`` (in this release a function of ``scalerank``,
   so it never decides), then, among ports within ``NETWORK_KM`` (50 km) of the network, the
   largest city within ``CITY_KM`` (30 km; GeoNames, the gazetteer's cities), since a country's
   main port is mostly the one of its great port city (New York before Boston, Sydney before
   Perth), then the shortest distance to the network (0.1 km steps, so a port 60 km up a river
   loses to one on the network), then the name and position, so that the choice is
   deterministic.
4. **Foreign port** (basis ``foreign``) for a country with no usable port of its own
   (landlocked, or with no Natural Earth port: the layer has none for Azerbaijan or Syria):
   the usable port of another country nearest (geodesic) to its capital
   (:func:`geo.gazetteer.capital`), or to the country's representative point where the
   gazetteer has no capital, among the major ports (``scalerank`` at most ``FOREIGN_MAX_RANK``,
   5: 293 ports), so that Kazakhstan trades through Saint Petersburg, not the Arctic harbour of
   Amderma, and Macao through Hong Kong; ties go by the ranking of rule 3.

The ranks are Natural Earth's cartographic importance, not tonnage: Amsterdam is rank 3 and
Rotterdam 5, Germany's rank-3 ports are Bremerhaven and Rostock (the network distance picks
Bremerhaven), and big ports missing from the layer (Busan, Incheon) cannot be chosen. A trip or
flow table can correct a choice with its own port table (:func:`geo.ports.read_port_table`).

Every alpha-2 country of the countries file has a row, except Antarctica (``AQ``). Names are
kept as Natural Earth writes them (``Tuborg``, ``Marghera``). The output is UTF-8, tab-separated,
one row a country sorted by code, with the header ``country port lat lon scalerank basis`` and
coordinates to 5 decimals (about 1 m); the same source and library versions give byte-identical
files.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

import geopandas
import numpy as np
import pyproj
import shapely

# scripts/ is on sys.path when this file runs as a script.
from build_basemap import iso_a2_for, polygonal, split_antimeridian
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from geo import gazetteer, routing

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = REPO_ROOT.parent / "shared" / "data" / "natural-earth"
DEFAULT_OUT = REPO_ROOT / "data" / "gazetteer" / "main-ports.tsv"

OFFSHORE_KM = 25.0
USABLE_KM = routing.SNAP_LIMIT_KM
# Landlocked trade goes through a major port, not the nearest fishing harbour.
FOREIGN_MAX_RANK = 5
NETWORK_KM = 50.0
CITY_KM = 30.0
SKIPPED = {"AQ"}
HEADER = ("country", "port", "lat", "lon", "scalerank", "basis")
_GEOD = pyproj.Geod(ellps="WGS84")


class SourcePort(NamedTuple):
    """A Natural Earth port with its country and its distance to the maritime network."""

    name: str
    lon: float
    lat: float
    scalerank: int
    natlscale: float
    country: str
    snap_km: float
    city_pop: int = 0  # population of the largest gazetteer city within CITY_KM


class Country(NamedTuple):
    """A country of the countries file: alpha-2 code (``""`` for none) and land."""

    code: str
    geometry: BaseGeometry


def read_countries(source: Path) -> list[Country]:
    """The countries of ``countries-50m.json``, one per alpha-2 code, code-less ones alone.

    Parameters
    ----------
    source : Path
        Folder with ``countries-50m.json``.

    Returns
    -------
    list of Country
        Sorted by code; the code-less features (``""``) first, in file order.
    """
    frame = geopandas.read_file(source / "countries-50m.json", layer="countries")
    groups: dict[tuple[str, str], list[BaseGeometry]] = {}
    for numeric, name_en, geometry in zip(frame["id"], frame["name"], frame.geometry, strict=True):
        code = iso_a2_for(numeric if isinstance(numeric, str) else None, name_en)
        land = polygonal(shapely.make_valid(split_antimeridian(geometry)))
        groups.setdefault((code, "" if code else name_en), []).append(land)
    return [Country(code, shapely.union_all(parts)) for (code, _), parts in sorted(groups.items())]


def _window(lon: float, lat: float) -> list[BaseGeometry]:
    """Boxes around a point reaching at least 50 km, repeated across the antimeridian."""
    half_lat = 0.5
    half_lon = min(180.0, half_lat / max(math.cos(math.radians(lat)), 0.01))
    return [
        shapely.box(lon - half_lon + shift, lat - half_lat, lon + half_lon + shift, lat + half_lat)
        for shift in (-360.0, 0.0, 360.0)
    ]


def offshore_km(lon: float, lat: float, land: BaseGeometry) -> float:
    """Geodesic distance (km) from a point to the nearest land within ~50 km, else infinity."""
    near = shapely.union_all([land.intersection(b) for b in _window(lon, lat)])
    if near.is_empty:
        return math.inf
    aeqd = pyproj.Transformer.from_crs(
        "EPSG:4326", f"+proj=aeqd +lat_0={lat} +lon_0={lon} +ellps=WGS84", always_xy=True
    )

    def project(xy: np.ndarray) -> np.ndarray:
        return np.column_stack(aeqd.transform(xy[:, 0], xy[:, 1]))

    return float(shapely.distance(shapely.transform(near, project), Point(0.0, 0.0))) / 1000.0


def country_of(lon: float, lat: float, countries: Sequence[Country], tree: shapely.STRtree) -> str:
    """The code of the country a port lies in or just off (rule 1), or ``""``."""
    point = Point(lon, lat)
    inside = sorted(int(i) for i in tree.query(point, predicate="intersects"))
    if inside:
        return countries[inside[0]].code
    candidates = {int(i) for b in _window(lon, lat) for i in tree.query(b)}
    distances = sorted(
        (offshore_km(lon, lat, countries[i].geometry), countries[i].code) for i in candidates
    )
    if distances and distances[0][0] <= OFFSHORE_KM:
        return distances[0][1]
    return ""


def read_ports(source: Path, countries: Sequence[Country]) -> list[SourcePort]:
    """Every port of ``ne_10m_ports.json`` with its country and distance to the network."""
    features = json.loads((source / "ne_10m_ports.json").read_text(encoding="utf-8"))["features"]
    coords = np.array([f["geometry"]["coordinates"] for f in features], dtype=np.float64)
    snapped = routing.snap_km(coords[:, 0], coords[:, 1])
    populations = city_populations(coords[:, 0], coords[:, 1])
    tree = shapely.STRtree([c.geometry for c in countries])
    return [
        SourcePort(
            name=str(f["properties"]["name"]).strip(),
            lon=float(lon),
            lat=float(lat),
            scalerank=int(f["properties"]["scalerank"]),
            natlscale=float(f["properties"]["natlscale"]),
            country=country_of(float(lon), float(lat), countries, tree),
            snap_km=round(float(km), 1),
            city_pop=int(pop),
        )
        for f, (lon, lat), km, pop in zip(features, coords, snapped, populations, strict=True)
    ]


def rank_key(port: SourcePort) -> tuple[int, float, int, float, str, float, float]:
    """Rule 3: lower is more main."""
    near = port.snap_km <= NETWORK_KM
    return (port.scalerank, -port.natlscale, -port.city_pop if near else 0, port.snap_km,
            port.name, port.lon, port.lat)  # fmt: skip


def city_populations(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """For each point, the population of the largest gazetteer city within ``CITY_KM``
    (WGS84 geodesics, :func:`geo.geodesy.inverse`, for the cities within a degree of it)."""
    from geo import geodesy

    cities = gazetteer._cities()
    clat = np.array([c.lat for c in cities])
    clon = np.array([c.lon for c in cities])
    pop = np.array([c.population for c in cities], dtype=np.int64)
    out = np.zeros(len(lon), dtype=np.int64)
    for i, (x, y) in enumerate(zip(lon, lat, strict=True)):
        # 30 km is under 0.3 degrees of latitude; a degree of longitude is enough below 70°.
        dlon = np.abs((clon - x + 180.0) % 360.0 - 180.0)
        box = np.flatnonzero(
            (np.abs(clat - y) <= 1.0) & (dlon <= 1.0 / max(0.05, math.cos(math.radians(y))))
        )
        if not len(box):
            continue
        _, metres = geodesy.inverse(
            np.full(len(box), x), np.full(len(box), y), clon[box], clat[box]
        )
        near = box[metres / 1000.0 <= CITY_KM]
        out[i] = int(pop[near].max()) if len(near) else 0
    return out


def anchor(country: Country) -> tuple[float, float]:
    """Where a landlocked country's trade is measured from: its capital (lon, lat), or the
    representative point of its land."""
    place = gazetteer.capital(country.code)
    if place is not None:
        return place.lon, place.lat
    point = country.geometry.representative_point()
    return point.x, point.y


def foreign_port(country: Country, ports: Sequence[SourcePort]) -> SourcePort:
    """Rule 4: another country's major usable port nearest to this country's anchor."""
    candidates = [
        p for p in ports if p.country not in {"", country.code} and p.scalerank <= FOREIGN_MAX_RANK
    ]
    lon, lat = anchor(country)
    n = len(candidates)
    _, _, metres = _GEOD.inv(
        [lon] * n, [lat] * n, [p.lon for p in candidates], [p.lat for p in candidates]
    )
    return min(
        zip(candidates, metres, strict=True),
        key=lambda pair: (round(float(pair[1]) / 1000.0, 1), rank_key(pair[0])),
    )[0]


def main_ports(
    countries: Sequence[Country], ports: Sequence[SourcePort]
) -> list[tuple[str, SourcePort, str]]:
    """One (code, port, basis) per alpha-2 country, sorted by code."""
    usable = [p for p in ports if p.country and p.snap_km <= USABLE_KM]
    own: dict[str, list[SourcePort]] = {}
    for port in usable:
        own.setdefault(port.country, []).append(port)
    rows = []
    for country in countries:
        if not country.code or country.code in SKIPPED:
            continue
        if country.code in own:
            rows.append((country.code, min(own[country.code], key=rank_key), "own"))
        else:
            rows.append((country.code, foreign_port(country, usable), "foreign"))
    return sorted(rows, key=lambda row: row[0])


def _coordinate(value: float) -> str:
    # "+ 0.0" turns -0.0 into 0.0 so it is never written as "-0.00000".
    return f"{round(value, 5) + 0.0:.5f}"


def render(rows: Sequence[tuple[str, SourcePort, str]]) -> str:
    """The table as TSV text, header first."""
    lines = ["\t".join(HEADER)]
    for code, port, basis in rows:
        if any(c in port.name for c in "\t\r\n"):
            raise ValueError(f"{port.name!r}: a port name with a tab or line break")
        cells = (code, port.name, _coordinate(port.lat), _coordinate(port.lon))
        lines.append("\t".join((*cells, str(port.scalerank), basis)))
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the exit code."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument(
        "--source",
        type=Path,
        default=DEFAULT_SOURCE,
        help="folder with ne_10m_ports.json and countries-50m.json "
        "(default: ../shared/data/natural-earth beside the repository)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        help="the TSV file to write (default: data/gazetteer/main-ports.tsv)",
    )
    args = parser.parse_args(argv)
    needed = ("ne_10m_ports.json", "countries-50m.json")
    missing = [name for name in needed if not (args.source / name).is_file()]
    if missing:
        parser.error(f"{args.source}: missing {', '.join(missing)}; pass --source FOLDER")

    countries = read_countries(args.source)
    rows = main_ports(countries, read_ports(args.source, countries))
    data = render(rows).encode("utf-8")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(data)
    foreign = sum(1 for _, _, basis in rows if basis == "foreign")
    print(f"wrote {args.out} ({len(rows)} countries, {foreign} foreign, {len(data)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
