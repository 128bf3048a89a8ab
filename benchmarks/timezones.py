"""What finding a stop's time zone costs: the first lookup (loading timezonefinder's
boundary index) and each one after, against the old nearest-city rule.

    python benchmarks/timezones.py
"""

from __future__ import annotations

import random
import time


def main() -> None:
    from geo.timezones import zone_at

    t = time.perf_counter()
    zone_at(41.3, 69.25, "UZ")
    first = time.perf_counter() - t
    rng = random.Random(1)
    points = [(rng.uniform(-60, 70), rng.uniform(-180, 180)) for _ in range(10_000)]
    t = time.perf_counter()
    for lat, lon in points:
        zone_at(lat, lon)
    each = (time.perf_counter() - t) / len(points)
    from geo.gazetteer import nearest_timezone

    nearest_timezone(0, 0)
    t = time.perf_counter()
    for lat, lon in points[:1000]:
        nearest_timezone(lat, lon)
    old = (time.perf_counter() - t) / 1000
    print(f"first lookup (loads the index): {first * 1000:.0f} ms")
    print(f"each lookup after: {each * 1e6:.0f} µs (old nearest-city rule: {old * 1e6:.0f} µs)")


if __name__ == "__main__":
    main()
