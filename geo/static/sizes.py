"""Image sizes and formats: the ``--size`` presets, pixel sizes and the file suffixes drawn."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from geo.errors import ExportError

if TYPE_CHECKING:
    pass

__all__ = ["FORMATS", "MAX_PX", "MIN_PX", "PRESETS", "Size", "format_of", "parse_size"]


class Size(NamedTuple):
    """An image size: pixels, and the resolution that sets how big a point of text is."""

    width_px: int
    height_px: int
    dpi: float


# The short side of a map is 4.5 inches at the chosen dpi, so text keeps its share of the image
# at every pixel size; the print preset is a true 150 x 100 mm at 300 dpi.
_SHORT_SIDE_IN = 4.5
PRESETS: dict[str, Size] = {
    "social": Size(1200, 675, 150.0),
    "print": Size(round(150 / 25.4 * 300), round(100 / 25.4 * 300), 300.0),
}
MIN_PX, MAX_PX = 300, 10000
FORMATS = ("png", "svg", "pdf")


def parse_size(text: str) -> Size:
    """Read an image size: ``social``, ``print`` or ``WIDTHxHEIGHT`` in pixels.

    Parameters
    ----------
    text
        ``"social"`` (1200 x 675 px), ``"print"`` (150 x 100 mm at 300 dpi, 1772 x 1181 px) or
        pixels such as ``"800x600"`` (``X`` and ``×`` work too), each side 300 to 10,000 px.

    Returns
    -------
    Size
        ``(width_px, height_px, dpi)``. For pixel sizes the dpi makes the short side 4.5
        inches, so text takes the same share of the image at any size.

    Raises
    ------
    ExportError
        For anything else, saying what is accepted.
    """
    key = text.strip().lower()
    if key in PRESETS:
        return PRESETS[key]
    usage = (
        "use social (1200x675 px), print (150x100 mm at 300 dpi) or WIDTHxHEIGHT in pixels "
        f"such as 800x600, each side {MIN_PX} to {MAX_PX:,}"
    )
    match = re.fullmatch(r"(\d+)\s*[x×]\s*(\d+)(?:\s*px)?", key)
    if not match:
        raise ExportError(f"unknown size {text!r}; {usage}")
    w, h = int(match[1]), int(match[2])
    if not (MIN_PX <= w <= MAX_PX and MIN_PX <= h <= MAX_PX):
        raise ExportError(f"size {text!r} is out of range; {usage}")
    if max(w, h) > 4 * min(w, h):
        raise ExportError(f"size {text!r} is too narrow for a map (more than 4:1); {usage}")
    return Size(w, h, min(w, h) / _SHORT_SIDE_IN)


def format_of(path: Path) -> str:
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ExportError(
            f"{path}: cannot tell the image format from {path.suffix or 'no suffix'!r}; "
            "end the file name in .png, .svg or .pdf"
        )
    return fmt
