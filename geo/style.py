"""One visual vocabulary for every output: the HTML map, static images and legends.

Colours are from the Okabe–Ito palette (distinguishable with the common colour-vision
deficiencies); no category is carried by colour alone: deal status also has a marker shape, and
route mode a dash pattern.
"""

from __future__ import annotations

import math

__all__ = [
    "BASEMAP",
    "COMMODITY_GROUP",
    "DEAL_STATUS",
    "ITINERARY",
    "LEG_MODE",
    "RESOURCE_FILL",
    "ROUTE_MODE",
    "deal_radius",
    "flow_width",
]

ITINERARY = {"line": "#1f2937", "stop": "#d55e00", "stop_text": "#ffffff", "weight": 2.5}

# Leg mode -> (SVG dash array, matplotlib dashes): legs share the itinerary's colour, and their
# mode is told by the dash alone. Air is solid; rail and road are drawn as direct lines in their
# own dash, because no track is known.
LEG_MODE: dict[str, tuple[str, tuple[float, ...] | None]] = {
    "air": ("", None),
    "sea": ("9 5", (4.5, 2.5)),
    "rail": ("12 4 2 4", (6, 2, 1, 2)),
    "road": ("5 4", (2.5, 2)),
}

# status -> (colour, marker shape); shapes double the colour for print and for colour blindness.
DEAL_STATUS: dict[str, tuple[str, str]] = {
    "signed": ("#009e73", "circle"),
    "agreement": ("#0072b2", "square"),
    "mou": ("#56b4e9", "diamond"),
    "negotiating": ("#e69f00", "triangle"),
    "estimate": ("#cc79a7", "hexagon"),
    "none": ("#7a7a7a", "circle"),
}

# mode -> (colour, SVG dash array, matplotlib dashes): mode is readable without colour.
ROUTE_MODE: dict[str, tuple[str, str, tuple[float, ...]]] = {
    "rail": ("#6a3d9a", "10 4 2 4", (5, 2, 1, 2)),
    "road": ("#8c564b", "6 4", (3, 2)),
    "sea": ("#0072b2", "2 5", (1, 2.5)),
    "pipeline": ("#b15928", "14 3", (7, 1.5)),
    "air": ("#444444", "1 6", (0.5, 3)),
    "none": ("#6a3d9a", "8 6", (4, 3)),
}

RESOURCE_FILL = {"fill": "#f0e442", "opacity": 0.45, "edge": "#b8a800"}

# Commodity group -> badge colour: a partner country carries one small square per group of its
# commodities, so a country's fill can stay one colour and the legend one swatch per group.
COMMODITY_GROUP = {
    "energy": "#b15928",
    "battery": "#1b9e77",
    "semiconductor": "#7570b3",
    "other": "#7a7a7a",
}

BASEMAP = {
    "water": "#dbe9f4",
    "land": "#f7f5f0",
    "edge": "#b9b4a8",
    "partner": "#efe3c4",
    "home": "#e6ecf5",
    "label": "#6b6658",
}


def deal_radius(amount: float | None, largest: float | None, smallest_px: float = 6.0,
                largest_px: float = 26.0) -> float:  # fmt: skip
    """Radius in pixels of a proportional symbol: area proportional to the value.

    A deal without a comparable value gets the smallest symbol.
    """
    if not amount or not largest:
        return smallest_px
    return max(smallest_px, largest_px * math.sqrt(amount / largest))


# Trade routes: a route with a value in the sizing currency is this wide at the largest value;
# one without is hairline-thin (and the legend says so).
FLOW_MAX_PX = 10.0
FLOW_MIN_PX = 2.0
FLOW_UNSIZED_PX = 1.5


def flow_width(amount: float | None, largest: float | None) -> float:
    """Line width in pixels of a flow: proportional to the square root of its value."""
    if not amount or not largest:
        return FLOW_UNSIZED_PX
    return max(FLOW_MIN_PX, FLOW_MAX_PX * math.sqrt(amount / largest))
