"""A per-user cache of data that is slow to derive and never changes for given inputs.

The GeoNames city table and the Natural Earth country table are parsed from JSON on every run
otherwise (about a third of ``geo map``'s time). What is derived from them is stored here once,
in ``marshal`` format (plain lists, dicts, strings and numbers: loading it runs no code, unlike
pickle), under a key naming everything it was derived from; a different key, a damaged file or
another Python rebuilds it.

Where: ``$GEO_CACHE_DIR``, else ``$XDG_CACHE_HOME/geo-itinerary``, else
``~/.cache/geo-itinerary`` (on Windows ``%LOCALAPPDATA%\\geo-itinerary``): a user folder, never
inside the installed package. A cache that cannot be read or written (a read-only home, a full
disk) is skipped: the data are then derived in memory, as without a cache.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["cache_dir", "cached", "store"]

# Bump when the layout of what is stored changes.
FORMAT = 1


def cache_dir() -> Path | None:
    """The cache folder, or None when no user folder can be found."""
    explicit = os.environ.get("GEO_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or (
        os.environ.get("LOCALAPPDATA") if sys.platform == "win32" else None
    )
    if not base:
        try:
            base = str(Path.home() / ".cache")
        except RuntimeError:  # no home folder
            return None
    return Path(base) / "geo-itinerary"


def cached(name: str, key: str, build: Callable[[], Any], keep: int = 0) -> Any:
    """The value stored as ``name`` under ``key``, or ``build()``, stored for next time.

    ``build`` must return only what ``marshal`` holds (None, bool, int, float, str, bytes, and
    lists, tuples and dicts of them). With ``keep``, ``name`` is one of a family (the part
    before its last ``-``) of which only the ``keep`` newest files stay.
    """
    folder = cache_dir()
    full_key = _full_key(key)
    path = folder / f"{name}.marshal" if folder is not None else None
    if path is not None:
        try:
            stored_key, value = marshal.loads(path.read_bytes())
            if stored_key == full_key:
                return value
        except (OSError, EOFError, ValueError, TypeError):
            pass  # missing, unreadable or damaged: rebuilt below
    value = build()
    if path is not None:
        _store(path, marshal.dumps((full_key, value)))
        if keep:
            _prune(path, keep)
    return value


def store(name: str, key: str, value: Any) -> None:
    """Store ``value`` as ``name`` under ``key`` (what :func:`cached` reads back)."""
    folder = cache_dir()
    if folder is not None:
        _store(folder / f"{name}.marshal", marshal.dumps((_full_key(key), value)))


def _full_key(key: str) -> str:
    return f"{key}|format {FORMAT}|python {sys.version_info[:2]} marshal {marshal.version}"


def _prune(path: Path, keep: int) -> None:
    """Remove all but the ``keep`` newest files of ``path``'s family."""
    family = path.name.rsplit("-", 1)[0]
    with contextlib.suppress(OSError):
        files = sorted(
            path.parent.glob(f"{family}-*.marshal"),
            key=lambda p: (p.stat().st_mtime_ns, p.name),
            reverse=True,
        )
        for old in files[keep:]:
            with contextlib.suppress(OSError):
                old.unlink()


def _store(path: Path, data: bytes) -> None:
    """Write atomically (a reader sees the old file or the new one); give up quietly when the
    cache cannot be written (a read-only home, a full disk): it is only a cache."""
    from geo.errors import OutputError
    from geo.formats.atomic import atomic_write

    with contextlib.suppress(OutputError):
        atomic_write(path, data)
