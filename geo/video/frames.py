"""The clip's frames, drawn from the static map: the finished map is drawn once, its journey
artists (legs, stop markers and labels, deal symbols and values) are hidden, and each frame
restores the background and draws only what changed (matplotlib blitting on Agg).

What is finished (a drawn leg, a reached stop, a deal on its date) is baked into the
background as it happens, so a frame costs the same at the first stop and the 300th.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from geo.video.timeline import Timeline

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.figure import Figure

    from geo.i18n import Locale
    from geo.static.scene import Scene
    from geo.trip import Trip

__all__ = ["Journey", "card", "journey_frames", "rgb"]


@dataclass
class _Leg:
    pieces: list[tuple[Any, Any, np.ndarray]] = field(default_factory=list)  # casing, line, xy
    arrows: list[Any] = field(default_factory=list)


@dataclass
class Journey:
    """The map figure with its journey artists found and hidden."""

    fig: Figure
    ax: Any
    legs: dict[int, _Leg]
    stops: list[tuple[int, list[Artist]]]  # (first visit, marker and label artists)
    deals: list[tuple[dt.date | None, list[Artist]]]
    date: Any


def rgb(fig: Figure) -> bytes:
    """The figure's canvas as raw RGB24 bytes."""
    buf = np.asarray(fig.canvas.buffer_rgba())  # type: ignore[attr-defined]
    return np.ascontiguousarray(buf[:, :, :3]).tobytes()


def find_journey(fig: Figure, scene: Scene, trip: Trip, loc: Locale) -> Journey:
    """The map's journey artists, by the order and layers the static renderer draws them in
    (``geo.static.drawing``: legs at z 4/4.1/4.2, deals at 5, stops at 7, labels at 8)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from geo import scene as shared
    from geo.static.artists import halo
    from geo.static.theme import FONT, INK

    FigureCanvasAgg(fig)
    ax = max(fig.axes, key=lambda a: len(a.lines))
    lines = [ln for ln in ax.lines if ln.get_zorder() in (4, 4.1, 4.2)]
    legs: dict[int, _Leg] = {}
    k = 0
    for piece in scene.legs:
        leg = legs.setdefault(piece.leg, _Leg())
        casing, line = lines[k], lines[k + 1]
        k += 2
        leg.pieces.append((casing, line, np.asarray(piece.xy, dtype=float)))
        if k < len(lines) and lines[k].get_zorder() == 4.2:
            leg.arrows.append(lines[k])
            k += 1
    markers = [t for t in ax.texts if t.get_zorder() == 7]
    labels = [t for t in ax.texts if t.get_zorder() == 8]
    stops: list[tuple[int, list[Artist]]] = []
    j = 0
    for s, marker in zip(scene.stops, markers, strict=False):
        n = 1 + bool(s.dates)
        first = int(s.numbers.split("·")[0].strip() or 1) - 1
        stops.append((first, [marker, *labels[j : j + n]]))
        j += n
    values = labels[j:]
    common = shared.build_scene(trip, loc)
    patches = [p for p in ax.patches if p.get_zorder() == 5]
    deals: list[tuple[dt.date | None, list[Artist]]] = []
    for d, patch, c in zip(scene.deals, patches, common.deals, strict=False):
        when = trip.deals["date"].iloc[c.row]
        arts: list[Artist] = [patch]
        if d.value:
            arts += [v for v in values if v.get_text() == d.value][:1]
        deals.append((when if isinstance(when, dt.date) else None, arts))
    date = ax.text(
        0.97,
        0.96,
        "",
        transform=ax.transAxes,
        ha="right",
        va="top",
        fontsize=FONT["stop"] * 1.6,
        fontweight="bold",
        color=INK,
        zorder=9,
        parse_math=False,
        path_effects=halo(2.4),
    )
    journey = Journey(fig, ax, legs, stops, deals, date)
    for a in _dynamic(journey):
        a.set_visible(False)
    return journey


def _dynamic(j: Journey) -> Iterator[Artist]:
    for leg in j.legs.values():
        for casing, line, _ in leg.pieces:
            yield casing
            yield line
        yield from leg.arrows
    for _, arts in j.stops:
        yield from arts
    for _, arts in j.deals:
        yield from arts
    yield j.date


def _partial(xy: np.ndarray, share: float) -> np.ndarray:
    """The first ``share`` of a polyline, by length, ending on an interpolated point."""
    if share >= 1 or len(xy) < 2:
        return xy
    seg = np.hypot(*np.diff(xy, axis=0).T)
    cum = np.r_[0.0, np.cumsum(seg)]
    target = cum[-1] * max(share, 0.0)
    k = int(np.clip(np.searchsorted(cum, target, side="right") - 1, 0, len(seg) - 1))
    t = (target - cum[k]) / seg[k] if seg[k] else 0.0
    end = xy[k] + (xy[k + 1] - xy[k]) * t
    return np.vstack([xy[: k + 1], end])


def _set_leg(leg: _Leg, share: float) -> list[Artist]:
    """Show a leg drawn to ``share`` of its length (pieces in order); the artists to draw."""
    lengths = [float(np.hypot(*np.diff(xy, axis=0).T).sum()) for _, _, xy in leg.pieces]
    total = sum(lengths) or 1.0
    left = share * total
    out: list[Artist] = []
    for (casing, line, xy), length in zip(leg.pieces, lengths, strict=True):
        if left <= 0:
            break
        part = _partial(xy, min(1.0, left / length) if length else 1.0)
        left -= length
        for a in (casing, line):
            a.set_data(part[:, 0], part[:, 1])
            a.set_visible(True)
            out.append(a)
    if share >= 1:
        for a in leg.arrows:
            a.set_visible(True)
            out.append(a)
    return out


def journey_frames(j: Journey, timeline: Timeline, loc: Locale) -> Iterator[bytes]:
    """The journey's frames and then the hold on the finished map, as RGB bytes."""
    canvas = j.fig.canvas
    canvas.draw()
    bg = canvas.copy_from_bbox(j.fig.bbox)  # type: ignore[attr-defined]

    def draw(artists: list[Artist]) -> None:
        for a in sorted(artists, key=lambda a: a.get_zorder()):
            j.ax.draw_artist(a)

    def bake(artists: list[Artist]) -> Any:
        canvas.restore_region(bg)  # type: ignore[attr-defined]
        draw(artists)
        return canvas.copy_from_bbox(j.fig.bbox)  # type: ignore[attr-defined]

    def reached(stop: int) -> list[Artist]:
        arts = [a for first, group in j.stops if first == stop for a in group]
        for a in arts:
            a.set_visible(True)
        return arts

    def deals_until(day: dt.date | None, shown: set[int], final: bool) -> list[Artist]:
        arts: list[Artist] = []
        for k, (when, group) in enumerate(j.deals):
            due = final or (when is not None and day is not None and when <= day)
            if k not in shown and due:
                shown.add(k)
                for a in group:
                    a.set_visible(True)
                arts += group
        return arts

    shown: set[int] = set()
    bg = bake(reached(0))
    for frame in timeline.journey:
        current = j.legs.get(frame.leg)
        moving = _set_leg(current, frame.progress) if current else []
        new_deals = deals_until(frame.day, shown, final=False)
        if new_deals:
            bg = bake(new_deals)
        if frame.progress >= 1:
            # The leg is finished: bake it with the stop it reaches, drawn over it.
            bg = bake([*moving, *reached(frame.leg + 1), *_from_stop(j, frame.leg)])
            moving = []
        canvas.restore_region(bg)  # type: ignore[attr-defined]
        draw([*moving, *_from_stop(j, frame.leg)] if moving else [])
        _date(j, frame.day, loc)
        yield rgb(j.fig)
    bg = bake(deals_until(None, shown, final=True))
    canvas.restore_region(bg)  # type: ignore[attr-defined]
    last = next((f.day for f in reversed(timeline.journey) if f.day), None)
    _date(j, last, loc)
    still = rgb(j.fig)
    for _ in range(timeline.hold):
        yield still


def _from_stop(j: Journey, leg: int) -> list[Artist]:
    """The markers of the stop a leg leaves, drawn again over the line leaving it."""
    return [group[0] for first, group in j.stops if first == leg and group[0].get_visible()]


def _date(j: Journey, day: dt.date | None, loc: Locale) -> None:
    j.date.set_text(loc.day(day, year=True) if day else "")
    j.date.set_visible(bool(day))
    if day:
        j.ax.draw_artist(j.date)


def card(
    size: tuple[int, int], dpi: float, lines: list[tuple[str, float, str]], bold: Any
) -> bytes:
    """A title or end card: lines of (text, size in points, weight), each wrapped to the
    card's width, stacked by their measured heights and centred on white."""
    import textwrap

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from geo.static.theme import INK, MUTED

    w, h = size
    fig = Figure(figsize=(w / dpi, h / dpi), dpi=dpi, facecolor="white")
    renderer = FigureCanvasAgg(fig).get_renderer()
    texts = []
    for text, pt, weight in lines:
        if not text:
            continue
        # Characters a line holds: 80 % of the width over an average glyph of 0.55 em (CJK
        # glyphs are a full em: count them twice).
        em_px = pt / 72 * dpi
        wide = sum(1 for ch in text if ord(ch) > 0x2E80) / max(len(text), 1)
        per_line = max(8, int(0.8 * w / (em_px * (0.55 + 0.45 * wide))))
        wrapped = "\n".join(textwrap.wrap(text, per_line, max_lines=6, placeholder=" …"))
        texts.append(
            fig.text(
                0.5,
                0.5,
                wrapped,
                ha="center",
                va="top",
                fontsize=pt,
                fontweight=bold if weight == "bold" else "normal",
                color=INK if weight == "bold" else MUTED,
                linespacing=1.2,
                parse_math=False,
            )
        )
    heights = [t.get_window_extent(renderer).height for t in texts]
    gap = 0.6 * 12 / 72 * dpi
    total = sum(heights) + gap * max(len(texts) - 1, 0)
    top = (h + total) / 2
    for t, height in zip(texts, heights, strict=True):
        t.set_y(top / h)
        top -= height + gap
    fig.canvas.draw()
    return rgb(fig)
