"""What README.md and docs/ promise, checked beside the sentence that states it.

Each test names the document and the promise. Found by trying them one by one (issue 25):
the amounts with thousands separators, every problem at once (sea legs and sea flows
included), the missing Dask extra, exports without an extension, and the date rule.
"""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

import geo
from tests.test_trust import clean_failure, geo_cli

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs"


def _table(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    return path


# docs/flows.md and docs/trip-format.md: "value_amount ... 1,200,000 is read as 1200000";
# amounts may use thousands separators; a decimal comma is refused.
def test_flow_amounts_take_thousands_separators_and_refuse_decimal_commas(tmp_path):
    import geopandas as gpd

    head = ["origin", "destination", "mode", "value_amount", "value_currency"]
    good = _table(tmp_path / "good.csv", [head, ["Seoul", "Tashkent", "air", "1,200,000", "USD"]])
    proc = geo_cli("flows", str(good), "-o", str(tmp_path / "o.parquet"))
    assert proc.returncode == 0, proc.stderr
    assert gpd.read_parquet(tmp_path / "o.parquet")["value_amount"].tolist() == [1_200_000.0]
    bad = _table(tmp_path / "bad.csv", [head, ["Seoul", "Tashkent", "air", "1,5", "USD"]])
    err = clean_failure(geo_cli("flows", str(bad), "-o", str(tmp_path / "p.parquet")))
    assert "bad.csv:2 value_amount: '1,5' has a decimal comma" in err


def test_trip_amounts_take_the_same_rule(tmp_path):
    doc = {
        "trip": {"id": "a", "title": "A"},
        "stops": [
            {"place": "Seoul", "depart": "2024-06-10"},
            {"place": "Tashkent", "arrive": "2024-06-11"},
        ],
        "deals": [{"title": "D", "value": [{"amount": "1,200,000", "currency": "USD"}]}],
    }
    path = tmp_path / "a.yaml"
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert geo.load_trip(path).deals["value"].iloc[0][0]["amount"] == 1_200_000
    doc["deals"][0]["value"][0]["amount"] = "1,5"
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert "decimal comma" in clean_failure(geo_cli("validate", str(path)))


def _doc_block(doc: Path, first_line: str) -> str:
    text = doc.read_text(encoding="utf-8")
    for block in re.findall(r"```text\n(.*?)```", text, re.S):
        if block.startswith(first_line):
            return block
    raise AssertionError(f"no text block starting {first_line!r} in {doc.name}")


# docs/flows.md: "every problem is reported at once", with its three-problem example.
def test_the_three_problem_example_of_docs_flows_is_what_geo_prints(tmp_path):
    table = _table(
        tmp_path / "trade.csv",
        [
            [
                "origin",
                "origin_country",
                "destination",
                "destination_country",
                "mode",
                "value_amount",
                "value_currency",
            ],
            ["Busan", "KR", "Rotterdam", "NL", "sea", "1200000", "USD"],
            ["Incheon", "KR", "Frankfurt", "DE", "boat", "5000", "USD"],
            ["Busan", "KR", "Rotterdam", "NL", "sea", "1200000", "dollars"],
            ["Ulaanbaatar", "MN", "Busan", "KR", "sea", "5", "USD"],
        ],
    )
    proc = subprocess.run(
        [sys.executable, "-m", "geo", "flows", "trade.csv", "-o", "t.parquet"],
        capture_output=True, text=True, cwd=tmp_path,
    )  # fmt: skip
    assert proc.returncode == 2
    assert proc.stderr == _doc_block(DOCS / "flows.md", "error: trade.csv: 3 problems")
    assert not (tmp_path / "t.parquet").exists() and table.exists()


# README: "geo validate ... lists every problem at once": a sea leg from an inland stop too.
def test_validate_lists_an_unreachable_sea_leg_with_the_other_problems(tmp_path):
    path = tmp_path / "sea.yaml"
    path.write_text(
        "trip: {id: t, title: T}\nstops:\n"
        "  - {place: Ulaanbaatar, country: MN, mode: sea, depart: 2024-06-01}\n"
        "  - {place: Busan, country: KR, arrive: 2024-06-02, mode: boat}\n"
        "  - {place: Seoul, country: KR, arrive: 2024-06-01}\n",
        encoding="utf-8",
    )
    proc = geo_cli("validate", str(path))
    assert proc.returncode == 2 and "3 problems" in proc.stderr
    assert "stops[1].mode: 'boat'" in proc.stderr
    assert "stops[2].arrive" in proc.stderr
    assert (
        "stops[0]: the start (106.883, 47.9077) is 1,336 km from the nearest sea lane"
        in proc.stderr
    )


# README: bad input gets "exit code 2, no traceback": --engine dask without the dask extra.
def test_dask_engine_without_the_extra_says_how_to_install(tmp_path):
    table = _table(tmp_path / "f.csv", [["origin", "destination"], ["Seoul", "Tashkent"]])
    code = (
        "import sys\n"
        "for m in ('distributed', 'dask', 'dask_geopandas'): sys.modules[m] = None\n"
        "from geo.cli import main\n"
        "main(['flows', sys.argv[1], '-o', sys.argv[2], '--engine', 'dask'])\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, str(table), str(tmp_path / "o.parquet")],
        capture_output=True, text=True,
    )  # fmt: skip
    err = clean_failure(proc)
    assert "pip install 'geo-itinerary[dask]'" in err
    assert not (tmp_path / "o.parquet").exists()


# README, Export formats: a missing extension needs --format; with it, the file is written.
def test_export_without_an_extension(tmp_path):
    err = clean_failure(geo_cli("export", "-o", str(tmp_path / "trip2")))
    assert "no extension to tell the format by" in err and not (tmp_path / "trip2").exists()
    proc = geo_cli("export", "-o", str(tmp_path / "trip2"), "--format", "geojson")
    assert proc.returncode == 0, proc.stderr
    assert json.loads((tmp_path / "trip2").read_text())["type"] == "FeatureCollection"
    err = clean_failure(geo_cli("export", "-o", str(tmp_path / "t.gpkg"), "--format", "geojson"))
    assert "does not match the extension" in err


# docs/trip-format.md: a date stands for the whole local day at its stop.
@pytest.mark.parametrize(
    ("a", "b", "ok"),
    [
        (("Seoul", "KR", "2024-06-11"), ("Honolulu", "US", "2024-06-10"), True),
        (("Tashkent", "UZ", "2024-06-11"), ("Samarkand", "UZ", "2024-06-10"), False),
        (("Tashkent", "UZ", "2024-06-11"), ("Samarkand", "UZ", "2024-06-11"), True),
    ],
)
def test_dates_are_whole_local_days(tmp_path, a, b, ok):
    # The first case is the example the sentence gives.
    assert "Seoul `depart: 2024-06-11`" in (DOCS / "trip-format.md").read_text(encoding="utf-8")
    path = tmp_path / "d.yaml"
    path.write_text(
        "trip: {id: d, title: D}\nstops:\n"
        f"  - {{place: {a[0]}, country: {a[1]}, depart: {a[2]}}}\n"
        f"  - {{place: {b[0]}, country: {b[1]}, arrive: {b[2]}}}\n",
        encoding="utf-8",
    )
    proc = geo_cli("validate", str(path))
    assert (proc.returncode == 0) is ok, proc.stderr


# README: what scripts/test.sh installs is what the README says it installs.
def test_the_readme_names_every_package_the_test_script_installs():
    script = (REPO / "scripts" / "test.sh").read_text(encoding="utf-8")
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    installed = set(re.findall(r"need\+=\(([\w-]+)\)", script))
    assert installed >= {"chromium", "fonts-noto-cjk", "gdal-bin", "ffmpeg"}
    for package in installed:
        assert f"`{package}`" in readme, package
    extras = re.search(r'pip install [^\n]*-e "\.\[([\w,]+)\]"', script)
    assert extras is not None and f'pip install -e ".[{extras.group(1)}]"' in readme


# docs/trip-format.md, Numbers and limits: "trip.id is at most 64 characters".
def test_trip_id_is_at_most_64_characters(tmp_path):
    for length, ok in ((64, True), (65, False)):
        path = tmp_path / f"id{length}.yaml"
        path.write_text(
            f"trip: {{id: {'a' * length}, title: T}}\nstops:\n"
            "  - {place: Seoul, depart: 2024-06-10}\n  - {place: Busan, arrive: 2024-06-11}\n",
            encoding="utf-8",
        )
        proc = geo_cli("validate", str(path))
        assert (proc.returncode == 0) is ok, proc.stderr
        if not ok:
            assert "trip.id" in proc.stderr


# docs/trip-format.md: "Values quoted in a report are cut to a short preview".
def test_values_in_a_report_are_cut_to_a_preview(tmp_path):
    path = tmp_path / "long.yaml"
    path.write_text(
        "trip: {id: t, title: T}\nstops:\n"
        f"  - {{place: Seoul, depart: 2024-06-10, mode: {'x' * 5000}}}\n"
        "  - {place: Busan, arrive: 2024-06-11}\n",
        encoding="utf-8",
    )
    err = clean_failure(geo_cli("validate", str(path)))
    assert "stops[0].mode" in err and "x" * 200 not in err


# README, Commands: `geo map` writes maps/<trip-id>.html; with --lang ko, maps/<trip-id>.ko.html.
def test_default_output_names(tmp_path):
    for args, name in (
        ([], "k-silk-road-2024.html"),
        (["--lang", "ko"], "k-silk-road-2024.ko.html"),
    ):
        proc = subprocess.run(
            [sys.executable, "-m", "geo", "map", *args],
            capture_output=True,
            text=True,
            cwd=tmp_path,
        )
        assert proc.returncode == 0, proc.stderr
        assert (tmp_path / "maps" / name).is_file()
    assert sorted(p.name for p in (tmp_path / "maps").iterdir()) == [
        "k-silk-road-2024.html",
        "k-silk-road-2024.ko.html",
    ]


# docs/flows.md: a column one letter or two from a known one is reported as a likely typo;
# other unknown columns are kept as they are.
def test_flow_column_typos_are_reported_and_other_columns_kept(tmp_path):
    import geopandas as gpd

    typo = _table(tmp_path / "t.csv", [["orign", "destination"], ["Seoul", "Busan"]])
    err = clean_failure(geo_cli("flows", str(typo), "-o", str(tmp_path / "o.parquet")))
    assert "unknown column 'orign'" in err and "did you mean 'origin'" in err
    kept = _table(
        tmp_path / "k.csv", [["origin", "destination", "hs_code"], ["Seoul", "Busan", "0101"]]
    )
    assert geo_cli("flows", str(kept), "-o", str(tmp_path / "k.parquet")).returncode == 0
    assert gpd.read_parquet(tmp_path / "k.parquet")["hs_code"].tolist() == ["0101"]


# docs/flows.md: "The first 100 problems are listed and the rest counted."
def test_the_first_100_flow_problems_are_listed_and_the_rest_counted(tmp_path):
    rows = [["origin", "destination", "mode"]] + [["Seoul", "Busan", "boat"]] * 130
    table = _table(tmp_path / "many.csv", rows)
    err = clean_failure_long(geo_cli("flows", str(table), "-o", str(tmp_path / "o.parquet")))
    assert err.count("'boat' is not allowed") == 100
    assert "and 30 more problems" in err


def clean_failure_long(proc) -> str:
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    return proc.stderr


# README: bad input is exit code 2, for the command line itself too.
@pytest.mark.parametrize(
    "args", [["nope"], ["map", "--lang", "xx"], ["export", "--layer", "cities"], ["flows"]]
)
def test_usage_errors_are_exit_2(args):
    proc = geo_cli(*args)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
