"""The interface's words: English message ids, translated by the catalogs in geo/locales.

Keys name a message in code (``loc.t("itinerary")``); the English text is the gettext ``msgid``
that ``pybabel extract`` finds through the ``N_`` marker (``NC_`` for a msgid with a context).
Nothing here is translated at import: :class:`geo.i18n.Locale` looks each message up in its
catalog when a map is made. See the README's contributor section for the catalog workflow.
"""

from __future__ import annotations

__all__ = ["COMMODITIES", "COMMODITY_CONTEXT", "CONTEXTS", "MESSAGES", "PLURALS"]

COMMODITY_CONTEXT = "commodity"
"""gettext context of commodity names (``lead`` the metal, not the verb)."""


def N_(message: str) -> str:
    """Mark ``message`` for extraction; it is translated later, by key."""
    return message


def NP_(singular: str, plural: str) -> tuple[str, str]:
    """Mark a message with a plural form for extraction (``ngettext``)."""
    return singular, plural


def NC_(context: str, message: str) -> str:
    """Mark ``message`` with a gettext context (``msgctxt``) for extraction."""
    return message


MESSAGES: dict[str, str] = {
    "itinerary": N_("Itinerary"),
    "deals": N_("Deals"),
    "resources": N_("Resources"),
    "routes": N_("Trade routes"),
    "stops": N_("Stops"),
    "legs": N_("Legs"),
    "total": N_("Total"),
    "arrive": N_("arrive"),
    "depart": N_("depart"),
    "parties": N_("Parties"),
    "value": N_("Value"),
    "status": N_("Status"),
    "sector": N_("Sector"),
    "source": N_("Source"),
    "commodities": N_("Commodities"),
    "agreement": N_("Agreement"),
    "uses": N_("Uses"),
    "goods": N_("Goods"),
    "approximate": N_("approximate location"),
    "no_location": N_("not located on the map"),
    "not_reported": N_("value not reported"),
    "legend": N_("Legend"),
    "text_version": N_("Text version of this map"),
    "map_label": N_("Map"),
    "credit": N_("Credit"),
    "sources": N_("Sources"),
    "basemap": N_("Basemap"),
    "km": N_("km"),
    "nmi": N_("nmi"),
    "mode": N_("Mode"),
    "close": N_("Close"),
    "zoom_hint": N_("Use Ctrl + scroll to zoom the map"),
    "route_summary": N_("Route"),
    "timeline": N_("Day by day"),
    "prev_day": N_("Previous day"),
    "next_day": N_("Next day"),
    "play": N_("Play"),
    "pause": N_("Pause"),
    "all_days": N_("All days"),
    "no_events": N_("No dated events"),
    "fullscreen": N_("Full screen"),
    "inset_label": N_("Locator map: the area of the main map, marked in the surrounding region"),
    "zoom_hint_mac": N_("Use ⌘ + scroll to zoom the map"),
    "zoom_hint_touch": N_("Use two fingers to move the map"),
    "more_rows": N_("… and {n} more; geo export gives them all as GeoJSON or CSV."),
    "proj_lcc": N_("Lambert conformal conic projection"),
    "proj_aeqd": N_("Azimuthal equidistant projection"),
    "proj_eqearth": N_("Equal Earth projection"),
    "basemap_credit": N_("Basemap: Natural Earth"),
    "lat_n": N_("{d}°N"),
    "lat_s": N_("{d}°S"),
    "lon_e": N_("{d}°E"),
    "lon_w": N_("{d}°W"),
    "mode_air": N_("air"),
    "mode_rail": N_("rail"),
    "mode_road": N_("road"),
    "mode_sea": N_("sea"),
    "mode_pipeline": N_("pipeline"),
    "mode_none": N_("flow (mode not reported)"),
    "status_signed": N_("signed"),
    "status_agreement": N_("agreement"),
    "status_mou": N_("MOU"),
    "status_negotiating": N_("in negotiation"),
    "status_estimate": N_("estimate"),
    "status_none": N_("cooperation"),
    "size_note": N_("Circle area: reported value in {cur}"),
    "size_other_currency": N_("Values only in {cur}: smallest symbol (not converted)"),
    "alt_map": N_("Map of {title}. {dates}: {route}, {n} legs, {km} km in all."),
    "alt_deals": N_("Deals with reported values: {deals}."),
    "alt_partners": N_("Critical-mineral and energy partners shaded: {partners}."),
    "venue": N_("Venue"),
    "leg_word": N_("Leg"),
    "group_energy": N_("Energy"),
    "group_battery": N_("Battery materials"),
    "group_semiconductor": N_("Semiconductor materials"),
    "group_other": N_("Other minerals"),
    "partner_country": N_("Partner country"),
    "flow_width": N_("Line width: reported value in {cur} (square-root scale)"),
    "flow_no_value": N_("value not reported"),
    "flow_other_currency": N_("value in {cur} only (not converted)"),
    "trade_title": N_("Trade flows"),
    "trade_in": N_("In"),
    "trade_places": N_("Places"),
    "trade_out": N_("Out"),
    "trade_rows": N_("Rows summed"),
    "trade_shown": N_("{shown} largest of {total} flows drawn"),
    "trade_filters": N_("Filter the flows"),
    "trade_all": N_("All"),
    "trade_year": N_("Year"),
    "trade_bend": N_("Each flow bends to its right: A → B and B → A lie side by side"),
    "trade_circle": N_("Circle area: trade in and out"),
    "trade_cluster": N_("Nearby places are merged until you zoom in (“+2”: two more)"),
    "path": N_("Path"),
    "path_sea-lane": N_("sea lane"),
    "path_geodesic": N_("great circle"),
    "path_direct": N_("direct line, not the track"),
    "great_circle": NC_("distance", "great circle"),
    "legs_mode": N_("Legs ({mode})"),
    "day_word": N_("Day"),
    "chapters": N_("Chapters"),
    # geo preview's problem page (the problems themselves are geo validate's, in English).
    "preview_hint": N_("Fix the file and save it: this page shows the map again by itself."),
}
"""Key → English message id, for every interface string."""

PLURALS: dict[str, tuple[str, str]] = {
    "problems": NP_("{n} problem", "{n} problems"),
}
"""Key → (singular, plural) message ids: the catalog has a form for each plural category of
its language (Russian three, Korean and Japanese one)."""

CONTEXTS: dict[str, str] = {"great_circle": "distance"}
"""Keys whose message id has a gettext context: one English text, two meanings."""

COMMODITIES: tuple[str, ...] = (
    NC_("commodity", "aluminium"),
    NC_("commodity", "antimony"),
    NC_("commodity", "beryllium"),
    NC_("commodity", "bismuth"),
    NC_("commodity", "chromium"),
    NC_("commodity", "coal"),
    NC_("commodity", "cobalt"),
    NC_("commodity", "copper"),
    NC_("commodity", "crude oil"),
    NC_("commodity", "fluorspar"),
    NC_("commodity", "gallium"),
    NC_("commodity", "germanium"),
    NC_("commodity", "gold"),
    NC_("commodity", "graphite"),
    NC_("commodity", "helium"),
    NC_("commodity", "hydrogen"),
    NC_("commodity", "iron ore"),
    NC_("commodity", "lead"),
    NC_("commodity", "lithium"),
    NC_("commodity", "magnesium"),
    NC_("commodity", "manganese"),
    NC_("commodity", "molybdenum"),
    NC_("commodity", "natural gas"),
    NC_("commodity", "nickel"),
    NC_("commodity", "niobium"),
    NC_("commodity", "phosphate"),
    NC_("commodity", "platinum group metals"),
    NC_("commodity", "potash"),
    NC_("commodity", "rare earths"),
    NC_("commodity", "silicon"),
    NC_("commodity", "silver"),
    NC_("commodity", "tantalum"),
    NC_("commodity", "tin"),
    NC_("commodity", "titanium"),
    NC_("commodity", "tungsten"),
    NC_("commodity", "uranium"),
    NC_("commodity", "vanadium"),
    NC_("commodity", "zinc"),
    NC_("commodity", "zirconium"),
)
"""Commodities of the controlled vocabulary (:mod:`geo.vocab`), as message ids (their
gettext context is :data:`COMMODITY_CONTEXT`)."""
