  function qa(root, sel) { return Array.prototype.slice.call(root.querySelectorAll(sel)); }
  function boxOf(node) {
    var r = node.getBoundingClientRect();
    return { l: r.left, t: r.top, r: r.right, b: r.bottom };
  }
  function hits(a, b) { return a.l < b.r && b.l < a.r && a.t < b.b && b.t < a.b; }

  // One label hierarchy (geo.context.RANKS, highest first): every text on the map is a
  // .geo-label with its data-rank, and a label yields to every label of a higher rank. Stop
  // labels and capital names are placed right, left, diagonal, above or below their anchor (a
  // stop's number, a capital's dot); the other names sit at their point or not at all. A label
  // with no free place is hidden (a marker's words stay in its accessible name); no text ever
  // covers a stop number or a deal symbol, nor a control over the map.
  // Every box is measured once and the candidates are computed, not laid out one by one: a
  // forced layout per candidate made a 300-stop map take seconds to draw and to pan.
  var RANKS = ["stop", "deal", "partner", "water", "country", "capital"];
  var PLACES = ["right", "left", "ne", "se", "nw", "sw", "above", "below"];
  var INWARD = ["left", "right", "nw", "sw", "ne", "se", "above", "below"];
  var BESIDE = ["right", "left", "above", "below"];
  var GAP = 4;
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
  // hold (the anchor must be free too) }; taken are boxes no text may cover, shelter those
  // only labels below the stops' rank avoid (controls). Returns per item a place ("" hidden,
  // "at" its own point).
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
      var places = it.anchor ? it.order : ["at"];
      for (var k = 0; k < places.length; k++) {
        var b = it.anchor ? candidate(places[k], it.anchor, w, h) : it.box;
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
      return { rank: rank, box: box, anchor: anchor, order: order, hold: rank === "capital" };
    });
    var taken = qa(container, ".geo-stop .geo-stop-n, .geo-deal-icon").map(boxOf);
    var shelter = qa(container, ".leaflet-control").map(boxOf);
    var places = placeLabels(items, taken, shelter, frame, free);
    labels.forEach(function (l, i) {
      var place = places[i];
      if (l.hasAttribute("data-place")) l.setAttribute("data-place", place || "right");
      l.hidden = !place;
      if (!place && items[i].hold) l.parentNode.hidden = true;
    });
  }
  window.geoDeclutter = declutter;

