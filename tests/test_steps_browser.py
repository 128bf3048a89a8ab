"""A host page drives the map `geo embed` writes, chapter by chapter, through postMessage."""

from __future__ import annotations

import pytest

from geo.render.embed import embed_files, write_embed
from tests.browser import visit

pytestmark = pytest.mark.browser

# The host page an article would have: the iframe, a listener, a step() that posts. A real host
# is on another origin; file: pages are each their own origin to Chromium, so this is too.
HOST = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Host</title></head>
<body style="margin:0"><iframe id="map" title="map" src="embed/index.html"
 style="display:block;width:800px;height:640px;border:0"></iframe>
<script>
window.got = [];
window.addEventListener("message", function (e) {
  if (e.data && typeof e.data === "object" && e.data.geo) window.got.push(e.data);
});
function step(msg) { document.getElementById("map").contentWindow.postMessage(msg, "*"); }
</script></body></html>
"""

# Inside the map: which places are shown active, dimmed, and inside the map's box.
STATE = """() => {
  const map = document.querySelector('.geo-map').getBoundingClientRect();
  return [...document.querySelectorAll('.geo-stop:not(.geo-echo)')].map(s => {
    const icon = s.closest('.leaflet-marker-icon'), n = s.querySelector('.geo-stop-n');
    const r = n.getBoundingClientRect();
    return { n: n.textContent, active: icon.classList.contains('geo-active'),
      dim: icon.classList.contains('geo-dim'),
      inside: r.left >= map.left && r.right <= map.right && r.top >= map.top
        && r.bottom <= map.bottom };
  });
}"""


# Each leg line: [points drawn, points of the whole path, highlighted].
LEGS = """() => {
  const out = [];
  geoMap.eachLayer(l => { if (l.geoFull) out.push([l.getLatLngs().length, l.geoFull.length,
    l.options.weight > 3]); });
  return out;
}"""


@pytest.fixture(scope="module")
def host(tmp_path_factory, bundled):
    out = tmp_path_factory.mktemp("steps")
    write_embed(out / "embed", embed_files(bundled, fallback=False))
    (out / "host.html").write_text(HOST, encoding="utf-8")
    return out / "host.html"


def _answers(page, n):
    page.wait_for_function(f"() => window.got.length >= {n}", timeout=10_000)
    return page.evaluate("window.got")


@pytest.mark.parametrize("reduced", [False, True])
def test_the_host_page_steps_through_every_chapter(chromium, host, reduced):
    with visit(chromium, host, width=820, height=660, wait_for=None) as v:
        page = v.page
        if reduced:
            page.emulate_media(reduced_motion="reduce")
            page.reload(wait_until="load")
        ready = _answers(page, 1)[0]
        assert ready == {"geo": "ready", "count": 6}  # one chapter per stop visit
        frame = page.frame_locator("#map")
        inner = page.frames[1]
        for k in range(ready["count"]):
            page.evaluate(f"step({{geo: 'step', index: {k}}})")
            if k == 1:
                # Mid-step the leg that arrives is being drawn from its start (or, reduced,
                # already whole).
                page.wait_for_timeout(150)
                partial = [n < full for n, full, on in inner.evaluate(LEGS) if on]
                assert partial == [not reduced]
            answer = _answers(page, k + 2)[-1]
            assert answer == {"geo": "stepped", "index": k, "count": 6}
            places = inner.evaluate(STATE)
            # Stop k is place k, except the return to Seongnam (stop 6 is place 1, "1 · 6").
            shown = [p for p in places if str(k + 1) in p["n"].split(" · ")]
            assert len(shown) == 1 and shown[0]["active"] and shown[0]["inside"], places
            assert all(p["dim"] for p in places if p is not shown[0])
            # By the answer, the chapter's leg is drawn whole along its path; the others too.
            legs = inner.evaluate(LEGS)
            assert all(n == full for n, full, _ in legs), legs
            assert len([on for *_, on in legs if on]) == (1 if k else 0)
        page.evaluate("step({geo: 'step', index: -1})")
        assert _answers(page, 8)[-1] == {"geo": "stepped", "index": -1, "count": 6}
        places = inner.evaluate(STATE)
        assert all(p["inside"] and not p["dim"] for p in places)
        assert frame.locator(".geo-stop").count() >= 5
        assert v.errors == [] and v.external == [] and v.dialogs == []


def test_messages_of_any_other_shape_are_ignored(chromium, host):
    with visit(chromium, host, width=820, height=660, wait_for=None) as v:
        page = v.page
        _answers(page, 1)
        for msg in (
            "'step'",
            "null",
            "{geo: 'step'}",
            "{geo: 'step', index: 99}",
            "{geo: 'step', index: -2}",
            "{geo: 'step', index: 1.5}",
            "{geo: 'step', index: '2'}",
            "{geo: 'step', index: '<img src=x onerror=alert(1)>'}",
            "{geo: '<img src=x onerror=alert(2)>', index: 1}",
            "{type: 'geo-embed-height', height: 9999}",
        ):
            page.evaluate(f"step({msg})")
        page.wait_for_timeout(500)
        assert page.evaluate("window.got.filter(m => m.geo === 'stepped')") == []
        inner = page.frames[1]
        assert inner.evaluate("document.querySelectorAll('img, iframe, [onerror]').length") == 0
        assert v.dialogs == [] and v.errors == []
        # A well-formed message still works afterwards.
        page.evaluate("step({geo: 'step', index: 2})")
        assert _answers(page, 2)[-1] == {"geo": "stepped", "index": 2, "count": 6}
