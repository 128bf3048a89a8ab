"""Many trips in one run: one output per trip, named by trip id; a bad trip does not stop the rest."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

import geo
from geo.cli import main
from geo.formats.export import export_bytes
from tests.conftest import DATA, write

BAD = """\
trip: {id: broken, title: Broken}
stops:
  - {place: Seongnam, depart: 2024-06-10}
  - {place: Ashgabat, arrive: 2024-13-40}
"""


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def trips(tmp_path):
    """Three good trips of distinct ids and one bad one, in the order a user might give them."""
    bad = write(tmp_path, BAD, "broken.yaml")
    return [geo.bundled_trip(), DATA / "mini.yaml", bad, DATA / "pacific.yaml"]


def test_map_writes_one_page_per_trip_as_single_runs_would(tmp_path, trips):
    out = tmp_path / "maps"
    result = run("map", *trips, "-o", f"{out}/")
    assert result.exit_code == 2
    assert sorted(p.name for p in out.iterdir()) == [
        "k-silk-road-2024.html", "mini-tour.html", "pacific.html",
    ]  # fmt: skip
    # The bad trip is reported as validate reports it: file, record, value, fix.
    assert "broken.yaml: 1 problem" in result.output
    assert "stops[1].arrive: '2024-13-40' is not a real date" in result.output
    assert "1 of 4 trips not written (problems above); 3 written" in result.output
    assert "Traceback" not in result.output
    # Each page is the same bytes as `geo map TRIP -o FILE` writes.
    for trip in (DATA / "mini.yaml", DATA / "pacific.yaml"):
        single = tmp_path / "single.html"
        assert run("map", trip, "-o", single).exit_code == 0
        name = geo.load_trip(trip).meta.id + ".html"
        assert (out / name).read_bytes() == single.read_bytes()


def test_export_writes_one_file_per_trip(tmp_path, trips):
    out = tmp_path / "layers"
    good = [t for t in trips if t.name != "broken.yaml"]
    result = run("export", *good, "--layer", "legs", "--format", "parquet", "-o", out)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "k-silk-road-2024.parquet", "mini-tour.parquet", "pacific.parquet",
    ]  # fmt: skip
    for trip in good:
        loaded = geo.load_trip(trip)
        written = (out / f"{loaded.meta.id}.parquet").read_bytes()
        assert written == export_bytes(loaded, "legs", "parquet")


def test_export_to_a_folder_defaults_to_geojson_and_keeps_the_language(tmp_path):
    out = tmp_path / "kml"
    result = run("export", DATA / "mini.yaml", DATA / "pacific.yaml", "--format", "kml",
                 "--lang", "ko", "-o", out)  # fmt: skip
    assert result.exit_code == 0
    assert "<name>방문지</name>" in (out / "pacific.kml").read_text("utf-8")
    result = run("export", "-o", f"{tmp_path / 'one'}/")  # one trip into a folder
    assert result.exit_code == 0
    assert [p.name for p in (tmp_path / "one").iterdir()] == ["k-silk-road-2024.geojson"]


def test_static_and_embed_for_several_trips(tmp_path):
    pair = (DATA / "mini.yaml", DATA / "pacific.yaml")
    result = run("static", *pair, "--format", "svg", "--size", "400x300", "-o", tmp_path / "img")
    assert result.exit_code == 0, result.output
    images = sorted((tmp_path / "img").iterdir())
    assert [p.name for p in images] == ["mini-tour.svg", "pacific.svg"]
    assert all(p.read_bytes().startswith(b"<?xml") for p in images)
    result = run("embed", *pair, "--no-fallback", "-o", tmp_path / "embeds")
    assert result.exit_code == 0, result.output
    for trip_id in ("mini-tour", "pacific"):
        folder = tmp_path / "embeds" / trip_id
        assert sorted(p.name for p in folder.iterdir()) == ["alt.txt", "embed.html", "index.html"]


def test_a_request_no_trip_can_meet_is_refused_once_before_loading(tmp_path):
    result = run("export", DATA / "mini.yaml", tmp_path / "missing.yaml", "--format", "fgb",
                 "-o", tmp_path / "out")  # fmt: skip
    assert result.exit_code == 2
    assert result.output == (
        "error: FlatGeobuf holds one layer per file; choose --layer stops|legs|deals|... or use "
        "--format geojson, gpkg or kml for all\n"
    )  # one line, not one per trip, and the missing file was never opened
    result = run("static", DATA / "mini.yaml", "--format", "svg", "-o", tmp_path / "card.png")
    assert result.exit_code == 2 and "--format svg does not match the extension" in result.output
    assert list(tmp_path.iterdir()) == []


def test_a_trip_id_given_twice_is_written_once(tmp_path):
    copy = write(tmp_path, (DATA / "mini.yaml").read_text("utf-8"), "copy.yaml")
    out = tmp_path / "out"
    result = run("export", DATA / "mini.yaml", copy, "--layer", "stops", "-o", out)
    assert result.exit_code == 2
    assert f"{copy}: trip.id 'mini-tour' is also the id of {DATA / 'mini.yaml'}" in result.output
    assert "give each trip its own trip.id" in result.output
    assert [p.name for p in out.iterdir()] == ["mini-tour.geojson"]
    assert (out / "mini-tour.geojson").read_bytes() == export_bytes(
        geo.load_trip(DATA / "mini.yaml"), "stops", "geojson"
    )


@pytest.mark.parametrize(
    ("command", "output", "message"),
    [
        ("map", "two.html", "two/"),
        ("static", "two.png", "two/"),
        ("export", "two.geojson", "two/"),
        ("export", "-", "several trips need a folder: give -o FOLDER/"),
    ],
)
def test_several_trips_need_a_folder(tmp_path, command, output, message):
    target = output if output == "-" else tmp_path / output
    result = run(command, DATA / "mini.yaml", DATA / "pacific.yaml", "-o", target)
    assert result.exit_code == 2 and message in result.output
    assert output == "-" or "with several trips -o is a folder" in result.output
    assert list(tmp_path.iterdir()) == []


def test_missing_and_hostile_trips_are_reported_the_rest_written(tmp_path):
    hostile = write(tmp_path, "trip: {id: '{{7*7}}<x>', title: x}\nstops: []\n", "hostile.yaml")
    out = tmp_path / "out"
    result = run("export", tmp_path / "nope.yaml", hostile, DATA / "mini.yaml", "-o", out)
    assert result.exit_code == 2
    assert "nope.yaml: no such file or folder" in result.output
    assert "trip.id: '{{7*7}}<x>' is not a slug" in result.output
    assert "2 of 3 trips not written" in result.output
    assert [p.name for p in out.iterdir()] == ["mini-tour.geojson"]
