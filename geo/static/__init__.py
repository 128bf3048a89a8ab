"""Static maps for print and social media: PNG, SVG and PDF, drawn with matplotlib.

The map is drawn on a projection centred on the trip, never Web Mercator: a Lambert conformal
conic with standard parallels at one sixth and five sixths of the trip's latitude range for a trip
in the mid-latitudes of one hemisphere, an azimuthal equidistant projection centred on the trip
otherwise (across the equator, near a pole, or wider than 160 degrees of longitude). Legs are the
densified geodesics of :attr:`geo.trip.Trip.leg_paths`, projected vertex by vertex (a geodesic
is a curve on both projections, if a gentle one on the conic), over a faint graticule that shows
how far north a long leg climbs.

Colours, shapes and dashes come from :mod:`geo.style`, words and dates from :mod:`geo.i18n`, so
an image matches the HTML map. Korean is set in NanumGothic, which the ``koreanize-matplotlib``
package ships (the package is never imported: its import changes matplotlib's global settings;
the font files are registered by path). Without it, a system "Noto Sans CJK KR" is used.

Output is deterministic: the same trip and size give byte-identical SVG, PDF and PNG files
(no timestamps, a fixed SVG id salt). matplotlib is imported only when a map is drawn, its global
settings are changed only inside a context, and pyplot is never used.

The package, one module per step (imports of matplotlib stay inside the functions that draw, so
importing :mod:`geo.static` stays light):

- :mod:`~geo.static.sizes`: ``--size`` presets, pixel sizes, image formats
- :mod:`~geo.static.theme`: type sizes in points (colours: the canvas's palette, geo.palette)
- :mod:`~geo.static.projection`: the projection for a trip, (inverse) projecting
- :mod:`~geo.static.scene`: what the image shows, as projected plain data built from the Trip
- :mod:`~geo.static.labels`: label placement (eight candidate positions, least covered)
- :mod:`~geo.static.fonts`: Korean fonts by path, quiet font logs
- :mod:`~geo.static.layout`: the figure, title, subtitle, footer and map axes
- :mod:`~geo.static.legend`: the legend box
- :mod:`~geo.static.extent`: the map's extent and the legend's corner
- :mod:`~geo.static.countries`: the clipped, projected basemap and country names
- :mod:`~geo.static.graticule`: parallels and meridians
- :mod:`~geo.static.inset`: the inset locator, in a corner free of stops, deals and the legend
- :mod:`~geo.static.artists`: small matplotlib pieces (symbols, paths, halos, arrows)
- :mod:`~geo.static.drawing`: a scene drawn on a figure, step by step
- :mod:`~geo.static.output`: bytes in memory and atomic files

>>> from geo.static import render_static
>>> render_static(trip, "map.png", size="social", lang="ko")  # doctest: +SKIP
"""

from __future__ import annotations

from geo.static.labels import DIRECTIONS, candidate_boxes, place_labels
from geo.static.output import render_bytes, render_static
from geo.static.projection import Projection, choose_projection
from geo.static.sizes import FORMATS, PRESETS, Size, parse_size

__all__ = [
    "DIRECTIONS",
    "FORMATS",
    "PRESETS",
    "Projection",
    "Size",
    "candidate_boxes",
    "choose_projection",
    "parse_size",
    "place_labels",
    "render_bytes",
    "render_static",
]
