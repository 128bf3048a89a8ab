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

    from geo.i18n import Locale
    from geo.trip import Trip

__all__ = ["drawn", "export_locale", "render_bytes", "render_static"]


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


def _look(theme: str, inset: str, context: str) -> str:
    """The palette an image takes (``auto`` is for pages: an image takes ``light``), after
    checking the three look options."""
    from geo.context import CONTEXT_CHOICES, INSET_CHOICES
    from geo.palette import PAGE_THEMES

    for what, value, valid in (
        ("theme", theme, PAGE_THEMES),
        ("inset", inset, INSET_CHOICES),
        ("context", context, CONTEXT_CHOICES),
    ):
        if value not in valid:
            raise ExportError(f"unknown {what} {value!r}; use one of {', '.join(valid)}")
    return "light" if theme == "auto" else theme


def export_locale(lang: str) -> Locale:
    """The locale of an interface language, or ExportError naming the languages there are."""
    try:
        return i18n.check(lang)
    except ValueError as exc:
        raise ExportError(str(exc)) from None


@contextlib.contextmanager
def drawn(
    trip: Trip,
    size: str | Size,
    lang: str | None,
    theme: str = "light",
    inset: str = "auto",
    context: str = "capitals",
) -> Iterator[tuple[Figure, Scene]]:
    """The map drawn on a figure, inside the matplotlib settings it must be saved with (the
    video draws its frames from it too)."""
    import dataclasses

    import matplotlib

    dims = size if isinstance(size, Size) else parse_size(size)
    loc = export_locale(lang) if lang is not None else i18n.locale(trip.meta.lang)
    palette_name = _look(theme, inset, context)
    scene = dataclasses.replace(
        build_scene(trip, loc), theme=palette_name, inset=inset, context=context
    )
    texts = [scene.title, scene.subtitle, scene.footer, *(s.name for s in scene.stops)]
    with quiet_logs():
        families, bold = font_families(loc, texts)
        with matplotlib.rc_context(_rc(families)):
            fig = draw(scene, dims, bold)
            yield fig, scene


def render_bytes(
    trip: Trip,
    fmt: str,
    size: str | Size = "social",
    lang: str | None = None,
    theme: str = "light",
    inset: str = "auto",
    context: str = "capitals",
) -> bytes:
    """The bytes of a static map, computed fully in memory; see :func:`render_static`."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown image format {fmt!r}; use one of {', '.join(FORMATS)}")
    dims = size if isinstance(size, Size) else parse_size(size)
    with drawn(trip, dims, lang, theme, inset, context) as (fig, scene):
        return _image_bytes(fig, fmt, dims, scene.title)


def render_static(
    trip: Trip,
    path: str | Path,
    size: str | Size = "social",
    lang: str | None = None,
    theme: str = "light",
    inset: str = "auto",
    context: str = "capitals",
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
        An interface language (``en``, ``ja``, ``ko``, ``ru``; a BCP 47 tag); the trip's own
        language when not given.
    theme
        ``"light"`` or ``"dark"`` (:mod:`geo.palette`); ``"auto"``, the pages' choice, draws
        ``"light"``: an image cannot follow its reader's setting.
    inset
        The inset locator: ``"auto"`` (a trip smaller than about a continent), ``"on"`` or
        ``"off"``; it goes in a corner free of stops, deals and the legend, or is left out.
    context
        ``"capitals"`` (capitals in view as small dots with names, where there is room) or
        ``"none"``; seas and lakes are named either way.

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    ExportError
        For an unknown suffix, size, language, theme, inset or context, or Korean text
        without a Korean font.
    """
    from geo.formats.atomic import atomic_write

    target = Path(path)
    data = render_bytes(trip, format_of(target), size, lang, theme, inset, context)
    atomic_write(target, data)
    return target
