"""A trip file is data, never code; bad input and failing disks end in one clean message.

Each test here guards a hole found by trying `geo` as a new user with hostile or unlucky input:
template syntax in trip text, alias bombs, decimal commas, ambiguous place names, outputs that
cannot be written, embed URLs that run script, spreadsheet formulas, malformed CSV folders.
"""

from __future__ import annotations

import re
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import geo
from geo.errors import GazetteerError, TripFormatError
from geo.gazetteer import lookup
from geo.render import render_map
from tests.conftest import DATA, write


def geo_cli(*args: str, cwd: Path | None = None, fsize: int | None = None):
    """Run the installed command as a user would, optionally with a file size limit (a full
    disk, as far as the writer can tell)."""

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))

    return subprocess.run(
        [sys.executable, "-m", "geo", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        preexec_fn=limit if fsize is not None else None,
    )


def clean_failure(proc) -> str:
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stderr.count("\n") <= 4, proc.stderr
    return str(proc.stderr)


def trip_yaml(label: str = "Seongnam", title: str = "T", extra: str = "") -> str:
    return (
        f"trip: {{id: t, title: {title!r}}}\n"
        "stops:\n"
        f"  - {{lat: 37.45, lon: 127.14, label: {label!r}, depart: 2024-06-10}}\n"
        "  - {lat: 37.95, lon: 58.38, label: Ashgabat, arrive: 2024-06-10}\n" + extra
    )


# -- trip text never reaches a template engine ----------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "{{7*7}}",
        "Issue {#42} tour",
        "Keep {# this #} text",
        "{% raw %}",
        "{% endraw %}",
        "A {{ cycler.__init__.__globals__.os.getuid() }}",
        "{{ cycler.__init__.__globals__.os.mkdir(range.__name__) }}",
    ],
)
def test_template_syntax_is_shown_as_written(tmp_path, monkeypatch, text):
    monkeypatch.chdir(tmp_path)  # where the mkdir payload would create ./range
    trip = geo.load_trip(write(tmp_path, trip_yaml(label=text, title=text)))
    page = render_map(trip)
    h1 = re.search(r"<h1>(.*?)</h1>", page, re.S).group(1)
    assert h1 == text  # none of these has a character HTML escapes
    assert f"<title>{text}</title>" in page
    assert f"<li>{text}:" in page  # the text version's stop list
    assert not (tmp_path / "range").exists()
    assert "uid=" not in page and "<h1>49</h1>" not in page


def test_template_title_maps_through_the_cli(tmp_path):
    path = write(tmp_path, trip_yaml(title="Issue {#42} tour"))
    out = tmp_path / "m.html"
    proc = geo_cli("map", str(path), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "<h1>Issue {#42} tour</h1>" in out.read_text(encoding="utf-8")


def test_no_trip_string_reaches_jinja(monkeypatch, tmp_path):
    """Every template jinja2 compiles while a map is made is our own: none holds trip text."""
    import jinja2

    compiled: list[str] = []
    real = jinja2.Environment.from_string

    def spy(self, source, *args, **kwargs):
        compiled.append(str(source))
        return real(self, source, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "from_string", spy)
    trip = geo.load_trip(DATA / "hostile.yaml")
    render_map(trip, lang="ko")
    render_map(trip, lang="en", embed=True)
    assert compiled, "folium renders its map script through jinja2"
    for source in compiled:
        for marker in ("onerror", "alert(", "{{7*7}}", "cycler", "<u>"):
            assert marker not in source


# Leaflet parses a string given to these as HTML.
HTML_SINKS = re.compile(
    r"\.(bindTooltip|bindPopup|setTooltipContent|setPopupContent|setContent)\(\s*([^,)\s]+)"
)


def test_geo_map_js_passes_only_nodes_to_leaflet_html_sinks():
    from geo.render.layer import map_script

    code = map_script()
    calls = HTML_SINKS.findall(code)
    assert len(calls) >= 6  # the scan sees the calls it is meant to police
    for method, arg in calls:
        assert arg.startswith(("textTip(", "popupContent(")), f"{method}({arg} …)"
    for name in re.findall(r"\bhtml:\s*([^,}\s]+)", code):
        # divIcon's html: only variables built just above with el() or a builder made of el().
        assert re.search(rf"var {re.escape(name)} = (el|textTip|label|capital)\(", code), name
    for builder in ("label", "capital"):
        body = re.search(rf"function {builder}\([^)]*\) \{{\n    var (\w+) = el\(", code)
        assert body, f"{builder}() must start from el()"
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in code


# -- limits on input ------------------------------------------------------------------------

BOMB = (
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
    "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
    "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
    "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
    "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
    "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
    "stops: [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
)


def test_alias_bomb_is_refused_fast_with_a_short_report(tmp_path):
    path = write(tmp_path, BOMB)
    assert len(BOMB.encode()) <= 400
    start = time.perf_counter()
    proc = geo_cli("validate", str(path))
    elapsed = time.perf_counter() - start
    err = clean_failure(proc)
    assert "aliases" in err and str(path) in err
    assert len(proc.stderr.encode()) < 2048
    assert elapsed < 10  # the old report took minutes and 1.7 GB; the limit is a loose guard


def test_recursive_alias_is_refused(tmp_path):
    err = clean_failure(geo_cli("validate", str(write(tmp_path, "stops: &s [*s]\n"))))
    assert "aliases" in err


def test_modest_aliases_still_load(tmp_path):
    text = trip_yaml(
        extra="deals:\n  - {title: A, parties: &p [X Corp, Y Corp]}\n  - {title: B, parties: *p}\n"
    )
    trip = geo.load_trip(write(tmp_path, text))
    assert trip.deals["parties_en"].tolist() == [["X Corp", "Y Corp"]] * 2


def test_huge_values_are_previewed_in_reports(tmp_path):
    big = "x" * 100_000
    text = (
        f"trip: {{id: t, title: T, lang: {big}}}\n"
        f"stops:\n  - {{lat: {big}, lon: 0, {big}: 1}}\n  - {{lat: 0, lon: 0, tz: {big}}}\n"
    )
    proc = geo_cli("validate", str(write(tmp_path, text)))
    clean_failure_lines = proc.stderr.splitlines()
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert len(proc.stderr) < 2000, len(proc.stderr)
    assert all(len(line) < 300 for line in clean_failure_lines)


@pytest.mark.parametrize("value", ['"4,5"', '"41,3"', '"1,000"'])
def test_decimal_comma_in_coordinates_is_an_error(tmp_path, value):
    text = (
        "trip: {id: t, title: T}\nstops:\n"
        f"  - {{lat: {value}, lon: 127}}\n  - {{lat: 37, lon: 58}}\n"
    )
    with pytest.raises(TripFormatError, match="decimal comma") as info:
        geo.load_trip(write(tmp_path, text))
    assert "stops[0].lat" in str(info.value)


def test_amounts_keep_thousands_separators_and_refuse_decimal_commas(tmp_path):
    good = trip_yaml(extra='deals:\n  - {title: A, value: {amount: "8,300,000", currency: KRW}}\n')
    trip = geo.load_trip(write(tmp_path, good))
    assert trip.deals["value"][0] == [{"amount": 8_300_000.0, "currency": "KRW"}]
    bad = trip_yaml(extra='deals:\n  - {title: A, value: {amount: "6,5", currency: USD}}\n')
    with pytest.raises(TripFormatError, match=r"decimal comma.*'6\.5'"):
        geo.load_trip(write(tmp_path, bad, "bad.yaml"))


def test_decimal_comma_in_a_csv_folder_names_file_and_line(tmp_path):
    folder = tmp_path / "trip"
    shutil.copytree(DATA / "mini-csv", folder)
    stops = (folder / "stops.csv").read_text(encoding="utf-8")
    (folder / "stops.csv").write_text(stops.replace("41.3,69.25", '"41,3",69.25'), "utf-8")
    err = clean_failure(geo_cli("validate", str(folder)))
    assert "stops.csv:4 lat" in err and "decimal comma" in err


def test_long_trip_id_is_refused(tmp_path):
    text = trip_yaml().replace("id: t,", f"id: {'a' * 65},")
    with pytest.raises(TripFormatError, match="65 characters long"):
        geo.load_trip(write(tmp_path, text))


# -- place names ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "country", "listed"),
    [
        ("Springfield", None, ("Springfield, Missouri (US", "Springfield, Massachusetts (US")),
        ("Springfield", "US", ("Springfield, Illinois (US",)),
        ("Portland", None, ("Portland, Oregon (US", "Portland, Maine (US")),
        ("Columbus", "US", ("Columbus, Ohio (US", "Columbus, Georgia (US")),
    ],
)
def test_ambiguity_within_a_country_lists_regions(name, country, listed):
    with pytest.raises(GazetteerError, match="ambiguous") as info:
        lookup(name, country)
    text = str(info.value)
    for item in listed:
        assert item in text
    assert "admin1" in text


@pytest.mark.parametrize(
    ("name", "country", "admin1", "lat"),
    [
        ("Springfield", "US", "Missouri", 37.2),
        ("Springfield", None, "MO", 37.2),
        ("springfield", "US", "massachusetts", 42.1),
        ("Portland", "US", "Maine", 43.66),
        ("Portland", None, "Oregon", 45.5),
    ],
)
def test_admin1_chooses(name, country, admin1, lat):
    assert abs(lookup(name, country, admin1).lat - lat) < 0.3


def test_admin1_that_matches_nothing_lists_the_places():
    with pytest.raises(GazetteerError, match="not in admin1 'Texas'") as info:
        lookup("Springfield", "US", "Texas")
    assert "Springfield, Oregon (US" in str(info.value)


def test_a_much_larger_city_elsewhere_is_not_silently_passed_over():
    with pytest.raises(GazetteerError, match="ambiguous") as info:
        lookup("St. Petersburg")
    text = str(info.value)
    assert "Saint Petersburg" in text and "(RU" in text and "Florida (US" in text
    assert "country" in text
    assert lookup("St. Petersburg", "RU").population > 5_000_000
    assert lookup("St. Petersburg", "US").admin1 == "FL"


@pytest.mark.parametrize("name", ["Samarkand", "Ashgabat", "Astana", "Tashkent", "Paris"])
def test_clear_names_stay_clear(name):
    lookup(name)


def test_admin1_in_yaml_and_csv(tmp_path):
    text = (
        "trip: {id: t, title: T}\nstops:\n"
        "  - {place: Springfield, country: US, admin1: Illinois}\n"
        "  - {place: Portland, admin1: ME}\n"
        "routes:\n"
        "  - {name: R, waypoints: [{place: Columbus, admin1: Georgia}, Seoul]}\n"
    )
    trip = geo.load_trip(write(tmp_path, text))
    assert trip.stops.geometry.y.round(0).tolist() == [40.0, 44.0]
    folder = tmp_path / "csv"
    folder.mkdir()
    (folder / "trip.csv").write_text("id,title\nt,T\n")
    (folder / "stops.csv").write_text(
        "place,country,admin1\nSpringfield,US,Missouri\nPortland,US,Oregon\n"
    )
    (folder / "routes.csv").write_text("name,waypoints\nR,Columbus|US|Ohio;Seoul\n")
    trip = geo.load_trip(folder)
    assert trip.stops.geometry.y.round(0).tolist() == [37.0, 46.0]
    assert round(trip.route_paths.coords(0)[0, 1]) == 40


def test_ambiguous_stop_is_reported_with_its_record(tmp_path):
    text = "trip: {id: t, title: T}\nstops:\n  - {place: Springfield}\n  - {place: Seoul}\n"
    err = clean_failure(geo_cli("validate", str(write(tmp_path, text))))
    assert "stops[0].place: 'Springfield' is ambiguous" in err


# -- outputs: one line, exit 2, nothing left behind ------------------------------------------


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


@pytest.mark.parametrize("command", ["map", "static", "export", "embed"])
def test_output_under_a_file_fails_cleanly(tmp_path, command):
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    name = {"static": "out.png", "export": "out.geojson"}.get(command, "out.html")
    target = blocker / name
    args = [command, "-o", str(target)] + (["--no-fallback"] if command == "embed" else [])
    err = clean_failure(geo_cli(*args))
    assert "is a file, not a folder" in err
    assert blocker.read_text() == "x" and _leftovers(tmp_path) == []


@pytest.mark.parametrize("command", ["map", "static", "export"])
def test_name_too_long_fails_cleanly(tmp_path, command):
    target = tmp_path / ("n" * 256 + (".png" if command == "static" else ".geojson"))
    err = clean_failure(geo_cli(command, "-o", str(target)))
    assert "too long" in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", ["map", "static", "export", "embed"])
def test_full_disk_fails_cleanly(tmp_path, command):
    name = {"static": "out.png", "export": "out.geojson"}.get(command, "out")
    target = tmp_path / name
    args = [command, "-o", str(target)] + (["--no-fallback"] if command == "embed" else [])
    err = clean_failure(geo_cli(*args, fsize=20_000))
    assert "no space" in err
    assert list(tmp_path.iterdir()) == []


def test_embed_failing_halfway_keeps_the_old_folder(tmp_path):
    folder = tmp_path / "kit"
    assert geo_cli("embed", "-o", str(folder), "--no-fallback").returncode == 0
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    # The new index.html (~300 KB) cannot be written; embed.html (~1 KB) could have been.
    mini = DATA / "mini.yaml"
    err = clean_failure(
        geo_cli("embed", str(mini), "-o", str(folder), "--no-fallback", fsize=50_000)
    )
    assert "no space" in err
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert _leftovers(tmp_path) == []


def test_embed_replaces_a_folder_whole(tmp_path):
    folder = tmp_path / "kit"
    folder.mkdir()
    (folder / "stale.txt").write_text("old")
    assert (
        geo_cli("embed", str(DATA / "mini.yaml"), "-o", str(folder), "--no-fallback").returncode
        == 0
    )
    assert sorted(p.name for p in folder.iterdir()) == ["alt.txt", "embed.html", "index.html"]
    assert _leftovers(tmp_path) == []


@pytest.mark.parametrize(
    "src",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        " https://example.org/",
        "https:/example.org",
        "",
    ],
)
def test_embed_src_must_be_http_or_relative(tmp_path, src):
    proc = geo_cli("embed", "--src", src, "-o", str(tmp_path / "kit"), "--no-fallback")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "--src" in proc.stderr
    assert not (tmp_path / "kit").exists()


@pytest.mark.parametrize(
    "src", ["https://example.org/maps/x/index.html", "http://localhost:8000/i.html", "maps/x/"]
)
def test_embed_src_accepts_http_and_relative(tmp_path, src):
    proc = geo_cli("embed", "--src", src, "-o", str(tmp_path / "kit"), "--no-fallback")
    assert proc.returncode == 0, proc.stderr
    assert f'src="{src}"' in (tmp_path / "kit" / "embed.html").read_text()


def test_csv_export_neutralises_formulas(tmp_path):
    out = tmp_path / "deals.csv"
    proc = geo_cli("export", str(DATA / "hostile.yaml"), "--layer", "deals", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    import csv

    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert rows[1]["title_en"] == '\'=HYPERLINK("http://evil.example","click") @SUM(1) +1 -1'
    assert rows[1]["source"] == "'-2+3 {% endraw %}"
    assert rows[1]["parties_en"].startswith('["=cmd')  # inside JSON text: not a formula
    assert rows[0]["lon"] == "61.6" and rows[1]["deal"] == "2"  # numbers stay numbers
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "@")), value
            assert not (value.startswith("-") and not re.fullmatch(r"-[\d.]+", value)), value


# -- CSV folders: structure problems named by file and line ----------------------------------


def _csv_trip(tmp_path: Path, stops: str, trip: str = "id,title\nt,T\n") -> Path:
    folder = tmp_path / "trip"
    folder.mkdir()
    (folder / "trip.csv").write_text(trip, encoding="utf-8")
    if stops is not None:
        (folder / "stops.csv").write_text(stops, encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("stops", "trip", "where", "message"),
    [
        ("lat,lon\n37.4,127.1,extra\n37.9,58.4\n", None, "stops.csv:2", "has 3 fields"),
        ("lat,lon,lat\n37.4,127.1,1\n37.9,58.4,1\n", None, "stops.csv:1 lat", "duplicate"),
        ("lat;lon\n37.4;127.1\n37.9;58.4\n", None, "stops.csv:1", "semicolons"),
        ("lat,lon\n37.4,127.1\n37.9,58.4\n", "id,title\nt,T\nu,U\n", "trip.csv:3", "extra row"),
    ],
)
def test_csv_structure_problems(tmp_path, stops, trip, where, message):
    folder = _csv_trip(tmp_path, stops, trip or "id,title\nt,T\n")
    err = clean_failure(geo_cli("validate", str(folder)))
    assert where in err and message in err


def test_stops_csv_that_is_a_folder(tmp_path):
    folder = _csv_trip(tmp_path, None)
    (folder / "stops.csv").mkdir()
    err = clean_failure(geo_cli("validate", str(folder)))
    assert "stops.csv" in err and "folder" in err


def test_csv_blank_trailing_lines_are_fine(tmp_path):
    folder = _csv_trip(tmp_path, "lat,lon\n37.4,127.1\n37.9,58.4\n,\n\n")
    assert geo.load_trip(folder).stops.shape[0] == 2


def test_unreadable_trip_file_is_clean(tmp_path):
    folder = tmp_path / "x.yaml"
    folder.mkdir()
    proc = geo_cli("validate", str(tmp_path / "missing.yaml"))
    assert "no such file" in clean_failure(proc)


def test_control_characters_are_refused(tmp_path):
    text = (
        'trip: {id: t, title: "A\\e]0;pwned\\aB"}\nstops:\n'
        '  - {lat: 1, lon: 2, label: {en: "x\\e[31mred"}}\n  - {lat: 1, lon: 3, note: "\\x00"}\n'
    )
    err = clean_failure(geo_cli("validate", str(write(tmp_path, text))))
    assert "\x1b" not in err
    for where in ("trip.title", "stops[0].label.en", "stops[1].note"):
        assert f"{where}: contains the control character" in err
