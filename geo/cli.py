"""The ``geo`` command: thin click commands over the library.

Heavy libraries (geopandas, folium) are imported inside command bodies so ``geo --help`` is
instant. Every :class:`~geo.errors.GeoError` becomes a message on stderr and exit code 2.
"""

from __future__ import annotations

import functools
import gc
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from geo.console import Progress, console_options, detail, echo, error, progress, say, stage
from geo.i18n import LANGS
from geo.render.assets import ASSET_MODES

if TYPE_CHECKING:
    from geo.trip import Trip

__all__ = ["main"]

F = TypeVar("F", bound=Callable[..., Any])


class InputError(click.ClickException):
    """Bad input: printed without a traceback, exit code 2."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        error(self.format_message())


# Library parameters -> the flags that set them (the library never names a flag).
FLAGS = {"lang": "--lang", "tiles": "--tiles", "assets": "--assets", "size": "--size",
         "layer": "--layer", "format": "--format", "src": "--src", "path": "-o"}  # fmt: skip


def _reports_errors(fn: F) -> F:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from geo.errors import GeoError, ParameterError

        try:
            return fn(*args, **kwargs)
        except ParameterError as exc:
            # The library names its parameter; the command line names its flag.
            flag = FLAGS.get(exc.parameter, f"--{exc.parameter}")
            raise click.BadParameter(exc.detail, param_hint=f"'{flag}'") from None
        except GeoError as exc:
            raise InputError(str(exc)) from None
        except OSError as exc:
            # Reading and writing report their own errors as GeoError; this is the net under
            # them, so an operating-system failure is never a traceback.
            where = f"{exc.filename}: " if exc.filename else ""
            raise InputError(f"{where}{exc.strerror or exc}") from None
        finally:
            # The process ends next: spare the interpreter's last collections a walk over
            # every object the libraries made (about 0.4 s for a map).
            gc.freeze()

    return wrapper  # type: ignore[return-value]


def _trip_argument(fn: F) -> F:
    return click.argument(
        "trip",
        required=False,
        type=click.Path(path_type=Path),
        metavar="[TRIP]",
    )(fn)


def _load(path: Path | None, tolerance_km: float = 1.0) -> Trip:
    import geo

    source = path or geo.bundled_trip()
    with stage(f"read {source}"):
        trip = geo.load_trip(source, tolerance_km)
    r = trip.records
    detail(
        f"{source}: {len(r.stops)} stops, {len(trip.legs)} legs, {len(r.deals)} deals, "
        f"{len(r.resources)} resources, {len(r.routes)} routes"
    )
    return trip


def _trips_argument(fn: F) -> F:
    return click.argument(
        "trips",
        nargs=-1,
        type=click.Path(path_type=Path),
        metavar="[TRIP]...",
    )(fn)


def _into_folder(trips: tuple[Path, ...], output: str | None) -> bool:
    """Several trips, or ``-o FOLDER/``: one output per trip, in a folder, named by trip id.

    ``output`` is the text as typed: a Path drops the trailing slash that says "folder".
    """
    return len(trips) > 1 or (output is not None and output.endswith(("/", os.sep)))


def _check_folder(output: Path | None, suffixes: tuple[str, ...]) -> None:
    """With several trips ``-o`` is a folder: refuse what looks like one output file."""
    if output is not None and output.suffix.lower() in suffixes and not output.is_dir():
        raise InputError(
            f"-o {output}: with several trips -o is a folder, one file per trip named by its "
            f"trip id; give -o {output.with_suffix('')}/"
        )


def _each_trip(
    trips: tuple[Path, ...],
    target: Callable[[Trip], Path],
    write: Callable[[Trip, Path], None],
    tolerance_km: float = 1.0,
) -> None:
    """Load each trip and write its output to ``target(trip)``.

    One trip (or none: the bundled one) behaves as a single command. With several, a bad trip
    is reported (file, record, fix) and the others are still written; the command then ends
    with exit code 2. Libraries, the gazetteer and the basemap are loaded once for all trips.
    """
    if len(trips) <= 1:
        loaded = _load(trips[0] if trips else None, tolerance_km)
        out = target(loaded)
        with stage(f"write {out}"):
            write(loaded, out)
        return
    written: dict[Path, Path] = {}
    bad = 0
    with progress(len(trips), "trips", "trips") as bar:
        for k, path in enumerate(trips):
            bad += _one_of_many(path, tolerance_km, target, write, written)
            bar.update(k + 1)
    if bad:
        raise InputError(
            f"{bad} of {len(trips)} trips not written (problems above); {len(trips) - bad} written"
        )


def _one_of_many(
    path: Path,
    tolerance_km: float,
    target: Callable[[Trip], Path],
    write: Callable[[Trip, Path], None],
    written: dict[Path, Path],
) -> int:
    """One trip of several: written, or its problem reported; 1 when it was not written."""
    from geo.errors import GeoError

    try:
        loaded = _load(path, tolerance_km)
        out = target(loaded)
        if out in written:
            raise GeoError(
                f"{path}: trip.id {loaded.meta.id!r} is also the id of {written[out]}, and "
                f"both would be written to {out}; give each trip its own trip.id"
            )
        with stage(f"write {out}"):
            write(loaded, out)
        written[out] = path
    except (GeoError, OSError) as exc:
        error(str(exc))
        return 1
    return 0


lang_option = click.option(
    "--lang",
    type=click.Choice(LANGS),
    default=None,
    help="Language of words, names, dates and numbers: one with a catalog (see the README's "
    "Languages) [default: the trip's own].",
)


EXAMPLES = """\b
Examples:
  geo map                                   maps/k-silk-road-2024.html
  geo map --lang ko                         maps/k-silk-road-2024.ko.html
  geo info --lang ru                        the trip in Russian, names as the map shows them
  geo info my-trip.yaml --nm                stops, legs and deals as text
  geo preview my-trip.yaml                  live map at http://127.0.0.1:8731/
  geo export --layer legs -o legs.geojson   RFC 7946 GeoJSON for QGIS, Mapbox, kepler.gl
  geo export --lang ko -o trip.kml          KML for Google Earth, a folder per layer
  geo map visits/*.yaml -o maps/            one map per trip, named by trip id
  geo static -o card.png --size social      a 1200x675 image
  geo video -o trip.mp4 --size vertical     a 1080x1920 clip that draws the journey
  geo embed --src https://example.org/maps/k-silk-road-2024/index.html
  geo story -o story/                       the trip told chapter by chapter
  geo flows trade.csv -o trade.parquet      route a flow table (add --engine dask)
  geo flows trade.csv --top 50 -o top.html  the 50 largest flows on the article map
  geo flows trade.csv -o trade-map.html     every flow, clustered by zoom (the trade map)
"""


@click.group(
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog=EXAMPLES,
)
@click.version_option(package_name="geo-itinerary", prog_name="geo")
def main() -> None:
    """Map itineraries and trade routes: trip files to GeoJSON and self-contained HTML maps.

    TRIP is a .yaml file or a folder of CSVs (docs/trip-format.md); without it, commands use
    the bundled dataset, the June 2024 state visit Seongnam - Ashgabat - Astana - Tashkent -
    Samarkand - Seongnam.
    """


@main.command()
@_trip_argument
@console_options
@_reports_errors
def validate(trip: Path | None) -> None:
    """Check a trip file and list every problem in it (exit code 2 if any)."""
    loaded = _load(trip)
    r = loaded.records
    echo(
        f"{trip or 'bundled trip'}: valid: {len(r.stops)} stops, {len(r.deals)} deals, "
        f"{len(r.resources)} resources, {len(r.routes)} routes"
    )


@main.command()
@_trip_argument
@lang_option
@click.option("--nm", is_flag=True, help="Show distances in nautical miles too.")
@console_options
@_reports_errors
def info(trip: Path | None, lang: str | None, nm: bool) -> None:
    """Print the stops with local dates, the legs with distances by path (sea lane or great
    circle), and the deals."""
    from geo.describe import describe

    loaded = _load(trip)
    click.echo(describe(loaded, lang or loaded.meta.lang, nautical=nm))


@main.command()
@_trips_argument
@click.option(
    "--layer",
    type=click.Choice(["stops", "legs", "deals", "resources", "routes", "all"]),
    default="all",
    show_default=True,
    help="Which layer; 'all' is one FeatureCollection with a 'layer' property (GeoJSON), one "
    "table per layer (GeoPackage) or one folder per layer (KML).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["geojson", "gpkg", "csv", "parquet", "fgb", "kml"]),
    default=None,
    help="Output format [default: from the -o extension: .geojson/.json, .gpkg, .csv, .parquet, "
    ".fgb, .kml; geojson for stdout or a folder].",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(allow_dash=True),
    default="-",
    show_default=True,
    help="File to write; '-' writes to stdout; a FOLDER/ (or several trips) gets one file per "
    "trip, named by trip id.",
)
@lang_option
@click.option(
    "--precision",
    type=click.IntRange(0, 15),
    default=6,
    show_default=True,
    help="Decimal places of coordinates in GeoJSON and CSV (6 is about 0.1 m).",
)
@click.option(
    "--tolerance-km",
    type=click.FloatRange(min=0.001),
    default=1.0,
    show_default=True,
    help="Largest gap between a drawn leg and the true geodesic.",
)
@console_options
@_reports_errors
def export(
    trips: tuple[Path, ...],
    layer: str,
    fmt: str | None,
    output: str,
    lang: str | None,
    precision: int,
    tolerance_km: float,
) -> None:
    """Export layers as GeoJSON, GeoPackage, CSV, GeoParquet, FlatGeobuf or KML.

    The format follows the extension of -o (or --format): RFC 7946 GeoJSON for QGIS, Mapbox
    and kepler.gl; GeoPackage; CSV for spreadsheets and Datawrapper; GeoParquet 1.1 for DuckDB,
    pandas and QGIS; FlatGeobuf for web maps; KML for Google Earth and My Maps (names and
    descriptions in --lang, styled like the map).
    """
    from geo.formats.export import (
        TEXT_FORMATS,
        check_request,
        export_bytes,
        extension,
        format_for,
        write_export,
    )

    stdout = output == "-"
    folder = _into_folder(trips, None if stdout else output)
    if folder and stdout:
        raise InputError("several trips need a folder: give -o FOLDER/")
    path = Path(output)
    chosen = format_for(None if folder or stdout else path, fmt)
    if folder:
        _check_folder(path, (extension(chosen),))
    if stdout and chosen not in TEXT_FORMATS:
        name = {"gpkg": "GeoPackage", "parquet": "GeoParquet file", "fgb": "FlatGeobuf file"}
        raise InputError(f"a {name[chosen]} cannot go to stdout; give -o FILE{extension(chosen)}")
    check_request(layer, chosen)  # before any trip is loaded: it would fail for every one

    def target(loaded: Trip) -> Path:
        return path / f"{loaded.meta.id}{extension(chosen)}" if folder else path

    def write(loaded: Trip, path: Path) -> None:
        if str(path) == "-":
            data = export_bytes(loaded, layer, chosen, precision, lang=lang)
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
            return
        size = write_export(loaded, layer, chosen, path, precision, lang)
        say(f"wrote {path} ({size:,} bytes)")

    _each_trip(trips, target, write, tolerance_km)


tiles_option = click.option(
    "--tiles",
    default=None,
    metavar="NAME",
    help="A keyless xyzservices tile provider (e.g. OpenStreetMap.Mapnik) instead of the offline "
    "Natural Earth basemap; tiles need a network connection to show.",
)


def theme_option(
    f: Any,
    help_text: str = "For a map (.html): light, dark, or auto (the page follows the reader's "
    "setting).",
) -> Any:
    """--theme (alone for geo flows: its maps have no inset or context choice)."""
    from geo.palette import PAGE_THEMES

    return click.option(
        "--theme",
        type=click.Choice(PAGE_THEMES),
        default="light",
        show_default=True,
        help=help_text,
    )(f)


def look_options(f: Any) -> Any:
    """--theme, --inset and --context of the pages and images."""
    from geo.context import CONTEXT_CHOICES, INSET_CHOICES

    f = click.option(
        "--context",
        type=click.Choice(CONTEXT_CHOICES),
        default="capitals",
        show_default=True,
        help="Context names besides the seas and lakes: the capitals in view, or none.",
    )(f)
    f = click.option(
        "--inset",
        type=click.Choice(INSET_CHOICES),
        default="auto",
        show_default=True,
        help="Inset locator map: auto (a trip smaller than about a continent), on or off.",
    )(f)
    return theme_option(
        f,
        "Colours: light, dark, or auto (the page follows the reader's light or dark setting; "
        "images take light).",
    )


assets_option = click.option(
    "--assets",
    type=click.Choice(ASSET_MODES),
    default="inline",
    show_default=True,
    help="inline: one self-contained file, no request to any host; cdn: Leaflet from unpkg.",
)


def _lang_suffix(loaded: Trip, lang: str) -> str:
    return "" if lang == loaded.meta.lang else f".{lang}"


@main.command("map")
@_trips_argument
@click.option(
    "-o",
    "--output",
    type=click.Path(),
    default=None,
    help="HTML file to write [default: maps/<trip-id>.html, or maps/<trip-id>.ko.html]; a "
    "FOLDER/ (or several trips) gets one map per trip, named so.",
)
@lang_option
@tiles_option
@assets_option
@look_options
@console_options
@_reports_errors
def map_command(
    trips: tuple[Path, ...],
    output: str | None,
    lang: str | None,
    tiles: str | None,
    assets: str,
    theme: str,
    inset: str,
    context: str,
) -> None:
    """Write the article map: one light, self-contained HTML file per trip."""
    folder = _into_folder(trips, output)
    path = Path(output) if output is not None else None
    if folder:
        _check_folder(path, (".html", ".htm"))
    elif path is not None and path.is_dir():
        raise InputError(f"-o {path}: is a folder; give a file name, or {path}/ for a folder")

    def target(loaded: Trip) -> Path:
        chosen = lang or loaded.meta.lang
        name = f"{loaded.meta.id}{_lang_suffix(loaded, chosen)}.html"
        if path is None or folder:
            return (path or Path("maps")) / name
        return path

    def write(loaded: Trip, out: Path) -> None:
        import gzip

        from geo.formats.export import atomic_write
        from geo.render import render_map

        page = render_map(
            loaded, lang=lang or loaded.meta.lang, tiles=tiles, assets=assets,
            theme=theme, inset=inset, context=context,
        )  # fmt: skip
        data = page.encode("utf-8")
        atomic_write(out, data)
        gz = len(gzip.compress(data, 9))
        say(f"wrote {out} ({len(data):,} bytes, {gz:,} gzipped)")

    _each_trip(trips, target, write)


@main.command()
@_trip_argument
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8731,
    show_default=True,
    help="Port on 127.0.0.1; 0 takes any free port.",
)
@lang_option
@console_options
@_reports_errors
def preview(trip: Path | None, port: int, lang: str | None) -> None:
    """Serve the map at http://127.0.0.1:PORT/ and re-render it each time the trip is saved.

    The page reloads by itself; while the file is invalid it lists the problems `geo validate`
    finds, and the map comes back once they are fixed. Ctrl-C stops the server.
    """
    import errno

    from geo.preview import HOST, Preview, PreviewServer, Rendered

    if trip is not None and not trip.exists():
        raise InputError(f"{trip}: no such file or folder; give a .yaml file or a folder of CSVs")
    path = trip or _bundled()

    def report(r: Rendered) -> None:
        if r.ok:
            say(f"map rendered in {r.seconds:.2f} s")
        else:
            click.echo(r.report, err=True)  # problems: shown even under -q

    watched = Preview(path, lang, on_render=report)
    try:
        server = PreviewServer(watched, port)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise InputError(
                f"--port: {port} on {HOST} is in use; give another port, or --port 0 for any "
                "free port"
            ) from None
        raise InputError(f"--port: cannot listen on {HOST}:{port} ({exc.strerror})") from None
    try:
        watched.refresh()
        click.echo(f"previewing {path} at {server.url} (Ctrl-C to stop)")
        watched.start()
        server.serve_forever(poll_interval=0.25)
    except KeyboardInterrupt:
        pass
    finally:
        watched.stop()  # first: pending version requests get their answer
        server.server_close()
    say("stopped")


def _bundled() -> Path:
    import geo

    return geo.bundled_trip()


def _check_src(ctx: click.Context, param: click.Parameter, value: str) -> str:
    from geo.errors import GeoError
    from geo.render.embed import check_src

    try:
        return check_src(value)
    except GeoError as exc:
        raise click.BadParameter(str(exc).removeprefix("src: ")) from None


@main.command()
@_trips_argument
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Folder to write [default: maps/<trip-id>-story/, or maps/<trip-id>-story.ko/]; with "
    "several trips, the folder that gets one such folder per trip.",
)
@lang_option
@tiles_option
@assets_option
@click.option(
    "--no-fallback", is_flag=True, help="Skip fallback.png (the static map for no-script readers)."
)
@click.option(
    "--pace",
    type=click.FloatRange(0.2, 30),
    default=2.0,
    show_default=True,
    help="Seconds a leg takes to draw when a chapter moves along it, on average (each leg's "
    "share follows the trip's own travel times).",
)
@look_options
@console_options
@_reports_errors
def story(
    trips: tuple[Path, ...],
    output: Path | None,
    lang: str | None,
    tiles: str | None,
    assets: str,
    no_fallback: bool,
    pace: float,
    theme: str,
    inset: str,
    context: str,
) -> None:
    """Write a story page folder: index.html, alt.txt and fallback.png.

    The trip's chapters (its story: section, else one per stop) scroll beside a sticky map on
    a desktop and below it on a phone; the map flies to each chapter as it is read.
    """
    several = len(trips) > 1

    def target(loaded: Trip) -> Path:
        name = f"{loaded.meta.id}-story{_lang_suffix(loaded, lang or loaded.meta.lang)}"
        if output is None or several:
            return (output or Path("maps")) / name
        return output

    def write(loaded: Trip, path: Path) -> None:
        from geo.render.embed import write_embed
        from geo.render.story import story_files

        files = story_files(
            loaded,
            lang=lang or loaded.meta.lang,
            tiles=tiles,
            assets=assets,
            fallback=not no_fallback,
            theme=theme,
            inset=inset,
            context=context,
            pace=pace,
        )
        write_embed(path, files)
        total = sum(len(v) for v in files.values())
        say(f"wrote {path}/ ({', '.join(files)}; {total:,} bytes)")

    _each_trip(trips, target, write)


@main.command()
@_trips_argument
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Folder to write [default: maps/<trip-id>/, or maps/<trip-id>.ko/]; with several "
    "trips, the folder that gets one such folder per trip.",
)
@lang_option
@tiles_option
@assets_option
@click.option(
    "--src",
    default="index.html",
    show_default=True,
    callback=_check_src,
    help="URL where the folder's index.html will be hosted, used in embed.html's iframe.",
)
@click.option(
    "--no-fallback", is_flag=True, help="Skip fallback.png (the static map for no-script readers)."
)
@click.option(
    "--pace",
    type=click.FloatRange(0.2, 30),
    default=2.0,
    show_default=True,
    help="Seconds a leg takes to draw when a chapter moves along it, on average (each leg's "
    "share follows the trip's own travel times).",
)
@look_options
@console_options
@_reports_errors
def embed(
    trips: tuple[Path, ...],
    output: Path | None,
    lang: str | None,
    tiles: str | None,
    assets: str,
    src: str,
    no_fallback: bool,
    pace: float,
    theme: str,
    inset: str,
    context: str,
) -> None:
    """Write an embeddable map folder: index.html, embed.html, alt.txt and fallback.png.

    Paste embed.html into the article; it sizes the iframe to the height the map reports.
    """
    several = len(trips) > 1

    def target(loaded: Trip) -> Path:
        name = f"{loaded.meta.id}{_lang_suffix(loaded, lang or loaded.meta.lang)}"
        if output is None or several:
            return (output or Path("maps")) / name
        return output

    def write(loaded: Trip, path: Path) -> None:
        from geo.render.embed import embed_files, write_embed

        files = embed_files(
            loaded,
            lang=lang or loaded.meta.lang,
            tiles=tiles,
            assets=assets,
            src=src,
            fallback=not no_fallback,
            theme=theme,
            inset=inset,
            context=context,
            pace=pace,
        )
        write_embed(path, files)
        total = sum(len(v) for v in files.values())
        say(f"wrote {path}/ ({', '.join(files)}; {total:,} bytes)")

    _each_trip(trips, target, write)


@main.command()
@_trips_argument
@click.option(
    "-o",
    "--output",
    type=click.Path(),
    required=True,
    help="Image to write: .png, .svg or .pdf; a FOLDER/ (or several trips) gets one image per "
    "trip, named by trip id.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["png", "svg", "pdf"]),
    default=None,
    help="Image format of the files written into a folder [default: png].",
)
@click.option(
    "--size",
    default="social",
    show_default=True,
    help="social (1200x675 px), print (150x100 mm at 300 dpi) or WxH in pixels.",
)
@lang_option
@look_options
@console_options
@_reports_errors
def static(
    trips: tuple[Path, ...],
    output: str,
    fmt: str | None,
    size: str,
    lang: str | None,
    theme: str,
    inset: str,
    context: str,
) -> None:
    """Draw the map as a static image for print, social cards and no-script readers."""
    from geo.static import parse_size

    parse_size(size)  # a bad size is reported before the trip is loaded
    folder = _into_folder(trips, output)
    path = Path(output)
    if folder:
        _check_folder(path, (".png", ".svg", ".pdf"))
    elif fmt is not None and path.suffix.lower() != f".{fmt}":
        raise InputError(
            f"-o {path}: --format {fmt} does not match the extension; name the file "
            f"{path.with_suffix('.' + fmt)}, or drop --format"
        )
    elif path.is_dir():
        raise InputError(f"-o {path}: is a folder; give a file name, or {path}/ for a folder")

    def target(loaded: Trip) -> Path:
        if folder:
            chosen = lang or loaded.meta.lang
            return path / f"{loaded.meta.id}{_lang_suffix(loaded, chosen)}.{fmt or 'png'}"
        return path

    def write(loaded: Trip, out: Path) -> None:
        from geo.static import render_static

        render_static(loaded, out, size=size, lang=lang, theme=theme, inset=inset, context=context)
        say(f"wrote {out} ({out.stat().st_size:,} bytes)")

    _each_trip(trips, target, write)


@main.command()
@_trip_argument
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    required=True,
    help="The clip: .mp4 (H.264), .webm (VP9) or .gif.",
)
@click.option(
    "--size",
    default="square",
    show_default=True,
    help="square (1080x1080), vertical (1080x1920), landscape (1920x1080) or WxH in even pixels.",
)
@lang_option
@click.option(
    "--duration",
    type=float,
    default=None,
    help="The clip's length in seconds (title and end cards included); sets the pace.",
)
@click.option(
    "--pace",
    type=float,
    default=None,
    help="Seconds to draw each leg [default: 1.5; the journey lasts at most 60 s].",
)
@click.option("--fps", type=int, default=30, show_default=True, help="Frames per second (GIF: 15).")
@console_options
@_reports_errors
def video(
    trip: Path | None,
    output: Path,
    size: str,
    lang: str | None,
    duration: float | None,
    pace: float | None,
    fps: int,
) -> None:
    """Draw the journey as a clip for social media: MP4, WebM or GIF.

    A title card, the legs drawn along their paths with the date counting up, stops and deals
    appearing as they are reached, the finished map, and an end card with the sources. Needs
    the video extra: pip install "geo-itinerary[video]".
    """
    from geo.video import parse_video_size, render_video, video_format

    if duration is not None and pace is not None:
        raise InputError("give --duration or --pace, not both")
    if output.is_dir():
        example = output / "trip.mp4"
        raise InputError(f"-o {output}: is a folder; give a file name such as {example}")
    video_format(output)  # a bad name or size is reported before the trip is loaded
    parse_video_size(size)
    loaded = _load(trip)
    with progress(0, "frames", "frames") as bar, stage(f"write {output}"):
        render_video(
            loaded,
            output,
            size=size,
            lang=lang,
            duration=duration,
            pace=pace,
            fps=fps,
            on_frame=bar.update,
        )
    say(f"wrote {output} ({output.stat().st_size:,} bytes)")


@main.command()
@click.argument("which", type=click.Choice(["trip", "flows"]))
@console_options
@_reports_errors
def schema(which: str) -> None:
    """Print the JSON Schema of a trip file or of a flow table's row.

    Editors use it to complete fields and mark errors while typing: save it beside your trips
    (geo schema trip > trip.schema.json) and start a trip file with the line
    # yaml-language-server: $schema=trip.schema.json
    """
    from geo.fields import schema_text

    click.echo(schema_text(which), nl=False)


@main.command()
@click.argument("table", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    required=True,
    help="GeoParquet (.parquet: one file with the local engine, a dataset folder with dask), "
    ".geojson, .gpkg or .csv (small tables), or .html: the trade map of every flow (with "
    "--top N, the N largest routed).",
)
@click.option(
    "--engine",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    help="local: this process, partition by partition; dask: the workers of a Dask cluster.",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    default=None,
    help="With --engine dask, a running scheduler (tcp://host:8786) [default: start a "
    "LocalCluster on this machine].",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Workers of the LocalCluster [default: 2].",
)
@click.option(
    "--partition-rows",
    type=click.IntRange(min=1),
    default=50_000,
    show_default=True,
    help="Rows per partition: the unit of work and of memory.",
)
@click.option(
    "--tolerance-km",
    type=click.FloatRange(min=0.001),
    default=1.0,
    show_default=True,
    help="Largest gap between a drawn path and the true geodesic.",
)
@click.option(
    "--top",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help="Draw the N largest flows (summed per origin, destination, mode and path) on the "
    "article map; -o must end in .html.",
)
@click.option(
    "--by",
    metavar="COLUMNS",
    default=None,
    help="Sum value_amount (per currency) by these columns, comma separated, and by path "
    "(origin, destination, mode, via) before routing: one output row per sum, with `flows`, "
    "the rows summed (refYear,cmdCode).",
)
@click.option(
    "--columns",
    "columns_map",
    metavar="FLOW=TABLE,…",
    default=None,
    help="Which of the table's columns give the flow columns: "
    "origin_country=partnerISO,value_amount=primaryValue,value_currency='USD' (a quoted "
    "value is the same for every row). The table's columns are kept beside them.",
)
@click.option(
    "--preset",
    type=click.Choice(["comtrade"]),
    default=None,
    help="A known table layout: comtrade (a UN Comtrade download: direction from flowCode, "
    "primaryValue in USD, motCode to a mode; docs/flows.md).",
)
@click.option(
    "--skip-aggregates",
    is_flag=True,
    help="Skip the rows naming an aggregate of trade statistics (W00, World, Areas, nes) "
    "and count them, instead of reporting each as a problem.",
)
@click.option(
    "--ports",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    default=None,
    help="A CSV of main ports (country,port,lat,lon) where sea flows given by a country "
    "alone start and end, in place of the bundled ones.",
)
@click.option(
    "--currency",
    default=None,
    metavar="CODE",
    help="For a map (.html), the currency whose flows are drawn (needed when a table has several).",
)
@theme_option
@lang_option
@console_options
@_reports_errors
def flows(
    table: Path,
    output: Path,
    engine: str,
    scheduler: str | None,
    workers: int | None,
    partition_rows: int,
    tolerance_km: float,
    top: int | None,
    by: str | None,
    columns_map: str | None,
    preset: str | None,
    skip_aggregates: bool,
    ports: Path | None,
    currency: str | None,
    theme: str,
    lang: str | None,
) -> None:
    """Route a flow table (CSV or Parquet, one origin-destination flow a row; docs/flows.md).

    Every row is checked and every problem reported at once (file and line); each flow's path is
    a sea lane or a WGS84 geodesic by mode, as for trip routes. The output has the table's
    columns plus `path` and `distance_km`. A table in another layout is read with --columns or
    --preset comtrade (a UN Comtrade download); -o map.html draws the trade map.
    """
    from geo.layouts import layout

    lay = layout(
        columns_map, preset, skip_aggregates, str(ports.resolve()) if ports is not None else None
    )
    by_columns = tuple(c.strip() for c in by.split(",") if c.strip()) if by else ()
    if top is not None or output.suffix.lower() in (".html", ".htm"):
        _flows_map(table, output, top, currency, partition_rows, lang, lay, by_columns, theme)
        return
    from geo.engines import run_flows

    bar = Progress(0, "flows", "rows")

    def tick(done: int, total: int) -> None:
        bar.update(done, total)

    try:
        summary = run_flows(
            table,
            output,
            engine=engine,
            scheduler=scheduler,
            workers=workers,
            partition_rows=partition_rows,
            tolerance_km=tolerance_km,
            progress=tick,
            on_cluster=lambda link: say(f"dask dashboard: {link}"),
            layout=lay,
            by=by_columns,
        )
    finally:
        bar.close()
    peak = max(summary.peak_mb.values(), default=0.0)
    if summary.mixed and by_columns:
        say(f"note: {summary.mixed}")
    skipped = (
        f"{summary.skipped:,} row{'s' if summary.skipped != 1 else ''} naming an aggregate skipped"
    )
    if summary.flows is not None:
        what = f"{summary.rows - summary.skipped:,} rows summed into {summary.flows:,} flows by "
        what += ", ".join(by_columns)
        what += f", {skipped}" if summary.skipped else ""
    else:
        what = f"{summary.rows - summary.skipped:,} flows"
        what += f" ({skipped})" if summary.skipped else ""
    say(
        f"wrote {output}{'/' if output.is_dir() else ''} ({what}, "
        f"{summary.partitions} partition{'s' if summary.partitions != 1 else ''}, "
        f"{summary.bytes:,} bytes, {summary.seconds:.1f} s; {len(summary.peak_mb)} "
        f"process{'es' if len(summary.peak_mb) != 1 else ''}, peak {peak:,.0f} MB each at most)"
    )


def _flows_map(
    table: Path,
    output: Path,
    top: int | None,
    currency: str | None,
    partition_rows: int,
    lang: str | None,
    lay: Any = None,
    by: tuple[str, ...] = (),
    theme: str = "light",
) -> None:
    from geo.errors import GeoError
    from geo.flowmap import top_flows, top_trip
    from geo.formats.export import atomic_write
    from geo.render import render_map

    if output.suffix.lower() not in (".html", ".htm"):
        raise GeoError(f"{output}: --top draws a map; give -o a .html file")
    from geo import vocab

    code = vocab.currency_code(currency) if currency else None
    if currency and code is None:
        raise GeoError(f"--currency {currency!r} is not an ISO 4217 code; use one such as USD")
    if top is None:
        from geo.i18n import locale
        from geo.trademap import render_trade_map, trade_data

        loc = locale(lang or "en")
        bar = Progress(0, "flows", "rows")
        try:
            found = trade_data(table, loc, lay, by, code, partition_rows, bar.update)
        finally:
            bar.close()
        page = render_trade_map(found, f"{loc.t('trade_title')}: {table.stem}", loc, theme)
        raw = page.encode("utf-8")
        atomic_write(output, raw)
        plural = "s" if found.skipped != 1 else ""
        skipped = f", {found.skipped:,} row{plural} naming an aggregate skipped"
        skipped = skipped if found.skipped else ""
        if found.mixed:
            say(f"note: {found.mixed}")
        if found.dropped:
            from geo.trademap import MAX_MAP_FLOWS

            say(
                f"note: no filter by {', '.join(found.dropped)}: with it the page would hold "
                f"{found.would_be:,} flows (more than {MAX_MAP_FLOWS:,}); give --by with the "
                "columns to filter by to keep it"
            )
        say(
            f"wrote {output} ({len(raw):,} bytes; {found.rows - found.skipped:,} rows summed into "
            f"{found.flows:,} flows between {found.places:,} places, in {found.currency}{skipped})"
        )
        return
    corridors = top_flows(table, top, code, partition_rows, lay)
    title = f"{table.stem}: the {len(corridors)} largest flows by value ({corridors[0].currency})"
    page = render_map(top_trip(corridors, title, table.stem), lang=lang or "en", theme=theme)
    data = page.encode("utf-8")
    atomic_write(output, data)
    say(f"wrote {output} ({len(data):,} bytes, {len(corridors)} flows)")


if __name__ == "__main__":  # pragma: no cover
    main()
