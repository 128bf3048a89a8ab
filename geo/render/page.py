"""The article map: a folium Map in a light, self-contained, deterministic, accessible page.

folium builds the Leaflet map, its toggleable layer groups, tiles and layer control. What folium
does not give, this module adds: a page template without folium's CDN stack (jQuery, Bootstrap,
Font Awesome, awesome-markers), Leaflet inlined from xstatic-leaflet, stable element ids instead
of random ones, the trip's data as inert JSON drawn with ``textContent``, and a text version.
"""

from __future__ import annotations

import contextlib
import html
from typing import TYPE_CHECKING, Any

from geo import i18n
from geo.describe import stop_dates
from geo.errors import ParameterError
from geo.render.assets import ASSET_MODES
from geo.render.payload import build_payload
from geo.scene import deal_value, stop_labels

if TYPE_CHECKING:
    from geo.i18n import Locale
    from geo.scene import Scene
    from geo.trip import Trip

__all__ = ["render_map"]


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _stable_ids(root: Any) -> None:
    """Replace folium's random (uuid4) element ids with a counter in tree order."""
    counter = 0

    def walk(node: Any) -> None:
        nonlocal counter
        counter += 1
        node._id = f"{counter:03d}"
        for child in list(node._children.values()):
            walk(child)

    walk(root)


def _asset_tag(asset: Any, inline: bool) -> str:
    """A stylesheet or script, inlined or linked with Subresource Integrity."""
    if inline:
        wrap = "style" if asset.kind == "css" else "script"
        return f"<{wrap}>{asset.text}</{wrap}>"
    sri = f'integrity="{asset.integrity}" crossorigin=""'
    if asset.kind == "css":
        return f'<link rel="stylesheet" href="{asset.url}" {sri}>'
    return f'<script src="{asset.url}" {sri}></script>'


def tile_layer_args(name: str) -> tuple[str, str, int]:
    """URL template, HTML attribution and max zoom of a keyless xyzservices provider."""
    import xyzservices.providers as xyz

    try:
        provider = xyz.query_name(name)
    except ValueError:
        flat = sorted(xyz.flatten())
        import difflib

        close = difflib.get_close_matches(name, flat, n=3)
        hint = f"did you mean {', '.join(close)}?" if close else "e.g. OpenStreetMap.Mapnik"
        raise ParameterError("tiles", name, f"is not a tile provider; {hint}") from None
    if provider.requires_token():
        raise ParameterError(
            "tiles",
            name,
            "needs an API key; choose a keyless provider such as OpenStreetMap.Mapnik",
        )
    return (
        provider.build_url(scale_factor="{r}"),
        provider.html_attribution,
        provider.get("max_zoom", 18),
    )


# The text version lists at most this many stops and legs; the rest are one export away.
TEXT_ROWS = 200


def _more(n: int, loc: Locale) -> str:
    if n <= TEXT_ROWS:
        return ""
    return f"<p>{_e(loc.t('more_rows', n=loc.number(n - TEXT_ROWS)))}</p>"


def _text_version(trip: Trip, loc: Locale, scene: Scene | None = None) -> str:
    """The itinerary, legs, deals, resources and routes as HTML: for screen readers, and for
    anyone who opens it. Every string is escaped."""
    d = trip.meta.lang
    s, legs = trip.stops, trip.legs

    def col(frame: Any, name: str) -> list[Any]:
        return loc.column(frame, name, d)

    every = stop_labels(trip, loc)
    labels = every[:TEXT_ROWS]
    out = [f'<details class="geo-text"><summary>{_e(loc.t("text_version"))}</summary>']
    route = " → ".join(labels) + (" → …" if len(s) > TEXT_ROWS else "")
    out.append(
        f"<p>{_e(loc.t('route_summary'))}: {_e(route)}; "
        f"{_e(loc.t('total'))} {_e(loc.km(trip.total_km))}.</p>"
    )
    if scene is not None and scene.chapters:
        out.append(f"<h2>{_e(loc.t('chapters'))}</h2><ol>")
        for c in scene.chapters:
            out.append(f"<li><b>{_e(c.title)}</b>{': ' + _e(c.text) if c.text else ''}</li>")
        out.append("</ol>")
    out.append(f"<h2>{_e(loc.t('stops'))}</h2><ol>")
    for i, (_, row) in enumerate(s.head(TEXT_ROWS).iterrows()):
        country = row["country"] or ""
        with contextlib.suppress(KeyError):
            country = loc.country(country) if country else ""
        dates = stop_dates(row, loc)
        out.append(
            f"<li>{_e(labels[i])}{f' ({_e(country)})' if country else ''}"
            f"{': ' + _e(dates) if dates else ''}</li>"
        )
    out.append(f"</ol>{_more(len(s), loc)}<h2>{_e(loc.t('legs'))}</h2><table><tbody>")
    for i, (_, row) in enumerate(legs.head(TEXT_ROWS).iterrows()):
        out.append(
            f"<tr><td>{i + 1}</td><td>{_e(every[row['from_stop'] - 1])} → "
            f"{_e(every[row['to_stop'] - 1])}</td><td>{_e(loc.t('mode_' + row['mode']))}</td>"
            f"<td>{_e(loc.km(row['distance_km']))}</td></tr>"
        )
    out.append(f"</tbody></table>{_more(len(legs), loc)}")
    if len(trip.deals):
        out.append(f"<h2>{_e(loc.t('deals'))}</h2><ul>")
        titles, parties = col(trip.deals, "title"), col(trip.deals, "parties")
        for i, (_, row) in enumerate(trip.deals.iterrows()):
            status = loc.t(f"status_{row['status'] or 'none'}")
            bits = [status, deal_value(row["value"], loc)]
            if parties[i]:
                bits.append(", ".join(parties[i]))
            quote = f"<blockquote>{_e(row['source'])}</blockquote>" if row["source"] else ""
            out.append(f"<li><b>{_e(titles[i])}</b> — {_e(' · '.join(bits))}{quote}</li>")
        out.append("</ul>")
    if len(trip.resources):
        out.append(f"<h2>{_e(loc.t('resources'))}</h2><ul>")
        names = [loc.country(c) for c in trip.resources["country"]]
        agreements = col(trip.resources, "agreement_title")
        for i, (_, row) in enumerate(trip.resources.iterrows()):
            agreement = f" — {_e(agreements[i])}" if agreements[i] else ""
            quote = f"<blockquote>{_e(row['source'])}</blockquote>" if row["source"] else ""
            listed = ", ".join(loc.commodity(c) for c in row["commodities"])
            out.append(f"<li><b>{_e(names[i])}</b>: {_e(listed)}{agreement}{quote}</li>")
        out.append("</ul>")
    if len(trip.routes):
        out.append(f"<h2>{_e(loc.t('routes'))}</h2><ul>")
        names = col(trip.routes, "name")
        goods = col(trip.routes, "goods")
        for i, (_, row) in enumerate(trip.routes.iterrows()):
            what = f": {_e(', '.join(goods[i]))}" if goods[i] else ""
            quote = f"<blockquote>{_e(row['source'])}</blockquote>" if row["source"] else ""
            out.append(
                f"<li><b>{_e(names[i])}</b>{what} ({_e(loc.km(row['distance_km']))}){quote}</li>"
            )
        out.append("</ul>")
    out.append("</details>")
    return "\n".join(out)


def _chapters(scene: Scene, loc: Locale) -> str:
    """The chapters as sections the reader scrolls through, every string escaped; the last is
    followed by a spacer so that it can reach the reading line."""
    out = [f'<ol class="geo-chapters" aria-label="{_e(loc.t("chapters"))}">']
    for k, c in enumerate(scene.chapters):
        text = f"<p>{_e(c.text)}</p>" if c.text else ""
        out.append(
            f'<li><section class="geo-chapter" id="geo-chapter-{k + 1}" data-index="{k}" '
            f'tabindex="0" aria-labelledby="geo-chapter-{k + 1}-title">'
            f'<h2 id="geo-chapter-{k + 1}-title">{_e(c.title)}</h2>{text}</section></li>'
        )
    out.append('</ol><div class="geo-story-end" aria-hidden="true"></div>')
    return "\n".join(out)


def _head_line(subtitle: str, dates: str) -> str:
    """The subtitle and the trip's dates; the dates never break across lines (a phone would
    otherwise put "10" at the end of one line and "—16 июн." on the next)."""
    parts = [_e(subtitle)] if subtitle else []
    if dates:
        parts.append(f'<span class="geo-dates">{_e(dates)}</span>')
    return " · ".join(parts)


def _source(source: Any, loc: Locale, default: str) -> str:
    """A source's name, linked to its address and followed by its date. The schema admits only
    http(s) URLs, and the address is escaped for the attribute."""
    name = _e(loc.text(source.name, default))
    if source.url:
        name = f'<a href="{_e(source.url)}" rel="noopener noreferrer">{name}</a>'
    if source.date:
        name += f" ({_e(loc.day(source.date, year=True))})"
    return name


def _credit_line(trip: Trip, loc: Locale, basemap_attr: str) -> str:
    meta = trip.meta
    parts = []
    if meta.sources:
        parts.append(
            f"{_e(loc.t('sources'))}: "
            + "; ".join(_source(s, loc, meta.lang) for s in meta.sources)
        )
    if meta.credit:
        parts.append(f"{_e(loc.t('credit'))}: {_e(loc.text(meta.credit, meta.lang))}")
    parts.append(f"{_e(loc.t('basemap'))}: {basemap_attr}")
    return '<footer class="geo-foot"><p>' + " · ".join(parts) + "</p></footer>"


def map_locale(trip: Trip, lang: str | None) -> Locale:
    """The locale of a page: ``lang`` when it is an interface language (else
    :class:`~geo.errors.ParameterError` naming them), else the trip's own language, whose
    texts are shown as written whether or not the interface speaks it."""
    if lang is not None and not i18n.supported(lang):
        raise ParameterError("lang", lang, "is not a supported language", i18n.languages())
    return i18n.locale(lang or trip.meta.lang)


def render_map(
    trip: Trip,
    lang: str | None = None,
    tiles: str | None = None,
    assets: str = "inline",
    embed: bool = False,
    fallback_image: str | None = None,
    theme: str = "light",
    context: str = "capitals",
    inset: str = "auto",
    story: bool = False,
    pace: float = 2.0,
    trade: dict[str, Any] | None = None,
) -> str:
    """The article map of a trip as one HTML page.

    Parameters
    ----------
    trip
        From :func:`geo.load_trip`.
    lang
        A language of the interface (:func:`geo.i18n.languages`: ``en``, ``ja``, ``ko``, ``ru``)
        as a BCP 47 tag; every label, popup, legend, title, name and date follows it. Defaults
        to the trip's own language.
    tiles
        A keyless xyzservices provider name (``OpenStreetMap.Mapnik``) instead of the offline vector
        basemap derived from Natural Earth.
    assets
        ``inline`` (one self-contained file, no request to any host) or ``cdn`` (Leaflet linked
        from unpkg with Subresource Integrity).
    embed
        The embed mode of ``geo embed``: page scrolling passes over the map (Ctrl/⌘ + wheel or
        two fingers move it, and the map says so), a full-screen button, a height that follows
        the width, and the page's height reported to the embedding page by ``postMessage``.
    fallback_image
        In embed mode, a static image (relative URL) shown where scripts do not run.
    theme
        ``light``, ``dark`` or ``auto`` (the page follows the reader's ``prefers-color-scheme``);
        every colour comes from :mod:`geo.palette`.
    context
        ``capitals`` (water names and the capitals in view, where there is room) or ``none``
        (water names only).
    inset
        The inset locator: ``auto`` (a trip smaller than about a continent), ``on`` or ``off``.
    story
        The story page of ``geo story``: the trip's chapters as sections that scroll beside
        (desktop) or below (phone) a sticky map, which flies to each chapter as it is read.
        Scrolling the page passes over the map, as in embed mode.
    pace
        Seconds a leg takes to draw when a chapter (or a host page's step) moves along it, on
        average; each leg's share follows the trip's travel times (:func:`geo.scene.leg_seconds`).
    trade
        The trade map's data (:func:`geo.trademap.trade_data`), drawn over a trip with nothing of
        its own (:func:`geo.trademap.render_trade_map`).
    """
    import folium

    from geo.render.assets import compact_css, compact_js, leaflet
    from geo.render.layer import (
        LAYERS,
        LayerControl,
        LightMap,
        ScriptOnly,
        TripLayer,
        json_for_script,
        resource,
        trip_groups,
    )

    loc = map_locale(trip, lang)
    if assets not in ASSET_MODES:
        raise ParameterError("assets", assets, "is not a way to include assets", ASSET_MODES)
    from geo.context import CONTEXT_CHOICES, INSET_CHOICES
    from geo.palette import PAGE_THEMES, css_variables

    if theme not in PAGE_THEMES:
        raise ParameterError("theme", theme, "is not a theme", PAGE_THEMES)
    if context not in CONTEXT_CHOICES:
        raise ParameterError("context", context, "is not a context choice", CONTEXT_CHOICES)
    if inset not in INSET_CHOICES:
        raise ParameterError("inset", inset, "is not an inset choice", INSET_CHOICES)
    if isinstance(pace, bool) or not (isinstance(pace, int | float) and 0.2 <= pace <= 30):
        raise ParameterError("pace", pace, "is not a pace", ("0.2 to 30 seconds a leg",))
    from geo.scene import build_scene

    focus = None
    if trade is not None:
        from geo.render.trade import trade_bounds

        focus = trade_bounds(trade)
    payload = build_payload(trip, loc, context=context, inset=inset, focus=focus)
    if trade is not None:
        from geo.render.trade import trade_legend, trade_strings, trade_text

        payload["trade"] = trade
        payload["legend"] = trade_legend(trade, loc)  # type: ignore[typeddict-item]
        payload["strings"].update(trade_strings(loc))
    meta = trip.meta
    scene = build_scene(trip, loc)
    title, subtitle, dates = scene.title, scene.subtitle, scene.dates

    page = ScriptOnly()
    wanted = list(leaflet(inline=assets == "inline"))
    if embed or story:
        from geo.render.assets import gesture_handling

        wanted += gesture_handling()
    head = [_asset_tag(asset, assets == "inline") for asset in wanted]
    head.append(f"<style>{css_variables(theme)}{compact_css(resource('geo-map.css'))}</style>")
    if embed:
        payload["embed"] = True
        payload["id"] = meta.id
    if story:
        payload["storyPage"] = True
    if embed or story:  # the chapters a host page or the story page steps through
        from geo.render.payload import story_payload

        payload["story"] = story_payload(scene, trip, pace)

    (w, s), (e, n) = payload["bounds"]
    fmap = LightMap(
        location=[round((s + n) / 2, 4), round((w + e) / 2, 4)],
        zoom_start=3,
        tiles=None,
        control_scale=True,
        world_copy_jump=False,
        prefer_canvas=bool(payload["large"] or payload["largeRoutes"]),
    )
    fmap.options["zoomSnap"] = 0.25
    fmap.options["attributionControl"] = True
    if embed or story:
        fmap.options["gestureHandling"] = True
        fmap.options["gestureHandlingOptions"] = {
            "text": {
                "touch": loc.t("zoom_hint_touch"),
                "scroll": loc.t("zoom_hint"),
                "scrollMac": loc.t("zoom_hint_mac"),
            },
            "duration": 1500,
        }
    page.add_child(fmap)

    basemap_attr = "Natural Earth"
    layers: tuple[str, ...] = LAYERS
    if tiles:
        url, attribution, max_zoom = tile_layer_args(tiles)
        folium.TileLayer(
            url, attr=attribution, name=tiles, max_zoom=max_zoom, control=False
        ).add_to(fmap)
        basemap_attr = attribution
        layers = tuple(x for x in LAYERS if x != "basemap")
    groups = trip_groups(fmap, payload, loc, layers)
    LayerControl().add_to(fmap)
    fmap.add_child(TripLayer(payload, groups, standalone=False))

    _stable_ids(page)
    script = str(page.render())
    map_label = f"{loc.t('map_label')}: {title}"
    noscript = ""
    if (embed or story) and fallback_image:
        from geo.describe import alt_text

        noscript = (
            f'<noscript><img src="{_e(fallback_image)}" alt="{_e(alt_text(trip, loc))}" '
            'style="width:100%;height:auto"></noscript>'
        )
    the_map = (
        f'<div id="geo-map" class="geo-map" role="region" aria-label="{_e(map_label)}" '
        'tabindex="0"></div>'
    )
    if story:
        the_map = (
            f'<div class="geo-story">\n<div class="geo-story-map">{the_map}</div>\n'
            f"{_chapters(scene, loc)}\n</div>"
        )
    body = [
        '<main class="geo-page">',
        f'<header class="geo-head"><h1>{_e(title)}</h1>'
        f"<p>{_head_line(subtitle, dates)}</p></header>",
        the_map,
        noscript,
        _credit_line(trip, loc, basemap_attr),
        _text_version(trip, loc, scene if story else None)
        if trade is None
        else trade_text(trade, loc),
        "</main>",
        f'<script type="application/json" id="geo-data">{json_for_script(payload)}</script>',
        f"<script>{compact_js(resource('geo-map.js'))}</script>",
    ]
    return _page(
        lang=loc.code,
        title=title,
        head=head,
        body_class="geo-embed" if embed else "geo-storypage" if story else "geo-article",
        body="\n".join(filter(None, body)),
        script=script,
    )


def _page(
    *, lang: str, title: str, head: list[str], body_class: str, body: str, script: str
) -> str:
    """The whole HTML page, joined as plain strings: no template engine ever sees trip text.
    ``title`` is escaped here; ``body`` is built from escaped text and the inert JSON payload;
    ``head`` and ``script`` hold only our own assets and folium's map script."""
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{_e(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n"
        + "\n".join(head)
        + f'\n</head>\n<body class="{_e(body_class)}">\n'
        + body
        + "\n<script>\n"
        + script
        + "\n</script>\n</body>\n</html>\n"
    )
