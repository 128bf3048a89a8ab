"""Where the bundled data lives: geo/data in a wheel, the repository's data/ in a checkout."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

__all__ = ["data_path"]


def data_path(name: str) -> Path:
    """Path of a bundled data file, e.g. ``data_path("k-silk-road-2024.yaml")``."""
    packaged = Path(str(files("geo"))) / "data" / name
    if packaged.exists():
        return packaged
    return Path(__file__).resolve().parent.parent / "data" / name
