"""geo flows: flow tables checked, routed and written; the local and Dask engines agree."""

from __future__ import annotations

import csv
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import shapely
from click.testing import CliRunner

from geo.cli import main

PORTS = [
    ("Busan", "KR"), ("Shanghai", "CN"), ("Singapore", "SG"), ("Rotterdam", "NL"),
    ("Hamburg", "DE"), ("Los Angeles", "US"), ("Houston", "US"), ("Santos", "BR"),
    ("Durban", "ZA"), ("Mumbai", "IN"), ("Jeddah", "SA"), ("Yokohama", "JP"),
    ("Sydney", "AU"), ("Vancouver", "CA"), ("Lagos", "NG"), ("Piraeus", "GR"),
    ("Colombo", "LK"), ("Jakarta", "ID"), ("Ulsan", "KR"), ("Seattle", "US"),
]  # fmt: skip
HEADER = [
    "origin", "origin_country", "destination", "destination_country", "mode", "goods",
    "value_amount", "value_currency", "note",
]  # fmt: skip


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def write_table(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
    return path


def synthetic(path: Path, n: int, seed: int = 15) -> Path:
    """``n`` flows between 20 ports, sea and air, a few via a port or given as coordinates."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        a, b = rng.choice(len(PORTS), 2, replace=False)
        (o, oc), (d, dc) = PORTS[a], PORTS[b]
        mode = "sea" if rng.random() < 0.5 else "air"
        rows.append([o, oc, d, dc, mode, "cars", f"{rng.integers(1, 10**6)}", "USD", f"n{i}"])
    return write_table(path, rows)


def frame(path: Path):
    """A flow output in the table's row order (files are written in spatial order; each row
    keeps its ``input_row``)."""
    import geopandas as gpd

    got = gpd.read_parquet(path)
    return got.sort_values("input_row", kind="stable").reset_index(drop=True)


# -- rows and paths ------------------------------------------------------------------------


def test_local_run_columns_paths_and_distances(tmp_path):
    table = write_table(
        tmp_path / "t.csv",
        [
            ["Busan", "KR", "Rotterdam", "NL", "sea", "cars", "1200000", "usd", "a"],
            ["Incheon", "KR", "Frankfurt", "DE", "air", "chips", "5000", "USD", "b"],
            ["Busan", "KR", "Los Angeles", "US", "", "", "", "", "c"],
        ],
    )
    result = run("flows", table, "-o", tmp_path / "out.parquet")
    assert result.exit_code == 0, result.output
    got = frame(tmp_path / "out.parquet")
    assert list(got.columns) == [*HEADER, "path", "distance_km", "input_row"]
    assert got["input_row"].tolist() == [0, 1, 2]
    assert got.crs.to_epsg() == 4326
    assert got["value_currency"].tolist()[:2] == ["USD", "USD"]
    assert got["value_amount"].tolist()[:2] == [1_200_000.0, 5000.0]
    assert got["note"].tolist() == ["a", "b", "c"]  # an unknown column is kept as it is
    # Busan -> Rotterdam by sea goes round through Suez: far longer than the great circle.
    sea, air, none = got["distance_km"].tolist()
    assert 19_000 < sea < 21_500
    assert 8_400 < air < 8_700  # Incheon -> Frankfurt geodesic
    # A flow with no mode is drawn as a geodesic, as a trip route is; across the Pacific it is
    # cut at the antimeridian (RFC 7946).
    assert got.geometry.iloc[2].geom_type == "MultiLineString"
    assert 9_500 < none < 9_700


def test_via_points_join_hops_end_to_end(tmp_path):
    header = ["origin", "destination", "mode", "via"]
    table = write_table(
        tmp_path / "t.csv",
        [["Busan", "Rotterdam", "air", "Dubai; 41.3, 69.2"], ["Busan", "Rotterdam", "air", ""]],
        header,
    )
    assert run("flows", table, "-o", tmp_path / "o.parquet").exit_code == 0
    via, direct = frame(tmp_path / "o.parquet").geometry.tolist()
    assert via.length > direct.length
    coords = shapely.get_coordinates(via)
    assert np.allclose(coords[0], [129.03004, 35.10168])
    assert np.allclose(coords[-1], [4.47917, 51.9225])
    assert np.isclose(shapely.get_coordinates(via)[:, 0], 69.2).any()  # passes the via point


def test_admin1_settles_an_ambiguous_origin(tmp_path):
    header = ["origin", "origin_country", "origin_admin1", "destination", "mode"]
    rows = [
        ["Springfield", "US", "", "Chicago", "air"],
        ["Springfield", "US", "Missouri", "Chicago", "air"],
    ]
    table = write_table(tmp_path / "t.csv", rows, header)
    result = run("flows", table, "-o", tmp_path / "o.parquet")
    assert result.exit_code == 2
    assert "t.csv:2 origin: 'Springfield' is ambiguous" in result.output
    assert "t.csv:3" not in result.output
    write_table(tmp_path / "t.csv", rows[1:], header)
    assert run("flows", table, "-o", tmp_path / "o.parquet").exit_code == 0
    start = shapely.get_coordinates(frame(tmp_path / "o.parquet").geometry.iloc[0])[0]
    assert start[0] == pytest.approx(-93.3, abs=0.2)  # Springfield, Missouri


def test_parquet_input_gives_the_same_rows_as_csv(tmp_path):
    import pandas as pd

    table = synthetic(tmp_path / "t.csv", 60)
    pq_table = tmp_path / "t.parquet"
    pd.read_csv(table, dtype=str).to_parquet(pq_table, row_group_size=7)
    assert run("flows", table, "-o", tmp_path / "a.parquet", "--partition-rows", 25).exit_code == 0
    assert (
        run("flows", pq_table, "-o", tmp_path / "b.parquet", "--partition-rows", 9).exit_code == 0
    )
    a, b = frame(tmp_path / "a.parquet"), frame(tmp_path / "b.parquet")
    assert a.drop(columns="path").equals(b.drop(columns="path"))
    assert a.geometry.geom_equals_exact(b.geometry, 0).all()


def test_same_bytes_every_run_and_partitioning_does_not_matter(tmp_path):
    table = synthetic(tmp_path / "t.csv", 80)
    outs = []
    for k, rows in enumerate(("80", "80", "13")):
        out = tmp_path / f"o{k}.parquet"
        assert run("flows", table, "-o", out, "--partition-rows", rows).exit_code == 0
        outs.append(out)
    assert outs[0].read_bytes() == outs[1].read_bytes()
    a, c = frame(outs[0]), frame(outs[2])
    assert a.drop(columns="path").equals(c.drop(columns="path"))
    assert (a.geometry.to_wkb() == c.geometry.to_wkb()).all()
    for fmt in ("geojson", "gpkg"):
        one, two = tmp_path / f"1.{fmt}", tmp_path / f"2.{fmt}"
        run("flows", table, "-o", one)
        run("flows", table, "-o", two)
        assert one.read_bytes() == two.read_bytes()
    doc = json.loads((tmp_path / "1.geojson").read_text())
    assert len(doc["features"]) == 80 and doc["features"][0]["id"] == "flows-1"


def test_empty_table_gives_every_column(tmp_path):
    table = write_table(tmp_path / "t.csv", [])
    assert run("flows", table, "-o", tmp_path / "o.parquet").exit_code == 0
    got = frame(tmp_path / "o.parquet")
    assert len(got) == 0 and "distance_km" in got.columns


# -- problems ------------------------------------------------------------------------------


def test_every_problem_by_file_and_line_at_once_nothing_written(tmp_path):
    rows = [
        ["Busan", "KR", "Rotterdam", "NL", "sea", "cars", "1", "USD", ""],  # line 2: good
        ["Nowhere-on-Sea", "", "Rotterdam", "NL", "sea", "", "1", "USD", ""],  # 3: unknown place
        ["Busan", "KR", "Rotterdam", "NL", "boat", "", "1", "USD", ""],  # 4: mode
        ["Busan", "KR", "Rotterdam", "XX", "air", "", "-5", "dollars", ""],  # 5: three
        ['<script>alert("x")</script>', "", "{{7*7}}", "", "air", "", "1e400", "USD", ""],  # 6
        ["Busan", "KR", "", "", "air", "", "", "USD", ""],  # 7: destination, amount missing
    ]
    table = write_table(tmp_path / "t.csv", rows)
    out = tmp_path / "o.parquet"
    result = CliRunner().invoke(
        main, ["flows", str(table), "-o", str(out), "--partition-rows", "2"]
    )
    assert result.exit_code == 2
    text = result.output
    assert "Traceback" not in text
    for expected in (
        "t.csv:3 origin: 'Nowhere-on-Sea' is not a known place",
        "t.csv:4 mode: 'boat' is not allowed; use one of: rail, road, sea, pipeline, air",
        "t.csv:5 destination_country: 'XX' is not a country (an ISO 3166-1 code or an English",
        "t.csv:5 value_amount: '-5' is not a non-negative amount",
        "t.csv:5 value_currency: 'dollars' is not an ISO 4217 currency code; did you mean 'USD'?",
        "t.csv:6 origin: '<script>alert(\"x\")</script>' is not a known place",
        "t.csv:6 destination: '{{7*7}}' is not a known place",
        "t.csv:6 value_amount: '1e400' is not a non-negative amount",
        "t.csv:7 destination: missing",
        "t.csv:7 value_amount: missing",
    ):
        assert expected in text, expected
    assert "t.csv:2" not in text
    assert not out.exists() and [p.name for p in tmp_path.iterdir()] == ["t.csv"]


def test_countries_alone_are_placed_at_their_capitals(tmp_path):
    """Trade statistics name countries, not ports: alpha-2, alpha-3 or an English name, at the
    capital; the output carries alpha-2 codes."""
    header = ["origin_country", "destination_country", "value_amount", "value_currency"]
    table = write_table(
        tmp_path / "t.csv",
        [
            ["KOR", "UZB", "200000000", "USD"],
            ["Kazakhstan", "South Korea", "5", "USD"],
            ["KR", "TM", "1", "USD"],
        ],
        header,
    )
    result = run("flows", table, "-o", tmp_path / "out.parquet")
    assert result.exit_code == 0, result.output
    got = frame(tmp_path / "out.parquet")
    assert got["origin_country"].tolist() == ["KR", "KZ", "KR"]
    assert got["destination_country"].tolist() == ["UZ", "KR", "TM"]
    seoul, tashkent = got.geometry.iloc[0].coords[0], got.geometry.iloc[0].coords[-1]
    assert abs(seoul[0] - 126.98) < 0.1 and abs(seoul[1] - 37.57) < 0.1
    assert abs(tashkent[0] - 69.22) < 0.1 and abs(tashkent[1] - 41.26) < 0.1
    astana = got.geometry.iloc[1].coords[0]
    assert abs(astana[0] - 71.45) < 0.1 and abs(astana[1] - 51.18) < 0.1


def test_aggregates_of_trade_statistics_are_named_by_line(tmp_path):
    header = ["origin_country", "destination_country", "value_amount", "value_currency"]
    table = write_table(
        tmp_path / "t.csv",
        [
            ["KOR", "W00", "1", "USD"],
            ["World", "KOR", "1", "USD"],
            ["KOR", "Other Asia, nes", "1", "USD"],
            ["KOR", "<b>Atlantis</b>", "1", "USD"],
            ["KOR", "UZB", "1", "USD"],
        ],
        header,
    )
    result = CliRunner().invoke(main, ["flows", str(table), "-o", str(tmp_path / "o.parquet")])
    assert result.exit_code == 2 and "Traceback" not in result.output
    for expected in (
        "t.csv:2 destination_country: 'W00' is an aggregate of trade statistics, not a country",
        "t.csv:3 origin_country: 'World' is an aggregate",
        "t.csv:4 destination_country: 'Other Asia, nes' is an aggregate",
        "t.csv:5 destination_country: '<b>Atlantis</b>' is not a country",
    ):
        assert expected in result.output, expected
    assert "t.csv:6" not in result.output
    assert not (tmp_path / "o.parquet").exists()


def test_a_quoted_cell_across_lines_keeps_line_numbers(tmp_path):
    table = tmp_path / "t.csv"
    table.write_text(
        'origin,destination,mode,goods\nBusan,Rotterdam,sea,"cars\nand parts"\nBusan,Nowhere-ville,air,\n',
        encoding="utf-8",
    )
    result = run("flows", table, "-o", tmp_path / "o.parquet", "--partition-rows", "1")
    assert result.exit_code == 2
    assert "t.csv:4 destination: 'Nowhere-ville' is not a known place" in result.output


def test_not_utf8_names_the_line(tmp_path):
    table = tmp_path / "t.csv"
    table.write_bytes(b"origin,destination\nBusan,Rotterdam\nBusan,Rotterdam\n\xff\xfe,Rotterdam\n")
    result = run("flows", table, "-o", tmp_path / "o.parquet")
    assert result.exit_code == 2
    assert "t.csv:4: not UTF-8 text" in result.output
    assert not (tmp_path / "o.parquet").exists()


def test_parquet_rows_are_named_by_number_and_typed_cells_checked(tmp_path):
    import pandas as pd

    table = tmp_path / "t.parquet"
    pd.DataFrame(
        {
            "origin_lat": [35.1, 95.0, 35.1],
            "origin_lon": [129.0, 129.0, 129.0],
            "destination": ["Rotterdam", "Rotterdam", None],
            "value_amount": [1.0, float("nan"), 2.0],
            "value_currency": ["USD", "USD", "USD"],
        }
    ).to_parquet(table)
    result = run("flows", table, "-o", tmp_path / "o.parquet")
    assert result.exit_code == 2
    assert "t.parquet row 2 origin_lat: 95.0 is not a latitude" in result.output
    assert "t.parquet row 2 value_amount: missing" in result.output  # NaN is null in Parquet
    assert "t.parquet row 3 destination: missing" in result.output
    assert "row 1" not in result.output


def test_missing_and_misspelt_columns(tmp_path):
    table = write_table(
        tmp_path / "t.csv", [["Busan", "x", "1"]], ["orign", "destination", "vaue_amount"]
    )
    result = run("flows", table, "-o", tmp_path / "o.parquet")
    assert result.exit_code == 2
    assert "t.csv:1: no column 'origin'" in result.output
    assert "unknown column 'orign'; did you mean 'origin'?" in result.output
    assert "unknown column 'vaue_amount'; did you mean 'value_amount'?" in result.output


def test_inland_sea_flow_and_passages(tmp_path):
    header = ["origin", "destination", "mode", "avoid"]
    rows = [
        ["Busan", "Rotterdam", "sea", "suez"],  # fine: round the Cape
        ["Ulaanbaatar", "Rotterdam", "sea", ""],  # inland
        ["Busan", "Rotterdam", "air", "suez"],  # passages are for sea only
        ["Busan", "Rotterdam", "sea", "suex"],
    ]
    table = write_table(tmp_path / "t.csv", rows, header)
    result = run("flows", table, "-o", tmp_path / "o.parquet")
    assert result.exit_code == 2
    assert "t.csv:4 avoid: passages shape sea lanes only" in result.output
    assert "t.csv:5 avoid[0]: 'suex' is not a passage; did you mean 'suez'?" in result.output
    table = write_table(tmp_path / "t.csv", rows[:2], header)
    result = run("flows", table, "-o", tmp_path / "o.parquet")
    assert result.exit_code == 2
    assert "t.csv:3: the start (106.883, 47.9077) is" in result.output
    assert "km from the nearest sea lane" in result.output
    table = write_table(tmp_path / "t.csv", rows[:1], header)
    assert run("flows", table, "-o", tmp_path / "o.parquet").exit_code == 0
    assert frame(tmp_path / "o.parquet")["distance_km"].iloc[0] > 23_500  # round Africa


def test_hostile_names_on_the_map_stay_text(tmp_path):
    header = [
        "origin",
        "origin_lat",
        "origin_lon",
        "destination",
        "mode",
        "value_amount",
        "value_currency",
    ]
    name = "{{7*7}}<img src=x onerror=alert(1)>"
    table = write_table(
        tmp_path / "t.csv", [[name, "35.1", "129.0", "Rotterdam", "sea", "5", "USD"]], header
    )
    out = tmp_path / "m.html"
    assert run("flows", table, "--top", "1", "-o", out).exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert "<img src=x" not in html and "{{7*7}}" in html  # kept as data, not markup nor template
    assert run("flows", table, "-o", tmp_path / "o.geojson").exit_code == 0
    props = json.loads((tmp_path / "o.geojson").read_text())["features"][0]["properties"]
    assert props["origin"] == name


def test_many_problems_are_counted_not_all_listed(tmp_path):
    rows = [["Nowhere-on-Sea", "", "Rotterdam", "NL", "air", "", "", "", ""]] * 500
    table = write_table(tmp_path / "t.csv", rows)
    result = run("flows", table, "-o", tmp_path / "o.parquet", "--partition-rows", "40")
    assert result.exit_code == 2
    assert "t.csv:501 origin" not in result.output
    assert "t.csv:101 origin" in result.output
    assert "and 400 more problems" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-o", "{tmp}/o.txt"], "unknown output format"),
        (["-o", "{tmp}"], "is a folder"),
        (["-o", "{tmp}/o.parquet", "--scheduler", "tcp://127.0.0.1:9"], "--scheduler needs"),
        (["-o", "{tmp}/o.parquet", "--columns", "bogus"], "is not FLOW_COLUMN=TABLE_COLUMN"),
        (["--top", "3", "-o", "{tmp}/o.parquet"], "--top draws a map"),
    ],
)
def test_bad_requests_are_one_line_exit_2(tmp_path, args, message):
    table = synthetic(tmp_path / "t.csv", 3)
    result = run("flows", table, *[a.format(tmp=tmp_path) for a in args])
    assert result.exit_code == 2
    assert message in result.output and len(result.output.strip().splitlines()) == 1


def test_library_parameters_are_checked(tmp_path):
    from geo.engines import run_flows
    from geo.errors import ParameterError
    from geo.flowmap import top_flows

    table = synthetic(tmp_path / "t.csv", 3)
    with pytest.raises(ParameterError, match="'spark' is not an engine; use one of local, dask"):
        run_flows(table, tmp_path / "o.parquet", engine="spark")
    with pytest.raises(ParameterError, match="partition-rows: 0 is not a positive number"):
        run_flows(table, tmp_path / "o.parquet", partition_rows=0)
    with pytest.raises(ParameterError, match="top: 0 is not"):
        top_flows(table, 0)
    assert not (tmp_path / "o.parquet").exists()


def test_unknown_table_file(tmp_path):
    result = run("flows", tmp_path / "nope.csv", "-o", tmp_path / "o.parquet")
    assert result.exit_code == 2 and "no such file" in result.output


# -- the map -----------------------------------------------------------------------------------


def test_top_flows_map(tmp_path):
    from geo.flowmap import top_flows

    rows = [
        ["Busan", "KR", "Rotterdam", "NL", "sea", "cars", "100", "USD", ""],
        ["Busan", "KR", "Rotterdam", "NL", "sea", "ships", "300", "USD", ""],  # summed: 400
        ["Incheon", "KR", "Frankfurt", "DE", "air", "<b>chips</b>", "250", "USD", ""],
        ["Busan", "KR", "Los Angeles", "US", "sea", "cars", "10", "USD", ""],
        ["Busan", "KR", "Los Angeles", "US", "sea", "cars", "999999", "KRW", ""],
    ]
    table = write_table(tmp_path / "t.csv", rows)
    result = run("flows", table, "--top", "2", "-o", tmp_path / "m.html")
    assert (
        result.exit_code == 2 and "--currency" in result.output and "KRW (1 flows)" in result.output
    )
    top = top_flows(table, 2, "USD")
    assert [(c.origin, c.destination, c.value, c.flows) for c in top] == [
        ("Busan", "Rotterdam", 400.0, 2),
        ("Incheon", "Frankfurt", 250.0, 1),
    ]
    out = tmp_path / "m.html"
    result = run("flows", table, "--top", "2", "--currency", "usd", "-o", out)
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "<b>chips</b>" not in html  # data travels as JSON, escaped
    from geo.flowmap import top_trip
    from geo.render.payload import build_payload

    payload = build_payload(top_trip(top, "t", "t"), "en")
    widths = [r["width"] for r in payload["routes"]]
    assert len(widths) == 2 and widths[0] > widths[1]
    # Square-root scale: 400 vs 250 in value.
    assert widths[1] / widths[0] == pytest.approx((250 / 400) ** 0.5, abs=0.03)
    again = tmp_path / "n.html"
    assert run("flows", table, "--top", "2", "--currency", "USD", "-o", again).exit_code == 0
    assert out.read_bytes() == again.read_bytes()


# -- Dask ----------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _dask_bin(name: str) -> list[str]:
    return [sys.executable, "-m", f"distributed.cli.dask_{name}"]


@pytest.fixture(scope="module")
def dask_cluster(tmp_path_factory):
    """``dask scheduler`` and two ``dask worker`` processes on 127.0.0.1, always stopped."""
    pytest.importorskip("distributed")
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    logs = tmp_path_factory.mktemp("dask")
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    procs = []
    try:
        procs.append(
            subprocess.Popen(
                [
                    *_dask_bin("scheduler"),
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                    "--dashboard-address",
                    f"127.0.0.1:{_free_port()}",
                ],  # fmt: skip
                stdout=subprocess.DEVNULL,
                stderr=(logs / "scheduler.log").open("w"),
                env=env,
            )
        )
        for k in range(2):
            procs.append(
                subprocess.Popen(
                    [
                        *_dask_bin("worker"),
                        address,
                        "--nthreads",
                        "1",
                        "--nworkers",
                        "1",
                        "--no-dashboard",
                        "--host",
                        "127.0.0.1",
                        "--name",
                        f"w{k}",
                        "--death-timeout",
                        "60",
                        "--local-directory",
                        str(logs),
                    ],  # fmt: skip
                    stdout=subprocess.DEVNULL,
                    stderr=(logs / f"worker{k}.log").open("w"),
                    env=env,
                )
            )
        from distributed import Client

        deadline = time.monotonic() + 45
        with Client(address, timeout=45) as client:
            while len(client.scheduler_info()["workers"]) < 2:
                assert time.monotonic() < deadline, "the two workers did not join in 45 s"
                assert all(p.poll() is None for p in procs), "a Dask process died"
                time.sleep(0.2)
        yield address
    finally:
        for p in reversed(procs):
            p.terminate()
        for p in reversed(procs):
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait(timeout=5)


@pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::FutureWarning")
@pytest.mark.filterwarnings("ignore:The inplace keyword")
def test_dask_cluster_gives_the_same_rows_and_geometries_as_local(tmp_path, dask_cluster):
    table = synthetic(tmp_path / "t.csv", 3000)
    local, dask = tmp_path / "local.parquet", tmp_path / "dask.parquet"
    common = ["--partition-rows", "400"]
    assert run("flows", table, "-o", local, *common).exit_code == 0
    result = run(
        "flows", table, "-o", dask, "--engine", "dask", "--scheduler", dask_cluster, *common
    )
    assert result.exit_code == 0, result.output
    assert dask.is_dir()
    parts = sorted(p.name for p in dask.iterdir())
    assert parts == [f"part-{k:05d}.parquet" for k in range(8)]
    a, b = frame(local), frame(dask)
    assert len(a) == 3000
    assert a.drop(columns="path").equals(b.drop(columns="path"))
    assert (a.geometry.to_wkb() == b.geometry.to_wkb()).all()
    # Every part file is GeoParquet 1.1 with its covering, zstd (engines can prune).
    from tests.test_geoparquet import check_geoparquet

    check_geoparquet(dask)
    # Both workers took part, and the folder is a dataset dask-geopandas reads.
    assert "2 processes" in result.output
    dask_geopandas = pytest.importorskip("dask_geopandas")
    assert len(dask_geopandas.read_parquet(dask).compute()) == 3000
    # A second run replaces the folder whole.
    result = run("flows", table, "-o", dask, "--engine", "dask", "--scheduler", dask_cluster)
    assert result.exit_code == 0
    assert sorted(p.name for p in dask.iterdir()) == ["part-00000.parquet"]


def test_dask_reports_problems_from_every_worker(tmp_path, dask_cluster):
    rows = [["Busan", "KR", "Rotterdam", "NL", "sea", "", "1", "USD", ""]] * 30
    rows[3] = ["Nowhere-on-Sea", "", "Rotterdam", "NL", "sea", "", "1", "USD", ""]
    rows[27] = ["Busan", "KR", "Rotterdam", "NL", "sea", "", "1", "EURO", ""]
    table = write_table(tmp_path / "t.csv", rows)
    out = tmp_path / "o.parquet"
    result = CliRunner().invoke(
        main,
        [
            "flows",
            str(table),
            "-o",
            str(out),
            "--engine",
            "dask",
            "--scheduler",
            dask_cluster,
            "--partition-rows",
            "10",
        ],  # fmt: skip
    )
    assert result.exit_code == 2
    assert "t.csv:5 origin: 'Nowhere-on-Sea'" in result.output
    assert "t.csv:29 value_currency: 'EURO'" in result.output
    assert not out.exists()


def test_unreachable_scheduler_is_one_line_exit_2(tmp_path):
    pytest.importorskip("distributed")
    table = synthetic(tmp_path / "t.csv", 3)
    out = tmp_path / "o.parquet"
    address = f"tcp://127.0.0.1:{_free_port()}"
    start = time.monotonic()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "geo",
            "flows",
            str(table),
            "-o",
            str(out),
            "--engine",
            "dask",
            "--scheduler",
            address,
        ],  # fmt: skip
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert time.monotonic() - start < 30
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(
        f"error: cannot reach the Dask scheduler at {address}"
    )
    assert not out.exists()


def test_local_cluster(tmp_path):
    pytest.importorskip("distributed")
    table = synthetic(tmp_path / "t.csv", 40)
    local, dask = tmp_path / "a.parquet", tmp_path / "b.parquet"
    assert run("flows", table, "-o", local).exit_code == 0
    result = run("flows", table, "-o", dask, "--engine", "dask", "--workers", "1")
    assert result.exit_code == 0, result.output
    assert "dask dashboard: http://" in result.output
    a, b = frame(local), frame(dask)
    assert a.drop(columns="path").equals(b.drop(columns="path"))
    assert (a.geometry.to_wkb() == b.geometry.to_wkb()).all()


def test_sea_lanes_routed_once_are_shared_with_every_worker(tmp_path):
    """What the Dask engine does before the partitions: the table's distinct sea rows routed
    once, and the lanes put in each worker's cache, so no worker routes a lane again."""
    from geo import flows, routing
    from geo.formats.flow_table import partitions

    table = synthetic(tmp_path / "t.csv", 200)
    sea = flows.SeaRows(flows.check_columns(table))
    parts = partitions(table, 50, sea.add)
    distinct = {(r[0], r[2]) for r in csv.reader(table.open()) if r[4] == "sea"}
    assert len(sea.seen) == len(distinct)
    lanes = {}
    for chunk in sea.chunks(3):
        lanes.update(flows.sea_lanes(chunk))
    assert len(lanes) == len(distinct) and all(k[0] for k in lanes)
    # As the engine splits them: the distinct hops, by start, each half routed on its own.
    keys = flows.sea_hop_keys(sea.chunks(1))
    assert set(keys) == set(lanes) and keys == sorted(keys, key=lambda k: k[1:7])
    half = len(keys) // 2
    split = flows.route_hops(keys[:half]) | flows.route_hops(keys[half:])
    assert split.keys() == lanes.keys()
    flows._HOPS.clear()
    flows._HOP_VERTICES[0] = 0
    flows._FLOWS.clear()
    flows._FLOW_BYTES[0] = 0
    routing._lane.cache_clear()
    assert flows.seed_hops(lanes) == len(lanes)
    for part in parts:
        assert flows.process_partition(part).table is not None
    assert routing._lane.cache_info().misses == 0  # every lane came from the shared ones
