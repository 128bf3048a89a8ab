  function qa(root, sel) { return Array.prototype.slice.call(root.querySelectorAll(sel)); }
  function boxOf(node) {
    var r = node.getBoundingClientRect();
    return { l: r.left, t: r.top, r: r.right, b: r.bottom };
  }
  function hits(a, b) { return a.l < b.r && b.l < a.r && a.t < b.b && b.t < a.b; }

  // One label hierarchy (geo.context.RANKS, highest first): every text on the map is a
  // .geo-label with its data-rank, and a label yields to every label of a higher rank. Stop
  // labels and capital names are placed right, left, diagonal, above or below their anchor (a
  // stop's number, a capital's dot); the other names sit at their point, or a line above or
  // below it when something is there (a sea's name beside a deal symbol), or not at all. A label
  // with no free place is hidden (a marker's words stay in its accessible name); no text ever
  // covers a stop number or a deal symbol, nor a control over the map.
  // Every box is measured once and the candidates are computed, not laid out one by one: a
  // forced layout per candidate made a 300-stop map take seconds to draw and to pan.
  var RANKS = ["stop", "deal", "partner", "water", "country", "capital"];
  var PLACES = ["right", "left", "ne", "se", "nw", "sw", "above", "below"];
  var INWARD = ["left", "right", "nw", "sw", "ne", "se", "above", "below"];
  var BESIDE = ["right", "left", "above", "below"];
  var SHIFTS = ["at", "up", "down"];
  var GAP = 4;
  var CLEAR = 2;
  // How far a name without an anchor moves off its point, [dx, dy] in pixels: a line up or down,
  // or to its k-th other place ("alt0", ...; alts are the offsets of those places).
  function shift(place, h, alts) {
    if (place === "up") return [0, -(h + GAP)];
    if (place === "down") return [0, h + GAP];
    if (place.slice(0, 3) === "alt") return alts[+place.slice(3)];
    return [0, 0];
  }
  function moved(b, d) { return { l: b.l + d[0], t: b.t + d[1], r: b.r + d[0], b: b.b + d[1] }; }
  function shifts(alts) {
    return SHIFTS.concat((alts || []).map(function (a, k) { return "alt" + k; }));
  }
  function candidate(place, n, w, h) {
    var cx = (n.l + n.r) / 2, cy = (n.t + n.b) / 2;
    switch (place) {
      case "right": return { l: n.r + GAP, t: cy - h / 2, r: n.r + GAP + w, b: cy + h / 2 };
      case "left": return { l: n.l - GAP - w, t: cy - h / 2, r: n.l - GAP, b: cy + h / 2 };
      // The same offsets as geo-map.css gives each data-place.
      case "ne": return { l: n.r + GAP, t: n.t + 6 - h, r: n.r + GAP + w, b: n.t + 6 };
      case "se": return { l: n.r + GAP, t: n.b - 6, r: n.r + GAP + w, b: n.b - 6 + h };
      case "nw": return { l: n.l + 2 - w, t: n.t + 6 - h, r: n.l + 2, b: n.t + 6 };
      case "sw": return { l: n.l + 2 - w, t: n.b - 6, r: n.l + 2, b: n.b - 6 + h };
      case "above": return { l: cx - w / 2, t: n.t - 3 - h, r: cx + w / 2, b: n.t - 3 };
      default: return { l: cx - w / 2, t: n.b + 3, r: cx + w / 2, b: n.b + 3 + h };
    }
  }
  function within(b, f) { return b.l >= f.l && b.r <= f.r && b.t >= f.t && b.b <= f.b; }

  // Where each label goes, given what it is (pure: tests/js). Each item is
  // { rank, box (at its point), anchor (a box it sits beside, or null), order (its places),
  // hold (the anchor must be free too), alts (for a name without an anchor: the [dx, dy] of its
  // other places, or none) }; taken are boxes no text may cover, shelter those
  // only labels below the stops' rank avoid (controls). Returns per item a place ("" hidden;
  // for a name without an anchor "at" its point, "up" or "down" a line, see shift()).
  function placeLabels(items, taken, shelter, frame, free) {
    var blocks = taken.slice(), out = new Array(items.length);
    var order = items.map(function (it, i) { return i; });
    order.sort(function (a, b) {
      return RANKS.indexOf(items[a].rank) - RANKS.indexOf(items[b].rank) || a - b;
    });
    order.forEach(function (i) {
      var it = items[i], w = it.box.r - it.box.l, h = it.box.b - it.box.t;
      var avoid = it.rank === "stop" ? blocks : blocks.concat(shelter);
      function clear(b) {
        return (free || within(b, frame)) && !avoid.some(function (t) { return hits(b, t); });
      }
      out[i] = "";
      if (it.anchor && it.hold && !clear(it.anchor)) return;
      var places = it.anchor ? it.order : shifts(it.alts);
      for (var k = 0; k < places.length; k++) {
        var b = it.anchor ? candidate(places[k], it.anchor, w, h)
          : moved(it.box, shift(places[k], h, it.alts));
        if (clear(b)) {
          blocks.push(b);
          if (it.anchor && it.hold) blocks.push(it.anchor);
          out[i] = places[k];
          return;
        }
      }
    });
    return out;
  }

  function declutter(map, free) {
    var container = map.getContainer(), frame = boxOf(container);
    var labels = qa(container, ".geo-label");
    // Read everything first (one layout), then write.
    labels.forEach(function (l) {
      l.hidden = false;
      if (l.parentNode.classList.contains("geo-capital")) l.parentNode.hidden = false;
      if (l.hasAttribute("data-place")) l.setAttribute("data-place", "right");
      else { l.style.left = ""; l.style.top = ""; }
    });
    var numbers = qa(container, ".geo-stop:not(.geo-echo) .geo-stop-n").map(boxOf);
    var xs = numbers.map(function (n) { return n.l + n.r; });
    var mid = (Math.min.apply(null, xs) + Math.max.apply(null, xs)) / 2;
    var items = labels.map(function (l) {
      var rank = l.getAttribute("data-rank"), box = boxOf(l), anchor = null, order = BESIDE;
      if (rank === "stop") {
        anchor = boxOf(l.parentNode.querySelector(".geo-stop-n"));
        // Labels face the middle of the trip first: the outermost stops' labels point inwards.
        order = anchor.l + anchor.r > mid + 1 ? INWARD : PLACES;
      } else if (rank === "capital") anchor = boxOf(l.parentNode.querySelector(".geo-capital-dot"));
      var alts = l._geoAlts && l._geoAlts.map(function (a) {
        var p = map.latLngToContainerPoint(a), o = map.latLngToContainerPoint(l._geoAt);
        return [p.x - o.x, p.y - o.y];
      });
      return { rank: rank, box: box, anchor: anchor, order: order, hold: rank === "capital",
        alts: alts };
    });
    // A stop number's ring and shadow and a symbol's outline reach past their boxes: no text
    // comes closer than CLEAR pixels (a name touching a number read as covered by it).
    var taken = qa(container, ".geo-stop .geo-stop-n, .geo-deal-icon").map(function (n) {
      var b = boxOf(n);
      return { l: b.l - CLEAR, t: b.t - CLEAR, r: b.r + CLEAR, b: b.b + CLEAR };
    });
    var shelter = qa(container, ".leaflet-control").map(boxOf);
    var places = placeLabels(items, taken, shelter, frame, free);
    labels.forEach(function (l, i) {
      var place = places[i];
      if (l.hasAttribute("data-place")) l.setAttribute("data-place", place || "right");
      else if (place && place !== "at") {
        var d = shift(place, items[i].box.b - items[i].box.t, items[i].alts);
        l.style.left = d[0] + "px";
        l.style.top = d[1] + "px";
      }
      l.hidden = !place;
      if (!place && items[i].hold) l.parentNode.hidden = true;
    });
  }
  window.geoDeclutter = declutter;

