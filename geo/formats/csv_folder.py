"""Trip files as a folder of CSVs (``trip.csv``, ``stops.csv``, ``deals.csv``, ...).

Each CSV row becomes the same raw mapping a YAML record would, so one validator serves both; the
origin of each record (``stops.csv:4``) goes along so problems name the file and line.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

from geo.errors import GeoError, Problem, TripFormatError

__all__ = ["parse_waypoint", "read_csv_folder"]

SECTIONS = ("stops", "deals", "resources", "routes")
TEXT_FIELDS = {
    "title",
    "subtitle",
    "credit",
    "label",
    "venue",
    "note",
    "sector",
    "uses",
    "name",
    "description",
    "agreement_title",
}
LIST_FIELDS = {
    "parties",
    "commodities",
    "goods",
    "waypoints",
    "agreement_parties",
    "avoid",
    "allow",
    "via",
    "countries",
}
_LANG_SUFFIX = re.compile(r"^(?P<key>[a-z_]+?)_(?P<lang>[a-z]{2,3})$")
_LATLON = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$")


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.split(";") if v.strip()]


def parse_waypoint(text: str) -> Any:
    """``Tashkent``, ``country:UZ``, ``41.3, 69.2`` or ``Springfield|US|Missouri`` (place,
    country, admin1) as the mapping a YAML waypoint would be."""
    if text.lower().startswith("country:"):
        return {"country": text.split(":", 1)[1].strip()}
    m = _LATLON.match(text)
    if m:
        return {"lat": m.group(1), "lon": m.group(2)}
    if "|" in text:
        parts = [x.strip() for x in text.split("|")]
        keys = ("place", "country", "admin1")
        return {k: v for k, v in zip(keys, parts, strict=False) if v} | (
            {"name": text} if len(parts) > 3 else {}
        )
    return text


def _row(row: dict[str, str], lang: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    texts: dict[str, dict[str, str]] = {}
    for column, value in row.items():
        if column is None or value is None or value.strip() == "":
            continue
        value = value.strip()
        m = _LANG_SUFFIX.match(column)
        if m and m.group("key") in TEXT_FIELDS:
            texts.setdefault(m.group("key"), {})[m.group("lang")] = value
        elif column in TEXT_FIELDS:
            texts.setdefault(column, {})["*"] = value
        elif column in LIST_FIELDS:
            out[column] = _split(value)
        else:
            out[column] = value
    for key, by_lang in texts.items():
        plain = by_lang.pop("*", None)
        if plain is not None and by_lang:
            by_lang.setdefault(lang, plain)
        out[key] = by_lang or plain
    for key in ("waypoints", "via"):
        if key in out:
            out[key] = [parse_waypoint(w) for w in out[key]]
    site = {k[5:]: out.pop(k) for k in list(out) if k.startswith("site_")}
    if site:
        out["site"] = site
    agreement = {k[10:]: out.pop(k) for k in list(out) if k.startswith("agreement_")}
    if agreement:
        out["agreement"] = agreement
    amounts = out.pop("value_amount", None)
    currencies = out.pop("value_currency", None)
    if amounts is not None or currencies is not None:
        a, c = _split(amounts or ""), _split(currencies or "")
        out["value"] = [
            {"amount": a[i] if i < len(a) else None, "currency": c[i] if i < len(c) else None}
            for i in range(max(len(a), len(c)))
        ]
    return out


def _read(path: Path, problems: list[Problem]) -> list[tuple[int, dict[str, str]]]:
    """Rows with the line each ends on (a quoted field may span lines). Structural faults (a
    semicolon-delimited file, duplicate headers, rows longer than the header) are added to
    ``problems`` with the file and line."""
    name = path.name
    if path.is_dir():
        problems.append(Problem(name, "is a folder, not a CSV file", f"put a {name} file there"))
        return []
    try:
        with path.open(newline="", encoding="utf-8-sig") as f:
            reader = csv.reader(f)
            header = next(reader, [])
            rows = [(reader.line_num, row) for row in reader]
    except UnicodeDecodeError as exc:
        raise GeoError(f"{path}: not UTF-8 text ({exc.reason}); save it as UTF-8 CSV") from None
    except csv.Error as exc:
        raise GeoError(f"{path}: CSV error: {exc}") from None
    except OSError as exc:
        raise GeoError(f"{path}: cannot read: {exc.strerror or exc}") from None
    header = [h.strip() for h in header]
    if len(header) == 1 and ";" in header[0]:
        problems.append(
            Problem(
                f"{name}:1",
                "the header is one column separated by semicolons",
                "save the file with commas as the delimiter (CSV UTF-8, comma delimited)",
            )
        )
        return []
    seen: set[str] = set()
    for column in header:
        if column in seen and column:
            problems.append(
                Problem(f"{name}:1 {column}", "is a duplicate column", "keep one column of each")
            )
        seen.add(column)
    out: list[tuple[int, dict[str, str]]] = []
    for line, row in rows:
        if not any(cell.strip() for cell in row):
            continue  # a blank line, as spreadsheets leave at the end
        if len(row) > len(header):
            extra = [c for c in row[len(header) :] if c.strip()]
            if extra:
                problems.append(
                    Problem(
                        f"{name}:{line}",
                        f"has {len(row)} fields but the header has {len(header)}; "
                        f"{_preview(extra[0])} has no column",
                        "quote values that contain commas, or add a header for the column",
                    )
                )
                continue
        out.append((line, dict(zip(header, row, strict=False))))
    return out


def _preview(text: str, limit: int = 40) -> str:
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def read_csv_folder(folder: Path) -> tuple[dict[str, Any], dict[str, str]]:
    """Read a CSV folder into a raw trip and the origin (``file:line``) of every record."""
    if not (folder / "stops.csv").exists():
        raise GeoError(
            f"{folder}: no stops.csv; a CSV trip is a folder with trip.csv and stops.csv"
        )
    raw: dict[str, Any] = {}
    origins: dict[str, str] = {}
    problems: list[Problem] = []
    trip_rows = _read(folder / "trip.csv", problems) if (folder / "trip.csv").exists() else []
    for line, _ in trip_rows[1:]:
        problems.append(
            Problem(
                f"trip.csv:{line}",
                "trip.csv has one row of trip details; this is an extra row",
                "keep the header and one row",
            )
        )
    lang = (trip_rows[0][1].get("lang") or "en").strip() if trip_rows else "en"
    if trip_rows:
        trip = _row(trip_rows[0][1], lang)
        source = {k[7:]: trip.pop(k) for k in list(trip) if k.startswith("source_")}
        if source:
            trip["sources"] = [source]
        raw["trip"] = trip
        origins["trip"] = f"trip.csv:{trip_rows[0][0]}"
    for section in SECTIONS:
        path = folder / f"{section}.csv"
        if not path.exists():
            continue
        rows = _read(path, problems)
        raw[section] = [_row(r, lang) for _, r in rows]
        for i, (line, _) in enumerate(rows):
            origins[f"{section}[{i}]"] = f"{section}.csv:{line}"
    if problems:
        raise TripFormatError(str(folder), problems)
    return raw, origins
