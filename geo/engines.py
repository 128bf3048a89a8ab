"""Where a flow table's partitions run: this process (``local``) or a Dask cluster (``dask``).

Both engines run :func:`geo.flows.process_partition` on the same partitions, so they give the
same rows and geometries. ``local`` runs them one after another and appends each to one
GeoParquet file; ``dask`` sends them to the workers of a cluster (a ``LocalCluster`` on this
machine, or the scheduler given), each of which writes its own part file of a dataset folder.
Either way only a partition at a time is in memory per process, and nothing is written at the
output path until every partition has succeeded: the output is assembled beside it and renamed
into place, and a table with problems leaves nothing behind.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from geo.errors import GeoError, ParameterError
from geo.flows import PartResult, check_columns, process_partition, report
from geo.formats.flow_table import Partition, partitions
from geo.layouts import Layout, mixed_levels

if TYPE_CHECKING:
    from geo.flows import Checked, SeaRows

__all__ = [
    "CONNECT_TIMEOUT_S",
    "ENGINES",
    "OUTPUT_SUFFIXES",
    "SMALL_FORMAT_ROWS",
    "Summary",
    "run_flows",
]

ENGINES = ("local", "dask")
OUTPUT_SUFFIXES = {
    ".parquet": "parquet",
    ".geojson": "geojson",
    ".gpkg": "gpkg",
    ".csv": "csv",
}
# GeoJSON, GeoPackage and CSV are for tables a GIS or a spreadsheet opens whole; beyond this,
# GeoParquet.
SMALL_FORMAT_ROWS = 100_000
CONNECT_TIMEOUT_S = 5
DEFAULT_PARTITION_ROWS = 50_000
PART_NAME = "part-{:05d}.parquet"

Progress = Callable[[int, int], None]


@dataclass
class Summary:
    """What a run did: rows, partitions, where it wrote, how long it took and the memory it used.

    ``peak_mb`` is the peak resident memory of each process that ran partitions (this one for
    ``local``; each worker, by address, for ``dask``), ``cpu_s`` its CPU time (for ``dask``,
    every worker's at the end, whether it ran a partition or only sea lanes).
    """

    rows: int
    partitions: int
    output: Path
    bytes: int
    engine: str
    seconds: float
    peak_mb: dict[str, float] = field(default_factory=dict)
    cpu_s: dict[str, float] = field(default_factory=dict)
    dashboard: str | None = None
    skipped: int = 0  # rows naming an aggregate, skipped (--skip-aggregates)
    flows: int | None = None  # with --by, the summed flows written
    mixed: str | None = None  # what a sum over the table's rows would count twice


def output_format(output: Path) -> str:
    """``parquet``, ``geojson``, ``gpkg`` or ``csv`` from the output's suffix."""
    fmt = OUTPUT_SUFFIXES.get(output.suffix.lower())
    if fmt is None:
        raise GeoError(
            f"{output}: unknown output format; give -o a .parquet (GeoParquet), .geojson, "
            ".gpkg or .csv path, or .html with --top"
        )
    return fmt


def run_flows(
    table: Path,
    output: Path,
    *,
    engine: str = "local",
    scheduler: str | None = None,
    workers: int | None = None,
    partition_rows: int = DEFAULT_PARTITION_ROWS,
    tolerance_km: float = 1.0,
    progress: Progress | None = None,
    on_cluster: Callable[[str], None] | None = None,
    layout: Layout | None = None,
    by: Sequence[str] = (),
) -> Summary:
    """Validate and route every flow of ``table`` and write them to ``output``.

    Parameters
    ----------
    table
        A flow table, ``.csv`` or ``.parquet`` (docs/flows.md).
    output
        ``.parquet``: GeoParquet, one file with the local engine, a dataset folder of part files
        with Dask; ``.geojson`` or ``.gpkg`` for tables of at most :data:`SMALL_FORMAT_ROWS`.
    engine
        ``local`` or ``dask``.
    scheduler
        With ``dask``, the address of a running scheduler (``tcp://10.0.0.5:8786``); without it
        a ``LocalCluster`` of ``workers`` processes is started and stopped.
    workers
        Workers of the ``LocalCluster`` (default 2).
    partition_rows
        Rows per partition: the unit of work and of memory.
    tolerance_km
        See :func:`geo.geodesy.geodesic_paths`.
    progress
        Called after each partition with the rows done so far and the rows in all.
    on_cluster
        Called once with the Dask dashboard's address.
    layout
        Which of the table's columns give the flow columns (:mod:`geo.layouts`), and whether
        rows naming an aggregate are skipped.
    by
        Sum the flows by these columns (and by path) before routing: one output row per sum,
        with ``value_amount`` summed (per currency) and ``flows``, the rows summed.

    Raises
    ------
    TripFormatError
        Every problem of the table (the first :data:`geo.flows.MAX_PROBLEMS`, and a count).
    GeoError
        An unreadable table, an unknown output format, an unreachable scheduler.
    """
    if engine not in ENGINES:
        raise ParameterError("engine", engine, "is not an engine", ENGINES)
    if scheduler and engine != "dask":
        raise GeoError("--scheduler needs --engine dask")
    if engine == "dask":
        _require_dask()
    if output.is_dir() and not _is_dataset(output):
        raise GeoError(
            f"{output}: is a folder; give -o a new path such as {output / 'flows.parquet'}"
        )
    fmt = output_format(output)
    start = time.perf_counter()
    lay = layout or Layout()
    columns = check_columns(table, lay, by)
    sea = _sea_rows(table, columns, lay) if engine == "dask" else None
    is_csv = table.suffix.lower() == ".csv"
    parts = partitions(table.resolve(), partition_rows, sea.add if sea and is_csv else None)
    if sea is not None and not is_csv:
        from geo.formats.flow_table import parquet_rows

        for cells in parquet_rows(table, sea.names):
            sea.add(cells)
    rows = sum(p.rows for p in parts)
    if fmt != "parquet" and rows > SMALL_FORMAT_ROWS and not by:
        raise GeoError(
            f"{table}: {rows:,} flows are too many for {fmt} (at most {SMALL_FORMAT_ROWS:,}); "
            "write GeoParquet (-o FILE.parquet), or map the largest with --top N -o map.html"
        )
    done = [0]

    def tick(n: int) -> None:
        done[0] += n
        if progress is not None:
            progress(done[0], rows)

    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=output.parent, prefix=f".{output.name}.") as tmp:
        staged = Path(tmp) / "flows.parquet"
        dashboard = None
        cpu: dict[str, float] = {}
        job = _Job(tolerance_km, lay, tuple(by), partition_rows)
        if engine == "local":
            results = _local(parts, staged, job, tick)
        else:
            results, dashboard = _dask(
                parts, staged, job, scheduler, workers, tick, on_cluster, sea, cpu
            )
        problems = report(str(table), results)
        if problems is not None:
            raise problems
        if by and fmt != "parquet" and job.flows > SMALL_FORMAT_ROWS:
            raise GeoError(
                f"{table}: {job.flows:,} summed flows are too many for {fmt} (at most "
                f"{SMALL_FORMAT_ROWS:,}); write GeoParquet (-o FILE.parquet)"
            )
        if fmt == "parquet":
            _replace(staged, output)
        else:
            _write_small(staged, output, fmt)
    return Summary(
        rows=rows,
        partitions=len(parts),
        output=output,
        bytes=_size(output),
        engine=engine,
        seconds=time.perf_counter() - start,
        peak_mb=_peaks(results),
        cpu_s=cpu or _cpu(results),
        dashboard=dashboard,
        skipped=sum(r.skipped for r in results),
        flows=job.flows if by else None,
        mixed=mixed_levels(level for r in results for level in r.levels),
    )


@dataclass
class _Job:
    """What every partition is run with, and what a run with ``by`` wrote."""

    tolerance_km: float
    layout: Layout
    by: tuple[str, ...]
    partition_rows: int
    flows: int = 0


def _peaks(results: Sequence[PartResult]) -> dict[str, float]:
    out: dict[str, float] = {}
    for r in results:
        out[r.worker] = max(out.get(r.worker, 0.0), r.peak_mb)
    return dict(sorted(out.items()))


def _cpu(results: Sequence[PartResult]) -> dict[str, float]:
    out: dict[str, float] = {}
    for r in results:
        out[r.worker] = max(out.get(r.worker, 0.0), r.cpu_s)
    return dict(sorted(out.items()))


def _size(path: Path) -> int:
    if path.is_dir():
        return sum(p.stat().st_size for p in path.iterdir())
    return path.stat().st_size


def _is_dataset(path: Path) -> bool:
    """Whether a folder is a flow dataset this module wrote (only part files in it)."""
    return path.is_dir() and all(p.name.startswith("part-") for p in path.iterdir())


def _replace(staged: Path, output: Path) -> None:
    """Move the staged file or folder to ``output``, replacing an earlier output whole, synced
    and with the umask's permissions (:func:`geo.formats.atomic.replace`)."""
    from geo.formats.atomic import replace

    replace(staged, output)


# -- local ---------------------------------------------------------------------------------------


def _local(
    parts: Sequence[Partition], staged: Path, job: _Job, tick: Callable[[int], None]
) -> list[PartResult]:
    """Partitions one after another into one GeoParquet file; once a partition has problems,
    the rest are only checked (every problem is still reported). With ``by``, the partitions'
    sums are merged and routed in chunks after the last partition."""
    from geo.flows import merge_groups, route_groups
    from geo.formats.spatial_order import SortedWriter

    results: list[PartResult] = []
    failed = 0
    scratch = staged.parent / "buckets"
    scratch.mkdir()
    writer = SortedWriter(staged, scratch)
    for part in parts:
        r = process_partition(part, job.tolerance_km, not failed, job.layout, job.by)
        failed += r.problem_count
        if r.table is not None and not failed:
            writer.write(r.table)
        r.table, r.worker = None, "local"
        results.append(r)
        tick(r.rows)
    if job.by and not failed:
        merged = merge_groups(r.groups for r in results if r.groups is not None)
        for r in results:
            r.groups = None
        for k, chunk in enumerate(_chunks(merged, job)):
            g = route_groups(chunk, len(parts) + k, job.tolerance_km)
            failed += g.problem_count
            if g.table is not None and not failed:
                writer.write(g.table)
            g.table, g.worker, g.rows = None, "local", 0
            results.append(g)
    if not failed:
        writer.close()
    return results


def _chunks(merged: Any, job: _Job) -> list[Checked]:
    """The summed flows in chunks to route."""
    from geo.flows import group_chunks

    if merged is None:
        return []
    job.flows = len(merged.sums)
    return group_chunks(merged, job.partition_rows)


# -- dask ------------------------------------------------------------------------------------


def _dask_part(part: Partition, folder: str, job: _Job) -> PartResult:
    """One partition on a worker: written as its own part file; the result without its table
    (with ``by``: its sums, written later)."""
    from distributed import get_worker

    r = process_partition(part, job.tolerance_km, True, job.layout, job.by)
    _write_part(r, folder, part.index)
    r.worker = get_worker().address
    return r


def _dask_groups(chunk: Checked, index: int, folder: str, tolerance_km: float) -> PartResult:
    """One chunk of summed flows on a worker, routed and written as part file ``index``."""
    from distributed import get_worker

    from geo.flows import route_groups

    r = route_groups(chunk, index, tolerance_km)
    _write_part(r, folder, index)
    r.worker, r.rows = get_worker().address, 0
    return r


def _write_part(r: PartResult, folder: str, index: int) -> None:
    import pyarrow.parquet as pq

    if r.table is not None:
        from geo.formats.spatial_order import GROUP_ROWS, box_keys

        # Each part file in Hilbert order (the dataset's files follow the table's partitions).
        keys = box_keys(r.table)
        ordered = r.table.take(np.argsort(keys, kind="stable"))
        pq.write_table(
            ordered,
            Path(folder) / PART_NAME.format(index),
            compression="zstd",
            row_group_size=GROUP_ROWS,
        )
    r.table = None


def _require_dask() -> None:
    """A clean error, before any work, when the ``dask`` extra is missing."""
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise GeoError(
            "--engine dask needs Dask: pip install 'geo-itinerary[dask]' (dask, distributed)"
        ) from None


def _connect(scheduler: str | None, workers: int | None) -> tuple[Any, Any]:
    """A client of the scheduler given, or of a new LocalCluster (returned to be closed)."""
    _require_dask()
    from distributed import Client, LocalCluster

    if scheduler:
        try:
            return Client(scheduler, timeout=CONNECT_TIMEOUT_S, set_as_default=False), None
        except Exception as exc:  # OSError, TimeoutError, ValueError for a malformed address
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise GeoError(
                f"cannot reach the Dask scheduler at {scheduler} within {CONNECT_TIMEOUT_S} s "
                f"({reason}); check the address and that `dask scheduler` is running there"
            ) from None
    import logging

    cluster = LocalCluster(
        n_workers=workers or 2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=":0",
        silence_logs=logging.ERROR,
    )
    return Client(cluster, set_as_default=False), cluster


def _sea_rows(table: Path, columns: list[str], layout: Layout) -> SeaRows:
    from geo.flows import SeaRows

    # CSV rows come whole; a Parquet file is read for the path columns only (parquet_rows).
    kept = columns if table.suffix.lower() == ".csv" else list(layout.path_columns(columns))
    return SeaRows(kept, layout)


def _share_sea_lanes(client: Any, sea: SeaRows | None, tolerance_km: float, layout: Layout) -> None:
    """Route each distinct sea lane of the table once on the cluster, and give every worker
    all of them: a lane costs about 10 ms, and without this every worker would route every
    lane its partitions meet (the same lanes, on every worker)."""
    from geo.flows import route_hops, sea_hop_keys, seed_hops

    if sea is None or not sea.seen:
        return
    n = max(1, len(client.scheduler_info().get("workers", {})))
    # The hops, not the rows, are split: rows give the same lanes many times over. Sorted by
    # their start, each worker gets whole ports (one lane search from a port serves them all).
    keys = sea_hop_keys(sea.chunks(1), tolerance_km, layout)
    size = max(1, -(-len(keys) // n))
    chunks = [keys[i : i + size] for i in range(0, len(keys), size)]
    futures = client.map(route_hops, chunks, tolerance_km=tolerance_km, pure=False)
    shared: dict[Any, Any] = {}
    for lanes in client.gather(futures):
        shared.update(lanes)
    client.run(seed_hops, shared)


def _dask(
    parts: Sequence[Partition],
    staged: Path,
    job: _Job,
    scheduler: str | None,
    workers: int | None,
    tick: Callable[[int], None],
    on_cluster: Callable[[str], None] | None,
    sea: SeaRows | None = None,
    cpu: dict[str, float] | None = None,
) -> tuple[list[PartResult], str | None]:
    from distributed import as_completed

    from geo.flows import merge_groups

    staged.mkdir()
    client, cluster = _connect(scheduler, workers)
    folder = str(staged.resolve())
    try:
        dashboard = client.dashboard_link
        if on_cluster is not None:
            on_cluster(dashboard)
        _share_sea_lanes(client, sea, job.tolerance_km, job.layout)
        futures = client.map(_dask_part, list(parts), folder=folder, job=job, pure=False)
        results = []
        for future in as_completed(futures, loop=client.loop):
            r = future.result()
            results.append(r)
            tick(r.rows)
        results.sort(key=lambda r: r.index)
        if job.by and not any(r.problem_count for r in results):
            merged = merge_groups(r.groups for r in results if r.groups is not None)
            for r in results:
                r.groups = None
            chunks = _chunks(merged, job)
            futures = client.map(
                _dask_groups,
                chunks,
                range(len(chunks)),
                folder=folder,
                tolerance_km=job.tolerance_km,
                pure=False,
            )
            results += client.gather(futures)
        if cpu is not None:  # every worker's CPU time, sea lanes included
            cpu.update(sorted(client.run(time.process_time).items()))
        return results, dashboard
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


# -- small formats ---------------------------------------------------------------------------


def _write_small(staged: Path, output: Path, fmt: str) -> None:
    """GeoJSON (RFC 7946, deterministic, written like ``geo export``), CSV (RFC 4180, the path
    as a ``wkt`` column) or GeoPackage."""
    import geopandas as gpd

    from geo.formats.export import atomic_write, frame_csv

    frame = gpd.read_parquet(staged).set_crs("EPSG:4326", allow_override=True)
    # A file a GIS or a spreadsheet opens whole keeps the table's order (GeoParquet is written
    # in spatial order for engines that prune).
    frame = frame.sort_values("input_row", kind="stable").reset_index(drop=True)
    if fmt == "geojson":
        atomic_write(output, geojson_bytes(frame))
        return
    if fmt == "csv":
        atomic_write(output, frame_csv(frame))
        return
    from geo.formats.atomic import gdal_options

    target = staged.with_name(output.name)
    # GeoPackage stores a "last change" time; a fixed one keeps the file reproducible.
    with gdal_options({"OGR_CURRENT_DATE": "2000-01-01T00:00:00.000Z"}):
        frame.to_file(target, layer="flows", driver="GPKG", engine="pyogrio", promote_to_multi=True)
    atomic_write(output, target.read_bytes())


def geojson_bytes(frame: Any, ndigits: int = 6) -> bytes:
    """A flow frame as one RFC 7946 FeatureCollection, features ``flows-1``, ``flows-2``, …"""
    from geo.formats.export import dumps_compact, geometry_texts, json_value

    columns = [c for c in frame.columns if c != frame.geometry.name]
    values = {c: [json_value(v) for v in frame[c].tolist()] for c in columns}

    def features() -> Iterator[str]:
        for i, geometry in enumerate(geometry_texts(frame.geometry.array, ndigits)):
            props = {c: values[c][i] for c in columns}
            yield (
                f'{{"type":"Feature","id":"flows-{i + 1}","geometry":{geometry}'
                f',"properties":{dumps_compact(props)}}}'
            )

    text = '{"type":"FeatureCollection","features":[' + ",".join(features()) + "]}\n"
    return text.encode("utf-8")
