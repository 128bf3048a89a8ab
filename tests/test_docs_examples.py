"""Docs that run: every example in README.md and docs/*.md, as a reader would try it.

- Shell blocks (```sh): each line is run with bash in a folder holding the files the examples
  name (``my-trip.yaml``, ``trade.csv``, ``visits/*.yaml``, ``data/gallery/*.yaml``), with ``geo`` the installed
  command; it must exit 0 (``comtrade.csv`` and ``exports.csv`` are tests/data's). Lines that need what a test cannot give are skipped, and pytest's
  report lists each with its reason: a server left running (``geo preview``), another
  machine (``--scheduler tcp://…``, ``dask scheduler``), the install and test commands
  themselves (CI runs them), and synopses (``[--lang ko]``).
- The examples in ``geo --help`` run the same way.
- YAML blocks that are whole trips validate; the CSV flow table of docs/flows.md routes; the
  Python block of the README runs (tests/test_readme.py).
- The ``error: …`` text blocks are checked where they are produced (tests/test_promises.py).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data"
DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]

# Why a line cannot run here; the first pattern that matches wins.
SKIPS = [
    (r"^pip install \.", "the install command (CI runs it on a fresh machine)"),
    (r"^bash scripts/test\.sh", "the test command itself (CI runs it)"),
    (r"^geo preview", "starts a server that runs until Ctrl-C (tests/test_preview.py)"),
    (r"--scheduler tcp://|^dask (scheduler|worker)", "needs a Dask cluster on other machines"),
    (r"\s\[--", "a synopsis, not a command"),
    (
        r"^pybabel ",
        "edits the clone's catalogs (tests/test_i18n.py runs the extract line and checks that "
        "every .mo is its .po compiled)",
    ),
]


def _blocks(lang: str) -> list[tuple[str, int, str]]:
    out = []
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        for m in re.finditer(rf"```{lang}\n(.*?)```", text, re.S):
            line = text[: m.start()].count("\n") + 2
            out.append((doc.name, line, m.group(1)))
    return out


def _commands() -> list[tuple[str, str]]:
    cmds = []
    for name, line, body in _blocks("sh"):
        for k, raw in enumerate(body.splitlines()):
            command = raw.split("  #")[0].strip()
            if command:
                cmds.append((f"{name}:{line + k}", command))
    from geo.cli import EXAMPLES

    for raw in EXAMPLES.splitlines():
        if raw.startswith("  geo "):
            # "geo map --lang ko        maps/…": the command, then what it gives.
            cmds.append(("geo --help", re.split(r"\s{2,}", raw.strip())[0]))
    return cmds


COMMANDS = _commands()


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A folder with the files the examples name, and ``geo`` first on PATH."""
    root = tmp_path_factory.mktemp("docs")
    shutil.copy(DATA / "mini.yaml", root / "my-trip.yaml")
    (root / "visits").mkdir()
    shutil.copy(DATA / "mini.yaml", root / "visits" / "mini.yaml")
    shutil.copy(DATA / "pacific.yaml", root / "visits" / "pacific.yaml")
    # The README's examples run from a clone: the gallery's trips are where a clone has them.
    shutil.copytree(REPO / "data" / "gallery", root / "data" / "gallery")
    flows = re.search(r"```csv\n(.*?)```", (REPO / "docs" / "flows.md").read_text(), re.S)
    assert flows is not None
    (root / "trade.csv").write_text(flows.group(1), encoding="utf-8")
    for name in ("comtrade.csv", "exports.csv"):  # tables in other layouts (docs/flows.md)
        shutil.copy(DATA / name, root / name)
    bin_dir = root / ".bin"
    bin_dir.mkdir()
    shim = bin_dir / "geo"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m geo "$@"\n', encoding="utf-8")
    shim.chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    return root, env


@pytest.mark.parametrize(("where", "command"), COMMANDS, ids=[w for w, _ in COMMANDS])
def test_shell_example_runs(workdir, where, command):
    root, env = workdir
    for pattern, reason in SKIPS:
        if re.search(pattern, command):
            if " && " in command and pattern.startswith("^pip"):
                command = command.split(" && ", 1)[1]  # `pip install . && geo map`: run geo map
                break
            pytest.skip(f"{where}: {reason}")
    proc = subprocess.run(
        ["bash", "-c", command], cwd=root, env=env, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, f"{where}: {command}\n{proc.stderr}"
    assert "Traceback" not in proc.stderr


def test_every_doc_has_its_examples_collected():
    # A renamed fence (```shell) would silently drop examples from this file's test.
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        assert not re.search(r"```(shell|bash|console)\n", text), doc.name
    assert len(COMMANDS) >= 15


@pytest.mark.parametrize(
    ("where", "body"),
    [
        (f"{name}:{line}", body)
        for name, line, body in _blocks("yaml")
        if re.search(r"^trip:", body, re.M) and re.search(r"^stops:", body, re.M)
    ],
)
def test_whole_trip_examples_validate(tmp_path, where, body):
    path = tmp_path / "example.yaml"
    path.write_text(body, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "geo", "validate", str(path)], capture_output=True, text=True
    )
    assert proc.returncode == 0, f"{where}\n{proc.stderr}"
