"""Fonts for the static map, by the scripts its texts are written in; quiet font logs.

DejaVu Sans (matplotlib's own) sets Latin, Greek and Cyrillic. Hangul takes NanumGothic from
``koreanize-matplotlib``; kana and kanji take IPAex Gothic from ``matplotlib-fontja``; each is
registered by path (importing those packages would change matplotlib's global font) and falls
back on a system Noto Sans CJK. The first family is the one for the script of the map's own
interface words, so a Korean map is set in NanumGothic throughout and an English map with a
Korean name in DejaVu Sans with NanumGothic for the Hangul.
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geo.errors import ExportError

if TYPE_CHECKING:
    from geo.i18n import Locale

__all__ = ["FONTS", "font_families", "quiet_logs"]

LATIN = "DejaVu Sans"
"""matplotlib's own family: Latin, Greek and Cyrillic."""


@dataclass(frozen=True)
class FontSource:
    """Where a script's font comes from."""

    script: str
    pattern: re.Pattern[str]
    package: str
    files: tuple[str, ...]
    family: str
    bold: Any
    system: str
    install: str


FONTS = (
    FontSource(
        "Korean",
        re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]"),
        "koreanize_matplotlib",
        ("fonts/NanumGothic.ttf", "fonts/NanumGothicBold.ttf"),
        "NanumGothic",
        600,  # NanumGothic's bold is weight 600: asking for it exactly avoids a substitution
        "Noto Sans CJK KR",
        "`pip install koreanize-matplotlib` (NanumGothic) or Debian's fonts-noto-cjk",
    ),
    FontSource(
        "Japanese",
        re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f]"),
        "matplotlib_fontja",
        ("fonts/ipaexg.ttf",),
        "IPAexGothic",
        "bold",  # IPAex has one weight: matplotlib emboldens nothing, the text stays regular
        "Noto Sans CJK JP",
        "`pip install matplotlib-fontja` (IPAex Gothic) or Debian's fonts-noto-cjk",
    ),
)
"""The fonts of scripts DejaVu Sans lacks, in order of preference for mixed texts."""


@lru_cache(maxsize=len(FONTS))
def _family(source: FontSource) -> str | None:
    """Register the package's font files by path; else a system family; else None."""
    import importlib.util

    from matplotlib import font_manager

    spec = importlib.util.find_spec(source.package)
    if spec is not None and spec.submodule_search_locations:
        root = Path(next(iter(spec.submodule_search_locations)))
        files = [root / f for f in source.files]
        if all(f.is_file() for f in files):
            for f in files:
                font_manager.fontManager.addfont(str(f))
            return source.family
    if any(f.name == source.system for f in font_manager.fontManager.ttflist):
        return source.system
    return None


def _korean_family() -> str | None:
    """The Korean family (kept for callers and tests that stub it)."""
    return _family(FONTS[0])


def _find(source: FontSource) -> str | None:
    return _korean_family() if source is FONTS[0] else _family(source)


def font_families(loc: Locale, texts: Sequence[str]) -> tuple[list[str], Any]:
    """Font families (first choice, then fallbacks glyph by glyph) and the bold weight, for the
    scripts of ``texts`` and of the locale's own words."""
    own = loc.t("itinerary")
    families: list[str] = []
    first: tuple[str, Any] | None = None
    for source in FONTS:
        needed = any(source.pattern.search(t) for t in texts)
        primary = bool(source.pattern.search(own))
        if not (needed or primary):
            continue
        family = _find(source)
        if family is None:
            raise ExportError(
                f"{source.script} text needs a {source.script} font and none was found; "
                f"install the font package with {source.install}"
            )
        if primary and first is None:
            first = (family, source.bold if family == source.family else "bold")
        elif family not in families:
            families.append(family)
    if first is not None:
        return [first[0], LATIN, *families], first[1]
    return [LATIN, *families], "bold"


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
