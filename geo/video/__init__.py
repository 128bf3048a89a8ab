"""The trip as a clip for social media: ``geo video`` draws the journey frame by frame.

The frames come from the static map (:mod:`geo.static`: the same projection, labels, legend
and fonts): a title card with the title and dates; the legs drawn along their true paths
(geodesics, sea lanes) with the date counting up; each stop's marker, name and dates as it is
reached; each deal's symbol and value on its date; a hold on the finished map; an end card
with the sources and credit. ffmpeg (through ``imageio-ffmpeg``, the ``video`` extra) encodes
them as MP4 (H.264, yuv420p), WebM (VP9) or GIF; the same trip gives the same bytes.

>>> from geo.video import render_video
>>> render_video(trip, "trip.mp4", size="vertical", lang="ko")  # doctest: +SKIP
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from geo.errors import ExportError
from geo.video.encode import FORMATS, GIF_FPS
from geo.video.timeline import Timeline, plan

if TYPE_CHECKING:
    from geo.trip import Trip

__all__ = ["FORMATS", "GIF_FPS", "SIZES", "VideoSize", "parse_video_size", "render_video"]


class VideoSize(NamedTuple):
    width: int
    height: int


SIZES = {
    "square": VideoSize(1080, 1080),
    "vertical": VideoSize(1080, 1920),
    "landscape": VideoSize(1920, 1080),
}
MIN_SIDE, MAX_SIDE = 240, 3840


def parse_video_size(text: str) -> VideoSize:
    """``square`` (1080x1080), ``vertical`` (1080x1920), ``landscape`` (1920x1080) or
    ``WxH`` in pixels (even numbers, as H.264 in yuv420p needs; each side 240 to 3840)."""
    key = text.strip().lower()
    if key in SIZES:
        return SIZES[key]
    usage = (
        "use square (1080x1080), vertical (1080x1920), landscape (1920x1080) or WIDTHxHEIGHT "
        f"in even pixels such as 720x720, each side {MIN_SIDE} to {MAX_SIDE}"
    )
    m = re.fullmatch(r"(\d{1,5})\s*[x×]\s*(\d{1,5})", key)
    if not m:
        raise ExportError(f"unknown video size {text[:40]!r}; {usage}")
    w, h = int(m[1]), int(m[2])
    if not (MIN_SIDE <= w <= MAX_SIDE and MIN_SIDE <= h <= MAX_SIDE) or w % 2 or h % 2:
        raise ExportError(f"video size {text!r} cannot be used; {usage}")
    if max(w, h) > 4 * min(w, h):
        raise ExportError(f"video size {text!r} is too narrow for a map (more than 4:1); {usage}")
    return VideoSize(w, h)


def video_format(path: Path) -> str:
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ExportError(
            f"{path}: cannot tell the video format from {path.suffix or 'no suffix'!r}; "
            "end the file name in .mp4, .webm or .gif"
        )
    return fmt


def plan_for(
    trip: Trip, fps: int, duration: float | None = None, pace: float | None = None
) -> Timeline:
    """The clip's timeline for a trip: each leg from its departure date to its arrival."""
    s = trip.stops
    days = []
    for i in range(len(trip.legs)):
        a = s.iloc[i]
        b = s.iloc[i + 1]
        start = a["depart_date"] or a["arrive_date"]
        end = b["arrive_date"] or b["depart_date"]
        days.append((start, end))
    return plan(len(trip.legs), days, fps, duration, pace)


def render_video(
    trip: Trip,
    path: str | Path,
    size: str | VideoSize = "square",
    lang: str | None = None,
    duration: float | None = None,
    pace: float | None = None,
    fps: int = 30,
    on_frame: Callable[[int, int], None] | None = None,
) -> Path:
    """Draw the trip as a clip and write it to ``path`` (``.mp4``, ``.webm`` or ``.gif``).

    Parameters
    ----------
    trip
        From :func:`geo.load_trip`.
    path
        The file to write; written atomically (an error leaves nothing behind).
    size
        ``square``, ``vertical``, ``landscape`` or ``WxH`` (:func:`parse_video_size`).
    lang
        An interface language (``en``, ``ja``, ``ko``, ``ru``; a BCP 47 tag); the trip's own
        language when not given.
    duration, pace
        The clip's length in seconds, or the seconds each leg takes to draw (default 1.5);
        however many legs, the journey lasts at most a minute.
    fps
        Frames per second (30); a GIF is written at 15.
    on_frame
        Called with (frames done, frames in all) as the clip is drawn (a progress bar).

    Raises
    ------
    ExportError
        For an unknown suffix, size or language, a missing ``video`` extra, or ffmpeg failing.
    """
    from geo import scene as shared
    from geo.formats.atomic import atomic_path
    from geo.i18n import locale
    from geo.static.output import drawn, export_locale
    from geo.static.sizes import Size
    from geo.video.encode import encode, ffmpeg_exe
    from geo.video.frames import card, find_journey, journey_frames

    target = Path(path)
    fmt = video_format(target)
    dims = size if isinstance(size, VideoSize) else parse_video_size(size)
    if not 1 <= fps <= 60:
        raise ExportError(f"--fps {fps} cannot be used; give 1 to 60 frames a second")
    if duration is not None and not 0 < duration <= 600:
        raise ExportError(f"--duration {duration} cannot be used; give 1 to 600 seconds")
    if pace is not None and not 0 < pace <= 60:
        raise ExportError(f"--pace {pace} cannot be used; give up to 60 seconds a leg")
    loc = export_locale(lang) if lang is not None else locale(trip.meta.lang)
    ffmpeg_exe()  # the missing extra is reported before any drawing
    timeline = plan_for(trip, fps, duration, pace)
    dpi = min(dims) / 4.5
    common = shared.build_scene(trip, loc)
    with drawn(trip, Size(dims.width, dims.height, dpi), lang) as (fig, scene):
        bold = "bold"
        title = card(
            dims,
            dpi,
            [
                (scene.title, 16, "bold"),
                (common.subtitle, 10, "normal"),
                (common.dates, 12, "normal"),
            ],
            bold,
        )
        sources = ", ".join(common.sources)
        end = card(
            dims,
            dpi,
            [
                (loc.t("sources"), 11, "bold"),
                (sources, 9, "normal"),
                (common.credit, 9, "normal"),
                (loc.t("basemap_credit"), 8, "normal"),
            ],
            bold,
        )
        journey = find_journey(fig, scene, trip, loc)

        def frames() -> Iterator[bytes]:
            every = itertools.chain(
                itertools.repeat(title, timeline.title),
                journey_frames(journey, timeline, loc),
                itertools.repeat(end, timeline.end),
            )
            for k, frame in enumerate(every, 1):
                yield frame
                if on_frame is not None and (k % 10 == 0 or k == timeline.frames):
                    on_frame(k, timeline.frames)

        with atomic_path(target) as staged:
            encode(frames(), (dims.width, dims.height), fps, fmt, staged)
    return target
