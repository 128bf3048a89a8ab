"""geo's benchmarks: start-up, the main job against hand-written scripts, page weight, scale.

    python benchmarks/run.py [--quick] [--only startup,main,weight,scale] [--json FILE]

Prints Markdown tables and writes everything measured, with the machine it ran on, as JSON
(default ``benchmarks/results.json``, or ``benchmarks/results-quick.json`` with ``--quick``).
Every command runs in its own process with a time limit; what does not finish in time is
recorded as ``timeout``. See benchmarks/README.md for what each row means.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gzip
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import sysconfig
import tarfile
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from time import perf_counter
from typing import Any

import numpy as np
import synthetic  # benchmarks/synthetic.py: python puts this script's folder on sys.path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent

SECTIONS = ("startup", "main", "weight", "scale")
TIMEOUT_S = 120.0
# A 1-minute load average above this at the start means something else is using the CPUs.
BUSY_LOAD = 0.5
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
# The map is drawn: geo-map.js has run and Leaflet has put the legs in the overlay pane.
DRAWN = """() => window.geoMap !== undefined &&
    document.querySelector('.leaflet-overlay-pane canvas, .leaflet-overlay-pane path') !== null"""
NEXT_FRAME = "() => new Promise(done => requestAnimationFrame(() => done()))"

# The CDN assets a folium 0.20 page pulls, from npm, laid out as pageweight.py expects:
# (package, version, folder in the cache, the files the page loads, what folium references).
CDN_ASSETS = [
    (
        "leaflet",
        "1.9.3",
        "x_leaflet-1.9.3",
        ["dist/leaflet.js", "dist/leaflet.css"],
        "leaflet@1.9.3",
    ),
    ("jquery", "3.7.1", "x_jquery-3.7.1", ["dist/jquery.min.js"], "jquery-3.7.1"),
    (
        "bootstrap",
        "5.2.2",
        "x_bootstrap-5.2.2",
        ["dist/js/bootstrap.bundle.min.js", "dist/css/bootstrap.min.css"],
        "bootstrap@5.2.2",
    ),
    (
        "@fortawesome/fontawesome-free",
        "6.2.0",
        "x_fortawesome-fontawesome-free-6.2.0",
        ["css/all.min.css"],
        "fontawesome-free@6.2.0",
    ),
    # folium links 2.0.2 on cdnjs, a version npm never had; the dist/ files of npm's 2.0.0 and
    # 2.0.4 are byte-identical (the code calls itself 2.0.1), so 2.0.4 stands in for it.
    (
        "leaflet.awesome-markers",
        "2.0.4",
        "x_am",
        ["dist/leaflet.awesome-markers.min.js", "dist/leaflet.awesome-markers.css"],
        "Leaflet.awesome-markers/2.0.2",
    ),
]


@dataclass
class Run:
    """One finished (or stopped) process."""

    seconds: float
    returncode: int | None
    stdout: str
    stderr: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    @property
    def status(self) -> str:
        if self.returncode is None:
            return "timeout"
        return "ok" if self.ok else f"error (exit {self.returncode}): {self.stderr.strip()[-300:]}"


# Commands run as on a user's machine: Python writes and reads bytecode. (Some sandboxes set
# PYTHONDONTWRITEBYTECODE, which recompiles geo's modules from source on every run, about 0.05
# s, while the baselines' site-packages were compiled at install.)
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run(cmd: list[str], timeout: float = TIMEOUT_S, cwd: Path | None = None) -> Run:
    """Run ``cmd``: wall time from before the fork to the reaped exit.

    A blocking ``waitpid`` in a thread times the exit exactly (``Popen.wait(timeout)`` polls, in
    steps of up to 50 ms); a process still running after ``timeout`` is killed with its group.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = perf_counter()
        proc = subprocess.Popen(
            cmd, stdout=out, stderr=err, cwd=cwd, start_new_session=True, env=ENV
        )
        reaped: dict[str, Any] = {}

        def reap() -> None:
            _, status = os.waitpid(proc.pid, 0)
            reaped.update(end=perf_counter(), status=status)

        waiter = threading.Thread(target=reap)
        waiter.start()
        waiter.join(timeout)
        timed_out = waiter.is_alive()
        if timed_out:
            os.killpg(proc.pid, signal.SIGKILL)
            waiter.join()
        proc.returncode = os.waitstatus_to_exitcode(reaped["status"])  # reaped here, not by Popen
        out.seek(0)
        err.seek(0)
        return Run(
            seconds=reaped["end"] - start,
            returncode=None if timed_out else proc.returncode,
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
        )


def geo_command() -> list[str]:
    """The ``geo`` console script that pip installed for this Python (not a pyenv shim)."""
    script = Path(sysconfig.get_path("scripts")) / "geo"
    if script.exists():
        return [str(script)]
    found = shutil.which("geo")
    if found is None:
        sys.exit("geo is not installed: run `pip install .` in the repository first")
    return [found]


def median(values: list[float]) -> float:
    return statistics.median(values)


def gz(data: bytes) -> int:
    return len(gzip.compress(data, 9))


def slope(ns: list[int], values: list[float | None]) -> float | None:
    """Growth exponent: the slope of log(value) on log(n) over the three largest sizes measured
    (at small sizes fixed costs dominate, which is not growth)."""
    points = [(n, v) for n, v in zip(ns, values, strict=True) if v][-3:]
    if len(points) < 2:
        return None
    x, y = np.log([p[0] for p in points]), np.log([p[1] for p in points])
    return round(float(np.polyfit(x, y, 1)[0]), 2)


# -- the machine ---------------------------------------------------------------------------------


def _cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _ram_gb() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return round(int(line.split()[1]) / 1024**2, 1)
    return float("nan")


def _chromium_version() -> str | None:
    if not Path(CHROMIUM).exists():
        return None
    out = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True).stdout
    return out.strip() or None


def _git() -> dict[str, Any]:
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True).stdout

    changed = [line[3:] for line in git("status", "--porcelain").splitlines()]
    return {
        "commit": git("rev-parse", "--short", "HEAD").strip(),
        "dirty": bool(changed),
        "changed": changed,
    }


def machine() -> dict[str, Any]:
    from importlib.metadata import PackageNotFoundError, version
    from importlib.util import find_spec

    packages = {}
    for name in ("geo-itinerary", "geopandas", "shapely", "pyproj", "numpy", "pandas", "folium"):
        try:
            packages[name] = version(name)
        except PackageNotFoundError:
            packages[name] = None
    return {
        "nproc": len(os.sched_getaffinity(0)),
        "cpu": _cpu_model(),
        "ram_gb": _ram_gb(),
        "python": platform.python_version(),
        "chromium": _chromium_version(),
        "os": platform.platform(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "packages": packages,
        # pip install . measures an installed copy; pip install -e . the working tree.
        "geo_imported_from": str(Path(find_spec("geo").origin).parent)
        if find_spec("geo")
        else None,
        "git": _git(),
    }


# -- 1. start-up ---------------------------------------------------------------------------------


def bench_startup(cfg: argparse.Namespace, rows: list[dict[str, Any]]) -> dict[str, Any]:
    geo = geo_command()
    run([*geo, "--help"])  # warm the disk cache and the bytecode
    times = [run([*geo, "--help"]).seconds for _ in range(cfg.repeats_startup)]
    out: dict[str, Any] = {"command": [*geo, "--help"], "seconds": times, "median_s": median(times)}
    rows.append(
        {
            "section": "startup",
            "measure": f"`geo --help` wall time, median of {len(times)}",
            "value": f"{median(times):.3f} s",
            "target": "< 0.3 s",
            "met": median(times) < 0.3,
        }
    )
    return out


# -- 2. the main job -----------------------------------------------------------------------------


def _check_baseline_stops() -> str | None:
    """The baselines hard-code the bundled trip's stops; say so if the trip has changed."""
    import importlib.util

    import geo

    trip = geo.load_trip(geo.bundled_trip())
    actual = [
        (label, round(p.y, 5), round(p.x, 5))
        for label, p in zip(trip.stops[f"label_{trip.meta.lang}"], trip.stops.geometry, strict=True)
    ]
    for name in ("folium_script", "explore_script"):
        spec = importlib.util.spec_from_file_location(name, HERE / f"{name}.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        if actual != module.STOPS:
            return f"benchmarks/{name}.py: STOPS differ from the bundled trip's {actual}"
    return None


def bench_main(cfg: argparse.Namespace, work: Path, rows: list[dict[str, Any]]) -> dict[str, Any]:
    # Babel's cost: the same process with and without CLDR formatting (import, locale data,
    # the first date interval and amount), in each language.
    babel = (
        "import sys, datetime as d; from geo.i18n import locale; l = locale(sys.argv[1]);"
        " l.date_range(d.date(2024, 6, 10), d.date(2024, 6, 16), year=True);"
        " l.money(2e8, 'USD'); l.number(14237.4); l.country('KZ')"
    )
    commands = {
        "geo map": [*geo_command(), "map", "-o", str(work / "geo-map.html")],
        **{
            f"geo map --lang {lang}": [
                *geo_command(),
                "map",
                "--lang",
                lang,
                "-o",
                str(work / f"geo-map.{lang}.html"),
            ]
            for lang in ("ko", "ru", "ja")
        },
        "import geo.i18n": [sys.executable, "-c", "import geo.i18n"],
        **{
            f"import geo.i18n + CLDR formats ({lang})": [sys.executable, "-c", babel, lang]
            for lang in ("en", "ko", "ru", "ja")
        },
        "folium script": [
            sys.executable,
            str(HERE / "folium_script.py"),
            str(work / "folium.html"),
        ],
        "explore() script": [
            sys.executable,
            str(HERE / "explore_script.py"),
            str(work / "explore.html"),
        ],
    }
    out: dict[str, Any] = {"stops_check": _check_baseline_stops(), "runs": {}}
    times: dict[str, list[float]] = {name: [] for name in commands}
    # One warm-up round, then rounds that take turns, so a slow spell hits every command alike.
    for round_ in range(cfg.repeats_main + 1):
        for name, cmd in commands.items():
            if name in out["runs"]:
                continue  # it failed: the reason is recorded, once
            result = run(cmd, cwd=work)
            if not result.ok:
                out["runs"][name] = result.status
            elif round_:
                times[name].append(result.seconds)
    for name, cmd in commands.items():
        if name in out["runs"]:
            rows.append({"section": "main", "measure": name, "value": out["runs"][name]})
            continue
        out["runs"][name] = {
            "command": cmd,
            "seconds": times[name],
            "median_s": median(times[name]),
        }
        rows.append(
            {
                "section": "main",
                "measure": f"{name}: wall time, median of {len(times[name])}",
                "value": f"{median(times[name]):.2f} s",
                "target": "",
                "met": None,
            }
        )
    if all(isinstance(v, dict) for v in out["runs"].values()):
        m = {name: out["runs"][name]["median_s"] for name in commands}
        out["ratio_vs_explore"] = m["geo map"] / m["explore() script"]
        out["ratio_vs_folium"] = m["geo map"] / m["folium script"]
        for lang in ("en", "ko", "ru", "ja"):
            cost = m[f"import geo.i18n + CLDR formats ({lang})"] - m["import geo.i18n"]
            out[f"babel_cost_{lang}_s"] = cost
            rows.append(
                {
                    "section": "main",
                    "measure": f"Babel's cost in a run ({lang}): CLDR import, data, first formats",
                    "value": f"{cost * 1000:.0f} ms",
                    "target": "",
                    "met": None,
                }
            )
        for lang in ("ko", "ru", "ja"):
            ratio = m[f"geo map --lang {lang}"] / m["folium script"]
            out[f"ratio_vs_folium_{lang}"] = ratio
            rows.append(
                {
                    "section": "main",
                    "measure": f"`geo map --lang {lang}` ÷ folium script",
                    "value": f"{ratio:.2f}×",
                    "target": "≤ 1.25",
                    "met": ratio <= 1.25,
                }
            )
        rows += [
            {
                "section": "main",
                "measure": "`geo map` ÷ explore() script",
                "value": f"{out['ratio_vs_explore']:.2f}×",
                "target": "< 1",
                "met": out["ratio_vs_explore"] < 1,
            },
            {
                "section": "main",
                "measure": "`geo map` ÷ folium script",
                "value": f"{out['ratio_vs_folium']:.2f}×",
                "target": "≤ 1.25",
                "met": out["ratio_vs_folium"] <= 1.25,
            },
        ]
    return out


# -- 3. page weight ------------------------------------------------------------------------------


def _pageweight(cfg: argparse.Namespace) -> Path | None:
    candidates = [cfg.pageweight] if cfg.pageweight else []
    candidates.append(REPO.parent / "shared" / "tools" / "pageweight.py")
    return next((Path(c) for c in candidates if Path(c).is_file()), None)


def cdn_cache(cache: Path) -> dict[str, Any]:
    """The folium page's CDN assets from npm, packed once into ``cache`` and measured there."""
    manifest_path = cache / "manifest.json"
    if manifest_path.exists():
        manifest: dict[str, Any] = json.loads(manifest_path.read_text())
        if [a["version"] for a in manifest["assets"]] == [a[1] for a in CDN_ASSETS]:
            return manifest
    if shutil.which("npm") is None:
        raise RuntimeError("npm not found; it fetches the CDN assets folium's page uses")
    cache.mkdir(parents=True, exist_ok=True)
    assets = []
    for package, version, folder, files, _ in CDN_ASSETS:
        packed = subprocess.run(
            ["npm", "pack", f"{package}@{version}", "--json", "--pack-destination", str(cache)],
            capture_output=True,
            text=True,
            check=True,
        )
        info = json.loads(packed.stdout)[0]
        tgz = cache / info["filename"]
        target = cache / folder
        shutil.rmtree(target, ignore_errors=True)
        with tarfile.open(tgz) as tar:
            if hasattr(tarfile, "data_filter"):
                tar.extractall(target, filter="data")
            else:  # Python before 3.10.12 / 3.11.4
                tar.extractall(target)
        tgz.unlink()
        measured = {}
        for f in files:
            data = (target / "package" / f).read_bytes()
            measured[f] = {"bytes": len(data), "gzip": gz(data)}
        assets.append(
            {
                "package": package,
                "version": version,
                "integrity": info["integrity"],
                "folder": folder,
                "files": measured,
            }
        )
    manifest = {"packed": dt.date.today().isoformat(), "assets": assets}
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def _folium_references() -> list[str]:
    """The CDN versions this folium links that differ from the npm copies measured."""
    import folium

    urls = " ".join(url for _, url in (*folium.Map.default_js, *folium.Map.default_css))
    return [ref for *_, ref in CDN_ASSETS if ref not in urls]


def bench_weight(cfg: argparse.Namespace, work: Path, rows: list[dict[str, Any]]) -> dict[str, Any]:
    tool = _pageweight(cfg)
    if tool is None:
        reason = "skipped: pageweight.py not found (give --pageweight PATH)"
        rows.append({"section": "weight", "measure": "page weight", "value": reason})
        return {"skipped": reason}
    pages = {
        "geo map (default)": ([*geo_command(), "map", "-o", str(work / "w-geo.html")], "w-geo"),
        "folium script page": (
            [sys.executable, str(HERE / "folium_script.py"), str(work / "w-folium.html")],
            "w-folium",
        ),
        "explore() script page": (
            [sys.executable, str(HERE / "explore_script.py"), str(work / "w-explore.html")],
            "w-explore",
        ),
    }
    out: dict[str, Any] = {"tool": str(tool), "pages": {}}
    try:
        out["cdn"] = cdn_cache(cfg.cache / "cdn")
        cdn_args = ["--cdn-dir", str(cfg.cache / "cdn")]
    except (RuntimeError, subprocess.CalledProcessError) as exc:
        out["cdn"] = f"unavailable: {exc}"
        cdn_args = []
    out["folium_references_not_measured"] = _folium_references()
    for name, (cmd, stem) in pages.items():
        result = run(cmd, cwd=work)
        if result.ok:
            html = str(work / f"{stem}.html")
            result = run([sys.executable, str(tool), html, *cdn_args, "--json"])
        if not result.ok:
            status = result.status
            out["pages"][name] = status
            rows.append({"section": "weight", "measure": name, "value": status})
            continue
        w = json.loads(result.stdout)
        out["pages"][name] = w
        answered = "" if cdn_args or not w["external_requests"] else " (CDN assets not fetched)"
        rows.append(
            {
                "section": "weight",
                "measure": f"{name}: gzipped bytes incl. fetched assets, excl. tiles "
                f"({w['external_requests']} requests to {len(w['hosts'])} hosts, "
                f"{w['console_errors']} console errors){answered}",
                "value": f"{w['total_gz_excl_tiles']:,} B",
                "target": "",
                "met": None,
            }
        )
    return out


# -- 4. scale ------------------------------------------------------------------------------------


def render_times(files: list[Path], repeats: int) -> dict[Path, float | str]:
    """Seconds from ``goto`` to the map's drawn state plus one animation frame, in Chromium with
    the network blocked; the median of ``repeats`` fresh pages."""
    from playwright.sync_api import Error, sync_playwright

    out: dict[Path, float | str] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

        def once(path: Path) -> float:
            page = browser.new_page(viewport={"width": 1000, "height": 700})
            page.route(
                "**/*",
                lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort(),
            )
            try:
                start = perf_counter()
                page.goto(path.as_uri(), wait_until="commit", timeout=TIMEOUT_S * 1000)
                page.wait_for_function(DRAWN, polling="raf", timeout=TIMEOUT_S * 1000)
                page.evaluate(NEXT_FRAME)
                return perf_counter() - start
            finally:
                page.close()

        for path in files[:1]:
            with contextlib.suppress(Error):
                once(path)  # warm up the browser
        for path in files:
            try:
                out[path] = median([once(path) for _ in range(repeats)])
            except Error as exc:
                out[path] = "timeout" if "Timeout" in str(exc) else f"error: {exc}"[:300]
        browser.close()
    return out


def _map(folder: Path, n: int, html: Path) -> dict[str, Any]:
    """``geo map`` of a synthetic trip: wall time and page size."""
    made = run([*geo_command(), "map", str(folder), "-o", str(html)])
    if not made.ok:
        return {"map_status": made.status}
    data = html.read_bytes()
    return {
        "map_status": "ok",
        "map_s": made.seconds,
        "html_bytes": len(data),
        "html_gzip": gz(data),
        "html_bytes_per_leg": len(data) / n,
        "html": html,
    }


def _series(cfg: argparse.Namespace, kind: str, work: Path) -> list[dict[str, Any]]:
    series: list[dict[str, Any]] = []
    stopped = ""
    for n in cfg.sizes:
        entry: dict[str, Any] = {"n": n}
        series.append(entry)
        if stopped:
            entry["status"] = stopped
            continue
        folder = synthetic.write(kind, work / f"{kind}-{n}", n)
        worker = run(
            [sys.executable, str(HERE / "scale_worker.py"), str(folder), str(work / "x.json")]
        )
        entry["status"] = worker.status
        if not worker.ok:
            stopped = f"skipped: {n:,} legs gave {worker.status.split(':')[0]}"
            continue
        entry |= json.loads(worker.stdout)
        entry["process_s"] = worker.seconds
        if n <= cfg.map_max:
            entry |= _map(folder, n, work / f"{kind}-{n}.html")
    return series


def _growth(series: list[dict[str, Any]]) -> dict[str, float | None]:
    ns = [e["n"] for e in series]

    def col(key: str, above_smallest: bool = False) -> list[float | None]:
        values = [e.get(key) if isinstance(e.get(key), float | int) else None for e in series]
        if above_smallest and values and values[0] is not None:
            # Memory and page size start from a fixed base (interpreter, libraries; Leaflet and
            # the basemap): the growth is in what comes on top of it.
            return [None, *(v - values[0] if v is not None else None for v in values[1:])]
        return values

    return {
        "load_to_export_s": slope(ns, col("work_s")),
        "densify_s": slope(ns, col("densify_s")),
        "export_s": slope(ns, col("export_s")),
        "peak_mb_above_smallest": slope(ns, col("peak_mb", above_smallest=True)),
        "html_bytes_above_smallest": slope(ns, col("html_bytes", above_smallest=True)),
        "render_s": slope(ns, col("render_s")),
    }


def bench_scale(cfg: argparse.Namespace, work: Path, rows: list[dict[str, Any]]) -> dict[str, Any]:
    from geo.render.payload import LARGE

    out: dict[str, Any] = {"sizes": cfg.sizes, "kinds": {}}
    for kind in synthetic.KINDS:
        out["kinds"][kind] = _series(cfg, kind, work)
    # The largest map still drawn as SVG with labelled markers (LARGE stops, one leg fewer): past
    # it the map switches to a canvas, so this, not the biggest trip, may be the slowest to draw.
    n = LARGE - 1
    folder = synthetic.write("trip", work / f"svg-{n}", n)
    out["svg_limit"] = {"n": n, **_map(folder, n, work / f"svg-{n}.html")}

    entries = [e for s in out["kinds"].values() for e in s] + [out["svg_limit"]]
    if cfg.render:
        try:
            drawn = render_times([e["html"] for e in entries if "html" in e], cfg.repeats_render)
        except Exception as exc:  # playwright or Chromium missing: the rest still stands
            drawn = {}
            out["render_skipped"] = f"{type(exc).__name__}: {exc}"[:300]
        for e in entries:
            if "html" in e:
                e["render_s"] = drawn.get(e["html"], out.get("render_skipped", "skipped"))
    for e in entries:
        e.pop("html", None)
    out["growth_log_log_slope"] = {kind: _growth(s) for kind, s in out["kinds"].items()}

    trips = {e["n"]: e for e in out["kinds"]["trip"]}
    big = max(cfg.sizes)
    e, full = trips[big], big == 100_000
    if "process_s" in e:
        rows += [
            {
                "section": "scale",
                "measure": f"trip of {big:,} legs, load → export, whole process",
                "value": f"{e['process_s']:.1f} s",
                "target": "< 10 s" if full else "",
                "met": e["process_s"] < 10 if full else None,
            },
            {
                "section": "scale",
                "measure": f"trip of {big:,} legs, load → export, peak memory",
                "value": f"{e['peak_mb']:,.0f} MB",
                "target": "< 2 GB" if full else "",
                "met": e["peak_mb"] < 2048 if full else None,
            },
        ]
    else:
        rows.append(
            {
                "section": "scale",
                "measure": f"trip of {big:,} legs, load → export",
                "value": e["status"],
                "target": "< 10 s, < 2 GB" if full else "",
                "met": False if full else None,
            }
        )
    # The 2 s target is set for 10,000 legs; a smaller map should not take longer.
    biggest = max(m for m in cfg.sizes if m <= cfg.map_max)
    maps = [(f"trip map of {biggest:,} legs", trips[biggest], biggest == 10_000)]
    maps.append((f"trip map of {n:,} legs (the largest drawn as SVG)", out["svg_limit"], True))
    for name, e, judged in maps:
        r = e.get("render_s", "skipped")
        rows.append(
            {
                "section": "scale",
                "measure": f"{name}: Chromium draws it in",
                "value": f"{r:.2f} s" if isinstance(r, float) else r,
                "target": "< 2 s" if judged else "",
                "met": (r < 2 if isinstance(r, float) else False) if judged else None,
            }
        )
    return out


# -- tables --------------------------------------------------------------------------------------


def _cell(v: Any, fmt: str) -> str:
    return format(v, fmt) if isinstance(v, float | int) else ("–" if v is None else str(v))


def summary_table(rows: list[dict[str, Any]]) -> str:
    lines = ["| section | measure | value | target | met |", "|---|---|---|---|---|"]
    for r in rows:
        met = {True: "yes", False: "**no**", None: ""}[r.get("met")]
        lines.append(
            f"| {r['section']} | {r['measure']} | {r['value']} | {r.get('target', '')} | {met} |"
        )
    return "\n".join(lines)


def scale_table(kind: str, series: list[dict[str, Any]]) -> str:
    head = (
        "| legs | status | process s | read+validate s | densify s | frames s | export s "
        "| peak MB | vertices | GeoJSON MB | `geo map` s | HTML bytes | HTML B/leg | gzip B/leg "
        "| Chromium draws s |"
    )
    lines = [f"{kind}:", "", head, "|" + "---|" * 15]
    for e in series:
        ok = "status" in e and e["status"] == "ok"
        n = e["n"]
        cells = [
            f"{n:,}",
            e.get("status", "") if not ok else "ok",
            _cell(e.get("process_s"), ".2f"),
            _cell(e["read_s"] + e["validate_s"], ".2f") if ok else "–",
            _cell(e.get("densify_s"), ".2f"),
            _cell(e.get("frames_s"), ".2f"),
            _cell(e.get("export_s"), ".2f"),
            _cell(e.get("peak_mb"), ",.0f"),
            _cell(e.get("vertices"), ","),
            _cell(e["geojson_bytes"] / 1e6 if ok else None, ".1f"),
            _cell(e.get("map_s"), ".2f") if "map_s" in e else e.get("map_status", "–"),
            _cell(e.get("html_bytes"), ","),
            _cell(e.get("html_bytes_per_leg"), ",.0f"),
            _cell(e["html_gzip"] / n if "html_gzip" in e else None, ",.0f"),
            _cell(e.get("render_s"), ".2f"),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def growth_table(growth: dict[str, dict[str, float | None]]) -> str:
    keys = list(next(iter(growth.values())))
    lines = ["| series | " + " | ".join(keys) + " |", "|---|" + "---|" * len(keys)]
    for kind, g in growth.items():
        lines.append(f"| {kind} | " + " | ".join(_cell(g[k], ".2f") for k in keys) + " |")
    return "\n".join(lines)


# -- main ----------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="sizes up to 1,000 and fewer repeats")
    p.add_argument(
        "--only", default=",".join(SECTIONS), help="comma-separated: " + ",".join(SECTIONS)
    )
    p.add_argument("--json", type=Path, default=None, help="where to write the results")
    p.add_argument("--sizes", default=None, help="scale sizes, e.g. 1000,100000")
    p.add_argument("--no-render", dest="render", action="store_false", help="skip Chromium")
    p.add_argument("--pageweight", default=None, help="path of pageweight.py")
    p.add_argument("--cache", type=Path, default=HERE / ".cache", help="npm asset cache")
    cfg = p.parse_args(argv)
    cfg.only = [s.strip() for s in cfg.only.split(",") if s.strip()]
    unknown = set(cfg.only) - set(SECTIONS)
    if unknown:
        p.error(f"--only: unknown section {', '.join(sorted(unknown))}; use {', '.join(SECTIONS)}")
    if cfg.sizes:
        cfg.sizes = sorted(int(s.replace("_", "")) for s in cfg.sizes.split(","))
    else:
        cfg.sizes = [10, 100, 1_000] if cfg.quick else [10, 100, 1_000, 10_000, 100_000]
    cfg.map_max = 10_000
    cfg.repeats_startup = 5 if cfg.quick else 10
    cfg.repeats_main = 3 if cfg.quick else 5
    cfg.repeats_render = 1 if cfg.quick else 3
    if cfg.json is None:
        cfg.json = HERE / ("results-quick.json" if cfg.quick else "results.json")
    return cfg


def main(argv: list[str] | None = None) -> int:
    cfg = parse_args(argv)
    started = perf_counter()
    results: dict[str, Any] = {
        "command": " ".join(["python benchmarks/run.py", *(argv or sys.argv[1:])]),
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "machine": machine(),
        "config": {"quick": cfg.quick, "sections": cfg.only, "sizes": cfg.sizes},
    }
    busy = results["machine"]["load_average_at_start"][0]
    if busy > BUSY_LOAD:
        print(f"warning: load average {busy} before starting; other work inflates the times")
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="geo-bench-") as tmp:
        work = Path(tmp)
        if "startup" in cfg.only:
            results["startup"] = bench_startup(cfg, rows)
        if "main" in cfg.only:
            results["main"] = bench_main(cfg, work, rows)
        if "weight" in cfg.only:
            results["weight"] = bench_weight(cfg, work, rows)
        if "scale" in cfg.only:
            results["scale"] = bench_scale(cfg, work, rows)
    results["summary"] = rows
    results["total_s"] = perf_counter() - started

    m = results["machine"]
    print(
        f"\n{m['nproc']} CPUs ({m['cpu']}), {m['ram_gb']} GB RAM, Python {m['python']}, "
        f"{m['chromium'] or 'no Chromium'}; geo at {m['git']['commit']}"
        f"{' (uncommitted changes)' if m['git']['dirty'] else ''}\n"
    )
    print(summary_table(rows))
    if "scale" in results:
        for kind, series in results["scale"]["kinds"].items():
            print("\n" + scale_table(kind, series))
        svg = results["scale"]["svg_limit"]
        print(
            f"\ntrip of {svg['n']} legs, the largest SVG map: `geo map` "
            f"{_cell(svg.get('map_s'), '.2f')} s, {_cell(svg.get('html_bytes'), ',')} bytes, "
            f"Chromium draws it in {_cell(svg.get('render_s'), '.2f')} s"
        )
        print("\nGrowth (slope of log time or size on log legs, three largest sizes):\n")
        print(growth_table(results["scale"]["growth_log_log_slope"]))
    if results.get("main", {}).get("stops_check"):
        print(f"\nwarning: {results['main']['stops_check']}")
    print(f"\n{results['total_s']:.0f} s in all; wrote {cfg.json}")
    cfg.json.parent.mkdir(parents=True, exist_ok=True)
    cfg.json.write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
