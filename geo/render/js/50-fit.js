  // What the reader must see: stop numbers, visible labels and deal symbols.
  function shown(map) {
    return qa(map.getContainer(),
      ".geo-stop:not(.geo-echo) .geo-stop-n, .geo-stop-label:not([hidden]), .geo-deal-icon");
  }
  function covers(map, node) {
    var b = boxOf(node);
    return shown(map).some(function (n) { return hits(boxOf(n), b); });
  }

  // Zoom and centre so the points and everything drawn around them (labels, symbols) fit the
  // map with a margin: the label extents are measured, the scale found by bisection.
  function fit(map, most) {
    var size = map.getSize(), z0 = map.getZoom(), frame = boxOf(map.getContainer()), M = 8;
    var pad, W, H;
    function room(mode) {
      pad = margins(map, frame, mode);
      W = size.x - pad.l - pad.r - 2 * M;
      H = size.y - pad.t - pad.b - 2 * M;
    }
    var items = shown(map).map(function (n) {
      var b = boxOf(n), icon = n.closest(".leaflet-marker-icon");
      var m = icon && icon._leaflet_pos;
      // Each box relative to its marker's map point, at the current zoom.
      var o = map.containerPointToLayerPoint([b.l - frame.l, b.t - frame.t]);
      return m && { x: m.x, y: m.y, l: o.x - m.x, t: o.y - m.y, r: o.x - m.x + b.r - b.l,
        b: o.y - m.y + b.b - b.t, label: n.classList.contains("geo-stop-label") };
    }).filter(Boolean);
    if (!items.length) return;
    var org = map.getPixelOrigin(), all = items;
    function extent(k) {
      var e = [Infinity, Infinity, -Infinity, -Infinity];
      items.forEach(function (i) {
        var x = (i.x + org.x) * k, y = (i.y + org.y) * k;
        e[0] = Math.min(e[0], x + i.l); e[1] = Math.min(e[1], y + i.t);
        e[2] = Math.max(e[2], x + i.r); e[3] = Math.max(e[3], y + i.b);
      });
      return e;
    }
    function fits(k) {
      var e = extent(k);
      return e[2] - e[0] <= W && e[3] - e[1] <= H;
    }
    function scale() {
      var lo = Math.pow(2, -z0), hi = Math.pow(2, most - z0);
      if (fits(hi)) lo = hi;
      for (var n = 0; n < 40 && !fits(hi); n++) {
        var mid = Math.sqrt(lo * hi);
        if (fits(mid)) lo = mid; else hi = mid;
      }
      return lo;
    }
    // Room for every label where the screen allows; where labels would shrink the trip to
    // under nine tenths of the map, the stops fill it and labels flip inwards or hide.
    // Each corner's controls keep a band along a side or along the top or bottom, whichever
    // of the sixteen choices leaves the trip most room.
    var bare = all.filter(function (i) { return !i.label; }), k = 0, bestMode = 0, labelled;
    for (var mode = 0; mode < 16; mode++) {
      room(mode);
      items = all;
      var withLabels = scale();
      items = bare;
      var got = Math.max(withLabels, 0.9 * scale());
      if (got > k * 1.001) { k = got; bestMode = mode; labelled = got === withLabels; }
    }
    room(bestMode);
    items = labelled ? all : bare;
    var z = z0 + Math.log(k) / Math.LN2, e = extent(k);
    var cx = (e[0] + e[2]) / 2 + (pad.r - pad.l) / 2, cy = (e[1] + e[3]) / 2 + (pad.b - pad.t) / 2;
    map.setView(map.unproject([cx, cy], z), z, { animate: false });
  }

  // Room the controls take at each side: each control corner keeps a band along the left or
  // right side (its bit in mode set) or the top or bottom.
  function margins(map, frame, mode) {
    var pad = { l: 0, r: 0, t: 0, b: 0 }, W = frame.r - frame.l, H = frame.b - frame.t;
    Object.keys(map._controlCorners).sort().forEach(function (k, bit) {
      var b = boxOf(map._controlCorners[k]);
      Array.prototype.forEach.call(map._controlCorners[k].children, function (c) {
        var r = boxOf(c);
        b = { l: Math.min(b.l, r.l), t: Math.min(b.t, r.t), r: Math.max(b.r, r.r), b: Math.max(b.b, r.b) };
      });
      var left = /left/.test(k), top = /top/.test(k);
      var w = left ? b.r - frame.l : frame.r - b.l, h = top ? b.b - frame.t : frame.b - b.t;
      if (w <= 0 || h <= 0) return;
      var side = mode >> bit & 1 ? (left ? "l" : "r") : (top ? "t" : "b");
      pad[side] = Math.max(pad[side], side === "l" || side === "r" ? w : h);
    });
    return pad;
  }

  // Stop numbers and deal symbols never hide one another: each is placed at its point if that
  // is free, else the nearest free spot around it (below first: labels go to the right), so
  // every one can be seen and clicked. Its icon box is its visible shape: nothing invisible
  // takes a click.
  var ANGLES = [90, 135, 45, 180, 0, 225, 315, 270];
  function spreadDeals(map, deals) {
    var frame = boxOf(map.getContainer()), placed = [];
    var icons = qa(map.getContainer(), ".geo-stop-icon").map(function (icon) {
      var n = icon.querySelector(".geo-stop-n");
      return { icon: icon, w: n.offsetWidth / 2, h: n.offsetHeight / 2, pos: icon._leaflet_pos,
        echo: icon.firstChild.classList.contains("geo-echo") };
    }).concat(deals.map(function (m) {
      return { icon: m.getElement(), w: m.geoR, h: m.geoR, pos: m.getElement() && m.getElement()._leaflet_pos };
    }));
    icons.forEach(function (it) {
      if (!it.icon || !it.pos) return;
      var p = map.layerPointToContainerPoint(it.pos), r = Math.max(it.w, it.h);
      var x0 = p.x + frame.l, y0 = p.y + frame.t, best = null;
      // Boxes, not circles: a reader (and the label check) sees a number's rectangle.
      function free(x, y) {
        return placed.every(function (o) {
          return Math.abs(o.x - x) >= o.w + it.w + 1 || Math.abs(o.y - y) >= o.h + it.h + 1;
        });
      }
      if (free(x0, y0)) best = [0, 0];
      // Towards the middle of the map first, so that nothing is pushed off its edge.
      var vx = (frame.l + frame.r) / 2 - x0, vy = (frame.t + frame.b) / 2 - y0;
      var order = ANGLES.map(function (g) { return g * Math.PI / 180; }).sort(function (a, b) {
        return (Math.cos(b) * vx + Math.sin(b) * vy) - (Math.cos(a) * vx + Math.sin(a) * vy);
      });
      for (var ring = 1; !best && ring < 6; ring++) {
        for (var k = 0; k < order.length && !best; k++) {
          var a = order[k], d = ring * (r + 6);
          if (free(x0 + d * Math.cos(a), y0 + d * Math.sin(a))) best = [d * Math.cos(a), d * Math.sin(a)];
        }
      }
      best = best || [0, 0];
      if (it.echo) {
        // A copy's number stays whole inside the map while its place is in view, else hides.
        var shown = x0 >= frame.l && x0 <= frame.r && y0 >= frame.t && y0 <= frame.b;
        it.icon.style.visibility = shown ? "" : "hidden";
        best[0] += Math.max(0, frame.l + it.w - x0 - best[0]) - Math.max(0, x0 + best[0] + it.w - frame.r);
        best[1] += Math.max(0, frame.t + it.h - y0 - best[1]) - Math.max(0, y0 + best[1] + it.h - frame.b);
      }
      it.icon.style.marginLeft = (best[0] - it.w) + "px";
      it.icon.style.marginTop = (best[1] - it.h) + "px";
      placed.push({ x: x0 + best[0], y: y0 + best[1], w: it.w, h: it.h });
    });
  }

