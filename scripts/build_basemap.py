#!/usr/bin/env python3
"""Derive the bundled country basemap (``data/basemap/*.geojson``) from Natural Earth.

Usage, from the repository root::

    python scripts/build_basemap.py --source /work/shared/data/natural-earth

``--source`` is the folder holding ``countries-50m.json`` and ``countries-110m.json`` from the
npm package world-atlas 2.0.2 (Natural Earth 4.1.0 Admin 0, TopoJSON); it defaults to
``../shared/data/natural-earth`` next to the repository. ``--out-dir`` defaults to
``data/basemap``. The package never reads the source at run time, only the files written here.

For each scale the script writes one RFC 7946 FeatureCollection, one feature per country, with
the properties ``iso_a2``, ``name_en``, ``name_ko``, ``label_lon`` and ``label_lat``. Geometries
are

* split at the antimeridian: world-atlas is made for spherical rendering with d3-geo, so rings of
  Russia, Fiji and Antarctica jump from +180 to -180 and Antarctica's coast encircles the pole;
  in flat lon/lat such rings would cover the whole globe's width;
* made valid (only polygonal parts kept), snapped to a grid of 3 decimals (50m) or 2 decimals
  (110m) with GEOS ``set_precision``, which drops rings that collapse;
* written with the exterior ring counter-clockwise and holes clockwise (right-hand rule).

Features sharing an alpha-2 code are merged (50m has "Ashmore and Cartier Is." under
Australia's numeric code 036). The output is deterministic: the same source and library versions
give byte-identical files. The script stops with an error if a file would exceed 2 MB.
``scripts/build_names.py`` must be run after this script, because it fills the Korean and
Japanese names (``name_ko``, ``name_ja``) of the capitals in ``capitals.json``, which this
script writes empty.
"""

from __future__ import annotations

import argparse
import gettext
import json
import math
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import geopandas
import numpy as np
import pycountry
import shapely
import shapely.affinity
from shapely.geometry import MultiPolygon, Polygon, box
from shapely.geometry.base import BaseGeometry

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = REPO_ROOT.parent / "shared" / "data" / "natural-earth"
DEFAULT_OUT_DIR = REPO_ROOT / "data" / "basemap"

# Decimal places kept per scale: 0.001 deg is ~100 m, 0.01 deg ~1 km, finer than either scale.
DECIMALS = {"50m": 3, "110m": 2}
# Douglas-Peucker tolerance in degrees, applied before snapping; None keeps every vertex.
# 50m fits under MAX_BYTES unsimplified, so nothing is simplified (see data/basemap/README.md).
SIMPLIFY_TOLERANCE: dict[str, float | None] = {"50m": None, "110m": None}
MAX_BYTES = 2_000_000

# Features without an ISO numeric id in world-atlas. Kosovo has the user-assigned code XK
# (used by the EU, IMF and most map data); the others get "".
FALLBACK_ISO_A2 = {"Kosovo": "XK"}

# pycountry's Korean catalogue translates the formal ISO names ("러시아 연방", "대한민국").
# A Korean newspaper prints the short common name; these override the catalogue.
NAME_KO_OVERRIDES = {
    "AU": "호주",
    "BN": "브루나이",
    "BO": "볼리비아",
    "CD": "콩고민주공화국",
    "CF": "중앙아프리카공화국",
    "DO": "도미니카공화국",
    "FK": "포클랜드 제도",
    "FM": "미크로네시아",
    "IR": "이란",
    "KP": "북한",
    "KR": "한국",
    "LA": "라오스",
    "MD": "몰도바",
    "MF": "생마르탱",
    "NC": "뉴칼레도니아",
    "RU": "러시아",
    "SH": "세인트헬레나",
    "SX": "신트마르턴",
    "SY": "시리아",
    "TF": "프랑스령 남방 및 남극 지역",
    "TW": "대만",
    "TZ": "탄자니아",
    "VA": "바티칸",
    "VE": "베네수엘라",
    "VG": "영국령 버진아일랜드",
    "VI": "미국령 버진아일랜드",
    "XK": "코소보",
    "ZA": "남아프리카공화국",
}
# Korean names of the features that have no ISO code at all, keyed by Natural Earth's name.
NAME_KO_BY_NAME_EN = {
    "Indian Ocean Ter.": "호주령 인도양 지역",
    "N. Cyprus": "북키프로스",
    "Siachen Glacier": "시아첸 빙하",
    "Somaliland": "소말릴란드",
}

# A ring that encircles a pole and never leaves this many degrees of it is what is left of
# Natural Earth's polar cut line (50m Antarctica has one along -89.999), not land.
POLAR_REMNANT_DEG = 0.01

# world-atlas rings wrap around the globe at most once; three copies of the world cover them.
_WORLD_SHIFTS = (-360.0, 0.0, 360.0)
_WORLD = box(-180.0, -90.0, 180.0, 90.0)


def iso_a2_for(numeric: str | None, name_en: str) -> str:
    """ISO 3166-1 alpha-2 code for a world-atlas feature, or the fallback for one without.

    Parameters
    ----------
    numeric : str or None
        The feature's ``id``: an ISO 3166-1 numeric code as a string (``"410"``), or None.
    name_en : str
        Natural Earth's short English name, used for features without a code.

    Returns
    -------
    str
        The alpha-2 code, ``FALLBACK_ISO_A2[name_en]``, or ``""``.
    """
    if numeric:
        country = pycountry.countries.get(numeric=numeric.zfill(3))
        if country is not None:
            return str(country.alpha_2)
    return FALLBACK_ISO_A2.get(name_en, "")


def korean_name(iso_a2: str, name_en: str, catalogue: gettext.NullTranslations) -> str:
    """Short Korean name: override table, then pycountry's catalogue, then ``name_en``.

    Parameters
    ----------
    iso_a2 : str
        Alpha-2 code, possibly ``""``.
    name_en : str
        Natural Earth's short English name.
    catalogue : gettext.NullTranslations
        pycountry's ``iso3166-1`` catalogue for Korean.

    Returns
    -------
    str
        The Korean name, or ``name_en`` when there is no translation.
    """
    if iso_a2 in NAME_KO_OVERRIDES:
        return NAME_KO_OVERRIDES[iso_a2]
    if not iso_a2:
        return NAME_KO_BY_NAME_EN.get(name_en, name_en)
    country = pycountry.countries.get(alpha_2=iso_a2)
    if country is None:
        return name_en
    translated = catalogue.gettext(country.name)
    # gettext returns its argument unchanged when the catalogue has no entry.
    return name_en if translated == country.name else translated


def _unwrapped_ring(coords: np.ndarray) -> np.ndarray | None:
    """A ring with its +-360 jumps removed, closed through the pole if it encircles one.

    Returns None for a polar remnant (see ``POLAR_REMNANT_DEG``).
    """
    lon = np.unwrap(coords[:, 0], period=360.0)
    lat = coords[:, 1]
    turns = round((lon[-1] - lon[0]) / 360.0)
    if turns == 0:
        return np.column_stack([lon, lat])
    pole = -90.0 if lat.mean() < 0 else 90.0
    if np.all(np.abs(lat - pole) < POLAR_REMNANT_DEG):
        return None
    # Close the ring along the meridians of its ends and the pole between them.
    closing = np.array([[lon[-1], pole], [lon[0], pole], [lon[0], lat[0]]])
    return np.vstack([np.column_stack([lon, lat]), closing])


def _fold_into_world(ring: np.ndarray) -> BaseGeometry:
    """The area a ring encloses, cut at the antimeridian and moved into -180..180."""
    area = shapely.make_valid(Polygon(ring))
    pieces = [
        shapely.affinity.translate(area.intersection(box(-180 - s, -90, 180 - s, 90)), xoff=s)
        for s in _WORLD_SHIFTS
    ]
    return polygonal(shapely.union_all(pieces))


def split_antimeridian(geometry: BaseGeometry) -> BaseGeometry:
    """Re-express a world-atlas (spherical) polygon as flat lon/lat polygons within +-180.

    Every ring is unwrapped and folded into the world separately, so a hole need not share its
    shell's longitude frame; the polygon is the folded shell minus the folded holes. The first
    ring of each polygon is its shell, as GDAL reads TopoJSON; winding is not relied on.

    Parameters
    ----------
    geometry : Polygon or MultiPolygon
        A geometry as GDAL reads it from world-atlas.

    Returns
    -------
    BaseGeometry
        The same area in flat lon/lat, possibly not yet valid.
    """
    parts = []
    for polygon in shapely.get_parts(geometry):
        rings = [np.asarray(polygon.exterior.coords)]
        rings += [np.asarray(hole.coords) for hole in polygon.interiors]
        unwrapped = [_unwrapped_ring(ring) for ring in rings]
        if unwrapped[0] is None:
            # The shell is a polar remnant; the land is in the next ring (50m Antarctica).
            unwrapped = unwrapped[1:]
        kept = [_fold_into_world(ring) for ring in unwrapped if ring is not None and len(ring) >= 4]
        if not kept:
            continue
        shell, holes = kept[0], kept[1:]
        parts.append(shell.difference(shapely.union_all(holes)) if holes else shell)
    return shapely.union_all(parts) if parts else Polygon()


def polygonal(geometry: BaseGeometry) -> MultiPolygon:
    """Only the polygons of a geometry (points and lines from ``make_valid`` are dropped)."""
    polygons: list[Polygon] = []
    for part in shapely.get_parts(geometry):
        if isinstance(part, Polygon):
            polygons.append(part)
        elif isinstance(part, MultiPolygon):
            polygons.extend(part.geoms)
        elif part.geom_type == "GeometryCollection":
            polygons.extend(polygonal(part).geoms)
    return MultiPolygon([p for p in polygons if not p.is_empty])


def clean(geometry: BaseGeometry, decimals: int, tolerance: float | None) -> MultiPolygon:
    """Valid, polygonal, snapped to ``10**-decimals`` degrees, right-hand-rule wound.

    Parameters
    ----------
    geometry : BaseGeometry
        Polygonal input, possibly invalid.
    decimals : int
        Decimal places to keep.
    tolerance : float or None
        Douglas-Peucker tolerance in degrees (topology preserving), or None for none.

    Returns
    -------
    MultiPolygon
        Possibly empty when everything collapses.
    """
    result = polygonal(shapely.make_valid(geometry))
    if tolerance is not None:
        result = polygonal(shapely.simplify(result, tolerance, preserve_topology=True))
    # set_precision's default mode returns valid output and drops collapsed rings and polygons.
    result = polygonal(shapely.set_precision(result, 10.0**-decimals))
    result = polygonal(shapely.remove_repeated_points(result))
    # normalize fixes the order of polygons and ring start points, whatever GEOS did above.
    result = shapely.orient_polygons(shapely.normalize(result), exterior_cw=False)
    return polygonal(result)


def label_point(geometry: MultiPolygon) -> tuple[float, float]:
    """``representative_point()`` of the largest polygon, rounded to 2 decimals (lon, lat)."""
    largest = max(geometry.geoms, key=lambda p: (p.area, p.bounds))
    point = largest.representative_point()
    return _round(point.x, 2), _round(point.y, 2)


def _round(value: float, decimals: int) -> float:
    # "+ 0.0" turns -0.0 into 0.0 so it is never written as "-0.0".
    return round(float(value), decimals) + 0.0


def geometry_json(geometry: MultiPolygon, decimals: int) -> dict[str, Any]:
    """GeoJSON geometry: a Polygon when there is one part, else a MultiPolygon."""

    def ring(coords: Iterable[Sequence[float]]) -> list[list[float]]:
        return [[_round(x, decimals), _round(y, decimals)] for x, y in coords]

    polygons = [
        [ring(p.exterior.coords), *(ring(hole.coords) for hole in p.interiors)]
        for p in geometry.geoms
    ]
    if len(polygons) == 1:
        return {"type": "Polygon", "coordinates": polygons[0]}
    return {"type": "MultiPolygon", "coordinates": polygons}


def build_features(source: Path, scale: str) -> list[dict[str, Any]]:
    """The GeoJSON features of one scale, sorted by ``iso_a2`` then ``name_en``.

    Parameters
    ----------
    source : Path
        Folder with ``countries-{scale}.json``.
    scale : str
        ``"50m"`` or ``"110m"``.

    Returns
    -------
    list of dict
        GeoJSON Feature objects.
    """
    decimals = DECIMALS[scale]
    tolerance = SIMPLIFY_TOLERANCE[scale]
    catalogue = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ko"])
    frame = geopandas.read_file(source / f"countries-{scale}.json", layer="countries")

    # Group source features by country: one feature per alpha-2 code, each code-less one alone.
    groups: dict[tuple[str, str], list[tuple[str, BaseGeometry]]] = {}
    for numeric, name_en, geometry in zip(frame["id"], frame["name"], frame.geometry, strict=True):
        code = iso_a2_for(numeric if isinstance(numeric, str) else None, name_en)
        groups.setdefault((code, "" if code else name_en), []).append((name_en, geometry))

    features: list[dict[str, Any]] = []
    for (code, _), members in groups.items():
        pieces = [polygonal(shapely.make_valid(split_antimeridian(g))) for _, g in members]
        # The country is named after its largest member (Australia, not Ashmore and Cartier Is.).
        largest = max(range(len(members)), key=lambda i: (pieces[i].area, members[i][0]))
        name_en = members[largest][0]
        geometry = clean(shapely.union_all(pieces), decimals, tolerance)
        if geometry.is_empty:
            raise ValueError(f"countries-{scale}: {name_en!r} collapses at {decimals} decimals")
        lon, lat = label_point(geometry)
        features.append(
            {
                "type": "Feature",
                # RFC 7946 §5: lets readers skip countries outside a window without parsing them.
                "bbox": [round(float(v), decimals) for v in geometry.bounds],
                "properties": {
                    "iso_a2": code,
                    "name_en": name_en,
                    "name_ko": korean_name(code, name_en, catalogue),
                    "label_lon": lon,
                    "label_lat": lat,
                },
                "geometry": geometry_json(geometry, decimals),
            }
        )
    features.sort(key=lambda f: (f["properties"]["iso_a2"], f["properties"]["name_en"]))
    return features


def render(features: list[dict[str, Any]]) -> str:
    """The FeatureCollection as text: sorted keys, compact, one feature per line for diffs."""

    def dump(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    body = ",\n".join(dump(feature) for feature in features)
    return '{"features":[\n' + body + '\n],"type":"FeatureCollection"}\n'


WATER_KINDS = {"ocean", "sea", "gulf", "bay", "strait", "lake"}
CONTEXT_DECIMALS = 2
INSET_TOLERANCE = 0.6  # degrees: the inset is ~200 px wide for the world, 1 px is ~1.8 deg
INSET_DECIMALS = 1


def _clean_name(name: str) -> str:
    """Natural Earth's name with line breaks and double spaces normalised."""
    return " ".join(name.replace("\r", " ").split())


def _display_name(name: str) -> str:
    """Ocean names are upper case in Natural Earth (``NORTH PACIFIC OCEAN``): title-case those."""
    return name.title() if name.isupper() else name


def _label_point(geometry: BaseGeometry) -> tuple[float, float]:
    from shapely.ops import polylabel

    parts = list(getattr(geometry, "geoms", [geometry]))
    largest = max(parts, key=lambda g: g.area)
    point = polylabel(largest, tolerance=0.05)
    return round(point.x, CONTEXT_DECIMALS), round(point.y, CONTEXT_DECIMALS)


# An ocean's or a large sea's one label point is rarely on a regional map (the Indian Ocean's is
# at 84 E, 26 S: not on a map of Australia), and a smaller body's one point may be taken (the
# Caspian's by a deal symbol or a stop's label). So every body also gets a label point in each
# cell of a grid scaled to it where a circle a sixth of the cell wide fits: cells of a third of
# the body's extent, WATER_CELL degrees at most (an ocean) and WATER_CELL_MIN at least (a lake).
WATER_CELL = 15.0
WATER_CELL_MIN = 2.0
WATER_ROOM = 1 / 6


def _extra_points(geometry: BaseGeometry) -> list[list[float]]:
    west, south, east, north = geometry.bounds
    size = min(WATER_CELL, max(WATER_CELL_MIN, max(east - west, north - south) / 3))
    room = size * WATER_ROOM
    points = []
    for x in np.arange(math.floor(west / size) * size, east, size):
        for y in np.arange(math.floor(south / size) * size, north, size):
            cell = shapely.box(x, y, x + size, y + size)
            part = geometry.intersection(cell)
            if part.is_empty or part.area < room**2 * 3:
                continue
            pieces = [g for g in getattr(part, "geoms", [part]) if g.geom_type == "Polygon"]
            if not pieces:
                continue
            largest = max(pieces, key=lambda g: g.area)
            circle = shapely.maximum_inscribed_circle(largest, tolerance=size / 300)
            if circle.length < room:
                continue
            point = shapely.get_point(circle, 0)
            points.append([round(point.x, CONTEXT_DECIMALS), round(point.y, CONTEXT_DECIMALS)])
    return points


def build_water(source: Path) -> list[dict[str, Any]]:
    """Seas, oceans, gulfs, bays and lakes: names in en/ko/ru/ja, kind, rank, label point, bbox."""
    import csv

    names: dict[str, dict[str, str]] = {}
    with (source / "water-names.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            names[_clean_name(row["name"])] = row
    shapes: dict[str, list[BaseGeometry]] = {}
    meta: dict[str, tuple[str, int, float]] = {}
    for file, default_kind in (
        ("ne_110m_geography_marine_polys.json", "sea"),
        ("ne_110m_lakes.json", "lake"),
    ):
        collection = json.loads((source / file).read_text(encoding="utf-8"))
        for feature in collection["features"]:
            props = feature["properties"]
            name = _clean_name(str(props.get("name") or ""))
            if not name:
                continue
            kind = str(props.get("featurecla") or default_kind).lower()
            kind = "lake" if "lake" in kind or default_kind == "lake" else kind
            if kind not in WATER_KINDS:
                kind = default_kind
            geometry = shapely.make_valid(shapely.geometry.shape(feature["geometry"]))
            shapes.setdefault(name, []).append(geometry)
            rank = int(props.get("scalerank") or 0)
            min_label = float(props.get("min_label") or 0)
            meta[name] = (kind, min(rank, meta.get(name, (kind, rank, 0))[1]), min_label)
    out = []
    for name in sorted(shapes):
        geometry = shapely.unary_union(shapes[name])
        kind, rank, min_label = meta[name]
        lon, lat = _label_point(geometry)
        row = names.get(name, {})
        out.append(
            {
                "name": name,
                "name_en": _display_name(name),
                "name_ko": row.get("name_ko", ""),
                "name_ru": row.get("name_ru", ""),
                "name_ja": row.get("name_ja", ""),
                "kind": kind,
                "rank": rank,
                "min_label": min_label,
                "lon": lon,
                "lat": lat,
                "bbox": [round(float(v), CONTEXT_DECIMALS) for v in geometry.bounds],
                "points": _extra_points(geometry),
            }
        )
    return out


def build_capitals(source: Path) -> list[dict[str, Any]]:
    """National capitals (``adm0cap`` = 1) with names in en/ru; ko/ja empty (not in this source)."""
    import csv

    out = []
    with (source / "ne_10m_populated_places.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["adm0cap"].strip() not in {"1", "1.0"}:
                continue
            out.append(
                {
                    "name": row["name"],
                    "name_en": row["name_en"] or row["name"],
                    "name_ru": row["name_ru"],
                    "name_ko": "",
                    "name_ja": "",
                    "iso_a2": row["iso_a2"] if row["iso_a2"] != "-99" else "",
                    "rank": int(float(row["scalerank"] or 0)),
                    "pop_max": int(float(row["pop_max"] or 0)),
                    "lon": round(float(row["longitude"]), CONTEXT_DECIMALS),
                    "lat": round(float(row["latitude"]), CONTEXT_DECIMALS),
                }
            )
    out.sort(key=lambda c: (c["iso_a2"], c["name_en"], c["lon"]))
    return out


def build_inset(countries_110m: Path) -> dict[str, Any]:
    """The world's land at 1:110m, dissolved and simplified, for an inset locator."""
    collection = json.loads(countries_110m.read_text(encoding="utf-8"))
    parts = [shapely.geometry.shape(f["geometry"]) for f in collection["features"]]
    land = shapely.unary_union(parts).simplify(INSET_TOLERANCE, preserve_topology=True)
    land = shapely.set_precision(land, 10**-INSET_DECIMALS)
    parts = list(getattr(land, "geoms", [land]))
    polygons = [p for p in parts if isinstance(p, Polygon) and p.area >= 2.0]
    polygons.sort(key=lambda p: (p.bounds, p.area))
    geometry = MultiPolygon([shapely.geometry.polygon.orient(p, 1.0) for p in polygons])
    return {
        "type": "Feature",
        "properties": {"name": "land", "tolerance_deg": INSET_TOLERANCE},
        "geometry": geometry_json(geometry, INSET_DECIMALS),
    }


def write_context(source: Path, out_dir: Path) -> list[Path]:
    """Write water.json, capitals.json and inset-110m.geojson; return the paths written."""

    def dump(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    written = []
    for file, rows in (
        ("water.json", build_water(source)),
        ("capitals.json", build_capitals(source)),
    ):
        target = out_dir / file
        target.write_text("[\n" + ",\n".join(dump(r) for r in rows) + "\n]\n", encoding="utf-8")
        written.append(target)
    target = out_dir / "inset-110m.geojson"
    inset = build_inset(out_dir / "countries-110m.geojson")
    target.write_text(dump(inset) + "\n", encoding="utf-8")
    written.append(target)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the exit code."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument(
        "--source",
        type=Path,
        default=DEFAULT_SOURCE,
        help="folder with world-atlas countries-50m.json and countries-110m.json "
        "(default: ../shared/data/natural-earth beside the repository)",
    )
    parser.add_argument(
        "--out-dir",
        type=Path,
        default=DEFAULT_OUT_DIR,
        help="where to write countries-{50m,110m}.geojson (default: data/basemap)",
    )
    args = parser.parse_args(argv)

    missing = [
        f"countries-{s}.json"
        for s in DECIMALS
        if not (args.source / f"countries-{s}.json").is_file()
    ]
    if missing:
        parser.error(f"{args.source}: missing {', '.join(missing)}; pass --source FOLDER")

    args.out_dir.mkdir(parents=True, exist_ok=True)
    for scale in DECIMALS:
        data = render(build_features(args.source, scale)).encode("utf-8")
        target = args.out_dir / f"countries-{scale}.geojson"
        if len(data) > MAX_BYTES:
            print(
                f"{target}: {len(data)} bytes is over {MAX_BYTES}; raise SIMPLIFY_TOLERANCE",
                file=sys.stderr,
            )
            return 1
        target.write_bytes(data)
        print(f"wrote {target} ({len(data)} bytes)")
    for target in write_context(args.source, args.out_dir):
        print(f"wrote {target} ({target.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
