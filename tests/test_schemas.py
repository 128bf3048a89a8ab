"""The JSON Schemas editors use: generated from geo/fields.py, shipped, printed by
``geo schema``, accepting every good trip and refusing the structurally bad ones; the docs'
field tables say what the field table says."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from geo.cli import main
from geo.fields import FLOW_TABLE, TRIP_FILE, schema_text
from tests.test_trust import geo_cli

REPO = Path(__file__).resolve().parent.parent
SCHEMAS = REPO / "geo" / "schemas"
GOOD = [
    REPO / "data" / "k-silk-road-2024.yaml",
    *sorted((REPO / "data" / "gallery").glob("*.yaml")),
    *sorted((REPO / "tests" / "data").glob("*.yaml")),
]


class EditorLoader(yaml.SafeLoader):
    """YAML as the YAML language server reads it (YAML 1.2): dates stay strings."""


EditorLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _load(path: Path) -> object:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=EditorLoader)  # noqa: S506


def _validator(which: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((SCHEMAS / f"{which}.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("which", ["trip", "flows"])
def test_the_shipped_schema_is_the_generated_one(which):
    assert (SCHEMAS / f"{which}.schema.json").read_text(encoding="utf-8") == schema_text(which)
    result = CliRunner().invoke(main, ["schema", which])
    assert result.exit_code == 0 and result.output == schema_text(which)


def test_geo_schema_refuses_an_unknown_name():
    assert CliRunner().invoke(main, ["schema", "stops"]).exit_code == 2


@pytest.mark.parametrize("path", GOOD, ids=[p.name for p in GOOD])
def test_every_good_trip_validates_and_names_its_schema(path):
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=")
    target = (path.parent / first.split("=", 1)[1]).resolve()
    assert target == (SCHEMAS / "trip.schema.json").resolve()
    errors = [
        f"{'/'.join(map(str, e.path))}: {e.message}"
        for e in _validator("trip").iter_errors(_load(path))
    ]
    assert errors == []


BASE = _load(REPO / "tests" / "data" / "mini.yaml")

# Structurally bad: wrong type, unknown key, missing required field, a value off the list.
BAD = [
    ("unknown top key", lambda d: d.update(trips=[])),
    ("unknown stop key", lambda d: d["stops"][0].update(plase="Seoul")),
    ("missing trip.title", lambda d: d["trip"].pop("title")),
    ("missing trip.id", lambda d: d["trip"].pop("id")),
    ("missing stops", lambda d: d.pop("stops")),
    ("stops not a list", lambda d: d.update(stops={"place": "Seoul"})),
    ("lat a string", lambda d: d["stops"][2].update(lat="north")),
    ("lat out of range", lambda d: d["stops"][2].update(lat=95)),
    ("mode off the list", lambda d: d["stops"][0].update(mode="boat")),
    ("status off the list", lambda d: d["deals"][0].update(status="done")),
    ("id with capitals", lambda d: d["trip"].update(id="Mini Tour")),
    ("title a boolean", lambda d: d["trip"].update(title=True)),
    ("label a list", lambda d: d["stops"][0].update(label=["a"])),
    ("text in a bad language code", lambda d: d["trip"].update(title={"English": "x"})),
    ("amount with a decimal comma", lambda d: d["deals"][0]["value"][0].update(amount="1,5")),
    ("value without currency", lambda d: d["deals"][0]["value"][0].pop("currency")),
    ("site without lat", lambda d: d["deals"][1]["site"].pop("lat")),
    ("route without waypoints", lambda d: d["routes"][0].pop("waypoints")),
    ("unknown passage", lambda d: d["stops"][0].update(avoid=["atlantis"])),
    ("arrive not a date", lambda d: d["stops"][1].update(arrive="tomorrow")),
]


@pytest.mark.parametrize(("name", "change"), BAD, ids=[b[0] for b in BAD])
def test_structurally_bad_trips_fail_the_schema_and_geo_validate(tmp_path, name, change):
    doc = copy.deepcopy(BASE)
    change(doc)
    assert list(_validator("trip").iter_errors(doc)), name
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    proc = geo_cli("validate", str(path))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, (name, proc.stderr)


def test_hostile_text_is_data_to_the_schema_too():
    doc = copy.deepcopy(BASE)
    doc["trip"]["title"] = {"en": "<script>alert(1)</script> {{7*7}}", "ko": "{% raw %}"}
    assert list(_validator("trip").iter_errors(doc)) == []


def test_flow_rows_against_the_flows_schema():
    v = _validator("flows")
    assert list(v.iter_errors({"origin": "Busan", "destination": "Rotterdam", "mode": "sea"})) == []
    assert (
        list(
            v.iter_errors(
                {"origin_lat": "35.1", "origin_lon": 129.0, "destination": "Oslo", "hs": "0101"}
            )
        )
        == []
    )
    assert (
        list(
            v.iter_errors(
                {
                    "origin": "Busan",
                    "destination": "Oslo",
                    "value_amount": "1,200,000",
                    "value_currency": "USD",
                }
            )
        )
        == []
    )
    for bad in (
        {"destination": "Oslo"},  # no origin
        {"origin": "Busan", "destination": "Oslo", "mode": "boat"},
        {"origin": "Busan", "destination": "Oslo", "value_amount": 5},  # no currency
    ):
        assert list(v.iter_errors(bad)), bad


def _doc_table(doc: str, heading: str) -> dict[str, str]:
    """Keys of a docs table (first column, `a`, `b` split) -> its 'required' cell."""
    text = (REPO / "docs" / doc).read_text(encoding="utf-8")
    section = text.split(heading, 1)[1].split("\n## ", 1)[0]
    out = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 2 and cells[0].startswith("`"):
            for key in re.findall(r"`([\w]+)`", cells[0]):
                out[key] = cells[1]
    return out


@pytest.mark.parametrize(
    ("heading", "section"),
    [
        ("## `trip:`", "trip"),
        ("## `stops:`", "stops"),
        ("## `deals:`", "deals"),
        ("## `resources:`", "resources"),
        ("## `routes:`", "routes"),
        ("## `story:`", "story"),
    ],
)
def test_the_trip_format_tables_match_the_field_table(heading, section):
    table = _doc_table("trip-format.md", heading)
    fields = {f.name: f for f in TRIP_FILE[section]}
    assert set(table) == set(fields)
    for name, required in table.items():
        assert (required == "yes") == fields[name].required, name


def test_the_flow_table_matches_the_field_table():
    table = _doc_table("flows.md", "## The table")
    assert set(table) == {f.name for f in FLOW_TABLE}
