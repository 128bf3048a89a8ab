"""A trip as plain text: ``geo info``, and the words of the maps' text alternatives."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from geo import i18n

if TYPE_CHECKING:
    from geo.trip import Trip

__all__ = [
    "alt_text",
    "deal_value",
    "flow_legend",
    "flow_sizes",
    "describe",
    "leg_label",
    "leg_modes",
    "commodities_by_group",
    "country_commodities",
    "path_words",
    "resources_by_country",
    "size_currency",
    "stop_dates",
    "visits",
]

# Modes whose path is the geodesic for want of a network: a direct line, never the track.
DIRECT_MODES = frozenset({"rail", "road", "pipeline"})

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


def visits(trip: Trip) -> list[list[int]]:
    """Stops grouped by location: a place visited twice (a round trip's ends) is one group."""
    groups: dict[tuple[float, float], list[int]] = {}
    for i, g in enumerate(trip.stops.geometry.array):
        groups.setdefault((round(g.x, 5), round(g.y, 5)), []).append(i)
    return list(groups.values())


def deal_value(values: list[dict[str, Any]], lang: str) -> str:
    """Every reported value in its own currency: ``USD 200 million (KRW 270 billion)``."""
    if not values:
        return i18n.t("not_reported", lang)
    parts = [i18n.money(float(v["amount"]), str(v["currency"]), lang) for v in values]
    return parts[0] + (f" ({'; '.join(parts[1:])})" if len(parts) > 1 else "")


def size_currency(values: list[list[dict[str, Any]]]) -> str | None:
    """The currency most records report in (USD on a tie, then alphabetical): symbols and flows
    are sized by amounts in that one currency, never converted."""
    counts: dict[str, int] = {}
    for vals in values:
        for cur in {str(v["currency"]) for v in vals}:
            counts[cur] = counts.get(cur, 0) + 1
    if not counts:
        return None
    return min(counts, key=lambda c: (-counts[c], c != "USD", c))


def flow_sizes(trip: Trip) -> tuple[str | None, list[float | None], float | None]:
    """How trade routes are sized: the currency, each route's amount in it, the largest."""
    values = list(trip.routes["value"])
    currency = size_currency(values)
    amounts = [
        next((float(v["amount"]) for v in vals if v["currency"] == currency), None)
        for vals in values
    ]
    return currency, amounts, max((a for a in amounts if a), default=None)


def flow_legend(trip: Trip, lang: str) -> list[tuple[str, float]]:
    """Legend rows of the flow widths: (label, width in pixels), largest first, then a thin
    line for routes that are not sized and why."""
    from geo import style

    currency, amounts, largest = flow_sizes(trip)
    rows: list[tuple[str, float]] = []
    if currency and largest:
        for amount in (largest, largest / 4):
            rows.append((i18n.money(amount, currency, lang), style.flow_width(amount, largest)))
    unsized = [i for i, a in enumerate(amounts) if not a]
    valued = [i for i in unsized if trip.routes["value"].iloc[i]]
    other = sorted({str(v["currency"]) for i in valued for v in trip.routes["value"].iloc[i]})
    if other:
        rows.append(
            (i18n.t("flow_other_currency", lang, cur=", ".join(other)), style.FLOW_UNSIZED_PX)
        )
    if len(valued) < len(unsized):
        rows.append((i18n.t("flow_no_value", lang), style.FLOW_UNSIZED_PX))
    return rows


def resources_by_country(trip: Trip) -> list[tuple[str, list[int]]]:
    """Rows of the resources layer grouped by country, countries in order of first mention."""
    groups: dict[str, list[int]] = {}
    for i, code in enumerate(trip.resources["country"]):
        groups.setdefault(str(code), []).append(i)
    return list(groups.items())


def commodities_by_group(commodities: list[str]) -> list[tuple[str, list[str]]]:
    """Commodities (without repeats) by group, groups in the vocabulary's order."""
    from geo.vocab import COMMODITY_GROUPS, commodity_group

    order = [*COMMODITY_GROUPS, "other"]
    out: dict[str, list[str]] = {}
    for c in dict.fromkeys(commodities):
        out.setdefault(commodity_group(c), []).append(c)
    return [(g, out[g]) for g in order if g in out]


def country_commodities(trip: Trip, rows: list[int], lang: str) -> str:
    """``Energy: natural gas, uranium; Battery materials: lithium`` for one country's rows."""
    listed = [c for i in rows for c in trip.resources["commodities"].iloc[i]]
    return "; ".join(
        f"{i18n.t(f'group_{g}', lang)}: {', '.join(i18n.commodity(c, lang) for c in cs)}"
        for g, cs in commodities_by_group(listed)
    )


def path_words(mode: str | None, kind: str, great_circle_km: float, lang: str) -> str:
    """What a leg's or route's line is: ``sea lane (great circle 16,432 km)``, ``great
    circle``, or for rail, road and pipeline ``direct line, not the track``."""
    if kind == "sea-lane":
        gc = f"{i18n.t('great_circle', lang)} {great_circle_km:,.0f} km"
        return f"{i18n.t('path_sea-lane', lang)} ({gc})"
    if mode in DIRECT_MODES:
        return i18n.t("path_direct", lang)
    return i18n.t("path_geodesic", lang)


def leg_modes(trip: Trip) -> list[str]:
    """The modes of the drawn legs (not coincident stops), in the vocabulary's order."""
    from geo.vocab import LEG_MODES

    drawn = {m for m, d in zip(trip.legs["mode"], trip.legs["distance_km"], strict=True) if d > 0}
    return [m for m in LEG_MODES if m in drawn]


def leg_label(mode: str, lang: str) -> str:
    """``Legs (sea)``; rail and road say they are drawn as direct lines."""
    label = i18n.t("legs_mode", lang, mode=i18n.t(f"mode_{mode}", lang))
    return f"{label}: {i18n.t('path_direct', lang)}" if mode in DIRECT_MODES else label


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
