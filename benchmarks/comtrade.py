"""A deterministic table in the layout of a UN Comtrade+ download (goods, annual, HS 2022).

The same rows, seed and format give byte-identical files: every value comes from
``numpy.random.default_rng(seed)``, drawn chunk by chunk in a fixed order, so a table of a
million rows is written in chunks of :data:`CHUNK` rows with bounded memory.

What is real and what is synthetic
----------------------------------
Real (Comtrade+ API and bulk-download field names and code lists):

- The 36 columns of :data:`COLUMNS`, their names, order and types (``cmdCode`` is text,
  ``reporterCode`` an integer, ``fobvalue`` / ``cifvalue`` empty on the side a flow does not
  report).
- The fixed fields of an annual record: ``typeCode`` C, ``freqCode`` A, ``refPeriodId``
  YYYY0101, ``refMonth`` 52, ``period`` YYYY, ``classificationCode`` H6, ``customsCode`` C00,
  ``mosCode`` 0, ``partner2Code`` 0 / W00 / World.
- Country codes: Comtrade's numeric codes (ISO 3166-1 numeric, except USA 842, France 251,
  Italy 381, Norway 579, India 699 and Switzerland 757), ISO alpha-3 from ``pycountry``, and
  Comtrade's short names where they differ from ISO's (:data:`COMTRADE_NAMES`). The partner
  aggregates World (0, W00) and Areas, nes (899; its alpha-3 ``_X`` is not confirmed).
- ``flowCode`` / ``flowDesc``: M Import, X Export, RM Re-import, RX Re-export.
- ``motCode`` / ``motDesc``: the mode-of-transport list of IMTS 2010 in Comtrade's four-digit
  codes (0 TOTAL MOT, 1000 Air, 2100 Sea, ..., 9110 Pipelines, 9900 Other).
- ``cmdCode``: HS codes as text with their leading zeros ("01", "0901", "270900") and TOTAL;
  ``aggrLevel`` is the code's length (0 for TOTAL), ``isLeaf`` true at six digits;
  ``qtyUnitCode`` / ``qtyUnitAbbr`` from Comtrade's units (-1 N/A, 5 u, 8 kg).

Synthetic: which rows exist and every number in them. About 70 trading countries; each row
draws a reporter, a flow, a year (2019-2023), a commodity, a mode (no sea for landlocked
reporters, no land modes for islands, pipelines for oil and gas only) and a partner (by land
only within the reporter's land group, by sea only a coastal one); 2 % of rows have the World
as partner and 0.5 % Areas, nes.
``primaryValue`` is log-normal in USD (heavy-tailed; 40 % with three decimals), equal to
``cifvalue`` for imports and ``fobvalue`` for exports; weights and quantities follow from a unit
value per commodity. ``isAggregate`` is true for totals (TOTAL, motCode 0, the World),
``isReported`` true for 85 % of rows, drawn at random. Rows are independent draws: a motCode 0
row is not the sum of the other modes, nor a chapter the sum of its headings.
``cmdDesc`` are Comtrade-style descriptions, some shortened.

Run as ``python benchmarks/comtrade.py ROWS OUT.csv [--parquet] [--seed S]``.
"""

from __future__ import annotations

import argparse
import csv
import functools
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pycountry

SEED = 7
CHUNK = 100_000
YEARS = (2019, 2020, 2021, 2022, 2023)

COLUMNS = (
    "typeCode", "freqCode", "refPeriodId", "refYear", "refMonth", "period", "reporterCode",
    "reporterISO", "reporterDesc", "flowCode", "flowDesc", "partnerCode", "partnerISO",
    "partnerDesc", "partner2Code", "partner2ISO", "partner2Desc", "classificationCode",
    "cmdCode", "cmdDesc", "aggrLevel", "isLeaf", "customsCode", "mosCode", "motCode", "motDesc",
    "qtyUnitCode", "qtyUnitAbbr", "qty", "netWgt", "grossWgt", "cifvalue", "fobvalue",
    "primaryValue", "isReported", "isAggregate",
)  # fmt: skip

# (ISO alpha-2, land group): partners by road, rail, inland waterway or pipeline are drawn
# within the group; "" is a country no other in the list reaches by land.
COUNTRIES = (
    ("KR", ""), ("CN", "asia"), ("JP", ""), ("MN", "asia"), ("HK", "asia"), ("SG", "asia"),
    ("VN", "asia"), ("TH", "asia"), ("MY", "asia"), ("ID", ""), ("PH", ""), ("LA", "asia"),
    ("IN", "asia"), ("PK", "asia"), ("BD", "asia"), ("LK", ""), ("NP", "asia"), ("KZ", "asia"),
    ("UZ", "asia"), ("TM", "asia"), ("KG", "asia"), ("TJ", "asia"), ("RU", "asia"),
    ("SA", "west"), ("AE", "west"), ("QA", "west"), ("KW", "west"), ("IR", "west"),
    ("IQ", "west"), ("TR", "west"), ("IL", "west"), ("OM", "west"), ("DE", "west"),
    ("NL", "west"), ("BE", "west"), ("FR", "west"), ("IT", "west"), ("ES", "west"),
    ("GB", "west"), ("PL", "west"), ("CH", "west"), ("AT", "west"), ("CZ", "west"),
    ("HU", "west"), ("SE", "west"), ("NO", "west"), ("UA", "west"), ("GR", "west"),
    ("PT", "west"), ("ZA", "africa"), ("NG", "africa"), ("EG", "africa"), ("KE", "africa"),
    ("MA", "africa"), ("ET", "africa"), ("ZM", "africa"), ("GH", "africa"), ("AO", "africa"),
    ("US", "north"), ("CA", "north"), ("MX", "north"), ("BR", "south"), ("AR", "south"),
    ("CL", "south"), ("PE", "south"), ("CO", "south"), ("BO", "south"), ("PY", "south"),
    ("AU", ""), ("NZ", ""),
)  # fmt: skip
LANDLOCKED = frozenset(
    {"MN", "LA", "NP", "KZ", "UZ", "TM", "KG", "TJ", "CH", "AT", "CZ", "HU", "ET", "ZM", "BO", "PY"}
)
# Comtrade's numeric codes that are not the ISO 3166-1 numeric ones.
COMTRADE_CODES = {"US": 842, "FR": 251, "IT": 381, "NO": 579, "IN": 699, "CH": 757}
# Comtrade's short names where they differ from pycountry's.
COMTRADE_NAMES = {
    "US": "USA", "KR": "Rep. of Korea", "HK": "China, Hong Kong SAR", "IR": "Iran",
    "LA": "Lao People's Dem. Rep.", "BO": "Bolivia (Plurinational State of)",
}  # fmt: skip
# (partnerCode, partnerISO, partnerDesc, share of rows)
AGGREGATES = ((0, "W00", "World", 0.02), (899, "_X", "Areas, nes", 0.005))

FLOWS = (("M", "Import", 0.45), ("X", "Export", 0.45), ("RM", "Re-import", 0.04),
         ("RX", "Re-export", 0.06))  # fmt: skip
# (motCode, motDesc, share, kind): kind "sea" needs two coastal countries, "land" one group.
MODES = (
    (0, "TOTAL MOT", 0.30, "any"), (1000, "Air", 0.12, "any"), (2000, "Water", 0.03, "sea"),
    (2100, "Sea", 0.30, "sea"), (2200, "Inland waterway", 0.02, "land"),
    (3000, "Land", 0.03, "land"), (3100, "Railway", 0.05, "land"), (3200, "Road", 0.08, "land"),
    (9000, "Not elsewhere classified", 0.02, "any"), (9110, "Pipelines", 0.02, "land"),
    (9900, "Other", 0.03, "any"),
)  # fmt: skip
# (cmdCode, cmdDesc, qtyUnitCode, USD per kg, kg per unit); unit 5 is "u", 8 "kg", -1 "N/A".
COMMODITIES = (
    ("TOTAL", "All Commodities", -1, 3.0, 1.0),
    ("01", "Animals; live", -1, 4.0, 1.0),
    ("0101", "Horses, asses, mules and hinnies; live", 5, 12.0, 450.0),
    ("02", "Meat and edible meat offal", -1, 5.0, 1.0),
    ("0201", "Meat of bovine animals; fresh or chilled", 8, 7.5, 1.0),
    ("03", "Fish and crustaceans, molluscs and other aquatic invertebrates", -1, 6.0, 1.0),
    ("0306", "Crustaceans; in shell or not, live, fresh, chilled, frozen, dried, salted", 8,
     9.0, 1.0),
    ("030617", "Crustaceans; frozen, shrimps and prawns (excluding cold-water)", 8, 8.5, 1.0),
    ("04", "Dairy produce; birds' eggs; natural honey", -1, 3.5, 1.0),
    ("0402", "Milk and cream; concentrated or containing added sugar or sweetening matter", 8,
     3.2, 1.0),
    ("08", "Fruit and nuts, edible; peel of citrus fruit or melons", -1, 1.8, 1.0),
    ("0803", "Bananas, including plantains; fresh or dried", 8, 0.8, 1.0),
    ("09", "Coffee, tea, mate and spices", -1, 4.5, 1.0),
    ("0901", "Coffee, whether or not roasted or decaffeinated", 8, 4.8, 1.0),
    ("090111", "Coffee; not roasted, not decaffeinated", 8, 4.0, 1.0),
    ("10", "Cereals", -1, 0.3, 1.0),
    ("1001", "Wheat and meslin", 8, 0.28, 1.0),
    ("1005", "Maize (corn)", 8, 0.25, 1.0),
    ("1201", "Soya beans; whether or not broken", 8, 0.5, 1.0),
    ("26", "Ores, slag and ash", -1, 0.3, 1.0),
    ("2601", "Iron ores and concentrates; including roasted iron pyrites", 8, 0.12, 1.0),
    ("260111", "Iron ores and concentrates; non-agglomerated", 8, 0.11, 1.0),
    ("27", "Mineral fuels, mineral oils and products of their distillation; bituminous "
     "substances; mineral waxes", -1, 0.6, 1.0),
    ("2709", "Petroleum oils and oils obtained from bituminous minerals; crude", 8, 0.55, 1.0),
    ("270900", "Petroleum oils and oils obtained from bituminous minerals; crude", 8, 0.55,
     1.0),
    ("2711", "Petroleum gases and other gaseous hydrocarbons", 8, 0.6, 1.0),
    ("271111", "Petroleum gases; liquefied, natural gas", 8, 0.6, 1.0),
    ("30", "Pharmaceutical products", -1, 60.0, 1.0),
    ("3004", "Medicaments; consisting of mixed or unmixed products, in measured doses", 8,
     80.0, 1.0),
    ("71", "Natural, cultured pearls; precious, semi-precious stones; precious metals",
     -1, 900.0, 1.0),
    ("7108", "Gold (including gold plated with platinum) unwrought or in semi-manufactured "
     "forms, or in powder form", 8, 60000.0, 1.0),
    ("74", "Copper and articles thereof", -1, 9.0, 1.0),
    ("7403", "Copper; refined and copper alloys, unwrought", 8, 8.5, 1.0),
    ("84", "Nuclear reactors, boilers, machinery and mechanical appliances; parts thereof",
     -1, 25.0, 1.0),
    ("8471", "Automatic data processing machines and units thereof", 5, 60.0, 6.0),
    ("85", "Electrical machinery and equipment and parts thereof", -1, 40.0, 1.0),
    ("8517", "Telephone sets, including smartphones and other telephones for cellular "
     "networks or for other wireless networks", 5, 120.0, 0.25),
    ("8542", "Electronic integrated circuits", 5, 1500.0, 0.002),
    ("854231", "Electronic integrated circuits; processors and controllers", 5, 2500.0, 0.002),
    ("87", "Vehicles; other than railway or tramway rolling stock, and parts and accessories "
     "thereof", -1, 12.0, 1.0),
    ("8703", "Motor cars and other motor vehicles; principally designed for the transport of "
     "persons", 5, 18.0, 1500.0),
    ("870380", "Vehicles; with only electric motor for propulsion", 5, 25.0, 1900.0),
)  # fmt: skip
UNITS = {-1: "N/A", 5: "u", 8: "kg"}
# What goes by pipeline.
PIPED = frozenset({"TOTAL", "27", "2709", "270900", "2711"})


@functools.cache
def _countries() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Comtrade numeric code, ISO alpha-3 and Comtrade name of each of :data:`COUNTRIES`."""
    codes, iso3, names = [], [], []
    for a2, _ in COUNTRIES:
        c = pycountry.countries.get(alpha_2=a2)
        codes.append(COMTRADE_CODES.get(a2, int(c.numeric)))
        iso3.append(c.alpha_3)
        names.append(COMTRADE_NAMES.get(a2, c.name))
    return np.array(codes), np.array(iso3, dtype=object), np.array(names, dtype=object)


def _pick(rng: np.random.Generator, weights: np.ndarray, k: int) -> np.ndarray:
    """``k`` indices drawn with ``weights`` (one row of weights, or one row per draw)."""
    cum = np.cumsum(weights, axis=-1)
    u = rng.random(k) * cum[..., -1]
    if cum.ndim == 1:
        return np.searchsorted(cum, u, side="right")
    return (u[:, None] >= cum).sum(axis=1)


def _partners(rng: np.random.Generator, reporter: np.ndarray, pool: np.ndarray) -> np.ndarray:
    """A partner from ``pool`` (country indices) for each reporter in it, never itself."""
    pos = np.searchsorted(pool, reporter)
    k = rng.integers(0, len(pool) - 1, len(reporter))
    return pool[k + (k >= pos)]


def _chunk(rng: np.random.Generator, k: int) -> dict[str, np.ndarray]:
    """Index and value arrays of ``k`` rows: the draws, in a fixed order."""
    n = len(COUNTRIES)
    group = np.array([g for _, g in COUNTRIES], dtype=object)
    landlocked = np.array([a2 in LANDLOCKED for a2, _ in COUNTRIES])
    kinds = np.array([m[3] for m in MODES], dtype=object)
    share = np.array([m[2] for m in MODES])
    weights = np.tile(share, (n, 1))
    weights[landlocked[:, None] & (kinds == "sea")[None, :]] = 0.0
    weights[(group == "")[:, None] & (kinds == "land")[None, :]] = 0.0

    rep = rng.integers(0, n, k)
    flow = _pick(rng, np.array([f[2] for f in FLOWS]), k)
    year = rng.integers(0, len(YEARS), k)
    cmd = np.where(rng.random(k) < 0.05, 0, rng.integers(1, len(COMMODITIES), k))
    w = weights[rep]
    piped = np.array([c[0] in PIPED for c in COMMODITIES])
    w[~piped[cmd], [m[0] for m in MODES].index(9110)] = 0.0
    mot = _pick(rng, w, k)
    par = np.empty(k, dtype=np.int64)
    kind = kinds[mot]
    for name, pool in [("any", np.arange(n)), ("sea", np.flatnonzero(~landlocked))]:
        rows = np.flatnonzero(kind == name)
        par[rows] = _partners(rng, rep[rows], pool)
    rows_land = np.flatnonzero(kind == "land")
    for g in sorted(set(group[rep[rows_land]])):
        rows = rows_land[group[rep[rows_land]] == g]
        par[rows] = _partners(rng, rep[rows], np.flatnonzero(group == g))
    u = rng.random(k)
    for i, (*_, p) in enumerate(AGGREGATES):
        lo = sum(a[3] for a in AGGREGATES[:i])
        par[(u >= lo) & (u < lo + p)] = n + i

    level = np.array([0 if c == "TOTAL" else len(c) for c, *_ in COMMODITIES])
    usd_kg = np.array([c[3] for c in COMMODITIES])
    kg_unit = np.array([c[4] for c in COMMODITIES])
    unit = np.array([c[2] for c in COMMODITIES])
    scale = np.where(level[cmd] == 0, 30.0, np.where(level[cmd] == 2, 4.0, 1.0))
    value = np.maximum(rng.lognormal(12.5, 2.4, k) * scale, 1.0)
    cents = rng.random(k) < 0.4
    value = np.where(cents, np.round(value, 3), np.round(value))
    net = np.round(value / (usd_kg[cmd] * rng.lognormal(0.0, 0.3, k)))
    net[level[cmd] == 0] = 0.0
    qty = np.where(unit[cmd] == 8, net, np.maximum(np.round(net / kg_unit[cmd]), 1.0))
    qty[unit[cmd] == -1] = 0.0
    gross = np.where(rng.random(k) < 0.3, np.round(net * rng.uniform(1.02, 1.15, k)), 0.0)
    reported = rng.random(k) < 0.85
    imports = np.isin(flow, [0, 2])
    return {
        "rep": rep, "par": par, "flow": flow, "year": year, "cmd": cmd, "mot": mot,
        "qty": qty, "net": net, "gross": gross, "value": value, "imports": imports,
        "reported": reported,
        "aggregate": (cmd == 0) | (mot == 0) | (par == n),
    }  # fmt: skip


def _columns(d: dict[str, np.ndarray], text: bool) -> dict[str, object]:
    """The :data:`COLUMNS` of one chunk: Python strings for CSV, typed arrays for Parquet."""
    codes, iso3, names = _countries()
    p_codes = np.r_[codes, [a[0] for a in AGGREGATES]]
    p_iso = np.r_[iso3, np.array([a[1] for a in AGGREGATES], dtype=object)]
    p_names = np.r_[names, np.array([a[2] for a in AGGREGATES], dtype=object)]
    years = np.array(YEARS)
    cmd, k = d["cmd"], len(d["cmd"])
    level = np.array([0 if c == "TOTAL" else len(c) for c, *_ in COMMODITIES])[cmd]
    unit = np.array([c[2] for c in COMMODITIES])[cmd]
    nan = np.full(k, np.nan)
    cols: dict[str, np.ndarray] = {
        "typeCode": np.full(k, "C", dtype=object),
        "freqCode": np.full(k, "A", dtype=object),
        "refPeriodId": years[d["year"]] * 10_000 + 101,
        "refYear": years[d["year"]],
        "refMonth": np.full(k, 52),
        "period": years[d["year"]].astype(str).astype(object),
        "reporterCode": codes[d["rep"]],
        "reporterISO": iso3[d["rep"]],
        "reporterDesc": names[d["rep"]],
        "flowCode": np.array([f[0] for f in FLOWS], dtype=object)[d["flow"]],
        "flowDesc": np.array([f[1] for f in FLOWS], dtype=object)[d["flow"]],
        "partnerCode": p_codes[d["par"]],
        "partnerISO": p_iso[d["par"]],
        "partnerDesc": p_names[d["par"]],
        "partner2Code": np.zeros(k, dtype=np.int64),
        "partner2ISO": np.full(k, "W00", dtype=object),
        "partner2Desc": np.full(k, "World", dtype=object),
        "classificationCode": np.full(k, "H6", dtype=object),
        "cmdCode": np.array([c[0] for c in COMMODITIES], dtype=object)[cmd],
        "cmdDesc": np.array([c[1] for c in COMMODITIES], dtype=object)[cmd],
        "aggrLevel": level,
        "isLeaf": level == 6,
        "customsCode": np.full(k, "C00", dtype=object),
        "mosCode": np.full(k, "0", dtype=object),
        "motCode": np.array([m[0] for m in MODES])[d["mot"]],
        "motDesc": np.array([m[1] for m in MODES], dtype=object)[d["mot"]],
        "qtyUnitCode": unit,
        "qtyUnitAbbr": np.array([UNITS[u] for u in unit], dtype=object),
        "qty": d["qty"],
        "netWgt": d["net"],
        "grossWgt": d["gross"],
        "cifvalue": np.where(d["imports"], d["value"], nan),
        "fobvalue": np.where(d["imports"], nan, d["value"]),
        "primaryValue": d["value"],
        "isReported": d["reported"],
        "isAggregate": d["aggregate"],
    }
    if not text:
        return dict(cols)
    out: dict[str, object] = {}
    for name, arr in cols.items():
        if arr.dtype == bool:
            out[name] = np.where(arr, "True", "False").tolist()
        elif arr.dtype.kind == "f":
            out[name] = [_number(v) for v in arr.tolist()]
        else:
            out[name] = arr.tolist()
    return out


def _number(v: float) -> str:
    """A value as Comtrade's files write it: no trailing zeros, empty when missing."""
    if v != v:
        return ""
    if v == int(v):
        return str(int(v))
    return f"{v:.3f}".rstrip("0")


def chunks(rows: int, seed: int = SEED, text: bool = True) -> Iterator[dict[str, object]]:
    """The table's columns, :data:`CHUNK` rows at a time."""
    rng = np.random.default_rng(seed)
    for start in range(0, rows, CHUNK) or range(1):  # an empty table still has its columns
        yield _columns(_chunk(rng, min(CHUNK, rows - start)), text)


def write_comtrade(path: Path, rows: int, seed: int = SEED, parquet: bool = False) -> Path:
    """Write ``rows`` rows to ``path`` as CSV (or Parquet) and return the path.

    Parameters
    ----------
    path
        The file to write; its folder is created.
    rows
        How many rows.
    seed
        Seed of ``numpy.random.default_rng``: the same ``rows`` and ``seed`` give the same bytes.
    parquet
        Write Parquet (one row group per :data:`CHUNK` rows, zstd) instead of CSV.

    Returns
    -------
    Path
        ``path``.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    if parquet:
        import pyarrow as pa
        import pyarrow.parquet as pq

        writer = None
        for cols in chunks(rows, seed, text=False):
            table = pa.table({k: pa.array(v, from_pandas=True) for k, v in cols.items()})
            if writer is None:
                writer = pq.ParquetWriter(path, table.schema, compression="zstd")
            writer.write_table(table)
            del cols, table
        if writer is not None:
            writer.close()
        return path
    with path.open("w", newline="", encoding="utf-8") as f:
        writer_csv = csv.writer(f, lineterminator="\n")
        writer_csv.writerow(COLUMNS)
        for cols in chunks(rows, seed, text=True):
            writer_csv.writerows(zip(*(cols[c] for c in COLUMNS), strict=True))
            del cols  # before the next chunk is drawn, or two are alive at once
    return path


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--parquet", action="store_true", help="write Parquet instead of CSV")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    print(write_comtrade(args.out, args.rows, args.seed, args.parquet))
