"""Every CSV geo writes is RFC 4180: rows never split, whichever way a tool reads them.

Three readers: Python's ``csv`` (RFC 4180), a naive one that ends a row at every CR or LF
outside quotes (as RFC 4180 allows and Excel does), and a LibreOffice-like one (a quoted
field may span lines; a row ends at CRLF, CR or LF outside quotes). Each must see the header's
width on every row, and no cell, and no line of a cell, may start a formula.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from geo.formats.export import csv_bytes, inert_text
from tests.test_trust import geo_cli

DATA = Path(__file__).parent / "data"

# Text that splits rows or runs formulas where a writer forgets a rule: a lone CR before a
# formula (the hole pandas' lineterminator="\n" left), LF, CRLF, quotes, commas, a formula
# after a line break, template syntax and markup.
NASTY = [
    "\r=1+1",
    'line one\n=HYPERLINK("http://evil.example")',
    'a\r\nb, "quoted"',
    'say "hi", then go',
    "tab\t@SUM(A1)",
    "{{ 7*7 }} {% raw %} <script>alert(1)</script>",
    "-2+3",
    "\r\r+cmd",
]


def _trip(tmp_path: Path) -> Path:
    stops = [
        {"place": "Seongnam", "country": "KR", "depart": "2024-06-10", "note": NASTY[0]},
        {"place": "Ashgabat", "country": "TM", "arrive": "2024-06-10", "note": NASTY[1]},
        {"place": "Tashkent", "country": "UZ", "arrive": "2024-06-13", "note": NASTY[2]},
    ]
    deals = [
        {
            "title": NASTY[3],
            "parties": [NASTY[4], NASTY[6]],
            "country": "UZ",
            "place": "Tashkent",
            "source": NASTY[5],
            "date": "2024-06-14",
        },
        {"title": NASTY[7], "country": "TM", "place": "Ashgabat"},
    ]
    doc = {
        "trip": {"id": "csv-nasty", "title": NASTY[2]},
        "stops": stops,
        "deals": deals,
        "resources": [{"country": "KZ", "commodities": ["lithium"], "uses": NASTY[0]}],
        "routes": [{"name": NASTY[1], "waypoints": ["Seongnam", "Tashkent"]}],
    }
    path = tmp_path / "nasty.yaml"
    # JSON is YAML: every escape (\r included) survives exactly.
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def naive_rows(text: str) -> list[list[str]]:
    """Rows as a reader sees them that ends a row at *every* CR or LF outside quotes."""
    rows: list[list[str]] = []
    row: list[str] = []
    cell: list[str] = []
    quoted = False
    i = 0
    while i < len(text):
        ch = text[i]
        if quoted:
            if ch == '"' and text[i + 1 : i + 2] == '"':
                cell.append('"')
                i += 1
            elif ch == '"':
                quoted = False
            else:
                cell.append(ch)
        elif ch == '"':
            quoted = True
        elif ch == ",":
            row.append("".join(cell))
            cell = []
        elif ch in "\r\n":
            row.append("".join(cell))
            rows.append(row)
            row, cell = [], []
        else:
            cell.append(ch)
        i += 1
    if cell or row:
        row.append("".join(cell))
        rows.append(row)
    # A CRLF ends one row, not two: drop the empty row a reader of lone CR/LF sees between.
    return [r for r in rows if r != [""]]


def libreoffice_rows(text: str) -> list[list[str]]:
    """Rows as LibreOffice reads them: quoted fields span lines; CRLF, CR or LF end a row."""
    return list(csv.reader(io.StringIO(text.replace("\r\n", "\n"), newline="")))


def _assert_sound(data: bytes) -> list[list[str]]:
    text = data.decode("utf-8")
    assert text.endswith("\r\n")
    # Outside quotes, every line break is CRLF.
    outside = re.sub(r'"(?:[^"]|"")*"', '""', text)
    assert "\r" not in outside.replace("\r\n", "")
    assert "\n" not in outside.replace("\r\n", "")
    rfc = list(csv.reader(io.StringIO(text, newline="")))
    for rows in (rfc, naive_rows(text), libreoffice_rows(text)):
        width = len(rows[0])
        assert rows and all(len(r) == width for r in rows), [len(r) for r in rows]
        assert len(rows) == len(rfc)
    for row in rfc[1:]:
        for cell in row:
            for line in re.split(r"\r\n|\r|\n", cell):
                if re.fullmatch(r"-?\d+(\.\d+)?(e[+-]?\d+)?", line):
                    continue  # a number stays a number
                assert not line.startswith(("=", "+", "-", "@", "\t")), repr(cell)
    return rfc


@pytest.mark.parametrize("layer", ["stops", "legs", "deals", "resources", "routes"])
def test_every_export_layer_reads_back_row_for_row(tmp_path, layer):
    out = tmp_path / f"{layer}.csv"
    proc = geo_cli("export", str(_trip(tmp_path)), "--layer", layer, "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    rows = _assert_sound(out.read_bytes())
    assert len(rows) > 1


def test_the_text_survives_apart_from_the_inert_quote(tmp_path):
    out = tmp_path / "stops.csv"
    assert (
        geo_cli("export", str(_trip(tmp_path)), "--layer", "stops", "-o", str(out)).returncode == 0
    )
    rows = list(csv.DictReader(io.StringIO(out.read_bytes().decode("utf-8"), newline="")))
    note = [k for k in rows[0] if k.startswith("note")][0]
    assert [r[note] for r in rows] == [
        "'\r'=1+1",
        'line one\n\'=HYPERLINK("http://evil.example")',
        'a\r\nb, "quoted"',
    ]


def test_the_hostile_fixture_exports_sound_csv(tmp_path):
    for layer in ("stops", "deals", "resources", "routes"):
        out = tmp_path / f"{layer}.csv"
        proc = geo_cli("export", str(DATA / "hostile.yaml"), "--layer", layer, "-o", str(out))
        assert proc.returncode == 0, proc.stderr
        _assert_sound(out.read_bytes())


def test_flows_write_rfc4180_csv(tmp_path):
    table = tmp_path / "flows.csv"
    with table.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["origin", "destination", "mode", "value_amount", "value_currency", "note"])
        w.writerow(["Busan", "Rotterdam", "sea", "1200", "USD", NASTY[0]])
        w.writerow(["Seoul", "Tashkent", "air", "5", "USD", NASTY[1]])
        w.writerow(["Seoul", "Almaty", "air", "7", "USD", NASTY[3]])
    out = tmp_path / "routed.csv"
    proc = geo_cli("flows", str(table), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    rows = _assert_sound(out.read_bytes())
    header = rows[0]
    assert "wkt" in header and "note" in header and len(rows) == 4
    assert rows[1][header.index("wkt")].startswith("LINESTRING")
    # The flow reader trims the text's outer whitespace (the CR); what is left is inert.
    assert rows[1][header.index("note")] == "'=1+1"
    assert rows[2][header.index("note")] == 'line one\n\'=HYPERLINK("http://evil.example")'


def test_same_table_same_bytes(tmp_path):
    import pandas as pd

    frame = pd.DataFrame({"a": NASTY, "n": range(len(NASTY))})
    assert csv_bytes(frame) == csv_bytes(frame.copy())
    _assert_sound(csv_bytes(frame))


@pytest.mark.parametrize(
    ("text", "inert"),
    [
        ("=1+1", "'=1+1"),
        ("plain", "plain"),
        ("a-b", "a-b"),
        ("x\r=1", "x\r'=1"),
        ("x\n\n@A1", "x\n\n'@A1"),
        ("\t", "'\t"),
        ("\r", "'\r"),
        ("", ""),
    ],
)
def test_inert_text(text, inert):
    assert inert_text(text) == inert
    assert inert_text(7) == 7 and inert_text(None) is None


def test_a_huge_cell_stays_one_cell():
    import pandas as pd

    big = ('=x,"\r\n' * 20_000)[:100_000]
    rows = _assert_sound(csv_bytes(pd.DataFrame({"big": [big], "n": [1]})))
    assert len(rows) == 2 and len(rows[1][0]) > len(big)
