"""The model: GeoDataFrames, their columns, and YAML and CSV giving the same trip."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from pyproj import Geod

import geo
from tests.conftest import DATA

GEOD = Geod(ellps="WGS84")


def test_bundled_stops(bundled):
    s = bundled.stops
    assert list(s["label_en"]) == ["Seongnam", "Ashgabat", "Astana", "Tashkent", "Samarkand",
                                   "Seongnam"]  # fmt: skip
    assert list(s["country"]) == ["KR", "TM", "KZ", "UZ", "UZ", "KR"]
    days = [d for col in ("arrive_date", "depart_date") for d in s[col] if d is not None]
    assert days and all(d.year == 2024 and d.month == 6 and 10 <= d.day <= 16 for d in days)
    assert s.loc[0, "depart_date"] == dt.date(2024, 6, 10)
    assert s.loc[5, "arrive_date"] == dt.date(2024, 6, 16)
    assert str(s.crs) == "EPSG:4326"
    assert set(s.geometry.geom_type) == {"Point"}


def test_bundled_legs_are_exact_geodesics(bundled):
    legs = bundled.legs
    assert len(legs) == 5
    s = bundled.stops.geometry
    for i, row in legs.iterrows():
        a, b = s[i], s[i + 1]
        _, _, metres = GEOD.inv(a.x, a.y, b.x, b.y)
        assert abs(row["distance_km"] * 1000 - metres) < 1e-3  # under a millimetre
    assert 5850 < legs.loc[0, "distance_km"] < 5950  # Seongnam–Ashgabat, about 5,900 km
    assert bundled.total_km == pytest.approx(legs["distance_km"].sum())
    # The drawn path bends north of the 38th parallel, as the true geodesic does.
    assert max(y for _, y in legs.geometry[0].coords) > 43.0


def test_columns_documented(bundled):
    expected = {
        "stops": {"stop", "place", "country", "tz", "arrive", "depart", "label_en", "label_ko",
                  "mode", "geometry"},
        "legs": {"leg", "from_stop", "to_stop", "depart", "arrive", "mode", "distance_km",
                 "vertices", "geometry"},
        "deals": {"deal", "title_en", "title_ko", "value", "status", "precision", "source",
                  "geometry"},
        "resources": {"resource", "country", "commodities", "country_name_ko", "geometry"},
        "routes": {"route", "name_en", "goods_en", "mode", "distance_km", "geometry"},
    }  # fmt: skip
    for name, frame in bundled.layers().items():
        assert expected[name] <= set(frame.columns), name
        assert str(frame.crs) == "EPSG:4326"


def test_yaml_and_csv_folder_give_the_same_trip(mini):
    csv = geo.load_trip(DATA / "mini-csv")
    for name, frame in mini.layers().items():
        pd.testing.assert_frame_equal(pd.DataFrame(frame), pd.DataFrame(csv.layers()[name]))


def test_deal_values_kept_in_every_currency(mini):
    values = mini.deals.loc[0, "value"]
    assert values == [{"amount": 200000000, "currency": "USD"},
                      {"amount": 270000000000, "currency": "KRW"}]  # fmt: skip
    assert mini.deals.loc[1, "precision"] == "region"


def test_resources_are_country_polygons(mini):
    geom = mini.resources.geometry[0]
    assert geom.geom_type in ("Polygon", "MultiPolygon")
    assert geom.contains(mini.resources.geometry[0].representative_point())
    assert mini.resources.loc[0, "country_name_ko"] == "카자흐스탄"


def test_route_from_a_country_starts_at_its_capital(mini):
    start = mini.routes.geometry[0].coords[0]
    assert abs(start[0] - 126.98) < 0.1 and abs(start[1] - 37.57) < 0.1  # Seoul


def test_vectorised_no_iterrows():
    import inspect

    import geo.trip

    assert "iterrows" not in inspect.getsource(geo.trip)
