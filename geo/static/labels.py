"""Label placement: eight candidate positions around each point, chosen to cover least."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray


__all__ = ["DIAGONAL", "DIRECTIONS", "OptionalLabel", "candidate_boxes", "overlap", "place_labels"]


DIRECTIONS: tuple[tuple[str, int, int], ...] = (
    ("E", 1, 0),
    ("NE", 1, 1),
    ("SE", 1, -1),
    ("W", -1, 0),
    ("NW", -1, 1),
    ("SW", -1, -1),
    ("N", 0, 1),
    ("S", 0, -1),
)
"""The eight candidate positions of a label around its point, in order of preference."""

# Costs, in square points of overlap: covering a label or a marker is what matters; crossing a
# line costs a little; order of preference only breaks ties.
_W_COVER = 10.0  # per square point of a label or marker covered
_W_OUTSIDE = 40.0  # per square point outside the map
_W_LINE = 4.0  # per point of line length inside a label
_W_RANK = 0.5
DIAGONAL = 0.72  # diagonal labels sit closer: their corner, not their side, faces the point


def candidate_boxes(
    anchor: Sequence[float],
    size: Sequence[float],
    clearance: Sequence[float],
    diagonal: float = DIAGONAL,
) -> NDArray[np.float64]:
    """The eight boxes ``(x0, y0, x1, y1)`` a label of ``size`` (w, h) may take around
    ``anchor``, keeping ``clearance`` (half-width, half-height) free around it; in
    :data:`DIRECTIONS` order. Diagonal boxes keep ``diagonal`` times the clearance: less than 1
    for a round marker, whose corners are empty, 1 for a box."""
    ax, ay = anchor
    w, h = size
    boxes = np.empty((len(DIRECTIONS), 4))
    for k, (_, dx, dy) in enumerate(DIRECTIONS):
        f = diagonal if dx and dy else 1.0
        cx, cy = clearance[0] * f, clearance[1] * f
        x0 = ax + cx if dx > 0 else ax - cx - w if dx < 0 else ax - w / 2
        y0 = ay + cy if dy > 0 else ay - cy - h if dy < 0 else ay - h / 2
        boxes[k] = (x0, y0, x0 + w, y0 + h)
    return boxes


def overlap(a: NDArray[np.float64], b: NDArray[np.float64]) -> NDArray[np.float64]:
    """Areas of intersection of every box of ``a`` (k, 4) with every box of ``b`` (m, 4)."""
    if len(a) == 0 or len(b) == 0:
        return np.zeros((len(a), len(b)))
    w = np.minimum(a[:, None, 2], b[None, :, 2]) - np.maximum(a[:, None, 0], b[None, :, 0])
    h = np.minimum(a[:, None, 3], b[None, :, 3]) - np.maximum(a[:, None, 1], b[None, :, 1])
    return np.clip(w, 0, None) * np.clip(h, 0, None)


def _outside(boxes: NDArray[np.float64], bounds: Sequence[float]) -> NDArray[np.float64]:
    area = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
    return area - overlap(boxes, np.asarray([bounds], dtype=float))[:, 0]


def place_labels(
    anchors: ArrayLike,
    sizes: ArrayLike,
    clearances: ArrayLike,
    obstacles: ArrayLike | None = None,
    owners: Sequence[int] | None = None,
    bounds: Sequence[float] | None = None,
    lines: ArrayLike | None = None,
    line_step: float = 1.0,
    diagonals: Sequence[float] | None = None,
    passes: int = 6,
) -> tuple[list[int], NDArray[np.float64]]:
    """Choose one of eight positions for every label so that labels cover as little as possible.

    Deterministic: a greedy pass places the most crowded labels first, then each label in turn
    moves to its best position given all the others, until nothing changes. The cost of a
    position is its overlap (area) with the other labels and with ``obstacles`` (markers,
    symbols, the legend), its area outside ``bounds``, how much of ``lines`` it covers, and,
    only to break ties, the position's rank in :data:`DIRECTIONS`.

    Parameters
    ----------
    anchors
        (n, 2) points the labels belong to, in any unit of length (points are used).
    sizes
        (n, 2) widths and heights of the labels as rendered.
    clearances
        (n, 2) half-width and half-height kept free around each anchor (its marker plus a gap).
    obstacles
        (m, 4) boxes ``(x0, y0, x1, y1)`` that labels should not cover.
    owners
        For each obstacle, the label it belongs to (its own marker), which it never blocks;
        ``-1`` for none.
    bounds
        ``(x0, y0, x1, y1)``: the area labels should stay inside.
    lines
        (k, 2) points sampled along the lines of the map every ``line_step``.
    diagonals
        For each label, the share of its clearance kept by diagonal positions (see
        :func:`candidate_boxes`); 0.72 when not given.

    Returns
    -------
    choice, boxes
        The index into :data:`DIRECTIONS` of each label's position, and the (n, 4) boxes.
    """
    anchor_a = np.asarray(anchors, dtype=float).reshape(-1, 2)
    size_a = np.asarray(sizes, dtype=float).reshape(-1, 2)
    clear_a = np.asarray(clearances, dtype=float).reshape(-1, 2)
    n = len(anchor_a)
    obst = np.asarray(obstacles if obstacles is not None else [], dtype=float).reshape(-1, 4)
    owner = np.asarray(owners if owners is not None else [-1] * len(obst), dtype=int)
    pts = np.asarray(lines if lines is not None else [], dtype=float).reshape(-1, 2)
    diag = list(diagonals) if diagonals is not None else [DIAGONAL] * n
    cands = (
        np.stack([candidate_boxes(anchor_a[i], size_a[i], clear_a[i], diag[i]) for i in range(n)])
        if n
        else np.zeros((0, len(DIRECTIONS), 4))
    )

    fixed = np.zeros((n, len(DIRECTIONS)))
    for i in range(n):
        c = cands[i]
        mine = owner == i
        fixed[i] += _W_COVER * overlap(c, obst[~mine]).sum(axis=1)
        if bounds is not None:
            fixed[i] += _W_OUTSIDE * _outside(c, bounds)
        if len(pts):
            inside = (
                (pts[None, :, 0] > c[:, None, 0])
                & (pts[None, :, 0] < c[:, None, 2])
                & (pts[None, :, 1] > c[:, None, 1])
                & (pts[None, :, 1] < c[:, None, 3])
            )
            fixed[i] += _W_LINE * line_step * inside.sum(axis=1)
        fixed[i] += _W_RANK * np.arange(len(DIRECTIONS))

    # Most crowded first: labels with the most other anchors within reach of their candidates.
    reach = np.array(
        [
            int(
                np.sum(
                    np.abs(anchor_a - anchor_a[i]).max(axis=1)
                    < 2 * (size_a[i].max() + clear_a[i].max())
                )
            )
            for i in range(n)
        ]
    )
    order = sorted(range(n), key=lambda i: (-reach[i], i))
    choice = [-1] * n

    def cost(i: int) -> NDArray[np.float64]:
        others = [cands[j, choice[j]] for j in range(n) if j != i and choice[j] >= 0]
        c = fixed[i].copy()
        if others:
            c += _W_COVER * overlap(cands[i], np.asarray(others)).sum(axis=1)
        return c

    for i in order:
        choice[i] = int(np.argmin(cost(i)))
    for _ in range(passes):
        changed = False
        for i in order:
            c = cost(i)
            best = int(np.argmin(c))
            if c[best] < c[choice[i]] - 1e-9:
                choice[i] = best
                changed = True
        if not changed:
            break
    boxes = np.array([cands[i, choice[i]] for i in range(n)]).reshape(-1, 4)
    return choice, boxes


@dataclass(frozen=True)
class OptionalLabel:
    """A label drawn only where it covers nothing: at the first of its spots that is free."""

    text: str
    spots: list[tuple[tuple[float, float], tuple[float, float]]]  # (data xy, offset in points)
    size: float
    color: str
    weight: Any
    zorder: float
    style: str = "normal"  # "italic" for water names
    # A capital: a small dot at the spot, drawn with the name only; each offset is then a
    # direction (-1, 0 or 1 per axis) and the name sits beside the dot on that side.
    dot: bool = False
