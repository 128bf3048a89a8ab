"""Flow tables: origin–destination rows validated, routed and written partition by partition.

A flow table (docs/flows.md) has one row per flow: where from, where to, by which mode, what and
how much. Each partition of rows is checked with the trip format's rules (:mod:`geo.schema`),
its places resolved with the offline gazetteer, and each flow's path computed as a trip route's
is: one hop per pair of consecutive points (origin, ``via`` points, destination), each hop a sea
lane or a WGS84 geodesic by mode (:func:`geo.routing.hop_paths`), joined end to end.

The partition is the unit of work and of memory: the local engine runs partitions one after
another in this process; the Dask engine runs the same function on the workers of a cluster
(:mod:`geo.engines`). Both give the same rows and geometries.

Output columns: the table's own columns (known ones typed: coordinates and ``value_amount`` as
float64, ``date`` as a date, codes upper-case, ``mode`` lower-case; others as read), then
``path`` (WKB, RFC 7946 lines in EPSG:4326: a path across the antimeridian is cut there) and
``distance_km`` (along the path, WGS84 ellipsoid).
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from geo import geodesy, vocab
from geo.errors import GazetteerError, Problem, RoutingError, TripFormatError
from geo.fields import FLOW_TABLE
from geo.formats.flow_table import Partition, Rows, as_list, read_partition, table_columns
from geo.layouts import PATH_COLUMNS, Layout, text_cell
from geo.schema import Checker, leg_passages, show, waypoint

if TYPE_CHECKING:
    import pyarrow as pa

    from geo.gazetteer import Place

__all__ = [
    "FLOW_COLUMNS",
    "MAX_PROBLEMS",
    "PartResult",
    "SeaRows",
    "check_columns",
    "check_rows",
    "peak_mb",
    "process_partition",
    "report",
    "route",
    "sea_lanes",
    "seed_hops",
]

ENDS = ("origin", "destination")
# The known columns, from the one definition of the fields (geo/fields.py).
FLOW_COLUMNS = tuple(f.name for f in FLOW_TABLE)
_FLOATS = {f"{e}_{k}" for e in ENDS for k in ("lat", "lon")} | {"value_amount"}
_TEXTS = {"origin", "destination", "goods", "name", "origin_country", "destination_country"}
_TEXTS |= {"origin_admin1", "destination_admin1"}
_TEXTS |= {"mode", "value_currency"}
# A report lists this many problems; the rest are counted.
MAX_PROBLEMS = 100
# Hops kept per process between partitions (trade tables repeat port pairs), bounded by their
# vertices so a worker's memory stays flat.
HOP_CACHE_VERTICES = 2_000_000
_ROW = re.compile(r"^flows\[(\d+)\]\.?(.*)$")


# -- the table's columns -------------------------------------------------------------------------


def check_columns(path: Path, layout: Layout | None = None, by: Sequence[str] = ()) -> list[str]:
    """The table's columns, or a :class:`~geo.errors.TripFormatError` naming what is missing.

    A column the format does not know is passed through to the output as it is, unless its
    name is so close to a known one that it is likely a typo (for a table in the format's own
    layout). ``layout`` says which columns give the flow columns; ``by``, the columns flows are
    summed by.
    """
    lay = layout or Layout()
    columns = table_columns(path)
    where = f"{path.name}:1" if path.suffix.lower() == ".csv" else f"{path.name} columns"
    problems = lay.problems(columns, where)
    flow_columns = lay.output_columns(columns)
    for end in ENDS:
        located = {f"{end}_lat", f"{end}_lon"} <= set(flow_columns)
        if end not in flow_columns and f"{end}_country" not in flow_columns and not located:
            problems.append(
                Problem(
                    where,
                    f"no column {end!r}",
                    f"add {end!r} (a place name), {end}_country (its capital), or both "
                    f"{end}_lat and {end}_lon",
                )
            )
    seen: set[str] = set()
    for c in columns:
        if c in seen:
            problems.append(Problem(where, f"column {c!r} appears twice", "keep one of them"))
        seen.add(c)
        if c in OUTPUT_COLUMNS:
            problems.append(
                Problem(where, f"column {c!r} is one geo adds to the output", "rename it")
            )
        if c not in FLOW_COLUMNS and lay.plain:
            close = difflib.get_close_matches(c.lower(), FLOW_COLUMNS, n=1, cutoff=0.8)
            if close and close[0] not in columns:
                problems.append(
                    Problem(
                        where,
                        f"unknown column {c!r}",
                        f"did you mean {close[0]!r}? (other unknown columns are kept as they are)",
                    )
                )
    for c in by:
        if c not in flow_columns:
            problems.append(
                Problem(
                    where,
                    f"--by {c[:80]!r}: no such column",
                    "give columns of the table or flow columns: "
                    + ", ".join(flow_columns[:12])
                    + (", …" if len(flow_columns) > 12 else ""),
                )
            )
        elif c in GROUP_SUMS:
            problems.append(
                Problem(where, f"--by {c!r}: this column is what is summed", "leave it out")
            )
    if by and "flows" in columns:
        problems.append(
            Problem(where, "column 'flows' is one geo adds with --by (rows summed)", "rename it")
        )
    if problems:
        raise TripFormatError(str(path), problems)
    return columns


# -- validation ------------------------------------------------------------------------------


@lru_cache(maxsize=65536)
def _lookup(name: str, country: str | None, admin1: str | None) -> Place | str:
    """A gazetteer look-up, remembered: a table names the same ports again and again, and an
    unknown name costs a fuzzy search."""
    from geo import gazetteer

    try:
        return gazetteer.lookup(name, country, admin1)
    except GazetteerError as exc:
        return str(exc)


class _RowChecker(Checker):
    """The trip checker, naming each row by its file and line and keeping a bounded report."""

    def __init__(self, where: Sequence[str], limit: int = MAX_PROBLEMS) -> None:
        super().__init__({})
        self.rows = where
        self.limit = limit
        self.count = 0

    def where(self, path: str) -> str:
        m = _ROW.match(path)
        if m is None:
            return path
        row = self.rows[int(m.group(1))]
        return f"{row} {m.group(2)}" if m.group(2) else row

    def add(self, path: str, message: str, fix: str = "") -> None:
        self.count += 1
        if len(self.problems) < self.limit:
            super().add(path, message, fix)

    def place(self, path: str, name: str, country: str | None, admin1: Any = None) -> Any:
        found = _lookup(name, country, self.string(path, admin1))
        if isinstance(found, str):
            self.add(path, found, "")
            return None
        return found


def _split(value: Any) -> list[Any]:
    """A list cell: ``'Busan; Singapore'`` or a Parquet list."""
    if value is None:
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(";") if v.strip()]
    if isinstance(value, list | tuple):
        return list(value)
    return [value]


def _via_item(value: Any) -> Any:
    """A via point as the trip format's waypoint, in the CSV folders' syntax (docs/flows.md)."""
    from geo.formats.csv_folder import parse_waypoint as csv_waypoint

    return csv_waypoint(value) if isinstance(value, str) else value


def _country(c: _RowChecker, path: str, value: Any) -> str | None:
    """A country cell: an ISO alpha-2 or alpha-3 code or an English name, as alpha-2; an
    aggregate of trade statistics (``W00``, ``World``, ``… nes``) is a problem of its own."""
    if value is None or value == "":
        return None
    text = str(value)
    if vocab.aggregate(text):
        return None  # reported for the row as a whole (check_rows)
    code = vocab.any_country_code(text)
    if code is None:
        c.add(
            path,
            f"{show(value)} is not a country (an ISO 3166-1 code or an English name)",
            vocab.country_suggestion(text),
        )
    return code


def _end(
    c: _RowChecker, p: str, m: dict[str, Any], end: str, lay: Layout, mode: str | None
) -> tuple[float, float] | None:
    """A flow's origin or destination: lat/lon if given, else the place (in its country), else
    the country's main port for ``sea`` (:mod:`geo.ports`) or its capital."""
    country = _country(c, f"{p}.{end}_country", m.get(f"{end}_country"))
    raw_lat, raw_lon = m.get(f"{end}_lat"), m.get(f"{end}_lon")
    if raw_lat is not None or raw_lon is not None:
        lat = c.number(f"{p}.{end}_lat", raw_lat, -90, 90, "a latitude", "use -90 to 90")
        lon = c.number(f"{p}.{end}_lon", raw_lon, -180, 180, "a longitude", "use -180 to 180")
        if raw_lat is None or raw_lon is None:
            c.add(p, f"has only one of {end}_lat and {end}_lon", "give both")
        return (lon, lat) if lon is not None and lat is not None else None
    name = c.string(f"{p}.{end}", m.get(end))
    if name is None and country is not None and mode == "sea":
        from geo.ports import main_port

        port = main_port(country, lay.port_table())
        if port is None:
            c.add(
                f"{p}.{end}_country",
                f"no main port known for {country}",
                f"give {end}, or the port in a table of main ports (--ports)",
            )
            return None
        return (port.lon, port.lat)
    if name is None and country is not None:
        from geo.gazetteer import capital

        seat = capital(country)
        if seat is None:
            c.add(f"{p}.{end}_country", f"no capital known for {country}", f"give {end}")
            return None
        return (seat.lon, seat.lat)
    if name is None:
        if m.get(f"{end}_country") is None:
            c.add(
                f"{p}.{end}",
                "missing",
                f"give a place name, {end}_country, or {end}_lat and {end}_lon",
            )
        return None
    found = c.place(f"{p}.{end}", name, country, m.get(f"{end}_admin1"))
    return (found.lon, found.lat) if found is not None else None


def _money(c: _RowChecker, p: str, m: dict[str, Any]) -> tuple[float | None, str | None]:
    amount = c.amount(f"{p}.value_amount", m.get("value_amount"))
    cur = m.get("value_currency")
    code = None
    if cur is not None:
        code = vocab.currency_code(cur) if isinstance(cur, str) else None
        if code is None:
            word = vocab.CURRENCY_WORDS.get(str(cur).strip().lower())
            c.add(
                f"{p}.value_currency",
                f"{show(cur)} is not an ISO 4217 currency code",
                f"did you mean '{word}'?" if word else "use a code such as USD or KRW",
            )
    if m.get("value_amount") is not None and cur is None:
        c.add(f"{p}.value_currency", "missing", "give the currency of value_amount, such as USD")
    if cur is not None and m.get("value_amount") is None:
        c.add(f"{p}.value_amount", "missing", "give the amount, or leave value_currency empty")
    return amount, code


@dataclass
class Checked:
    """A partition's flows, checked: output cells by column, and each flow's hops."""

    columns: dict[str, list[Any]]
    types: dict[str, pa.DataType]
    points: list[list[tuple[float, float]]] = field(default_factory=list)
    modes: list[str] = field(default_factory=list)
    avoid: list[tuple[str, ...]] = field(default_factory=list)
    allow: list[tuple[str, ...]] = field(default_factory=list)
    labels: list[tuple[str, str]] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)  # each routed flow's row in the partition
    skipped: int = 0  # rows naming an aggregate, skipped (Layout.skip_aggregates)
    first_rows: list[int] | None = None  # with --by, each group's first row in the table


def check_rows(
    rows: Rows, limit: int = MAX_PROBLEMS, layout: Layout | None = None
) -> tuple[Checked, list[Problem], int]:
    """Check and resolve every row; the flows, the first ``limit`` problems and their count.

    ``layout`` says which of the table's columns give the flow columns (the table's own
    columns are kept beside them).
    """
    import pyarrow as pa

    lay = layout or Layout()
    c = _RowChecker(rows.where, limit)
    table_names = list(rows.columns)
    names = lay.output_columns(table_names)
    texts = lay.text_columns(table_names)
    out: dict[str, list[Any]] = {k: [] for k in names}
    typed = {k: pa.float64() for k in _FLOATS} | {k: pa.string() for k in _TEXTS}
    typed["date"] = pa.date32()
    types = {}
    for k in names:
        if k in texts:
            types[k] = pa.string()
        elif k in rows.types and k not in FLOW_COLUMNS:
            types[k] = rows.types[k]
        else:
            types[k] = typed.get(k, rows.types.get(k, pa.string()))
    checked = Checked(out, types)
    # Cells a row's check reads; the other columns go to the output as they are, column by
    # column, for the rows kept.
    read = lay.read_columns(table_names)
    cells = [as_list(rows.columns[k]) for k in read]
    per_row = [k for k in names if k in _ROW_KEYS and k not in texts]
    kept: list[int] = []
    named_by = lay.aggregate_columns(table_names)
    parts = _PATH_PARTS.setdefault(lay, {})
    for i in range(len(rows)):
        before = c.count
        raw = {k: v[i] for k, v in zip(read, cells, strict=True) if v[i] is not None}
        p = f"flows[{i}]"
        m = raw if lay.plain else lay.cells(raw, c, p)
        if c.count > before:
            continue  # the layout cannot tell the flow (an unknown flow code): said once
        # The cells that decide the flow's path repeat from row to row (a trade table names the
        # same few hundred pairs of places): their checks are made once per process.
        key = (*(m.get(k) for k in PATH_COLUMNS), *(raw.get(k) for k in named_by))
        part = parts.get(key)
        if part is None:
            part = _path_part(m, raw, lay)
            if len(parts) >= MAX_PATH_PARTS:
                parts.clear()
            parts[key] = part
        if part.aggregate is not None:
            if lay.skip_aggregates:
                checked.skipped += 1
                continue
            column, value = part.aggregate
            c.add(
                f"{p}.{column}",
                f"{show(value)} is an aggregate of trade statistics, not a country",
                "leave such rows out (a flow runs between two places), or give "
                "--skip-aggregates to skip and count them",
            )
        _replay(c, p, part.problems)
        amount, currency = _money(c, p, m)
        row = dict(part.row)
        row["value_amount"], row["value_currency"] = amount, currency
        row["date"] = c.date(f"{p}.date", m.get("date"))
        for k in ("goods", "name"):
            row[k] = None if m.get(k) is None else str(m[k])
        for k in per_row:  # a flow column: typed
            out[k].append(row[k])
        kept.append(i)
        if c.count > before or part.points is None:
            continue  # only rows without problems are routed (and only when no row has any)
        checked.points.append(part.points)
        checked.rows.append(i)
        checked.modes.append(part.mode or "air")
        checked.avoid.append(part.avoid)
        checked.allow.append(part.allow)
    everything = len(kept) == len(rows)
    for k in names:
        if k in per_row:
            continue
        source = rows.columns[k]
        if k in texts and not pa.types.is_string(rows.types[k]):
            values = as_list(source)
            out[k] = [text_cell(values[i]) for i in kept]
        elif everything:
            out[k] = source
        elif isinstance(source, pa.Array):  # Arrow's CSV reader: taken, not converted
            out[k] = source.take(pa.array(kept, type=pa.int64()))
        else:
            out[k] = [source[i] for i in kept]
    return checked, c.problems, c.count


@dataclass(frozen=True)
class _PathPart:
    """What a row's path-deciding cells give, checked once: the typed flow cells, the points
    (None if any is wrong), the mode and passages, an aggregate's column and cell, and the
    problems as (path after the row's, message, fix)."""

    row: dict[str, Any]
    points: list[tuple[float, float]] | None
    mode: str | None
    avoid: tuple[str, ...]
    allow: tuple[str, ...]
    aggregate: tuple[str, Any] | None
    problems: tuple[tuple[str, str, str], ...]


# Path parts by layout, then by cells, per process, bounded per layout.
_PATH_PARTS: dict[Layout, dict[tuple[Any, ...], _PathPart]] = {}
MAX_PATH_PARTS = 200_000
_STAND_IN = "flows[0]"


class _Capture(_RowChecker):
    """A checker that keeps each problem's path, message and fix, for replay on any row."""

    def __init__(self) -> None:
        super().__init__([_STAND_IN], limit=0)
        self.seen: list[tuple[str, str, str]] = []

    def add(self, path: str, message: str, fix: str = "") -> None:
        self.count += 1
        self.seen.append((path[len(_STAND_IN) :], message, fix))


def _replay(c: _RowChecker, p: str, problems: Sequence[tuple[str, str, str]]) -> None:
    for suffix, message, fix in problems:
        c.add(p + suffix, message, fix)


def _path_part(m: dict[str, Any], raw: dict[str, Any], lay: Layout) -> _PathPart:
    """The path part of a row with flow cells ``m`` (from its table cells ``raw``)."""
    cap = _Capture()
    p = _STAND_IN
    aggregate = lay.aggregate(raw, m)
    mode = cap.choice(f"{p}.mode", m.get("mode"), vocab.ROUTE_MODES)
    a = _end(cap, p, m, "origin", lay, mode)
    b = _end(cap, p, m, "destination", lay, mode)
    via = [waypoint(cap, f"{p}.via[{j}]", _via_item(v)) for j, v in enumerate(_split(m.get("via")))]
    passages = {k: _split(m.get(k)) for k in ("avoid", "allow")}
    avoid, allow = leg_passages(cap, p, passages, mode, "this flow")
    row: dict[str, Any] = {"mode": mode}
    for end in ENDS:
        code = m.get(f"{end}_country")
        row[f"{end}_country"] = (
            vocab.any_country_code(str(code))
            if code is not None and not vocab.aggregate(str(code))
            else None
        )
        for k in ("lat", "lon"):
            row[f"{end}_{k}"] = _float(m.get(f"{end}_{k}"))
    for k in ("origin", "destination", "origin_admin1", "destination_admin1"):
        row[k] = None if m.get(k) is None else str(m[k])
    ok = not cap.count and a is not None and b is not None and None not in via
    points = [a, *((w.lon, w.lat) for w in via if w is not None), b] if ok else None
    return _PathPart(row, points, mode, avoid, allow, aggregate, tuple(cap.seen))  # type: ignore[arg-type]


# The flow columns each row's check gives a typed value of.
_ROW_KEYS = frozenset(
    {"mode", "value_amount", "value_currency", "date", "origin", "destination", "goods", "name"}
    | {f"{e}_{k}" for e in ENDS for k in ("country", "lat", "lon", "admin1")}
)


def _float(value: Any) -> float | None:
    if value is None:
        return None
    try:
        x = float(str(value).replace(",", "")) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


# -- paths -----------------------------------------------------------------------------------

_HOPS: dict[tuple[Any, ...], tuple[np.ndarray, np.ndarray, float]] = {}
_HOP_VERTICES = [0]


def _hop_paths(
    keys: Sequence[tuple[Any, ...]], names: Sequence[str], tolerance_km: float
) -> geodesy.Paths:
    """Paths of hops given as ``(sea, lon1, lat1, lon2, lat2, avoid, allow, tolerance_km)``.

    The one place where a flow's hop gets its path: :func:`geo.routing.hop_paths` (a sea lane for
    ``sea``, the WGS84 geodesic otherwise), as trip legs and routes do.
    """
    from geo import routing

    ends = np.asarray([k[1:5] for k in keys], dtype=float).reshape(-1, 4)
    paths, _ = routing.hop_paths(
        ["sea" if k[0] else "air" for k in keys],
        ends[:, 0],
        ends[:, 1],
        ends[:, 2],
        ends[:, 3],
        avoid=[k[5] for k in keys],
        allow=[k[6] for k in keys],
        names=list(names),
        tolerance_km=tolerance_km,
    )
    return paths


def _compute_hops(
    keys: list[tuple[Any, ...]], names: list[str], tolerance_km: float
) -> tuple[list[tuple[np.ndarray, np.ndarray, float] | None], dict[int, RoutingError]]:
    """Each hop's vertices and length, from the process's cache or computed together; a hop
    that cannot be routed is ``None`` and its error is kept."""
    out: list[tuple[np.ndarray, np.ndarray, float] | None] = [_HOPS.get(k) for k in keys]
    todo = [i for i, v in enumerate(out) if v is None]
    errors: dict[int, RoutingError] = {}
    if not todo:
        return out, errors
    try:
        batches = [(todo, _hop_paths([keys[i] for i in todo], [names[i] for i in todo],
                                     tolerance_km))]  # fmt: skip
    except RoutingError:
        # Some hop cannot be routed: route them one by one to name every such hop.
        batches = []
        for i in todo:
            try:
                batches.append(([i], _hop_paths([keys[i]], [names[i]], tolerance_km)))
            except RoutingError as exc:
                errors[i] = exc
    if len(_HOPS) and _HOP_VERTICES[0] > HOP_CACHE_VERTICES:
        _HOPS.clear()
        _HOP_VERTICES[0] = 0
    for idx, paths in batches:
        for j, i in enumerate(idx):
            a, b = paths.offsets[j], paths.offsets[j + 1]
            hop = (paths.lon[a:b].copy(), paths.lat[a:b].copy(), float(paths.distance_m[j]))
            out[i] = hop
            _HOPS[keys[i]] = hop
            _HOP_VERTICES[0] += int(b - a)
    return out, errors


def _hops_of(
    checked: Checked, where: Sequence[str], tolerance_km: float = 1.0
) -> tuple[dict[tuple[Any, ...], int], list[str], dict[tuple[int, ...], int], np.ndarray]:
    """The distinct hops of checked flows (with the first flow naming each), the distinct flows
    as tuples of hop numbers, and each flow's distinct-flow number. A hop's key holds what
    decides its path, the tolerance included (the process's caches are keyed by it)."""
    hop_ids: dict[tuple[Any, ...], int] = {}
    hop_names: list[str] = []
    flow_ids: dict[tuple[int, ...], int] = {}
    flow_of = np.empty(len(checked.points), dtype=np.int64)
    # Rows of one path part share their points' list: its flow is looked up once.
    seen: dict[tuple[Any, ...], int] = {}
    for f, pts in enumerate(checked.points):  # f: the flow's row in the partition
        sea = checked.modes[f] == "sea"
        avoid, allow = (checked.avoid[f], checked.allow[f]) if sea else ((), ())
        same = (id(pts), sea, avoid, allow)
        if same in seen:
            flow_of[f] = seen[same]
            continue
        ids = []
        for (x1, y1), (x2, y2) in zip(pts[:-1], pts[1:], strict=True):
            key = (sea, x1, y1, x2, y2, avoid, allow, tolerance_km)
            if key not in hop_ids:
                hop_ids[key] = len(hop_ids)
                hop_names.append(where[min(f, len(where) - 1)])
            ids.append(hop_ids[key])
        flow_of[f] = seen[same] = flow_ids.setdefault(tuple(ids), len(flow_ids))
    return hop_ids, hop_names, flow_ids, flow_of


# -- sea lanes shared by the workers of a cluster -------------------------------------------------

# The cells that decide a sea flow's hops; value, goods and date do not.
SEA_KEY_COLUMNS = PATH_COLUMNS
# Gathered in one place only up to this many distinct sea rows; beyond, each worker routes its own.
MAX_SHARED_SEA_ROWS = 20_000

Hop = tuple[np.ndarray, np.ndarray, float]


class SeaRows:
    """The distinct sea rows of a table (their hop-deciding cells only), gathered while the
    table is cut into partitions, so that a cluster routes each sea lane once, not once per
    worker."""

    def __init__(self, columns: Sequence[str], layout: Layout | None = None) -> None:
        self.layout = layout or Layout()
        keys = set(self.layout.path_columns(columns))
        self.names = [c for c in columns if c in keys]
        self.index = [list(columns).index(c) for c in self.names]
        self.mode = self.names.index("mode") if self.layout.plain and "mode" in keys else None
        self.seen: dict[tuple[Any, ...], None] = {}
        self.other: set[tuple[Any, ...]] = set()  # rows of other modes (with a layout)
        self.full = not keys or (self.layout.plain and self.mode is None)

    def add(self, cells: Sequence[Any]) -> None:
        """One row as read (CSV cells, or Parquet values in column order)."""
        if self.full:
            return
        key = tuple(_cell(cells[j]) if j < len(cells) else None for j in self.index)
        if key in self.seen or key in self.other or not self._sea(key):
            return
        self.seen[key] = None
        if len(self.seen) > MAX_SHARED_SEA_ROWS or len(self.other) > 8 * MAX_SHARED_SEA_ROWS:
            self.full, self.seen, self.other = True, {}, set()

    def _sea(self, key: tuple[Any, ...]) -> bool:
        if self.mode is not None:
            mode = key[self.mode]
            return isinstance(mode, str) and mode.strip().lower() == "sea"
        cells = self.layout.cells(
            {k: v for k, v in zip(self.names, key, strict=True) if v is not None}, Checker({}), ""
        )
        sea = str(cells.get("mode") or "").strip().lower() == "sea"
        if not sea:
            self.other.add(key)
        return sea

    def chunks(self, n: int) -> list[Rows]:
        """The distinct rows in about ``n`` chunks, as partitions' rows are."""
        import pyarrow as pa

        keys = list(self.seen)
        size = max(1, -(-len(keys) // max(1, n)))
        out = []
        for start in range(0, len(keys), size):
            part = keys[start : start + size]
            columns = {c: [k[j] for k in part] for j, c in enumerate(self.names)}
            out.append(Rows(columns, ["-"] * len(part), {c: pa.string() for c in self.names}))
        return out


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, list):
        return tuple(value)
    return value


def sea_lanes(
    rows: Rows, tolerance_km: float = 1.0, layout: Layout | None = None
) -> dict[tuple[Any, ...], Hop]:
    """The sea hops of some distinct rows, routed (rows with problems are left to the run that
    reports them): :func:`sea_hop_keys`, then :func:`route_hops`."""
    return route_hops(sea_hop_keys([rows], tolerance_km, layout), tolerance_km)


def sea_hop_keys(
    rows: Sequence[Rows], tolerance_km: float = 1.0, layout: Layout | None = None
) -> list[tuple[Any, ...]]:
    """The distinct sea hops of some distinct rows, as hop keys sorted by their start (rows with
    problems are left to the run that reports them): many rows give one lane (an import of A
    from B and an export of B to A), so a cluster splits the hops, not the rows."""
    keys: dict[tuple[Any, ...], None] = {}
    for chunk in rows:
        checked, _, _ = check_rows(chunk, limit=0, layout=layout)
        hop_ids, _, _, _ = _hops_of(checked, chunk.where, tolerance_km)
        keys.update((k, None) for k in hop_ids if k[0])
    return sorted(keys, key=lambda k: (k[1], k[2], k[3], k[4], k[5], k[6]))


def route_hops(keys: Sequence[tuple[Any, ...]], tolerance_km: float = 1.0) -> dict[Any, Hop]:
    """Sea hops given by their keys, routed (one lane search per shared start port); the hops
    that cannot be routed are left out."""
    hops, _ = _compute_hops(list(keys), ["-"] * len(keys), tolerance_km)
    return {k: h for k, h in zip(keys, hops, strict=True) if h is not None}


def seed_hops(hops: dict[tuple[Any, ...], Hop]) -> int:
    """Put routed hops into this process's cache (within its bound); how many were added."""
    added = 0
    for key, hop in hops.items():
        if key in _HOPS or _HOP_VERTICES[0] + len(hop[0]) > HOP_CACHE_VERTICES:
            continue
        _HOPS[key] = hop
        _HOP_VERTICES[0] += len(hop[0])
        added += 1
    return added


def _line_of(where: str) -> tuple[int, str]:
    """A problem's place in the table (``trade.csv:5 mode`` -> 5), to keep reports in order."""
    m = re.search(r"(?::| row )(\d+)", where)
    return (int(m.group(1)) if m else 0, where)


def sea_problems(
    checked: Checked, where: Sequence[str], tolerance_km: float = 1.0
) -> list[Problem]:
    """The sea flows among the checked ones that cannot be routed (inland, no lane), each named
    by its row; the other flows are not routed."""
    sea = [k for k, m in enumerate(checked.modes) if m == "sea"]
    if not sea:
        return []
    sub = Checked(
        {},
        {},
        points=[checked.points[k] for k in sea],
        modes=["sea"] * len(sea),
        avoid=[checked.avoid[k] for k in sea],
        allow=[checked.allow[k] for k in sea],
    )
    named = [where[checked.rows[k]] for k in sea]
    return route(sub, named, tolerance_km)[2]


def route(
    checked: Checked, where: Sequence[str], tolerance_km: float = 1.0
) -> tuple[np.ndarray, np.ndarray, list[Problem], np.ndarray]:
    """WKB paths, distances (km), the flows that cannot be routed, and the paths' boxes
    (xmin, ymin, xmax, ymax) of checked flows.

    Identical hops and identical flows are computed once.
    """
    import shapely

    from geo import routing

    hop_ids, hop_names, flow_ids, flow_of = _hops_of(checked, where, tolerance_km)
    keys = list(hop_ids)
    flows = list(flow_ids)
    # Flows routed earlier in this process (a trade table repeats its corridors in every
    # partition) are taken whole; only the others' hops are routed.
    global_keys = [tuple(keys[h] for h in ids) for ids in flows]
    done = [_FLOWS.get(k) for k in global_keys]
    todo = [j for j, d in enumerate(done) if d is None]
    needed = sorted({h for j in todo for h in flows[j]})
    found, bad_hops = _compute_hops([keys[h] for h in needed], [hop_names[h] for h in needed],
                                    tolerance_km)  # fmt: skip
    hops: dict[int, Hop | None] = dict(zip(needed, found, strict=True))
    errors = {needed[i]: e for i, e in bad_hops.items()}
    problems = []
    broken = np.array([d is None and any(h in errors for h in flows[j])
                       for j, d in enumerate(done)], dtype=bool)  # fmt: skip
    for k in np.flatnonzero(broken[flow_of]).tolist() if len(flow_of) else []:
        bad = errors[next(h for h in flows[flow_of[k]] if h in errors)].problem
        problems.append(Problem(where[k], bad.message, bad.fix))
    fresh = [j for j in todo if not broken[j]]
    good = [flows[j] for j in fresh]
    pieces = [hop for ids in good for hop in (hops[h] for h in ids) if hop is not None]
    lon = np.concatenate([p[0] for p in pieces]) if pieces else np.zeros(0)
    lat = np.concatenate([p[1] for p in pieces]) if pieces else np.zeros(0)
    counts = np.array([len(p[0]) for p in pieces], dtype=np.int64)
    joined = routing.join_paths(
        geodesy.Paths(
            lon,
            lat,
            np.r_[0, np.cumsum(counts)].astype(np.int64),
            np.array([p[2] for p in pieces], dtype=np.float64),
        ),
        [len(ids) for ids in good],
    )
    geometries = geodesy.rfc7946_geometries(joined)
    wkb = np.full(len(flows), None, dtype=object)
    km = np.full(len(flows), np.nan)
    box = np.full((len(flows), 4), np.nan)
    for j, d in enumerate(done):
        if d is not None:
            wkb[j], km[j], box[j] = d
    new = np.asarray(fresh, dtype=np.int64)
    wkb[new] = shapely.to_wkb(geometries)
    km[new] = joined.distance_m / 1000.0
    box[new] = shapely.bounds(geometries)
    for j in fresh:
        if _FLOW_BYTES[0] > FLOW_CACHE_BYTES:
            _FLOWS.clear()
            _FLOW_BYTES[0] = 0
        _FLOWS[global_keys[j]] = (wkb[j], float(km[j]), box[j].copy())
        _FLOW_BYTES[0] += len(wkb[j])
    return wkb[flow_of], km[flow_of], problems, box[flow_of]


# Routed flows kept per process, by their hops, bounded by their WKB's size.
_FLOWS: dict[tuple[Any, ...], tuple[bytes, float, np.ndarray]] = {}
_FLOW_BYTES = [0]
FLOW_CACHE_BYTES = 200_000_000


# -- one partition -----------------------------------------------------------------------------


@dataclass
class PartResult:
    """What one partition gives back: its table (None once there are problems), the first
    problems, their count, and the peak memory and CPU time so far of the process that ran it."""

    index: int
    rows: int
    problems: list[Problem]
    problem_count: int
    table: pa.Table | None
    peak_mb: float
    worker: str = ""
    cpu_s: float = 0.0  # CPU time of the process that ran it, when it finished
    skipped: int = 0  # rows naming an aggregate, skipped
    groups: Groups | None = None  # with --by: the partition's flows summed, not yet routed
    levels: frozenset[tuple[str, str]] = frozenset()  # aggregation levels (Layout.levels)


def peak_mb() -> float:
    """Peak resident memory of this process, in MB.

    ``VmHWM`` from ``/proc/self/status`` on Linux: ``ru_maxrss`` would start at the resident
    size of the parent at the fork that made this process. ``ru_maxrss`` elsewhere.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource
    import sys

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 / 1024 if sys.platform == "darwin" else peak / 1024


def process_partition(
    part: Partition,
    tolerance_km: float = 1.0,
    route_flows: bool = True,
    layout: Layout | None = None,
    by: Sequence[str] = (),
) -> PartResult:
    """Read, check and route one partition into a GeoParquet-ready Arrow table.

    With ``route_flows`` false (problems were found elsewhere already) the rows are only
    checked. With ``by``, the partition's flows are summed by those columns (and their path)
    instead of routed: :attr:`PartResult.groups`, merged over partitions by :func:`merge_groups`
    and routed by :func:`route_groups`.
    """
    import time

    rows = read_partition(part)
    checked, problems, count = check_rows(rows, layout=layout)
    named = [rows.where[i] for i in checked.rows]
    table = None
    groups = None
    if count or not route_flows:
        # Other problems stop the run, but a sea flow that cannot be routed is a problem too:
        # the report names it now, not after the others are fixed.
        unroutable = sea_problems(checked, rows.where, tolerance_km)
        problems = sorted(
            problems + unroutable[: max(0, MAX_PROBLEMS - len(problems))],
            key=lambda p: _line_of(p.where),
        )
        count += len(unroutable)
    if not count and route_flows and by:
        groups = group_flows(checked, by, part.first_row, named)
    elif not count and route_flows:
        wkb, km, unroutable, box = route(checked, named, tolerance_km)
        problems += unroutable[: MAX_PROBLEMS - len(problems)]
        count += len(unroutable)
        if not count:
            table = _table(checked, wkb, km, part.first_row, box)
    return PartResult(
        part.index,
        len(rows),
        problems,
        count,
        table,
        peak_mb(),
        cpu_s=time.process_time(),
        skipped=checked.skipped,
        groups=groups,
        levels=(layout or Layout()).levels(rows.columns),
    )


# -- flows summed by columns (--by) ------------------------------------------------------------

# What a group sums: the amounts (per currency: the currency is part of the key) and the rows.
GROUP_SUMS = ("value_amount", "flows")


@dataclass
class Groups:
    """Flows summed by some columns and by their path: the key columns (in output order), their
    types, and per key ``[amount or None, rows, first table row, where, points, mode, avoid,
    allow]``."""

    columns: list[str]
    types: dict[str, pa.DataType]
    sums: dict[tuple[Any, ...], list[Any]]
    amounts: bool  # whether the output has value_amount


def group_columns(names: Sequence[str], by: Sequence[str]) -> list[str]:
    """The key of a sum: the columns that decide a flow's path, those of ``by`` and the
    currency, in the output's order."""
    keep = set(SEA_KEY_COLUMNS) | set(by) | {"value_currency"}
    return [c for c in names if c in keep and c not in GROUP_SUMS]


def group_flows(
    checked: Checked, by: Sequence[str], first_row: int, where: Sequence[str]
) -> Groups:
    """A partition's checked flows summed by ``by`` and by path."""
    names = list(checked.columns)
    columns = group_columns(names, by)
    cells = [as_list(checked.columns[c]) for c in columns]
    amounts = checked.columns.get("value_amount")
    sums: dict[tuple[Any, ...], list[Any]] = {}
    for j, i in enumerate(checked.rows):
        key = tuple(_key_cell(v[j]) for v in cells)
        amount = amounts[j] if amounts is not None else None
        g = sums.get(key)
        if g is None:
            sums[key] = [
                amount,
                1,
                first_row + i,
                where[j],
                checked.points[j],
                checked.modes[j],
                checked.avoid[j],
                checked.allow[j],
            ]
            continue
        if amount is not None:
            g[0] = amount if g[0] is None else g[0] + amount
        g[1] += 1
    types = {c: checked.types[c] for c in columns}
    return Groups(columns, types, sums, amounts is not None)


def _key_cell(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def merge_groups(parts: Iterable[Groups]) -> Groups | None:
    """The groups of every partition (given in table order) as one; sums are added in table
    order, so either engine gives the same totals to the last bit."""
    out: Groups | None = None
    for g in parts:
        if out is None:
            out = Groups(g.columns, g.types, dict(g.sums), g.amounts)
            continue
        for key, v in g.sums.items():
            have = out.sums.get(key)
            if have is None:
                out.sums[key] = v
                continue
            if v[0] is not None:
                have[0] = v[0] if have[0] is None else have[0] + v[0]
            have[1] += v[1]
    return out


def group_chunks(groups: Groups, size: int) -> list[Checked]:
    """Summed flows as checked flows to route, in chunks of ``size``, ordered by their first
    row in the table."""
    import pyarrow as pa

    ordered = sorted(groups.sums.items(), key=lambda kv: kv[1][2])
    out = []
    for start in range(0, max(1, len(ordered)), size):
        part = ordered[start : start + size]
        columns: dict[str, list[Any]] = {}
        types = dict(groups.types)
        for j, c in enumerate(groups.columns):
            if c == "value_currency" and groups.amounts:
                columns["value_amount"] = [v[0] for _, v in part]
                types["value_amount"] = pa.float64()
            columns[c] = [list(k[j]) if isinstance(k[j], tuple) else k[j] for k, _ in part]
        columns["flows"] = [v[1] for _, v in part]
        types["flows"] = pa.int64()
        out.append(
            Checked(
                columns,
                types,
                points=[v[4] for _, v in part],
                modes=[v[5] for _, v in part],
                avoid=[v[6] for _, v in part],
                allow=[v[7] for _, v in part],
                labels=[(v[3], "") for _, v in part],
                rows=list(range(len(part))),
                first_rows=[v[2] for _, v in part],
            )
        )
    return out


def route_groups(checked: Checked, index: int, tolerance_km: float = 1.0) -> PartResult:
    """Route a chunk of summed flows (:func:`group_chunks`) into a GeoParquet-ready table."""
    import time

    where = [w for w, _ in checked.labels]
    wkb, km, problems, box = route(checked, where, tolerance_km)
    table = None if problems else _table(checked, wkb, km, box=box)
    return PartResult(
        index,
        len(checked.rows),
        problems[:MAX_PROBLEMS],
        len(problems),
        table,
        peak_mb(),
        cpu_s=time.process_time(),
    )


# The columns geo adds after the table's own: the path, its length, its box (the GeoParquet
# covering) and the input row number (kept because rows are written in spatial order).
OUTPUT_COLUMNS = ("path", "distance_km", "bbox", "input_row")


def _arrow(values: Any, kind: pa.DataType) -> pa.Array:
    import pyarrow as pa

    if isinstance(values, pa.Array):
        return values if values.type == kind else values.cast(kind)
    return pa.array(values, type=kind)


def _table(
    checked: Checked,
    wkb: np.ndarray,
    km: np.ndarray,
    first_row: int = 0,
    box: np.ndarray | None = None,
) -> pa.Table:
    import pyarrow as pa
    import shapely

    from geo.formats.flow_table import geo_metadata

    arrays = [_arrow(v, checked.types[k]) for k, v in checked.columns.items()]
    names = list(checked.columns)
    bounds = shapely.bounds(shapely.from_wkb(wkb)) if box is None else box
    bbox = pa.StructArray.from_arrays(
        [pa.array(bounds[:, i], type=pa.float64()) for i in range(4)],
        names=["xmin", "ymin", "xmax", "ymax"],
    )
    numbers = checked.first_rows if checked.first_rows is not None else checked.rows
    rows = pa.array(
        np.asarray(numbers, dtype=np.int64) + (0 if checked.first_rows is not None else first_row)
    )
    arrays += [
        pa.array(wkb.tolist(), type=pa.binary()),
        pa.array(km, type=pa.float64()),
        bbox,
        rows,
    ]
    names += list(OUTPUT_COLUMNS)
    schema = pa.schema(
        [pa.field(n, a.type) for n, a in zip(names, arrays, strict=True)],
        metadata={b"geo": geo_metadata()},
    )
    return pa.Table.from_arrays(arrays, schema=schema)


def report(source: str, results: Iterable[PartResult]) -> TripFormatError | None:
    """One report of the problems of every partition (in table order), or None."""
    problems: list[Problem] = []
    total = 0
    for r in sorted(results, key=lambda r: r.index):
        total += r.problem_count
        problems += r.problems[: MAX_PROBLEMS - len(problems)]
    if not total:
        return None
    if total > len(problems):
        problems.append(
            Problem("…", f"and {total - len(problems):,} more problems", "fix these and rerun")
        )
    return TripFormatError(source, problems)
