"""Leaflet, from the xstatic packages that ship it: inlined, or linked from one CDN.

Inline mode embeds Leaflet's JS and CSS (its images as data: URIs) so the map is one file that
works with no network. CDN mode links the same release from unpkg with Subresource Integrity
hashes computed from the packaged files (byte-identical to npm's leaflet@1.9.3).
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

__all__ = ["ASSET_MODES", "Asset", "compact_css", "compact_js", "gesture_handling", "leaflet"]

CDN = "https://unpkg.com"
# How a page includes Leaflet: inline (one self-contained file) or linked from the CDN.
ASSET_MODES = ("inline", "cdn")


@dataclass(frozen=True)
class Asset:
    """A stylesheet or script, as text for inlining and as a URL for linking."""

    kind: str  # "css" | "js"
    text: str
    url: str
    integrity: str  # of the file as published, which is what the CDN serves


def _sri(path: Path) -> str:
    digest = hashlib.sha384(path.read_bytes()).digest()
    return "sha384-" + base64.b64encode(digest).decode("ascii")


def _leaflet_dir() -> tuple[Path, str]:
    import xstatic.pkg.leaflet as pkg

    return Path(pkg.BASE_DIR), str(pkg.VERSION)


LAYERS_ICON = "data:image/svg+xml," + quote(
    '<svg xmlns="http://www.w3.org/2000/svg" width="26" height="26" viewBox="0 0 26 26" '
    'fill="#8a93a3" stroke="#4b5563" stroke-width="1" stroke-linejoin="round">'
    '<path d="M13 16 3 11l10-5 10 5z" opacity=".6" transform="translate(0 5)"/>'
    '<path d="M13 16 3 11l10-5 10 5z" transform="translate(0 2)"/>'
    '<path d="M13 16 3 11l10-5 10 5z" fill="#c3c8d1" transform="translate(0 -1)"/></svg>',
    safe="",
)


def _inline_images(css: str, base: Path) -> str:
    """Replace ``url(images/x.png)`` with data URIs so no file is requested."""

    def data_uri(match: re.Match[str]) -> str:
        path = base / match.group(1)
        if not path.exists():
            return match.group(0)
        payload = base64.b64encode(path.read_bytes()).decode("ascii")
        return f"url(data:image/png;base64,{payload})"

    # geo draws every marker with a divIcon: Leaflet's default marker image (1.5 KB gzipped)
    # would only ever be fetched by L.Icon.Default, which no geo map uses.
    css = re.sub(r"url\(images/marker-icon\.png\)", "none", css)
    # The layers button: three stacked sheets as a 300-byte SVG, for every screen density,
    # in a grey that reads on the light and the dark panel, in place of two PNGs (2 KB gzipped).
    css = re.sub(r"url\(images/layers(?:-2x)?\.png\)", f"url({LAYERS_ICON})", css)
    return re.sub(r"url\((images/[\w.-]+\.png)\)", data_uri, css)


def compact_css(css: str) -> str:
    """CSS without comments and runs of white space (safe rewrites only: selectors keep their
    spaces); about 0.8 KB less gzipped for Leaflet's and geo's stylesheets together."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    css = re.sub(r"\s+", " ", css)
    return re.sub(r"\s*([{};])\s*", r"\1", css).strip() + "\n"


def compact_js(js: str) -> str:
    """geo's own script without its comments and indentation (1.7 KB less gzipped). Only
    rewrites that hold for this file: whole-line ``//`` comments, ``/* */`` comments, leading
    white space; line breaks stay, so no statement joins another. The file has no template
    literals and no ``/*`` inside a string (a test checks)."""
    js = re.sub(r"/\*.*?\*/", "", js, flags=re.S)
    lines = (line.strip() for line in js.split("\n"))
    return "\n".join(line for line in lines if line and not line.startswith("//")) + "\n"


@lru_cache(maxsize=2)
def leaflet(inline: bool = True) -> tuple[Asset, Asset]:
    """Leaflet's CSS and JS."""
    base, version = _leaflet_dir()
    css = (base / "leaflet.css").read_text(encoding="utf-8")
    js = (base / "leaflet.js").read_text(encoding="utf-8")
    # The packaged files are the release files; drop the trailing source-map comment, whose
    # file a browser's developer tools would try to fetch.
    js = re.sub(r"\n?//# sourceMappingURL=\S+\s*$", "\n", js)
    if inline:
        css = compact_css(_inline_images(css, base))
    release = ".".join(version.split(".")[:3])
    return (
        Asset("css", css, f"{CDN}/leaflet@{release}/dist/leaflet.css", _sri(base / "leaflet.css")),
        Asset("js", js, f"{CDN}/leaflet@{release}/dist/leaflet.js", _sri(base / "leaflet.js")),
    )


@lru_cache(maxsize=1)
def gesture_handling() -> tuple[Asset, Asset]:
    """Leaflet.GestureHandling: page scrolling passes over an embedded map."""
    import xstatic.pkg.leaflet_gesturehandling as pkg

    base = Path(pkg.BASE_DIR)
    release = ".".join(str(pkg.VERSION).split(".")[:3])
    css_path = base / "leaflet-gesture-handling.min.css"
    js_path = base / "leaflet-gesture-handling.min.js"
    css = css_path.read_text(encoding="utf-8")
    js = js_path.read_text(encoding="utf-8")
    js = re.sub(r"\n?//# sourceMappingURL=\S+\s*$", "\n", js)
    url = f"{CDN}/leaflet-gesture-handling@{release}/dist"
    return (
        Asset("css", css, f"{url}/leaflet-gesture-handling.min.css", _sri(css_path)),
        Asset("js", js, f"{url}/leaflet-gesture-handling.min.js", _sri(js_path)),
    )
