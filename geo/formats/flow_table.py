"""Flow tables (CSV or Parquet) read partition by partition, and GeoParquet written the same way.

A table is cut into :class:`Partition` records, each a few numbers (where it starts, how many
rows), so that a worker on any machine can read its own rows from a shared file without the
driver ever holding the table. Every row carries where it came from (``flows.csv:5`` for the row
ending on line 5, ``flows.parquet row 5`` for the fifth row of a Parquet file) so that problems
name the file and line.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geo.errors import GeoError, ParameterError

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = [
    "TABLE_SUFFIXES",
    "Partition",
    "as_list",
    "Rows",
    "geo_metadata",
    "partitions",
    "read_partition",
    "table_columns",
]

TABLE_SUFFIXES = (".csv", ".parquet", ".pq")
_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class Partition:
    """Where one partition's rows are in the table: small enough to send to any worker.

    For CSV, ``start`` is the byte offset of the partition's first row and ``lines_before`` the
    number of lines before it; for Parquet, ``start`` is the index of its first row.
    """

    path: str
    kind: str  # "csv" or "parquet"
    index: int
    start: int
    rows: int
    lines_before: int = 0
    first_row: int = 0  # the table's row number (from 0) of the partition's first row
    stop: int = -1  # CSV: the byte offset after the partition's last row (-1: unknown)
    lines_after: int = 0  # CSV: the lines up to the end of the partition's last row


@dataclass(frozen=True)
class Rows:
    """One partition's rows: the cells by column (``None`` for an empty cell), as lists or as
    Arrow arrays, and where each row came from."""

    columns: dict[str, Any]
    where: list[str]
    types: dict[str, pa.DataType]

    def __len__(self) -> int:
        return len(self.where)


def _kind(path: Path) -> str:
    if not path.exists():
        raise GeoError(f"{path}: no such file; give a flow table, .csv or .parquet")
    if path.is_dir():
        raise GeoError(f"{path}: is a folder; give a flow table file, .csv or .parquet")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return "csv"
    if suffix in (".parquet", ".pq"):
        return "parquet"
    raise GeoError(f"{path}: not a flow table; give a .csv or .parquet file (docs/flows.md)")


def table_columns(path: Path) -> list[str]:
    """The column names of a table, in order."""
    if _kind(path) == "parquet":
        return list(_parquet(str(path)).schema_arrow.names)
    with path.open("rb") as f:
        head = f.readline()
    if head.startswith(_BOM):
        head = head[len(_BOM) :]
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise GeoError(f"{path}:1: not UTF-8 text ({exc.reason}); save it as UTF-8 CSV") from None
    try:
        return [c.strip() for c in next(csv.reader([text]), [])]
    except csv.Error as exc:
        # A bare CR in the header line (found by fuzzing): the header is one line.
        raise GeoError(f"{path}:1: {_csv_problem(exc)}") from None


def require_pyarrow() -> None:
    """Flow tables are read into and written from Arrow; say how to install it if missing."""
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        raise GeoError(
            "geo flows reads and writes Parquet with pyarrow: pip install "
            "'geo-itinerary[parquet]' (or '[dask]', which includes it)"
        ) from None


def partitions(
    path: Path, rows: int, on_row: Callable[[list[str]], None] | None = None
) -> list[Partition]:
    """Cut a table into partitions of at most ``rows`` rows.

    A CSV file is read once, as a stream (a quoted cell may span lines, so only a CSV parser
    knows where rows end), and ``on_row`` sees each row's cells on the way; a Parquet file's
    row count is in its footer (``on_row`` is not called).
    """
    if rows < 1:
        raise ParameterError("partition-rows", rows, "is not a positive number of rows")
    require_pyarrow()
    kind = _kind(path)
    if kind == "parquet":
        total = _parquet(str(path)).metadata.num_rows
        out = [
            Partition(str(path), "parquet", k, start, min(rows, total - start))
            for k, start in enumerate(range(0, total, rows))
        ]
    else:
        out = list(_csv_partitions(path, rows, on_row))
    # A table without rows is one empty partition: its output still has every column.
    first = 0
    numbered = []
    for p in out:
        numbered.append(dataclasses.replace(p, first_row=first))
        first += p.rows
    return numbered or [Partition(str(path), kind, 0, 0, 0)]


class _Lines:
    """A CSV file's lines for :mod:`csv`, counting bytes and lines as the parser takes them."""

    def __init__(self, f: io.BufferedReader, path: Path, pos: int, lines: int) -> None:
        self.f, self.path, self.pos, self.lines = f, path, pos, lines

    def __iter__(self) -> Iterator[str]:
        for raw in self.f:
            self.pos += len(raw)
            self.lines += 1
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise GeoError(
                    f"{self.path}:{self.lines}: not UTF-8 text ({exc.reason}); save it as UTF-8 CSV"
                ) from None


def _csv_partitions(
    path: Path, rows: int, on_row: Callable[[list[str]], None] | None
) -> Iterator[Partition]:
    with path.open("rb") as f:
        start = len(_BOM) if f.read(len(_BOM)) == _BOM else 0
        f.seek(start)
        lines = _Lines(f, path, start, 0)
        reader = csv.reader(lines)
        try:
            next(reader, None)  # the header
            k = 0
            while True:
                first, before = lines.pos, lines.lines
                n = 0
                for _, cells in zip(range(rows), reader, strict=False):
                    n += 1
                    if on_row is not None:
                        on_row(cells)
                if n == 0:
                    return
                yield Partition(
                    str(path), "csv", k, first, n, before, stop=lines.pos, lines_after=lines.lines
                )
                k += 1
        except csv.Error as exc:
            raise GeoError(f"{path}:{lines.lines}: {_csv_problem(exc)}") from None


def parquet_rows(path: Path, columns: list[str]) -> Iterator[list[Any]]:
    """The rows of some columns of a Parquet file, batch by batch (bounded memory)."""
    for batch in _parquet(str(path)).iter_batches(batch_size=65536, columns=columns):
        yield from zip(*(batch.column(c).to_pylist() for c in columns), strict=True)


@lru_cache(maxsize=8)
def _parquet(path: str) -> Any:
    import pyarrow.parquet as pq

    try:
        return pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises ArrowInvalid, OSError, ...
        raise GeoError(f"{path}: not a readable Parquet file ({exc})") from None


def read_partition(part: Partition) -> Rows:
    """The rows of one partition, with empty text cells as ``None``."""
    if part.kind == "parquet":
        return _read_parquet(part)
    path = Path(part.path)
    header = table_columns(path)
    fast = _read_csv_arrow(part, path, header)
    if fast is not None:
        return fast
    with path.open("rb") as f:
        f.seek(part.start)
        lines = _Lines(f, path, part.start, part.lines_before)
        reader = csv.reader(lines)
        columns: dict[str, list[Any]] = {c: [] for c in header}
        where: list[str] = []
        try:
            for row in zip(range(part.rows), reader, strict=False):
                cells = row[1]
                for j, c in enumerate(header):
                    v = cells[j].strip() if j < len(cells) else ""
                    columns[c].append(v or None)
                where.append(f"{path.name}:{lines.lines}")
        except csv.Error as exc:
            raise GeoError(f"{path}:{lines.lines}: {_csv_problem(exc)}") from None
    import pyarrow as pa

    return Rows(columns, where, {c: pa.string() for c in header})


def as_list(cells: Any) -> list[Any]:
    """A column of :class:`Rows` (a list or an Arrow array) as a list of Python values."""
    return cells.to_pylist() if hasattr(cells, "to_pylist") else list(cells)


def _read_csv_arrow(part: Partition, path: Path, header: list[str]) -> Rows | None:
    """A partition's rows parsed by Arrow's CSV reader (C++, about ten times Python's csv),
    the cells trimmed as :func:`read_partition` trims them; None where only Python's reader
    can say the same: a row over several lines (the line numbers), a short or long row."""
    if part.stop < 0 or part.lines_after - part.lines_before != part.rows or not part.rows:
        return None
    if len(set(header)) != len(header):
        return None
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    with path.open("rb") as f:
        f.seek(part.start)
        data = f.read(part.stop - part.start)
    try:
        table = pacsv.read_csv(
            pa.py_buffer(data),
            read_options=pacsv.ReadOptions(column_names=header, use_threads=False),
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(header, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, ValueError):
        return None
    if table.num_rows != part.rows:
        return None
    none = pa.scalar(None, pa.string())
    columns = {}
    for c in header:
        cells = pc.utf8_trim_whitespace(table.column(c).combine_chunks())
        columns[c] = pc.if_else(pc.equal(cells, ""), none, cells)
    where = [f"{path.name}:{part.lines_before + 1 + i}" for i in range(part.rows)]
    return Rows(columns, where, dict.fromkeys(header, pa.string()))


def _read_parquet(part: Partition) -> Rows:
    pf = _parquet(part.path)
    meta = pf.metadata
    groups: list[int] = []
    first = n = 0
    for g in range(meta.num_row_groups):
        size = meta.row_group(g).num_rows
        if first + size > part.start and first < part.start + part.rows:
            if not groups:
                n = first
            groups.append(g)
        first += size
    if not part.rows:
        table = pf.schema_arrow.empty_table()
    else:
        table = pf.read_row_groups(groups).slice(part.start - n, part.rows)
    name = Path(part.path).name
    columns = {}
    for c in table.column_names:
        values = table.column(c).to_pylist()
        columns[c] = [v.strip() or None if isinstance(v, str) else v for v in values]
    where = [f"{name} row {part.start + i + 1}" for i in range(table.num_rows)]
    return Rows(columns, where, {f.name: f.type for f in table.schema})


@lru_cache(maxsize=1)
def geo_metadata() -> bytes:
    """GeoParquet 1.1 metadata for a WKB ``path`` column of lines in EPSG:4326, with the
    ``bbox`` covering column (a struct of xmin, ymin, xmax, ymax) that lets an engine skip row
    groups a box query cannot touch."""
    from pyproj import CRS

    meta = {
        "version": "1.1.0",
        "primary_column": "path",
        "columns": {
            "path": {
                "encoding": "WKB",
                "geometry_types": ["LineString", "MultiLineString"],
                "crs": CRS("EPSG:4326").to_json_dict(),
                "covering": {
                    "bbox": {
                        "xmin": ["bbox", "xmin"],
                        "ymin": ["bbox", "ymin"],
                        "xmax": ["bbox", "xmax"],
                        "ymax": ["bbox", "ymax"],
                    }
                },
            }
        },
    }
    return json.dumps(meta, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _csv_problem(exc: csv.Error) -> str:
    """Python's CSV error in the user's words, with the fix."""
    if "new-line character" in str(exc):
        return (
            "CSV error: a carriage return (CR) outside a quoted cell; end lines with LF or "
            "CRLF, and quote a cell that holds a line break"
        )
    return f"CSV error: {exc}"
