"""``geo story``: one self-contained article page that tells the trip chapter by chapter."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from geo.trip import Trip

__all__ = ["story_files"]


def story_files(
    trip: Trip,
    lang: str | None = None,
    tiles: str | None = None,
    assets: str = "inline",
    fallback: bool = True,
    theme: str = "light",
    inset: str = "auto",
    context: str = "capitals",
    pace: float = 2.0,
) -> dict[str, bytes]:
    """Every file of the story folder, by name, computed before anything is written:
    ``index.html`` (the story page), ``alt.txt`` and, with ``fallback``, ``fallback.png``
    (the static map, shown where scripts do not run), as ``geo embed`` writes them."""
    from geo.describe import alt_text
    from geo.render.embed import fallback_png
    from geo.render.page import map_locale, render_map

    loc = map_locale(trip, lang)
    lang = loc.code
    files: dict[str, bytes] = {}
    image = fallback_png(trip, lang, theme, inset, context) if fallback else None
    if image is not None:
        files["fallback.png"] = image
    page = render_map(
        trip, lang=lang, tiles=tiles, assets=assets, story=True,
        fallback_image="fallback.png" if image is not None else None,
        theme=theme, inset=inset, context=context, pace=pace,
    )  # fmt: skip
    files["index.html"] = page.encode("utf-8")
    files["alt.txt"] = (alt_text(trip, loc) + "\n").encode("utf-8")
    return dict(sorted(files.items()))
