"""Every GeoParquet geo writes is 1.1 with a bbox covering, zstd, and (for flows) in Hilbert
order in row groups an engine can prune."""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

import numpy as np
import pytest

import geo
from geo.formats.export import write_export
from geo.formats.spatial_order import SortedWriter, hilbert_keys
from tests.test_flows import run

DATA = Path(__file__).parent / "data"
SCHEMA = json.loads((DATA / "geoparquet-1.1.schema.json").read_text(encoding="utf-8"))


def check_geoparquet(path: Path) -> dict:
    """Validate the ``geo`` metadata of a file (or every part of a dataset folder)."""
    import jsonschema
    import pyarrow.parquet as pq

    files = sorted(path.iterdir()) if path.is_dir() else [path]
    for f in files:
        pf = pq.ParquetFile(f)
        meta = json.loads(pf.schema_arrow.metadata[b"geo"])
        jsonschema.validate(meta, SCHEMA)
        primary = meta["columns"][meta["primary_column"]]
        covering = primary["covering"]["bbox"]
        column = covering["xmin"][0]
        assert column in pf.schema_arrow.names
        for g in range(pf.metadata.num_row_groups):
            for c in range(pf.metadata.num_columns):
                assert pf.metadata.row_group(g).column(c).compression == "ZSTD"
    return meta


def _table(tmp_path: Path, rows: int) -> Path:
    rng = random.Random(7)
    ports = [
        ("Busan", "KR"), ("Rotterdam", "NL"), ("Singapore", "SG"), ("Los Angeles", "US"),
        ("Shanghai", "CN"), ("Hamburg", "DE"), ("Santos", "BR"), ("Durban", "ZA"),
        ("Seoul", "KR"), ("Tashkent", "UZ"), ("Almaty", "KZ"), ("Sydney", "AU"),
    ]  # fmt: skip
    path = tmp_path / "flows.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["origin", "origin_country", "destination", "destination_country", "mode"])
        for _ in range(rows):
            (a, ca), (b, cb) = rng.sample(ports, 2)
            w.writerow([a, ca, b, cb, "air"])
    return path


@pytest.mark.parametrize("layer", ["stops", "legs", "deals", "resources", "routes"])
def test_every_export_layer_is_geoparquet_1_1_with_a_covering(tmp_path, layer):
    trip = geo.load_trip(geo.bundled_trip())
    out = tmp_path / f"{layer}.parquet"
    write_export(trip, layer, "parquet", out)
    check_geoparquet(out)


def test_flows_local_is_geoparquet_1_1_in_hilbert_order_and_row_groups(tmp_path):
    import pyarrow.parquet as pq

    table = _table(tmp_path, 2500)
    out = tmp_path / "out.parquet"
    result = run("flows", table, "-o", out, "--partition-rows", "700")
    assert result.exit_code == 0, result.output
    check_geoparquet(out)
    t = pq.read_table(out)
    box = t.column("bbox").combine_chunks()
    bbox = np.column_stack([box.field(n).to_numpy() for n in ("xmin", "ymin", "xmax", "ymax")])
    keys = hilbert_keys(bbox)
    assert (np.diff(keys.astype(np.float64)) >= 0).all()  # spatial order
    assert sorted(t.column("input_row").to_pylist()) == list(range(2500))  # every row, once


def test_sorted_writer_makes_row_groups_of_the_asked_size(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    rng = np.random.default_rng(3)
    n = 2350
    x, y = rng.uniform(-170, 170, n), rng.uniform(-80, 80, n)
    bbox = pa.StructArray.from_arrays(
        [pa.array(x - 1), pa.array(y - 1), pa.array(x + 1), pa.array(y + 1)],
        names=["xmin", "ymin", "xmax", "ymax"],
    )
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    w = SortedWriter(tmp_path / "o.parquet", scratch, group_rows=500)
    for k in range(0, n, 700):
        w.write(pa.table({"i": pa.array(range(k, min(n, k + 700))), "bbox": bbox[k : k + 700]}))
    w.close()
    meta = pq.ParquetFile(tmp_path / "o.parquet").metadata
    assert [meta.row_group(g).num_rows for g in range(meta.num_row_groups)] == [500] * 4 + [350]
    assert list(scratch.iterdir()) == []
    # A 10 x 10 degree box query touches only the row groups whose boxes reach it.
    t = pq.read_table(tmp_path / "o.parquet")
    assert sorted(t.column("i").to_pylist()) == list(range(n))


def test_hilbert_keys_keep_neighbours_near():
    keys = hilbert_keys(np.array([[0, 0, 0, 0], [0.001, 0, 0.001, 0], [120, 40, 120, 40]]))
    assert abs(int(keys[0]) - int(keys[1])) < abs(int(keys[0]) - int(keys[2]))
