"""Static maps: sizes, projection, label placement, and PNG/SVG/PDF output in both languages."""

from __future__ import annotations

import re
import subprocess
import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest

import geo
from geo import static
from geo.errors import ExportError
from geo.static import DIRECTIONS, Size, choose_projection, fonts, output, parse_size, place_labels
from geo.static.output import drawn
from geo.static.projection import project, transformer
from geo.static.scene import build_scene

from .conftest import DATA

NAMES = {"Seongnam", "Ashgabat", "Astana", "Tashkent", "Samarkand"}
NAMES_KO = {"성남", "아슈하바트", "아스타나", "타슈켄트", "사마르칸트"}


@contextmanager
def strict() -> Iterator[None]:
    """Every warning is an error: a glyph missing from the fonts fails the test."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


# --- sizes --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("social", Size(1200, 675, 150.0)),
        (" Social ", Size(1200, 675, 150.0)),
        ("print", Size(1772, 1181, 300.0)),
        ("1200x675", Size(1200, 675, 150.0)),
        ("800x600", Size(800, 600, 600 / 4.5)),
        ("800X600", Size(800, 600, 600 / 4.5)),
        ("800×600", Size(800, 600, 600 / 4.5)),
        ("600 x 1200 px", Size(600, 1200, 600 / 4.5)),
    ],
)
def test_parse_size(text: str, expected: Size) -> None:
    assert parse_size(text) == expected


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("", "unknown size"),
        ("poster", "unknown size '.*'; use social"),
        ("800x", "unknown size"),
        ("800x600x3", "unknown size"),
        ("-800x600", "unknown size"),
        ("100x100", "out of range"),
        ("20000x9000", "out of range"),
        ("4000x800", "too narrow"),
    ],
)
def test_parse_size_rejects(text: str, match: str) -> None:
    with pytest.raises(ExportError, match=match):
        parse_size(text)


# --- projection ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lon", "lat", "kind", "lon_0"),
    [
        ([127.1, 58.4, 71.4], [37.4, 38.0, 51.2], "lcc", 92.76),  # the bundled trip's stops
        ([-70.0, 151.0], [-33.0, -34.0], "lcc", -139.5),  # southern mid-latitudes: a south cone
        ([127.1, 174.8], [37.4, -36.8], "aeqd", 150.95),  # across the equator
        ([170.0, -170.0], [50.0, 60.0], "lcc", 180.0),  # short way across the antimeridian
        ([0.0, 170.0], [40.0, 50.0], "aeqd", 85.0),  # wider than 160 degrees
        ([10.0, 20.0], [70.0, 85.0], "aeqd", 15.0),  # near the pole
    ],
)
def test_choose_projection(lon: list[float], lat: list[float], kind: str, lon_0: float) -> None:
    proj = choose_projection(lon, lat)
    assert proj.kind == kind
    assert abs((proj.lon_0 - lon_0 + 180) % 360 - 180) < 0.01
    assert f"+proj={kind} " in proj.proj4
    assert "merc" not in proj.proj4
    if kind == "lcc":
        lat_1 = float(re.search(r"\+lat_1=(\S+)", proj.proj4)[1])  # type: ignore[index]
        lat_2 = float(re.search(r"\+lat_2=(\S+)", proj.proj4)[1])  # type: ignore[index]
        assert min(lat) < lat_1 < lat_2 < max(lat)


def test_legs_are_projected_geodesics_that_bend_north(bundled: geo.Trip) -> None:
    scene = build_scene(bundled, "en")
    assert scene.projection.kind == "lcc"
    inverse = transformer(scene.projection.proj4, inverse=True)
    for i, leg in enumerate(scene.legs):
        lon, lat = inverse.transform(leg.xy[:, 0], leg.xy[:, 1])
        expected = bundled.leg_paths.coords(i)
        np.testing.assert_allclose(
            (np.asarray(lon) - expected[:, 0] + 180) % 360 - 180, 0, atol=1e-7
        )
        np.testing.assert_allclose(lat, expected[:, 1], atol=1e-7)
    # Seongnam -> Ashgabat: both ends near 37-38 N, the middle of the geodesic near 43 N. On the
    # map its middle lies north of the 40 N parallel while both ends lie south of it.
    leg = scene.legs[0].xy
    assert len(leg) > 10
    mid = leg[len(leg) // 2]
    lon40 = np.linspace(40, 140, 2001)
    parallel = project(scene.projection, lon40, np.full_like(lon40, 40.0))

    def y40(x: float) -> float:
        order = np.argsort(parallel[:, 0])
        return float(np.interp(x, parallel[order, 0], parallel[order, 1]))

    assert mid[1] > y40(mid[0]) + 100_000
    assert leg[0, 1] < y40(leg[0, 0]) and leg[-1, 1] < y40(leg[-1, 0])


# --- label placement ----------------------------------------------------------------------------

BOUNDS = (0.0, 0.0, 400.0, 300.0)


def boxes_overlap(a: np.ndarray, b: np.ndarray) -> bool:
    return bool(a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3])


def test_a_lone_label_goes_east() -> None:
    choice, boxes = place_labels([[100, 100]], [[40, 12]], [[5, 5]], bounds=BOUNDS)
    assert DIRECTIONS[choice[0]][0] == "E"
    np.testing.assert_allclose(boxes[0], [105, 94, 145, 106])


def test_a_label_at_the_right_edge_goes_west() -> None:
    choice, boxes = place_labels([[390, 150]], [[40, 12]], [[5, 5]], bounds=BOUNDS)
    assert DIRECTIONS[choice[0]][0] == "W"
    assert boxes[0][2] <= 385


def test_a_label_avoids_an_obstacle_and_a_line() -> None:
    obstacle = [[104, 90, 160, 112]]  # right of the point
    choice, _ = place_labels([[100, 100]], [[40, 12]], [[5, 5]], obstacle, bounds=BOUNDS)
    assert DIRECTIONS[choice[0]][0] == "W"
    line = np.column_stack([np.arange(0, 400.0), np.full(400, 100.0)])  # through the point
    choice, _ = place_labels([[100, 100]], [[40, 12]], [[5, 5]], bounds=BOUNDS, lines=line)
    assert DIRECTIONS[choice[0]][0] in ("NE", "SE")


def test_crowded_labels_do_not_overlap_and_placement_is_deterministic() -> None:
    # Six points 20 apart in a tight grid, labels 46 x 20: every label's first choice collides.
    anchors = np.array([[150 + 20 * (i % 3), 130 + 20 * (i // 3)] for i in range(6)], float)
    sizes = np.tile([46.0, 20.0], (6, 1))
    clear = np.tile([5.0, 5.0], (6, 1))
    markers = np.column_stack([anchors - 4, anchors + 4])
    owners = list(range(6))
    first = place_labels(anchors, sizes, clear, markers, owners, BOUNDS)
    again = place_labels(anchors, sizes, clear, markers, owners, BOUNDS)
    assert first[0] == again[0]
    np.testing.assert_array_equal(first[1], again[1])
    choice, boxes = first
    assert len(set(choice)) > 1
    for i in range(6):
        for j in range(6):
            if i != j:
                assert not boxes_overlap(boxes[i], boxes[j]), (i, j)
                assert not boxes_overlap(boxes[i], markers[j]), (i, j)


# --- rendering ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def renders(bundled: geo.Trip, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("static")
    paths = {}
    with strict():
        for lang in ("en", "ko"):
            for fmt in static.FORMATS:
                paths[f"{lang}.{fmt}"] = static.render_static(
                    bundled, out / f"map-{lang}.{fmt}", "social", lang
                )
    return paths


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_png_svg_and_pdf_in_both_languages(renders: dict[str, Path], lang: str) -> None:
    png = renders[f"{lang}.png"].read_bytes()
    assert png_size(png) == (1200, 675)
    svg = renders[f"{lang}.svg"].read_text(encoding="utf-8")
    assert svg.startswith("<?xml") and 'width="576pt" height="324pt"' in svg
    pdf = renders[f"{lang}.pdf"].read_bytes()
    assert pdf.startswith(b"%PDF-") and b"/MediaBox [ 0 0 576 324 ]" in pdf
    # Text is embedded (TrueType subsets), so PDF text stays selectable.
    font = b"NanumGothic" if lang == "ko" else b"DejaVuSans"
    assert font in pdf


def test_no_timestamps_and_byte_identical_output(
    bundled: geo.Trip, renders: dict[str, Path]
) -> None:
    with strict():
        for lang in ("en", "ko"):
            for fmt in ("svg", "pdf"):
                again = static.render_bytes(bundled, fmt, "social", lang)
                assert again == renders[f"{lang}.{fmt}"].read_bytes(), (lang, fmt)
    assert b"CreationDate" not in renders["en.pdf"].read_bytes()
    assert "<dc:date>" not in renders["en.svg"].read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_every_stop_is_labelled_once_and_labels_do_not_overlap(
    bundled: geo.Trip, lang: str
) -> None:
    with strict(), drawn(bundled, "social", lang) as (fig, _):
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
        ax = fig.axes[0]
        texts = {t.get_text(): t for t in ax.texts}
        names = NAMES if lang == "en" else NAMES_KO
        assert names <= set(texts)
        # One marker for Seongnam, visited first and last.
        markers = [t for t in ax.texts if t.get_zorder() == 7]
        assert sorted(t.get_text() for t in markers) == ["1 · 6", "2", "3", "4", "5"]
        labels = [t for t in ax.texts if t.get_zorder() == 8]
        boxes = [t.get_window_extent(renderer) for t in labels]
        boxes += [t.get_bbox_patch().get_window_extent(renderer) for t in markers]
        frame = ax.get_window_extent(renderer)
        for i, a in enumerate(boxes):
            assert frame.x0 <= a.x0 and a.x1 <= frame.x1 and frame.y0 <= a.y0 and a.y1 <= frame.y1
            for b in boxes[i + 1 :]:
                w = min(a.x1, b.x1) - max(a.x0, b.x0)
                h = min(a.y1, b.y1) - max(a.y0, b.y0)
                assert w <= 0.5 or h <= 0.5, (a, b)


def test_print_size_and_custom_size(bundled: geo.Trip) -> None:
    with strict():
        assert png_size(static.render_bytes(bundled, "png", "print")) == (1772, 1181)
        pdf = static.render_bytes(bundled, "pdf", "print", "ko")
        assert png_size(static.render_bytes(bundled, "png", "800x600")) == (800, 600)
    box = re.search(rb"/MediaBox \[ 0 0 ([\d.]+) ([\d.]+) \]", pdf)
    assert box is not None
    mm = [float(v) / 72 * 25.4 for v in box.groups()]
    assert mm == pytest.approx([150, 100], abs=0.1)


@pytest.mark.parametrize("lang", ["ru", "ja"])
def test_russian_and_japanese_images_have_every_glyph(bundled: geo.Trip, lang: str) -> None:
    # Cyrillic in DejaVu Sans, kana and kanji in IPAex Gothic: strict() fails on a missing glyph.
    from geo.static.fonts import font_families
    from geo.static.scene import build_scene

    with strict():
        png = static.render_bytes(bundled, "png", "social", lang)
        svg = static.render_bytes(bundled, "svg", "800x600", lang).decode("utf-8")
    assert png_size(png) == (1200, 675)
    scene = build_scene(bundled, lang)
    families, _ = font_families(scene.loc, [scene.title, *(s.name for s in scene.stops)])
    assert families[0] == ("IPAexGothic" if lang == "ja" else "DejaVu Sans")
    # The image's words are the catalog's: the projection's name in the credit line.
    assert scene.loc.t("proj_lcc") in scene.footer
    assert "Lambert conformal conic projection" not in scene.footer  # translated, not English
    assert "<svg" in svg


def test_japanese_without_a_japanese_font_is_an_error(
    bundled: geo.Trip, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(fonts, "_family", lambda source: None)
    with pytest.raises(ExportError, match="pip install matplotlib-fontja"):
        static.render_static(bundled, tmp_path / "map.png", lang="ja")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("name", "lang"), [("pacific.yaml", "ko"), ("mini.yaml", "en")])
def test_other_trips(name: str, lang: str, tmp_path: Path) -> None:
    trip = geo.load_trip(DATA / name)
    with strict():
        out = static.render_static(trip, tmp_path / "map.svg", "800x600", lang)
    assert out.read_bytes().startswith(b"<?xml")


def test_a_missing_glyph_would_fail_these_tests(
    bundled: geo.Trip, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The guard works: Korean set in a Latin-only font warns, and strict() makes that an error.
    monkeypatch.setattr(output, "font_families", lambda lang, texts: (["DejaVu Sans"], "bold"))
    with pytest.warns(UserWarning, match="missing from font"):
        static.render_bytes(bundled, "png", "social", "ko")


def test_korean_without_a_korean_font_is_an_error(
    bundled: geo.Trip, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(fonts, "_korean_family", lambda: None)
    with pytest.raises(ExportError, match="pip install koreanize-matplotlib"):
        static.render_static(bundled, tmp_path / "map.png", lang="ko")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("name", "kwargs", "match"),
    [
        ("map.jpg", {}, r"map\.jpg: cannot tell the image format from '\.jpg'"),
        ("map", {}, "from 'no suffix'"),
        ("map.png", {"size": "huge"}, "unknown size 'huge'"),
        ("map.png", {"lang": "fr"}, "unknown language 'fr'; use one of en, ja, ko, ru"),
    ],
)
def test_bad_requests_write_nothing(
    bundled: geo.Trip, tmp_path: Path, name: str, kwargs: dict[str, str], match: str
) -> None:
    with pytest.raises(ExportError, match=match):
        static.render_static(bundled, tmp_path / name, **kwargs)
    assert list(tmp_path.iterdir()) == []


def test_a_failed_render_leaves_no_file(
    bundled: geo.Trip, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    target = tmp_path / "map.png"
    target.write_bytes(b"old")

    def broken(*args: object) -> bytes:
        raise RuntimeError("boom")

    monkeypatch.setattr(output, "_image_bytes", broken)
    with pytest.raises(RuntimeError, match="boom"):
        static.render_static(bundled, target)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["map.png"]


def test_rendering_leaves_matplotlib_settings_alone(bundled: geo.Trip) -> None:
    import matplotlib

    before = dict(matplotlib.rcParams)
    pyplot = "matplotlib.pyplot" in sys.modules
    static.render_bytes(bundled, "png", "social", "ko")
    assert dict(matplotlib.rcParams) == before
    assert ("matplotlib.pyplot" in sys.modules) == pyplot


def test_importing_geo_static_does_not_import_matplotlib() -> None:
    code = "import sys, geo.static; assert 'matplotlib' not in sys.modules, 'imported'"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_hostile_strings_are_drawn_as_plain_text():
    # "$...$" would be mathtext and "<...>" markup in other renderers: both stay literal here,
    # and the SVG carries drawn glyphs, never the strings as markup.
    trip = geo.load_trip(DATA / "hostile.yaml")
    with strict():
        svg = static.render_bytes(trip, "svg", "social", "en")
        png = static.render_bytes(trip, "png", "600x400", "ko")
    text = svg.decode("utf-8")
    # The strings appear only escaped, in the SVG's <title> and comments.
    assert not re.search(r"<(script|img|iframe|a |svg onload)", text)
    assert "&lt;img src=x onerror=alert(1)&gt;" in text
    assert png_size(png) == (600, 400)


# --- projections that hold for any trip -------------------------------------------------------

WORLD_TOUR = (
    [127.0, -157.9, -77.0, -46.6, -9.1, 55.3],  # Seoul, Honolulu, Lima, São Paulo, Lisbon, Dubai
    [37.6, 21.3, -12.0, -23.5, 38.7, 25.3],
)


def test_a_trip_round_the_world_gets_a_world_map() -> None:
    proj = choose_projection(*WORLD_TOUR)
    assert proj.kind == "eqearth"
    assert "+proj=eqearth " in proj.proj4
    # The edge meridian (opposite the centre) lies in the widest gap, Honolulu to Lima.
    edge = (proj.lon_0 + 360.0) % 360.0 - 180.0
    assert -157.9 < edge < -77.0


def _true_areas(scale: str) -> dict[str, float]:
    """Each country's area on the ellipsoid (square metres), by English name."""
    from pyproj import Geod

    from geo import basemap

    geod = Geod(ellps="WGS84")
    countries = basemap.countries(scale)
    return {
        str(name): abs(geod.geometry_area_perimeter(g)[0])
        for name, g in zip(countries["name_en"], countries.geometry.array, strict=True)
    }


@pytest.mark.parametrize(
    ("kind", "lon_0", "lat_0", "most"),
    [
        # Azimuthal maps centred near the South Pole (the antipode in the Arctic), on the
        # equator (the antipode in Africa) and in the North Pacific (the antipode in Brazil):
        # areas grow at most theta / sin(theta), 5.2 times at the 150 degrees kept.
        ("aeqd", -100.0, -70.0, 5.3),
        ("aeqd", -150.0, 0.0, 5.3),
        ("aeqd", 130.0, 15.0, 5.3),
        # Equal Earth is equal-area: every country keeps its true area, wherever the edge cuts.
        ("eqearth", -150.0, 0.0, 1.02),
        ("eqearth", 62.5, 0.0, 1.02),
        ("eqearth", 0.0, 0.0, 1.02),
    ],
)
def test_no_country_turns_inside_out_at_the_projections_edge(
    bundled: geo.Trip, kind: str, lon_0: float, lat_0: float, most: float
) -> None:
    import dataclasses

    from geo.static.countries import clip_countries
    from geo.static.projection import Projection

    lat = f"+lat_0={lat_0} " if kind == "aeqd" else ""
    proj = Projection(f"+proj={kind} {lat}+lon_0={lon_0} +datum=WGS84 +units=m", kind, lon_0, lat_0)
    scene = dataclasses.replace(build_scene(bundled, "en"), projection=proj)
    whole = 2.1e7  # the whole projected world fits in this frame
    countries = clip_countries(scene, (-whole, whole, -whole, whole))
    true = _true_areas("110m")
    assert len(countries) > 100
    for _, name, g, _, area in countries:
        assert g.is_valid, name
        # An inverted polygon covers the rest of the world: many times its true area.
        assert area <= most * true[name] + 1e9, (name, area / true[name])


def _frame_shares(trip: geo.Trip) -> tuple[str, dict[str, float]]:
    """The projection's kind and each country's share of the drawn map's frame."""
    import shapely

    from geo.static.countries import clip_countries

    with drawn(trip, "social", "en") as (fig, scene):
        (x0, x1), (y0, y1) = fig.axes[0].get_xlim(), fig.axes[0].get_ylim()
        extent = (x0, x1, y0, y1)
        frame = (x1 - x0) * (y1 - y0)
        for s in scene.stops:
            assert x0 < s.xy[0] < x1 and y0 < s.xy[1] < y1, s.name
        shares = {
            name: shapely.clip_by_rect(g, x0, y0, x1, y1).area / frame
            for _, name, g, _, _ in clip_countries(scene, extent)
        }
    return scene.projection.kind, shares


@pytest.mark.parametrize(
    ("name", "kind", "most"),
    [
        ("pacific.yaml", "aeqd", 0.12),
        ("pacific-tour.yaml", "eqearth", 0.12),
        ("world-tour.yaml", "eqearth", 0.12),
    ],
)
def test_ocean_crossing_trips_have_no_flooded_frame(name: str, kind: str, most: float) -> None:
    got, shares = _frame_shares(geo.load_trip(DATA / name))
    assert got == kind
    # Russia, the largest country, is about 11 % of the land and under 4 % of an Equal Earth
    # world; an inverted country would cover a third of the frame or more.
    assert max(shares.values()) < most, max(shares.items(), key=lambda kv: kv[1])
