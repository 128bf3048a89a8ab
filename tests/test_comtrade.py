"""Trade statistics in, trade map out: a table in the layout of a UN Comtrade download.

The table (20,000 rows: imports, exports, re-imports and re-exports; partners W00 and "Areas,
nes"; HS codes with leading zeros; five years) is written by ``benchmarks/comtrade.py``. It is
refused with its aggregate rows named, routed with ``--skip-aggregates``, summed with ``--by``
on both engines, and mapped; the totals are checked against pandas reading the same file with
the direction rule written out here.
"""

from __future__ import annotations

import csv
import gzip
import json
import re
import sys
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from geo.cli import main

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from comtrade import write_comtrade  # noqa: E402

ROWS = 20_000
IMPORTS = {"M", "RM"}
MODES = {"1000": "air", "2000": "sea", "2100": "sea", "3100": "rail", "3200": "road",
         "9110": "pipeline"}  # fmt: skip


def run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def table(tmp_path_factory) -> Path:
    return write_comtrade(tmp_path_factory.mktemp("comtrade") / "comtrade.csv", ROWS)


@pytest.fixture(scope="module")
def source(table) -> pd.DataFrame:
    """The table as an analyst reads it, with the direction rule applied here."""
    df = pd.read_csv(table, dtype=str, keep_default_na=False)
    df["line"] = range(2, len(df) + 2)
    import pycountry

    def a2(code: str) -> str:
        return pycountry.countries.get(alpha_3=code).alpha_2

    df["aggregate"] = df["partnerISO"].isin(["W00", "_X"])
    ok = df[~df["aggregate"]].copy()
    cells = list(zip(ok.partnerISO, ok.reporterISO, ok["flowCode"].isin(IMPORTS), strict=True))
    ok["o"] = [a2(p if i else r) for p, r, i in cells]
    ok["d"] = [a2(r if i else p) for p, r, i in cells]
    ok["value"] = ok["primaryValue"].astype(float)
    df.attrs["ok"] = ok
    return df


@pytest.fixture(scope="module")
def routed(table, tmp_path_factory):
    out = tmp_path_factory.mktemp("routed") / "flows.parquet"
    result = run("flows", table, "--preset", "comtrade", "--skip-aggregates", "-o", out)
    assert result.exit_code == 0, result.output
    import geopandas as gpd

    return result.output, gpd.read_parquet(out).sort_values("input_row").reset_index(drop=True)


def test_the_table_has_what_trade_statistics_have(source):
    assert set(source["flowCode"]) == {"M", "X", "RM", "RX"}
    assert source["aggregate"].sum() > 100
    assert {"01", "0101", "2709", "270900", "TOTAL"} <= set(source["cmdCode"])
    assert set(source["refYear"]) == {"2019", "2020", "2021", "2022", "2023"}


def test_aggregates_are_refused_by_line_and_nothing_written(table, source, tmp_path):
    out = tmp_path / "flows.parquet"
    result = run("flows", table, "--preset", "comtrade", "-o", out)
    assert result.exit_code == 2
    first = source[source["aggregate"]].head(5)
    for line, iso in zip(first["line"], first["partnerISO"], strict=True):
        assert f"comtrade.csv:{line} partnerISO: '{iso}' is an aggregate" in result.output
    assert "--skip-aggregates" in result.output
    total = int(source["aggregate"].sum())
    assert f"and {total - 100:,} more problems" in result.output
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_skipped_aggregates_are_counted_and_directions_follow_the_flow_code(routed, source):
    output, got = routed
    ok = source.attrs["ok"]
    skipped = int(source["aggregate"].sum())
    assert f"{len(ok):,} flows ({skipped:,} rows naming an aggregate skipped)" in output
    assert len(got) == len(ok)
    assert got["origin_country"].tolist() == ok["o"].tolist()
    assert got["destination_country"].tolist() == ok["d"].tolist()
    # The table's own columns are kept as text: HS codes keep their leading zeros.
    assert got["cmdCode"].tolist() == ok["cmdCode"].tolist()
    assert got["refYear"].tolist() == ok["refYear"].tolist()
    assert pd.api.types.is_string_dtype(got["cmdCode"])
    assert got["value_amount"].tolist() == ok["value"].tolist()
    assert set(got["value_currency"]) == {"USD"}
    assert got["mode"].fillna("").tolist() == [MODES.get(m, "") for m in ok["motCode"]]
    assert got["goods"].tolist() == ok["cmdDesc"].tolist()


def test_sea_flows_of_countries_run_between_main_ports(routed):
    from geo.gazetteer import capital
    from geo.ports import main_port

    _, got = routed
    sea = got[got["mode"] == "sea"].head(50)
    assert len(sea)
    for row in sea.itertuples():
        port = main_port(row.origin_country)
        x, y = row.path.geoms[0].coords[0] if row.path.geom_type.startswith("Multi") else (
            row.path.coords[0])  # fmt: skip
        assert abs(x - port.lon) < 1e-6 and abs(y - port.lat) < 1e-6
    air = got[got["mode"] == "air"].iloc[0]
    seat = capital(air["origin_country"])
    assert air.path.coords[0] == pytest.approx((seat.lon, seat.lat))


def test_by_sums_per_year_and_commodity_on_both_engines(table, source, tmp_path):
    ok = source.attrs["ok"]
    by = ["refYear", "cmdCode"]
    local, dask = tmp_path / "local.parquet", tmp_path / "dask.parquet"
    args = ["flows", table, "--preset", "comtrade", "--skip-aggregates", "--by", ",".join(by)]
    result = run(*args, "-o", local)
    assert result.exit_code == 0, result.output
    import geopandas as gpd

    got = gpd.read_parquet(local)
    key = ["o", "d", "motCode", *by]
    expected = ok.assign(mode=[MODES.get(m) for m in ok["motCode"]]).groupby(
        ["o", "d", "mode", *by], dropna=False
    )
    assert len(got) == expected.ngroups
    assert f"summed into {len(got):,} flows by refYear, cmdCode" in result.output
    assert got["flows"].sum() == len(ok)
    assert got["value_amount"].sum() == pytest.approx(ok["value"].sum(), rel=1e-12)
    want = ok.groupby(["o", "d", "refYear"])["value"].sum()
    have = got.groupby(["origin_country", "destination_country", "refYear"])["value_amount"].sum()
    pd.testing.assert_series_equal(
        have.sort_index(), want.rename_axis(have.index.names).sort_index(), check_names=False
    )
    assert "cmdCode" in got.columns and "01" in set(got["cmdCode"])
    assert "partnerISO" not in got.columns  # only the key, the sums and the path
    assert key  # the key columns above are the flow's path and the --by columns
    # Dask: the same sums, the same paths (two workers of a LocalCluster).
    result = run(*args, "-o", dask, "--engine", "dask", "--workers", "2")
    assert result.exit_code == 0, result.output
    other = gpd.read_parquet(dask).sort_values("input_row").reset_index(drop=True)
    mine = got.sort_values("input_row").reset_index(drop=True)
    pd.testing.assert_frame_equal(
        pd.DataFrame(other.drop(columns="path")), pd.DataFrame(mine.drop(columns="path"))
    )
    assert other.geometry.geom_equals_exact(mine.geometry, 0).all()


def test_the_trade_map_sums_every_flow(table, source, tmp_path):
    ok = source.attrs["ok"]
    out = tmp_path / "map.html"
    result = run("flows", table, "--preset", "comtrade", "--skip-aggregates", "-o", out)
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    m = re.search(r'<script type="application/json" id="geo-data">(.*?)</script>', page, re.S)
    trade = json.loads(m.group(1))["trade"]
    assert trade["currency"] == "USD"
    assert sum(trade["flows"]["n"]) == len(ok)
    assert sum(trade["flows"]["v"]) == pytest.approx(ok["value"].sum(), rel=1e-6)
    filters = {f["column"]: f for f in trade["filters"]}
    assert filters["refYear"]["values"] == ["2019", "2020", "2021", "2022", "2023"]
    assert filters["refYear"]["label"] == "Year"
    assert set(filters["goods"]["values"]) == set(ok["cmdDesc"])
    # Each year's total on the page is the table's.
    years = filters["refYear"]["values"]
    for k, year in enumerate(years):
        pairs = zip(trade["flows"]["v"], trade["flows"]["f0"], strict=True)
        page_total = sum(v for v, f in pairs if f == k)
        assert page_total == pytest.approx(ok[ok["refYear"] == year]["value"].sum(), rel=1e-6)
    # Clusters: nearly one place each at the highest zoom (a capital and its port a few km
    # apart stay one), far fewer at the lowest, nested.
    clusters = trade["clusters"]
    assert len(set(clusters[-1])) >= 0.9 * len(trade["places"])
    assert len(set(clusters[0])) < len(trade["places"]) / 4
    assert len(set(clusters[0])) < len(set(clusters[-1]))
    for lo, hi in zip(clusters[:-1], clusters[1:], strict=True):
        parent = {}
        for a, b in zip(lo, hi, strict=True):
            assert parent.setdefault(b, a) == a  # a cluster never splits across two parents
    assert len(gzip.compress(out.read_bytes())) < 1_000_000
    # The text version: the largest flows and places, with their values in their currency.
    text = page.split('<details class="geo-text">')[1].split("</details>")[0]
    assert text.count("→") == 20 and text.count("USD") >= 20 + 2 * 20
    again = tmp_path / "again.html"
    run("flows", table, "--preset", "comtrade", "--skip-aggregates", "-o", again)
    assert again.read_bytes() == out.read_bytes()


def test_columns_map_any_table(tmp_path):
    path = tmp_path / "t.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["from", "to", "usd", "hs"])
        w.writerow(["KOR", "UZB", "1000", "0101"])
        w.writerow(["Japan", "KZ", "2,500", "2709"])
    out = tmp_path / "o.geojson"
    cols = "origin_country=from,destination_country=to,value_amount=usd,value_currency='USD'"
    result = run("flows", path, "--columns", cols, "-o", out)
    assert result.exit_code == 0, result.output
    props = [f["properties"] for f in json.loads(out.read_text())["features"]]
    assert [(p["origin_country"], p["destination_country"]) for p in props] == [
        ("KR", "UZ"), ("JP", "KZ")]  # fmt: skip
    assert [p["value_amount"] for p in props] == [1000, 2500]
    assert [p["hs"] for p in props] == ["0101", "2709"]
    assert [p["from"] for p in props] == ["KOR", "Japan"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--columns", "origin_country"], "is not FLOW_COLUMN=TABLE_COLUMN"),
        (["--columns", "orgin_country=a"], "did you mean 'origin_country'?"),
        (["--columns", "origin_country=nope"], "no column 'nope'"),
        (["--columns", "origin_country=a,origin_country=b"], "given twice"),
        (["--columns", "mode=a", "--by", "nope"], "--by 'nope': no such column"),
        (["--preset", "comtrade"], "--preset comtrade: no column 'reporterISO'"),
        (["--columns", "<script>{{7*7}}</script>=a"], "'<script>{{7*7}}</script>' is not a flow"),
    ],
)
def test_bad_layouts_are_refused_before_any_row(tmp_path, args, message):
    path = tmp_path / "t.csv"
    path.write_text("a,b,mode\nKOR,UZB,air\n", encoding="utf-8")
    result = run("flows", path, *args, "-o", tmp_path / "o.parquet")
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output and not (tmp_path / "o.parquet").exists()


def test_a_layout_column_the_table_has_already_is_a_conflict(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("a,b,mode\nKOR,UZB,air\n", encoding="utf-8")
    cols = "origin_country=a,destination_country=b,mode=a"
    result = run("flows", path, "--columns", cols, "-o", tmp_path / "o.parquet")
    assert result.exit_code == 2
    assert "column 'mode' is in the table and given by the layout too" in result.output


def test_unknown_flow_codes_are_named_once(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(
        "reporterISO,partnerISO,flowCode,primaryValue\nKOR,UZB,Q,1\nKOR,UZB,<b>x</b>,1\n",
        encoding="utf-8",
    )
    result = run("flows", path, "--preset", "comtrade", "-o", tmp_path / "o.parquet")
    assert result.exit_code == 2
    assert "t.csv:2 flowCode: 'Q' is not a flow code of trade statistics" in result.output
    assert "t.csv:3 flowCode: '<b>x</b>' is not a flow code" in result.output
    assert "origin" not in result.output.split("problems")[1]  # no follow-on problems


def test_a_users_main_ports_win(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(
        "reporterISO,partnerISO,flowCode,primaryValue,motCode\nKOR,NLD,M,5,2100\n",
        encoding="utf-8",
    )
    ports = tmp_path / "ports.csv"
    ports.write_text("country,port,lat,lon\nKR,Busan,35.1,129.04\nNLD,Rotterdam,51.95,4.14\n")
    out = tmp_path / "o.geojson"
    result = run("flows", path, "--preset", "comtrade", "--ports", ports, "-o", out)
    assert result.exit_code == 0, result.output
    coords = json.loads(out.read_text())["features"][0]["geometry"]["coordinates"]
    assert coords[0] == pytest.approx([4.14, 51.95]) and coords[-1] == pytest.approx([129.04, 35.1])
    bad = tmp_path / "bad.csv"
    bad.write_text("country,port,lat,lon\nXX,{{7*7}},95,0\n")
    result = run("flows", path, "--preset", "comtrade", "--ports", bad, "-o", out)
    assert result.exit_code == 2 and "bad.csv:2" in result.output and "49" not in result.output


def test_a_heavy_filter_is_left_out_and_said(table, tmp_path, monkeypatch):
    import geo.trademap

    monkeypatch.setattr(geo.trademap, "MAX_MAP_FLOWS", 18_000)
    out = tmp_path / "map.html"
    result = run("flows", table, "--preset", "comtrade", "--skip-aggregates", "-o", out)
    assert result.exit_code == 0
    assert "note: no filter by goods" in result.output and "give --by" in result.output
    page = out.read_text(encoding="utf-8")
    m = re.search(r'<script type="application/json" id="geo-data">(.*?)</script>', page, re.S)
    filters = [f["column"] for f in json.loads(m.group(1))["trade"]["filters"]]
    assert filters == ["refYear"]
    # --by keeps what it names.
    result = run("flows", table, "--preset", "comtrade", "--skip-aggregates", "--by",
                 "refYear,goods", "-o", out)  # fmt: skip
    assert result.exit_code == 0 and "note: no filter" not in result.output
    m = re.search(r'<script type="application/json" id="geo-data">(.*?)</script>',
                  out.read_text(encoding="utf-8"), re.S)  # fmt: skip
    assert [f["column"] for f in json.loads(m.group(1))["trade"]["filters"]] == ["refYear", "goods"]


def test_clusters_merge_across_the_antimeridian_and_only_split_when_zooming_in():
    import numpy as np

    from geo.trademap import cluster_levels

    lon = np.array([179.95, -179.95, 10.0, 10.2, -70.0])
    lat = np.array([-17.0, -17.0, 50.0, 50.1, -33.0])
    weight = np.array([5.0, 1.0, 3.0, 2.0, 4.0])
    levels = cluster_levels(lon, lat, weight, zooms=(0, 12))
    assert levels[0][1] == 0  # Fiji's two sides of the date line: one cluster, at the larger
    assert levels[0][3] == 2 and levels[-1][3] == 3  # near at zoom 0, apart at zoom 12
    assert len(set(levels[0])) < len(set(levels[-1])) == 5
    for lo, hi in zip(levels[:-1], levels[1:], strict=True):
        assert all(lo[hi[i]] == lo[i] for i in range(5))  # a cluster is a union of the next's


@pytest.mark.parametrize("by", ["<script>alert(1)</script>", "{{7*7}}", "x" * 5000])
def test_hostile_by_columns_are_named_not_run(tmp_path, by):
    path = tmp_path / "t.csv"
    path.write_text("origin_country,destination_country\nKR,UZ\n", encoding="utf-8")
    result = run("flows", path, "--by", by, "-o", tmp_path / "o.parquet")
    assert result.exit_code == 2 and "no such column" in result.output
    assert "49" not in result.output and len(result.output) < 2000


def test_sums_over_mixed_aggregation_levels_are_said(table, tmp_path):
    result = run("flows", table, "--preset", "comtrade", "--skip-aggregates", "--by", "refYear",
                 "-o", tmp_path / "by.parquet")  # fmt: skip
    assert result.exit_code == 0
    assert "note: the table has motCode 0 (all modes) beside single modes and HS codes at 4 " \
        "levels (2 digits, 4 digits, 6 digits, TOTAL)" in result.output  # fmt: skip
    # One level of each: nothing to say.
    path = tmp_path / "one-level.csv"
    path.write_text(
        "refYear,reporterISO,partnerISO,flowCode,cmdCode,motCode,primaryValue\n"
        "2023,KOR,UZB,M,2601,1000,5\n2023,KOR,JPN,X,8703,2100,7\n",
        encoding="utf-8",
    )
    result = run("flows", path, "--preset", "comtrade", "--by", "refYear", "-o",
                 tmp_path / "one.parquet")  # fmt: skip
    assert result.exit_code == 0 and "note:" not in result.output
