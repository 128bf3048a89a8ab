"""What a KML export adds to the layers: placemark names, descriptions and styles.

KML itself is written by GDAL's LIBKML driver (through pyogrio); this module only computes three
columns per layer that the driver turns into KML elements: ``name`` (``<name>``, plain text),
``description`` (``<description>``, which Google Earth and My Maps show as HTML) and
``OGR_STYLE`` (an OGR feature style string, which LIBKML writes as an inline ``<Style>``). The
colours are the map's (:mod:`geo.style`): legs and routes by mode, deals by status.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from geo.style import DEAL_STATUS, ITINERARY, RESOURCE_FILL, ROUTE_MODE

if TYPE_CHECKING:
    import geopandas as gpd

    from geo.i18n import Locale

__all__ = ["Names", "folder_name", "placemark_columns"]

_Row = dict[str, Any]


@dataclass(frozen=True)
class Names:
    """What a placemark is named in: the locale, the trip's own language, and each stop's name
    as the map in that locale shows it (:func:`geo.scene.stop_labels`)."""

    loc: Locale
    default: str
    stops: tuple[str, ...] = ()


_FILL_ALPHA = float(cast(float, RESOURCE_FILL["opacity"]))


def _text(row: _Row, field: str, n: Names) -> str:
    """A text field in the locale's language, or in the trip's own language when the trip
    lacks it; a stop's name as the map names it."""
    stop = {"label": "stop", "from_label": "from_stop", "to_label": "to_stop"}.get(field)
    if stop and n.stops and isinstance(row.get(stop), int | np.integer):
        return n.stops[int(row[stop]) - 1]
    value = next(
        (row[f"{field}_{lang}"] for lang in n.loc.chain if f"{field}_{lang}" in row),
        row.get(f"{field}_{n.default}"),
    )
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


def _money(values: Any, loc: Locale) -> str:
    return " / ".join(loc.money(float(v["amount"]), v["currency"]) for v in values or [])


def _lines(*pairs: tuple[str, str]) -> str:
    """The description: ``label: value`` lines. Trip text is escaped, so Google Earth shows it as
    text and never as markup; ``<br>`` is the only tag."""
    return "<br>".join(
        html.escape(f"{label}: {value}" if label else value) for label, value in pairs if value
    )


def _colour(hex_rgb: str, alpha: float = 1.0) -> str:
    """``#rrggbb`` to an OGR style colour ``#RRGGBBAA``."""
    return f"{hex_rgb.upper()}{round(alpha * 255):02X}"


def _stop(row: _Row, n: Names) -> tuple[str, str, str]:
    loc = n.loc
    name = f"{row['stop']}. {_text(row, 'label', n)}"
    dates = loc.date_range(row.get("arrive_date"), row.get("depart_date"), year=True)
    description = _lines(
        ("", dates),
        ("", _text(row, "venue", n)),
        ("", _text(row, "note", n)),
    )
    return name, description, f"SYMBOL(c:{_colour(str(ITINERARY['stop']))},s:1.2)"


def _leg(row: _Row, n: Names) -> tuple[str, str, str]:
    loc = n.loc
    name = (
        f"{loc.t('leg_word')} {row['leg']}: {_text(row, 'from_label', n)}"
        f" → {_text(row, 'to_label', n)}"
    )
    mode = row.get("mode")
    description = _lines(
        ("", loc.km(row["distance_km"])),
        (loc.t("mode"), loc.t(f"mode_{mode}") if mode else ""),
    )
    colour = ROUTE_MODE[mode][0] if mode in ROUTE_MODE else str(ITINERARY["line"])
    return name, description, f"PEN(c:{_colour(colour)},w:3px)"


def _deal(row: _Row, n: Names) -> tuple[str, str, str]:
    loc = n.loc
    status = row.get("status") or "none"
    description = _lines(
        (loc.t("status"), loc.t(f"status_{status}")),
        (loc.t("value"), _money(row.get("value"), loc)),
        (loc.t("parties"), _text(row, "parties", n)),
        (loc.t("sector"), _text(row, "sector", n)),
        ("", _text(row, "site_name", n)),
        (loc.t("source"), str(row.get("source") or "")),
    )
    colour = DEAL_STATUS.get(status, DEAL_STATUS["none"])[0]
    return _text(row, "title", n), description, f"SYMBOL(c:{_colour(colour)},s:1)"


def _resource(row: _Row, n: Names) -> tuple[str, str, str]:
    loc = n.loc
    commodities = ", ".join(loc.commodity(c) for c in row.get("commodities") or [])
    description = _lines(
        (loc.t("commodities"), commodities),
        (loc.t("uses"), _text(row, "uses", n)),
        (loc.t("agreement"), _text(row, "agreement_title", n)),
        (loc.t("source"), str(row.get("source") or "")),
    )
    style = (
        f"BRUSH(fc:{_colour(str(RESOURCE_FILL['fill']), _FILL_ALPHA)});"
        f"PEN(c:{_colour(str(RESOURCE_FILL['edge']))},w:1px)"
    )
    name = loc.country(row["country"]) if row.get("country") else _text(row, "country_name", n)
    return name, description, style


def _route(row: _Row, n: Names) -> tuple[str, str, str]:
    loc = n.loc
    mode = row.get("mode") or "none"
    description = _lines(
        (loc.t("mode"), loc.t(f"mode_{mode}")),
        (loc.t("goods"), _text(row, "goods", n)),
        (loc.t("value"), _money(row.get("value"), loc)),
        ("", _text(row, "description", n)),
        (loc.t("source"), str(row.get("source") or "")),
    )
    colour = ROUTE_MODE.get(mode, ROUTE_MODE["none"])[0]
    return _text(row, "name", n), description, f"PEN(c:{_colour(colour)},w:3px)"


_PLACEMARK: dict[str, Callable[[_Row, Names], tuple[str, str, str]]] = {
    "stops": _stop,
    "legs": _leg,
    "deals": _deal,
    "resources": _resource,
    "routes": _route,
}


def folder_name(layer: str, loc: Locale) -> str:
    """The name of a layer's folder, as the map's legend names the layer (``Trade routes``)."""
    return loc.t(layer)


def placemark_columns(layer: str, frame: gpd.GeoDataFrame, names: Names) -> dict[str, list[str]]:
    """The ``name``, ``description`` and ``OGR_STYLE`` of each feature of a layer.

    Parameters
    ----------
    layer : str
        One of the trip's layers (``stops``, ``legs``, ``deals``, ``resources``, ``routes``).
    frame : geopandas.GeoDataFrame
        That layer, as :meth:`geo.trip.Trip.layers` gives it (lists and dates unconverted).
    names : Names
        The language of the names and descriptions, the trip's own language (for a text the
        trip does not give in the first), and the stops' names.

    Returns
    -------
    dict of str to list of str
        Three columns, one value per feature, in the frame's order.
    """
    make = _PLACEMARK[layer]
    rows = frame.drop(columns=frame.geometry.name).to_dict("records")
    made = [make(row, names) for row in rows]
    return {
        "name": [m[0] for m in made],
        "description": [m[1] for m in made],
        "OGR_STYLE": [m[2] for m in made],
    }
