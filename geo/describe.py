"""A trip as plain text: ``geo info``, and the words of the maps' text alternatives."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from geo.i18n import Locale, locale
from geo.scene import (
    column,
    country_commodities,
    deal_value,
    path_words,
    resources_by_country,
    stop_labels,
)

if TYPE_CHECKING:
    from geo.trip import Trip

__all__ = ["alt_text", "describe", "stop_dates"]

NM_PER_KM = 1 / 1.852


def _pad(text: str, width: int) -> str:
    """Pad to a terminal width, counting Korean (wide) characters as two columns."""
    import unicodedata

    used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(1, width - used)


def stop_dates(row: Any, loc: Locale) -> str:
    """``arrive Jun 11, 2024 · depart Jun 13, 2024`` for a stop row."""
    parts = []
    if row["arrive"] is not None:
        parts.append(f"{loc.t('arrive')} {loc.when(row['arrive'])}")
    if row["depart"] is not None:
        parts.append(f"{loc.t('depart')} {loc.when(row['depart'])}")
    return " · ".join(parts)


def describe(trip: Trip, lang: str | Locale, nautical: bool = False) -> str:
    """The trip as text: title, stops with local dates, legs with distances, deals; the names
    are those the map in ``lang`` shows."""
    loc = locale(lang)
    meta = trip.meta
    lines = [loc.text(meta.title, meta.lang)]
    if meta.subtitle:
        lines.append(loc.text(meta.subtitle, meta.lang))
    s = trip.stops
    labels = stop_labels(trip, loc)
    lines += ["", loc.t("stops")]
    for i, (_, row) in enumerate(s.iterrows()):  # a handful of rows, formatted for people
        lines.append(
            _pad(f"  {row['stop']:>2}  {labels[i]} ({row['country']})", 34) + stop_dates(row, loc)
        )
    lines += ["", loc.t("legs")]

    def dist(km: float) -> str:
        text = f"{loc.number(km, 1):>10} {loc.t('km')}"
        return text + (f"  {loc.number(km * NM_PER_KM, 1):>9} {loc.t('nmi')}" if nautical else "")

    for _, row in trip.legs.iterrows():
        mode = loc.t(f"mode_{row['mode']}")
        name = f"  {row['leg']:>2}  {labels[row['from_stop'] - 1]} → {labels[row['to_stop'] - 1]}"
        kind = path_words(row["mode"], row["path"], row["great_circle_km"], loc)
        lines.append(_pad(name, 40) + _pad(mode, 6) + dist(row["distance_km"]) + f"  {kind}")
    total = _pad(f"  {loc.t('total')}", 46) + dist(trip.total_km)
    if (trip.legs["path"] == "sea-lane").any():
        gc = trip.legs["great_circle_km"].sum()
        total += f"  ({loc.t('great_circle')} {loc.km(gc)})"
    lines.append(total)
    if len(trip.deals):
        lines += ["", loc.t("deals")]
        titles = column(trip.deals, "title", loc, meta.lang)
        for i, (_, row) in enumerate(trip.deals.iterrows()):
            title = titles[i]
            status = loc.t(f"status_{row['status'] or 'none'}")
            where = f" [{row['country']}]" if row["country"] else ""
            lines.append(f"  {row['deal']:>2}  {title}{where}")
            lines.append(f"      {status} · {deal_value(row['value'], loc)}")
    if len(trip.resources):
        lines += ["", loc.t("resources")]
        for _, rows in resources_by_country(trip):
            code = trip.resources.iloc[rows[0]]["country"]
            lines.append(f"  {loc.country(code)}: {country_commodities(trip, rows, loc)}")
    if len(trip.routes):
        lines += ["", loc.t("routes")]
        names = column(trip.routes, "name", loc, meta.lang)
        for i, (_, row) in enumerate(trip.routes.iterrows()):
            kind = path_words(row["mode"], row["path"], row["great_circle_km"], loc)
            wps = " → ".join(row["waypoints"])
            if len(trip.records.routes) == len(trip.routes):
                wps = " → ".join(
                    loc.text(w.names, meta.lang) if w.names else w.name
                    for w in trip.records.routes[i].waypoints
                )
            lines.append(f"  {names[i]}: {wps} ({loc.km(row['distance_km'])}, {kind})")
    return "\n".join(lines)


def alt_text(trip: Trip, lang: str | Locale) -> str:
    """Alternative text for the map as an image: the route and its key facts, in ``lang``,
    with the same names, dates and values the map shows."""
    from geo.scene import build_scene, deal_rows

    loc = locale(lang)
    scene = build_scene(trip, loc)
    text = loc.t(
        "alt_map",
        title=scene.title,
        dates=scene.dates,
        route=" → ".join(stop_labels(trip, loc)),
        n=str(len(trip.legs)),
        km=loc.number(trip.total_km),
    )
    valued = deal_rows(trip, loc)
    if valued:
        text += " " + loc.t("alt_deals", deals="; ".join(f"{t}, {v}" for t, v in valued))
    partners = ", ".join(
        f"{loc.country(code)} ({country_commodities(trip, rows, loc)})"
        for code, rows in resources_by_country(trip)
    )
    if partners:
        text += " " + loc.t("alt_partners", partners=partners)
    return text
