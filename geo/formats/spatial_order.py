"""GeoParquet that engines can prune: rows in Hilbert order of their boxes, in row groups of
about 100,000 rows, zstd-compressed, as the GeoParquet community's guide to distributing files
recommends. With the ``bbox`` covering column (GeoParquet 1.1), a box query through pyarrow
filters, DuckDB, GDAL 3.9+ or Sedona reads only the row groups whose boxes it touches.

A flow table can outgrow memory, so the ordering is an external merge sort: each partition's
rows are sorted by their Hilbert key and kept as a temporary run file, and the runs are merged a
few thousand rows of each at a time. Memory holds a batch per run and a row group.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["GROUP_ROWS", "SortedWriter", "box_keys", "hilbert_keys"]

GROUP_ROWS = 100_000
_ORDER = 16  # bits per axis: a 65,536 x 65,536 grid over the world (about 600 m)


def hilbert_keys(bbox: Any, order: int = _ORDER) -> np.ndarray:
    """Sort keys (uint64) for boxes given as an (n, 4) array of xmin, ymin, xmax, ymax in
    degrees: the box's size class in the top bits, then the Hilbert curve index of its centre.

    Boxes near each other get keys near each other; grouping by size first keeps a row group of
    short flows (a few degrees) from being widened by the one intercontinental line that
    happens to share its centre, so queries can skip it.
    """
    b = np.asarray(bbox, dtype=float).reshape(-1, 4)
    n = 1 << order
    cx = np.nan_to_num((b[:, 0] + b[:, 2]) / 2 + 180.0) / 360.0
    cy = np.nan_to_num((b[:, 1] + b[:, 3]) / 2 + 90.0) / 180.0
    x = np.clip((cx * n).astype(np.int64), 0, n - 1)
    y = np.clip((cy * n).astype(np.int64), 0, n - 1)
    d = np.zeros(len(b), dtype=np.uint64)
    s = n // 2
    while s > 0:
        rx = (x & s) > 0
        ry = (y & s) > 0
        d += (np.uint64(s) * np.uint64(s)) * ((3 * rx.astype(np.uint64)) ^ ry.astype(np.uint64))
        # Rotate the quadrant so the curve stays continuous.
        flip = ~ry & rx
        x = np.where(flip, n - 1 - x, x)
        y = np.where(flip, n - 1 - y, y)
        x, y = np.where(~ry, y, x), np.where(~ry, x, y)
        s //= 2
    extent = np.nan_to_num(np.maximum(b[:, 2] - b[:, 0], b[:, 3] - b[:, 1]), nan=360.0)
    # Size classes by halvings of the world: 0 for 360 degrees and more, up to 15 for tiny.
    size = np.clip(np.floor(np.log2(360.0 / np.maximum(extent, 1e-9))), 0, 15).astype(np.uint64)
    return ((np.uint64(15) - size) << np.uint64(2 * order)) | d


def box_keys(table: pa.Table) -> np.ndarray:
    """Hilbert keys of a table's rows, from its ``bbox`` struct column."""
    box = table.column("bbox").combine_chunks()
    parts = [box.field(n).to_numpy(zero_copy_only=False) for n in ("xmin", "ymin", "xmax", "ymax")]
    return hilbert_keys(np.column_stack(parts))


class SortedWriter:
    """Write Arrow tables (with a ``bbox`` struct column) to one GeoParquet file in Hilbert
    order, in row groups of ``group_rows``; a table's own row order breaks ties.

    An external merge sort: each table written is sorted and kept as a run file; closing merges
    the runs, :data:`MERGE_ROWS` rows of each at a time, so memory holds a batch per run and a
    row group, whatever the size of the whole.
    """

    def __init__(self, path: Path, scratch: Path, group_rows: int = GROUP_ROWS) -> None:
        self.path, self.scratch, self.group_rows = path, scratch, group_rows
        self._runs: list[Path] = []
        self._schema: pa.Schema | None = None
        self.rows = 0

    def write(self, table: pa.Table) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if self._schema is None:
            self._schema = table.schema
        if not len(table):
            return
        keys = box_keys(table)
        seq = np.arange(self.rows, self.rows + len(table), dtype=np.int64)
        self.rows += len(table)
        order = np.lexsort((seq, keys))
        keyed = table.append_column("_key", pa.array(keys)).append_column("_seq", pa.array(seq))
        run = self.scratch / f"run-{len(self._runs):05d}.parquet"
        pq.write_table(keyed.take(order), run, row_group_size=MERGE_ROWS, compression="lz4")
        self._runs.append(run)

    def close(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        assert self._schema is not None, "nothing was written"
        writer = pq.ParquetWriter(self.path, self._schema, compression="zstd")
        pending: list[pa.Table] = []
        held = 0

        def emit(chunk: pa.Table) -> None:
            nonlocal pending, held
            pending.append(chunk)
            held += len(chunk)
            while held >= self.group_rows:
                whole = pa.concat_tables(pending)  # chunked: no copy
                writer.write_table(whole.slice(0, self.group_rows), row_group_size=self.group_rows)
                rest = whole.slice(self.group_rows)
                pending, held = ([rest] if len(rest) else []), len(rest)

        try:
            for chunk in _merge(self._runs):
                emit(chunk.drop_columns(["_key", "_seq"]))
            if held or not self.rows:
                last = pa.concat_tables(pending) if pending else self._schema.empty_table()
                writer.write_table(last, row_group_size=self.group_rows)
        finally:
            writer.close()
        for run in self._runs:
            run.unlink(missing_ok=True)


# Rows of each run held while merging.
MERGE_ROWS = 4096


def _merge(runs: list[Path]) -> Any:
    """The rows of sorted runs in (key, seq) order, a chunk at a time: each step takes, from
    every run's current batch, the rows up to the smallest of the batches' last rows (every row
    that can come before any row not yet read)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    readers = [pq.ParquetFile(r).iter_batches(batch_size=MERGE_ROWS) for r in runs]
    current: list[Any] = [None] * len(runs)

    def refill(k: int) -> None:
        batch = next(readers[k], None)
        current[k] = None if batch is None else pa.Table.from_batches([batch])

    for k in range(len(runs)):
        refill(k)
    while True:
        live = [k for k, t in enumerate(current) if t is not None and len(t)]
        if not live:
            return
        ends = [(int(current[k]["_key"][-1].as_py()), int(current[k]["_seq"][-1].as_py()))
                for k in live]  # fmt: skip
        bound = min(ends)
        pieces = []
        for k in live:
            t = current[k]
            key = t.column("_key").to_numpy()
            seq = t.column("_seq").to_numpy()
            n = int(np.count_nonzero((key < bound[0]) | ((key == bound[0]) & (seq <= bound[1]))))
            if n:
                pieces.append(t.slice(0, n))
            current[k] = t.slice(n)
            if not len(current[k]):
                refill(k)
        chunk = pa.concat_tables(pieces).combine_chunks()
        order = np.lexsort((chunk.column("_seq").to_numpy(), chunk.column("_key").to_numpy()))
        yield chunk.take(order)
