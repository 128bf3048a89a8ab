"""--theme, --inset and --context of `geo map`, `geo embed` and `geo static` from the command line:
each value does what it says, and a bad value is refused with the option named, exit code 2, no
traceback and no file."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from geo.palette import palette
from tests.test_trust import geo_cli

REPO = Path(__file__).resolve().parent.parent
BENELUX = REPO / "data" / "gallery" / "benelux-rail.yaml"


def _payload(html: str) -> dict:
    m = re.search(r'<script type="application/json" id="geo-data">(.*?)</script>', html, re.S)
    assert m is not None
    return json.loads(m.group(1))


def test_map_options_change_the_page(tmp_path):
    pages = {}
    for name, args in (
        ("plain", []),
        ("dark", ["--theme", "dark"]),
        ("auto", ["--theme", "auto"]),
        ("bare", ["--inset", "off", "--context", "none"]),
    ):
        out = tmp_path / f"{name}.html"
        proc = geo_cli("map", str(BENELUX), "-o", str(out), *args)
        assert proc.returncode == 0, proc.stderr
        pages[name] = out.read_text(encoding="utf-8")
    # The dark page's colours are the dark palette; auto carries both, under a media query.
    assert (
        palette("dark")["water"] in pages["dark"] and palette("dark")["water"] not in pages["plain"]
    )
    assert "prefers-color-scheme: dark" in pages["auto"]
    plain, bare = _payload(pages["plain"]), _payload(pages["bare"])
    assert plain.get("inset") and not bare.get("inset")
    ranks = lambda p: {c[3] for c in p["basemap"].get("context", [])}  # noqa: E731
    assert "capital" in ranks(plain) and "capital" not in ranks(bare)
    assert ranks(bare) <= {"water"}  # --context none keeps the seas and lakes only


@pytest.mark.parametrize("command", ["map", "embed", "static"])
@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--theme", "<script>alert(1)</script>"),
        ("--theme", "{{ 7*7 }}"),
        ("--inset", "maybe"),
        ("--inset", "x" * 5000),
        ("--context", "towns"),
        ("--context", ""),
    ],
)
def test_a_bad_value_is_refused_before_anything_is_written(tmp_path, command, option, value):
    out = tmp_path / ("out.png" if command == "static" else "out.html")
    target = tmp_path / "folder" if command == "embed" else out
    proc = geo_cli(command, str(BENELUX), "-o", str(target), option, value)
    assert proc.returncode == 2
    assert option in proc.stderr and "Traceback" not in proc.stderr
    # Click lists the valid choices: the fix is in the message.
    assert "light" in proc.stderr or "auto" in proc.stderr or "capitals" in proc.stderr
    assert list(tmp_path.iterdir()) == []
