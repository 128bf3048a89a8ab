"""The bundled country basemap (data/basemap) and geo.basemap, its reader."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import shapely

from geo.basemap import COLUMNS, countries, country_name, country_point

REPO_ROOT = Path(__file__).resolve().parent.parent
BASEMAP_DIR = REPO_ROOT / "data" / "basemap"
SCRIPT = REPO_ROOT / "scripts" / "build_basemap.py"
# CI checks the repository out with ../shared beside it; a user's clone has no source.
SOURCE = REPO_ROOT.parent / "shared" / "data" / "natural-earth"
needs_source = pytest.mark.skipif(
    not (SOURCE / "countries-50m.json").is_file(),
    reason=f"Natural Earth source not found at {SOURCE} (../shared beside the repository)",
)

# scale -> (decimal places in the file, feature count)
SCALES = {"50m": (3, 240), "110m": (2, 177)}
FILES = [f"countries-{scale}.geojson" for scale in SCALES]


def _raw(scale: str) -> dict[str, Any]:
    text = (BASEMAP_DIR / f"countries-{scale}.geojson").read_text(encoding="utf-8")
    return json.loads(text, parse_float=Decimal)


def _decimals(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int), f"{value} is not a finite number"
    return max(0, -exponent)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("scale", list(SCALES))
def test_loads_in_lon_lat_with_the_documented_columns(scale: str) -> None:
    frame = countries(scale)
    assert frame.crs.to_epsg() == 4326
    assert tuple(frame.columns) == COLUMNS
    assert len(frame) == SCALES[scale][1]
    assert frame["iso_a2"].str.fullmatch(r"[A-Z]{2}|").all()
    named = frame[frame["iso_a2"] != ""]
    assert named["iso_a2"].is_unique
    keys = list(zip(frame["iso_a2"], frame["name_en"], strict=True))
    assert keys == sorted(keys)


def test_countries_returns_a_copy() -> None:
    first = countries("110m")
    first.loc[first.index[0], "name_en"] = "changed"
    assert countries("110m").loc[first.index[0], "name_en"] != "changed"


@pytest.mark.parametrize("scale", list(SCALES))
@pytest.mark.parametrize(
    ("iso_a2", "name_en", "name_ko"),
    [
        ("KR", "South Korea", "한국"),
        ("KP", "North Korea", "북한"),
        ("KZ", "Kazakhstan", "카자흐스탄"),
        ("UZ", "Uzbekistan", "우즈베키스탄"),
        ("TM", "Turkmenistan", "투르크메니스탄"),
        ("CN", "China", "중국"),
        ("RU", "Russia", "러시아"),
        ("US", "United States of America", "미국"),
        ("FJ", "Fiji", "피지"),
        ("XK", "Kosovo", "코소보"),
    ],
)
def test_country_present_with_names(scale: str, iso_a2: str, name_en: str, name_ko: str) -> None:
    frame = countries(scale)
    rows = frame[frame["iso_a2"] == iso_a2]
    assert len(rows) == 1
    assert rows.iloc[0]["name_en"] == name_en
    assert rows.iloc[0]["name_ko"] == name_ko


@pytest.mark.parametrize("scale", list(SCALES))
def test_geometries_valid_polygonal_and_right_hand_wound(scale: str) -> None:
    geometries = countries(scale).geometry.array
    assert shapely.is_valid(geometries).all()
    assert not shapely.is_empty(geometries).any()
    assert set(shapely.get_type_id(geometries)) <= {3, 6}  # Polygon, MultiPolygon
    polygons = shapely.get_parts(geometries)
    assert shapely.is_ccw(shapely.get_exterior_ring(polygons)).all()
    holes = [h for p in polygons for h in p.interiors]
    assert holes, "some countries have holes (Lesotho in South Africa)"
    assert not shapely.is_ccw(holes).any()


@pytest.mark.parametrize("scale", list(SCALES))
def test_within_the_world_and_split_at_the_antimeridian(scale: str) -> None:
    frame = countries(scale)
    minx, miny, maxx, maxy = frame.total_bounds
    assert (minx, maxx) == (-180, 180)
    assert miny >= -90 and maxy <= 90
    # world-atlas rings of Russia and Fiji jump across +-180; once split no part is that wide.
    # Only Antarctica, reaching the pole, spans the whole width.
    parts = shapely.get_parts(frame[frame["iso_a2"] != "AQ"].geometry.array)
    bounds = shapely.bounds(parts)
    assert (bounds[:, 2] - bounds[:, 0]).max() < 180


@pytest.mark.parametrize("scale", list(SCALES))
def test_coordinates_have_at_most_the_stated_decimals(scale: str) -> None:
    decimals = SCALES[scale][0]
    worst = 0
    for feature in _raw(scale)["features"]:
        coords: Any = feature["geometry"]["coordinates"]
        while isinstance(coords[0][0], list):
            coords = [point for part in coords for point in part]
        for point in coords:
            for value in point:
                worst = max(worst, _decimals(value))
        for key in ("label_lon", "label_lat"):
            assert _decimals(feature["properties"][key]) <= 2
    assert worst <= decimals


@pytest.mark.parametrize("scale", list(SCALES))
def test_properties_are_exactly_the_documented_ones(scale: str) -> None:
    expected = {"iso_a2", "name_en", "name_ko", "label_lon", "label_lat"}
    for feature in _raw(scale)["features"]:
        assert set(feature["properties"]) == expected


@pytest.mark.parametrize("name", FILES)
def test_file_is_compact_utf8_under_2_mb(name: str) -> None:
    data = (BASEMAP_DIR / name).read_bytes()
    assert len(data) < 2_000_000
    assert data.endswith(b"}\n")
    assert "한국".encode() in data  # ensure_ascii=False: no \uXXXX escapes


@pytest.mark.parametrize(
    ("iso_a2", "lang", "expected"),
    [
        ("KR", "ko", "한국"),
        ("KR", "en", "South Korea"),
        ("kr", "ko", "한국"),
        ("RU", "ko", "러시아"),
        ("TM", "ko", "투르크메니스탄"),
        ("UZ", "en", "Uzbekistan"),
        ("AU", "en", "Australia"),
        # Languages without a basemap column take CLDR's names (Babel), by tag then language.
        ("KZ", "ru", "Казахстан"),
        ("KZ", "ja", "カザフスタン"),
        ("UZ", "ru-RU", "Узбекистан"),
        ("KR", "ko-KR", "한국"),
        ("DE", "fr", "Allemagne"),
        # A tag CLDR does not know falls back to English, never to an error.
        ("KR", "tlh", "South Korea"),
    ],
)
def test_country_name(iso_a2: str, lang: str, expected: str) -> None:
    assert country_name(iso_a2, lang) == expected


@pytest.mark.parametrize(
    ("iso_a2", "inside"),
    [
        ("KR", (126.0, 33.0, 130.0, 39.0)),
        ("KZ", (46.0, 40.0, 88.0, 56.0)),
        ("UZ", (56.0, 37.0, 74.0, 46.0)),
        ("RU", (27.0, 41.0, 180.0, 82.0)),
        ("FJ", (176.0, -21.0, 180.0, -12.0)),
    ],
)
def test_country_point_is_lon_lat_inside_the_country(
    iso_a2: str, inside: tuple[float, float, float, float]
) -> None:
    lon, lat = country_point(iso_a2)
    assert inside[0] <= lon <= inside[2] and inside[1] <= lat <= inside[3]
    frame = countries("50m")
    outline = frame[frame["iso_a2"] == iso_a2].geometry.iloc[0]
    assert outline.contains(shapely.Point(lon, lat))


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: country_point("ZZ"), KeyError, "unknown country code 'ZZ'"),
        (lambda: country_point(""), KeyError, "unknown country code ''"),
        (lambda: country_name("KOR", "ko"), KeyError, "two letters"),
        (lambda: countries("10m"), ValueError, "valid values are 50m, 110m"),
    ],
)
def test_bad_requests_raise_clear_errors(call: Any, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        call()


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Run the build script twice into fresh folders."""
    outputs = []
    for run in ("first", "second"):
        out = tmp_path_factory.mktemp(f"basemap-{run}")
        subprocess.run(
            [sys.executable, str(SCRIPT), "--source", str(SOURCE), "--out-dir", str(out)],
            check=True,
            capture_output=True,
        )
        outputs.append(out)
    return outputs[0], outputs[1]


@needs_source
@pytest.mark.parametrize("name", FILES)
def test_build_is_deterministic(two_builds: tuple[Path, Path], name: str) -> None:
    first, second = two_builds
    assert _sha256(first / name) == _sha256(second / name)


@needs_source
@pytest.mark.parametrize("name", FILES)
def test_committed_file_equals_a_fresh_build(two_builds: tuple[Path, Path], name: str) -> None:
    assert _sha256(BASEMAP_DIR / name) == _sha256(two_builds[0] / name), (
        f"data/basemap/{name} is stale: run python scripts/build_basemap.py"
    )
