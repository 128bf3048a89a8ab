"""One path per hop, chosen by mode: sea lanes for ships, geodesics for everything else.

A *hop* is one stretch between two points: a trip leg, or the stretch between two waypoints of a
route. :func:`hop_paths` is the single place that picks a hop's path by its mode:

``sea``
    The shortest lane over the maritime network shipped by ``searoute`` (PyPI, Apache-2.0; the
    Eurostat MARNET network). Each end is snapped to the network's nearest node; the path runs
    from the stop to that node, along the lane, and from the last node to the other stop. Every
    piece between two vertices is a WGS84 geodesic, densified like a geodesic leg, so the
    distance is measured along the lane on the ellipsoid. Longitudes are unwrapped as in
    :class:`geo.geodesy.Paths` (``searoute`` itself runs past 180 on transpacific lanes).
anything else (``air``, ``rail``, ``road``, ``pipeline``, ...)
    The WGS84 geodesic. No offline rail, road or pipeline network can be shipped, so those
    modes are drawn as direct lines, not as the track.

Passages (:data:`AVOIDABLE`) can be closed per hop with ``avoid``. The Arctic (the Bering
Strait and the Northern Sea Route, which no container line uses) is closed unless a hop opens
it with ``allow=[["arctic"]]``: with only Suez closed the network's shortest lane from Korea to
Rotterdam would otherwise run through the Bering Strait.

The network is loaded once per process (about 0.1 s) and identical hops are routed once
(``functools.lru_cache``): trade tables repeat port pairs.
"""

from __future__ import annotations

import difflib
import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from geo import geodesy
from geo.errors import RoutingError

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray

__all__ = [
    "AVOIDABLE",
    "DEFAULT_CLOSED",
    "PATH_KINDS",
    "SNAP_LIMIT_KM",
    "Passage",
    "RoutingError",
    "check_passages",
    "hop_paths",
    "join_paths",
    "snap_km",
]

PATH_KINDS = ("sea-lane", "geodesic")
# A stop farther than this from the maritime network is inland: a lane from it would start with
# a straight line over land (the Aral Sea is 600 km from the Caspian's nearest node), so it is an
# error, not a path. River ports are within reach: Antwerp is 60 km from its node.
SNAP_LIMIT_KM = 250.0


@dataclass(frozen=True)
class Passage:
    """A strait, canal or cape that a sea hop can be told to avoid."""

    name: str
    searoute: tuple[str, ...]
    where: str


_PASSAGES = (
    Passage("arctic", ("northwest", "bering"), "Bering Strait and the Northern Sea Route"),
    Passage("bab-el-mandeb", ("babalmandab",), "between the Red Sea and the Gulf of Aden"),
    Passage("bosporus", ("bosporus",), "between the Black Sea and the Sea of Marmara"),
    Passage("cape-horn", ("chili",), "Drake Passage and the Strait of Magellan"),
    Passage("cape-of-good-hope", ("south_africa",), "the lanes round southern Africa"),
    Passage("dardanelles", ("dardanelles",), "between the Sea of Marmara and the Aegean"),
    Passage("gibraltar", ("gibraltar",), "between the Atlantic and the Mediterranean"),
    Passage("hormuz", ("ormuz",), "between the Persian Gulf and the Gulf of Oman"),
    Passage("malacca", ("malacca",), "between the Andaman Sea and the South China Sea"),
    Passage("panama", ("panama",), "the Panama Canal"),
    Passage("suez", ("suez",), "the Suez Canal"),
    Passage("sunda", ("sunda",), "between Sumatra and Java"),
)
AVOIDABLE: dict[str, Passage] = {p.name: p for p in _PASSAGES}
"""The passage vocabulary of ``avoid`` and ``allow``, by name."""
DEFAULT_CLOSED = ("arctic",)
"""Passages closed on every sea hop unless the hop's ``allow`` opens them."""

_LOCK = threading.Lock()  # searoute keeps the closed passages on its shared network object


def check_passages(names: Sequence[str], where: str) -> tuple[str, ...]:
    """Validate passage names against :data:`AVOIDABLE`; sorted and without repeats.

    Raises
    ------
    RoutingError
        Naming ``where``, the unknown value, the closest known name and the vocabulary.
    """
    for name in names:
        if not isinstance(name, str) or name not in AVOIDABLE:
            raise RoutingError(where, f"unknown passage {name!r}", suggest_passage(name))
    return tuple(sorted(set(names)))


def suggest_passage(name: object) -> str:
    """A fix for an unknown passage name: the closest known one, and all of them."""
    close = difflib.get_close_matches(str(name).lower(), list(AVOIDABLE), n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    return f"{hint}known passages: {', '.join(AVOIDABLE)}"


@lru_cache(maxsize=1)
def _network() -> object:
    """searoute's maritime network, loaded once per process."""
    try:
        import searoute
    except ImportError as exc:  # pragma: no cover - a declared dependency
        fix = "pip install searoute"
        raise RoutingError("mode sea", "needs the searoute package", fix) from exc
    marnet, _ = searoute.get_graphs()
    return marnet


@lru_cache(maxsize=65536)
def _lane(
    lon1: float, lat1: float, lon2: float, lat2: float, closed: tuple[str, ...]
) -> NDArray[np.float64] | None:
    """The network nodes of the shortest lane, lon/lat, longitudes wrapped to [-180, 180).

    ``None`` when every way is closed.
    """
    primed = _PRIMED.pop((lon1, lat1, lon2, lat2, closed), _NOT_PRIMED)
    if primed is not _NOT_PRIMED:
        return primed  # type: ignore[return-value]
    marnet = _network()
    with _LOCK:
        marnet.restrictions = list(closed)  # type: ignore[attr-defined]
        length, nodes = marnet.shortest_path((lon1, lat1), (lon2, lat2))  # type: ignore[attr-defined]
    if nodes is None or not math.isfinite(length):
        return None
    return _wrapped(nodes)


def _wrapped(nodes: Sequence[tuple[float, float]]) -> NDArray[np.float64]:
    out = np.asarray(nodes, dtype=float).reshape(-1, 2)
    out[:, 0] = (out[:, 0] + 180.0) % 360.0 - 180.0
    return out


# Lanes found by one search from their common start (_prime_lanes), taken by _lane once each.
_PRIMED: dict[tuple[float, float, float, float, tuple[str, ...]], NDArray[np.float64] | None] = {}
_NOT_PRIMED = object()
# A start node shared by this many hops is searched once for all of them.
SHARED_START = 3


def _prime_lanes(hops: Sequence[tuple[float, float, float, float]], closed: tuple[str, ...]) -> int:
    """Find the lanes of hops that share a start node with one Dijkstra search from that node
    (networkx, the same network, weights and closed passages as searoute's own search), for
    :func:`_lane` to take; how many were found this way.

    A trade table's thousands of hops start from a few dozen ports: one search from a port
    settles every node (about 30 ms here), where each pair's own bidirectional search costs
    about 20 ms. Hops whose start node is shared by fewer than :data:`SHARED_START` hops are
    left to searoute's search. Where two lanes are equally short either may be taken.
    """
    import networkx as nx

    if len(_PRIMED) > 50_000:  # lanes primed but taken from _lane's own cache instead
        _PRIMED.clear()
    marnet = _network()
    kdtree = marnet.kdtree  # type: ignore[attr-defined]
    todo = [h for h in dict.fromkeys(hops) if (*h, closed) not in _PRIMED]
    by_start: dict[tuple[float, float], list[tuple[float, float, float, float]]] = {}
    for h in todo:
        by_start.setdefault(kdtree.query((h[0], h[1])), []).append(h)

    def weight(u: object, v: object, data: dict[str, object]) -> object:
        return None if data.get("passage") in closed else data.get("weight")

    found = 0
    for start, group in by_start.items():
        if len(group) < SHARED_START:
            continue
        pred, _ = nx.dijkstra_predecessor_and_distance(marnet, start, weight=weight)
        for h in group:
            end = kdtree.query((h[2], h[3]))
            if end not in pred:
                _PRIMED[(*h, closed)] = None
                continue
            path = [end]
            while path[-1] != start:
                path.append(pred[path[-1]][0])
            _PRIMED[(*h, closed)] = _wrapped(path[::-1])
            found += 1
    return found


def snap_km(lon: ArrayLike, lat: ArrayLike) -> NDArray[np.float64]:
    """Distance (km, WGS84) from each point to the node a sea lane would start from."""
    marnet = _network()
    lon_a = np.atleast_1d(np.asarray(lon, dtype=np.float64))
    lat_a = np.atleast_1d(np.asarray(lat, dtype=np.float64))
    found = [marnet.kdtree.query((x, y)) for x, y in zip(lon_a, lat_a, strict=True)]  # type: ignore[attr-defined]
    nodes = np.asarray(found, dtype=np.float64).reshape(-1, 2)
    nodes[:, 0] = (nodes[:, 0] + 180.0) % 360.0 - 180.0
    return geodesy.inverse(lon_a, lat_a, nodes[:, 0], nodes[:, 1])[1] / 1000.0


def _closed(avoid: Sequence[str], allow: Sequence[str]) -> tuple[str, ...]:
    """searoute's restriction names for a hop's passages to avoid and to open."""
    names = (set(DEFAULT_CLOSED) - set(allow)) | set(avoid)
    return tuple(sorted({r for n in names for r in AVOIDABLE[n].searoute}))


def _per_hop(value: Sequence[Sequence[str]] | None, n: int, what: str) -> list[tuple[str, ...]]:
    if value is None:
        return [()] * n
    if len(value) != n:
        raise RoutingError(what, f"has {len(value)} entries for {n} hops", "give one per hop")
    return [check_passages(list(v), f"{what}[{i}]") for i, v in enumerate(value)]


def hop_paths(
    modes: Sequence[str],
    lon1: ArrayLike,
    lat1: ArrayLike,
    lon2: ArrayLike,
    lat2: ArrayLike,
    *,
    avoid: Sequence[Sequence[str]] | None = None,
    allow: Sequence[Sequence[str]] | None = None,
    names: Sequence[str] | None = None,
    tolerance_km: float = 1.0,
) -> tuple[geodesy.Paths, NDArray[np.str_]]:
    """One path per hop, chosen by mode.

    ``sea`` hops follow the ``searoute`` sea lane, the others the WGS84 geodesic (see the module
    docstring). Every path starts at its hop's first point, ends at its second, is unwrapped
    (continuous longitudes, starting in [-180, 180]) like :class:`geo.geodesy.Paths`, and is
    densified so that no drawn segment strays more than ``tolerance_km`` from the geodesic it
    stands for; its distance is the sum of those geodesics on the WGS84 ellipsoid.

    Parameters
    ----------
    modes
        One mode per hop (``"sea"``, ``"air"``, ...).
    lon1, lat1, lon2, lat2
        Degrees, WGS84, one per hop.
    avoid
        ``None``, or one sequence of passage names (:data:`AVOIDABLE`) per hop; ignored on
        hops that are not by sea.
    allow
        ``None``, or one sequence per hop of passages closed by default
        (:data:`DEFAULT_CLOSED`) to open for it.
    names
        How errors name each hop (``"stops[2] -> stops[3]"``); by default ``"hop 3"``.
    tolerance_km
        See :func:`geo.geodesy.geodesic_paths`.

    Returns
    -------
    paths : geo.geodesy.Paths
        One path per hop.
    kinds : numpy.ndarray
        ``"sea-lane"`` or ``"geodesic"`` per hop.

    Raises
    ------
    RoutingError
        A sea hop with an end more than :data:`SNAP_LIMIT_KM` from the network, or with every
        way closed; an unknown passage name.
    geo.errors.GeodesyError
        Coordinates out of range, or a bad ``tolerance_km``.
    """
    lons1, lats1, lons2, lats2 = (
        np.atleast_1d(np.asarray(v, dtype=float)) for v in (lon1, lat1, lon2, lat2)
    )
    n = len(modes)
    if not all(len(a) == n for a in (lons1, lats1, lons2, lats2)):
        raise RoutingError("modes", "modes and coordinates differ in length", "give one per hop")
    avoids = _per_hop(avoid, n, "avoid")
    allows = _per_hop(allow, n, "allow")
    for i, extra in enumerate(allows):
        if set(extra) - set(DEFAULT_CLOSED):
            raise RoutingError(
                f"allow[{i}]",
                f"{', '.join(sorted(set(extra) - set(DEFAULT_CLOSED)))} is open already",
                f"only {', '.join(DEFAULT_CLOSED)} is closed by default and can be allowed",
            )
    sea = np.array([m == "sea" for m in modes], dtype=bool)
    # Validate every coordinate before any routing, with geodesy's own message.
    geodesy.geodesic_paths(lons1[:0], lats1[:0], lons2[:0], lats2[:0], tolerance_km)
    _check_coords(lons1, lats1, lons2, lats2)
    # Hops from a shared port: one search from it for all of them.
    shared: dict[tuple[str, ...], list[tuple[float, float, float, float]]] = {}
    for i in np.flatnonzero(sea).tolist():
        closed = _closed(avoids[i], allows[i])
        shared.setdefault(closed, []).append((lons1[i], lats1[i], lons2[i], lats2[i]))
    for closed, hops in shared.items():
        if len(hops) >= SHARED_START:
            _prime_lanes([tuple(map(float, h)) for h in hops], closed)  # type: ignore[misc]
    # Every hop becomes a chain of points; each link is a geodesic, all densified at once.
    chains: list[NDArray[np.float64]] = []
    for i in range(n):
        a = np.array([lons1[i], lats1[i]])
        b = np.array([lons2[i], lats2[i]])
        if sea[i]:
            name = names[i] if names is not None else f"hop {i + 1}"
            chains.append(_sea_chain(a, b, _closed(avoids[i], allows[i]), name))
        else:
            chains.append(np.vstack([a, b]))
    links = np.array([len(c) - 1 for c in chains], dtype=np.int64)
    start = np.vstack([c[:-1] for c in chains]) if n else np.zeros((0, 2))
    end = np.vstack([c[1:] for c in chains]) if n else np.zeros((0, 2))
    pieces = geodesy.geodesic_paths(start[:, 0], start[:, 1], end[:, 0], end[:, 1], tolerance_km)
    kinds = np.where(sea, "sea-lane", "geodesic")
    return join_paths(pieces, links), kinds


def _check_coords(*arrays: NDArray[np.float64]) -> None:
    for arr, limit in zip(arrays, (180, 90, 180, 90), strict=True):
        if not np.all(np.isfinite(arr)) or np.any(np.abs(arr) > limit):
            name = "lon" if limit == 180 else "lat"
            raise geodesy.GeodesyError(f"{name} must be finite and within ±{limit} degrees")


def _sea_chain(
    a: NDArray[np.float64], b: NDArray[np.float64], closed: tuple[str, ...], name: str
) -> NDArray[np.float64]:
    """The stop, the lane's nodes and the other stop, without repeated points."""
    nodes = _lane(float(a[0]), float(a[1]), float(b[0]), float(b[1]), closed)
    shut = ", ".join(sorted(p.name for p in _PASSAGES if set(p.searoute) & set(closed)))
    if nodes is None or len(nodes) == 0:
        raise RoutingError(
            name,
            f"no sea lane from ({a[0]:g}, {a[1]:g}) to ({b[0]:g}, {b[1]:g}) with "
            f"{shut or 'nothing'} closed",
            "avoid fewer passages or use another mode",
        )
    _, snap = geodesy.inverse(
        [a[0], b[0]], [a[1], b[1]], [nodes[0, 0], nodes[-1, 0]], [nodes[0, 1], nodes[-1, 1]]
    )
    for end, (point, km) in enumerate(zip((a, b), snap / 1000.0, strict=True)):
        if km > SNAP_LIMIT_KM:
            which = "start" if end == 0 else "end"
            raise RoutingError(
                name,
                f"the {which} ({point[0]:g}, {point[1]:g}) is {km:,.0f} km from the nearest "
                f"sea lane (more than {SNAP_LIMIT_KM:g} km: inland?)",
                "put the stop at its port or use another mode",
            )
    chain = np.vstack([a, nodes, b])
    keep = np.r_[True, np.any(chain[1:] != chain[:-1], axis=1)]
    chain = chain[keep]
    if len(chain) == 1:  # both ends on the same node
        chain = np.vstack([chain, chain])
    return chain


def join_paths(pieces: geodesy.Paths, counts: ArrayLike) -> geodesy.Paths:
    """Join consecutive paths end to end: ``counts[i]`` pieces make path ``i``.

    Each piece after the first of its path drops its first vertex (the previous piece's last)
    and is shifted by a multiple of 360 degrees so that longitudes stay continuous; the
    distance is the pieces' sum. A path of zero pieces is not allowed.
    """
    counts_a = np.asarray(counts, dtype=np.int64)
    n = len(counts_a)
    if n == 0:
        empty = np.zeros(0)
        return geodesy.Paths(empty, empty, np.zeros(1, dtype=np.int64), empty)
    owner = np.repeat(np.arange(n), counts_a)
    first_piece = np.r_[True, owner[1:] != owner[:-1]]
    starts, ends = pieces.offsets[:-1], pieces.offsets[1:] - 1
    # Shift of each piece: the gap from the previous piece's (shifted) end, accumulated per path.
    gap = np.zeros(len(pieces))
    if len(pieces) > 1:
        gap[1:] = 360.0 * np.round((pieces.lon[ends[:-1]] - pieces.lon[starts[1:]]) / 360.0)
    gap[first_piece] = 0.0
    total = np.cumsum(gap)
    shift = total - np.repeat(total[first_piece], counts_a)
    counts_v = pieces.vertex_counts()
    vshift = np.repeat(shift, counts_v)
    keep = np.ones(len(pieces.lon), dtype=bool)
    keep[starts[~first_piece]] = False
    kept_per_piece = counts_v - (~first_piece).astype(np.int64)
    per_path = np.bincount(owner, weights=kept_per_piece, minlength=n).astype(np.int64)
    return geodesy.Paths(
        lon=(pieces.lon + vshift)[keep],
        lat=pieces.lat[keep],
        offsets=np.r_[0, np.cumsum(per_path)].astype(np.int64),
        distance_m=np.bincount(owner, weights=pieces.distance_m, minlength=n).astype(np.float64),
    )
