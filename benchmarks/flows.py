"""`geo flows` at scale: the local engine against a Dask LocalCluster, 10,000 to 1,000,000 flows.

Each case runs in its own process (``python benchmarks/flows.py --case TABLE ENGINE WORKERS``)
so that caches and peak memory start from nothing: wall time of the whole run (for Dask the
cluster's start and stop included), the peak resident memory of the driver process and of each
worker, and the output's size. The tables come from ``synthetic.py flows`` (40 ports, half sea,
half air) and are cached in ``benchmarks/.cache/``.

Run as ``python benchmarks/flows.py [--sizes 10000,100000,1000000] [--workers 2]``; it prints a
Markdown table and writes ``benchmarks/results-flows.json``. Needs ``pip install -e ".[dask]"``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"


def case(table: Path, engine: str, workers: int) -> dict[str, object]:
    """One run in this process: what :func:`geo.engines.run_flows` reports, the driver's peak."""
    from geo.engines import run_flows
    from geo.flows import peak_mb

    out = table.parent / f"out-{engine}.parquet"
    summary = run_flows(table, out, engine=engine, workers=workers)
    result = {
        "rows": summary.rows,
        "partitions": summary.partitions,
        "seconds_in_process": round(summary.seconds, 2),
        "driver_peak_mb": round(peak_mb(), 1),
        "worker_peak_mb": {k: round(v, 1) for k, v in summary.peak_mb.items()},
        "worker_cpu_s": {k: round(v, 1) for k, v in summary.cpu_s.items()},
        "driver_cpu_s": round(time.process_time(), 1),
        "output_bytes": summary.bytes,
    }
    if out.is_dir():
        shutil.rmtree(out)
    else:
        out.unlink()
    return result


def table_for(n: int) -> Path:
    sys.path.insert(0, str(HERE))
    from synthetic import write_flows

    folder = CACHE / f"flows-{n}"
    path = folder / "flows.csv"
    if not path.exists():
        write_flows(folder, n)
    return path


def run_case(table: Path, engine: str, workers: int, timeout: float) -> dict[str, object]:
    start = time.perf_counter()
    try:
        proc = subprocess.run(
            [sys.executable, __file__, "--case", str(table), engine, str(workers)],
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return {"status": "timeout"}
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        return {"status": "failed", "stderr": proc.stderr[-2000:]}
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["wall_seconds"] = round(wall, 2)
    result["status"] = "ok"
    return result


def slope(xs: list[float], ys: list[float]) -> float | None:
    """Least-squares slope of ys over xs."""
    if len(xs) < 2:
        return None
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    den = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / den if den else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", nargs=3, metavar=("TABLE", "ENGINE", "WORKERS"))
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=3600)
    parser.add_argument("--json", type=Path, default=HERE / "results-flows.json")
    args = parser.parse_args()
    if args.case:
        table, engine, workers = args.case
        print(json.dumps(case(Path(table), engine, int(workers))))
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = []
    for n in sizes:
        table = table_for(n)
        for engine in ("local", "dask"):
            r = run_case(table, engine, args.workers, args.timeout)
            r |= {"size": n, "engine": engine}
            rows.append(r)
            print(json.dumps(r), file=sys.stderr, flush=True)
    report = {
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "load_at_start": os.getloadavg(),
        },
        "workers": args.workers,
        "cases": rows,
    }
    ok = [r for r in rows if r.get("status") == "ok"]
    for engine in ("local", "dask"):
        # Growth over the sizes whose partitions are full (--partition-rows 50,000).
        mine = [r for r in ok if r["engine"] == engine and int(r["size"]) >= 100_000]  # type: ignore[call-overload]
        xs = [r["size"] / 100_000 for r in mine]
        peaks = [max(r["worker_peak_mb"].values()) for r in mine]  # type: ignore[union-attr]
        report[f"{engine}_seconds_per_100k"] = slope(xs, [r["wall_seconds"] for r in mine])
        report[f"{engine}_peak_mb_per_100k"] = slope(xs, peaks)
    args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(markdown(rows, args.workers))


def markdown(rows: list[dict[str, object]], workers: int) -> str:
    lines = [
        "| flows | engine | wall time | flows/s | speed-up | CPU per worker | CPU speed-up | "
        "driver peak | peak per worker | output |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    local = {r["size"]: r for r in rows if r["engine"] == "local" and r.get("status") == "ok"}
    for r in rows:
        label = "local" if r["engine"] == "local" else f"dask, {workers} workers"
        if r.get("status") != "ok":
            lines.append(f"| {r['size']:,} | {label} | {r.get('status')} | | | | | | | |")
            continue
        wall = float(r["wall_seconds"])  # type: ignore[arg-type]
        base = local.get(r["size"])
        speed = f"{float(base['wall_seconds']) / wall:.2f}×" if base else ""  # type: ignore[arg-type]
        peaks = r["worker_peak_mb"].values()  # type: ignore[union-attr]
        cpus = list(r["worker_cpu_s"].values())  # type: ignore[union-attr]
        per_cpu = " / ".join(f"{c:,.1f}" for c in cpus) + " s"
        cpu_speed = ""
        if base:
            cpu_speed = f"{max(base['worker_cpu_s'].values()) / max(cpus):.2f}×"  # type: ignore[union-attr]
        per_worker = " / ".join(f"{p:,.0f}" for p in peaks) + " MB"
        driver = "(same)" if r["engine"] == "local" else f"{r['driver_peak_mb']:,.0f} MB"
        lines.append(
            f"| {r['size']:,} | {label} | {wall:,.1f} s | {int(r['size']) / wall:,.0f} | "  # type: ignore[call-overload]
            f"{speed} | {per_cpu} | {cpu_speed} | {driver} | {per_worker} | "
            f"{int(r['output_bytes']) / 1e6:,.0f} MB |"  # type: ignore[call-overload]
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
