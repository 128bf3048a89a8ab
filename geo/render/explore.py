"""``Trip.explore``: a trip's layers on a ``folium.Map``, yours or a new one (geopandas style)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from geo.errors import ParameterError

if TYPE_CHECKING:
    import folium

    from geo.trip import Trip

__all__ = ["explore"]


def _check_layers(layers: Any, default: tuple[str, ...]) -> tuple[str, ...]:
    from geo.render.layer import LAYERS

    if layers is None:
        return default
    chosen = (layers,) if isinstance(layers, str) else tuple(layers)
    unknown = [x for x in chosen if x not in LAYERS]
    if unknown:
        raise ParameterError("layers", unknown[0], "is not a layer", LAYERS)
    return chosen


def explore(
    trip: Trip,
    m: folium.Map | None = None,
    *,
    lang: str | None = None,
    tiles: str | None = None,
    layers: Any = None,
    **kwargs: Any,
) -> folium.Map:
    """Draw a trip onto ``m`` (or a new ``folium.Map``) and return the map.

    Parameters
    ----------
    trip
        From :func:`geo.load_trip`.
    m
        An existing map to draw on; it is returned with the trip's layers added (the map is
        fitted to the trip). Without it, a new ``folium.Map`` is made with ``**kwargs``.
    lang
        An interface language (``en``, ``ja``, ``ko``, ``ru``; a BCP 47 tag); defaults to the
        trip's own language.
    tiles
        A keyless xyzservices provider name for a new map (``OpenStreetMap.Mapnik``). Without
        it a new map shows the offline Natural Earth basemap; on an existing map the basemap
        is left out unless ``layers`` names it, so your tiles stay visible.
    layers
        Which of ``basemap``, ``resources``, ``routes``, ``itinerary``, ``deals`` to draw.
    **kwargs
        Passed to ``folium.Map`` when ``m`` is None.
    """
    import folium

    from geo.render.layer import LAYERS, TripLayer, trip_groups
    from geo.render.page import map_locale, tile_layer_args
    from geo.render.payload import build_payload

    loc = map_locale(trip, lang)
    has_tiles = bool(tiles) or m is not None
    default = tuple(x for x in LAYERS if x != "basemap") if has_tiles else LAYERS
    chosen = _check_layers(layers, default)
    payload = build_payload(trip, loc)
    if m is None:
        (w, s), (e, n) = payload["bounds"]
        options: dict[str, Any] = {
            "location": [(s + n) / 2, (w + e) / 2],
            "zoom_start": 3,
            "tiles": None,
        }
        m = folium.Map(**(options | kwargs))
        if tiles:
            url, attribution, max_zoom = tile_layer_args(tiles)
            folium.TileLayer(url, attr=attribution, name=tiles, max_zoom=max_zoom).add_to(m)
    groups = trip_groups(m, payload, loc, chosen)
    layer = TripLayer(payload, groups)
    layer.data_id = f"geo-data-{layer.get_name()}"
    layer.add_to(m)
    return m
