"""geo preview: how long a save takes to show, for the bundled trip.

    python benchmarks/preview.py [--rounds 30] [--json FILE]

Starts ``geo preview``'s server in this process on a copy of the bundled trip, then, round after
round, edits the title in the file and times

- ``render``: the re-render alone (``geo.load_trip`` + ``geo.render.render_map``, as
  :meth:`geo.preview.Preview.refresh` measures it), imports and caches warm;
- ``save_to_version``: from the write to the answer of the page's pending version request
  (``/__geo/version?after=N``), through the real watcher and HTTP server: the render plus the
  watcher's polling (every 0.05 s) and settling (0.05 s);
- ``render_new_window``: the re-render with the per-process basemap caches emptied first, as
  after an edit that moves the map's window (a new stop far away).

Prints a Markdown table and writes the figures, with the machine and the load average, as JSON
(default ``benchmarks/results-preview.json``).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import geo
from geo.preview import HOST, VERSION_PATH, Preview, PreviewServer
from geo.render import payload

HERE = Path(__file__).resolve().parent


def _version_after(port: int, after: int) -> dict[str, Any]:
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        conn.request("GET", f"{VERSION_PATH}?after={after}")
        return json.loads(conn.getresponse().read())
    finally:
        conn.close()


def _stats(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "median_s": round(statistics.median(ordered), 4),
        "p90_s": round(ordered[int(0.9 * (len(ordered) - 1))], 4),
        "min_s": round(ordered[0], 4),
        "max_s": round(ordered[-1], 4),
        "n": len(ordered),
    }


def measure(rounds: int) -> dict[str, Any]:
    """Every figure of this benchmark (see the module docstring)."""
    with tempfile.TemporaryDirectory() as tmp:
        trip = Path(tmp) / "trip.yaml"
        shutil.copy(geo.bundled_trip(), trip)
        original = trip.read_text(encoding="utf-8")
        title = geo.load_trip(trip).meta.title.get_lang("en", "en")
        assert title in original, title

        start = time.perf_counter()
        watched = Preview(trip)
        first = watched.refresh()
        first_s = time.perf_counter() - start
        server = PreviewServer(watched, port=0)
        watched.start()
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
        thread.start()
        renders, latencies, new_window = [], [], []
        try:
            version = first.version
            for k in range(rounds):
                text = original.replace(title, f"{title} ({k})")
                t0 = time.perf_counter()
                trip.write_text(text, encoding="utf-8")
                answer = _version_after(server.port, version)
                latencies.append(time.perf_counter() - t0)
                assert answer == {"version": version + 1, "ok": True}, answer
                version = answer["version"]
                renders.append(watched.current.seconds)
            watched.stop()
            for _ in range(max(5, rounds // 3)):
                payload._basemap_layer.cache_clear()
                new_window.append(watched.refresh().seconds)
        finally:
            watched.stop()
            server.shutdown()
            server.server_close()
            thread.join()
    return {
        "first_render_s": round(first_s, 3),
        "first_render_includes": "imports of geopandas, folium, the gazetteer and the basemap",
        "render": _stats(renders),
        "save_to_version": _stats(latencies),
        "render_new_window": _stats(new_window),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--json", type=Path, default=HERE / "results-preview.json")
    args = parser.parse_args()
    load = os.getloadavg()[0]
    if load > 0.5:
        print(f"warning: load average {load:.2f} at the start; times include other work")
    results = measure(args.rounds)
    results["machine"] = {
        "python": platform.python_version(),
        "os": platform.platform(),
        "cpus": os.cpu_count(),
        "load_average_1min_at_start": round(load, 2),
        "geo_imported_from": str(Path(geo.__file__).parent),
    }
    args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"first render (imports included): {results['first_render_s']:.2f} s\n")
    print("| after a save | median | p90 | min | max | rounds |")
    print("|---|---|---|---|---|---|")
    for key in ("render", "save_to_version", "render_new_window"):
        s = results[key]
        print(
            f"| {key} | {s['median_s']:.3f} s | {s['p90_s']:.3f} s | {s['min_s']:.3f} s "
            f"| {s['max_s']:.3f} s | {s['n']} |"
        )


if __name__ == "__main__":
    sys.exit(main())
