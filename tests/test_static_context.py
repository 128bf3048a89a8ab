"""The static map names the water in view, in italic blue, after the stops and own countries."""

from __future__ import annotations

import geo
from geo._data import data_path
from geo.palette import palette
from geo.static.output import drawn


def _texts(fig):
    return [t for ax in fig.axes for t in ax.texts]


def test_sea_voyage_names_seas_in_italic_blue():
    trip = geo.load_trip(data_path("gallery/sea-voyage.yaml"))
    with drawn(trip, "social", "en") as (fig, _):
        water = {t.get_text(): t for t in _texts(fig) if t.get_fontstyle() == "italic"}
    assert {"Caspian Sea", "Arabian Sea"} <= set(water)
    for t in water.values():
        assert t.get_color() == palette("light")["water_text"]


def test_korean_map_names_seas_in_korean():
    trip = geo.load_trip(data_path("gallery/sea-voyage.yaml"))
    with drawn(trip, "social", "ko") as (fig, _):
        water = {t.get_text() for t in _texts(fig) if t.get_fontstyle() == "italic"}
    assert "카스피해" in water and "Caspian Sea" not in water


def test_a_trips_names_rename_the_water(tmp_path):
    import yaml

    doc = yaml.safe_load(data_path("gallery/sea-voyage.yaml").read_text(encoding="utf-8"))
    doc["names"] = {"caspian  sea": {"en": "<b>Caspian</b> {{7*7}}", "ko": "카스피 바다"}}
    path = tmp_path / "renamed.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    trip = geo.load_trip(path)
    for lang, name in (("en", "<b>Caspian</b> {{7*7}}"), ("ko", "카스피 바다")):
        with drawn(trip, "social", lang) as (fig, _):
            water = {t.get_text() for t in _texts(fig) if t.get_fontstyle() == "italic"}
        assert name in water, water  # drawn as text, markup and all


def test_an_unknown_water_name_is_a_problem_with_a_suggestion(tmp_path):
    import yaml

    from tests.test_trust import geo_cli

    doc = yaml.safe_load(data_path("gallery/sea-voyage.yaml").read_text(encoding="utf-8"))
    doc["names"] = {"Caspain Sea": "x"}
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    proc = geo_cli("validate", str(path))
    assert proc.returncode == 2 and "names" in proc.stderr and "Caspian Sea" in proc.stderr


# The look of the image: --theme, --inset, --context (geo.static.inset, geo.palette).

BENELUX = data_path("gallery/benelux-rail.yaml")


def _rgb(colour):
    return tuple(int(colour[k : k + 2], 16) for k in (1, 3, 5))


def test_dark_theme_draws_on_the_dark_palette(tmp_path, bundled):
    from PIL import Image

    from geo.static import render_static

    for theme in ("light", "dark"):
        path = render_static(bundled, tmp_path / f"{theme}.png", theme=theme)
        with Image.open(path) as im:
            rgb = im.convert("RGB")
            # The margin behind the title is the page's background; the title is the text colour.
            assert rgb.getpixel((3, 3)) == _rgb(palette(theme)["background"])
            colours = {c for _, c in rgb.getcolors(1 << 20)}
        assert _rgb(palette(theme)["stop"]) in colours
    with drawn(bundled, "social", "en", theme="dark") as (fig, _):
        title = fig.texts[0]
        assert title.get_color() == palette("dark")["text"]
        water = [t for t in _texts(fig) if t.get_fontstyle() == "italic"]
        assert water and all(t.get_color() == palette("dark")["water_text"] for t in water)


def test_auto_theme_is_light_for_an_image(bundled):
    from geo.static import render_bytes

    assert render_bytes(bundled, "png", theme="auto") == render_bytes(bundled, "png")


def _inset_and_stops(trip, **look):
    with drawn(trip, "social", "en", **look) as (fig, _):
        fig.canvas.draw()
        main = fig.axes[0]
        insets = [a.get_window_extent() for a in fig.axes[1:]]
        stops = [t.get_window_extent() for t in main.texts if t.get_bbox_patch() is not None]
        legend = [a.get_window_extent() for a in main.artists]
    return insets, stops, legend


def test_a_small_region_gets_an_inset_clear_of_stops_and_legend(bundled):
    trip = geo.load_trip(BENELUX)
    insets, stops, legend = _inset_and_stops(trip)
    assert len(insets) == 1 and stops
    (inset,) = insets
    for box in stops + legend:
        assert not inset.overlaps(box)
    # Off by request; not on a continent-wide trip unless asked for.
    assert _inset_and_stops(trip, inset="off")[0] == []
    assert _inset_and_stops(bundled)[0] == []
    on, stops, legend = _inset_and_stops(bundled, inset="on")
    assert len(on) <= 1 and not any(on[0].overlaps(b) for b in stops + legend if on)


def test_the_inset_marks_the_maps_frame_in_the_inset_frame_colour():
    trip = geo.load_trip(BENELUX)
    with drawn(trip, "social", "en") as (fig, _):
        inset = fig.axes[1]
        frames = [p for p in inset.patches if p.get_edgecolor()[:3] != (0, 0, 0)]
        land = [p for p in inset.patches if p.get_facecolor()[3] > 0]
        west, east = inset.get_xlim()
        mark = [p for p in frames if p.get_facecolor()[3] == 0]
    assert len(mark) == 1 and len(land) > 3
    x0, _ = mark[0].get_xy()
    # The frame (the map's view, about 4 E) sits inside the inset's region (Europe).
    assert west < x0 < x0 + mark[0].get_width() < east and west < 4.0 < east


def test_capitals_are_dots_with_names_or_not_at_all():
    trip = geo.load_trip(BENELUX)
    with drawn(trip, "social", "en") as (fig, _):
        names = {t.get_text() for t in _texts(fig)}
        dots = [ln for ln in fig.axes[0].lines if ln.get_marker() == "o"]
    assert "London" in names and len(dots) >= 1
    with drawn(trip, "social", "en", context="none") as (fig, _):
        assert "London" not in {t.get_text() for t in _texts(fig)}
        assert not [ln for ln in fig.axes[0].lines if ln.get_marker() == "o"]
    # Natural Earth has no Korean names of capitals: the Korean map leaves them out rather than
    # set an English word among Hangul.
    with drawn(trip, "social", "ko") as (fig, _):
        assert "London" not in {t.get_text() for t in _texts(fig)}


def test_bad_look_options_are_refused_clearly(tmp_path):
    import pytest

    from geo.errors import ExportError
    from geo.static import render_static
    from tests.test_trust import geo_cli

    trip = geo.load_trip(BENELUX)
    for option, value in (("theme", "{{dark}}"), ("inset", "<b>"), ("context", "towns")):
        with pytest.raises(ExportError, match=option):
            render_static(trip, tmp_path / "x.png", **{option: value})
        out = tmp_path / f"{option}.png"
        proc = geo_cli("static", str(BENELUX), "-o", str(out), f"--{option}", value)
        assert proc.returncode == 2, proc.stderr
        assert f"--{option}" in proc.stderr and "Traceback" not in proc.stderr
        assert not out.exists()
    assert list(tmp_path.iterdir()) == []
