"""One size of the scale series, run in its own process by benchmarks/run.py.

Does what ``geo export TRIP --layer all -o OUT.geojson`` does (read, validate, build the
GeoDataFrames with geodesic densification, write RFC 7946 GeoJSON), timing each stage, and prints
one JSON object with the times and this process's peak memory.

Run as ``python benchmarks/scale_worker.py TRIP OUT.geojson``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from time import perf_counter
from typing import Any


def peak_mb() -> float:
    """Peak resident memory of this process since it started (VmHWM).

    Not ``getrusage``: on Linux a child's ``ru_maxrss`` starts at its parent's resident size at
    the fork, so a 10 MB child of a 300 MB parent reports 300 MB (and ``RUSAGE_CHILDREN`` or
    ``os.wait4`` in the parent say the same). VmHWM belongs to the memory map, new at ``exec``.
    """
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status (Linux only)")


def main(trip_path: Path, out: Path) -> dict[str, float | int]:
    t0 = perf_counter()
    # Imported here, up front, so that the stages below time work rather than imports.
    import geopandas  # noqa: F401
    import pyproj  # noqa: F401

    import geo.trip
    from geo import geodesy
    from geo.formats import read_raw
    from geo.formats.export import write_export
    from geo.schema import validate

    densify = 0.0
    depth = 0
    original = geodesy.geodesic_paths

    def timed(*args: Any, **kwargs: Any) -> Any:
        # geodesic_paths calls itself for each chunk of a large input: count the outer call only.
        nonlocal densify, depth
        start = perf_counter()
        depth += 1
        try:
            return original(*args, **kwargs)
        finally:
            depth -= 1
            if depth == 0:
                densify += perf_counter() - start

    # build_trip calls geodesy.geodesic_paths; time it apart from building the frames.
    geodesy.geodesic_paths = timed
    if hasattr(geo.trip, "geodesic_paths"):
        geo.trip.geodesic_paths = timed

    t1 = perf_counter()
    raw, origins = read_raw(trip_path)
    t2 = perf_counter()
    records = validate(raw, str(trip_path), origins)
    t3 = perf_counter()
    trip = geo.trip.build_trip(records)
    t4 = perf_counter()
    built_mb = peak_mb()
    size = write_export(trip, "all", "geojson", out)
    t5 = perf_counter()
    return {
        "import_s": t1 - t0,
        "read_s": t2 - t1,
        "validate_s": t3 - t2,
        "densify_s": densify,
        "frames_s": (t4 - t3) - densify,
        "export_s": t5 - t4,
        "work_s": t5 - t1,
        "legs": len(trip.legs),
        "routes": len(trip.routes),
        "vertices": int(trip.leg_paths.offsets[-1] + trip.route_paths.offsets[-1]),
        "geojson_bytes": size,
        "peak_before_export_mb": built_mb,
        "peak_mb": peak_mb(),
    }


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]), Path(sys.argv[2]))))
