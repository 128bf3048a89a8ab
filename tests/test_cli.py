"""The command line: output people read, exit codes, and no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys

from click.testing import CliRunner

from geo.cli import main
from tests.conftest import write


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_info_bundled():
    result = run("info")
    assert result.exit_code == 0
    out = result.output
    for name in ("Seongnam", "Ashgabat", "Astana", "Tashkent", "Samarkand"):
        assert name in out
    assert "depart Jun 10, 2024" in out and "arrive Jun 16, 2024" in out
    assert "Seongnam → Ashgabat" in out and "5,915.9 km" in out
    assert "Total" in out
    assert "USD 200 million (KRW 270 billion)" in out


def test_info_korean_and_nautical():
    out = run("info", "--lang", "ko", "--nm").output
    assert "성남 → 아슈하바트" in out and "2024년 6월 10일" in out
    assert "해리" in out and "nmi" not in out  # the unit is a word of the catalog


def test_validate_ok():
    result = run("validate")
    assert result.exit_code == 0 and "valid: 6 stops" in result.output


def test_validate_bad_file_exit_2_without_traceback(tmp_path):
    bad = write(
        tmp_path,
        "trip: {id: t, title: T}\nstops:\n"
        "  - {place: Seongnam, lat: 95, lon: 127}\n"
        "  - {place: Ashgabat, arive: 2024-06-10}\n"
        "  - {place: Astana, arrive: 2024-06-12, depart: 2024-06-11}\n",
    )
    proc = subprocess.run(
        [sys.executable, "-m", "geo", "validate", str(bad)], capture_output=True, text=True
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert f"{bad}: 3 problems" in proc.stderr
    for where in ("stops[0].lat", "stops[1].arive", "stops[2].depart"):
        assert where in proc.stderr
    assert proc.stdout == ""


def test_missing_file_exit_2(tmp_path):
    result = CliRunner().invoke(main, ["info", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2
    assert "no such file" in result.output


def test_export_stdout_is_geojson():
    result = run("export", "--layer", "stops")
    data = json.loads(result.output)
    assert data["type"] == "FeatureCollection" and len(data["features"]) == 6


def test_export_bad_input_writes_nothing(tmp_path):
    bad = write(tmp_path, "trip: {id: t, title: T}\nstops: [{place: Seongnam}]\n")
    out = tmp_path / "out.geojson"
    result = CliRunner().invoke(main, ["export", str(bad), "-o", str(out)])
    assert result.exit_code == 2
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [bad]


def test_help_lists_commands_and_is_light():
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "geo", "--help"], capture_output=True, text=True
    )
    assert proc.returncode == 0
    for cmd in ("validate", "info", "export"):
        assert cmd in proc.stdout
    # --help must not pay for the heavy libraries.
    for heavy in ("geopandas", "folium", "pandas", "shapely", "pyproj", "numpy"):
        assert f" {heavy}\n" not in proc.stderr, heavy
