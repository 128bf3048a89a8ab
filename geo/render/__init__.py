"""Map rendering: the article map as one light, self-contained HTML page."""

from __future__ import annotations

from geo.render.page import render_map

__all__ = ["render_map"]
