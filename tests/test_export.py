"""Exports: RFC 7946 GeoJSON that strict tools accept, GeoPackage, CSV, and reading them back."""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import datetime as dt
import io
import json
import os
import re
import subprocess
import sys
import warnings
from decimal import Decimal

import jsonschema
import pyogrio
import pytest
import shapely
from click.testing import CliRunner

import geo
from geo.cli import main
from geo.formats.export import LAYERS, export_bytes, geojson_text, write_export
from tests.conftest import DATA, REPO, write

SCHEMA = json.loads((DATA / "geojson-schema" / "FeatureCollection.json").read_text("utf-8"))
VALIDATOR = jsonschema.Draft7Validator(SCHEMA)
TRIPS = ["bundled", "pacific", "mini"]
DATE_COLUMNS = ("arrive", "depart", "arrive_date", "depart_date", "date", "agreement_date")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)$")


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def collection(trip: geo.Trip, layer: str = "all", ndigits: int = 6) -> dict:
    return json.loads(geojson_text(trip, layer, ndigits))


def positions(geometry: dict | None):
    """Every [lon, lat] of a GeoJSON geometry."""
    if geometry is None:
        return
    stack = [geometry["coordinates"]]
    while stack:
        c = stack.pop()
        if c and isinstance(c[0], int | float | Decimal):
            yield c
        else:
            stack.extend(c)


@pytest.fixture
def gdal_warnings():
    """GDAL warnings and errors as pyogrio reports them (RuntimeWarning), all recorded."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield caught


# --- RFC 7946 and the official schema ------------------------------------------------------


def test_schema_is_the_official_one():
    jsonschema.Draft7Validator.check_schema(SCHEMA)
    assert SCHEMA["$id"] == "https://geojson.org/schema/FeatureCollection.json"
    assert "1.0.5" in (DATA / "geojson-schema" / "README.md").read_text("utf-8")


@pytest.mark.parametrize(
    "broken",
    [
        {"type": "FeatureCollection"},
        {"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": None}]},
        {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {},
         "geometry": {"type": "LineString", "coordinates": [[0, 0]]}}]},
        {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {},
         "geometry": {"type": "Point", "coordinates": ["0", 0]}}]},
    ],
)  # fmt: skip
def test_schema_check_has_teeth(broken):
    assert not VALIDATOR.is_valid(broken)


@pytest.mark.parametrize("trip_name", TRIPS)
@pytest.mark.parametrize("layer", [*LAYERS, "all"])
def test_geojson_passes_the_schema(trip_name, layer, request):
    trip = request.getfixturevalue(trip_name)
    data = collection(trip, layer)
    VALIDATOR.validate(data)
    expected = (
        len(trip.layers()[layer]) if layer != "all" else sum(map(len, trip.layers().values()))
    )
    assert len(data["features"]) == expected


@pytest.mark.parametrize("trip_name", TRIPS)
def test_rfc7946_structure(trip_name, request):
    data = collection(request.getfixturevalue(trip_name))
    assert list(data) == ["type", "features"]  # no "crs", no foreign members
    for f in data["features"]:
        assert set(f) == {"type", "id", "geometry", "properties"}
        assert "crs" not in f and "crs" not in (f["geometry"] or {})
        for lon, lat, *rest in positions(f["geometry"]):
            assert not rest  # 2D
            assert -180 <= lon <= 180 and -90 <= lat <= 90


@pytest.mark.parametrize("precision", [6, 3, 0])
def test_coordinates_have_at_most_precision_decimals(bundled, precision):
    result = run("export", "--layer", "all", "--precision", str(precision))
    data = json.loads(result.stdout, parse_float=Decimal, parse_int=Decimal)
    decimals = [
        -int(Decimal(c).as_tuple().exponent)
        for f in data["features"]
        for p in positions(f["geometry"])
        for c in p
    ]
    assert decimals and max(decimals) <= precision
    if precision == 6:
        assert max(decimals) == 6  # really rounded to 6, not fewer
    # Rounding moves no vertex by more than half a unit in the last place.
    full = collection(bundled, "stops", 15)["features"]
    stops = [f for f in data["features"] if f["properties"]["layer"] == "stops"]
    for a, b in zip(full, stops, strict=True):
        for x, y in zip(a["geometry"]["coordinates"], b["geometry"]["coordinates"], strict=True):
            assert abs(Decimal(str(x)) - y) <= Decimal(5) / 10 ** (precision + 1)


def test_precision_leaves_properties_alone(bundled):
    coarse, fine = collection(bundled, "legs", 2), collection(bundled, "legs", 6)
    for a, b in zip(coarse["features"], fine["features"], strict=True):
        assert a["properties"] == b["properties"]
    exact = [f["properties"]["distance_km"] for f in coarse["features"]]
    assert exact == list(bundled.legs["distance_km"])  # full precision, not 2 decimals


def test_polygons_follow_the_right_hand_rule(bundled):
    # Feed the exporter clockwise rings: it must turn them counter-clockwise.
    cw = bundled.resources.copy()
    cw.geometry = shapely.orient_polygons(cw.geometry.array, exterior_cw=True)
    assert not any(
        shapely.is_ccw(p.exterior) for g in cw.geometry for p in getattr(g, "geoms", [g])
    )
    trip = dataclasses.replace(bundled, resources=cw)
    features = collection(trip, "resources")["features"]
    assert len(features) == len(bundled.resources) == 11  # one per resource and country
    for f in features:
        geom = shapely.geometry.shape(f["geometry"])
        assert geom.geom_type in ("Polygon", "MultiPolygon") and geom.is_valid
        for polygon in getattr(geom, "geoms", [geom]):
            assert shapely.is_ccw(polygon.exterior)
            assert not any(shapely.is_ccw(ring) for ring in polygon.interiors)


def test_antimeridian_legs_in_geojson(pacific):
    features = collection(pacific, "legs")["features"]
    assert [f["geometry"]["type"] for f in features] == ["MultiLineString"] * 3
    for f in features:
        parts = f["geometry"]["coordinates"]
        for a, b in zip(parts, parts[1:], strict=False):
            assert {a[-1][0], b[0][0]} == {180, -180} and a[-1][1] == b[0][1]


def test_lines_that_round_to_a_point(tmp_path):
    # Stops 1 cm apart, one pair straddling the antimeridian: at 6 decimals each line collapses.
    trip = geo.load_trip(
        write(
            tmp_path,
            "trip: {id: tiny, title: Tiny}\nstops:\n"
            "  - {lat: 10, lon: 20}\n  - {lat: 10.0000001, lon: 20}\n"
            "  - {lat: 0, lon: 179.99999999}\n  - {lat: 0, lon: -179.99999999}\n",
        )
    )
    assert trip.legs.geometry[0] is not None and trip.legs.geometry[2] is not None
    data = collection(trip, "legs")
    VALIDATOR.validate(data)
    geometries = [f["geometry"] for f in data["features"]]
    assert geometries[0] is None and geometries[2] is None
    # ... but at 8 decimals they are lines again, and the RFC form keeps both sides.
    fine = [f["geometry"] for f in collection(trip, "legs", 8)["features"]]
    assert fine[0]["type"] == "LineString"
    assert fine[2] == {"type": "MultiLineString",
                       "coordinates": [[[179.99999999, 0], [180, 0]], [[-180, 0], [-179.99999999, 0]]]}  # fmt: skip


# --- properties: dates, amounts, labels, ids --------------------------------------------------


def test_dates_are_iso_8601_with_offsets_where_known(mini):
    stops = collection(mini, "stops")["features"]
    assert stops[0]["properties"]["depart"] == "2024-06-10T08:30:00+09:00"  # Seongnam, KST
    assert stops[1]["properties"]["arrive"] == "2024-06-10T13:00:00+05:00"  # Ashgabat, TMT
    assert stops[1]["properties"]["depart"] == "2024-06-11"
    assert stops[0]["properties"]["depart_date"] == "2024-06-10"
    legs = collection(mini, "legs")["features"]
    assert legs[0]["properties"]["depart"] == "2024-06-10T08:30:00+09:00"


@pytest.mark.parametrize("trip_name", TRIPS)
def test_every_date_is_iso_8601(trip_name, request):
    seen = 0
    for f in collection(request.getfixturevalue(trip_name))["features"]:
        for key in DATE_COLUMNS:
            value = f["properties"].get(key)
            if value is None:
                continue
            seen += 1
            if ISO_DATE.match(value):
                dt.date.fromisoformat(value)
            else:
                assert ISO_DATETIME.match(value), (f["id"], key, value)
                assert dt.datetime.fromisoformat(value).utcoffset() is not None
    assert seen


def test_amounts_are_numbers_beside_currency_codes(bundled, mini):
    deal = collection(mini, "deals")["features"][0]["properties"]
    assert deal["value"] == [{"amount": 200000000, "currency": "USD"},
                             {"amount": 270000000000, "currency": "KRW"}]  # fmt: skip
    text = geojson_text(bundled, "all")
    assert '"amount":"' not in text and '"amount":6000000000,"currency":"USD"' in text
    values = [v for f in json.loads(text)["features"] for v in f["properties"].get("value") or []]
    assert len(values) >= 6
    for v in values:
        assert set(v) == {"amount", "currency"}
        assert isinstance(v["amount"], int | float) and not isinstance(v["amount"], bool)
        assert re.fullmatch(r"[A-Z]{3}", v["currency"])


def test_every_label_in_every_language(bundled):
    features = collection(bundled)["features"]
    for f in features:
        keys = set(f["properties"])
        for key in keys:
            if key.endswith("_en"):
                assert key[:-3] + "_ko" in keys, (f["id"], key)
            if key.endswith("_ko"):
                assert key[:-3] + "_en" in keys, (f["id"], key)
    stops = [f["properties"] for f in features if f["properties"]["layer"] == "stops"]
    assert [s["label_ko"] for s in stops] == ["성남", "아슈하바트", "아스타나", "타슈켄트",
                                              "사마르칸트", "성남"]  # fmt: skip
    assert [s["label_en"] for s in stops][:2] == ["Seongnam", "Ashgabat"]
    legs = [f["properties"] for f in features if f["properties"]["layer"] == "legs"]
    assert legs[0]["from_label_ko"] == "성남" and legs[0]["to_label_ko"] == "아슈하바트"


def test_feature_ids_are_stable(bundled):
    data = collection(bundled)
    for name, frame in bundled.layers().items():
        ids = [f["id"] for f in data["features"] if f["properties"]["layer"] == name]
        if name == "resources":  # a row per resource and country
            expected = [
                f"{name}-{k}-{c}" for k, c in zip(frame["resource"], frame["country"], strict=True)
            ]
        else:
            expected = [f"{name}-{k}" for k in range(1, len(frame) + 1)]
        assert ids == expected and len(set(ids)) == len(ids)
    again = collection(geo.load_trip(geo.bundled_trip()))
    assert [f["id"] for f in again["features"]] == [f["id"] for f in data["features"]]


def test_all_has_a_layer_property_single_layers_do_not(bundled):
    data = collection(bundled, "all")
    layers = [f["properties"]["layer"] for f in data["features"]]
    assert all(f["id"].startswith(f["properties"]["layer"] + "-") for f in data["features"])
    # Layers in a fixed order, each complete.
    expected = [name for name, frame in bundled.layers().items() for _ in range(len(frame))]
    assert layers == expected
    assert all(list(f["properties"])[0] == "layer" for f in data["features"])
    for name in LAYERS:
        assert all("layer" not in f["properties"] for f in collection(bundled, name)["features"])


# --- bytes: deterministic, UTF-8 -----------------------------------------------------------


@pytest.mark.parametrize(
    ("layer", "fmt"),
    [("all", "geojson"), ("legs", "geojson"), ("all", "gpkg"), ("routes", "gpkg"),
     ("stops", "csv"), ("legs", "csv"), ("deals", "csv")],
)  # fmt: skip
def test_byte_identical_in_one_process(bundled, layer, fmt):
    first = export_bytes(bundled, layer, fmt)
    second = export_bytes(geo.load_trip(geo.bundled_trip()), layer, fmt)
    assert first == second


_EXPORT_SCRIPT = """
import sys
from pathlib import Path
import geo
from geo.formats.export import write_export
out = Path(sys.argv[1])
for name, path in (("bundled", geo.bundled_trip()), ("pacific", sys.argv[2])):
    trip = geo.load_trip(path)
    write_export(trip, "all", "geojson", out / f"{name}.geojson")
    write_export(trip, "all", "gpkg", out / f"{name}.gpkg")
"""


def test_byte_identical_across_processes(tmp_path):
    runs = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        out.mkdir()
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(REPO)}
        subprocess.run(
            [sys.executable, "-c", _EXPORT_SCRIPT, str(out), str(DATA / "pacific.yaml")],
            check=True, env=env, cwd=tmp_path, capture_output=True,
        )  # fmt: skip
        runs.append({p.name: p.read_bytes() for p in sorted(out.iterdir())})
    assert list(runs[0]) == ["bundled.geojson", "bundled.gpkg", "pacific.geojson", "pacific.gpkg"]
    for name in runs[0]:
        assert runs[0][name] == runs[1][name], name


def test_utf8_without_escapes(bundled):
    data = export_bytes(bundled, "all", "geojson")
    assert b"\\u" not in data
    assert "성남".encode() in data and "카자흐스탄".encode() in data
    assert not data.startswith(b"\xef\xbb\xbf") and data.endswith(b"\n")
    data.decode("utf-8")  # strict


def test_stdout_export_is_the_same_bytes(bundled):
    result = run("export", "--layer", "stops", "-o", "-")
    assert result.exit_code == 0
    assert result.stdout_bytes == export_bytes(bundled, "stops", "geojson")
    assert result.stdout_bytes.count(b"\n") == 1


def test_bundled_all_size(bundled):
    size = len(export_bytes(bundled, "all", "geojson"))
    # Light enough to inline in a map page, heavy enough to hold every quote and polygon.
    assert 20_000 < size < 500_000


# --- GDAL reads what we write ----------------------------------------------------------------


def test_gdal_warning_capture_works(tmp_path, gdal_warnings):
    bad = tmp_path / "bad.geojson"
    bad.write_text(
        '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":'
        '{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}}]}'
    )
    with contextlib.suppress(Exception):  # shapely may refuse the ring GDAL warned about
        pyogrio.read_dataframe(bad)
    assert any("Non closed ring" in str(w.message) for w in gdal_warnings)


@pytest.mark.parametrize("trip_name", TRIPS)
def test_geojson_opens_in_gdal_without_warnings(trip_name, request, tmp_path, gdal_warnings):
    trip = request.getfixturevalue(trip_name)
    path = tmp_path / f"{trip_name}.geojson"
    write_export(trip, "all", "geojson", path)
    info = pyogrio.read_info(path)
    frame = pyogrio.read_dataframe(path)
    legs = pyogrio.read_dataframe(path, where="layer = 'legs'")
    assert [str(w.message) for w in gdal_warnings] == []
    assert info["driver"] == "GeoJSON" and info["crs"] == "EPSG:4326"
    assert info["features"] == len(frame) == sum(map(len, trip.layers().values()))
    assert len(legs) == len(trip.legs)
    assert (frame.geometry.is_valid | frame.geometry.isna()).all()


@pytest.mark.parametrize("trip_name", TRIPS)
def test_geojson_reads_back_the_same(trip_name, request, tmp_path):
    import geopandas as gpd

    trip = request.getfixturevalue(trip_name)
    path = tmp_path / "all.geojson"
    write_export(trip, "all", "geojson", path)
    back = gpd.read_file(path, datetime_as_string=True)
    assert len(back) == sum(map(len, trip.layers().values()))
    assert list(back["id"]) == [f["id"] for f in collection(trip)["features"]]
    for name, frame in trip.layers().items():
        rows = back[back["layer"] == name].reset_index(drop=True)
        assert len(rows) == len(frame)
        if not len(frame):
            continue  # GDAL knows no columns of a layer without features
        for col in frame.columns:
            if col.endswith(("_en", "_ko")) and frame[col].map(lambda v: isinstance(v, str)).all():
                assert list(rows[col]) == list(frame[col]), (name, col)
        if "value" in frame:
            assert [list(v) for v in rows["value"]] == list(frame["value"])
        for col in DATE_COLUMNS:
            if col not in frame:
                continue
            for written, read in zip(frame[col], rows[col], strict=True):
                if written is None:
                    assert read is None or read != read  # NaN for a missing value
                elif isinstance(written, dt.datetime):
                    assert dt.datetime.fromisoformat(read) == written
                else:  # a day: GDAL reads it as midnight of that day
                    assert read.startswith(written.isoformat())
        geoms = rows.geometry.array
        for a, b in zip(frame.geometry.array, geoms, strict=True):
            assert (a is None) == (b is None)
            if a is not None:
                assert a.geom_type == b.geom_type
                assert shapely.equals_exact(shapely.normalize(a), shapely.normalize(b), 1e-6) or (
                    a.geom_type in ("Polygon", "MultiPolygon")
                    and a.symmetric_difference(b).area < 1e-9
                )


# --- GeoPackage ----------------------------------------------------------------------------


def test_gpkg_all_has_one_table_per_layer(bundled, tmp_path, gdal_warnings):
    path = tmp_path / "trip.gpkg"
    result = run("export", "--layer", "all", "-o", str(path))  # format from the suffix
    assert result.exit_code == 0
    assert path.read_bytes().startswith(b"SQLite format 3\x00")
    layers = pyogrio.list_layers(path)
    assert [name for name, _ in layers] == list(LAYERS)
    for name, frame in bundled.layers().items():
        info = pyogrio.read_info(path, layer=name)
        assert info["features"] == len(frame) and info["crs"] == "EPSG:4326"
        back = pyogrio.read_dataframe(path, layer=name)
        for col in (c for c in frame.columns if c.endswith("_ko")):
            if frame[col].map(lambda v: isinstance(v, str)).all():
                assert list(back[col]) == list(frame[col])
    deals = pyogrio.read_dataframe(path, layer="deals")
    assert [json.loads(v) for v in deals["value"]] == list(bundled.deals["value"])
    assert [str(w.message) for w in gdal_warnings] == []


def test_gpkg_single_layer(pacific, tmp_path):
    path = tmp_path / "legs.gpkg"
    assert run("export", str(DATA / "pacific.yaml"), "--layer", "legs", "--format", "gpkg",
               "-o", str(path)).exit_code == 0  # fmt: skip
    assert [name for name, _ in pyogrio.list_layers(path)] == ["legs"]
    back = pyogrio.read_dataframe(path)
    assert list(back.geometry.geom_type) == ["MultiLineString"] * 3
    assert list(back["from_label_ko"]) == list(pacific.legs["from_label_ko"])


def test_gpkg_cannot_go_to_stdout():
    result = CliRunner().invoke(main, ["export", "--format", "gpkg", "-o", "-"])
    assert result.exit_code == 2 and "GeoPackage cannot go to stdout" in result.output


# --- CSV -----------------------------------------------------------------------------------


def _csv_rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def test_csv_points_get_lon_lat(bundled):
    rows = _csv_rows(export_bytes(bundled, "stops", "csv", 6))
    assert len(rows) == len(bundled.stops)
    assert "wkt" not in rows[0] and "geometry" not in rows[0]
    for row, point in zip(rows, bundled.stops.geometry, strict=True):
        assert float(row["lon"]) == pytest.approx(point.x, abs=1e-6)
        assert float(row["lat"]) == pytest.approx(point.y, abs=1e-6)
    assert rows[0]["label_ko"] == "성남" and rows[1]["depart"] == "2024-06-11"
    deals = _csv_rows(export_bytes(bundled, "deals", "csv"))
    assert json.loads(deals[3]["value"]) == [{"amount": 6000000000, "currency": "USD"},
                                             {"amount": 8300000000000, "currency": "KRW"}]  # fmt: skip
    assert deals[4]["lon"] == "" or float(deals[4]["lon"])  # a deal without a site: empty


def test_csv_lines_get_wkt(pacific):
    rows = _csv_rows(export_bytes(pacific, "legs", "csv", 6))
    assert "lon" not in rows[0] and "wkt" in rows[0]
    geoms = [shapely.from_wkt(r["wkt"]) for r in rows]
    assert [g.geom_type for g in geoms] == ["MultiLineString"] * 3
    for g, original in zip(geoms, pacific.legs.geometry, strict=True):
        assert shapely.equals_exact(g, original, 1e-6)
    assert float(rows[0]["distance_km"]) == pytest.approx(pacific.legs.loc[0, "distance_km"])


def test_csv_all_is_refused_and_writes_nothing(tmp_path):
    out = tmp_path / "all.csv"
    out.write_text("keep me", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["export", "--layer", "all", "--format", "csv", "-o", str(out)]
    )
    assert result.exit_code == 2
    assert "CSV holds one layer per file" in result.output and "Traceback" not in result.output
    assert out.read_text(encoding="utf-8") == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["all.csv"]


# --- failures leave nothing behind -----------------------------------------------------------


@pytest.mark.parametrize("fmt", ["geojson", "gpkg", "csv"])
def test_output_onto_a_folder_fails_cleanly(tmp_path, fmt):
    target = tmp_path / "maps"
    target.mkdir()
    (target / "keep.txt").write_text("x", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["export", "--layer", "stops", "--format", fmt, "-o", str(target)]
    )
    assert result.exit_code == 2
    assert "is a folder" in result.output and "Traceback" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["maps"]
    assert sorted(p.name for p in target.iterdir()) == ["keep.txt"]


def test_output_under_a_file_fails_cleanly(tmp_path):
    blocker = tmp_path / "notes.txt"
    blocker.write_text("x", encoding="utf-8")
    result = CliRunner().invoke(main, ["export", "-o", str(blocker / "trip.geojson")])
    assert result.exit_code == 2 and "is a file, not a folder" in result.output
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]
    assert blocker.read_text(encoding="utf-8") == "x"


def test_write_export_raises_export_error(bundled, tmp_path):
    with pytest.raises(geo.ExportError, match="is a folder"):
        write_export(bundled, "stops", "geojson", tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_write_export_replaces_a_file_whole(bundled, tmp_path):
    path = tmp_path / "out.geojson"
    path.write_text("old", encoding="utf-8")
    size = write_export(bundled, "stops", "geojson", path)
    assert path.read_bytes() == export_bytes(bundled, "stops", "geojson")
    assert size == path.stat().st_size
    assert [p.name for p in tmp_path.iterdir()] == ["out.geojson"]  # no temporary left


@pytest.mark.parametrize(
    ("layer", "fmt", "match"),
    [("towns", "geojson", "unknown layer 'towns'"), ("stops", "shp", "unknown format 'shp'")],
)
def test_unknown_layer_or_format(bundled, layer, fmt, match):
    with pytest.raises(geo.ExportError, match=match):
        export_bytes(bundled, layer, fmt)
