"""One palette for every map: the light and the dark theme, named colours, and a contrast check.

The static renderer and the HTML map's CSS take their colours from here, so a colour changes in
one place. Every text colour meets WCAG 2.x contrast 4.5:1 against the background it is set on,
in both themes (``tests/test_palette.py`` checks each pair in :data:`TEXT_ON`).

>>> palette("dark")["water_text"]
'#8cc4ef'
>>> round(contrast("#000000", "#ffffff"), 1)
21.0
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

__all__ = [
    "NAMES",
    "PAGE_THEMES",
    "TEXT_ON",
    "THEME_CHOICES",
    "THEMES",
    "contrast",
    "css_variables",
    "palette",
]

THEME_CHOICES: Final = ("light", "dark")
"""Themes with a palette; ``auto`` (the page follows ``prefers-color-scheme``) picks one of them."""
PAGE_THEMES: Final = ("light", "dark", "auto")
"""``--theme`` of the HTML pages: a palette, or ``auto`` (the reader's ``prefers-color-scheme``)."""

_LIGHT = {
    "background": "#ffffff",  # page and figure behind the map
    "water": "#dbe9f4",  # sea and lake fill
    "land": "#f7f5f0",  # countries not otherwise marked
    "partner": "#efe3c4",  # partner countries' fill
    "home": "#e6ecf5",  # the home country's fill
    "border": "#b9b4a8",  # country edges
    "graticule": "#d5dde6",
    "text": "#1f2937",  # titles, stop labels
    "muted_text": "#4b5260",  # dates, footers, other country names
    "country_text": "#5c574a",  # country names on land
    "water_text": "#1f5f99",  # sea and lake names, set in italic
    "capital_text": "#3a3f4a",  # capital names
    "capital": "#3a3f4a",  # capital dot
    "halo": "#ffffff",  # outline behind text on the map
    "route": "#1f2937",  # the itinerary line
    "stop": "#bd4e00",  # stop marker fill: #d55e00 (Okabe-Ito vermillion) has 3.87:1 with white
    "stop_text": "#ffffff",  # stop number on the marker
    "deal": "#0072b2",  # deal marker default
    "inset_land": "#d6d2c8",
    "inset_water": "#f1f5f9",
    "inset_frame": "#c2410c",  # the map's frame marked on the inset
    "panel": "#ffffff",  # legend, timeline, popups and buttons over the map
    "panel_edge": "#9ca3af",  # button borders
    "link": "#1d4ed8",  # links and the text version's summary
    "focus": "#0072b2",  # focus rings, the active stop's ring
}
_DARK = {
    "background": "#111827",
    "water": "#16283b",
    "land": "#273140",
    "partner": "#4a4130",
    "home": "#2c3a52",
    "border": "#5b6575",
    "graticule": "#223246",
    "text": "#f3f4f6",
    "muted_text": "#c3c8d1",
    "country_text": "#d3cdbf",
    "water_text": "#8cc4ef",
    "capital_text": "#e5e7eb",
    "capital": "#e5e7eb",
    "halo": "#111827",
    "route": "#e5e7eb",
    "stop": "#a33f00",
    "stop_text": "#ffffff",
    "deal": "#56b4e9",
    "inset_land": "#4b5563",
    "inset_water": "#1f2937",
    "inset_frame": "#fb923c",
    "panel": "#1f2937",
    "panel_edge": "#6b7280",
    "link": "#93c5fd",
    "focus": "#56b4e9",
}

THEMES: Final = MappingProxyType(
    {"light": MappingProxyType(_LIGHT), "dark": MappingProxyType(_DARK)}
)
"""theme name → read-only mapping colour name → ``#rrggbb``."""

NAMES: Final = tuple(_LIGHT)
"""The colour names every theme defines, in order."""

TEXT_ON: Final = (
    ("text", "background"),
    ("muted_text", "background"),
    ("text", "halo"),
    ("text", "land"),
    ("text", "water"),
    ("text", "partner"),
    ("muted_text", "land"),
    ("country_text", "land"),
    ("country_text", "partner"),
    ("country_text", "home"),
    ("country_text", "halo"),
    ("water_text", "water"),
    ("water_text", "halo"),
    ("capital_text", "land"),
    ("capital_text", "partner"),
    ("capital_text", "halo"),
    ("stop_text", "stop"),
    ("text", "panel"),
    ("muted_text", "panel"),
    ("link", "background"),
    ("link", "panel"),
)
"""(text colour, background colour) pairs that must meet 4.5:1 in every theme."""


def palette(theme: str = "light") -> MappingProxyType[str, str]:
    """The named colours of a theme (``light`` or ``dark``).

    Raises
    ------
    ValueError
        For any other theme name; the message lists the valid ones.
    """
    try:
        return THEMES[theme]
    except (KeyError, TypeError):
        valid = ", ".join(THEME_CHOICES)
        raise ValueError(f"unknown theme {theme!r}: use one of {valid}") from None


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _luminance(colour: str) -> float:
    text = colour[1:] if colour.startswith("#") else ""
    if len(text) == 3:
        text = "".join(ch * 2 for ch in text)
    if len(text) != 6 or any(ch not in "0123456789abcdefABCDEF" for ch in text):
        raise ValueError(f"not a #rgb or #rrggbb colour: {colour!r}")
    r, g, b = (_channel(int(text[i : i + 2], 16)) for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG 2.x contrast ratio of two ``#rrggbb`` colours, 1.0 to 21.0, in either order."""
    la, lb = _luminance(a), _luminance(b)
    hi, lo = max(la, lb), min(la, lb)
    return (hi + 0.05) / (lo + 0.05)


def _declarations(theme: str) -> str:
    colours = palette(theme)
    body = ";".join(f"--{name.replace('_', '-')}:{colours[name]}" for name in NAMES)
    return f":root{{color-scheme:{theme};{body}}}"


def css_variables(theme: str = "light") -> str:
    """The palette as CSS custom properties (``--water-text`` for ``water_text``) for a page's
    ``<style>``: one theme, or for ``auto`` the light one with the dark one under
    ``prefers-color-scheme: dark``.

    >>> css_variables("dark").startswith(":root{color-scheme:dark;--background:#111827")
    True
    """
    if theme == "auto":
        return (
            _declarations("light")
            + "@media (prefers-color-scheme: dark){"
            + _declarations("dark")
            + "}"
        )
    return _declarations(theme)
