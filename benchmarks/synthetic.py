"""Synthetic trips and route sets for the scale series, as CSV folders (docs/trip-format.md).

Deterministic: the same kind, size and seed give byte-identical files.

``trip``
    ``n`` legs: ``n + 1`` stops with lat/lon, a random walk from Seongnam with hops of a few
    hundred kilometres (log-normal, median 600 km, 30 to 9,000 km), latitudes folded into
    [-70, 70] and longitudes wrapped, so some legs cross the antimeridian. No dates.
``routes``
    ``n`` trade routes, each two lat/lon waypoints drawn uniformly (lat in [-60, 70]), so most are
    intercontinental; the trip itself has two stops.

``flows``
    a flow table (docs/flows.md) of ``n`` rows, ``FOLDER/flows.csv``: origin and destination
    drawn from 40 container ports (as place names with their countries, resolved by the
    gazetteer), half by sea and half by air, with goods, a value in USD and a date. Real trade
    tables repeat their origin-destination pairs the same way: 40 ports give at most 3,120
    distinct flows.

Run as ``python benchmarks/synthetic.py trip|routes|flows N FOLDER [--seed S]``.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

import numpy as np

KINDS = ("trip", "routes", "flows")
SEED = 20240610
KM_PER_DEGREE = 111.2


def _fold(lat: np.ndarray, limit: float = 70.0) -> np.ndarray:
    """Latitudes reflected back into [-limit, limit], like a walk bouncing off two walls."""
    return limit - np.abs((lat + limit) % (4 * limit) - 2 * limit)


def random_walk(n: int, seed: int = SEED) -> tuple[np.ndarray, np.ndarray]:
    """Longitudes and latitudes of ``n + 1`` stops."""
    rng = np.random.default_rng(seed)
    km = np.clip(rng.lognormal(np.log(600.0), 0.8, n), 30.0, 9000.0)
    bearing = rng.uniform(0.0, 2 * np.pi, n)
    lat = _fold(37.4386 + np.r_[0.0, np.cumsum(km * np.cos(bearing) / KM_PER_DEGREE)])
    dlon = km * np.sin(bearing) / (KM_PER_DEGREE * np.cos(np.radians(lat[:-1])))
    lon = (127.1378 + np.r_[0.0, np.cumsum(dlon)] + 180.0) % 360.0 - 180.0
    return lon, lat


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def write_trip(folder: Path, n: int, seed: int = SEED) -> Path:
    """A CSV folder whose itinerary has ``n`` legs."""
    folder.mkdir(parents=True, exist_ok=True)
    lon, lat = random_walk(n, seed)
    modes = np.random.default_rng(seed + 1).choice(["air", "rail", "road", "sea"], n + 1)
    _write(folder / "trip.csv", ["id", "title", "lang"], [[f"trip-{n}", f"{n:,} legs", "en"]])
    _write(
        folder / "stops.csv",
        ["lat", "lon", "label", "mode"],
        [
            [f"{y:.5f}", f"{x:.5f}", f"Stop {i + 1}", m]
            for i, (x, y, m) in enumerate(zip(lon, lat, modes, strict=True))
        ],
    )
    return folder


def write_routes(folder: Path, n: int, seed: int = SEED) -> Path:
    """A CSV folder with ``n`` two-waypoint routes (and a two-stop itinerary)."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    lon = rng.uniform(-180.0, 180.0, (n, 2))
    lat = rng.uniform(-60.0, 70.0, (n, 2))
    modes = rng.choice(["rail", "road", "sea", "pipeline", "air"], n)
    _write(folder / "trip.csv", ["id", "title", "lang"], [[f"routes-{n}", f"{n:,} routes", "en"]])
    _write(
        folder / "stops.csv",
        ["lat", "lon", "label"],
        [["37.43861", "127.13778", "Seongnam"], ["41.26465", "69.21627", "Tashkent"]],
    )
    _write(
        folder / "routes.csv",
        ["name", "waypoints", "mode"],
        [
            [
                f"Route {i + 1}",
                f"{lat[i, 0]:.5f},{lon[i, 0]:.5f}; {lat[i, 1]:.5f},{lon[i, 1]:.5f}",
                modes[i],
            ]
            for i in range(n)
        ],
    )
    return folder


PORTS = (
    ("Busan", "KR"), ("Shanghai", "CN"), ("Singapore", "SG"), ("Rotterdam", "NL"),
    ("Hamburg", "DE"), ("Antwerp", "BE"), ("Los Angeles", "US"), ("Houston", "US"),
    ("Santos", "BR"), ("Durban", "ZA"), ("Mumbai", "IN"), ("Dubai", "AE"), ("Jeddah", "SA"),
    ("Yokohama", "JP"), ("Kaohsiung", "TW"), ("Hong Kong", "HK"), ("Sydney", "AU"),
    ("Vancouver", "CA"), ("Valparaíso", "CL"), ("Callao", "PE"), ("Lagos", "NG"),
    ("Mombasa", "KE"), ("Piraeus", "GR"), ("Genoa", "IT"), ("Barcelona", "ES"),
    ("Le Havre", "FR"), ("Felixstowe", "GB"), ("Colombo", "LK"), ("Chittagong", "BD"),
    ("Karachi", "PK"), ("Ho Chi Minh City", "VN"), ("Manila", "PH"), ("Jakarta", "ID"),
    ("Klang", "MY"), ("Tianjin", "CN"), ("Qingdao", "CN"), ("Ningbo", "CN"), ("Incheon", "KR"),
    ("Ulsan", "KR"), ("Seattle", "US"),
)  # fmt: skip
GOODS = ("cars", "semiconductors", "crude oil", "steel", "textiles", "machinery")


def write_flows(folder: Path, n: int, seed: int = SEED) -> Path:
    """A flow table of ``n`` rows, ``folder/flows.csv``, written in chunks (bounded memory)."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    path = folder / "flows.csv"
    header = [
        "origin", "origin_country", "destination", "destination_country", "mode", "goods",
        "value_amount", "value_currency", "date",
    ]  # fmt: skip
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        for start in range(0, n, 100_000):
            k = min(100_000, n - start)
            a = rng.integers(0, len(PORTS), k)
            b = (a + rng.integers(1, len(PORTS), k)) % len(PORTS)
            sea = rng.random(k) < 0.5
            goods = rng.integers(0, len(GOODS), k)
            value = np.round(rng.lognormal(12.0, 2.0, k))
            day = rng.integers(1, 29, k)
            writer.writerows(
                [
                    *PORTS[a[i]],
                    *PORTS[b[i]],
                    "sea" if sea[i] else "air",
                    GOODS[goods[i]],
                    f"{value[i]:.0f}",
                    "USD",
                    f"2024-06-{day[i]:02d}",
                ]  # fmt: skip
                for i in range(k)
            )
    return path


def write(kind: str, folder: Path, n: int, seed: int = SEED) -> Path:
    """A synthetic trip or table (``kind`` in :data:`KINDS`) of size ``n`` in ``folder``."""
    if kind == "flows":
        return write_flows(folder, n, seed)
    return (write_trip if kind == "trip" else write_routes)(folder, n, seed)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=KINDS)
    parser.add_argument("n", type=int)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    print(write(args.kind, args.folder, args.n, args.seed))
