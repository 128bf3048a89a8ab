  function qa(root, sel) { return Array.prototype.slice.call(root.querySelectorAll(sel)); }
  function boxOf(node) {
    var r = node.getBoundingClientRect();
    return { l: r.left, t: r.top, r: r.right, b: r.bottom };
  }
  function hits(a, b) { return a.l < b.r && b.l < a.r && a.t < b.b && b.t < a.b; }

  // Place each stop label right, left, diagonal, above or below its number, in stop order,
  // avoiding the labels and numbers already placed; a label with no free place is hidden (the
  // number and its accessible name stay). Country names yield to all of these (below).
  // Every box is measured once and the candidates are computed, not laid out one by one: a
  // forced layout per candidate made a 300-stop map take seconds to draw and to pan.
  var PLACES = ["right", "left", "ne", "se", "nw", "sw", "above", "below"];
  var INWARD = ["left", "right", "nw", "sw", "ne", "se", "above", "below"];
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
  function declutter(map, free) {
    var container = map.getContainer(), frame = boxOf(container);
    var stops = qa(container, ".geo-stop");
    var labels = stops.map(function (s) { return s.querySelector(".geo-stop-label"); });
    // Read everything first (one layout), then write.
    labels.forEach(function (l) { if (l) { l.hidden = false; l.setAttribute("data-place", "right"); } });
    var numbers = stops.map(function (s) { return boxOf(s.querySelector(".geo-stop-n")); });
    var sizes = labels.map(function (l) {
      var r = l ? l.getBoundingClientRect() : { width: 0, height: 0 };
      return [r.width, r.height];
    });
    var countries = qa(container, ".geo-country");
    countries.forEach(function (c) { c.hidden = false; });
    var countryBoxes = countries.map(boxOf);
    var taken = numbers.concat(qa(container, ".geo-deal-icon").map(boxOf));
    // Labels face the middle of the trip first: the outermost stops' labels point inwards.
    var xs = numbers.map(function (n) { return n.l + n.r; });
    var mid = (Math.min.apply(null, xs) + Math.max.apply(null, xs)) / 2;
    var places = labels.map(function (label, i) {
      if (!label) return null;
      var order = xs[i] > mid + 1 ? INWARD : PLACES;
      for (var k = 0; k < order.length; k++) {
        var b = candidate(order[k], numbers[i], sizes[i][0], sizes[i][1]);
        var inside = free || b.l >= frame.l && b.r <= frame.r && b.t >= frame.t && b.b <= frame.b;
        if (inside && !taken.some(function (t) { return hits(b, t); })) {
          b.placed = true;
          taken.push(b);
          return order[k];
        }
      }
      return "";
    });
    labels.forEach(function (label, i) {
      if (!label) return;
      label.setAttribute("data-place", places[i] || "right");
      label.hidden = !places[i];
    });
    // Country names rank below stop numbers, deal symbols and stop labels, the trip's own
    // (host and partner) countries above the others: each is kept only where it covers none
    // of those nor a country name kept before it, and only inside the map (a name cut by the
    // edge says less than none).
    var order = countries.map(function (c, i) { return i; });
    var key = function (i) { return countries[i].classList.contains("geo-country-key") ? 0 : 1; };
    order.sort(function (a, b) { return key(a) - key(b) || a - b; });
    var blocks = taken.slice();
    order.forEach(function (i) {
      var b = countryBoxes[i];
      var inside = free || b.l >= frame.l && b.r <= frame.r && b.t >= frame.t && b.b <= frame.b;
      var hide = !inside || blocks.some(function (t) { return hits(b, t); });
      countries[i].hidden = hide;
      if (!hide) blocks.push(b);
    });
  }
  window.geoDeclutter = declutter;

