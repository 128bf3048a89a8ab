"""Table layouts: which of a table's own columns give a flow's columns (docs/flows.md).

A flow table written for geo names its columns as the format does (``origin``, ``mode``, …). A
table from elsewhere keeps its own names: ``--columns origin_country=partnerISO,…`` says which
column gives which flow column, and a preset (``--preset comtrade``) says it for a layout many
tables share. The flow columns a layout gives are added to the output beside the table's own
columns, which are kept as they are.

The Comtrade preset reads a UN Comtrade download (``reporterISO``, ``partnerISO``, ``flowCode``,
``primaryValue``, ``motCode``, ``cmdCode``, ``refYear``, …):

- direction from ``flowCode``: an import (``M``, and re-imports ``RM``, …) runs from the partner
  to the reporter, an export (``X``, re-exports ``RX``, …) from the reporter to the partner;
- ``primaryValue`` is ``value_amount``, in ``USD`` (Comtrade's values are US dollars);
- ``motCode`` is the mode where it names one (air, sea, rail, road, pipeline), else unspecified;
- ``cmdDesc`` (else ``cmdCode``) is the goods; ``cmdCode``, ``refYear`` and the other codes stay
  text (HS codes have leading zeros: ``0101`` is not 101).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from geo import vocab
from geo.errors import GeoError, Problem
from geo.fields import FLOW_TABLE

if TYPE_CHECKING:
    from geo.schema import Checker

__all__ = [
    "COMTRADE_EXPORTS",
    "COMTRADE_IMPORTS",
    "COMTRADE_MODES",
    "PATH_COLUMNS",
    "PRESETS",
    "Layout",
    "layout",
    "mixed_levels",
    "parse_columns",
    "text_cell",
]

FLOW_COLUMNS = tuple(f.name for f in FLOW_TABLE)
# The flow columns that decide a flow's path; value, goods and date do not.
PATH_COLUMNS = tuple(c for c in FLOW_COLUMNS if c.startswith(("origin", "destination")))
PATH_COLUMNS += ("mode", "via", "avoid", "allow")
# The Comtrade columns that decide a flow's path.
COMTRADE_PATH = ("reporterISO", "partnerISO", "reporterDesc", "partnerDesc", "flowCode", "motCode")
# The flow columns a layout may give (the path-deciding lists are the format's own).
MAPPABLE = tuple(c for c in FLOW_COLUMNS if c not in ("via", "avoid", "allow"))

# Comtrade's flow codes (the trade flow classification of UN Comtrade): imports and
# re-imports, foreign imports, goods imported for or after processing; exports likewise.
COMTRADE_IMPORTS = frozenset({"M", "RM", "FM", "MIP", "MOP", "MIF"})
COMTRADE_EXPORTS = frozenset({"X", "RX", "DX", "XIP", "XOP", "XIF"})
# Comtrade's modes of transport (motCode) that name one of geo's modes; the others (0 all
# modes, 2200 inland waterway, 3000 land, 9000 other, 9100 fixed installations, 9120 power
# lines, 9200 post, 9300 self-propelled, 9900 unknown) are left unspecified.
COMTRADE_MODES = {
    "1000": "air",
    "2000": "sea",  # water: the sea, where Comtrade does not split it
    "2100": "sea",
    "3100": "rail",
    "3200": "road",
    "9110": "pipeline",
}
# Code columns kept as text whatever a Parquet file stores them as.
COMTRADE_TEXT = (
    "typeCode", "freqCode", "refPeriodId", "refYear", "refMonth", "period", "reporterCode",
    "reporterISO", "flowCode", "partnerCode", "partnerISO", "partner2Code", "partner2ISO",
    "classificationCode", "classificationSearchCode", "cmdCode", "customsCode", "mosCode",
    "motCode", "qtyUnitCode", "altQtyUnitCode",
)  # fmt: skip
COMTRADE_READ = ("cmdDesc", "cmdCode", "primaryValue")
COMTRADE_REQUIRED = ("reporterISO", "partnerISO", "flowCode", "primaryValue")
PRESETS = ("comtrade",)
# The flow columns the Comtrade preset gives.
_COMTRADE_GIVES = (
    "origin_country", "destination_country", "mode", "goods", "value_amount", "value_currency",
)  # fmt: skip


def parse_columns(text: str) -> tuple[tuple[str, str], ...]:
    """``origin_country=partnerISO,value_currency='USD'`` as (flow column, source) pairs; a
    source in quotes is a value for every row."""
    pairs: list[tuple[str, str]] = []
    for item in (s.strip() for s in text.split(",")):
        if not item:
            continue
        target, sep, source = (s.strip() for s in item.partition("="))
        if not sep or not target or not source:
            raise GeoError(
                f"--columns: {item[:80]!r} is not FLOW_COLUMN=TABLE_COLUMN; write for example "
                "--columns origin_country=partnerISO,value_amount=primaryValue"
            )
        if target not in MAPPABLE:
            import difflib

            close = difflib.get_close_matches(target, MAPPABLE, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise GeoError(
                f"--columns: {target[:80]!r} is not a flow column; {hint}the flow columns are "
                + ", ".join(MAPPABLE)
            )
        if any(t == target for t, _ in pairs):
            raise GeoError(f"--columns: {target!r} is given twice; keep one")
        pairs.append((target, source))
    if not pairs:
        raise GeoError("--columns: give at least one FLOW_COLUMN=TABLE_COLUMN")
    return tuple(pairs)


def _literal(source: str) -> str | None:
    if len(source) >= 2 and source[0] == source[-1] and source[0] in "'\"":
        return source[1:-1]
    return None


@dataclass(frozen=True)
class Layout:
    """How a table's columns give the flow columns, and what to do with aggregate rows.

    ``mapping`` pairs a flow column with a table column (or a quoted value for every row);
    ``preset`` is ``comtrade`` or None; with ``skip_aggregates``, a row naming an aggregate of
    trade statistics (``W00``, ``World``, ``Areas, nes``) is skipped and counted, not a problem.
    """

    mapping: tuple[tuple[str, str], ...] = ()
    preset: str | None = None
    skip_aggregates: bool = False
    ports: str | None = None  # a table of main ports that wins over the bundled one

    def port_table(self) -> Mapping[str, Any] | None:
        """The user's main ports by country (``--ports``), read once per process."""
        return _port_table(self.ports) if self.ports else None

    @property
    def plain(self) -> bool:
        """Whether the table's columns are the flow columns as they are."""
        return not self.mapping and self.preset is None

    def gives(self) -> tuple[str, ...]:
        """The flow columns this layout gives, in the format's order."""
        given = {t for t, _ in self.mapping}
        if self.preset == "comtrade":
            given |= set(_COMTRADE_GIVES)
        return tuple(c for c in FLOW_COLUMNS if c in given)

    def read_columns(self, columns: Sequence[str]) -> list[str]:
        """The table columns a row's check reads (the others are only copied to the output)."""
        keep = {c for c in FLOW_COLUMNS if c in columns}
        keep |= {s for _, s in self.mapping if s in columns}
        if self.preset == "comtrade":
            keep |= {c for c in (*COMTRADE_PATH, *COMTRADE_READ) if c in columns}
        return [c for c in columns if c in keep]

    def aggregate_columns(self, columns: Sequence[str]) -> tuple[str, ...]:
        """The table columns beyond the flow columns that :meth:`aggregate` reads."""
        if self.preset == "comtrade":
            names = ("reporterISO", "partnerISO", "reporterDesc", "partnerDesc")
            return tuple(c for c in names if c in columns)
        return ()

    def levels(self, columns: Mapping[str, Any]) -> frozenset[tuple[str, str]]:
        """The aggregation levels a partition's cells are at (``columns``: a :class:`Rows`'s
        columns), for :func:`mixed_levels`: Comtrade's motCode 0 (all modes) or single modes,
        and its HS codes by length (``TOTAL``, 2, 4, 6 digits)."""
        if self.preset != "comtrade":
            return frozenset()
        from geo.formats.flow_table import as_list

        out: set[tuple[str, str]] = set()
        if "motCode" in columns:
            for v in set(as_list(columns["motCode"])):
                t = text_cell(v)
                if t is not None:
                    out.add(("motCode", "0" if t == "0" else "modes"))
        if "cmdCode" in columns:
            for v in set(as_list(columns["cmdCode"])):
                t = text_cell(v)
                if t is not None:
                    out.add(("cmdCode", "TOTAL" if t.upper() == "TOTAL" else f"{len(t)} digits"))
        return frozenset(out)

    def path_columns(self, columns: Sequence[str]) -> tuple[str, ...]:
        """The table columns whose cells decide a flow's path."""
        keys = {c for c in PATH_COLUMNS if c in columns}
        keys |= {s for t, s in self.mapping if t in PATH_COLUMNS and s in columns}
        if self.preset == "comtrade":
            keys |= {c for c in COMTRADE_PATH if c in columns}
        return tuple(c for c in columns if c in keys)

    def text_columns(self, columns: Sequence[str]) -> frozenset[str]:
        """Table columns kept as text in the output."""
        if self.preset == "comtrade":
            return frozenset(c for c in COMTRADE_TEXT if c in columns)
        return frozenset()

    def output_columns(self, columns: Sequence[str]) -> list[str]:
        """The output's columns before geo's own: the table's, then those the layout gives."""
        return [*columns, *(c for c in self.gives() if c not in columns)]

    def problems(self, columns: Sequence[str], where: str) -> list[Problem]:
        """What is wrong with this layout for a table with these columns."""
        out = []
        have = set(columns)
        for target, source in self.mapping:
            if _literal(source) is None and source not in have:
                out.append(
                    Problem(
                        where,
                        f"--columns {target}={source[:80]}: no column {source[:80]!r}",
                        "give one of its columns: "
                        + ", ".join(list(columns)[:12])
                        + (", …" if len(columns) > 12 else ""),
                    )
                )
        if self.preset == "comtrade":
            missing = [c for c in COMTRADE_REQUIRED if c not in have]
            if missing:
                out.append(
                    Problem(
                        where,
                        "--preset comtrade: no column " + ", ".join(repr(c) for c in missing),
                        "give a table in the layout of a UN Comtrade download (reporterISO, "
                        "partnerISO, flowCode, primaryValue, …) or map its columns with --columns",
                    )
                )
        for c in self.gives():
            if c in have:
                out.append(
                    Problem(
                        where,
                        f"column {c!r} is in the table and given by the layout too",
                        "rename the table's column, or leave it out of --columns",
                    )
                )
        return out

    def cells(self, m: Mapping[str, Any], c: Checker, p: str) -> dict[str, Any]:
        """One row's flow cells from its table cells ``m`` (empty cells left out); problems
        (an unknown flow code) are added to ``c`` under the row's path ``p``."""
        if self.plain:
            return dict(m)
        out: dict[str, Any] = {k: m[k] for k in FLOW_COLUMNS if k in m}
        if self.preset == "comtrade":
            out.update(_comtrade(m, c, p))
        for target, source in self.mapping:
            value = _literal(source)
            out[target] = value if value is not None else m.get(source)
        return {k: v for k, v in out.items() if v is not None}

    def aggregate(self, m: Mapping[str, Any], flow: Mapping[str, Any]) -> tuple[str, Any] | None:
        """The column and cell naming an aggregate of trade statistics in a row, or None."""
        names: list[str] = []
        if self.preset == "comtrade":
            names += ["reporterISO", "partnerISO", "reporterDesc", "partnerDesc"]
        names += [f"{e}_country" for e in ("origin", "destination")]
        for k in names:
            v = m.get(k) if k in m else flow.get(k)
            if v is not None and isinstance(v, str | int) and vocab.aggregate(str(v)):
                return (k if k in m else _source(self, k)), v
        return None


@lru_cache(maxsize=4)
def _port_table(path: str) -> Mapping[str, Any]:
    from pathlib import Path

    from geo.ports import read_port_table

    return read_port_table(Path(path))


def _source(lay: Layout, target: str) -> str:
    """The table column that gives a flow column (for naming a problem's cell)."""
    for t, s in lay.mapping:
        if t == target:
            return s
    if lay.preset == "comtrade" and target in ("origin_country", "destination_country"):
        return "partnerISO"
    return target


def text_cell(value: Any) -> str | None:
    """A code cell as text: a Parquet integer year stays ``2023``, not ``2023.0``."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip() or None


def _comtrade(m: Mapping[str, Any], c: Checker, p: str) -> dict[str, Any]:
    from geo.schema import show

    out: dict[str, Any] = {}
    code = text_cell(m.get("flowCode"))
    reporter, partner = m.get("reporterISO"), m.get("partnerISO")
    if code is None:
        c.add(f"{p}.flowCode", "missing", "give M (import) or X (export)")
    elif code.upper() in COMTRADE_IMPORTS:
        out["origin_country"], out["destination_country"] = partner, reporter
    elif code.upper() in COMTRADE_EXPORTS:
        out["origin_country"], out["destination_country"] = reporter, partner
    else:
        c.add(
            f"{p}.flowCode",
            f"{show(m.get('flowCode'))} is not a flow code of trade statistics",
            "use M or X (imports: M, RM, FM, MIP, MOP; exports: X, RX, DX, XIP, XOP)",
        )
    mot = text_cell(m.get("motCode"))
    if mot is not None:
        out["mode"] = COMTRADE_MODES.get(mot)
    out["goods"] = text_cell(m.get("cmdDesc")) or text_cell(m.get("cmdCode"))
    if m.get("primaryValue") is not None:
        out["value_amount"] = m.get("primaryValue")
        out["value_currency"] = "USD"
    return out


def mixed_levels(levels: Iterable[tuple[str, str]]) -> str | None:
    """What summing rows at these levels would count twice, in words, or None."""
    levels = set(levels)
    parts = []
    if {("motCode", "0"), ("motCode", "modes")} <= levels:
        parts.append("motCode 0 (all modes) beside single modes")
    hs = sorted(v for c, v in levels if c == "cmdCode")
    if len(hs) > 1:
        parts.append(f"HS codes at {len(hs)} levels ({', '.join(hs)})")
    if not parts:
        return None
    return (
        f"the table has {' and '.join(parts)}: a sum over them (--by, the trade map) counts the "
        "same trade more than once; keep one level (filter the table) before summing"
    )


def layout(
    columns: str | None = None,
    preset: str | None = None,
    skip_aggregates: bool = False,
    ports: str | None = None,
) -> Layout:
    """A layout from the command line's ``--columns``, ``--preset``, ``--skip-aggregates`` and
    ``--ports``."""
    if preset is not None and preset not in PRESETS:
        raise GeoError(
            f"--preset {preset[:40]!r} is not a preset; use one of: " + ", ".join(PRESETS)
        )
    mapping = parse_columns(columns) if columns else ()
    if ports is not None:
        _port_table(ports)  # its problems now, before any partition
    return Layout(mapping, preset, skip_aggregates, ports)
