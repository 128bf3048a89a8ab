"""Baseline: the map a user would write by hand with folium.

The bundled trip's stops as markers joined by straight lines, saved to one HTML file. Run as
``python benchmarks/folium_script.py OUT.html``.
"""

from __future__ import annotations

import sys

import folium

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
    points = [[lat, lon] for _, lat, lon in STOPS]
    m = folium.Map(location=[44.0, 97.0], zoom_start=3)
    for number, (name, lat, lon) in enumerate(STOPS, start=1):
        folium.Marker([lat, lon], tooltip=f"{number}. {name}", popup=name).add_to(m)
    folium.PolyLine(points, color="crimson", weight=3).add_to(m)
    m.fit_bounds(points)
    m.save(out)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "folium_map.html")
