"""Map rendering: the article map as one light, self-contained HTML page."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from geo.render.page import render_map

__all__ = ["render_map"]


def __getattr__(name: str) -> Any:
    # Lazy: the command line reads geo.render.assets' constants without paying for folium,
    # pandas and numpy (geo --help must stay instant).
    if name == "render_map":
        from geo.render.page import render_map

        return render_map
    raise AttributeError(f"module 'geo.render' has no attribute {name!r}")
