"""The trade map's page pieces: the box it frames, its legend and its words
(:mod:`geo.trademap` makes its data)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from geo.i18n import Locale

__all__ = ["TEXT_FLOWS", "trade_bounds", "trade_legend", "trade_strings", "trade_text"]

# Rows of the text version: the largest flows and places.
TEXT_FLOWS = 20

TRADE_STRINGS = ("trade_in", "trade_out", "trade_rows", "trade_shown", "trade_filters",
                 "trade_all", "mode", "value")  # fmt: skip


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


def trade_text(trade: dict[str, Any], loc: Locale) -> str:
    """The text version of the trade map: the largest flows between places and the places of
    most trade, every year, good and mode together, as HTML tables. Every string is escaped."""
    from html import escape

    places, flows, cur = trade["places"], trade["flows"], trade["currency"]
    pairs: dict[tuple[int, int], float] = {}
    inn: dict[int, float] = {}
    out: dict[int, float] = {}
    for o, d, v in zip(flows["o"], flows["d"], flows["v"], strict=True):
        pairs[(o, d)] = pairs.get((o, d), 0.0) + v
        out[o] = out.get(o, 0.0) + v
        inn[d] = inn.get(d, 0.0) + v

    def e(text: str) -> str:
        return escape(text, quote=True)

    top = sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0]))[:TEXT_FLOWS]
    most = sorted(set(inn) | set(out), key=lambda i: (-(inn.get(i, 0) + out.get(i, 0)), i))
    html = [f'<details class="geo-text"><summary>{e(loc.t("text_version"))}</summary>']
    html.append(f"<h2>{e(loc.t('trade_title'))}</h2><table><tbody>")
    for (o, d), v in top:
        html.append(
            f"<tr><td>{e(places[o][2])} → {e(places[d][2])}</td>"
            f"<td>{e(loc.money(v, cur))}</td></tr>"
        )
    html.append(f"</tbody></table><h2>{e(loc.t('trade_places'))}</h2><table><tbody>")
    for i in most[:TEXT_FLOWS]:
        html.append(
            f"<tr><td>{e(places[i][2])}</td>"
            f"<td>{e(loc.t('trade_in'))} {e(loc.money(inn.get(i, 0.0), cur))}</td>"
            f"<td>{e(loc.t('trade_out'))} {e(loc.money(out.get(i, 0.0), cur))}</td></tr>"
        )
    html.append("</tbody></table></details>")
    return "\n".join(html)
