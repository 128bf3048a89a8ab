"""The bundled dataset says what its source says."""

from __future__ import annotations

import re

import pytest
import yaml

import geo
from tests.conftest import SHARED

ARTICLE = SHARED / "seed" / "000_8c828a580b4acd51.txt"


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def raw():
    return yaml.safe_load(geo.bundled_trip().read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def article():
    if not ARTICLE.exists():
        pytest.skip("the seed article lives in ../shared, beside the checkout; not present here")
    return _norm(ARTICLE.read_text(encoding="utf-8"))


def _sources(raw):
    for section in ("deals", "resources", "routes"):
        for i, rec in enumerate(raw.get(section) or []):
            yield f"{section}[{i}]", rec


def test_every_record_has_a_source_quote(raw):
    missing = [where for where, rec in _sources(raw) if not rec.get("source")]
    assert not missing


def test_every_quote_is_in_the_article(raw, article):
    bad = [where for where, rec in _sources(raw) if _norm(rec["source"]) not in article]
    assert not bad


def test_every_reported_value_is_in_its_quote_or_article(raw, article):
    # 200 million dollars -> "200 million dollar", 270 billion won, 6 billion dollars ...
    words = {1e6: "million", 1e9: "billion", 1e12: "trillion"}
    for where, rec in _sources(raw):
        for v in rec.get("value") or []:
            amount = float(v["amount"])
            scale = max(s for s in words if amount >= s)
            number = f"{amount / scale:g} {words[scale]}"
            if v["currency"] == "KRW" and scale == 1e9 and amount >= 1e12:
                number = f"{amount / 1e12:g} trillion"
            assert number in article, (where, number)


def test_bilingual_labels(bundled):
    for name, frame in bundled.layers().items():
        for col in frame.columns:
            if col.endswith("_ko") and col.rsplit("_", 1)[0] + "_en" in frame:
                en = frame[col.rsplit("_", 1)[0] + "_en"]
                ko = frame[col]
                for a, b in zip(en, ko, strict=True):
                    if isinstance(a, str) and a and any(c.isalpha() for c in a):
                        assert isinstance(b, str) and b, (name, col, a)


def test_itinerary(bundled):
    assert list(bundled.stops["country"]) == ["KR", "TM", "KZ", "UZ", "UZ", "KR"]
    assert bundled.meta.id == "k-silk-road-2024"


def test_region_commodities_with_their_quotes(raw, bundled, article):
    by_commodity = {
        c: rec for rec in raw["resources"] for c in rec["commodities"] if "country" not in rec
    }
    for commodity in ("tungsten", "uranium", "crude oil", "natural gas", "lithium", "molybdenum"):
        assert commodity in by_commodity, commodity
    assert "tungsten (semiconductor materials)" in by_commodity["tungsten"]["source"]
    assert "uranium (nuclear fuel)" in by_commodity["uranium"]["source"]
    assert _norm(by_commodity["uranium"]["source"]) in article
    # The region's record shades every member; the statement's record the three countries.
    r = bundled.resources
    region = r[r["region"] == "central-asia"]
    assert sorted(region["country"]) == ["KG", "KZ", "TJ", "TM", "UZ"]
    tungsten = r[[("tungsten" in cs) for cs in r["commodities"]]]
    assert sorted(tungsten["country"]) == ["KZ", "TM", "UZ"]
