"""Many maps in one run against one run per map.

    python benchmarks/many_trips.py [--trips 20] [--rounds 3] [--command map] [--json FILE]

Writes ``--trips`` copies of the bundled trip, each with its own ``trip.id`` (a newsroom's
"every state visit" series: the same kind of trip, place names resolved through the gazetteer),
then times, in whole processes, ``geo map T1 … Tn -o FOLDER/`` against ``geo map Ti -o FILE``
run once per trip. Rounds alternate (one run, separate runs, one run, …) so that a slow spell on
the machine hits both; the median is reported. The per-user cache (geo/_cache.py) is warm for
both, as it is for every run after the first on a machine. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

from run import geo_command, machine, run  # benchmarks/run.py

HERE = Path(__file__).resolve().parent


def make_trips(folder: Path, n: int) -> list[Path]:
    """``n`` copies of the bundled trip, ids ``visit-01`` … ``visit-NN``."""
    import geo

    text = geo.bundled_trip().read_text(encoding="utf-8")
    assert "id: k-silk-road-2024" in text
    paths = []
    for i in range(1, n + 1):
        path = folder / f"visit-{i:02d}.yaml"
        path.write_text(text.replace("id: k-silk-road-2024", f"id: visit-{i:02d}", 1), "utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trips", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--command", choices=["map", "export"], default="map")
    parser.add_argument("--json", type=Path, default=HERE / "results-many.json")
    cfg = parser.parse_args(argv)
    geo = geo_command()
    one: list[float] = []
    separate: list[float] = []
    with tempfile.TemporaryDirectory(prefix="geo-many-") as tmp:
        work = Path(tmp)
        trips = make_trips(work, cfg.trips)
        suffix = ".html" if cfg.command == "map" else ".geojson"
        run([*geo, cfg.command, str(trips[0]), "-o", str(work / f"warm{suffix}")])  # warm-up
        for _ in range(cfg.rounds):
            out = work / "one"
            result = run([*geo, cfg.command, *map(str, trips), "-o", f"{out}/"], timeout=600)
            if not result.ok:
                sys.exit(f"one run failed: {result.status}")
            assert len(list(out.iterdir())) == cfg.trips
            one.append(result.seconds)
            total = 0.0
            for trip in trips:
                result = run(
                    [*geo, cfg.command, str(trip), "-o", str(work / f"{trip.stem}{suffix}")]
                )
                if not result.ok:
                    sys.exit(f"separate run failed: {result.status}")
                total += result.seconds
            separate.append(total)
    results = {
        "command": cfg.command,
        "trips": cfg.trips,
        "one_run_s": one,
        "separate_runs_s": separate,
        "one_run_median_s": statistics.median(one),
        "separate_runs_median_s": statistics.median(separate),
        "ratio": statistics.median(one) / statistics.median(separate),
        "machine": machine(),
    }
    print(
        f"| `geo {cfg.command}` over {cfg.trips} trips | median of {cfg.rounds} |\n|---|---|\n"
        f"| one run (`geo {cfg.command} T1 … T{cfg.trips} -o DIR/`) | "
        f"{results['one_run_median_s']:.2f} s |\n"
        f"| {cfg.trips} separate runs | {results['separate_runs_median_s']:.2f} s |\n"
        f"| one run ÷ separate runs | {results['ratio']:.2f} (target ≤ 0.33) |"
    )
    cfg.json.write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
