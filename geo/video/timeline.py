"""When each thing appears in the clip: pure arithmetic on the trip's stops, legs and deals.

The clip is a title card, then the journey (each leg drawn along its path in ``pace``
seconds, the date counting from the leg's departure to its arrival, each stop appearing as it
is reached, each deal on its date), a hold on the finished map, and an end card.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "END_S",
    "HOLD_S",
    "MAX_JOURNEY_S",
    "TITLE_S",
    "Frame",
    "Timeline",
    "plan",
]

TITLE_S = 2.0
HOLD_S = 1.5
END_S = 2.5
DEFAULT_PACE_S = 1.5
# However many legs, the journey part of a clip lasts at most this long (a 300-stop trip is a
# minute, not seven): the pace shrinks to fit.
MAX_JOURNEY_S = 60.0
MIN_PACE_S = 0.1


@dataclass(frozen=True)
class Frame:
    """What one frame of the journey shows."""

    leg: int  # the leg being drawn (-1 before the first, len(legs) once all are drawn)
    progress: float  # how much of that leg is drawn, 0 to 1
    day: dt.date | None  # the date shown


@dataclass(frozen=True)
class Timeline:
    """Frame counts of each part, and the journey's frames."""

    fps: int
    title: int
    journey: list[Frame]
    hold: int
    end: int
    pace_s: float

    @property
    def frames(self) -> int:
        return self.title + len(self.journey) + self.hold + self.end

    @property
    def seconds(self) -> float:
        return self.frames / self.fps


def plan(
    legs: int,
    leg_days: Sequence[tuple[dt.date | None, dt.date | None]],
    fps: int,
    duration_s: float | None = None,
    pace_s: float | None = None,
) -> Timeline:
    """The clip's timeline.

    Parameters
    ----------
    legs
        Number of legs (stops minus one).
    leg_days
        For each leg, the date it leaves and the date it arrives (either may be None).
    fps
        Frames per second.
    duration_s
        The whole clip's length in seconds; the pace follows from it. At least the cards and
        a tenth of a second a leg.
    pace_s
        Seconds per leg (default 1.5), when no duration is given.
    """
    cards = TITLE_S + HOLD_S + END_S
    if duration_s is not None:
        pace = (duration_s - cards) / max(legs, 1)
    else:
        pace = DEFAULT_PACE_S if pace_s is None else pace_s
    pace = max(MIN_PACE_S, min(pace, MAX_JOURNEY_S / max(legs, 1)))
    per_leg = max(1, round(pace * fps))
    journey: list[Frame] = []
    for i in range(legs):
        start, end = leg_days[i] if i < len(leg_days) else (None, None)
        for k in range(per_leg):
            p = (k + 1) / per_leg
            journey.append(Frame(i, p, _between(start, end, p)))
    if duration_s is not None:
        # Whatever rounding took from the legs goes to the hold, so the clip is as long as
        # asked, to the frame.
        cards_f = round(TITLE_S * fps) + round(END_S * fps)
        hold = max(0, round(duration_s * fps) - cards_f - len(journey))
    else:
        hold = round(HOLD_S * fps)
    return Timeline(
        fps=fps,
        title=round(TITLE_S * fps),
        journey=journey,
        hold=hold,
        end=round(END_S * fps),
        pace_s=per_leg / fps,
    )


def _between(start: dt.date | None, end: dt.date | None, p: float) -> dt.date | None:
    """The date a share ``p`` of the way from ``start`` to ``end`` (whole days, rounded down)."""
    if start is None or end is None:
        return end if p >= 1 else start or end
    days = (end - start).days
    if days <= 0:
        return end if p >= 1 else start
    return start + dt.timedelta(days=math.floor(days * p))
