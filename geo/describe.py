"""A trip as plain text: ``geo info``, and the words of the maps' text alternatives."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from geo import i18n
from geo.scene import country_commodities, deal_value, path_words, resources_by_country

if TYPE_CHECKING:
    from geo.trip import Trip

__all__ = ["alt_text", "describe", "stop_dates"]

NM_PER_KM = 1 / 1.852


def _pad(text: str, width: int) -> str:
    """Pad to a terminal width, counting Korean (wide) characters as two columns."""
    import unicodedata

    used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(1, width - used)


def stop_dates(row: Any, lang: str) -> str:
    """``arrive Jun 11, 2024 · depart Jun 13, 2024`` for a stop row."""
    parts = []
    if row["arrive"] is not None:
        parts.append(f"{i18n.t('arrive', lang)} {i18n.when(row['arrive'], lang)}")
    if row["depart"] is not None:
        parts.append(f"{i18n.t('depart', lang)} {i18n.when(row['depart'], lang)}")
    return " · ".join(parts)


def describe(trip: Trip, lang: str, nautical: bool = False) -> str:
    """The trip as text: title, stops with local dates, legs with distances, deals."""
    meta = trip.meta
    lines = [meta.title.get_lang(lang, meta.lang)]
    if meta.subtitle:
        lines.append(meta.subtitle.get_lang(lang, meta.lang))
    s = trip.stops
    lines += ["", i18n.t("stops", lang)]
    for _, row in s.iterrows():  # a handful of rows, formatted for people
        label = row[f"label_{lang}"] if f"label_{lang}" in s else row[f"label_{meta.lang}"]
        lines.append(
            _pad(f"  {row['stop']:>2}  {label} ({row['country']})", 34) + stop_dates(row, lang)
        )
    lines += ["", i18n.t("legs", lang)]
    col = f"from_label_{lang}" if f"from_label_{lang}" in trip.legs else f"from_label_{meta.lang}"
    to_col = col.replace("from_", "to_")

    def dist(km: float) -> str:
        text = f"{km:>10,.1f} km"
        return text + (f"  {km * NM_PER_KM:>9,.1f} nmi" if nautical else "")

    for _, row in trip.legs.iterrows():
        mode = i18n.t(f"mode_{row['mode']}", lang)
        name = f"  {row['leg']:>2}  {row[col]} → {row[to_col]}"
        kind = path_words(row["mode"], row["path"], row["great_circle_km"], lang)
        lines.append(_pad(name, 40) + _pad(mode, 6) + dist(row["distance_km"]) + f"  {kind}")
    total = _pad(f"  {i18n.t('total', lang)}", 46) + dist(trip.total_km)
    if (trip.legs["path"] == "sea-lane").any():
        gc = trip.legs["great_circle_km"].sum()
        total += f"  ({i18n.t('great_circle', lang)} {gc:,.0f} km)"
    lines.append(total)
    if len(trip.deals):
        lines += ["", i18n.t("deals", lang)]
        for _, row in trip.deals.iterrows():
            title = row.get(f"title_{lang}", row[f"title_{meta.lang}"])
            status = i18n.t(f"status_{row['status'] or 'none'}", lang)
            where = f" [{row['country']}]" if row["country"] else ""
            lines.append(f"  {row['deal']:>2}  {title}{where}")
            lines.append(f"      {status} · {deal_value(row['value'], lang)}")
    if len(trip.resources):
        lines += ["", i18n.t("resources", lang)]
        for _, rows in resources_by_country(trip):
            row = trip.resources.iloc[rows[0]]
            name = row.get(f"country_name_{lang}", row["country"])
            lines.append(f"  {name}: {country_commodities(trip, rows, lang)}")
    if len(trip.routes):
        lines += ["", i18n.t("routes", lang)]
        for _, row in trip.routes.iterrows():
            name = row.get(f"name_{lang}", row[f"name_{meta.lang}"])
            kind = path_words(row["mode"], row["path"], row["great_circle_km"], lang)
            lines.append(
                f"  {name}: {' → '.join(row['waypoints'])} ({row['distance_km']:,.0f} km, {kind})"
            )
    return "\n".join(lines)


def alt_text(trip: Trip, lang: str) -> str:
    """Alternative text for the map as an image: the route and its key facts, in ``lang``,
    with the same dates and values the map shows."""
    from geo.scene import build_scene, deal_rows

    scene = build_scene(trip, lang)
    s = trip.stops
    col = f"label_{lang}" if f"label_{lang}" in s else f"label_{trip.meta.lang}"
    text = i18n.t(
        "alt_map",
        lang,
        title=scene.title,
        dates=scene.dates,
        route=" → ".join(str(x) for x in s[col].tolist()),
        n=str(len(trip.legs)),
        km=f"{trip.total_km:,.0f}",
    )
    valued = deal_rows(trip, lang)
    if valued:
        text += " " + i18n.t("alt_deals", lang, deals="; ".join(f"{t}, {v}" for t, v in valued))
    partners = ", ".join(
        f"{trip.resources.iloc[rows[0]].get(f'country_name_{lang}', code)} "
        f"({country_commodities(trip, rows, lang)})"
        for code, rows in resources_by_country(trip)
    )
    if partners:
        text += " " + i18n.t("alt_partners", lang, partners=partners)
    return text
