"""How fast ``geo video`` renders the bundled trip's clip, against the clip's own length.

    python benchmarks/video.py [--size square] [--format mp4]

Prints wall and CPU time (this process and ffmpeg's), the clip's length, and the speed as a
multiple of real time (above 1: faster than the clip plays).
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="square")
    parser.add_argument("--format", default="mp4")
    parser.add_argument("--lang", default="en")
    args = parser.parse_args()

    import geo
    from geo.video import plan_for, render_video

    trip = geo.load_trip(geo.bundled_trip())
    seconds = plan_for(trip, 30).seconds
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / f"clip.{args.format}"
        t, c = time.perf_counter(), time.process_time()
        render_video(trip, out, size=args.size, lang=args.lang)
        wall, cpu = time.perf_counter() - t, time.process_time() - c
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        ffmpeg_cpu = children.ru_utime + children.ru_stime
        size = out.stat().st_size
    load = os.getloadavg()[0]
    print(f"clip: {args.size} {args.format}, {seconds:.1f} s at 30 fps, {size:,} bytes")
    print(f"wall {wall:.1f} s, CPU {cpu:.1f} s here + {ffmpeg_cpu:.1f} s ffmpeg (load {load:.1f})")
    print(f"speed: {seconds / wall:.1f}x real time")


if __name__ == "__main__":
    main()
