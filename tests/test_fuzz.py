"""Fuzzing: generated trip files (YAML and CSV folders) and flow tables through the CLI.

The invariant, for every input: exit 0, or exit 2 with a short report that names the file
(and so the record); never a traceback, a hang, or a file left half-written in the output
folder. Inputs start from a valid trip and break one thing or several: wrong types in any
field, extreme and non-finite numbers, dates at the calendar's ends or that do not exist,
odd time zones, duplicate keys, YAML tags, anchors and merge keys, control and bidirectional
characters, lone surrogates, very long values.

``GEO_FUZZ_EXAMPLES=N`` sets the examples per test (default 60 a test, about 300 in all, a
minute or two here); a failure hypothesis finds is printed with the input that caused it, and
becomes a regression case in ``REGRESSIONS`` below once fixed.
"""

from __future__ import annotations

import contextlib
import copy
import csv
import io
import json
import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.cli import main

EXAMPLES = int(os.environ.get("GEO_FUZZ_EXAMPLES", "60"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    derandomize=os.environ.get("GEO_FUZZ_RANDOM") is None,
    database=None,
)
# One example may take this long before it counts as a hang.
HANG_S = 60

BASE: dict[str, Any] = {
    "trip": {
        "id": "fuzz",
        "title": {"en": "Fuzz tour", "ko": "퍼즈"},
        "sources": [{"name": "Fixture", "url": "https://example.org/", "date": "2024-06-16"}],
    },
    "stops": [
        {"place": "Seongnam", "country": "KR", "depart": "2024-06-10T08:30"},
        {"place": "Ashgabat", "country": "TM", "arrive": "2024-06-10", "depart": "2024-06-11"},
        {"lat": 41.3, "lon": 69.25, "arrive": "2024-06-13T10:00", "label": "Tashkent"},
        {"place": "Busan", "country": "KR", "arrive": "2024-06-20", "mode": "sea"},
    ],
    "deals": [
        {
            "title": "Train contract",
            "parties": ["Hyundai Rotem"],
            "country": "UZ",
            "place": "Tashkent",
            "value": [{"amount": 200000000, "currency": "USD"}],
            "status": "signed",
            "date": "2024-06-14",
            "source": "a quote",
        },
        {"title": "Gas", "country": "TM", "site": {"name": "G", "lat": 37.3, "lon": 61.6}},
    ],
    "resources": [{"country": "KZ", "commodities": ["lithium"], "uses": "batteries"}],
    "routes": [{"name": "Trains", "waypoints": [{"country": "KR"}, "Tashkent"]}],
}

# Values that break a field: wrong types, extremes, non-finite numbers, impossible and
# far-off dates, odd zones, control and bidirectional characters, surrogates, long text.
NASTY_SCALARS: list[Any] = [
    None,
    True,
    0,
    -1,
    10**400,
    1e308,
    -1e308,
    float("nan"),
    float("inf"),
    float("-inf"),
    "",
    " ",
    "0001-01-01",
    "9999-12-31",
    "9999-12-31T23:59",
    "2024-02-30",
    "2024-13-01",
    "2024-06-10T25:00",
    "2024-06-10T10:00+25:00",
    "2024-06-10T10:00-14:01",
    "+14:00",
    "Mars/Olympus_Mons",
    "Etc/GMT+99",
    "UTC",
    "../../etc/passwd",
    "1,5",
    "1,200,000",
    "١٢٣",
    "<script>alert(1)</script>",
    "{{ 7*7 }} {% raw %}",
    "\x00\x07\x1b[31m",
    "\u202etxet\u202c \u2066iso\u2069",
    "\u2028\u2029",
    "\ud800",
    "x" * 100_000,
    "Springfield",
    '=HYPERLINK("x")',
]
NASTY = st.recursive(
    st.sampled_from(NASTY_SCALARS) | st.text(max_size=40) | st.integers() | st.floats(),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)

# Raw-text changes that a dict cannot express: duplicate keys, tags, anchors, merge keys.
RAW_EDITS = [
    lambda t: t.replace("stops:", "stops:\nstops: []\n", 1),
    lambda t: t.replace("trip:", "trip: !!python/object/apply:os.getpid []\ntrip2:", 1),
    lambda t: t.replace("  id: fuzz", "  id: !!binary aGVsbG8=", 1),
    lambda t: t.replace("  id: fuzz", "  id: !custom fuzz", 1),
    lambda t: (
        "base: &b {place: Seongnam}\n"
        + t.replace("- place: Seongnam", "- <<: *b\n  place: Seongnam", 1)
    ),
    lambda t: t.replace("  id: fuzz", "  id: fuzz\n  id: fuzz2", 1),
    lambda t: "a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\nd: [*c, *c]\n" + t,
    lambda t: t.replace("\n", "\r\n"),
    lambda t: "\ufeff" + t,
    lambda t: t[: len(t) // 2],
    lambda t: t + "\n\t- tab indent",
    lambda t: t.replace("stops:", "? [stops, x]\n: 1\nstops:", 1),
]


def _paths(doc: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(doc, dict):
        for k, v in doc.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            yield from _paths(v, (*prefix, i))


PATHS = [p for p in _paths(BASE) if p]


def _set(doc: Any, path: tuple[Any, ...], value: Any) -> None:
    for key in path[:-1]:
        doc = doc[key]
    doc[path[-1]] = value


# Text that is valid but hostile: markup, template syntax, bidirectional and line separators,
# scripts, long values. A trip made of these must go all the way through every writer.
SOFT = st.sampled_from(
    [
        "<script>alert(1)</script>",
        "{{ 7*7 }} {% raw %} {# c #}",
        "\u202etxet\u202c \u2066iso\u2069",
        "line\u2028sep\u2029para",
        "성남 · Астана · 東京 · عربى",
        '=HYPERLINK("x") -1 +1 @A1',
        "]]> <![CDATA[ x",
        "$x^2$ \\ % & # _",
        "y" * 2000,
        "🚆✈️🚢",
    ]
) | st.text(alphabet=st.characters(blacklist_categories=["Cc", "Cs"]), min_size=1, max_size=30)
TEXT_KEYS = {"title", "label", "note", "venue", "source", "uses", "subtitle", "credit"}
TEXT_PATHS = [p for p in _paths(BASE) if p and p[-1] in TEXT_KEYS]


@st.composite
def trip_texts(draw: st.DrawFn) -> str:
    doc = copy.deepcopy(BASE)
    if draw(st.booleans()):
        for path in draw(
            st.lists(st.sampled_from(TEXT_PATHS), min_size=1, max_size=4, unique=True)
        ):
            _set(doc, path, draw(SOFT))
        return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
    for path in draw(st.lists(st.sampled_from(PATHS), min_size=1, max_size=3, unique=True)):
        # An earlier change may have replaced a parent of this path.
        with contextlib.suppress(KeyError, IndexError, TypeError):
            _set(doc, path, draw(NASTY))
    text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
    for edit in draw(st.lists(st.sampled_from(RAW_EDITS), max_size=2)):
        text = edit(text)
    return text


def _write_text(path: Path, text: str) -> None:
    # surrogatepass: a lone surrogate lands in the file as the invalid UTF-8 a broken
    # editor or exporter would write.
    path.write_bytes(text.encode("utf-8", "surrogatepass"))


@contextmanager
def _no_hang(seconds: int = HANG_S) -> Iterator[None]:
    def fail(*_: Any) -> None:
        raise TimeoutError(f"no answer after {seconds} s: a hang")

    old = signal.signal(signal.SIGALRM, fail)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def _run(*args: str) -> Any:
    with _no_hang():
        return CliRunner().invoke(main, list(args), catch_exceptions=True)


def _check(result: Any, source: Path, out_dir: Path | None = None) -> None:
    text = result.output + (result.stderr if result.stderr_bytes is not None else "")
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"traceback for {source}:\n{text}") from result.exception
    assert "Traceback" not in text, text
    assert result.exit_code in (0, 2), (result.exit_code, text)
    if result.exit_code == 2:
        assert source.name in result.stderr or source.parent.name in result.stderr, result.stderr
        assert len(result.stderr) < 20_000, "a report must stay readable"
    if out_dir is not None:
        left = sorted(p.name for p in out_dir.iterdir())
        if result.exit_code == 2:
            assert left == [], f"half-written output: {left}"
        assert not [n for n in left if n.startswith(".") or "tmp" in n], left


@given(text=trip_texts())
@FUZZ
def test_validate_never_crashes(tmp_path_factory: pytest.TempPathFactory, text: str) -> None:
    folder = tmp_path_factory.mktemp("v")
    path = folder / "trip.yaml"
    _write_text(path, text)
    _check(_run("validate", str(path)), path)


@given(text=trip_texts(), fmt=st.sampled_from(["geojson", "gpkg", "csv", "parquet", "fgb", "kml"]))
@FUZZ
def test_export_never_crashes(
    tmp_path_factory: pytest.TempPathFactory, text: str, fmt: str
) -> None:
    folder = tmp_path_factory.mktemp("e")
    path = folder / "trip.yaml"
    _write_text(path, text)
    out = folder / "out"
    out.mkdir()
    layer = "all" if fmt in ("geojson", "gpkg", "kml") else "stops"
    _check(_run("export", str(path), "--layer", layer, "-o", str(out / f"x.{fmt}")), path, out)


@given(text=trip_texts())
@FUZZ
def test_map_never_crashes(tmp_path_factory: pytest.TempPathFactory, text: str) -> None:
    folder = tmp_path_factory.mktemp("m")
    path = folder / "trip.yaml"
    _write_text(path, text)
    out = folder / "out"
    out.mkdir()
    _check(_run("map", str(path), "-o", str(out / "map.html")), path, out)


def _csv_text(rows: list[list[Any]]) -> str:
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    return buf.getvalue()


@st.composite
def csv_folders(draw: st.DrawFn) -> dict[str, str]:
    stops = [
        ["place", "country", "lat", "lon", "arrive", "depart", "tz", "mode"],
        ["Seongnam", "KR", "", "", "", "2024-06-10T08:30", "", ""],
        ["", "", "41.3", "69.25", "2024-06-13", "", "", "air"],
    ]
    cell = st.sampled_from([v for v in NASTY_SCALARS if isinstance(v, str)]) | st.text(max_size=20)
    if draw(st.booleans()):
        # Near-valid: hostile labels and notes that must go through every writer.
        stops[0] += ["label", "note"]
        for r in stops[1:]:
            r += [draw(SOFT), draw(SOFT)]
        return {
            "trip.csv": _csv_text([["id", "title"], ["fuzz", draw(SOFT)]]),
            "stops.csv": _csv_text(stops),
        }
    for _ in range(draw(st.integers(1, 3))):
        r = draw(st.integers(0, len(stops) - 1))
        c = draw(st.integers(0, len(stops[0]) - 1))
        stops[r][c] = draw(cell)
    if draw(st.booleans()):
        stops.append([draw(cell) for _ in range(draw(st.integers(0, 10)))])
    files = {
        "trip.csv": _csv_text([["id", "title"], ["fuzz", draw(cell)]]),
        "stops.csv": _csv_text(stops),
    }
    if draw(st.booleans()):
        files["deals.csv"] = _csv_text(
            [["title", "country", "value_amount"], [draw(cell), draw(cell), draw(cell)]]
        )
    return files


@given(files=csv_folders(), command=st.sampled_from(["validate", "export", "map"]))
@FUZZ
def test_csv_folders_never_crash(
    tmp_path_factory: pytest.TempPathFactory, files: dict[str, str], command: str
) -> None:
    folder = tmp_path_factory.mktemp("c") / "trip"
    folder.mkdir()
    for name, text in files.items():
        _write_text(folder / name, text)
    out = folder.parent / "out"
    out.mkdir()
    args = {
        "validate": [],
        "export": ["-o", str(out / "x.geojson")],
        "map": ["-o", str(out / "m.html")],
    }
    _check(_run(command, str(folder), *args[command]), folder / "stops.csv", out)


@st.composite
def flow_tables(draw: st.DrawFn) -> str:
    rows = [
        ["origin", "destination", "mode", "value_amount", "value_currency", "date"],
        ["Busan", "Rotterdam", "sea", "1200", "USD", "2024-01-01"],
        ["Seoul", "Tashkent", "air", "5", "KRW", "2024-02-01"],
        ["", "", "rail", "7", "USD", ""],
    ]
    rows[3][0], rows[3][1] = "Almaty", "Tashkent"
    if draw(st.booleans()):
        # Near-valid: hostile text and odd but readable values, so the run goes on to routing
        # and writing instead of stopping at the first check.
        rows[0].append("note")
        for r in rows[1:]:
            r.append(draw(SOFT))
        rows[2][3] = draw(st.sampled_from(["1,200,000", "0", "1e3", " 7 ", "12.5"]))
        return _csv_text(rows)
    cell = st.sampled_from([v for v in NASTY_SCALARS if isinstance(v, str)]) | st.text(max_size=20)
    for _ in range(draw(st.integers(1, 4))):
        r = draw(st.integers(0, len(rows) - 1))
        c = draw(st.integers(0, len(rows[0]) - 1))
        rows[r][c] = draw(cell)
    text = _csv_text(rows)
    for edit in draw(st.lists(st.sampled_from(FLOW_EDITS), max_size=2)):
        text = edit(text)
    return text


# Raw-text changes to a flow table: line ends, a BOM, a cut, stray quotes.
FLOW_EDITS = [
    lambda t: t.replace("\r\n", "\r", 1),
    lambda t: t.replace("\r\n", "\n"),
    lambda t: "\ufeff" + t,
    lambda t: t[: len(t) // 2],
    lambda t: t.replace(",", ";"),
    lambda t: t.replace("Busan", '"Bu"san', 1),
    lambda t: t.replace("origin", "origin\r", 1),
]


@given(table=flow_tables(), suffix=st.sampled_from(["parquet", "geojson", "gpkg", "csv"]))
@FUZZ
def test_flows_never_crash(
    tmp_path_factory: pytest.TempPathFactory, table: str, suffix: str
) -> None:
    folder = tmp_path_factory.mktemp("f")
    path = folder / "flows.csv"
    _write_text(path, table)
    out = folder / "out"
    out.mkdir()
    _check(_run("flows", str(path), "-o", str(out / f"routed.{suffix}")), path, out)


# Inputs fuzzing broke in its first runs, kept as plain tests once fixed.


def test_regression_a_huge_tz_is_refused_with_its_record(tmp_path: Path) -> None:
    # A 100,000-character tz reached ZoneInfo as a file path: "File name too long", with the
    # tzdata folder in the message and no record named.
    folder = tmp_path / "trip"
    folder.mkdir()
    _write_text(folder / "trip.csv", "id,title\nfuzz,T\n")
    _write_text(
        folder / "stops.csv",
        "place,country,depart,tz\nSeongnam,KR,2024-06-10T08:30,"
        + "x" * 100_000
        + "\nAshgabat,TM,,\n",
    )
    result = _run("validate", str(folder))
    _check(result, folder / "stops.csv")
    assert result.exit_code == 2 and "not an IANA time zone" in result.stderr
    assert "tzdata" not in result.stderr and len(result.stderr) < 2_000


def test_regression_a_flow_report_stays_readable(tmp_path: Path) -> None:
    # A 100,000-character place name was echoed whole: a 100 KB report.
    path = tmp_path / "flows.csv"
    _write_text(path, "origin,destination,mode\n" + "x" * 100_000 + ",Busan,sea\n")
    result = _run("flows", str(path), "-o", str(tmp_path / "out.parquet"))
    _check(result, path)
    assert result.exit_code == 2 and "flows.csv:2 origin" in result.stderr
    assert len(result.stderr) < 2_000


@pytest.mark.parametrize(
    "text", ["origin,destination\rSeoul,Busan\n", "origin,desti\rnation\nSeoul,Busan\n", "\r\r\n"]
)
def test_regression_a_bare_cr_in_a_flow_header_is_a_report(tmp_path: Path, text: str) -> None:
    # A lone CR in the header line was a csv.Error traceback (found by a fuzzer run).
    path = tmp_path / "flows.csv"
    _write_text(path, text)
    result = _run("flows", str(path), "-o", str(tmp_path / "out.parquet"))
    _check(result, path)
    assert result.exit_code == 2


@pytest.mark.parametrize(
    "text",
    [
        "trip: {id: t, title: T}\n? [a, b]\n: 1\nstops: []\n",
        "trip: {id: t, title: T}\nstops:\n  - ? {place: x}\n    : 1\n",
    ],
)
def test_regression_a_list_or_mapping_as_a_yaml_key_is_a_report(tmp_path: Path, text: str) -> None:
    # `? [a, b]` made an unhashable key: a TypeError traceback (found by a fuzzer run).
    path = tmp_path / "trip.yaml"
    _write_text(path, text)
    result = _run("validate", str(path))
    _check(result, path)
    assert result.exit_code == 2 and "used as a key" in result.stderr


def test_the_generators_make_valid_and_invalid_inputs(tmp_path: Path) -> None:
    # The base trip is valid: the fuzz starts from something geo accepts.
    path = tmp_path / "base.yaml"
    _write_text(path, yaml.safe_dump(BASE, allow_unicode=True, sort_keys=False))
    result = _run("validate", str(path))
    assert result.exit_code == 0, result.output
    assert json.dumps(BASE)  # plain data
