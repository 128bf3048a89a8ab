"""How much of a flow output a spatial query must read: the share of row groups whose bbox
covering statistics meet a 10 x 10 degree box, before (rows in table order) and after (Hilbert
order, what ``geo flows`` writes), on the synthetic million-row flow table.

    python benchmarks/parquet_pruning.py [--rows 1000000] [--json benchmarks/results-pruning.json]

A GeoParquet reader prunes with these statistics (pyarrow filters on the covering columns,
DuckDB, GDAL 3.9+, Sedona): a row group is read when its [min, max] of xmin..ymax can meet the
box. The boxes are 10 x 10 degree squares centred on each of the table's 40 ports (a query
about one port's trade) and on 40 random points on the globe.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))


def _groups(path: Path) -> list[tuple[float, float, float, float]]:
    """Per row group: (min xmin, min ymin, max xmax, max ymax) from the column statistics."""
    import pyarrow.parquet as pq

    pf = pq.ParquetFile(path)
    names = [pf.metadata.schema.column(i).path for i in range(pf.metadata.num_columns)]
    idx = {n: names.index(f"bbox.{n}") for n in ("xmin", "ymin", "xmax", "ymax")}
    out = []
    for g in range(pf.metadata.num_row_groups):
        rg = pf.metadata.row_group(g)
        st = {n: rg.column(i).statistics for n, i in idx.items()}
        out.append((st["xmin"].min, st["ymin"].min, st["xmax"].max, st["ymax"].max))
    return out


def _share(groups: list[tuple[float, float, float, float]], box: tuple[float, ...]) -> float:
    x0, y0, x1, y1 = box
    hit = [g for g in groups if g[0] <= x1 and g[2] >= x0 and g[1] <= y1 and g[3] >= y0]
    return len(hit) / len(groups)


def _filtered_rows(path: Path, box: tuple[float, ...]) -> tuple[int, float]:
    """Rows a pyarrow dataset filter on the covering returns, and its time."""
    import pyarrow.compute as pc
    import pyarrow.dataset as ds

    x0, y0, x1, y1 = box
    f = (
        (pc.field("bbox", "xmin") <= x1)
        & (pc.field("bbox", "xmax") >= x0)
        & (pc.field("bbox", "ymin") <= y1)
        & (pc.field("bbox", "ymax") >= y0)
    )
    t = time.perf_counter()
    n = ds.dataset(path).to_table(columns=["input_row"], filter=f).num_rows
    return n, time.perf_counter() - t


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument(
        "--json", type=Path, default=Path(__file__).with_name("results-pruning.json")
    )
    args = parser.parse_args()

    import pyarrow.parquet as pq
    from click.testing import CliRunner
    from synthetic import write_flows

    from geo.cli import main as geo_main
    from geo.formats.spatial_order import GROUP_ROWS

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        table = write_flows(folder, args.rows)
        after = folder / "after.parquet"
        t = time.perf_counter()
        result = CliRunner().invoke(geo_main, ["flows", str(table), "-o", str(after), "-q"])
        assert result.exit_code == 0, result.output
        seconds = time.perf_counter() - t
        before = folder / "before.parquet"
        rows = pq.read_table(after)
        rows = rows.take(np.argsort(rows.column("input_row").to_numpy()))
        pq.write_table(rows, before, compression="zstd", row_group_size=GROUP_ROWS)
        del rows
        from synthetic import PORTS

        from geo.gazetteer import lookup

        centres = [(p.lon, p.lat) for p in (lookup(n, c) for n, c in PORTS)]
        rng = np.random.default_rng(1)
        centres += [
            (float(x), float(y))
            for x, y in zip(rng.uniform(-175, 175, 40), rng.uniform(-60, 70, 40), strict=True)
        ]
        boxes = [(x - 5, y - 5, x + 5, y + 5) for x, y in centres]
        out = {"rows": args.rows, "row_group_rows": GROUP_ROWS, "geo_flows_s": round(seconds, 1)}
        for name, path in (("before", before), ("after", after)):
            groups = _groups(path)
            shares = [_share(groups, b) for b in boxes]
            port_shares, random_shares = shares[: len(boxes) - 40], shares[-40:]
            n, secs = _filtered_rows(path, boxes[0])
            out[name] = {
                "row_groups": len(groups),
                "mean_share_port_boxes": round(float(np.mean(port_shares)), 3),
                "mean_share_random_boxes": round(float(np.mean(random_shares)), 3),
                "median_share_all": round(float(np.median(shares)), 3),
                "bytes": path.stat().st_size,
                "first_box_rows": n,
                "first_box_filter_s": round(secs, 3),
            }
    print(json.dumps(out, indent=2))
    args.json.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
