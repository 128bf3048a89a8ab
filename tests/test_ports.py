"""Each country's main sea port (data/gazetteer/main-ports.tsv) and geo.ports, its reader."""

from __future__ import annotations

import csv
import subprocess
import sys
from functools import cache
from pathlib import Path

import numpy as np
import pyproj
import pytest
import shapely
from shapely.geometry.base import BaseGeometry

from geo import routing
from geo.basemap import countries
from geo.errors import TripFormatError
from geo.ports import MAX_NAME, Port, main_port, read_port_table

REPO_ROOT = Path(__file__).resolve().parent.parent
TABLE = REPO_ROOT / "data" / "gazetteer" / "main-ports.tsv"
SCRIPT = REPO_ROOT / "scripts" / "build_ports.py"
# CI checks the repository out with ../shared beside it; a user's clone has no source.
SOURCE = REPO_ROOT.parent / "shared" / "data" / "natural-earth"
HEADER = ["country", "port", "lat", "lon", "scalerank", "basis"]
OFFSHORE_KM = 25.0 + 0.5  # the script's limit, plus the basemap's 0.001-degree snapping


def _rows() -> list[dict[str, str]]:
    with TABLE.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


@cache
def _land() -> dict[str, BaseGeometry]:
    frame = countries("50m")
    return dict(zip(frame["iso_a2"], frame.geometry, strict=True))


def _km_to(code: str, lon: float, lat: float) -> float:
    """Geodesic distance (km) from a point to a country's land: 0 inside."""
    aeqd = pyproj.Transformer.from_crs(
        "EPSG:4326", f"+proj=aeqd +lat_0={lat} +lon_0={lon} +ellps=WGS84", always_xy=True
    )
    projected = shapely.transform(
        _land()[code], lambda xy: np.column_stack(aeqd.transform(xy[:, 0], xy[:, 1]))
    )
    return float(shapely.distance(projected, shapely.Point(0.0, 0.0))) / 1000.0


def _write(tmp_path: Path, data: str | bytes, name: str = "ports.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


# -- the bundled table ---------------------------------------------------------------------------


def test_the_table_has_one_row_per_country_of_the_basemap_sorted_by_code():
    text = TABLE.read_text(encoding="utf-8")
    assert text.splitlines()[0].split("\t") == HEADER
    assert not any(line.startswith("#") for line in text.splitlines())
    rows = _rows()
    codes = [r["country"] for r in rows]
    assert codes == sorted(set(codes))
    assert set(codes) == set(_land()) - {"", "AQ"}
    for row in rows:
        assert row["basis"] in {"own", "foreign"}, row
        assert row["port"] and row["port"] == row["port"].strip(), row
        assert -90 <= float(row["lat"]) <= 90 and -180 <= float(row["lon"]) <= 180, row
        assert len(row["lat"].split(".")[1]) == len(row["lon"].split(".")[1]) == 5, row
        assert 3 <= int(row["scalerank"]) <= 8, row


def test_an_own_port_is_in_its_country_and_a_foreign_one_outside_it():
    rows = _rows()
    own = [r for r in rows if r["basis"] == "own"]
    assert len(own) > 120  # most countries have a coast and a Natural Earth port on it
    for row in rows:
        km = _km_to(row["country"], float(row["lon"]), float(row["lat"]))
        if row["basis"] == "own":
            assert km <= OFFSHORE_KM, row
        else:
            assert km > 0, row


def test_every_port_can_start_a_sea_lane():
    rows = _rows()
    lon = [float(r["lon"]) for r in rows]
    lat = [float(r["lat"]) for r in rows]
    far = [r["port"] for r, km in zip(rows, routing.snap_km(lon, lat), strict=True) if km > 250]
    assert far == [] and routing.SNAP_LIMIT_KM == 250


def test_korea_trades_through_a_korean_port_on_the_sea_network():
    port = main_port("KR")
    assert port is not None and port.country == "KR" and port.basis == "own"
    assert _km_to("KR", port.lon, port.lat) <= OFFSHORE_KM
    # Natural Earth has no Busan; its best Korean port, Ulsan, is 2.9 km from a network node.
    assert routing.snap_km(port.lon, port.lat)[0] < 5.0


@pytest.mark.parametrize("code", ["MN", "CH", "KZ", "LA"])
def test_a_landlocked_country_trades_through_another_countrys_port(code):
    port = main_port(code)
    assert port is not None and port.country == code and port.basis == "foreign"
    assert _km_to(code, port.lon, port.lat) > 50
    point = shapely.Point(port.lon, port.lat)
    near = [c for c, land in _land().items() if c not in {"", code} and land.dwithin(point, 1.0)]
    elsewhere = [c for c in near if _km_to(c, port.lon, port.lat) <= OFFSHORE_KM]
    assert elsewhere, f"{port.name} is in no other country"


@pytest.mark.parametrize("given", ["KR", "kr", "KOR", "South Korea", "Korea, Republic of"])
def test_a_country_is_given_by_any_code_or_name(given):
    assert main_port(given) == main_port("KR")


@pytest.mark.parametrize("given", ["AQ", "XX", "", "<script>", "W00"])
def test_no_port_for_antarctica_or_what_is_no_country(given):
    assert main_port(given) is None


@pytest.mark.skipif(
    not (SOURCE / "ne_10m_ports.json").is_file(),
    reason=f"Natural Earth source not found at {SOURCE} (../shared beside the repository)",
)
def test_the_table_is_what_the_script_writes(tmp_path):
    out = tmp_path / "main-ports.tsv"
    subprocess.run(
        [sys.executable, str(SCRIPT), "--source", str(SOURCE), "--out", str(out)],
        check=True,
        capture_output=True,
        cwd=REPO_ROOT,
    )
    assert out.read_bytes() == TABLE.read_bytes(), "stale table: run scripts/build_ports.py"


# -- a user's override table ---------------------------------------------------------------------


def test_overrides_win_over_the_bundled_table(tmp_path):
    path = _write(
        tmp_path,
        "\ufeffCountry,Port,Lat,Lon,note\r\n"
        "KOR,Busan,35.1028,129.0403,the container port\r\n"
        "\r\n"
        "Netherlands,Rotterdam,51.95,4.05,\r\n"
        'SG,"Port, quoted",1,2,\r\n',
    )
    table = read_port_table(path)
    assert table == {
        "KR": Port("KR", "Busan", 35.1028, 129.0403, "override"),
        "NL": Port("NL", "Rotterdam", 51.95, 4.05, "override"),
        "SG": Port("SG", "Port, quoted", 1.0, 2.0, "override"),
    }
    assert main_port("KR", table) == table["KR"]
    assert main_port("South Korea", table) == table["KR"]
    assert main_port("JP", table) == main_port("JP")
    assert main_port("JP") is not None and main_port("JP", table).basis == "own"
    assert main_port("KR", {}) == main_port("KR")


def test_a_table_with_only_a_header_gives_no_ports(tmp_path):
    assert read_port_table(_write(tmp_path, "country,port,lat,lon\n")) == {}


HEAD = "country,port,lat,lon\n"
LONG = "9" * 100_000

BAD_TABLES = [
    # (file content, line, words in the message)
    ("", 1, "missing columns country, port, lat, lon"),
    ("country,port,lat\nKR,Busan,35\n", 1, "missing column lon; found 'country,port,lat'"),
    ("country;port;lat;lon\nKR;Busan;35;129\n", 1, "missing columns"),
    ("country,port,lat,lon,lat\nKR,Busan,35,129,36\n", 1, "column lat given twice"),
    (HEAD + "XX,Nowhere,1,2\n", 2, "country 'XX' is not a known country"),
    (HEAD + ",Busan,35,129\n", 2, "country is missing"),
    (HEAD + "KR,,35,129\n", 2, "port is missing"),
    (HEAD + "KR,Busan,north,129\n", 2, "lat 'north' is not a number"),
    (HEAD + "KR,Busan,nan,129\n", 2, "lat 'nan' is not a number"),
    (HEAD + 'KR,Busan,"35,1",129\n', 2, "lat '35,1' is not a number"),
    (HEAD + "KR,Busan,95,129\n", 2, "lat '95' is out of range"),
    (HEAD + "KR,Busan,35,-181\n", 2, "lon '-181' is out of range"),
    (HEAD + "KR,Busan,35\n", 2, "lon is missing"),
    (HEAD + "KR,Busan,35,129,extra\n", 2, "has 5 fields but the header has 4"),
    (HEAD + "KR,Busan,35,129\nKOR,Incheon,37.4,126.6\n", 3, "country KR is given again (first on line 2)"),
    (HEAD + 'KR,"Bu\nsan",35,129\nXX,Nowhere,1,2\n', 4, "country 'XX'"),
    (HEAD.encode() + b"KR,Pusan\xff,35,129\n", 2, "is not UTF-8 text (invalid start byte"),
    (b"\xef\xbb\xbfcountry,port,lat,lon\r\n\xc0\r\n", 2, "is not UTF-8 text (invalid start byte at byte 25)"),
    (HEAD + "<script>alert(1)</script>,Busan,35,129\n", 2, "country '<script>alert(1)</script>' is not"),
    (HEAD + "{{7*7}},Busan,35,129\n", 2, "country '{{7*7}}' is not a known country"),
    (HEAD + "KR,<b>Busan</b>,35,129\n", 2, "port '<b>Busan</b>' is not plain text"),
    (HEAD + "KR,{{7*7}},35,129\n", 2, "port '{{7*7}}' is not plain text"),
    (HEAD + "KR,Bu\x1bsan,35,129\n", 2, "port 'Bu\\x1bsan' is not plain text"),
    (HEAD + f"KR,{'B' * (MAX_NAME + 1)},35,129\n", 2, f"is {MAX_NAME + 1} characters long"),
    (HEAD + f"KR,{LONG},35,129\n", 2, "port '99999"),
    (HEAD + f"{LONG},Busan,35,129\n", 2, "country '99999"),
    (HEAD + f"KR,Busan,{LONG},129\n", 2, "lat '99999"),
]  # fmt: skip


@pytest.mark.parametrize(("data", "line", "words"), BAD_TABLES)
def test_a_bad_table_names_the_file_the_line_and_the_value(tmp_path, data, line, words):
    path = _write(tmp_path, data)
    with pytest.raises(TripFormatError) as caught:
        read_port_table(path)
    assert caught.value.source == str(path)
    assert [p.where for p in caught.value.problems][:1] == [f"ports.csv:{line}"]
    assert words in caught.value.problems[0].message
    assert all(p.fix for p in caught.value.problems)


@pytest.mark.parametrize("cell", [LONG, "<script>alert(1)</script>", "{{7*7}}"])
@pytest.mark.parametrize("column", ["country", "port", "lat"])
def test_a_hostile_cell_stays_short_text_in_the_message(tmp_path, cell, column):
    good = {"country": "KR", "port": "Busan", "lat": "35", "lon": "129"}
    row = ",".join(cell if c == column else v for c, v in good.items())
    with pytest.raises(TripFormatError) as caught:
        read_port_table(_write(tmp_path, HEAD + row + "\n"))
    (problem,) = caught.value.problems
    assert len(str(problem)) < 300
    assert "49" not in problem.message  # a template was not evaluated
    # Shown as the trip checker shows values: a repr, cut to 60 characters in the middle.
    shown = repr(cell) if len(cell) < 60 else f"'{cell[:20]}"
    assert shown in problem.message and (len(cell) < 60 or "..." in problem.message)


def test_every_problem_of_a_table_is_reported_at_once(tmp_path):
    path = _write(tmp_path, HEAD + "XX,A,1,2\nKR,,1,2\nJP,Kobe,91,2\nKR,Busan,35,129\nKR,B,1,2\n")
    with pytest.raises(TripFormatError) as caught:
        read_port_table(path)
    assert [p.where for p in caught.value.problems] == [f"ports.csv:{n}" for n in (2, 3, 4, 6)]
    assert str(caught.value).startswith(f"{path}: 4 problems\n  ports.csv:2: country 'XX'")


def test_an_unreadable_table_is_a_format_error(tmp_path):
    with pytest.raises(TripFormatError, match="cannot be read"):
        read_port_table(tmp_path / "missing.csv")
