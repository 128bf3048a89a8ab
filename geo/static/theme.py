"""How the static map is set: type sizes in points, ink colours, and the style tables typed once."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from geo import style

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
INK = "#1f2937"
# The style tables mix strings and numbers; typed once here.
LINE = str(style.ITINERARY["line"])
LINE_PT = float(cast(float, style.ITINERARY["weight"])) * 0.75  # CSS pixels to points
STOP = str(style.ITINERARY["stop"])
STOP_TEXT = str(style.ITINERARY["stop_text"])
RES_FILL = str(style.RESOURCE_FILL["fill"])
RES_ALPHA = float(cast(float, style.RESOURCE_FILL["opacity"]))
RES_EDGE = str(style.RESOURCE_FILL["edge"])
MUTED = "#5b6270"
MARGIN_PT = 12.0
PX_TO_PT = 0.75  # style sizes are CSS pixels (96 per inch); a point is 1/72 inch
