"""Encoding frames with ffmpeg, through ``imageio-ffmpeg`` (its wheels ship the binary).

Raw RGB frames go down a pipe; ffmpeg writes H.264 in yuv420p (MP4, plays on every phone),
VP9 (WebM) or a palette-optimised GIF. Every setting that could vary between runs is fixed:
one encoder thread, bit-exact flags, no metadata or creation time, so the same frames give
the same bytes.
"""

from __future__ import annotations

import contextlib
import subprocess
from collections.abc import Iterable
from pathlib import Path

from geo.errors import ExportError

__all__ = ["FORMATS", "GIF_FPS", "encode", "ffmpeg_exe"]

FORMATS = ("mp4", "webm", "gif")
# A GIF at 30 frames a second is several times larger for no visible gain.
GIF_FPS = 15

_COMMON = ["-fflags", "+bitexact", "-flags", "+bitexact", "-map_metadata", "-1", "-threads", "1"]


def ffmpeg_exe() -> str:
    """The ffmpeg binary of ``imageio-ffmpeg``; an :class:`ExportError` saying how to install
    it when the ``video`` extra is missing."""
    try:
        import imageio_ffmpeg
    except ImportError:
        raise ExportError(
            "geo video needs the video extra (ffmpeg through imageio-ffmpeg); "
            'install it with: pip install "geo-itinerary[video]"'
        ) from None
    return str(imageio_ffmpeg.get_ffmpeg_exe())


def _codec(fmt: str, fps: int) -> list[str]:
    if fmt == "mp4":
        return [
            "-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-pix_fmt", "yuv420p",
            "-x264-params", "threads=1:sliced-threads=0", "-movflags", "+faststart",
        ]  # fmt: skip
    if fmt == "webm":
        return [
            "-c:v", "libvpx-vp9", "-b:v", "0", "-crf", "34", "-pix_fmt", "yuv420p",
            "-deadline", "good", "-cpu-used", "5", "-row-mt", "0", "-tile-columns", "0",
        ]  # fmt: skip
    return [
        "-vf",
        f"fps={GIF_FPS},split[a][b];[a]palettegen=stats_mode=diff[p];"
        "[b][p]paletteuse=dither=bayer:bayer_scale=4:diff_mode=rectangle",
        "-loop", "0",
    ]  # fmt: skip


def encode(frames: Iterable[bytes], size: tuple[int, int], fps: int, fmt: str, out: Path) -> None:
    """Encode raw RGB24 frames (``width * height * 3`` bytes each) into ``out``.

    Raises
    ------
    ExportError
        When ffmpeg is missing or fails (its last lines of output in the message).
    """
    if fmt not in FORMATS:
        raise ExportError(f"unknown video format {fmt!r}; use one of {', '.join(FORMATS)}")
    w, h = size
    cmd = [
        ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y",
        "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{w}x{h}", "-r", str(fps), "-i", "-",
        *_codec(fmt, fps), *_COMMON, "-f", {"mp4": "mp4", "webm": "webm", "gif": "gif"}[fmt],
        str(out),
    ]  # fmt: skip
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdin is not None
    try:
        for frame in frames:
            proc.stdin.write(frame)
    except BrokenPipeError:
        pass  # ffmpeg stopped early; its message comes below
    finally:
        with contextlib.suppress(BrokenPipeError):
            proc.stdin.close()
    err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    if proc.wait() != 0:
        tail = " ".join(err.strip().splitlines()[-2:])
        raise ExportError(f"{out.name}: ffmpeg could not encode the clip ({tail or 'no message'})")
