"""The ``geo`` command: thin click commands over the library.

Heavy libraries (geopandas, folium) are imported inside command bodies so ``geo --help`` is
instant. Every :class:`~geo.errors.GeoError` becomes a message on stderr and exit code 2.
"""

from __future__ import annotations

import functools
import gc
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

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
        click.echo(f"error: {self.format_message()}", err=True)


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

    return geo.load_trip(path or geo.bundled_trip(), tolerance_km)


lang_option = click.option(
    "--lang",
    type=click.Choice(LANGS),
    default=None,
    help="Language of labels and dates [default: the trip's own].",
)


EXAMPLES = """\b
Examples:
  geo map                                  maps/k-silk-road-2024.html
  geo map --lang ko                        maps/k-silk-road-2024.ko.html
  geo info my-trip.yaml --nm               stops, legs and deals as text
  geo preview my-trip.yaml                 live map at http://127.0.0.1:8731/
  geo export --layer legs -o legs.geojson  RFC 7946 GeoJSON for QGIS, Mapbox, kepler.gl
  geo static -o card.png --size social     a 1200x675 image
  geo embed --src https://example.org/maps/k-silk-road-2024/index.html
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
@_reports_errors
def validate(trip: Path | None) -> None:
    """Check a trip file and list every problem in it (exit code 2 if any)."""
    loaded = _load(trip)
    r = loaded.records
    click.echo(
        f"{trip or 'bundled trip'}: valid: {len(r.stops)} stops, {len(r.deals)} deals, "
        f"{len(r.resources)} resources, {len(r.routes)} routes"
    )


@main.command()
@_trip_argument
@lang_option
@click.option("--nm", is_flag=True, help="Show distances in nautical miles too.")
@_reports_errors
def info(trip: Path | None, lang: str | None, nm: bool) -> None:
    """Print the stops with local dates, the legs with distances by path (sea lane or great
    circle), and the deals."""
    from geo.describe import describe

    loaded = _load(trip)
    click.echo(describe(loaded, lang or loaded.meta.lang, nautical=nm))


@main.command()
@_trip_argument
@click.option(
    "--layer",
    type=click.Choice(["stops", "legs", "deals", "resources", "routes", "all"]),
    default="all",
    show_default=True,
    help="Which layer; 'all' is one FeatureCollection with a 'layer' property (GeoJSON) or one "
    "table per layer (GeoPackage).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["geojson", "gpkg", "csv"]),
    default=None,
    help="Output format [default: from the -o suffix, else geojson].",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, allow_dash=True),
    default="-",
    show_default=True,
    help="File to write; '-' writes to stdout.",
)
@click.option(
    "--precision",
    type=click.IntRange(0, 15),
    default=6,
    show_default=True,
    help="Decimal places of coordinates (6 is about 0.1 m).",
)
@click.option(
    "--tolerance-km",
    type=click.FloatRange(min=0.001),
    default=1.0,
    show_default=True,
    help="Largest gap between a drawn leg and the true geodesic.",
)
@_reports_errors
def export(
    trip: Path | None,
    layer: str,
    fmt: str | None,
    output: Path,
    precision: int,
    tolerance_km: float,
) -> None:
    """Export layers as RFC 7946 GeoJSON, GeoPackage or CSV for QGIS, Datawrapper, kepler.gl."""
    from geo.formats.export import export_bytes, write_export

    if fmt is None:
        suffix = output.suffix.lower().lstrip(".") if str(output) != "-" else ""
        fmt = {"gpkg": "gpkg", "csv": "csv"}.get(suffix, "geojson")
    loaded = _load(trip, tolerance_km)
    if str(output) == "-":
        if fmt == "gpkg":
            raise InputError("a GeoPackage cannot go to stdout; give -o FILE.gpkg")
        sys.stdout.buffer.write(export_bytes(loaded, layer, fmt, precision))
        sys.stdout.buffer.flush()
        return
    size = write_export(loaded, layer, fmt, output, precision)
    click.echo(f"wrote {output} ({size:,} bytes)", err=True)


tiles_option = click.option(
    "--tiles",
    default=None,
    metavar="NAME",
    help="A keyless xyzservices tile provider (e.g. OpenStreetMap.Mapnik) instead of the offline "
    "Natural Earth basemap; tiles need a network connection to show.",
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
@_trip_argument
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="HTML file to write [default: maps/<trip-id>.html, or maps/<trip-id>.ko.html].",
)
@lang_option
@tiles_option
@assets_option
@_reports_errors
def map_command(
    trip: Path | None, output: Path | None, lang: str | None, tiles: str | None, assets: str
) -> None:
    """Write the article map: one light, self-contained HTML file."""
    from geo.formats.export import atomic_write
    from geo.render import render_map

    loaded = _load(trip)
    lang = lang or loaded.meta.lang
    page = render_map(loaded, lang=lang, tiles=tiles, assets=assets)
    if output is None:
        output = Path("maps") / f"{loaded.meta.id}{_lang_suffix(loaded, lang)}.html"
    data = page.encode("utf-8")
    atomic_write(output, data)
    import gzip

    gz = len(gzip.compress(data, 9))
    click.echo(f"wrote {output} ({len(data):,} bytes, {gz:,} gzipped)", err=True)


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
            click.echo(f"map rendered in {r.seconds:.2f} s", err=True)
        else:
            click.echo(r.report, err=True)

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
        with server:
            watched.refresh()
            click.echo(f"previewing {path} at {server.url} (Ctrl-C to stop)")
            watched.start()
            server.serve_forever(poll_interval=0.25)
    except KeyboardInterrupt:
        pass
    finally:
        watched.stop()
    click.echo("stopped", err=True)


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
@_trip_argument
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Folder to write [default: maps/<trip-id>/, or maps/<trip-id>.ko/].",
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
@_reports_errors
def embed(
    trip: Path | None,
    output: Path | None,
    lang: str | None,
    tiles: str | None,
    assets: str,
    src: str,
    no_fallback: bool,
) -> None:
    """Write an embeddable map folder: index.html, embed.html, alt.txt and fallback.png.

    Paste embed.html into the article; it sizes the iframe to the height the map reports.
    """
    from geo.render.embed import embed_files, write_embed

    loaded = _load(trip)
    lang = lang or loaded.meta.lang
    files = embed_files(
        loaded, lang=lang, tiles=tiles, assets=assets, src=src, fallback=not no_fallback
    )
    if output is None:
        output = Path("maps") / f"{loaded.meta.id}{_lang_suffix(loaded, lang)}"
    write_embed(output, files)
    total = sum(len(v) for v in files.values())
    click.echo(f"wrote {output}/ ({', '.join(files)}; {total:,} bytes)", err=True)


@main.command()
@_trip_argument
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="Image to write: .png, .svg or .pdf.",
)
@click.option(
    "--size",
    default="social",
    show_default=True,
    help="social (1200x675 px), print (150x100 mm at 300 dpi) or WxH in pixels.",
)
@lang_option
@_reports_errors
def static(trip: Path | None, output: Path, size: str, lang: str | None) -> None:
    """Draw the map as a static image for print, social cards and no-script readers."""
    from geo.static import parse_size, render_static

    parse_size(size)  # a bad size is reported before the trip is loaded
    loaded = _load(trip)
    path = render_static(loaded, output, size=size, lang=lang)
    click.echo(f"wrote {path} ({path.stat().st_size:,} bytes)", err=True)


if __name__ == "__main__":  # pragma: no cover
    main()
