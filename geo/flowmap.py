"""The largest flows of a table as the routes of a trip, for the article map.

A million flows cannot be drawn on a light page; their biggest corridors can. Flows with the same
origin, destination, mode, via points and passages are summed, the ``n`` largest by value are
kept, and they become the trade routes of a :class:`~geo.trip.Trip` with no stops, which
:func:`geo.render.render_map` draws like any trip's routes: coloured and dashed by mode, sea
lanes along the lanes, widths by the square root of value, a popup each.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geo.errors import GeoError, ParameterError
from geo.flows import Checked, PartResult, check_columns, check_rows, report
from geo.formats.flow_table import Rows, partitions, read_partition
from geo.layouts import Layout

if TYPE_CHECKING:
    from geo.trip import Trip

__all__ = ["Corridor", "top_flows", "top_trip"]

# Goods named in a corridor's popup; more are counted.
GOODS_SHOWN = 4


@dataclass
class Corridor:
    """Flows summed over one origin, destination, mode and path."""

    origin: str
    destination: str
    mode: str | None
    points: tuple[tuple[float, float], ...]
    avoid: tuple[str, ...]
    allow: tuple[str, ...]
    currency: str
    value: float = 0.0
    flows: int = 0
    goods: set[str] = field(default_factory=set)


def _label(name: Any, lon: float, lat: float) -> str:
    return str(name) if name is not None else f"{lat:.2f}, {lon:.2f}"


def top_flows(
    table: Path,
    n: int,
    currency: str | None = None,
    partition_rows: int = 50_000,
    layout: Layout | None = None,
) -> list[Corridor]:
    """The ``n`` corridors of largest summed value, largest first.

    Every row is checked (every problem is reported, as for the full run); only the summed
    corridors are kept in memory. Values in different currencies are never added: a table with
    several needs ``currency``.

    Raises
    ------
    TripFormatError
        Every problem of the table.
    GeoError
        Several currencies and no ``currency``, or no flow with a value in it.
    """
    if n < 1:
        raise ParameterError("top", n, "is not a positive number of flows")
    check_columns(table, layout)
    corridors: dict[tuple[Any, ...], Corridor] = {}
    results: list[PartResult] = []
    currencies: dict[str, int] = {}
    for _, checked in checked_partitions(table, partition_rows, layout, results):
        cols = checked.columns
        blank = [None] * len(checked.points)
        for i, points in enumerate(checked.points):
            cur, amount = cols["value_currency"][i], cols["value_amount"][i]
            if cur is None or amount is None:
                continue
            currencies[cur] = currencies.get(cur, 0) + 1
            if currency is not None and cur != currency:
                continue
            mode = cols["mode"][i] if "mode" in cols else None
            key = (tuple(points), mode, checked.avoid[i], checked.allow[i], cur)
            c = corridors.get(key)
            if c is None:
                (x1, y1), (x2, y2) = points[0], points[-1]
                c = corridors[key] = Corridor(
                    _label(cols.get("origin", blank)[i], x1, y1),
                    _label(cols.get("destination", blank)[i], x2, y2),
                    mode,
                    tuple(points),
                    checked.avoid[i],
                    checked.allow[i],
                    cur,
                )
            c.value += amount
            c.flows += 1
            if "goods" in cols and cols["goods"][i]:
                c.goods.add(cols["goods"][i])
    one_currency(table, results, currencies, currency, bool(corridors), "a map of the largest")
    ranked = sorted(corridors.values(), key=lambda c: (-c.value, c.origin, c.destination, c.points))
    return ranked[:n]


def checked_partitions(
    table: Path,
    partition_rows: int,
    layout: Layout | None,
    results: list[PartResult],
    progress: Callable[[int, int], None] | None = None,
) -> Iterator[tuple[Rows, Checked]]:
    """Every partition of a table read and checked in order, for a map that sums its flows:
    each one's result (problems, rows, skipped rows, levels) is added to ``results``, and its
    rows and checked flows are given while no partition has had a problem (the rest are only
    checked, so that every problem is reported)."""
    from geo.flows import peak_mb

    lay = layout or Layout()
    parts = partitions(table, partition_rows)
    total = sum(p.rows for p in parts)
    done = 0
    failed = False
    for part in parts:
        rows = read_partition(part)
        checked, problems, count = check_rows(rows, layout=lay)
        results.append(
            PartResult(part.index, len(rows), problems, count, None, peak_mb(),
                       skipped=checked.skipped, levels=lay.levels(rows.columns))
        )  # fmt: skip
        done += len(rows)
        if progress is not None:
            progress(done, total)
        failed = failed or bool(count)
        if not failed:
            yield rows, checked


def one_currency(
    table: Path,
    results: Sequence[Any],
    currencies: dict[str, int],
    currency: str | None,
    found: bool,
    what: str,
) -> None:
    """The checks every map of a table's values makes once its rows are read: every row's
    problems, then values in one currency (never added across currencies), then some value.

    Raises
    ------
    TripFormatError
        The table's problems.
    GeoError
        Several currencies and no ``currency``, or no flow with a value (in it).
    """
    failure = report(str(table), results)
    if failure is not None:
        raise failure
    if currency is None and len(currencies) > 1:
        counts = ", ".join(f"{k} ({v:,} flows)" for k, v in sorted(currencies.items()))
        raise GeoError(
            f"{table}: values are in {counts}; amounts in different currencies are not "
            "added up; give --currency CODE to map the flows in one of them"
        )
    if not found:
        raise GeoError(
            f"{table}: no flow has a value_amount"
            + (f" in {currency}" if currency else "")
            + f"; {what} needs value_amount and value_currency"
        )


def top_trip(corridors: list[Corridor], title: str, ident: str) -> Trip:
    """A trip whose routes are the corridors (no stops, deals or resources)."""
    from geo.records import Meta, Money, Route, TripRecords, Waypoint
    from geo.text import Text
    from geo.trip import build_trip

    routes = []
    for c in corridors:
        names = [c.origin, *(f"via {i + 1}" for i in range(len(c.points) - 2)), c.destination]
        goods = sorted(c.goods)
        shown = goods[:GOODS_SHOWN] + ([f"+{len(goods) - GOODS_SHOWN} more"] if
                                        len(goods) > GOODS_SHOWN else [])  # fmt: skip
        routes.append(
            Route(
                name=Text.of(f"{c.origin} → {c.destination}"),
                waypoints=tuple(
                    Waypoint(x, y, name) for (x, y), name in zip(c.points, names, strict=True)
                ),
                mode=c.mode,
                goods=tuple(Text.of(g) for g in shown),
                value=(Money(c.value, c.currency),),
                description=Text.of(f"{c.flows:,} flows summed"),
                avoid=c.avoid,
                allow=c.allow,
            )
        )
    meta = Meta(id=_slug(ident), title=Text.of(title))
    return build_trip(TripRecords(meta=meta, stops=(), routes=tuple(routes)))


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "flows"
