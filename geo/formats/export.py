"""Writers for a trip's layers: RFC 7946 GeoJSON, GeoPackage, CSV, GeoParquet, FlatGeobuf, KML.

GeoJSON is written by hand rather than through GDAL so that it is byte-for-byte deterministic,
UTF-8 without ``\\u`` escapes on every platform, rounded to a chosen number of decimals, and
carries list and date properties faithfully. The other formats are written by GDAL (pyogrio) or
pyarrow, with lists and mappings as JSON text and dates as ISO 8601 text.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import math
import re
import tempfile
from collections.abc import Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from geo.errors import ExportError
from geo.formats.atomic import atomic_write

if TYPE_CHECKING:
    import geopandas as gpd

    from geo.trip import Trip

__all__ = [
    "EXTENSIONS",
    "FORMATS",
    "LAYERS",
    "TEXT_FORMATS",
    "atomic_write",
    "check_request",
    "csv_bytes",
    "dumps_compact",
    "export_bytes",
    "extension",
    "format_for",
    "frame_csv",
    "geojson_text",
    "geometry_texts",
    "inert_text",
    "json_value",
    "layer_features",
    "write_export",
]

LAYERS = ("stops", "legs", "deals", "resources", "routes")
FORMATS = ("geojson", "gpkg", "csv", "parquet", "fgb", "kml")
"""Export formats: GeoJSON, GeoPackage, CSV, GeoParquet, FlatGeobuf and KML."""
EXTENSIONS = {
    ".geojson": "geojson",
    ".json": "geojson",
    ".gpkg": "gpkg",
    ".csv": "csv",
    ".parquet": "parquet",
    ".fgb": "fgb",
    ".kml": "kml",
}
"""File extension -> format (lower case); the first of a format is the one folders get."""
TEXT_FORMATS = ("geojson", "csv", "kml")
"""Formats that can go to standard output."""


def json_value(v: Any) -> Any:
    """A property value as plain JSON: dates as ISO 8601, NaN as null, numpy as Python."""
    kind = type(v)
    if v is None or kind is str or kind is int or kind is bool:
        return v  # most cells: nothing to convert
    # NaT is an instance of datetime too, and its isoformat() is the string "NaT".
    if v is _nat():
        return None
    if isinstance(v, dt.datetime | dt.date):
        return v.isoformat()
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float):
        if not math.isfinite(v):
            return None
        return int(v) if v.is_integer() and abs(v) < 2**53 else v
    if isinstance(v, Mapping):
        return {str(k): json_value(x) for k, x in v.items()}
    if isinstance(v, list | tuple | np.ndarray):
        return [json_value(x) for x in v]
    return v


@lru_cache(maxsize=1)
def _nat() -> Any:
    import pandas as pd

    return pd.NaT


_INTEGRAL = re.compile(r"(?<![\d.e])(-?\d+)\.0(?=[,\]])")


def geometry_texts(geoms: Any, ndigits: int) -> list[str]:
    """Every geometry of a layer as GeoJSON text. Points and lines, nearly all of a large
    layer, are rounded together in one numpy call and written without a Python list per
    vertex; polygons and multi-part lines take the general path."""
    import shapely

    geoms = np.asarray(geoms, dtype=object)
    kind = shapely.get_type_id(geoms)  # -1 for None
    empty = shapely.is_empty(geoms)
    out = ["null"] * len(geoms)
    for i in np.flatnonzero((kind != 0) & (kind != 1) & (kind != -1)):
        out[i] = dumps_compact(_geometry(geoms[i], ndigits))
    points = np.flatnonzero((kind == 0) & ~empty)
    if len(points):
        xy = np.round(shapely.get_coordinates(geoms[points]), ndigits) + 0.0
        for i, (x, y) in zip(points, xy.tolist(), strict=True):
            coords = _INTEGRAL.sub(r"\1", f"[{x!r},{y!r}]")
            out[i] = '{"type":"Point","coordinates":' + coords + "}"
    lines = np.flatnonzero((kind == 1) & ~empty)
    if len(lines):
        xy, owner = shapely.get_coordinates(geoms[lines], return_index=True)
        xy = np.round(xy, ndigits) + 0.0  # + 0.0: no "-0.0"
        # Rounding can make neighbouring vertices equal (a vertex next to the antimeridian, a
        # very short hop): drop the repeats; a line left with one position is null.
        keep = np.r_[True, (owner[1:] != owner[:-1]) | np.any(xy[1:] != xy[:-1], axis=1)]
        xy, owner = xy[keep], owner[keep]
        bounds = np.searchsorted(owner, np.arange(len(lines) + 1))
        rows = xy.tolist()
        for k, i in enumerate(lines):
            a, b = bounds[k], bounds[k + 1]
            if b - a >= 2:
                coords = json.dumps(rows[a:b], separators=(",", ":"))
                out[i] = '{"type":"LineString","coordinates":' + _INTEGRAL.sub(r"\1", coords) + "}"
    return out


def dumps_compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def _round(coords: Any, ndigits: int) -> Any:
    if isinstance(coords, tuple | list) and coords and isinstance(coords[0], int | float):
        return [_num(round(float(c), ndigits)) for c in coords[:2]]
    return [_round(c, ndigits) for c in coords]


def _num(x: float) -> float | int:
    x = x + 0.0  # no "-0.0"
    return int(x) if x.is_integer() else x


def _geometry(geom: Any, ndigits: int) -> dict[str, Any] | None:
    import shapely

    if geom is None or geom.is_empty:
        return None
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        # RFC 7946 §3.1.6: exterior rings counter-clockwise, holes clockwise.
        geom = shapely.orient_polygons(geom, exterior_cw=False)
    mapped = shapely.geometry.mapping(geom)
    coords = _round(mapped["coordinates"], ndigits)
    if mapped["type"] in ("LineString", "MultiLineString"):
        # Rounding can make neighbouring vertices equal (a vertex next to the antimeridian, a
        # very short hop): drop the repeats, and the parts left with a single position. A line
        # that rounds to one point has no extent at this precision: null, like a leg between
        # coincident stops.
        parts: list[list[list[float | int]]] = []
        for part in (_dedupe(p) for p in ([coords] if mapped["type"] == "LineString" else coords)):
            if len(part) < 2:
                continue
            if parts and parts[-1][-1] == part[0]:
                parts[-1].extend(part[1:])  # the parts either side of a dropped one join up
            else:
                parts.append(part)
        if not parts:
            return None
        if len(parts) == 1:
            return {"type": "LineString", "coordinates": parts[0]}
        return {"type": "MultiLineString", "coordinates": parts}
    return {"type": mapped["type"], "coordinates": coords}


def _dedupe(line: list[list[float | int]]) -> list[list[float | int]]:
    return [p for i, p in enumerate(line) if i == 0 or p != line[i - 1]]


def layer_features(
    name: str, frame: gpd.GeoDataFrame, ndigits: int = 6, with_layer: bool = False
) -> Iterator[dict[str, Any]]:
    """GeoJSON features of one layer, with stable ids ``"<layer>-<n>"``, as mappings (parsed
    from the same text the export writes, so the two never differ)."""
    return (json.loads(text) for text in _feature_texts(name, frame, ndigits, with_layer))


def _feature_texts(
    name: str, frame: gpd.GeoDataFrame, ndigits: int, with_layer: bool
) -> Iterator[str]:
    """The text of each feature: the same bytes as ``json.dumps`` of :func:`layer_features`,
    written column by column and with each line's coordinates rounded in one numpy call."""
    columns = [c for c in frame.columns if c != frame.geometry.name]
    values = {c: [json_value(v) for v in frame[c].tolist()] for c in columns}
    key = _ID_COLUMN[name]
    head = {"layer": name} if with_layer else {}
    geometries = geometry_texts(frame.geometry.array, ndigits)
    for i, geometry in enumerate(geometries):
        props = head | {c: values[c][i] for c in columns}
        yield (
            '{"type":"Feature","id":' + dumps_compact(_feature_id(name, props[key], props))
            + ',"geometry":' + geometry
            + ',"properties":' + dumps_compact(props) + "}"
        )  # fmt: skip


def _feature_id(name: str, number: Any, props: dict[str, Any]) -> str:
    """``legs-3``; a resource has a row per country it names, so ``resources-4-KZ``."""
    if name == "resources":
        return f"{name}-{number}-{props.get('country')}"
    return f"{name}-{number}"


_ID_COLUMN = {"stops": "stop", "legs": "leg", "deals": "deal", "resources": "resource",
              "routes": "route"}  # fmt: skip


def geojson_text(trip: Trip, layer: str, ndigits: int = 6) -> str:
    """One RFC 7946 FeatureCollection: a layer, or ``all`` with a ``layer`` property."""
    layers = trip.layers()
    names = LAYERS if layer == "all" else (layer,)
    features = [f for n in names for f in _feature_texts(n, layers[n], ndigits, layer == "all")]
    return '{"type":"FeatureCollection","features":[' + ",".join(features) + "]}\n"


def _flat(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Columns as types every GIS format holds: lists and mappings as JSON, dates as ISO text."""
    out = frame.copy()
    for c in out.columns:
        if c == out.geometry.name:
            continue
        col = out[c].tolist()
        if any(isinstance(v, list | tuple | dict | dt.date) for v in col):
            out[c] = [
                v.isoformat()
                if isinstance(v, dt.date)
                else json.dumps(json_value(v), ensure_ascii=False)
                if isinstance(v, list | tuple | dict)
                else v
                for v in col
            ]
    return out


def _gdal_file(
    frames: dict[str, gpd.GeoDataFrame],
    driver: str,
    name: str,
    dataset_options: dict[str, str] | None = None,
    layer_options: dict[str, dict[str, str]] | None = None,
) -> bytes:
    """Write layers with one GDAL driver into a temporary file and return its bytes."""
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / name
        for i, (n, frame) in enumerate(frames.items()):
            frame.to_file(
                target,
                layer=n,
                driver=driver,
                engine="pyogrio",
                mode="a" if i else "w",
                # Legs and routes mix LineString and MultiLineString (antimeridian).
                promote_to_multi=n in ("legs", "resources", "routes"),
                dataset_options=dataset_options if not i else None,
                layer_options=(layer_options or {}).get(n),
            )
        return target.read_bytes()


def _gpkg(trip: Trip, names: tuple[str, ...]) -> bytes:
    from geo.formats.atomic import gdal_options

    layers = trip.layers()
    # GeoPackage stores a "last change" timestamp; fixing it keeps the file reproducible.
    with gdal_options({"OGR_CURRENT_DATE": "2000-01-01T00:00:00.000Z"}):
        return _gdal_file({n: _flat(layers[n]) for n in names}, "GPKG", "export.gpkg")


def _fgb(name: str, frame: gpd.GeoDataFrame) -> bytes:
    # GDAL's packed R-tree cannot hold a feature without geometry (a deal with no site): such a
    # layer is written without the index, which only costs readers a full scan.
    index = "NO" if frame.geometry.isna().any() else "YES"
    return _gdal_file(
        {name: _flat(frame)},
        "FlatGeobuf",
        "export.fgb",
        layer_options={name: {"SPATIAL_INDEX": index}},
    )


def _parquet(frame: gpd.GeoDataFrame) -> bytes:
    """GeoParquet 1.1: WKB geometry, CRS in the ``geo`` metadata, a ``bbox`` covering column."""
    import io

    buf = io.BytesIO()
    _flat(frame).to_parquet(
        buf, index=False, schema_version="1.1.0", write_covering_bbox=True, compression="zstd"
    )
    return buf.getvalue()


def _kml(trip: Trip, names: tuple[str, ...], lang: str) -> bytes:
    """KML through GDAL's LIBKML driver: a folder per layer, names, descriptions and styles in
    ``lang``, every column also kept as ExtendedData."""

    from geo import i18n
    from geo.formats.kml import Names, folder_name, placemark_columns
    from geo.scene import stop_labels

    default = trip.meta.lang
    loc = i18n.locale(lang)
    named = Names(loc, default, tuple(stop_labels(trip, loc)))
    layers = trip.layers()
    frames = {}
    for n in names:
        flat = _flat(layers[n])
        columns = placemark_columns(n, layers[n], named)
        frame = flat.drop(columns=[c for c in columns if c in flat])
        frames[n] = _as_kml_text(frame).assign(
            name=[html.escape(v, quote=False) for v in columns["name"]],
            description=columns["description"],  # escaped by geo.formats.kml, <br> added
            OGR_STYLE=columns["OGR_STYLE"],
        )
    title = loc.text(trip.meta.title, default)
    subtitle = loc.text(trip.meta.subtitle, default)
    _check_kml_text(frames, {"trip.title": title})
    return _gdal_file(
        frames,
        "LIBKML",
        "export.kml",
        dataset_options={
            "NAME": html.escape(title, quote=False),
            "DESCRIPTION": html.escape(subtitle),
        },
        layer_options={n: {"FOLDER": "YES", "NAME": folder_name(n, loc)} for n in names},
    )


# libkml copies control characters as they are, which makes a KML file that no reader opens:
# refused before writing. ("]]>", which libkml's CDATA sections did not split, cannot occur:
# every trip text is escaped first, so its ">" is "&gt;".)
_NOT_KML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _is_text(column: Any) -> bool:
    """Object or string dtype (pandas 3 reads text as ``str``, not ``object``)."""
    import pandas as pd

    return bool(pd.api.types.is_object_dtype(column) or pd.api.types.is_string_dtype(column))


def _as_kml_text(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Every text column (the ExtendedData values) with ``&``, ``<`` and ``>`` escaped.

    Google Earth builds its balloons as HTML from a placemark's name, description and
    ExtendedData table, and Google's KML reference documents HTML in those values: raw trip text
    there (``<img src=x onerror=...>``) would run as markup in a reader's globe. Escaped, it
    reads as the trip wrote it in every viewer that renders HTML; a tool that shows the raw
    value shows the entities (``&lt;``), and ``html.unescape`` gives the text back exactly.
    """
    import pandas as pd

    def escaped(v: Any) -> Any:
        if isinstance(v, str):
            return html.escape(v, quote=False)
        if isinstance(v, (list, tuple)):
            return [escaped(x) for x in v]
        return v

    out = frame.copy()
    for c in out.columns:
        if c != out.geometry.name and _is_text(out[c]):
            out[c] = pd.Series([escaped(v) for v in out[c]], index=out.index, dtype=object)
    return out


def _check_kml_text(frames: dict[str, gpd.GeoDataFrame], extra: dict[str, str]) -> None:
    """Refuse text that GDAL's LIBKML driver would write as malformed XML, naming the record."""
    cells = [(where, text) for where, text in extra.items()]
    for n, frame in frames.items():
        for c in frame.columns:
            if c == frame.geometry.name or not _is_text(frame[c]):
                continue
            field = re.sub(r"_[a-z]{2}$", "", c)
            cells += [(f"{n}[{i}].{field}", v) for i, v in enumerate(frame[c]) if type(v) is str]
    for where, text in cells:
        found = _NOT_KML.search(text)
        if found:
            raise ExportError(
                f"{where}: {text[:60]!r} contains {found.group()!r}, which the KML writer "
                "(GDAL's LIBKML) cannot write; remove it or export another format"
            )


def frame_csv(frame: gpd.GeoDataFrame, ndigits: int = 6) -> bytes:
    """A GeoDataFrame as RFC 4180 CSV (:func:`csv_bytes`): points as ``lon``/``lat`` columns,
    other geometries as a ``wkt`` column."""
    flat = _flat(frame)
    geom = flat.geometry
    table = flat.drop(columns=geom.name)
    if all(g is None or g.geom_type == "Point" for g in geom.array):
        # Spreadsheet and chart tools want points as plain lon/lat columns.
        table["lon"] = [None if g is None else round(g.x, ndigits) for g in geom.array]
        table["lat"] = [None if g is None else round(g.y, ndigits) for g in geom.array]
    else:
        import shapely

        table["wkt"] = [
            None if g is None else shapely.to_wkt(g, rounding_precision=ndigits, trim=True)
            for g in geom.array
        ]
    return csv_bytes(table)


def csv_bytes(table: Any) -> bytes:
    """A table (a pandas DataFrame without geometry) as RFC 4180 CSV in UTF-8.

    Every field that holds a comma, a quote, a CR or an LF is quoted, rows end with CRLF, and
    every text cell goes through :func:`inert_text`, so a reader that ends a row at any CR or
    LF outside quotes (RFC 4180, Excel, LibreOffice, Python's ``csv``) reads the header's
    width on every row and no cell runs as a formula. Deterministic: the same table gives the
    same bytes.
    """
    import io

    import pandas as pd

    table = table.copy()
    for c in table.columns:
        if pd.api.types.is_object_dtype(table[c]) or pd.api.types.is_string_dtype(table[c]):
            table[c] = pd.Series(
                [inert_text(v) for v in table[c].tolist()], index=table.index, dtype=object
            )
    buf = io.StringIO()
    # Python's csv (which pandas uses) quotes a field holding the delimiter, the quote
    # character or any character of the line terminator: with CRLF that is a lone CR too.
    table.to_csv(buf, index=False, lineterminator="\r\n")
    return buf.getvalue().encode("utf-8")


# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_START = frozenset("=+-@\t\r")
# The start of a line inside a text: a spreadsheet that splits a cell at its line breaks
# (pasting it, "text to columns", a reader that ignores quotes) sees each line as a cell.
_LINE_START = re.compile(r"(?:^|(?<=[\r\n]))(?=[=+\-@\t\r])")


def inert_text(v: Any) -> Any:
    """A text cell a spreadsheet shows as text: a ``'`` before a formula character that
    starts the cell or any line of it. Anything but text (numbers, None) is returned as is.

    >>> inert_text("=1+1"), inert_text("note\\r=1+1"), inert_text("-"), inert_text(3)
    ("'=1+1", "note\\r'=1+1", "'-", 3)
    """
    if not isinstance(v, str):
        return v
    return _LINE_START.sub("'", v)


def format_for(path: Path | None, fmt: str | None) -> str:
    """The format of an export: ``fmt`` if given, else from the file name's extension.

    Parameters
    ----------
    path : Path or None
        The file to write, or None for standard output or a folder (the format is then ``fmt``,
        or GeoJSON).
    fmt : str or None
        A format of :data:`FORMATS`, or None to take it from the extension.

    Raises
    ------
    ExportError
        For an unknown format or extension, or a format that the extension contradicts; the
        message lists the choices.
    """
    choices = ", ".join(EXTENSIONS)
    if fmt is not None and fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    if path is None:
        return fmt or "geojson"
    suffix = path.suffix.lower()
    by_suffix = EXTENSIONS.get(suffix)
    if suffix and by_suffix is None:
        raise ExportError(f"{path}: unknown extension {suffix!r}; give the file one of {choices}")
    if fmt is None:
        if by_suffix is None:
            raise ExportError(
                f"{path}: no extension to tell the format by; "
                f"give the file one of {choices}, or --format"
            )
        return by_suffix
    if by_suffix is not None and by_suffix != fmt:
        raise ExportError(
            f"{path}: --format {fmt} does not match the extension {suffix!r} ({by_suffix}); "
            f"name the file {path.with_suffix(extension(fmt))}, or drop --format"
        )
    return fmt


def extension(fmt: str) -> str:
    """The file extension of a format: ``".parquet"`` for ``"parquet"``."""
    return next(ext for ext, f in EXTENSIONS.items() if f == fmt)


def export_bytes(
    trip: Trip,
    layer: str,
    fmt: str,
    ndigits: int = 6,
    path: Path | None = None,
    lang: str | None = None,
) -> bytes:
    """The bytes of an export, computed fully before anything is written.

    Parameters
    ----------
    trip : Trip
        The trip to export.
    layer : str
        One of :data:`LAYERS`, or ``"all"``.
    fmt : str
        One of :data:`FORMATS`.
    ndigits : int
        Decimal places of coordinates in GeoJSON and CSV.
    path : Path, optional
        Unused; kept for callers that pass the target.
    lang : str, optional
        Language of KML names, descriptions and folders [default: the trip's own].

    Raises
    ------
    ExportError
        For an unknown layer or format, or ``all`` in a format of one layer per file.
    """
    check_request(layer, fmt)
    names = LAYERS if layer == "all" else (layer,)
    if fmt == "geojson":
        return geojson_text(trip, layer, ndigits).encode("utf-8")
    if fmt == "gpkg":
        return _gpkg(trip, names)
    if fmt == "kml":
        return _kml(trip, names, lang or trip.meta.lang)
    frame = trip.layers()[layer]
    if fmt == "csv":
        return frame_csv(frame, ndigits)
    if fmt == "parquet":
        return _parquet(frame)
    return _fgb(layer, frame)


_FORMAT_NAMES = {"csv": "CSV", "parquet": "GeoParquet", "fgb": "FlatGeobuf"}


def check_request(layer: str, fmt: str) -> None:
    """Refuse an export that no trip could satisfy, before any trip is loaded.

    Raises
    ------
    ExportError
        For an unknown layer or format, ``all`` in a format of one layer per file, or
        GeoParquet without pyarrow (the message says how to install it).
    """
    if layer not in (*LAYERS, "all"):
        raise ExportError(f"unknown layer {layer!r}; use one of {', '.join(LAYERS)} or all")
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    if layer == "all" and fmt in _FORMAT_NAMES:
        raise ExportError(
            f"{_FORMAT_NAMES[fmt]} holds one layer per file; choose --layer stops|legs|deals|..."
            " or use --format geojson, gpkg or kml for all"
        )
    if fmt == "parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise ExportError(
                "GeoParquet needs pyarrow, which is not installed; "
                "run: pip install 'geo-itinerary[parquet]'"
            ) from None


def write_export(
    trip: Trip, layer: str, fmt: str, path: Path, ndigits: int = 6, lang: str | None = None
) -> int:
    """Write an export atomically; returns the number of bytes written."""
    data = export_bytes(trip, layer, fmt, ndigits, path, lang)
    atomic_write(path, data)
    return len(data)
