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


# Every text run in the map pane (popups and tooltips aside) as a reader sees it: tight text
# rectangles from a Range, runs inside one marker counted as one; pairs that overlap by more
# than a pixel each way, and runs in view but cut by the map's edge.
TEXTS = r"""() => {
  const root = document.querySelector('.leaflet-map-pane');
  const mb = document.querySelector('.leaflet-container').getBoundingClientRect();
  const shown = el => {
    for (let a = el; a && a !== root; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (s.display === 'none' || s.visibility === 'hidden' || +s.opacity === 0) return false;
    }
    return true;
  };
  const runs = [], walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  let n;
  while ((n = walker.nextNode())) {
    const t = n.textContent.trim(), el = n.parentElement;
    if (!t || el.closest('.leaflet-popup, .leaflet-tooltip') || !shown(el)) continue;
    const range = document.createRange();
    range.selectNodeContents(n);
    const b = range.getBoundingClientRect();
    if (b.width < 1 || b.height < 1) continue;
    runs.push({t: t.slice(0, 30), l: b.left, r: b.right, tp: b.top, b: b.bottom,
      icon: el.closest('.leaflet-marker-icon')});
  }
  const inside = runs.filter(x => x.r > mb.left && x.l < mb.right && x.b > mb.top
    && x.tp < mb.bottom);
  const cut = inside.filter(x => x.l < mb.left - 0.5 || x.r > mb.right + 0.5
    || x.tp < mb.top - 0.5 || x.b > mb.bottom + 0.5).map(x => x.t);
  // Two boxes overlap by more than a pixel each way (boxes of one marker never count).
  const hits = (a, c) => !(a.icon && a.icon === c.icon)
    && Math.min(a.r, c.r) - Math.max(a.l, c.l) > 1 && Math.min(a.b, c.b) - Math.max(a.tp, c.tp) > 1;
  const pairs = [];
  for (let i = 0; i < inside.length; i++) for (let j = i + 1; j < inside.length; j++) {
    if (hits(inside[i], inside[j])) pairs.push([inside[i].t, inside[j].t]);
  }
  // No text on a deal symbol (the stop numbers are texts, checked above).
  const symbols = [...document.querySelectorAll('.geo-deal-icon')].filter(shown).map(e => {
    const b = e.getBoundingClientRect();
    return {l: b.left, r: b.right, tp: b.top, b: b.bottom, icon: e};
  });
  const covered = inside.filter(x => symbols.some(s => hits(x, s))).map(x => x.t);
  return {texts: inside.length, overlaps: pairs, cut, covered, symbols: symbols.length};
}"""

# The label sizes a reader meets: two phones (emulated, 3x, touch), a narrow column, a desktop.
LABEL_SIZES: dict[str, dict[str, Any]] = {
    "320x568": {**PHONE, "viewport": {"width": 320, "height": 568}},
    "375x667": {**PHONE, "viewport": {"width": 375, "height": 667}},
    "600x800": {"viewport": {"width": 600, "height": 800}},
    "1280x800": DESKTOP,
}


def texts(browser: Any, path: Path, size: str, scheme: str = "light") -> dict[str, Any]:
    """Open a map offline at one of LABEL_SIZES and collect its overlapping and cut texts."""
    context = browser.new_context(color_scheme=scheme, **LABEL_SIZES[size])
    try:
        page = context.new_page()
        page.route(
            "**/*",
            lambda r: r.continue_() if r.request.url.startswith(("file:", "data:")) else r.abort(),
        )
        page.goto(path.resolve().as_uri(), wait_until="load")
        page.wait_for_function("() => window.geoMap !== undefined")
        page.wait_for_timeout(300)
        result: dict[str, Any] = page.evaluate(TEXTS)
        return result
    finally:
        context.close()
