"""How the static map is set: type sizes in points, and the style tables typed once.

Colours come from :mod:`geo.palette` through the canvas (``Canvas.colours``, the theme's
palette); the names below are the light palette's, for the video's title and end cards.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from geo import style
from geo.palette import palette

if TYPE_CHECKING:
    pass

__all__ = [
    "FONT",
    "INK",
    "LINE",
    "LINE_PT",
    "MARGIN_PT",
    "MUTED",
    "PX_TO_PT",
    "RES_ALPHA",
    "RES_EDGE",
    "RES_FILL",
    "STOP",
    "STOP_TEXT",
]


# How text is set, in points; the figure's short side is about 4.5 inches.
FONT = {
    "title": 12.5,
    "subtitle": 8.5,
    "stop": 8.0,
    "dates": 6.5,
    "marker": 6.5,
    "legend": 6.3,
    "legend_head": 6.8,
    "country": 6.3,
    "footer": 5.6,
}
INK = palette("light")["text"]
# The style tables mix strings and numbers; typed once here.
LINE = str(style.ITINERARY["line"])
LINE_PT = float(cast(float, style.ITINERARY["weight"])) * 0.75  # CSS pixels to points
STOP = palette("light")["stop"]
STOP_TEXT = palette("light")["stop_text"]
RES_FILL = str(style.RESOURCE_FILL["fill"])
RES_ALPHA = float(cast(float, style.RESOURCE_FILL["opacity"]))
RES_EDGE = str(style.RESOURCE_FILL["edge"])
MUTED = palette("light")["muted_text"]
MARGIN_PT = 12.0
PX_TO_PT = 0.75  # style sizes are CSS pixels (96 per inch); a point is 1/72 inch
