"""Baseline: the map a user would write with geopandas' ``GeoDataFrame.explore()``.

The bundled trip's stops and the straight lines between them as two GeoDataFrames, drawn with
``explore()`` and saved to one HTML file. Run as ``python benchmarks/explore_script.py OUT.html``.
"""

from __future__ import annotations

import sys

import geopandas as gpd
from shapely.geometry import LineString, Point

# The bundled trip's stops (label, lat, lon), copied from
# geo.load_trip(geo.bundled_trip()).stops; benchmarks/run.py checks that they still match.
STOPS = [
    ("Seongnam", 37.43861, 127.13778),
    ("Ashgabat", 37.95, 58.38333),
    ("Astana", 51.1801, 71.44598),
    ("Tashkent", 41.26465, 69.21627),
    ("Samarkand", 39.65456, 66.96445),
    ("Seongnam", 37.43861, 127.13778),
]


def main(out: str) -> None:
    names = [name for name, _, _ in STOPS]
    points = [(lon, lat) for _, lat, lon in STOPS]
    stops = gpd.GeoDataFrame(
        {"stop": range(1, len(STOPS) + 1), "name": names},
        geometry=[Point(p) for p in points],
        crs="EPSG:4326",
    )
    legs = gpd.GeoDataFrame(
        {"leg": range(1, len(STOPS)), "to": names[1:]},
        geometry=[LineString(pair) for pair in zip(points[:-1], points[1:], strict=True)],
        crs="EPSG:4326",
    )
    m = legs.explore(color="crimson", style_kwds={"weight": 3})
    stops.explore(m=m, marker_type="marker", tooltip=["stop", "name"], popup=True)
    m.save(out)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "explore_map.html")
