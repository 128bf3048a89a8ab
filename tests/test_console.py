"""Console habits: -q prints errors only, -v the stages, progress on a terminal only, NO_COLOR."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from geo.cli import main

DATA = Path(__file__).parent / "data"
COMMANDS = ["validate", "info", "export", "map", "preview", "embed", "static", "video", "flows"]


def geo(*args: str, cwd: Path | None = None, env: dict | None = None):
    return subprocess.run(
        [sys.executable, "-m", "geo", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, **(env or {})},
    )


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_quiet_and_verbose(command):
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0
    assert "-q, --quiet" in result.output and "-v, --verbose" in result.output


def test_map_quiet_prints_nothing_on_success(tmp_path):
    proc = geo("map", "-q", "-o", str(tmp_path / "m.html"))
    assert proc.returncode == 0
    assert proc.stdout == "" and proc.stderr == ""
    assert (tmp_path / "m.html").stat().st_size > 10_000


@pytest.mark.parametrize(
    "args",
    [
        ["validate", "-q"],
        ["export", "-q", "-o", "{tmp}/t.geojson"],
        ["embed", "-q", "-o", "{tmp}/kit", "--no-fallback"],
        ["static", "-q", "-o", "{tmp}/t.png", "--size", "600x400"],
        ["video", "-q", "-o", "{tmp}/t.gif", "--size", "240x240", "--fps", "5"],
    ],
)
def test_quiet_is_silent_for_every_writer(tmp_path, args):
    proc = geo(*[a.format(tmp=tmp_path) for a in args])
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "" and proc.stderr == ""


def test_quiet_still_reports_errors_with_the_same_exit_code(tmp_path):
    proc = geo("map", "-q", str(tmp_path / "nope.yaml"))
    assert proc.returncode == 2
    assert proc.stderr.startswith("error: ") and "nope.yaml" in proc.stderr


def test_verbose_says_what_was_read_and_how_long_each_stage_took(tmp_path):
    proc = geo("map", "-v", str(DATA / "mini.yaml"), "-o", str(tmp_path / "m.html"))
    assert proc.returncode == 0, proc.stderr
    lines = proc.stderr.splitlines()
    assert any(line.startswith("read ") and line.endswith(" s") for line in lines), lines
    assert any("mini.yaml: 4 stops, 3 legs, 2 deals" in line for line in lines), lines
    assert any(line.startswith(f"write {tmp_path / 'm.html'}: ") for line in lines), lines


def test_quiet_and_verbose_together_is_a_usage_error():
    proc = geo("info", "-q", "-v")
    assert proc.returncode == 2 and "not both" in proc.stderr


def test_error_is_red_on_a_terminal_unless_no_color(tmp_path):
    runner = CliRunner()
    coloured = runner.invoke(main, ["validate", str(tmp_path / "x.yaml")], color=True)
    assert coloured.exit_code == 2 and "\x1b[31m" in coloured.stderr
    plain = runner.invoke(
        main, ["validate", str(tmp_path / "x.yaml")], color=True, env={"NO_COLOR": "1"}
    )
    assert plain.exit_code == 2 and "\x1b[" not in plain.stderr
    assert plain.stderr.startswith("error: ")


def _flows(tmp_path: Path, rows: int) -> Path:
    table = tmp_path / "flows.csv"
    with table.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["origin", "destination", "mode", "value_amount", "value_currency"])
        for i in range(rows):
            w.writerow(["Seoul", "Tashkent" if i % 2 else "Almaty", "air", str(i), "USD"])
    return table


def _on_a_terminal(args: list[str], cwd: Path) -> str:
    """Run with stderr on a pseudo-terminal, as a user at a shell sees it."""
    primary, secondary = os.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "geo", *args], cwd=cwd, stdout=subprocess.DEVNULL, stderr=secondary
    )
    os.close(secondary)
    chunks = []
    while True:
        try:
            data = os.read(primary, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=120)
    os.close(primary)
    assert proc.returncode == 0
    return b"".join(chunks).decode("utf-8", "replace")


def test_flows_progress_has_rate_and_eta_on_a_terminal_only(tmp_path):
    table = _flows(tmp_path, 4000)
    args = ["flows", str(table), "-o", "out.parquet", "--partition-rows", "500"]
    seen = _on_a_terminal(args, tmp_path)
    assert "flows" in seen and "%" in seen and "rows/s" in seen, seen
    assert "4000/4000" in seen.replace(",", "")
    piped = geo(*args, cwd=tmp_path)
    assert piped.returncode == 0
    assert "\r" not in piped.stderr and "%" not in piped.stderr
    assert piped.stderr.startswith("wrote ")


def test_many_trips_show_progress_on_a_terminal(tmp_path):
    seen = _on_a_terminal(
        ["map", str(DATA / "mini.yaml"), str(DATA / "pacific.yaml"), "-o", "maps/"], tmp_path
    )
    assert "trips" in seen and "2/2" in seen and "100%" in seen, seen
    quiet = _on_a_terminal(
        ["map", "-q", str(DATA / "mini.yaml"), str(DATA / "pacific.yaml"), "-o", "maps2/"],
        tmp_path,
    )
    assert quiet == ""
