"""One write path: files and folders with the permissions the user's umask gives, data synced
before the rename, nothing left behind on failure, no process-wide setting left changed."""

from __future__ import annotations

import csv
import errno
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

import geo
from geo.errors import OutputError
from geo.formats import atomic
from geo.formats.export import write_export

DATA = Path(__file__).parent / "data"


def _run(args: list[str], mask: int, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "geo", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        preexec_fn=lambda: os.umask(mask),
    )


def _flows(tmp_path: Path) -> Path:
    table = tmp_path / "flows.csv"
    with table.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["origin", "destination", "mode", "value_amount", "value_currency"])
        w.writerow(["Seoul", "Tashkent", "air", "5", "USD"])
    return table


def _modes(path: Path) -> set[tuple[str, int]]:
    entries = [path, *path.rglob("*")] if path.is_dir() else [path]
    return {("dir" if p.is_dir() else "file", stat.S_IMODE(p.stat().st_mode)) for p in entries}


COMMANDS = {
    "map": (["map", "-o", "out/map.html"], "out/map.html"),
    "embed": (["embed", "-o", "out/kit", "--no-fallback"], "out/kit"),
    "export geojson": (["export", "-o", "out/t.geojson"], "out/t.geojson"),
    "export gpkg": (["export", "-o", "out/t.gpkg"], "out/t.gpkg"),
    "export parquet": (["export", "--layer", "stops", "-o", "out/t.parquet"], "out/t.parquet"),
    "export csv": (["export", "--layer", "stops", "-o", "out/t.csv"], "out/t.csv"),
    "static": (["static", "-o", "out/t.png", "--size", "600x400"], "out/t.png"),
    "flows parquet": (["flows", "flows.csv", "-o", "out/f.parquet"], "out/f.parquet"),
    "flows geojson": (["flows", "flows.csv", "-o", "out/f.geojson"], "out/f.geojson"),
    "flows top map": (["flows", "flows.csv", "--top", "5", "-o", "out/f.html"], "out/f.html"),
    "video": (["video", "-o", "out/v.gif", "--size", "240x240", "--fps", "5"], "out/v.gif"),
}


@pytest.mark.parametrize("name", list(COMMANDS))
def test_every_writer_follows_umask_077(tmp_path, name):
    args, written = COMMANDS[name]
    _flows(tmp_path)
    (tmp_path / "out").mkdir(mode=0o700)
    proc = _run(args, 0o077, tmp_path)
    assert proc.returncode == 0, proc.stderr
    modes = _modes(tmp_path / written)
    assert modes <= {("file", 0o600), ("dir", 0o700)}, modes
    assert [p.name for p in (tmp_path / "out").iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize("name", ["map", "embed", "flows parquet"])
def test_a_shared_folders_umask_002_gives_group_write(tmp_path, name):
    args, written = COMMANDS[name]
    _flows(tmp_path)
    (tmp_path / "out").mkdir()
    assert _run(args, 0o002, tmp_path).returncode == 0
    assert _modes(tmp_path / written) <= {("file", 0o664), ("dir", 0o775)}


def _fail_fsync(monkeypatch: pytest.MonkeyPatch) -> None:
    # Failure injection: the disk reports an I/O error when asked to make the data durable.
    def broken(fd: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "fsync", broken)


def test_a_failed_fsync_keeps_the_old_file_and_leaves_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "map.html"
    target.write_bytes(b"old")
    _fail_fsync(monkeypatch)
    with pytest.raises(OutputError, match="map.html"):
        atomic.atomic_write(target, b"new")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.html"]


def test_a_failed_fsync_in_a_folder_keeps_the_old_folder(tmp_path, monkeypatch):
    kit = tmp_path / "kit"
    kit.mkdir()
    (kit / "index.html").write_bytes(b"old")
    _fail_fsync(monkeypatch)
    with pytest.raises(OutputError):
        atomic.atomic_write_folder(kit, {"index.html": b"new", "alt.txt": b"x"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kit"]
    assert (kit / "index.html").read_bytes() == b"old"


def test_a_failed_fsync_in_atomic_path_removes_the_temporary(tmp_path, monkeypatch):
    target = tmp_path / "clip.mp4"
    _fail_fsync(monkeypatch)
    with pytest.raises(OutputError), atomic.atomic_path(target) as staged:
        staged.write_bytes(b"frames")
    assert list(tmp_path.iterdir()) == []


def test_gdal_options_are_restored_after_an_export(tmp_path):
    import pyogrio

    trip = geo.load_trip(DATA / "mini.yaml")
    assert pyogrio.get_gdal_config_option("OGR_CURRENT_DATE") is None
    write_export(trip, "all", "gpkg", tmp_path / "a.gpkg")
    assert pyogrio.get_gdal_config_option("OGR_CURRENT_DATE") is None
    # A notebook's own setting survives ours.
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": "2020-02-02T00:00:00Z"})
    try:
        write_export(trip, "all", "gpkg", tmp_path / "b.gpkg")
        assert pyogrio.get_gdal_config_option("OGR_CURRENT_DATE") == "2020-02-02T00:00:00Z"
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": None})
    # And the file is still reproducible.
    assert (tmp_path / "a.gpkg").read_bytes() == (tmp_path / "b.gpkg").read_bytes()


def test_replace_swaps_a_dataset_folder_for_a_file_and_back(tmp_path):
    target = tmp_path / "flows.parquet"
    folder = tmp_path / "staged-dir"
    folder.mkdir()
    (folder / "part-00000.parquet").write_bytes(b"a")
    atomic.replace(folder, target)
    assert target.is_dir() and (target / "part-00000.parquet").read_bytes() == b"a"
    single = tmp_path / "staged-file"
    single.write_bytes(b"b")
    atomic.replace(single, target)
    assert target.is_file() and target.read_bytes() == b"b"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["flows.parquet"]
