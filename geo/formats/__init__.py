"""Readers and writers: the only modules that touch files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from geo.errors import GeoError

__all__ = ["read_raw"]


def read_raw(path: str | Path) -> tuple[Any, dict[str, str]]:
    """Read a trip file or CSV folder into raw mappings and the origin of each record."""
    p = Path(path)
    if p.is_dir():
        from geo.formats.csv_folder import read_csv_folder

        return read_csv_folder(p)
    if not p.exists():
        raise GeoError(f"{p}: no such file or folder; give a .yaml file or a folder of CSVs")
    if p.suffix.lower() in (".yaml", ".yml"):
        from geo.formats.yaml_file import read_yaml

        return read_yaml(p), {}
    raise GeoError(
        f"{p}: not a trip file; give a .yaml/.yml file or a folder with stops.csv (see "
        "docs/trip-format.md)"
    )
