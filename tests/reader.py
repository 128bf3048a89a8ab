"""What a reader sees on first load: markers in the map and uncovered, labels inside its edge,
the stops spread over the map. Measured in Chromium at a phone's and a desktop's size."""

from __future__ import annotations

from pathlib import Path
from typing import Any

PHONE = {
    "viewport": {"width": 360, "height": 640},
    "device_scale_factor": 3,
    "is_mobile": True,
    "has_touch": True,
}
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
VIEWS = {"phone": PHONE, "desktop": DESKTOP}

# Interactive markers only (stop numbers, deal symbols); an icon's centre must be its own at the
# top of the page (elementFromPoint); visible text in the marker and tooltip panes must not
# cross the map's edge; span is the markers' extent over the map's width or height.
MEASURE = """() => {
  const m = window.geoMap, box = m.getContainer().getBoundingClientRect();
  const inside = (x, y) => x >= box.left - 1 && x <= box.right + 1 && y >= box.top - 1
    && y <= box.bottom + 1;
  const pts = [], outside = [], covered = [];
  m.eachLayer(l => {
    if (!(l instanceof L.Marker) || !l._icon || l.options.interactive === false) return;
    const r = l._icon.getBoundingClientRect();
    if (!r.width) return;
    const x = r.left + r.width / 2, y = r.top + r.height / 2;
    const name = (l.options.title || l._icon.textContent || '').slice(0, 30);
    const a = m.latLngToContainerPoint(l.getLatLng());
    pts.push([a.x, a.y]);
    if (!inside(x, y)) { outside.push(name); return; }
    const top = document.elementFromPoint(x, y);
    if (!top || !(l._icon.contains(top) || top.contains(l._icon))) covered.push(name);
  });
  const clipped = [];
  document.querySelectorAll('.leaflet-marker-pane *, .leaflet-tooltip-pane *').forEach(e => {
    if (e.children.length || !e.textContent.trim()) return;
    for (let p = e; p && p !== document.body; p = p.parentElement) {
      const s = getComputedStyle(p);
      if (s.display === 'none' || s.visibility === 'hidden' || +s.opacity === 0) return;
    }
    const r = e.getBoundingClientRect();
    if (!r.width) return;
    const seen = r.right > box.left && r.left < box.right && r.bottom > box.top
      && r.top < box.bottom;
    if (seen && (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1
      || r.bottom > box.bottom + 1)) clipped.push(e.textContent.trim().slice(0, 24));
  });
  const xs = pts.map(p => p[0]), ys = pts.map(p => p[1]);
  const span = pts.length > 1 ? Math.max((Math.max(...xs) - Math.min(...xs)) / box.width,
    (Math.max(...ys) - Math.min(...ys)) / box.height) : 1;
  return {markers: pts.length, outside, covered, clipped, span};
}"""


def measure(browser: Any, path: Path, view: str) -> dict[str, Any]:
    """Open a map offline at a view's size and measure what a reader sees."""
    context = browser.new_context(**VIEWS[view])
    try:
        page = context.new_page()
        page.route(
            "**/*",
            lambda r: r.continue_() if r.request.url.startswith(("file:", "data:")) else r.abort(),
        )
        page.goto(path.resolve().as_uri(), wait_until="load")
        page.wait_for_function("() => window.geoMap !== undefined")
        page.wait_for_timeout(300)
        result: dict[str, Any] = page.evaluate(MEASURE)
        return result
    finally:
        context.close()
