"""The palette: both themes name the same colours, and every text meets 4.5:1 on its ground."""

from __future__ import annotations

import pytest

from geo.palette import NAMES, TEXT_ON, THEMES, contrast, palette


@pytest.mark.parametrize("theme", sorted(THEMES))
@pytest.mark.parametrize(("fg", "bg"), TEXT_ON)
def test_every_text_colour_meets_4_5_to_1(theme: str, fg: str, bg: str) -> None:
    colours = palette(theme)
    assert contrast(colours[fg], colours[bg]) >= 4.5, (theme, fg, bg)


def test_themes_define_the_same_names_as_hex() -> None:
    for theme in THEMES.values():
        assert tuple(theme) == NAMES
        assert all(len(v) == 7 and v.startswith("#") for v in theme.values())
    assert palette("light")["water"] != palette("dark")["water"]


def test_contrast_known_values() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#ffffff", "#ffffff") == pytest.approx(1.0)
    # WebAIM's checker gives 4.54 for #767676 on white.
    assert contrast("#767676", "#fff") == pytest.approx(4.54, abs=0.01)
    with pytest.raises(ValueError, match="colour"):
        contrast("red", "#fff")


def test_unknown_theme_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="light, dark"):
        palette("auto")
    with pytest.raises(ValueError):
        palette("<script>")
