"""Each country's main sea port: where a sea flow that names a country alone starts or ends.

The bundled table ``data/gazetteer/main-ports.tsv`` is derived from Natural Earth's 1:10m ports
by ``scripts/build_ports.py`` (its docstring gives the rules). A row's ``basis`` is ``own`` when
the port is the country's own, ``foreign`` when the country has no usable port and trades
through another country's (Mongolia through Tianjin), and ``override`` for a port given by a
user's table (:func:`read_port_table`), which :func:`main_port` consults first.
"""

from __future__ import annotations

import codecs
import csv
import io
import math
import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from geo import vocab
from geo._data import data_path
from geo.errors import Problem, TripFormatError

__all__ = ["COLUMNS", "MAX_NAME", "Port", "main_port", "read_port_table"]

COLUMNS = ("country", "port", "lat", "lon")
"""The columns of an override table, in the order its header lists them."""
MAX_NAME = 100
"""The longest port name an override table may give, in characters."""

# A port name is plain text: no control characters, and none of the characters markup and
# templates are written with (no port is named "<b>" or "{{x}}").
_NOT_PLAIN = re.compile(r"[\x00-\x1f\x7f-\x9f<>{}]")
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_FIX_HEADER = "the first line is the header country,port,lat,lon"


class Port(NamedTuple):
    """A country's main port: alpha-2 code, name, position and where the choice came from."""

    country: str
    name: str
    lat: float
    lon: float
    basis: str


@lru_cache(maxsize=1)
def _bundled() -> dict[str, Port]:
    """The bundled table, read once per process."""
    lines = data_path("gazetteer/main-ports.tsv").read_text(encoding="utf-8").splitlines()
    out = {}
    for line in lines[1:]:
        country, name, lat, lon, _, basis = line.split("\t")
        out[country] = Port(country, name, float(lat), float(lon), basis)
    return out


def main_port(country: str, overrides: Mapping[str, Port] | None = None) -> Port | None:
    """The main sea port of a country.

    Parameters
    ----------
    country : str
        ISO 3166-1 alpha-2 or alpha-3 code or English name (``KR``, ``KOR``, ``South Korea``).
    overrides : mapping of str to Port, optional
        Ports by alpha-2 code that win over the bundled table, as :func:`read_port_table`
        returns them.

    Returns
    -------
    Port or None
        None for an unknown country, or one without a row (Antarctica).
    """
    code = vocab.any_country_code(country)
    if code is None:
        return None
    if overrides is not None and code in overrides:
        return overrides[code]
    return _bundled().get(code)


def read_port_table(path: Path) -> dict[str, Port]:
    """A user's main ports: a UTF-8 CSV file with the header ``country,port,lat,lon``.

    ``country`` is an ISO 3166-1 alpha-2 or alpha-3 code or an English name, ``lat`` and
    ``lon`` are decimal degrees (WGS84). Other columns and blank lines are ignored.

    Parameters
    ----------
    path : Path
        The CSV file.

    Returns
    -------
    dict of str to Port
        By alpha-2 code; every port's ``basis`` is ``override``.

    Raises
    ------
    TripFormatError
        With every problem found, each naming the file and line (1 is the header).
    """
    text = _text(path)
    problems: list[Problem] = []
    out: dict[str, Port] = {}
    first_line: dict[str, int] = {}
    rows = _rows(text, path.name, problems)
    header = [cell.strip().lower() for cell in rows[0][1]] if rows else []
    missing = [c for c in COLUMNS if c not in header]
    doubled = sorted({c for c in COLUMNS if header.count(c) > 1})
    if doubled:
        message = f"column{'s' if len(doubled) > 1 else ''} {', '.join(doubled)} given twice"
        problems.append(Problem(f"{path.name}:1", message, "keep one column of each"))
    if missing:
        found = f"; found {_show(','.join(header))}" if header else ""
        message = f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}{found}"
        problems.append(Problem(f"{path.name}:1", message, _FIX_HEADER))
        rows = []
    for line, cells in rows[1:]:
        if not any(cell.strip() for cell in cells):
            continue
        where = f"{path.name}:{line}"
        port = _port(dict(zip(header, cells, strict=False)), where, problems)
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
            message = f"has {len(cells)} fields but the header has {len(header)}"
            problems.append(Problem(where, message, "quote a value that contains a comma"))
        elif port is not None and port.country in first_line:
            first = first_line[port.country]
            message = f"country {port.country} is given again (first on line {first})"
            problems.append(Problem(where, message, "keep one row a country"))
        elif port is not None:
            out[port.country], first_line[port.country] = port, line
    if problems:
        raise TripFormatError(str(path), problems)
    return out


def _text(path: Path) -> str:
    """The file's text, without a byte-order mark; unreadable or non-UTF-8 files raise."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        problem = Problem(path.name, f"cannot be read ({reason})", "give the path of a CSV file")
        raise TripFormatError(str(path), [problem]) from None
    bom = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        return data[bom:].decode("utf-8")
    except UnicodeDecodeError as exc:
        start = bom + exc.start
        line = data.count(b"\n", 0, start) + 1
        problem = Problem(
            f"{path.name}:{line}",
            f"is not UTF-8 text ({exc.reason} at byte {start})",
            "save the table as CSV UTF-8",
        )
        raise TripFormatError(str(path), [problem]) from None


def _rows(text: str, name: str, problems: list[Problem]) -> list[tuple[int, list[str]]]:
    """The CSV rows with the line each starts on; a CSV syntax error ends the table."""
    reader = csv.reader(io.StringIO(text, newline=""))
    out: list[tuple[int, list[str]]] = []
    while True:
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return out
        except csv.Error as exc:
            problems.append(Problem(f"{name}:{line}", f"is not valid CSV ({exc})", "re-save it"))
            return out
        out.append((line, cells))


def _port(cells: Mapping[str, str | None], where: str, problems: list[Problem]) -> Port | None:
    """One row's port, or None after adding its problems."""
    before = len(problems)
    given = (cells.get("country") or "").strip()
    code = vocab.any_country_code(given) if given else None
    if not given:
        problems.append(Problem(where, "country is missing", "give an ISO 3166-1 code"))
    elif code is None:
        fix = vocab.country_suggestion(given) if len(given) <= 100 else "give an ISO code"
        problems.append(Problem(where, f"country {_show(given)} is not a known country", fix))
    name = " ".join((cells.get("port") or "").split())
    if not name:
        problems.append(Problem(where, "port is missing", "give the port's name"))
    elif len(name) > MAX_NAME or _NOT_PLAIN.search(name):
        what = f"is {len(name):,} characters long" if len(name) > MAX_NAME else "is not plain text"
        fix = f"give a name of at most {MAX_NAME} characters without < > {{ }}"
        problems.append(Problem(where, f"port {_show(name)} {what}", fix))
    lat = _degrees(cells.get("lat"), "lat", 90.0, where, problems)
    lon = _degrees(cells.get("lon"), "lon", 180.0, where, problems)
    if len(problems) > before or code is None or lat is None or lon is None:
        return None
    return Port(code, name, lat, lon, "override")


def _degrees(
    cell: str | None, column: str, limit: float, where: str, problems: list[Problem]
) -> float | None:
    """A latitude or longitude in [-limit, limit], or None after adding a problem."""
    text = (cell or "").strip()
    fix = f"give {column} in decimal degrees between -{limit:g} and {limit:g}"
    if not text:
        problems.append(Problem(where, f"{column} is missing", fix))
        return None
    # float() would also take "nan", "1_000" and "٣٥"; a table writes plain decimals.
    value = float(text) if _DECIMAL.fullmatch(text) else math.nan
    if not math.isfinite(value):
        problems.append(Problem(where, f"{column} {_show(text)} is not a number", fix))
        return None
    if abs(value) > limit:
        problems.append(Problem(where, f"{column} {_show(text)} is out of range", fix))
        return None
    return value


def _show(value: str) -> str:
    # The trip checker's way of quoting a value in a message: a repr, cut to a preview.
    from geo.schema import show

    return show(value)
