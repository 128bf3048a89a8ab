"""Writing outputs all or nothing: every file and folder ``geo`` writes goes through here.

A file is written to a temporary name beside its target and renamed over it; a folder is built
beside its target and swapped in whole. Data is fsynced before the rename and the folder after
it, so a power cut leaves the old file or the new one, never an empty one; permissions are the
ones the user's umask gives (0644 and 0755 under the usual 022, 0600 and 0700 under 077).
An operating-system failure (a read-only folder, a full
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

__all__ = [
    "atomic_path",
    "atomic_write",
    "atomic_write_folder",
    "fsync_dir",
    "fsync_tree",
    "gdal_options",
    "replace",
]

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


def _mode(kind: str) -> int:
    """The permissions a plain ``open()`` or ``mkdir()`` would give under the user's umask:
    ``mkstemp`` and ``mkdtemp`` make 0600 and 0700 whatever it is, so a shared project folder
    (umask 002) would get files its group cannot read, and the old forced 0644 made an
    embargoed story world-readable under umask 077."""
    mask = os.umask(0)
    os.umask(mask)
    return (0o777 if kind == "dir" else 0o666) & ~mask


def _fsync_file(path: str | Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (a power cut cannot undo it or leave an empty file)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return  # a file system that cannot open folders (some network mounts) cannot sync them
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EBADF):
            raise
    finally:
        os.close(fd)


def fsync_tree(path: Path) -> None:
    """fsync a file, or every file of a folder and the folder itself."""
    if path.is_dir():
        for child in sorted(path.rglob("*")):
            if child.is_file():
                _fsync_file(child)
        for folder in sorted({p.parent for p in path.rglob("*")} | {path}, reverse=True):
            fsync_dir(folder)
    else:
        _fsync_file(path)


def replace(staged: Path, target: Path) -> None:
    """Move a finished file or folder over ``target`` durably: its data synced first, then
    renamed (a folder swapped whole: the old one is moved aside, then removed), then the
    parent synced. Permissions follow the umask (files 0666, folders 0777, less its bits)."""
    fsync_tree(staged)
    if staged.is_dir():
        for p in [staged, *staged.rglob("*")]:
            os.chmod(p, _mode("dir" if p.is_dir() else "file"))
    else:
        os.chmod(staged, _mode("file"))
    if target.exists() and (target.is_dir() or staged.is_dir()):
        # A folder cannot be renamed over (or onto) another entry: move the old one aside.
        old = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name[:_STEM]}.old."))
        os.replace(target, old / target.name)
        os.replace(staged, target)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(staged, target)
    fsync_dir(target.parent)


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename: never half a file.

    Raises
    ------
    OutputError
        When the operating system refuses; nothing is left behind.
    """
    with atomic_path(path) as staged, open(staged, "wb") as f:
        f.write(data)


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
        _fsync_file(tmp)
        os.chmod(tmp, _mode("file"))
        os.replace(tmp, path)
        tmp = None
        fsync_dir(path.parent)
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
            with open(build / name, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.chmod(build / name, _mode("file"))
        os.chmod(build, _mode("dir"))
        fsync_dir(build)
        if folder.exists():
            old = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name[:_STEM]}.old."))
            os.replace(folder, old)
        os.replace(build, folder)
        build = None
        fsync_dir(folder.parent)
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


@contextlib.contextmanager
def gdal_options(options: Mapping[str, str]) -> Iterator[None]:
    """GDAL configuration options set for one write and restored after it (pyogrio's setter is
    process-wide: left set, a notebook's own GDAL writes would inherit it)."""
    import pyogrio

    before = {k: pyogrio.get_gdal_config_option(k) for k in options}
    pyogrio.set_gdal_config_options(dict(options))
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options(before)
