"""The trade map: every flow of a table, summed, clustered by zoom and filtered on the page.

``geo flows TABLE -o map.html`` (docs/flows.md). Every row is checked as for the routed output;
the flows are then summed by origin, destination, mode and the filter columns (a year and a
commodity where the table has them, or the columns of ``--by``), in one currency. The page gets
the places, the sums and, for each zoom level, which place stands for each place's cluster:

- a cluster is made by the place of largest trade (in plus out) taking every place within
  :data:`CLUSTER_PX` screen pixels of it at that zoom, from the clusters of the next zoom in
  (a hierarchy, as supercluster builds for points), so that flows merge at small scales and
  split, consistently, as the reader zooms in;
- the page sums the flows between clusters for the zoom and the filters chosen, draws the
  largest as arcs (great circles between the places, widths by the square root of value,
  each direction on its own side), and sizes each place by its total in and out.

Nothing of the table reaches the page but these numbers and names, set as text.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from geo.flows import ENDS, PartResult, check_columns
from geo.formats.flow_table import as_list
from geo.layouts import Layout, mixed_levels

if TYPE_CHECKING:
    from geo.i18n import Locale

__all__ = ["CLUSTER_PX", "MAX_ZOOM", "TradeData", "cluster_levels", "trade_data"]

# Places closer than this on screen at a zoom level are one cluster there.
CLUSTER_PX = 36.0
MIN_ZOOM, MAX_ZOOM = 0, 12
# The filter columns looked for when --by is not given: a year, then a commodity.
YEAR_COLUMNS = ("refYear", "year", "period")
GOODS_COLUMNS = ("goods", "cmdCode")
# The flow cells a place's name comes from (all typed by the check, never Arrow arrays).
_END_CELLS = {e: (e, f"{e}_country", f"{e}_lat", f"{e}_lon") for e in ENDS}
# Flows a page carries at most when its filter columns are chosen for it (about 4 bytes each,
# gzipped): past it, the goods filter and then the year filter are left out.
MAX_MAP_FLOWS = 150_000
# A filter offers at most this many values (a column with more is not offered as a filter).
MAX_FILTER_VALUES = 400


@dataclass
class TradeData:
    """What the page draws (``payload``) and what the run found."""

    payload: dict[str, Any]
    rows: int
    skipped: int
    flows: int
    places: int
    currency: str
    dropped: tuple[str, ...] = ()  # filter columns left out to keep the page light
    would_be: int = 0  # the flows there would have been with them
    mixed: str | None = None  # what the sums count twice (geo.layouts.mixed_levels)


def _label(loc: Locale, cells: dict[str, Any], end: str, sea: bool) -> tuple[str, str]:
    """A place's name on the map and the country it is in (for its tooltip)."""
    name, code = cells.get(end), cells.get(f"{end}_country")
    country = loc.country(code) if code else ""
    if name:
        return str(name), country
    if code and sea:
        from geo.ports import main_port

        port = main_port(code)
        return (f"{country} ({port.name})" if port else country), country
    if code:
        return country, ""
    lat, lon = cells.get(f"{end}_lat"), cells.get(f"{end}_lon")
    return f"{lat:.2f}, {lon:.2f}", ""


def _dims(columns: Sequence[str], by: Sequence[str]) -> list[str]:
    if by:
        return [c for c in by if c != "mode"]
    out = [c for c in YEAR_COLUMNS if c in columns][:1]
    out += [c for c in GOODS_COLUMNS if c in columns][:1]
    return out


def trade_data(
    table: Path,
    loc: Locale,
    layout: Layout | None = None,
    by: Sequence[str] = (),
    currency: str | None = None,
    partition_rows: int = 50_000,
    progress: Callable[[int, int], None] | None = None,
) -> TradeData:
    """Check every row of ``table`` and sum its flows for the trade map.

    Raises
    ------
    TripFormatError
        Every problem of the table (as for the routed output).
    GeoError
        Several currencies and no ``currency``, or no flow with a value.
    """
    lay = layout or Layout()
    columns = lay.output_columns(check_columns(table, lay, by))
    dims = _dims(columns, by)
    points: dict[tuple[float, float], int] = {}
    labels: list[tuple[str, str]] = []
    sums: dict[tuple[Any, ...], list[float]] = {}
    currencies: dict[str, int] = {}
    results: list[PartResult] = []
    from geo.flowmap import checked_partitions, one_currency

    for _, checked in checked_partitions(table, partition_rows, lay, results, progress):
        cols = checked.columns
        blank: list[Any] = [None] * len(checked.points)
        dim_cells = [as_list(cols[d]) if d in cols else blank for d in dims]
        for j, pts in enumerate(checked.points):
            cur, amount = cols["value_currency"][j], cols["value_amount"][j]
            if cur is None or amount is None:
                continue
            currencies[cur] = currencies.get(cur, 0) + 1
            if currency is not None and cur != currency:
                continue
            mode = checked.modes[j] if cols.get("mode", blank)[j] else ""
            ends = []
            for end, (x, y) in zip(ENDS, (pts[0], pts[-1]), strict=True):
                key = (round(x, 5), round(y, 5))
                if key not in points:
                    cells = {k: cols[k][j] for k in _END_CELLS[end] if k in cols}
                    points[key] = len(labels)
                    labels.append(_label(loc, cells, end, mode == "sea"))
                ends.append(points[key])
            k = (ends[0], ends[1], mode, *(_dim_text(v[j]) for v in dim_cells), cur)
            s = sums.get(k)
            if s is None:
                sums[k] = [amount, 1]
            else:
                s[0] += amount
                s[1] += 1
    one_currency(table, results, currencies, currency, bool(sums), "the trade map")
    rows = sum(r.rows for r in results)
    skipped = sum(r.skipped for r in results)
    levels = {level for r in results for level in r.levels}
    code = currency or next(iter(currencies))
    dropped: list[str] = []
    would_be = len(sums)
    while not by and dims and len(sums) > MAX_MAP_FLOWS:
        # A filter multiplies the flows by its values: the last one found (the goods, then the
        # year) is left out until the page is light. --by keeps what it names.
        dropped.insert(0, dims.pop())
        sums = _without_last_dim(sums, 3 + len(dims))
    payload = _payload(points, labels, sums, dims, code, loc)
    return TradeData(
        payload, rows, skipped, len(payload["flows"]["v"]), len(points), code,
        tuple(dropped), would_be, mixed_levels(levels),
    )  # fmt: skip


def _without_last_dim(
    sums: dict[tuple[Any, ...], list[float]], position: int
) -> dict[tuple[Any, ...], list[float]]:
    """The sums with the filter column at ``position`` of their keys summed over."""
    out: dict[tuple[Any, ...], list[float]] = {}
    for k, (v, n) in sums.items():
        key = k[:position] + k[position + 1 :]
        s = out.get(key)
        if s is None:
            out[key] = [v, n]
        else:
            s[0] += v
            s[1] += n
    return out


def _dim_text(value: Any) -> str:
    return "" if value is None else str(value)


def _payload(
    points: dict[tuple[float, float], int],
    labels: list[tuple[str, str]],
    sums: dict[tuple[Any, ...], list[float]],
    dims: list[str],
    currency: str,
    loc: Locale,
) -> dict[str, Any]:
    xy = np.array(list(points), dtype=float).reshape(-1, 2)
    weight = np.zeros(len(xy))
    for (o, d, *_), (v, _n) in sums.items():
        weight[o] += v
        weight[d] += v
    levels = cluster_levels(xy[:, 0], xy[:, 1], weight)
    modes = sorted({k[2] for k in sums})
    dim_values = []
    for i in range(len(dims)):
        values = sorted({k[3 + i] for k in sums}, key=_natural)
        dim_values.append(values)
    index = [{v: j for j, v in enumerate(vs)} for vs in dim_values]
    order = sorted(sums, key=lambda k: (k[0], k[1], k[2], *k[3:]))
    flows: dict[str, list[Any]] = {"o": [], "d": [], "m": [], "v": [], "n": []}
    for i in range(len(dims)):
        flows[f"f{i}"] = []
    for k in order:
        v, n = sums[k]
        flows["o"].append(k[0])
        flows["d"].append(k[1])
        flows["m"].append(modes.index(k[2]))
        flows["v"].append(_amount(v))
        flows["n"].append(n)
        for i in range(len(dims)):
            flows[f"f{i}"].append(index[i][k[3 + i]])
    filters = [
        {"column": d, "values": vs}
        for d, vs in zip(dims, dim_values, strict=True)
        if 1 < len(vs) <= MAX_FILTER_VALUES
    ]
    keep = [i for i, (_, vs) in enumerate(zip(dims, dim_values, strict=True))
            if 1 < len(vs) <= MAX_FILTER_VALUES]  # fmt: skip
    for f, i in zip(filters, keep, strict=True):
        f["key"] = f"f{i}"
    for i in range(len(dims)):
        if i not in keep:
            del flows[f"f{i}"]
    return {
        "currency": currency,
        "places": [
            [round(float(x), 4), round(float(y), 4), name, country]
            for (x, y), (name, country) in zip(xy, labels, strict=True)
        ],
        "zoom": [MIN_ZOOM, MAX_ZOOM],
        "clusters": [lv.tolist() for lv in levels],
        "modes": [m or "" for m in modes],
        "modeNames": [loc.t(f"mode_{m}") if m else loc.t("mode_none") for m in modes],
        "filters": filters,
        "flows": flows,
    }


def _amount(v: float) -> float | int:
    """A sum for the page: whole units (the popups show compact amounts), exact below 100."""
    return round(v, 2) if v < 100 else int(round(v))


def _natural(text: str) -> tuple[Any, ...]:
    """Years and codes in number order where they are numbers (``2019`` < ``2020``)."""
    try:
        return (0, float(text), text)
    except ValueError:
        return (1, 0.0, text)


def cluster_levels(
    lon: np.ndarray,
    lat: np.ndarray,
    weight: np.ndarray,
    radius_px: float = CLUSTER_PX,
    zooms: tuple[int, int] = (MIN_ZOOM, MAX_ZOOM),
) -> list[np.ndarray]:
    """For each zoom level from ``zooms[0]`` to ``zooms[1]``, the place standing for each
    place's cluster (an index into the places).

    From the highest zoom down, the clusters of the level above are taken by weight (largest
    first, then by index: deterministic); each takes every cluster not yet taken within
    ``radius_px`` of it at this zoom (across the antimeridian too), and is drawn at its own
    place. A cluster at one zoom is a union of clusters of the next: zooming in only splits.
    """
    n = len(lon)
    from geo.geodesy import mercator_y

    # Leaflet's Web Mercator at zoom 0, in pixels of a 256 px world.
    px = (np.asarray(lon, float) + 180.0) / 360.0 * 256.0
    py = (1.0 - mercator_y(np.asarray(lat, float)) / math.pi) / 2 * 256.0
    rep = np.arange(n)  # the representative of each place at the level above
    out: list[np.ndarray] = []
    for z in range(zooms[1], zooms[0] - 1, -1):
        scale = 2.0**z
        reps = np.unique(rep)
        w = np.zeros(n)
        np.add.at(w, rep, weight)
        order = reps[np.lexsort((reps, -w[reps]))]
        x, y = px[order] * scale, py[order] * scale
        world = 256.0 * scale
        taken = np.full(len(order), -1)
        for i in range(len(order)):
            if taken[i] >= 0:
                continue
            dx = np.abs(x - x[i])
            dx = np.minimum(dx, world - dx)
            near = (taken < 0) & (dx * dx + (y - y[i]) ** 2 <= radius_px * radius_px)
            taken[near] = order[i]
        parent = dict(zip(order.tolist(), taken.tolist(), strict=True))
        rep = np.array([parent[r] for r in rep.tolist()], dtype=np.int64)
        out.append(rep.copy())
    out.reverse()
    return out


# -- the page ------------------------------------------------------------------------------------


def filter_label(column: str, loc: Locale) -> str:
    """A filter's label: the reader's word for a year or the goods, else the column's name."""
    if column in YEAR_COLUMNS:
        return loc.t("trade_year")
    if column in GOODS_COLUMNS:
        return loc.t("goods")
    return column


def render_trade_map(data: TradeData, title: str, loc: Locale, theme: str = "light") -> str:
    """The trade map as one self-contained HTML page (``theme``: light, dark or auto)."""
    from geo.records import Meta, TripRecords
    from geo.render import render_map
    from geo.text import Text
    from geo.trip import build_trip

    trade = dict(data.payload)
    from geo.style import ROUTE_MODE

    trade["ink"] = ROUTE_MODE["sea"][0]
    trade["filters"] = [dict(f, label=filter_label(f["column"], loc)) for f in trade["filters"]]
    meta = Meta(id="trade-map", title=Text.of(title))
    trip = build_trip(TripRecords(meta=meta, stops=(), routes=()))
    return render_map(trip, lang=loc.code, trade=trade, context="none", theme=theme)
