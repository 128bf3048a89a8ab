"""folium elements that draw a trip: one module-level class each, as folium's own plugins are.

:class:`TripLayer` draws a trip's layers onto any ``folium.Map`` (``Trip.explore``); the article
page of ``geo map`` uses the same element on a :class:`LightMap`. Trip text never passes through
a Jinja template: folium renders each macro's output a second time as a template, so the data
travels in an element whose fixed template inserts it once, as a value, in a
``<script type="application/json">`` block escaped for HTML; the macros see only our own names.

This module imports folium: import it lazily (``geo --help`` must stay instant).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import lru_cache
from importlib.resources import files
from typing import TYPE_CHECKING, Any

import folium
from branca.element import Element, Figure, MacroElement, Template
from folium.template import Template as FoliumTemplate

if TYPE_CHECKING:
    from geo.i18n import Locale


__all__ = [
    "LAYERS",
    "MAP_SCRIPT_MODULES",
    "LightMap",
    "ScriptOnly",
    "TripLayer",
    "json_for_script",
    "map_script",
    "trip_groups",
]

# The layers a trip draws, bottom to top.
LAYERS = ("basemap", "resources", "routes", "itinerary", "deals")


# The map script's modules, one concern each, in the order the page runs them: together they
# are one function scope (the first opens it, the last closes it), joined when a page is
# rendered; no bundler at install time. tests/js/ unit-tests their pure functions with Node.
MAP_SCRIPT_MODULES = (
    "00-core.js",  # the scope, coordinate order, DOM helpers that never parse trip text
    "10-symbols.js",  # deal status shapes as SVG
    "20-basemap.js",  # decoding the basemap's polygons
    "30-markers.js",  # popups, arrows, accessible names of markers
    "35-layers.js",  # the layers: basemap, resources, routes, itinerary, deals
    "38-legend.js",  # the legend, from the payload's sections
    "39-inset.js",  # the inset locator: the region's land with the map's view marked
    "40-draw.js",  # geoDrawTrip: panes, the layers in order, the controls, the framing
    "50-fit.js",  # framing: zoom and centre so everything drawn fits; deal symbols spread
    "60-declutter.js",  # label placement: candidates, collisions, hiding
    "70-timeline.js",  # the day-by-day timeline control
    "72-trade.js",  # the trade map: flows summed between clusters, by zoom and filter
    "75-story.js",  # chapters a host page steps through by postMessage (embed mode)
    "78-storypage.js",  # the story page: the chapter being read drives the map
    "80-embed.js",  # embed controls: full screen, height to the parent page
    "90-end.js",  # closes the scope
)


@lru_cache(maxsize=1)
def map_script() -> str:
    """``geo-map.js``: the map script's modules joined in their fixed order."""
    base = files("geo.render") / "js"
    return "".join((base / name).read_text(encoding="utf-8") for name in MAP_SCRIPT_MODULES)


@lru_cache(maxsize=4)
def resource(name: str) -> str:
    """One of geo's own page assets (``geo-map.js``, joined from its modules; ``geo-map.css``)."""
    if name == "geo-map.js":
        return map_script()
    return (files("geo.render") / name).read_text(encoding="utf-8")


def json_for_script(data: Any) -> str:
    """JSON safe inside ``<script type="application/json">``: no ``</script>``, no ``<!--``."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


class ScriptOnly(Figure):
    """A figure that renders only the map's script. folium's templates see our own words and
    numbers (layer names, options), never trip text: the page around the script, where trip
    text goes, is assembled in Python by :mod:`geo.render.page`."""

    _template = Template("{{ this.script.render(**kwargs) }}")


class LightMap(folium.Map):
    """folium.Map without folium's CDN stack and with an accessible container."""

    default_js: list[tuple[str, str]] = []
    default_css: list[tuple[str, str]] = []
    container_id = "geo-map"
    _template = FoliumTemplate(
        """
        {% macro header(this, kwargs) %}{% endmacro %}
        {% macro html(this, kwargs) %}{% endmacro %}
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.map({{ this.container_id|tojson }}, {
            center: {{ this.location|tojson }},
            crs: L.CRS.{{ this.crs }},
            ...{{ this.options|tojavascript }}
        });
        {%- if this.control_scale %}
        L.control.scale({imperial: false}).addTo({{ this.get_name() }});
        {%- endif %}
        {% endmacro %}
        """
    )


class LayerControl(folium.LayerControl):
    """folium's LayerControl, open on wide screens and folded into a button on phones."""

    _template = FoliumTemplate(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.control.layers(
            {},
            { {%- for key, val in this.overlays.items() %}
              {{ key|tojson }}: {{ val }},
            {%- endfor %} },
            { position: "topright", autoZIndex: true,
              collapsed: window.innerWidth < 600 }
        ).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )


class _Inline(Element):
    """Our own stylesheet or script, inserted once as a value (never compiled)."""

    _template = Template("<{{ this.tag }}>{{ this.code }}</{{ this.tag }}>")

    def __init__(self, tag: str, code: str) -> None:
        super().__init__()
        self.tag, self.code = tag, code


class _Data(Element):
    """The trip's JSON payload, inserted once as a value: Jinja never parses a value it
    inserts, and :func:`json_for_script` keeps it inside its ``<script>`` element."""

    _template = Template(
        '<script type="application/json" id="{{ this.dom_id }}">{{ this.json }}</script>'
    )

    def __init__(self, dom_id: str, payload: Mapping[str, Any]) -> None:
        super().__init__()
        self.dom_id, self.json = dom_id, json_for_script(payload)


class TripLayer(MacroElement):
    """Draws a trip onto a folium map with ``geo-map.js``, into the given feature groups.

    Parameters
    ----------
    payload
        From :func:`geo.render.payload.build_payload`.
    groups
        One ``folium.FeatureGroup`` (or None, not drawn) per name in :data:`LAYERS`.
    data_id
        The DOM id of the payload's ``<script type="application/json">``.
    standalone
        Add ``geo-map.js``, its stylesheet and the payload to the map's page (True for a map a
        user renders with folium; the article page of ``geo map`` writes them itself).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        geoDrawTrip({{ this._parent.get_name() }},
            JSON.parse(document.getElementById({{ this.data_id|tojson }}).textContent),
            { {%- for key, group in this.groups.items() -%}
              {{ key|tojson }}: {{ group.get_name() if group else "null" }},
            {%- endfor -%} });
        {% endmacro %}
        """
    )

    def __init__(
        self,
        payload: Mapping[str, Any],
        groups: dict[str, Any],
        data_id: str = "geo-data",
        standalone: bool = True,
    ) -> None:
        super().__init__()
        self._name = "TripLayer"
        self.payload, self.groups = payload, groups
        self.data_id, self.standalone = data_id, standalone

    def render(self, **kwargs: Any) -> Any:
        if self.standalone:
            root: Any = self.get_root()
            root.header.add_child(_Inline("style", resource("geo-map.css")), name="geo_map_css")
            root.header.add_child(_Inline("script", resource("geo-map.js")), name="geo_map_js")
            root.html.add_child(_Data(self.data_id, self.payload), name=self.data_id)
        return super().render(**kwargs)


def trip_groups(
    fmap: folium.Map, payload: Mapping[str, Any], loc: Locale, layers: tuple[str, ...]
) -> dict[str, Any]:
    """A feature group per layer the trip has and ``layers`` asks for (None for the others:
    an empty group would be a toggle that does nothing), added to ``fmap``."""
    present = {
        "basemap": 1,
        "resources": len(payload["resources"]),
        "routes": len(payload["routes"]),
        "itinerary": len(payload["stops"]),
        "deals": len(payload["deals"]),
    }
    groups: dict[str, Any] = {}
    for key in LAYERS:
        if key not in layers or not present[key]:
            groups[key] = None
        elif key == "basemap":
            groups[key] = folium.FeatureGroup(name="basemap", control=False).add_to(fmap)
        else:
            groups[key] = folium.FeatureGroup(name=loc.t(key)).add_to(fmap)
    return groups
