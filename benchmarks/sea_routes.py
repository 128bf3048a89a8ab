"""Routing 1,000 sea routes with geo.routing.hop_paths: time and peak memory.

    python benchmarks/sea_routes.py [--n 1000] [--seed 11] [--json FILE]

Each case runs in a fresh process (so the network load and the caches start cold) and reports
wall time and the process's peak resident memory. The port pairs are drawn, with a fixed seed,
from the ports searoute ships (its ``ports.geojson``, UN/LOCODE terminals), keeping ports within
geo's snap limit of the network; pairs whose lane is closed off are redrawn.

Cases
-----
network
    Import and load searoute's maritime network, nothing routed.
distinct
    ``n`` different port pairs in one ``hop_paths`` call (every one a cache miss).
repeated
    ``n`` routes among 30 ports, as a trade table repeats its pairs (at most 870 distinct).
warm
    The ``distinct`` pairs routed a second time in the same process (all cache hits).
searoute
    The ``distinct`` pairs through ``searoute.searoute`` itself, one call each: the baseline.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def _ports(seed: int) -> list[tuple[float, float]]:
    """Sea ports within geo's snap limit of the network, in a fixed shuffled order."""
    import numpy as np
    import searoute

    from geo import routing

    data = json.loads(
        (Path(searoute.__file__).parent / "data" / "ports.geojson").read_text("utf-8")
    )
    pts = sorted({tuple(f["geometry"]["coordinates"]) for f in data["features"]})
    arr = np.asarray(pts, dtype=float)
    arr = arr[(np.abs(arr[:, 0]) <= 180) & (np.abs(arr[:, 1]) <= 90)]
    near = routing.snap_km(arr[:, 0], arr[:, 1]) < routing.SNAP_LIMIT_KM * 0.5
    arr = arr[near]
    np.random.default_rng(seed).shuffle(arr)
    return [(float(x), float(y)) for x, y in arr]


def _pairs(n: int, seed: int, pool: int | None) -> list[tuple[float, float, float, float]]:
    """``n`` routable pairs: distinct ones, or drawn from the first ``pool`` ports."""
    import numpy as np

    from geo import routing
    from geo.errors import RoutingError

    ports = _ports(seed)
    if pool:
        ports = ports[:pool]
    rng = np.random.default_rng(seed + 1)
    out: list[tuple[float, float, float, float]] = []
    seen: set[tuple[int, int]] = set()
    while len(out) < n:
        i, j = (int(k) for k in rng.choice(len(ports), 2, replace=False))
        if pool is None and (i, j) in seen:
            continue
        pair = (*ports[i], *ports[j])
        try:
            routing.hop_paths(["sea"], *([v] for v in pair))
        except RoutingError:
            continue
        seen.add((i, j))
        out.append(pair)
    return out


def _peak_mb() -> float:
    """This process's peak resident memory: ``VmHWM``, not ``ru_maxrss``, which a child
    inherits from its parent at the fork (see benchmarks/README.md, notes on method)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024.0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _case(name: str, n: int, seed: int) -> dict[str, Any]:
    """Run one case in this process (called in a fresh child)."""
    import numpy as np

    pairs_file = HERE / ".cache" / f"sea-pairs-{n}-{seed}.json"
    if name == "network":
        t0 = time.perf_counter()
        from geo import routing

        routing._network()
        return {"seconds": time.perf_counter() - t0, "peak_mb": _peak_mb()}
    pairs = json.loads(pairs_file.read_text("utf-8"))[
        "repeated" if name == "repeated" else "distinct"
    ]
    a = np.asarray(pairs, dtype=float)
    from geo import routing

    routing._network()  # the load is its own case
    base_mb = _peak_mb()
    if name == "searoute":
        import searoute

        t0 = time.perf_counter()
        for x1, y1, x2, y2 in pairs:
            searoute.searoute([x1, y1], [x2, y2], restrictions=["northwest", "bering"])
        return {"seconds": time.perf_counter() - t0, "peak_mb": _peak_mb(), "base_mb": base_mb}
    args = (["sea"] * len(a), a[:, 0], a[:, 1], a[:, 2], a[:, 3])
    t0 = time.perf_counter()
    paths, _ = routing.hop_paths(*args)
    first = time.perf_counter() - t0
    out = {
        "seconds": first,
        "peak_mb": _peak_mb(),
        "base_mb": base_mb,
        "vertices": int(len(paths.lon)),
        "distinct_hops": routing._lane.cache_info().misses,
        "total_km": float(paths.distance_m.sum() / 1000),
    }
    if name == "warm":
        t0 = time.perf_counter()
        routing.hop_paths(*args)
        out["seconds"] = time.perf_counter() - t0
        out["peak_mb"] = _peak_mb()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--json", type=Path, default=HERE / "results-sea.json")
    ap.add_argument("--case", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.case:
        print(json.dumps(_case(args.case, args.n, args.seed)))
        return
    cache = HERE / ".cache"
    cache.mkdir(exist_ok=True)
    pairs_file = cache / f"sea-pairs-{args.n}-{args.seed}.json"
    if not pairs_file.exists():
        pairs_file.write_text(
            json.dumps(
                {
                    "distinct": _pairs(args.n, args.seed, None),
                    "repeated": _pairs(args.n, args.seed, 30),
                }
            ),
            "utf-8",
        )
    results: dict[str, Any] = {"n": args.n, "seed": args.seed}
    print(f"| case ({args.n:,} routes) | seconds | ms per route | peak RSS MB | notes |")
    print("|---|---:|---:|---:|---|")
    for name in ("network", "distinct", "repeated", "warm", "searoute"):
        cmd = [sys.executable, __file__, "--case", name, "--n", str(args.n)]
        cmd += ["--seed", str(args.seed)]
        done = subprocess.run(cmd, capture_output=True, text=True, check=True)
        r = json.loads(done.stdout.strip().splitlines()[-1])
        results[name] = r
        per = "" if name == "network" else f"{1000 * r['seconds'] / args.n:.1f}"
        notes = []
        if "distinct_hops" in r:
            notes.append(f"{r['distinct_hops']:,} distinct hops, {r['vertices']:,} vertices")
        if "base_mb" in r:
            notes.append(f"{r['base_mb']:.0f} MB before routing")
        print(f"| {name} | {r['seconds']:.2f} | {per} | {r['peak_mb']:.0f} | {'; '.join(notes)} |")
    args.json.write_text(json.dumps(results, indent=2) + "\n", "utf-8")


if __name__ == "__main__":
    main()
