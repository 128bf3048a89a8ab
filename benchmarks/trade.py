"""Trade statistics at scale: `geo flows --preset comtrade` against the plain script, side by side.

For each size (default 200,000 and 1,000,000 rows) the Comtrade-layout table of ``comtrade.py``
(cached in ``benchmarks/.cache/``) is run, each case in a fresh process, one after another:

- ``geo``: ``geo flows TABLE --preset comtrade --skip-aggregates -o OUT.parquet`` (local engine);
- ``plain``: ``plain_flows.py`` (pandas reads the table, each distinct origin-destination-mode is
  routed once with searoute or pyproj.Geod, the paths are merged back, geopandas writes
  GeoParquet), the script users compare geo with;
- ``dask``: the same run on a 2-worker LocalCluster, for the split of CPU time between workers;
- ``map``: ``geo flows TABLE --preset comtrade --skip-aggregates -o map.html``, the trade map.

Wall time and peak resident memory come from the operating system for the whole process
(``os.wait4``: imports, start-up and writing included); the Dask case also reports each worker's
CPU time. Run as ``python benchmarks/trade.py [--sizes 200000,1000000]``; it prints a Markdown
table and writes ``benchmarks/results-trade.json``. Needs ``pip install -e ".[dask]"``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"
GEO = [sys.executable, "-m", "geo", "flows", "-q"]
PRESET = ["--preset", "comtrade", "--skip-aggregates"]


def table_for(n: int) -> Path:
    sys.path.insert(0, str(HERE))
    from comtrade import write_comtrade

    path = CACHE / f"comtrade-{n}.csv"
    if not path.exists():
        write_comtrade(path, n)
    return path


def measured(cmd: list[str]) -> dict[str, object]:
    """Run a command; its wall time, CPU time and peak resident memory (the OS's account)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    out = proc.stdout.read().decode() if proc.stdout else ""
    err = proc.stderr.read().decode() if proc.stderr else ""
    code = os.waitstatus_to_exitcode(status)
    return {
        "status": "ok" if code == 0 else f"exit {code}: {err[-500:]}",
        "wall_s": round(wall, 2),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
        "peak_mb": round(usage.ru_maxrss / 1024, 1),
        "stdout": out.strip().splitlines()[-1] if out.strip() else "",
    }


def dask_case(table: Path, out: Path, workers: int) -> dict[str, object]:
    """In this process (run as --dask): run_flows on a LocalCluster, with each worker's CPU."""
    from geo.engines import run_flows
    from geo.layouts import layout

    s = run_flows(
        table,
        out,
        engine="dask",
        workers=workers,
        layout=layout(preset="comtrade", skip_aggregates=True),
    )
    return {
        "rows": s.rows,
        "skipped": s.skipped,
        "worker_cpu_s": {k: round(v, 2) for k, v in s.cpu_s.items()},
        "worker_peak_mb": {k: round(v, 1) for k, v in s.peak_mb.items()},
    }


def rows_of(path: Path) -> int:
    import pyarrow.parquet as pq

    if path.is_dir():
        return sum(pq.ParquetFile(p).metadata.num_rows for p in path.glob("*.parquet"))
    return int(pq.ParquetFile(path).metadata.num_rows)


def run_size(n: int, workers: int) -> dict[str, object]:
    import shutil

    table = table_for(n)
    work = CACHE / f"trade-out-{n}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    out: dict[str, object] = {"rows": n}
    geo = measured([*GEO, str(table), *PRESET, "-o", str(work / "geo.parquet")])
    geo["rows_out"] = rows_of(work / "geo.parquet") if geo["status"] == "ok" else None
    out["geo"] = geo
    plain = measured([sys.executable, str(HERE / "plain_flows.py"), str(table),
                      str(work / "plain.parquet")])  # fmt: skip
    plain["rows_out"] = rows_of(work / "plain.parquet") if plain["status"] == "ok" else None
    out["plain"] = plain
    dask = measured([sys.executable, __file__, "--dask", str(table), str(work / "dask.parquet"),
                     str(workers)])  # fmt: skip
    if dask["status"] == "ok":
        dask |= json.loads(str(dask.pop("stdout")))
    out["dask"] = dask
    page = work / "map.html"
    trade = measured([*GEO, str(table), *PRESET, "-o", str(page)])
    if trade["status"] == "ok":
        data = page.read_bytes()
        trade |= {"bytes": len(data), "gzip_bytes": len(gzip.compress(data, 9))}
    out["map"] = trade
    g, p = out["geo"], out["plain"]
    if g["status"] == p["status"] == "ok":  # type: ignore[index]
        out["speed_vs_plain"] = round(float(p["wall_s"]) / float(g["wall_s"]), 2)  # type: ignore[index, arg-type]
        out["memory_vs_plain"] = round(float(g["peak_mb"]) / float(p["peak_mb"]), 2)  # type: ignore[index, arg-type]
    if g["status"] == "ok" and dask["status"] == "ok":  # type: ignore[index]
        most = max(dask["worker_cpu_s"].values())  # type: ignore[union-attr]
        out["dask_cpu_split"] = round(float(g["cpu_s"]) / most, 2)  # type: ignore[index, arg-type]
    shutil.rmtree(work, ignore_errors=True)
    return out


def markdown(cases: list[dict[str, object]]) -> str:
    lines = [
        "| rows | geo (local) | plain script | geo vs plain | dask, 2 workers: CPU per worker | "
        "CPU split | trade map |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for c in cases:
        g, p, d, m = c["geo"], c["plain"], c["dask"], c["map"]
        cpu = " / ".join(f"{v:,.1f}" for v in d.get("worker_cpu_s", {}).values())  # type: ignore[union-attr]
        lines.append(
            f"| {c['rows']:,} | {g['wall_s']:,.1f} s, {g['peak_mb']:,.0f} MB | "  # type: ignore[index]
            f"{p['wall_s']:,.1f} s, {p['peak_mb']:,.0f} MB | "  # type: ignore[index]
            f"{c.get('speed_vs_plain')}× speed, {c.get('memory_vs_plain')}× memory | "
            f"{cpu} s (local {g['cpu_s']:,.1f} s) | {c.get('dask_cpu_split')}× | "  # type: ignore[index]
            f"{int(m.get('bytes', 0)) / 1e6:,.1f} MB, "  # type: ignore[union-attr]
            f"{int(m.get('gzip_bytes', 0)) / 1e6:,.2f} MB gz, {m['wall_s']:,.1f} s |"  # type: ignore[union-attr, index]
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="200000,1000000")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", type=Path, default=HERE / "results-trade.json")
    parser.add_argument("--dask", nargs=3, metavar=("TABLE", "OUT", "WORKERS"))
    args = parser.parse_args()
    if args.dask:
        table, out, workers = args.dask
        print(json.dumps(dask_case(Path(table), Path(out), int(workers))))
        return
    cases = []
    for n in (int(s) for s in args.sizes.split(",")):
        c = run_size(n, args.workers)
        print(json.dumps(c), file=sys.stderr, flush=True)
        cases.append(c)
    report = {
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "load_at_start": os.getloadavg(),
        },
        "cases": cases,
    }
    args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(markdown(cases))


if __name__ == "__main__":
    main()
