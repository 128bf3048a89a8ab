"""``geo embed``: a folder a CMS can host as is, with the snippet an editor pastes."""

from __future__ import annotations

import html
import json
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from geo.formats.atomic import atomic_write_folder

if TYPE_CHECKING:
    from geo.trip import Trip

__all__ = ["FALLBACK_HEIGHT", "check_src", "embed_files", "write_embed"]

# The iframe's height before the map reports its own, and where scripts do not run.
FALLBACK_HEIGHT = 640


def check_src(src: str) -> str:
    """``src`` if it is an ``http(s)://`` URL or a relative URL, else a :class:`GeoError`.

    The iframe's ``src`` runs whatever its scheme says: ``javascript:`` or ``data:`` would run
    script in the article. Browsers drop tabs and newlines inside URLs (``java\tscript:``), so
    any white space or control character is refused too."""
    from urllib.parse import urlsplit

    from geo.errors import GeoError

    fix = "give the https:// address where index.html is hosted, or a relative path"
    if not src or any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in src):
        raise GeoError(f"src: {src[:80]!r} is empty or has spaces or control characters; {fix}")
    try:
        parts = urlsplit(src)
    except ValueError:
        raise GeoError(f"src: {src[:80]!r} is not a URL; {fix}") from None
    if parts.scheme.lower() not in ("", "http", "https") or (parts.scheme and not parts.netloc):
        raise GeoError(f"src: {src[:80]!r} is not an http(s) or relative URL; {fix}")
    return src


def snippet(trip: Trip, lang: str, src: str, title: str) -> str:
    """A responsive iframe that takes the height the map reports via ``postMessage``."""
    frame_id = f"geo-embed-{trip.meta.id}"
    # The ids are slugs, so json.dumps gives a plain quoted string safe inside <script>.
    listener = (
        "(function(){var f=document.getElementById(FRAME);"
        "window.addEventListener('message',function(e){var d=e.data;"
        "if(!f||e.source!==f.contentWindow||!d||d.type!=='geo-embed-height'||d.id!==TRIP)return;"
        "var h=Number(d.height);if(h>=200&&h<=5000)f.style.height=Math.ceil(h)+'px';});})();"
    )
    listener = listener.replace("FRAME", json.dumps(frame_id)).replace(
        "TRIP", json.dumps(trip.meta.id)
    )
    return (
        f"<!-- geo embed: {html.escape(trip.meta.id)}. Set src to where index.html is hosted. -->\n"
        f'<iframe id="{html.escape(frame_id)}" src="{html.escape(src)}" '
        f'title="{html.escape(title)}" lang="{html.escape(lang)}" loading="lazy" '
        'allow="fullscreen" allowfullscreen scrolling="no" '
        f'style="display:block;width:100%;height:{FALLBACK_HEIGHT}px;border:0"></iframe>\n'
        f"<script>{listener}</script>\n"
    )


def embed_files(
    trip: Trip,
    lang: str | None = None,
    tiles: str | None = None,
    assets: str = "inline",
    src: str = "index.html",
    fallback: bool = True,
    theme: str = "light",
    inset: str = "auto",
    context: str = "capitals",
    pace: float = 2.0,
) -> dict[str, bytes]:
    """Every file of the embed folder, by name, computed before anything is written."""
    from geo.describe import alt_text
    from geo.render.page import map_locale, render_map

    loc = map_locale(trip, lang)
    lang = loc.code
    check_src(src)
    files: dict[str, bytes] = {}
    image = None
    if fallback:
        image = fallback_png(trip, lang, theme, inset, context)
        if image is not None:
            files["fallback.png"] = image
    page = render_map(
        trip, lang=lang, tiles=tiles, assets=assets, embed=True,
        fallback_image="fallback.png" if image is not None else None,
        theme=theme, inset=inset, context=context, pace=pace,
    )  # fmt: skip
    title = f"{loc.t('map_label')}: {loc.text(trip.meta.title, trip.meta.lang)}"
    files["index.html"] = page.encode("utf-8")
    files["embed.html"] = snippet(trip, lang, src, title).encode("utf-8")
    files["alt.txt"] = (alt_text(trip, loc) + "\n").encode("utf-8")
    return dict(sorted(files.items()))


def fallback_png(trip: Trip, lang: str, theme: str, inset: str, context: str) -> bytes | None:
    """The static map as the no-script fallback, when the static renderer is installed, in the
    page's look (``auto``: light, as an image cannot follow the reader's setting)."""
    try:
        from geo.static import render_static
    except ImportError:  # pragma: no cover - matplotlib is a dependency; kept as the hook
        return None
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fallback.png"
        render_static(
            trip, path, size="social", lang=lang, theme=theme, inset=inset, context=context
        )
        return _palette_png(path.read_bytes())


def _palette_png(data: bytes) -> bytes:
    """A 256-colour PNG: a quarter of the bytes, colours kept (octree, no dithering), same
    bytes for the same image. A fallback is fetched by readers who have the least."""
    import io

    from PIL import Image

    image = Image.open(io.BytesIO(data)).convert("RGB")
    palette = image.quantize(colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    out = io.BytesIO()
    palette.save(out, format="PNG", optimize=True)
    return out.getvalue()


def write_embed(folder: Path, files: dict[str, bytes]) -> None:
    """Write the folder whole: built beside ``folder`` and swapped in when complete, so a
    failure never leaves an ``embed.html`` listening for another map than ``index.html``."""
    atomic_write_folder(folder, files)
