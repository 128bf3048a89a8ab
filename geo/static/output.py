"""Output: a trip drawn in memory, then written atomically as PNG, SVG or PDF."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geo import i18n
from geo.errors import ExportError
from geo.static.drawing import draw
from geo.static.fonts import font_families, quiet_logs
from geo.static.scene import Scene, build_scene
from geo.static.sizes import FORMATS, Size, format_of, parse_size

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from geo.trip import Trip

__all__ = ["drawn", "render_bytes", "render_static"]


def _rc(families: list[str]) -> Any:
    return {  # a plain dict: matplotlib's stubs type rc_context's keys as literals
        "font.family": families,
        "svg.hashsalt": "geo-static",
        "svg.fonttype": "path",  # glyphs as paths: Korean shows without the reader's fonts
        "pdf.fonttype": 42,  # TrueType subsets: text stays selectable and searchable
        "pdf.compression": 6,
        "path.simplify": True,
        "text.usetex": False,
        "axes.unicode_minus": False,
        "savefig.facecolor": "white",
    }


def _image_bytes(fig: Figure, fmt: str, size: Size, title: str) -> bytes:
    buf = io.BytesIO()
    if fmt == "svg":
        metadata: dict[str, Any] = {"Date": None, "Title": title}
    elif fmt == "pdf":
        metadata = {"CreationDate": None, "ModDate": None, "Title": title, "Creator": "geo"}
    else:
        metadata = {"Title": title}
    fig.savefig(buf, format=fmt, dpi=size.dpi, metadata=metadata)
    return buf.getvalue()


@contextlib.contextmanager
def drawn(trip: Trip, size: str | Size, lang: str | None) -> Iterator[tuple[Figure, Scene]]:
    """The map drawn on a figure, inside the matplotlib settings it must be saved with (the
    video draws its frames from it too)."""
    import matplotlib

    dims = size if isinstance(size, Size) else parse_size(size)
    lang = lang or trip.meta.lang
    if lang not in i18n.LANGS:
        raise ExportError(f"unknown language {lang!r}; use one of {', '.join(i18n.LANGS)}")
    scene = build_scene(trip, lang)
    texts = [scene.title, scene.subtitle, scene.footer, *(s.name for s in scene.stops)]
    with quiet_logs():
        families, bold = font_families(lang, texts)
        with matplotlib.rc_context(_rc(families)):
            yield draw(scene, dims, bold), scene


def render_bytes(
    trip: Trip, fmt: str, size: str | Size = "social", lang: str | None = None
) -> bytes:
    """The bytes of a static map, computed fully in memory; see :func:`render_static`."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown image format {fmt!r}; use one of {', '.join(FORMATS)}")
    dims = size if isinstance(size, Size) else parse_size(size)
    with drawn(trip, dims, lang) as (fig, scene):
        return _image_bytes(fig, fmt, dims, scene.title)


def render_static(
    trip: Trip, path: str | Path, size: str | Size = "social", lang: str | None = None
) -> Path:
    """Draw a trip as a static map and write it to ``path``: PNG, SVG or PDF by the suffix.

    Parameters
    ----------
    trip
        From :func:`geo.load_trip`.
    path
        The file to write, ending in ``.png``, ``.svg`` or ``.pdf``; written atomically (an
        error leaves no file behind) and deterministically (the same input gives the same
        bytes).
    size
        ``"social"`` (1200 x 675 px), ``"print"`` (150 x 100 mm at 300 dpi) or ``"WxH"`` in
        pixels; see :func:`parse_size`.
    lang
        ``"en"`` or ``"ko"``; the trip's own language when not given.

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    ExportError
        For an unknown suffix, size or language, or Korean text without a Korean font.
    """
    from geo.formats.atomic import atomic_write

    target = Path(path)
    data = render_bytes(trip, format_of(target), size, lang)
    atomic_write(target, data)
    return target
