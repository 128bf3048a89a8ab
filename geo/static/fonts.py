"""Fonts: NanumGothic (or Noto Sans CJK KR) for Korean, registered by path; quiet font logs."""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geo.errors import ExportError

if TYPE_CHECKING:
    pass

__all__ = ["font_families", "quiet_logs"]


@lru_cache(maxsize=1)
def _korean_family() -> str | None:
    """Register NanumGothic from the koreanize-matplotlib package, without importing the package
    (its import sets matplotlib's global font); fall back on a system Noto Sans CJK KR."""
    import importlib.util

    from matplotlib import font_manager

    spec = importlib.util.find_spec("koreanize_matplotlib")
    if spec is not None and spec.submodule_search_locations:
        fonts = Path(next(iter(spec.submodule_search_locations))) / "fonts"
        files = [fonts / "NanumGothic.ttf", fonts / "NanumGothicBold.ttf"]
        if all(f.is_file() for f in files):
            for f in files:
                font_manager.fontManager.addfont(str(f))
            return "NanumGothic"
    if any(f.name == "Noto Sans CJK KR" for f in font_manager.fontManager.ttflist):
        return "Noto Sans CJK KR"
    return None


_HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")


def font_families(lang: str, texts: Sequence[str]) -> tuple[list[str], Any]:
    """Font families (first choice, then fallbacks glyph by glyph) and the bold weight."""
    korean = _korean_family()
    if korean is None and (lang == "ko" or any(_HANGUL.search(t) for t in texts)):
        raise ExportError(
            "Korean text needs a Korean font and none was found; install the font package with "
            "`pip install koreanize-matplotlib` (NanumGothic) or Debian's fonts-noto-cjk"
        )
    if lang == "ko" and korean:
        # NanumGothic's bold is weight 600; asking for it exactly avoids a substitution.
        return [korean, "DejaVu Sans"], 600 if korean == "NanumGothic" else "bold"
    return ["DejaVu Sans", *([korean] if korean else [])], "bold"


class _Quiet(logging.Filter):
    """Drops two harmless, noisy messages: a fallback family lacking the exact bold weight, and
    fontTools skipping NanumGothic's hinting-source tables when it subsets the font for PDF."""

    def filter(self, record: logging.LogRecord) -> bool:
        msg = record.getMessage()
        return not ("Failed to find font weight" in msg or "NOT subset" in msg)


@contextlib.contextmanager
def quiet_logs() -> Iterator[None]:
    quiet = _Quiet()
    loggers = [logging.getLogger("matplotlib.font_manager"), logging.getLogger("fontTools.subset")]
    for lg in loggers:
        lg.addFilter(quiet)
    try:
        yield
    finally:
        for lg in loggers:
            lg.removeFilter(quiet)
