"""Writing outputs all or nothing: every file and folder ``geo`` writes goes through here.

A file is written to a temporary name beside its target and renamed over it; a folder is built
beside its target and swapped in whole. An operating-system failure (a read-only folder, a full
disk, a parent that is a file, a name too long) becomes one :class:`~geo.errors.OutputError`
naming the path and the fix, and leaves nothing behind: no temporary file, no half-written
output, no folder mixing old and new files.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path

from geo.errors import OutputError

__all__ = ["atomic_path", "atomic_write", "atomic_write_folder"]

# Temporary names start with a cut of the target's name: the target's own name may already be
# as long as the file system allows.
_STEM = 32


def _reason(path: Path, exc: OSError) -> str:
    """Why ``path`` could not be written, in words a user can act on."""
    if exc.errno == errno.ENAMETOOLONG:
        return "cannot be written: the name is too long for the file system; use a shorter one"
    if _is(path, "dir"):
        return "is a folder; give a file name inside it"
    existing = next((p for p in path.parents if _is(p, "exists")), None)
    if existing is not None and not _is(existing, "dir"):
        return f"cannot be written: {existing} is a file, not a folder"
    return _errno_reason(exc)


def _errno_reason(exc: OSError) -> str:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return (
            "cannot be written: no space for it (disk full, quota or file size limit); free "
            "some space or write elsewhere"
        )
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "cannot be written: permission denied; choose a folder you can write to"
    return f"cannot be written ({exc.strerror or exc}); choose another path"


def _is(path: Path, what: str) -> bool:
    """``path.is_dir()`` or ``path.exists()``, False where even asking fails (a name too long)."""
    try:
        return path.is_dir() if what == "dir" else path.exists()
    except OSError:
        return False


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename: never half a file.

    Raises
    ------
    OutputError
        When the operating system refuses; nothing is left behind.
    """
    path = Path(path)
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name[:_STEM]}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise OutputError(f"{path}: {_reason(path, exc)}", path) from exc
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary path beside ``path`` for a writer that wants a file name (ffmpeg, GDAL);
    renamed over ``path`` when the block ends without an error, removed when it fails.

    Raises
    ------
    OutputError
        When the operating system refuses; nothing is left behind.
    """
    path = Path(path)
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name[:_STEM]}.", suffix=".tmp")
        os.close(fd)
    except OSError as exc:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"{path}: {_reason(path, exc)}", path) from exc
    try:
        yield Path(tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise OutputError(f"{path}: {_reason(path, exc)}", path) from exc
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)


def atomic_write_folder(folder: Path, files: Mapping[str, bytes]) -> None:
    """Write a folder of files as one: built beside ``folder`` and swapped in only when every
    file is written, so a failure leaves the old folder (or none) as it was.

    Raises
    ------
    OutputError
        When the operating system refuses; nothing is left behind.
    """
    folder = Path(folder)
    build: Path | None = None
    old: Path | None = None
    try:
        if folder.exists() and not folder.is_dir():
            raise NotADirectoryError(errno.ENOTDIR, "is a file", str(folder))
        folder.parent.mkdir(parents=True, exist_ok=True)
        build = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name[:_STEM]}."))
        for name, data in files.items():
            (build / name).write_bytes(data)
            os.chmod(build / name, 0o644)
        os.chmod(build, 0o755)
        if folder.exists():
            old = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name[:_STEM]}.old."))
            os.replace(folder, old)
        os.replace(build, folder)
        build = None
    except OSError as exc:
        if old is not None and not _is(folder, "exists"):
            os.replace(old, folder)  # put the previous folder back
            old = None
        if _is(folder, "exists") and not _is(folder, "dir"):
            reason = "is a file, not a folder; give a folder path"
        else:
            reason = _errno_reason(exc) if _is(folder, "dir") else _reason(folder, exc)
        raise OutputError(f"{folder}: {reason}", folder) from exc
    finally:
        for leftover in (build, old):
            if leftover is not None:
                shutil.rmtree(leftover, ignore_errors=True)
