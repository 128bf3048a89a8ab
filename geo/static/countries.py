"""The basemap: countries clipped to the map's window and projected, and their name labels."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from geo.static.labels import OptionalLabel
from geo.static.layout import Canvas
from geo.static.projection import far_side, lonlat_window, project, transformer
from geo.static.scene import Scene
from geo.static.theme import FONT

if TYPE_CHECKING:
    pass

__all__ = ["clip_countries", "country_labels"]


def clip_countries(
    scene: Scene, extent: tuple[float, float, float, float]
) -> list[tuple[str, str, Any, tuple[float, float] | None, float]]:
    """Countries clipped to the map and projected: (iso, name, geometry, label xy, area)."""
    import shapely

    from geo import basemap

    proj = scene.projection
    x0, x1, y0, y1 = extent
    w, h = x1 - x0, y1 - y0
    lo, hi, south, north = lonlat_window(proj, extent)
    scale = "50m" if max(w, h) < 9_000_000 else "110m"
    countries = basemap.countries(scale)
    geoms = np.asarray(countries.geometry.array, dtype=object)
    parts: list[Any] = [None] * len(geoms)
    for shift in (-360.0, 0.0, 360.0):
        a, b = max(lo + shift, -180.0), min(hi + shift, 180.0)
        if a >= b:
            continue
        clipped = shapely.clip_by_rect(geoms, a, south, b, north)
        for i, g in enumerate(clipped):
            if g is None or g.is_empty:
                continue
            parts[i] = g if parts[i] is None else shapely.union(parts[i], g)
    cut = far_side(proj)
    to_map = transformer(proj.proj4)
    mx, my = w * 0.05, h * 0.05
    out = []
    names = basemap.frame_names(countries, scene.loc.code)
    for i, g in enumerate(parts):
        if g is None:
            continue
        if cut is not None:
            g = shapely.difference(g, cut)
            if g.is_empty:
                continue
        # Edges long in degrees are curves on the map: give them vertices before projecting.
        g = shapely.segmentize(g, 1.0)
        projected = shapely.transform(
            g, lambda c: np.column_stack(to_map.transform(c[:, 0], c[:, 1]))
        )
        projected = shapely.clip_by_rect(
            shapely.make_valid(projected), x0 - mx, y0 - my, x1 + mx, y1 + my
        )
        if projected.is_empty:
            continue
        iso = str(countries["iso_a2"].iloc[i])
        label = None
        if iso:
            lx, ly = float(countries["label_lon"].iloc[i]), float(countries["label_lat"].iloc[i])
            p = project(proj, [lx], [ly])[0]
            if np.all(np.isfinite(p)) and x0 <= p[0] <= x1 and y0 <= p[1] <= y1:
                label = (float(p[0]), float(p[1]))
        out.append((iso, names[i], projected, label, projected.area))
    return out


def country_labels(
    c: Canvas,
    scene: Scene,
    countries: list[tuple[str, str, Any, tuple[float, float] | None, float]],
) -> list[OptionalLabel]:
    """Country names: the trip's countries first, then the largest neighbours."""
    ax = c.ax
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    map_area = (x1 - x0) * (y1 - y0)
    ranked = sorted(
        (x for x in countries if x[3] is not None and x[0]),
        key=lambda x: (x[0] not in scene.home and x[0] not in scene.partners, -x[4], x[0]),
    )
    out = []
    for iso, name, _, label, area in ranked:
        assert label is not None
        own = iso in scene.home or iso in scene.partners
        if not own and area < map_area * 0.012:
            continue
        h = FONT["country"] * 1.2
        out.append(
            OptionalLabel(
                name.upper(),  # capitals, as atlases set countries (no-op in Hangul, kana)
                [(label, (0.0, dy)) for dy in (0.0, -h - 4, h + 4, -2 * h - 8)],
                FONT["country"],
                c.colours["country_text"],
                c.bold if own else "normal",
                2.5,
            )
        )
    return out
