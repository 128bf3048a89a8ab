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
from typing import TYPE_CHECKING, Any, cast

from geo import i18n
from geo.style import DEAL_STATUS, ITINERARY, RESOURCE_FILL, ROUTE_MODE

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["folder_name", "placemark_columns"]

_Row = dict[str, Any]
_FILL_ALPHA = float(cast(float, RESOURCE_FILL["opacity"]))


def _text(row: _Row, field: str, lang: str, default: str) -> str:
    """A text field in ``lang``, or in the trip's own language when the trip lacks ``lang``."""
    value = row.get(f"{field}_{lang}", row.get(f"{field}_{default}"))
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


def _money(values: Any, lang: str) -> str:
    return " / ".join(i18n.money(float(v["amount"]), v["currency"], lang) for v in values or [])


def _lines(*pairs: tuple[str, str]) -> str:
    """The description: ``label: value`` lines. Trip text is escaped, so Google Earth shows it as
    text and never as markup; ``<br>`` is the only tag."""
    return "<br>".join(
        html.escape(f"{label}: {value}" if label else value) for label, value in pairs if value
    )


def _colour(hex_rgb: str, alpha: float = 1.0) -> str:
    """``#rrggbb`` to an OGR style colour ``#RRGGBBAA``."""
    return f"{hex_rgb.upper()}{round(alpha * 255):02X}"


def _stop(row: _Row, lang: str, default: str) -> tuple[str, str, str]:
    name = f"{row['stop']}. {_text(row, 'label', lang, default)}"
    dates = i18n.date_range(row.get("arrive_date"), row.get("depart_date"), lang, year=True)
    description = _lines(
        ("", dates),
        ("", _text(row, "venue", lang, default)),
        ("", _text(row, "note", lang, default)),
    )
    return name, description, f"SYMBOL(c:{_colour(str(ITINERARY['stop']))},s:1.2)"


def _leg(row: _Row, lang: str, default: str) -> tuple[str, str, str]:
    name = (
        f"{i18n.t('leg_word', lang)} {row['leg']}: {_text(row, 'from_label', lang, default)}"
        f" → {_text(row, 'to_label', lang, default)}"
    )
    mode = row.get("mode")
    description = _lines(
        ("", f"{row['distance_km']:,.0f} {i18n.t('km', lang)}"),
        (i18n.t("mode", lang), i18n.t(f"mode_{mode}", lang) if mode else ""),
    )
    colour = ROUTE_MODE[mode][0] if mode in ROUTE_MODE else str(ITINERARY["line"])
    return name, description, f"PEN(c:{_colour(colour)},w:3px)"


def _deal(row: _Row, lang: str, default: str) -> tuple[str, str, str]:
    status = row.get("status") or "none"
    description = _lines(
        (i18n.t("status", lang), i18n.t(f"status_{status}", lang)),
        (i18n.t("value", lang), _money(row.get("value"), lang)),
        (i18n.t("parties", lang), _text(row, "parties", lang, default)),
        (i18n.t("sector", lang), _text(row, "sector", lang, default)),
        ("", _text(row, "site_name", lang, default)),
        (i18n.t("source", lang), str(row.get("source") or "")),
    )
    colour = DEAL_STATUS.get(status, DEAL_STATUS["none"])[0]
    return _text(row, "title", lang, default), description, f"SYMBOL(c:{_colour(colour)},s:1)"


def _resource(row: _Row, lang: str, default: str) -> tuple[str, str, str]:
    commodities = ", ".join(i18n.commodity(c, lang) for c in row.get("commodities") or [])
    description = _lines(
        (i18n.t("commodities", lang), commodities),
        (i18n.t("uses", lang), _text(row, "uses", lang, default)),
        (i18n.t("agreement", lang), _text(row, "agreement_title", lang, default)),
        (i18n.t("source", lang), str(row.get("source") or "")),
    )
    style = (
        f"BRUSH(fc:{_colour(str(RESOURCE_FILL['fill']), _FILL_ALPHA)});"
        f"PEN(c:{_colour(str(RESOURCE_FILL['edge']))},w:1px)"
    )
    return _text(row, "country_name", lang, default), description, style


def _route(row: _Row, lang: str, default: str) -> tuple[str, str, str]:
    mode = row.get("mode") or "none"
    description = _lines(
        (i18n.t("mode", lang), i18n.t(f"mode_{mode}", lang)),
        (i18n.t("goods", lang), _text(row, "goods", lang, default)),
        (i18n.t("value", lang), _money(row.get("value"), lang)),
        ("", _text(row, "description", lang, default)),
        (i18n.t("source", lang), str(row.get("source") or "")),
    )
    colour = ROUTE_MODE.get(mode, ROUTE_MODE["none"])[0]
    return _text(row, "name", lang, default), description, f"PEN(c:{_colour(colour)},w:3px)"


_PLACEMARK: dict[str, Callable[[_Row, str, str], tuple[str, str, str]]] = {
    "stops": _stop,
    "legs": _leg,
    "deals": _deal,
    "resources": _resource,
    "routes": _route,
}


def folder_name(layer: str, lang: str) -> str:
    """The name of a layer's folder, as the map's legend names the layer (``Trade routes``)."""
    return i18n.t(layer, lang)


def placemark_columns(
    layer: str, frame: gpd.GeoDataFrame, lang: str, default: str
) -> dict[str, list[str]]:
    """The ``name``, ``description`` and ``OGR_STYLE`` of each feature of a layer.

    Parameters
    ----------
    layer : str
        One of the trip's layers (``stops``, ``legs``, ``deals``, ``resources``, ``routes``).
    frame : geopandas.GeoDataFrame
        That layer, as :meth:`geo.trip.Trip.layers` gives it (lists and dates unconverted).
    lang : str
        Language of the names and descriptions.
    default : str
        The trip's own language, used for a text the trip does not give in ``lang``.

    Returns
    -------
    dict of str to list of str
        Three columns, one value per feature, in the frame's order.
    """
    make = _PLACEMARK[layer]
    rows = frame.drop(columns=frame.geometry.name).to_dict("records")
    made = [make(row, lang, default) for row in rows]
    return {
        "name": [m[0] for m in made],
        "description": [m[1] for m in made],
        "OGR_STYLE": [m[2] for m in made],
    }
