"""The trade map's page pieces: the box it frames, its legend and its words
(:mod:`geo.trademap` makes its data)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from geo.i18n import Locale

__all__ = ["trade_bounds", "trade_legend", "trade_strings"]

TRADE_STRINGS = ("trade_in", "trade_out", "trade_rows", "trade_shown", "trade_filters",
                 "trade_all", "mode")  # fmt: skip


def trade_bounds(trade: dict[str, Any]) -> list[list[float]]:
    """The box of the places (``[[west, south], [east, north]]``), across the antimeridian
    where that box is narrower."""
    from geo.geodesy import near_lon

    xy = np.array([p[:2] for p in trade["places"]], dtype=float).reshape(-1, 2)
    lon = xy[:, 0]
    shifted = near_lon(lon, 180.0)  # longitudes in [0, 360)
    if np.ptp(shifted) < np.ptp(lon):
        lon = shifted
    return [[float(lon.min()), float(xy[:, 1].min())], [float(lon.max()), float(xy[:, 1].max())]]


def trade_legend(trade: dict[str, Any], loc: Locale) -> list[dict[str, Any]]:
    """The legend's section of the trade map, in the keys geo-map.js reads."""
    ink = trade["ink"]
    items = [
        {"kind": "width", "label": loc.t("flow_width", cur=trade["currency"]), "color": ink,
         "width": 6},
        {"kind": "note", "label": loc.t("trade_bend")},
        {"kind": "stop", "label": loc.t("trade_circle")},
        {"kind": "note", "label": loc.t("trade_cluster")},
    ]  # fmt: skip
    return [{"title": loc.t("trade_title"), "items": items}]


def trade_strings(loc: Locale) -> dict[str, str]:
    """The words the trade layer of geo-map.js shows."""
    return {k: loc.t(k) for k in TRADE_STRINGS}
