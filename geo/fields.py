"""The one definition of the trip format's and the flow table's fields.

The checker (:mod:`geo.schema`) takes each section's keys from here (an unknown key is a
problem, with a "did you mean"), :mod:`geo.flows` its known columns, the JSON Schemas that
editors use (``geo schema trip|flows``, shipped as ``geo/schemas/*.schema.json``) are generated
from it, and a test checks the field tables of docs/trip-format.md and docs/flows.md against
it. How each value is checked (a gazetteer place, a decimal comma, a date in its stop's zone)
stays in the checker, whose reports need the file, the record and the fix; what the fields are,
their types and which are required, is said once, here.

Why geo's own table and not pydantic or msgspec models: the checker reports every problem of a
file at once with its CSV line, its YAML record path and a suggestion; model validation stops
a record at its first type error and would need its errors mapped back to those reports, and
the JSON Schema such models generate describes Python types (a date object) rather than what
a YAML editor sees (a string in ISO 8601).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from geo import vocab

__all__ = [
    "FLOW_TABLE",
    "TRIP_FILE",
    "Field",
    "flows_schema",
    "schema_text",
    "section_keys",
    "trip_schema",
]

SCHEMA_BASE = "https://geo-itinerary.example/schemas"


@dataclass(frozen=True)
class Field:
    """One key of a section (or one column of a flow table).

    ``kind`` is how a value looks in the file: ``text`` (a string, or a mapping of language to
    string), ``string``, ``slug``, ``lang``, ``url``, ``country``, ``tz``, ``date``, ``when``
    (a date or a date-time), ``lat``, ``lon``, ``amount``, ``number``, ``numbers`` (a list of
    record numbers, 1-based), ``zoom``, ``choice`` (one of
    ``choices``), ``passages``, ``texts`` (a list of text), ``strings``, ``waypoint``,
    ``waypoints``, or ``section:NAME`` / ``sections:NAME`` (a mapping, or a list of mappings,
    of another section).
    """

    name: str
    kind: str
    required: bool = False
    doc: str = ""
    choices: tuple[str, ...] = ()


def _passage_names() -> tuple[str, ...]:
    from geo.routing import AVOIDABLE

    return tuple(AVOIDABLE)


TRIP_FILE: dict[str, tuple[Field, ...]] = {
    "": (
        Field("trip", "section:trip", True, "about the whole file"),
        Field("stops", "sections:stops", True, "the itinerary, in order"),
        Field("deals", "sections:deals", False, "contracts, agreements and cooperation items"),
        Field("resources", "sections:resources", False, "critical minerals and energy"),
        Field("routes", "sections:routes", False, "corridors and flows of goods"),
        Field(
            "story",
            "sections:story",
            False,
            "chapters a host page steps through; one per stop when left out",
        ),
        Field(
            "names",
            "names",
            False,
            "the trip's own names for seas, lakes and capitals, keyed by Natural Earth's English "
            "name (Sea of Japan: {ko: 동해, en: East Sea})",
        ),
    ),
    "trip": (
        Field("id", "slug", True, "a slug (a-z, 0-9, -), used for output file names"),
        Field("title", "text", True),
        Field("subtitle", "text"),
        Field("sources", "sections:sources", False, "where the facts come from"),
        Field("credit", "text", False, "shown on maps (who made it)"),
        Field("lang", "lang", False, "the default language, en unless given"),
        Field("avoid", "passages", False, "passages every sea leg and route avoids"),
        Field("allow", "passages", False, "closed passages every sea leg and route may use"),
    ),
    "sources": (
        Field("name", "text", True),
        Field("url", "url"),
        Field("date", "date"),
    ),
    "stops": (
        Field("place", "string", False, "a place name for the offline gazetteer"),
        Field("lat", "lat"),
        Field("lon", "lon"),
        Field("country", "country", False, "ISO 3166-1 alpha-2 code"),
        Field("admin1", "string", False, "the state, province or region that narrows place"),
        Field("tz", "tz", False, "IANA time zone"),
        Field("arrive", "when", False, "local date or date-time at the stop"),
        Field("depart", "when", False, "local date or date-time at the stop"),
        Field("label", "text", False, "shown on the map; defaults to the place name"),
        Field("venue", "text"),
        Field("note", "text"),
        Field("mode", "choice", False, "how the leg leaving this stop travels", vocab.LEG_MODES),
        Field("via", "waypoints", False, "points that shape the leg leaving this stop"),
        Field("avoid", "passages", False, "passages the sea leg leaving this stop avoids"),
        Field("allow", "passages", False, "closed passages the sea leg may use"),
    ),
    "deals": (
        Field("title", "text", True),
        Field("parties", "texts"),
        Field("country", "country", False, "ISO 3166-1 alpha-2 code of the host country"),
        Field("place", "string", False, "a gazetteer place name"),
        Field("admin1", "string"),
        Field("site", "section:site"),
        Field("value", "sections:value", False, "as reported: never converted"),
        Field("status", "choice", False, "", vocab.DEAL_STATUSES),
        Field("sector", "text"),
        Field("date", "date"),
        Field("source", "string", False, "a short quote from the source"),
    ),
    "site": (
        Field("name", "text"),
        Field("lat", "lat", True),
        Field("lon", "lon", True),
        Field("precision", "choice", False, "", vocab.PRECISIONS),
    ),
    "value": (
        Field("amount", "amount", True, "a non-negative number; thousands separators allowed"),
        Field("currency", "string", True, "ISO 4217 code"),
    ),
    "resources": (
        Field("country", "country"),
        Field("countries", "strings"),
        Field("region", "string"),
        Field("commodities", "strings", True),
        Field("uses", "text"),
        Field("agreement", "section:agreement"),
        Field("sites", "sections:site"),
        Field("source", "string"),
    ),
    "agreement": (
        Field("title", "text"),
        Field("date", "date"),
        Field("parties", "texts"),
    ),
    "routes": (
        Field("name", "text", True),
        Field("mode", "choice", False, "", vocab.ROUTE_MODES),
        Field("waypoints", "waypoints", True),
        Field("goods", "texts"),
        Field("value", "sections:value"),
        Field("description", "text"),
        Field("source", "string"),
        Field("avoid", "passages"),
        Field("allow", "passages"),
    ),
    "story": (
        Field("title", "text", True),
        Field("text", "text"),
        Field("stops", "numbers", False, "stop numbers as the map shows them (1 is the first)"),
        Field("legs", "numbers", False, "leg numbers (leg 1 leaves stop 1)"),
        Field("deals", "numbers", False, "deal numbers, in the order of deals:"),
        Field("resources", "numbers", False, "resource numbers, in the order of resources:"),
        Field("routes", "numbers", False, "route numbers, in the order of routes:"),
        Field("view", "section:view", False, "where the map goes; else it fits what it shows"),
    ),
    "view": (
        Field("phone", "section:camera", False, "the view on a screen under 600 px wide"),
        Field("desktop", "section:camera", False, "the view on a wider screen"),
    ),
    "camera": (
        Field("lat", "lat", True),
        Field("lon", "lon", True),
        Field("zoom", "zoom", True, "a web-map zoom level, 1 (the world) to 12"),
    ),
    "waypoint": (
        Field("place", "string"),
        Field("country", "country"),
        Field("admin1", "string"),
        Field("lat", "lat"),
        Field("lon", "lon"),
        Field("name", "text"),
    ),
}

_END = "a place name, or {end}_lat and {end}_lon"
FLOW_TABLE: tuple[Field, ...] = (
    Field("origin", "string", False, _END.format(end="origin")),
    Field("origin_country", "country"),
    Field("origin_admin1", "string"),
    Field("origin_lat", "lat"),
    Field("origin_lon", "lon"),
    Field("destination", "string", False, _END.format(end="destination")),
    Field("destination_country", "country"),
    Field("destination_admin1", "string"),
    Field("destination_lat", "lat"),
    Field("destination_lon", "lon"),
    Field("mode", "choice", False, "", vocab.ROUTE_MODES),
    Field("goods", "string"),
    Field("value_amount", "amount"),
    Field("value_currency", "string", False, "ISO 4217 code, with value_amount"),
    Field("name", "string"),
    Field("via", "string", False, "points the flow passes, ; separated"),
    Field("avoid", "string", False, "passages the sea lane must not use, ; separated"),
    Field("allow", "string", False, "arctic, to open it"),
    Field("date", "date"),
)


def section_keys() -> dict[str, tuple[str, ...]]:
    """Each section's keys, in order (the checker's list of known keys)."""
    return {s: tuple(f.name for f in fields) for s, fields in TRIP_FILE.items()}


# -- JSON Schema ------------------------------------------------------------------------------

_LANG = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"
_DATE = r"^\d{4}-\d{2}-\d{2}$"
_WHEN = r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$"
_GROUPED = r"^[+-]?(\d+|\d{1,3}(,\d{3})+)(\.\d+)?$"


def _kind(f: Field) -> dict[str, Any]:
    k = f.kind
    if k.startswith("section:"):
        return {"$ref": f"#/$defs/{k.split(':')[1]}"}
    if k.startswith("sections:"):
        return {"type": "array", "items": {"$ref": f"#/$defs/{k.split(':')[1]}"}}
    simple: dict[str, dict[str, Any]] = {
        "text": {"$ref": "#/$defs/text"},
        "string": {"type": "string"},
        "slug": {"type": "string", "pattern": r"^[a-z0-9]+(-[a-z0-9]+)*$", "maxLength": 64},
        "lang": {"type": "string", "pattern": _LANG},
        "url": {"type": "string", "pattern": r"^https?://\S+$"},
        "country": {"type": "string", "pattern": r"^[A-Za-z]{2}$"},
        "tz": {"type": "string", "minLength": 1, "maxLength": 64},
        "date": {"type": "string", "pattern": _DATE},
        "when": {"type": "string", "pattern": _WHEN},
        "lat": {"type": "number", "minimum": -90, "maximum": 90},
        "lon": {"type": "number", "minimum": -180, "maximum": 180},
        "amount": {
            "oneOf": [{"type": "number", "minimum": 0}, {"type": "string", "pattern": _GROUPED}]
        },
        "number": {"type": "number"},
        "numbers": {"type": "array", "items": {"type": "integer", "minimum": 1}},
        "zoom": {"type": "number", "minimum": 1, "maximum": 12},
        "passages": {"type": "array", "items": {"enum": list(_passage_names())}},
        "texts": {"type": "array", "items": {"$ref": "#/$defs/text"}},
        "strings": {"type": "array", "items": {"type": "string"}},
        "waypoint": {"$ref": "#/$defs/waypoint_or_name"},
        "waypoints": {"type": "array", "items": {"$ref": "#/$defs/waypoint_or_name"}},
        "names": {
            "type": "object",
            "propertyNames": {"minLength": 1},
            "additionalProperties": {"$ref": "#/$defs/text"},
        },
    }
    if k == "choice":
        return {"enum": list(f.choices)}
    return dict(simple[k])


def _property(f: Field) -> dict[str, Any]:
    out = _kind(f)
    if f.doc:
        out = {**out, "description": f.doc}
    return out


def _object(fields: tuple[Field, ...], title: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {"type": "object"}
    if title:
        out["title"] = title
    out["properties"] = {f.name: _property(f) for f in fields}
    required = [f.name for f in fields if f.required]
    if required:
        out["required"] = required
    out["additionalProperties"] = False
    return out


def trip_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a trip file, for editors and for validators.

    It checks the structure (keys, types, required keys, vocabularies); what needs the
    gazetteer or the calendar (a known place, the order of dates) is ``geo validate``'s.
    """
    defs: dict[str, Any] = {
        name: _object(fields) for name, fields in TRIP_FILE.items() if name != ""
    }
    defs["text"] = {
        "description": "a string, or a mapping of language code (BCP 47) to string; a bare "
        "number is read as its text (title: 2024)",
        "oneOf": [
            {"type": ["string", "number"]},
            {
                "type": "object",
                "minProperties": 1,
                "propertyNames": {"pattern": _LANG},
                "additionalProperties": {"type": ["string", "number"]},
            },
        ],
    }
    defs["waypoint_or_name"] = {"oneOf": [{"type": "string"}, {"$ref": "#/$defs/waypoint"}]}
    root = _object(TRIP_FILE[""], "geo trip file")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{SCHEMA_BASE}/trip.schema.json",
        "description": "A trip for geo (docs/trip-format.md): stops, deals, resources, routes.",
        **root,
        "$defs": dict(sorted(defs.items())),
    }


def flows_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one row of a flow table (docs/flows.md): the known
    columns; any other column is kept as it is, so others are allowed."""
    props = {}
    for f in FLOW_TABLE:
        kind = _property(f)
        # A CSV cell is text: numbers and dates may come as strings.
        if f.kind in ("lat", "lon", "amount"):
            kind = {
                "anyOf": [kind, {"type": "string"}],
                **({"description": f.doc} if f.doc else {}),
            }
        props[f.name] = kind
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{SCHEMA_BASE}/flows.schema.json",
        "title": "geo flow table row",
        "description": "One row of a flow table for geo flows (docs/flows.md).",
        "type": "object",
        "properties": props,
        "anyOf": [
            {"required": ["origin"]},
            {"required": ["origin_lat", "origin_lon"]},
        ],
        "allOf": [
            {
                "anyOf": [
                    {"required": ["destination"]},
                    {"required": ["destination_lat", "destination_lon"]},
                ]
            }
        ],
        "dependentRequired": {
            "value_amount": ["value_currency"],
            "value_currency": ["value_amount"],
        },
    }


def schema_text(which: str) -> str:
    """``trip`` or ``flows``: the schema as the JSON geo ships and prints."""
    schema = trip_schema() if which == "trip" else flows_schema()
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
