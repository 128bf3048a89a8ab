"""GeoParquet that engines can prune: rows in Hilbert order of their boxes, in row groups of
about 100,000 rows, zstd-compressed, as the GeoParquet community's guide to distributing files
recommends. With the ``bbox`` covering column (GeoParquet 1.1), a box query through pyarrow
filters, DuckDB, GDAL 3.9+ or Sedona reads only the row groups whose boxes it touches.

A flow table can outgrow memory, so the ordering is an external sort: rows go to one of
:data:`BUCKETS` temporary files by the leading bits of their Hilbert key, then each bucket is
read back in key order, sorted and appended. Memory holds one bucket at a time.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["BUCKETS", "GROUP_ROWS", "SortedWriter", "box_keys", "hilbert_keys"]

GROUP_ROWS = 100_000
BUCKETS = 64
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
    order, in row groups of ``group_rows``; a table's own row order breaks ties."""

    def __init__(self, path: Path, scratch: Path, group_rows: int = GROUP_ROWS) -> None:
        self.path, self.scratch, self.group_rows = path, scratch, group_rows
        self._buckets: dict[int, Any] = {}
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
        # 64 buckets: the size class (4 bits) and the first Hilbert quadrant (2 bits).
        bucket = (keys >> np.uint64(2 * _ORDER - 2)).astype(np.int64)
        seq = np.arange(self.rows, self.rows + len(table), dtype=np.int64)
        self.rows += len(table)
        keyed = table.append_column("_key", pa.array(keys)).append_column("_seq", pa.array(seq))
        for b in np.unique(bucket):
            part = keyed.filter(pa.array(bucket == b))
            if b not in self._buckets:
                self._buckets[int(b)] = pq.ParquetWriter(
                    self.scratch / f"b{b:02d}.parquet", part.schema
                )
            self._buckets[int(b)].write_table(part)

    def close(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        for w in self._buckets.values():
            w.close()
        assert self._schema is not None, "nothing was written"
        writer = pq.ParquetWriter(self.path, self._schema, compression="zstd")
        pending: list[pa.Table] = []
        held = 0
        try:
            for b in sorted(self._buckets):
                t = pq.read_table(self.scratch / f"b{b:02d}.parquet")
                t = t.sort_by([("_key", "ascending"), ("_seq", "ascending")])
                pending.append(t.drop_columns(["_key", "_seq"]))
                held += len(t)
                (self.scratch / f"b{b:02d}.parquet").unlink()
                while held >= self.group_rows:
                    whole = pa.concat_tables(pending).combine_chunks()
                    writer.write_table(
                        whole.slice(0, self.group_rows), row_group_size=self.group_rows
                    )
                    rest = whole.slice(self.group_rows)
                    pending, held = ([rest] if len(rest) else []), len(rest)
            if held or not self.rows:
                last = pa.concat_tables(pending) if pending else self._schema.empty_table()
                writer.write_table(last, row_group_size=self.group_rows)
        finally:
            writer.close()
