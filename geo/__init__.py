"""geo: itineraries and trade routes as GeoDataFrames, geodesic GeoJSON and light Folium maps.

>>> import geo
>>> trip = geo.load_trip(geo.bundled_trip())
>>> trip.legs[["from_label_en", "to_label_en", "distance_km"]]
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geo.errors import (
    ExportError,
    GazetteerError,
    GeodesyError,
    GeoError,
    RoutingError,
    TripFormatError,
)

if TYPE_CHECKING:
    from geo.trip import Trip

__all__ = [
    "ExportError",
    "GazetteerError",
    "GeoError",
    "GeodesyError",
    "RoutingError",
    "Trip",
    "TripFormatError",
    "__version__",
    "bundled_trip",
    "load_trip",
]

try:
    __version__ = version("geo-itinerary")
except PackageNotFoundError:  # pragma: no cover - running from a checkout without install
    __version__ = "0+unknown"

BUNDLED_TRIP = "k-silk-road-2024.yaml"


def __getattr__(name: str) -> Any:
    # geo.Trip pulls in numpy; importing it lazily keeps `geo --help` instant.
    if name == "Trip":
        from geo.trip import Trip

        return Trip
    raise AttributeError(f"module 'geo' has no attribute {name!r}")


def bundled_trip() -> Path:
    """Path of the bundled dataset: the June 2024 state visit to Central Asia."""
    from geo._data import data_path

    return data_path(BUNDLED_TRIP)


def load_trip(path: str | Path, tolerance_km: float = 1.0) -> Trip:
    """Read, validate and build a trip from a YAML file or a folder of CSVs.

    Parameters
    ----------
    path
        A ``.yaml``/``.yml`` file or a folder with ``stops.csv`` (see docs/trip-format.md).
    tolerance_km
        How far a drawn leg may stray from the true geodesic.

    Raises
    ------
    TripFormatError
        Listing every problem in the file, or naming the sea leg or route that cannot be
        routed.
    GeoError
        When the file cannot be read at all.
    """
    from geo.errors import Problem
    from geo.formats import read_raw
    from geo.schema import locate, validate
    from geo.trip import build_trip

    raw, origins = read_raw(path)
    records = validate(raw, str(path), origins)
    try:
        return build_trip(records, tolerance_km)
    except RoutingError as exc:
        # A sea leg that cannot be routed is a problem of the file, named like any other.
        p = exc.problem
        problem = Problem(locate(p.where, origins), p.message, p.fix)
        raise TripFormatError(str(path), [problem]) from None
