"""GeoParquet, FlatGeobuf and KML exports, and the format chosen by the file's extension.

Each file is read back by a reader that is not the one that wrote it: GDAL's ``ogrinfo`` (Debian's
``gdal-bin``, a separate build of GDAL from the one inside pyogrio), ``pyarrow.parquet`` for the
GeoParquet metadata, and Python's XML parser for the KML.
"""

from __future__ import annotations

import html
import io
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

import pyarrow.parquet as pq
import pytest
import shapely
from click.testing import CliRunner

import geo
from geo.cli import main
from geo.formats.export import EXTENSIONS, FORMATS, LAYERS, export_bytes, format_for
from geo.style import DEAL_STATUS, ROUTE_MODE
from tests.conftest import DATA, REPO, write

KML = "{http://www.opengis.net/kml/2.2}"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture(scope="session")
def ogrinfo() -> str:
    found = shutil.which("ogrinfo")
    if found is None:
        pytest.fail("ogrinfo is missing: run scripts/test.sh, which installs Debian's gdal-bin")
    return found


def layers_by_ogrinfo(ogrinfo: str, path) -> dict[str, int]:
    """Layer name -> feature count, as GDAL's command-line reader sees the file."""
    out = subprocess.run(
        [ogrinfo, "-ro", "-so", "-al", str(path)], capture_output=True, text=True, check=True
    ).stdout
    names = re.findall(r"^Layer name: (.+)$", out, re.M)
    counts = [int(n) for n in re.findall(r"^Feature Count: (\d+)$", out, re.M)]
    return dict(zip(names, counts, strict=True))


# --- the format from the extension ------------------------------------------------------------


@pytest.mark.parametrize(("name", "fmt"), [("a.geojson", "geojson"), ("a.json", "geojson"),
    ("a.GPKG", "gpkg"), ("a.csv", "csv"), ("a.parquet", "parquet"), ("a.fgb", "fgb"),
    ("a.kml", "kml"), ("dir.v2/a.Kml", "kml")])  # fmt: skip
def test_format_from_the_extension(tmp_path, name, fmt):
    from pathlib import Path

    assert format_for(Path(name), None) == fmt
    assert format_for(Path(name), fmt) == fmt
    assert set(EXTENSIONS.values()) == set(FORMATS)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-o", "routes.txt"], "unknown extension '.txt'"),
        (["-o", "routes.shp", "--format", "gpkg"], "unknown extension '.shp'"),
        (["-o", "routes"], "no extension to tell the format by"),
        (["-o", "routes.parquet", "--format", "geojson"], "does not match the extension"),
        (["-o", "routes.kml", "--format", "gpkg"], "name the file routes.gpkg"),
        (["-o", "-", "--format", "parquet"], "GeoParquet file cannot go to stdout"),
        (["-o", "-", "--format", "fgb"], "FlatGeobuf file cannot go to stdout"),
        (["--layer", "all", "-o", "all.fgb"], "FlatGeobuf holds one layer per file"),
        (["--layer", "all", "-o", "all.parquet"], "GeoParquet holds one layer per file"),
    ],
)
def test_bad_format_or_extension_exit_2_and_nothing_written(tmp_path, args, message):
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        result = run("export", *args)
    finally:
        os.chdir(cwd)
    assert result.exit_code == 2, result.output
    assert message in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
    if "extension" in message:
        assert ".geojson" in result.output and ".parquet" in result.output  # the list
    assert list(tmp_path.iterdir()) == []


def test_parquet_without_pyarrow_says_how_to_install(bundled, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # what `import pyarrow` meets when absent
    with pytest.raises(geo.ExportError, match=r"pip install 'geo-itinerary\[parquet\]'"):
        export_bytes(bundled, "legs", "parquet")


# --- GeoParquet 1.1 -----------------------------------------------------------------------------


@pytest.mark.parametrize("layer", ["stops", "legs", "deals", "resources", "routes"])
def test_geoparquet_metadata_crs_and_bbox_covering(bundled, tmp_path, layer):
    path = tmp_path / f"{layer}.parquet"
    assert run("export", "--layer", layer, "-o", str(path)).exit_code == 0
    file = pq.ParquetFile(path)
    meta = json.loads(file.schema_arrow.metadata[b"geo"])
    assert meta["version"] == "1.1.0" and meta["primary_column"] == "geometry"
    column = meta["columns"]["geometry"]
    assert column["encoding"] == "WKB"
    assert column["crs"]["id"] == {"authority": "EPSG", "code": 4326}
    assert column["covering"] == {
        "bbox": {k: ["bbox", k] for k in ("xmin", "ymin", "xmax", "ymax")}
    }
    table = file.read()
    frame = bundled.layers()[layer]
    assert table.num_rows == len(frame)
    # The covering column holds each feature's bounds (nulls for a deal without a site, which
    # no bbox filter then matches).
    for box, geom in zip(table.column("bbox").to_pylist(), frame.geometry, strict=True):
        if geom is None:
            assert box is None or set(box.values()) == {None}
            continue
        assert [box[k] for k in ("xmin", "ymin", "xmax", "ymax")] == pytest.approx(
            list(geom.bounds), abs=1e-6
        )
    wkb = [
        shapely.from_wkb(b) if b is not None else None for b in table.column("geometry").to_pylist()
    ]
    assert all(
        (a is None and b is None) or shapely.equals_exact(a, b, 1e-9)
        for a, b in zip(frame.geometry, wkb, strict=True)
    )


def test_geoparquet_columns_read_back(bundled, tmp_path):
    path = tmp_path / "deals.parquet"
    path.write_bytes(export_bytes(bundled, "deals", "parquet"))
    table = pq.read_table(path)
    assert table.column("title_ko").to_pylist() == list(bundled.deals["title_ko"])
    values = [json.loads(v) for v in table.column("value").to_pylist()]
    assert values == list(bundled.deals["value"])
    stops = pq.read_table(io.BytesIO(export_bytes(bundled, "stops", "parquet")))
    dates = [None if d is None else d.isoformat() for d in bundled.stops["arrive"]]
    assert stops.column("arrive").to_pylist() == dates and any(dates)


# --- FlatGeobuf ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("layer", "geometry"), [("stops", "Point"), ("legs", "Multi Line String"),
    ("deals", "Point"), ("routes", "Multi Line String"), ("resources", "Multi Polygon")])  # fmt: skip
def test_flatgeobuf_opens_in_ogrinfo(bundled, tmp_path, ogrinfo, layer, geometry):
    path = tmp_path / f"{layer}.fgb"
    assert run("export", "--layer", layer, "-o", str(path)).exit_code == 0
    out = subprocess.run([ogrinfo, "-ro", "-so", str(path), layer], capture_output=True,
                         text=True, check=True).stdout  # fmt: skip
    assert "using driver `FlatGeobuf'" in out or "FlatGeobuf" in out
    assert f"Geometry: {geometry}" in out
    assert f"Feature Count: {len(bundled.layers()[layer])}" in out
    assert 'ID["EPSG",4326]' in out
    assert layers_by_ogrinfo(ogrinfo, path) == {layer: len(bundled.layers()[layer])}


def test_flatgeobuf_keeps_labels_and_a_deal_without_site(bundled, tmp_path, ogrinfo):
    path = tmp_path / "deals.fgb"
    path.write_bytes(export_bytes(bundled, "deals", "fgb"))
    out = subprocess.run([ogrinfo, "-ro", "-al", "-q", str(path)], capture_output=True,
                         text=True, check=True).stdout  # fmt: skip
    for title in bundled.deals["title_ko"]:
        assert f"title_ko (String) = {title}" in out
    unsited = int(bundled.deals.geometry.isna().sum())
    assert unsited  # the bundled trip has deals without a site: the case GDAL's index refuses
    assert out.count("OGRFeature(deals)") == len(bundled.deals)
    assert len(re.findall(r"^  POINT \(", out, re.M)) == len(bundled.deals) - unsited


# --- KML ----------------------------------------------------------------------------------------


def kml_tree(data: bytes) -> ET.Element:
    return ET.fromstring(data)


def folders(root: ET.Element) -> dict[str, list[ET.Element]]:
    return {
        f.findtext(f"{KML}name"): f.findall(f"{KML}Placemark") for f in root.iter(f"{KML}Folder")
    }


def test_kml_opens_in_ogrinfo_with_a_folder_per_layer(bundled, tmp_path, ogrinfo):
    path = tmp_path / "trip.kml"
    assert run("export", "-o", str(path)).exit_code == 0
    counts = {name: len(frame) for name, frame in bundled.layers().items()}
    assert counts["stops"] == 6 and counts["legs"] == 5
    assert layers_by_ogrinfo(ogrinfo, path) == {
        "Stops": 6, "Legs": 5, "Deals": counts["deals"], "Resources": counts["resources"],
        "Trade routes": counts["routes"],
    }  # fmt: skip
    root = kml_tree(path.read_bytes())
    assert root.findtext(f"{KML}Document/{KML}name") == bundled.meta.title.get_lang("en")
    names = {k: [p.findtext(f"{KML}name") for p in v] for k, v in folders(root).items()}
    assert names["Stops"] == [f"{i}. {s}" for i, s in enumerate(bundled.stops["label_en"], 1)]
    assert names["Legs"][0] == "Leg 1: Seongnam → Ashgabat"
    assert names["Deals"] == list(bundled.deals["title_en"])


def test_kml_in_korean(bundled, tmp_path, ogrinfo):
    path = tmp_path / "trip.kml"
    assert run("export", "--lang", "ko", "-o", str(path)).exit_code == 0
    assert list(layers_by_ogrinfo(ogrinfo, path)) == ["방문지", "구간", "계약·협력",
                                                      "핵심광물·에너지", "교역 경로"]  # fmt: skip
    root = kml_tree(path.read_bytes())
    assert root.findtext(f"{KML}Document/{KML}name") == bundled.meta.title.get_lang("ko")
    placemarks = folders(root)
    assert placemarks["방문지"][0].findtext(f"{KML}name") == "1. 성남"
    assert placemarks["구간"][0].findtext(f"{KML}name") == "구간 1: 성남 → 아슈하바트"
    first_stop = placemarks["방문지"][0].findtext(f"{KML}description")
    assert first_stop.startswith("2024년 6월 10일")
    signed = next(
        p for p in placemarks["계약·협력"] if "상태: 체결" in p.findtext(f"{KML}description")
    )
    assert signed is not None


def kml_colour(hex_rgb: str) -> str:
    """``#rrggbb`` as KML writes it: ``aabbggrr``."""
    r, g, b = hex_rgb[1:3], hex_rgb[3:5], hex_rgb[5:7]
    return f"ff{b}{g}{r}".lower()


def test_kml_styles_follow_status_and_mode(bundled, tmp_path):
    root = kml_tree(export_bytes(bundled, "all", "kml"))
    placemarks = folders(root)
    for placemark, status in zip(placemarks["Deals"], bundled.deals["status"], strict=True):
        colour = placemark.findtext(f"{KML}Style/{KML}IconStyle/{KML}color")
        assert colour == kml_colour(DEAL_STATUS[status or "none"][0])
    for placemark, mode in zip(placemarks["Trade routes"], bundled.routes["mode"], strict=True):
        colour = placemark.findtext(f"{KML}Style/{KML}LineStyle/{KML}color")
        assert colour == kml_colour(ROUTE_MODE[mode or "none"][0])
    for placemark, mode in zip(placemarks["Legs"], bundled.legs["mode"], strict=True):
        assert placemark.findtext(f"{KML}Style/{KML}LineStyle/{KML}color") == kml_colour(
            ROUTE_MODE[mode][0]
        )
    fill = placemarks["Resources"][0].findtext(f"{KML}Style/{KML}PolyStyle/{KML}color")
    assert fill is not None and fill.startswith("73")  # 45% opacity
    assert (
        len({p.findtext(f"{KML}Style/{KML}IconStyle/{KML}color") for p in placemarks["Deals"]}) > 1
    )


HOSTILE_KML = """\
trip:
  id: kml-hostile
  title: "{{7*7}} <script>alert(1)</script> & co <![CDATA[x"
  subtitle: "<b>sub</b> ${alert(2)}"
stops:
  - {place: Seongnam, country: KR, depart: 2024-06-10, label: "<img src=x onerror=alert(3)>", note: "a <!-- c --> <![CDATA[ d"}
  - {place: Ashgabat, country: TM, arrive: 2024-06-10, label: "{{7*7}}", venue: "</description><x>"}
deals:
  - {title: "</name></Placemark><Placemark><name>fake", country: TM, status: signed}
"""


def _markup_in(root) -> list[tuple[str, str]]:
    """Text nodes a KML client would render as HTML that hold a tag: name, description
    (``<br>`` is ours), Snippet, ExtendedData values, balloon templates."""
    found = []
    for el in root.iter():
        tag = el.tag.split("}")[1]
        if tag in ("name", "description", "Snippet", "SimpleData", "value", "text") and el.text:
            text = el.text.replace("<br>", "") if tag == "description" else el.text
            if re.search(r"<[A-Za-z/!?]", text):
                found.append((tag, text[:80]))
    return found


def test_kml_hostile_text_stays_text(tmp_path):
    trip = geo.load_trip(write(tmp_path, HOSTILE_KML))
    root = kml_tree(export_bytes(trip, "all", "kml"))  # well-formed
    placemarks = folders(root)
    assert [len(p) for p in placemarks.values()] == [2, 1, 1, 0, 0]  # no placemark smuggled in
    assert _markup_in(root) == []
    # Escaped, the text reads back exactly as the trip wrote it; nothing evaluated ({{7*7}}).
    names = [html.unescape(p.findtext(f"{KML}name")) for p in placemarks["Stops"]]
    assert names == ["1. <img src=x onerror=alert(3)>", "2. {{7*7}}"]
    deal = html.unescape(placemarks["Deals"][0].findtext(f"{KML}name"))
    assert deal == "</name></Placemark><Placemark><name>fake"
    title = html.unescape(root.findtext(f"{KML}Document/{KML}name"))
    assert title == trip.meta.title.get_lang("en")
    notes = html.unescape(placemarks["Stops"][0].findtext(f"{KML}description"))
    assert "a <!-- c --> <![CDATA[ d" in notes
    data = {d.get("name"): d.text for d in placemarks["Stops"][1].iter(f"{KML}SimpleData")}
    assert html.unescape(data["venue_en"]) == "</description><x>"


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("layer", ["stops", "legs", "deals", "resources", "routes", "all"])
def test_no_trip_text_in_kml_is_markup(layer, lang):
    # tests/data/hostile.yaml has markup in every text field, and "]]>" in a deal's source.
    trip = geo.load_trip(DATA / "hostile.yaml")
    root = kml_tree(export_bytes(trip, layer, "kml", lang=lang))
    assert _markup_in(root) == []
    assert len(list(root.iter(f"{KML}Placemark"))) > 0


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ('"{{7*7}}"', '"a ]]> b"', "label_en"),
        ('"</description><x>"', '"x]]>"', "venue_en"),
    ],
)
def test_kml_writes_what_libkml_could_not(tmp_path, old, new, field):
    # "]]>" used to end libkml's CDATA section early (refused); escaped, it is plain text.
    trip = write(tmp_path, HOSTILE_KML.replace(old, new, 1))
    out = tmp_path / "out.kml"
    result = run("export", str(trip), "-o", str(out))
    assert result.exit_code == 0, result.output
    root = kml_tree(out.read_bytes())
    texts = [html.unescape(d.text or "") for d in root.iter(f"{KML}SimpleData")]
    assert new.strip('"') in texts


def test_kml_of_a_trip_without_deals_has_empty_folders(tmp_path):
    trip = geo.load_trip(DATA / "pacific.yaml")
    root = kml_tree(export_bytes(trip, "all", "kml"))
    counts = {name: len(p) for name, p in folders(root).items()}
    assert counts["Legs"] == 3 and counts["Stops"] == 4
    assert counts["Deals"] == len(trip.deals)


# --- the same bytes on every run ---------------------------------------------------------------

_SCRIPT = """
import sys
from pathlib import Path
import geo
from geo.formats.export import write_export
out = Path(sys.argv[1])
trip = geo.load_trip(geo.bundled_trip())
write_export(trip, "all", "kml", out / "all.kml", lang="ko")
for layer in ("stops", "legs", "deals"):
    write_export(trip, layer, "parquet", out / f"{layer}.parquet")
    write_export(trip, layer, "fgb", out / f"{layer}.fgb")
"""


def test_byte_identical_across_processes(tmp_path):
    runs = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        out.mkdir()
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(REPO)}
        subprocess.run([sys.executable, "-c", _SCRIPT, str(out)], check=True, env=env,
                       cwd=tmp_path, capture_output=True)  # fmt: skip
        runs.append({p.name: p.read_bytes() for p in sorted(out.iterdir())})
    assert len(runs[0]) == 7
    for name in runs[0]:
        assert runs[0][name] == runs[1][name], name


def test_cli_choices_are_the_librarys():
    # Literal in cli.py so that `geo --help` imports no numpy; kept equal to the library here.
    from geo import static

    export = {p.name: p for p in main.commands["export"].params}
    assert tuple(export["fmt"].type.choices) == FORMATS
    assert tuple(export["layer"].type.choices) == (*LAYERS, "all")
    image = {p.name: p for p in main.commands["static"].params}
    assert tuple(image["fmt"].type.choices) == static.FORMATS
