"""geo video: clips read back by ffprobe (Debian's ffmpeg) and Pillow, byte for byte the same
on a second run, and bad input refused in one line with nothing left behind.

Clips here are small (320 to 480 px, 10 fps, quick legs) to keep the suite fast; the bundled
trip's full-size clip is measured in benchmarks/video.py.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import geo
from geo.video import parse_video_size, plan_for
from geo.video.timeline import END_S, MAX_JOURNEY_S, TITLE_S, plan
from tests.conftest import DATA
from tests.test_trust import clean_failure, geo_cli

needs_ffprobe = pytest.mark.skipif(
    shutil.which("ffprobe") is None, reason="Debian's ffmpeg (scripts/test.sh installs it)"
)
FAST = ["--size", "320x320", "--fps", "10", "--pace", "0.3"]


def probe(path: Path) -> dict:
    out = subprocess.run(
        [
            "ffprobe", "-v", "error", "-count_frames", "-show_entries",
            "stream=codec_name,pix_fmt,width,height,nb_read_frames:format=duration",
            "-of", "json", str(path),
        ],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    data = json.loads(out)
    return {**data["streams"][0], "duration": float(data["format"]["duration"])}


def frames_of(trip_path: Path | None, fps: int, pace: float | None = None, duration=None) -> int:
    trip = geo.load_trip(trip_path or geo.bundled_trip())
    return plan_for(trip, fps, duration, pace).frames


@needs_ffprobe
def test_mp4_is_h264_yuv420p_at_the_size_and_length_asked(tmp_path):
    out = tmp_path / "trip.mp4"
    proc = geo_cli("video", "-o", str(out), "--size", "480x320", "--fps", "10", "--pace", "0.3")
    assert proc.returncode == 0, proc.stderr
    info = probe(out)
    assert info["codec_name"] == "h264" and info["pix_fmt"] == "yuv420p"
    assert (info["width"], info["height"]) == (480, 320)
    expected = frames_of(None, 10, pace=0.3)
    assert abs(int(info["nb_read_frames"]) - expected) <= 1
    assert abs(info["duration"] - expected / 10) <= 0.1 + 1e-6


@needs_ffprobe
def test_duration_sets_the_clip_length_to_the_frame(tmp_path):
    out = tmp_path / "trip.mp4"
    proc = geo_cli("video", "-o", str(out), "--size", "320x320", "--fps", "10", "--duration", "9")
    assert proc.returncode == 0, proc.stderr
    assert abs(int(probe(out)["nb_read_frames"]) - 90) <= 1


@needs_ffprobe
def test_webm_is_vp9(tmp_path):
    out = tmp_path / "trip.webm"
    assert geo_cli("video", "-o", str(out), *FAST).returncode == 0
    info = probe(out)
    assert info["codec_name"] == "vp9" and (info["width"], info["height"]) == (320, 320)


def test_gif_has_the_expected_frames_and_two_runs_are_identical(tmp_path):
    from PIL import Image

    a, b = tmp_path / "a.gif", tmp_path / "b.gif"
    for out in (a, b):
        proc = geo_cli("video", "-o", str(out), "--size", "320x320", "--fps", "30", "--pace", "0.3")
        assert proc.returncode == 0, proc.stderr
    assert a.read_bytes() == b.read_bytes()
    with Image.open(a) as im:
        assert im.size == (320, 320)
        # The GIF is written at 15 frames a second, half the clip's 30.
        assert abs(im.n_frames - frames_of(None, 30, pace=0.3) / 2) <= 1


def test_same_trip_same_mp4_bytes(tmp_path):
    a, b = tmp_path / "a.mp4", tmp_path / "b.mp4"
    for out in (a, b):
        assert geo_cli("video", "-o", str(out), *FAST, "--lang", "ko").returncode == 0
    assert a.read_bytes() == b.read_bytes()


@needs_ffprobe
def test_the_clip_tells_the_journey(tmp_path):
    """The title card is a white card, a journey frame a map, and the map fills in."""
    import numpy as np
    from PIL import Image

    out = tmp_path / "trip.mp4"
    assert geo_cli("video", "-o", str(out), "--size", "320x320", "--fps", "10").returncode == 0

    def frame(t: float) -> np.ndarray:
        png = tmp_path / f"{t}.png"
        subprocess.run(
            [
                "ffmpeg",
                "-v",
                "error",
                "-y",
                "-ss",
                str(t),
                "-i",
                str(out),
                "-frames:v",
                "1",
                str(png),
            ],
            check=True,
        )
        return np.asarray(Image.open(png).convert("L"), dtype=float)

    title, early, late = frame(0.5), frame(TITLE_S + 0.3), frame(TITLE_S + 7.0)
    assert (title > 250).mean() > 0.9  # mostly white, with the title in it
    assert np.abs(early - title).mean() > 5  # the map: land, sea, legend
    # More of the journey is drawn later: the frames differ where legs and stops appear.
    assert np.abs(late - early).mean() > 0.5


def test_a_300_stop_trip_renders_in_bounded_time(tmp_path):
    folder = tmp_path / "big"
    folder.mkdir()
    (folder / "trip.csv").write_text("id,title\nbig,Three hundred stops\n", encoding="utf-8")
    with (folder / "stops.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["lat", "lon", "arrive", "label"])
        for i in range(300):
            day = dt.date(2024, 1, 1) + dt.timedelta(days=i)
            w.writerow([f"{40 + 20 * math.sin(i / 7):.3f}", f"{-170 + i * 1.1:.3f}", day, f"S{i}"])
    timeline = plan_for(geo.load_trip(folder), 10)
    # However many legs, the journey lasts at most a minute.
    assert timeline.seconds <= TITLE_S + MAX_JOURNEY_S + 1.5 + END_S + 0.1
    out = tmp_path / "big.mp4"
    proc = geo_cli("video", str(folder), "-o", str(out), "--size", "320x320", "--fps", "5")
    assert proc.returncode == 0, proc.stderr
    assert out.stat().st_size > 10_000


def test_hostile_text_is_drawn_as_text(tmp_path):
    # Markup, template syntax and mathtext ($...$) in every field: drawn, never interpreted.
    text = (DATA / "hostile.yaml").read_text(encoding="utf-8")
    trip = tmp_path / "hostile.yaml"
    trip.write_text(text.replace("Issue {#42} tour", "$x^2$ {#42} $y_1$ tour"), "utf-8")
    out = tmp_path / "h.mp4"
    proc = geo_cli("video", str(trip), "-o", str(out), *FAST, "--lang", "ko")
    assert proc.returncode == 0, proc.stderr
    assert out.stat().st_size > 0


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["-o", "{tmp}/clip.avi"], "end the file name in .mp4, .webm or .gif"),
        (["-o", "{tmp}/clip"], "end the file name in .mp4, .webm or .gif"),
        (["-o", "{tmp}/clip.mp4", "--size", "huge"], "unknown video size"),
        (["-o", "{tmp}/clip.mp4", "--size", "1081x1080"], "even pixels"),
        (["-o", "{tmp}/clip.mp4", "--size", "99999x2"], "cannot be used"),
        (["-o", "{tmp}/clip.mp4", "--size", "<b>{{7*7}}</b>"], "unknown video size"),
        (["-o", "{tmp}/clip.mp4", "--fps", "0"], "--fps"),
        (["-o", "{tmp}/clip.mp4", "--duration", "-3"], "--duration"),
        (["-o", "{tmp}/clip.mp4", "--pace", "1e309"], "--pace"),
        (["-o", "{tmp}/clip.mp4", "--pace", "1", "--duration", "9"], "not both"),
        (["-o", "{tmp}/note.txt/clip.mp4", "--size", "320x320"], "is a file, not a folder"),
        (["-o", "{tmp}"], "is a folder"),
    ],
)
def test_bad_input_is_one_line_and_leaves_nothing(tmp_path, args, says):
    (tmp_path / "note.txt").write_text("a file, not a folder")
    before = sorted(p.name for p in tmp_path.rglob("*"))
    proc = geo_cli("video", *[a.format(tmp=tmp_path) for a in args])
    err = clean_failure(proc)
    assert says in err, err
    assert len(err.strip().splitlines()) == 1, err
    assert sorted(p.name for p in tmp_path.rglob("*")) == before


def test_missing_video_extra_says_how_to_install(tmp_path):
    # The real import path with imageio_ffmpeg absent (as without the extra).
    code = (
        "import sys; sys.modules['imageio_ffmpeg'] = None; "
        "from geo.cli import main; main(['video', '-o', sys.argv[1]])"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "x.mp4")], capture_output=True, text=True
    )
    err = clean_failure(proc)
    assert 'pip install "geo-itinerary[video]"' in err
    assert not (tmp_path / "x.mp4").exists()


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("square", (1080, 1080)),
        ("vertical", (1080, 1920)),
        ("landscape", (1920, 1080)),
        ("640x360", (640, 360)),
    ],
)
def test_sizes(text, size):
    assert tuple(parse_video_size(text)) == size


def test_the_timeline():
    days = [(dt.date(2024, 6, 10), dt.date(2024, 6, 12)), (None, dt.date(2024, 6, 13))]
    t = plan(2, days, fps=10, pace_s=1.0)
    assert len(t.journey) == 20 and t.frames == 20 + 20 + 15 + 25
    assert t.journey[0].day == dt.date(2024, 6, 10) and t.journey[9].day == dt.date(2024, 6, 12)
    assert t.journey[9].progress == 1.0 and t.journey[10].leg == 1
    assert t.journey[-1].day == dt.date(2024, 6, 13)
    # A duration is met to the frame; many legs shrink the pace to fit a minute.
    assert plan(2, days, fps=30, duration_s=12).frames == 360
    assert plan(600, [], fps=30).seconds <= TITLE_S + MAX_JOURNEY_S + 1.5 + END_S + 0.1
