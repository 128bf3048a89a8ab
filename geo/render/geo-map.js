/* geo: draws a trip's layers into a Leaflet map from the JSON payload.
 * Every string from the trip file is set with textContent: shown as text, never parsed or run. */
(function () {
  "use strict";
  var SVGNS = "http://www.w3.org/2000/svg";

  // The one place coordinates change order: payload [lon, lat] -> Leaflet [lat, lon].
  function ll(c) { return [c[1], c[0]]; }
  function lls(cs) { return cs.map(ll); }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  // The one way trip text becomes a tooltip: a node whose text is set with textContent.
  // Leaflet parses a string given to bindTooltip/bindPopup/divIcon as HTML; never pass one.
  function textTip(text) { return el("span", "geo-tip", text); }

  function svg(tag, attrs) {
    var e = document.createElementNS(SVGNS, tag);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    return e;
  }

  // A status shape (circle, square, diamond, triangle, hexagon) of radius r, as an <svg>.
  function shapeSvg(shape, r, color, approx) {
    var pad = 2, size = 2 * (r + pad), c = r + pad;
    var root = svg("svg", { width: size, height: size, viewBox: "0 0 " + size + " " + size,
      "aria-hidden": "true", focusable: "false" });
    var attrs = { fill: color, "fill-opacity": approx ? 0.45 : 0.85, stroke: approx ? color : "#fff",
      "stroke-width": 1.5 };
    if (approx) attrs["stroke-dasharray"] = "3 2";
    var node;
    if (shape === "square") {
      var s = r * 0.886 * 2;
      node = svg("rect", Object.assign({ x: c - s / 2, y: c - s / 2, width: s, height: s }, attrs));
    } else if (shape === "circle") {
      node = svg("circle", Object.assign({ cx: c, cy: c, r: r }, attrs));
    } else {
      var n = { diamond: 4, triangle: 3, hexagon: 6 }[shape] || 4;
      var pts = [];
      for (var i = 0; i < n; i++) {
        var a = -Math.PI / 2 + (2 * Math.PI * i) / n;
        pts.push((c + r * Math.cos(a)).toFixed(2) + "," + (c + r * Math.sin(a)).toFixed(2));
      }
      node = svg("polygon", Object.assign({ points: pts.join(" ") }, attrs));
    }
    root.appendChild(node);
    return root;
  }

  // Polygons as payload.py _encoded writes them: per ring, the first position and then the
  // steps, in integer units of q degrees. Back to GeoJSON [lon, lat] here.
  function multiPolygon(polys, q) {
    return { type: "MultiPolygon", coordinates: polys.map(function (rings) {
      return rings.map(function (r) {
        var out = [], x = 0, y = 0;
        for (var i = 0; i < r.length; i += 2) {
          x += r[i]; y += r[i + 1];
          out.push([x * q, y * q]);
        }
        return out;
      });
    }) };
  }

  function popupContent(p) {
    var box = el("div", "geo-popup");
    box.appendChild(el("h3", null, p.title));
    if (p.note) box.appendChild(el("p", "geo-note", p.note));
    if (p.rows && p.rows.length) {
      var dl = el("dl");
      p.rows.forEach(function (row) {
        dl.appendChild(el("dt", null, row[0]));
        dl.appendChild(el("dd", null, row[1]));
      });
      box.appendChild(dl);
    }
    (p.quotes || (p.quote ? [p.quote] : [])).forEach(function (text) {
      var q = el("blockquote");
      q.appendChild(el("q", null, text));
      box.appendChild(q);
    });
    return box;
  }

  function arrow(a, color, pane) {
    var box = el("div", "geo-arrow");
    var icon = svg("svg", { width: 14, height: 14, viewBox: "0 0 14 14", "aria-hidden": "true" });
    icon.appendChild(svg("path", { d: "M2 2 L12 7 L2 12 Z", fill: color }));
    icon.style.transform = "rotate(" + a[2] + "deg)";
    box.appendChild(icon);
    return L.marker(ll(a), {
      icon: L.divIcon({ html: box, className: "geo-arrow-icon", iconSize: [14, 14], iconAnchor: [7, 7] }),
      interactive: false, keyboard: false, pane: pane,
    });
  }

  function accessible(marker, label) {
    marker.on("add", function () {
      var node = marker.getElement();
      if (!node) return;
      node.setAttribute("role", "button");
      node.setAttribute("aria-label", label);
      node.removeAttribute("title");
    });
  }

  window.geoDrawTrip = function (map, data, groups) {
    var st = data.style;
    window.geoMap = map;
    map.createPane("geo-basemap").style.zIndex = 200;
    map.createPane("geo-countries").style.zIndex = 350;
    map.createPane("geo-labels").style.zIndex = 380;
    map.getPane("geo-labels").style.pointerEvents = "none";

    // Basemap: land on a water-coloured container, partner and host countries tinted.
    if (groups.basemap) {
      var fills = [st.basemap.land, st.basemap.home, st.basemap.partner];
      var land = data.basemap.features.map(function (f) {
        return { type: "Feature", properties: { k: f[0] }, geometry: multiPolygon(f[1], data.basemap.quantum) };
      });
      L.geoJSON({ type: "FeatureCollection", features: land }, {
        pane: "geo-basemap", interactive: false,
        style: function (f) {
          return { color: st.basemap.edge, weight: 0.6, fillColor: fills[f.properties.k],
            fillOpacity: 1, opacity: 1 };
        },
      }).addTo(groups.basemap);
      data.basemap.labels.forEach(function (l) {
        var t = el("span", l[3] ? "geo-country geo-country-key" : "geo-country", l[2]);
        L.marker(ll(l), { pane: "geo-labels", interactive: false, keyboard: false,
          icon: L.divIcon({ html: t, className: "geo-country-icon", iconSize: null }) })
          .addTo(groups.basemap);
      });
    }

    // Resources: partner countries shaded.
    if (groups.resources) data.resources.forEach(function (r) {
      if (!r.geom) return;
      L.geoJSON(multiPolygon(r.geom, r.quantum), { pane: "geo-countries",
        style: { color: st.resource.edge, weight: 1, fillColor: st.resource.fill,
          fillOpacity: st.resource.opacity },
      }).bindPopup(popupContent(r.popup)).addTo(groups.resources);
      // One small square per commodity group, the legend's swatches, inside the country.
      if (r.badges && r.badges.length) {
        var row = el("div", "geo-badges");
        r.badges.forEach(function (c) {
          var b = el("span", "geo-badge");
          b.style.background = c;
          row.appendChild(b);
        });
        L.marker(ll(r.at), { icon: L.divIcon({ html: row, className: "geo-badge-icon",
          iconSize: null }), interactive: false, keyboard: false }).addTo(groups.resources);
      }
    });

    // Thousands of lines: one canvas for every vector layer. A canvas per layer would stack
    // them, and the top one would take every pointer event from the ones below.
    // Lines drawn for scale are thin: a 5 px margin lets a pointer find them.
    var canvas = data.large || data.largeRoutes ? L.canvas({ padding: 0.2, tolerance: 5 })
      : undefined;

    // Routes: dashed by mode, so mode is not carried by colour alone.
    if (groups.routes && data.largeRoutes) {
      data.routes.forEach(function (r) {
        L.polyline(lls(r.coords), { color: r.color, weight: 1.2, opacity: 0.6, dashArray: r.dash,
          renderer: canvas }).bindTooltip(textTip(r.title)).addTo(groups.routes);
      });
    } else if (groups.routes) data.routes.forEach(function (r) {
      // Width by reported value (square-root scale), arrows for direction.
      // A wide line's dashes grow with it, so the mode's pattern still reads.
      var w = r.width || 3, k = Math.max(1, w / 3);
      var dash = r.dash ? r.dash.split(" ").map(function (d) { return +d * k; }).join(" ") : null;
      L.polyline(lls(r.coords), { color: r.color, weight: w, opacity: 0.85, dashArray: dash,
        lineCap: "butt" })
        .bindPopup(popupContent(r.popup)).addTo(groups.routes);
      arrow(r.arrow, r.color, "markerPane").addTo(groups.routes);
    });

    // Itinerary: geodesic legs with direction arrows, numbered stops with permanent labels.
    var legLines = [], stopMarkers = [], dealMarkers = [];
    if (groups.itinerary) {
      if (data.large) {
        // Thousands of legs: plain dots, names on hover and in the text version.
        data.legs.forEach(function (leg) {
          legLines.push(L.polyline(lls(leg.coords), { color: st.line, weight: 1.2, opacity: 0.6,
            renderer: canvas, interactive: false }).addTo(groups.itinerary));
        });
        data.stops.forEach(function (s) {
          stopMarkers.push(L.circleMarker(ll([s.lon, s.lat]), { radius: 3, color: st.stop,
            weight: 1, fillOpacity: 0.9, renderer: canvas }).bindTooltip(textTip(s.title))
            .addTo(groups.itinerary));
        });
      } else data.legs.forEach(function (leg) {
        legLines.push(L.polyline(lls(leg.coords), { color: st.line, weight: 2.5, opacity: 0.9,
          dashArray: leg.dash || null, renderer: canvas })
          .bindTooltip(textTip(leg.title), { sticky: true }).addTo(groups.itinerary));
        arrow(leg.arrow, st.line, "markerPane").addTo(groups.itinerary);
      });
      if (!data.large) data.stops.forEach(function (s) {
        var box = el("div", "geo-stop");
        box.appendChild(el("span", "geo-stop-n", s.numbers));
        var label = el("span", "geo-stop-label");
        label.appendChild(el("b", null, s.label));
        if (s.dates) label.appendChild(el("span", "geo-stop-dates", " · " + s.dates));
        box.appendChild(label);
        var m = L.marker(ll([s.lon, s.lat]), {
          icon: L.divIcon({ html: box, className: "geo-stop-icon", iconSize: null }),
          title: s.title, alt: s.title, riseOnHover: true, zIndexOffset: 1000,
        });
        m.bindPopup(popupContent(s.popup), { maxWidth: 320 });
        accessible(m, s.title);
        m.addTo(groups.itinerary);
        stopMarkers.push(m);
      });
      // The same place on another world copy, where a leg arrives: its number, not a second stop.
      if (!data.large) (data.echo || []).forEach(function (e) {
        var box = el("div", "geo-stop geo-echo");
        box.setAttribute("aria-hidden", "true");
        box.appendChild(el("span", "geo-stop-n", e[2]));
        L.marker(ll(e), { icon: L.divIcon({ html: box, className: "geo-stop-icon", iconSize: null }),
          interactive: false, keyboard: false }).addTo(groups.itinerary);
      });
    }

    // Deals: proportional symbols, colour and shape by status; approximate sites dashed.
    // On a small map the symbols shrink with it (areas keep their ratios), so the largest
    // does not fill a phone's screen.
    var small = Math.min(1, Math.min(map.getSize().x, map.getSize().y) / 500);
    if (groups.deals) data.deals.forEach(function (d) {
      var box = el("div", "geo-deal"), r = d.radius * small;
      box.appendChild(shapeSvg(d.shape, r, d.color, d.approx));
      var size = 2 * (r + 2);
      var m = L.marker(ll([d.lon, d.lat]), {
        icon: L.divIcon({ html: box, className: "geo-deal-icon", iconSize: [size, size] }),
        title: d.title, alt: d.title,
      });
      m.geoR = size / 2;
      dealMarkers.push(m);
      m.bindPopup(popupContent(d.popup), { maxWidth: 320 });
      accessible(m, d.title);
      m.addTo(groups.deals);
    });

    // Legend, generated from the data with the same colours and shapes.
    var legend = L.control({ position: "bottomright" });
    legend.onAdd = function () {
      var box = el("details", "geo-legend");
      box.open = window.innerWidth > 600;
      box.appendChild(el("summary", null, data.strings.legend));
      data.legend.forEach(function (sec) {
        var s = el("section");
        s.appendChild(el("h4", null, sec.title));
        var ul = el("ul");
        sec.items.forEach(function (it) {
          var li = el("li", "geo-legend-" + it.kind);
          var key = svg("svg", { width: 28, height: 16, viewBox: "0 0 28 16", "aria-hidden": "true" });
          if (it.kind === "line") {
            key.appendChild(svg("line", { x1: 1, y1: 8, x2: 27, y2: 8, stroke: it.color,
              "stroke-width": 3, "stroke-dasharray": it.dash || "none" }));
          } else if (it.kind === "shape") {
            var sh = shapeSvg(it.shape, 6, it.color, false);
            sh.setAttribute("x", 7); sh.setAttribute("y", 0);
            key.appendChild(sh);
          } else if (it.kind === "approx") {
            var ap = shapeSvg("circle", 6, "#7a7a7a", true);
            ap.setAttribute("x", 7); ap.setAttribute("y", 0);
            key.appendChild(ap);
          } else if (it.kind === "width") {
            key.appendChild(svg("line", { x1: 1, y1: 8, x2: 27, y2: 8, stroke: it.color,
              "stroke-width": it.width }));
          } else if (it.kind === "badge") {
            key.appendChild(svg("rect", { x: 9, y: 3, width: 10, height: 10, fill: it.color,
              stroke: "#fff" }));
          } else if (it.kind === "fill") {
            key.appendChild(svg("rect", { x: 2, y: 2, width: 24, height: 12, fill: it.color,
              "fill-opacity": 0.6, stroke: st.resource.edge }));
          } else if (it.kind === "stop") {
            key.appendChild(svg("circle", { cx: 14, cy: 8, r: 7, fill: st.stop }));
          }
          if (it.kind !== "note") li.appendChild(key);
          li.appendChild(el("span", null, it.label));
          ul.appendChild(li);
        });
        s.appendChild(ul);
        box.appendChild(s);
      });
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    };
    legend.addTo(map);

    if (data.timeline.days.length > 1 && !data.large) timeline(map, data, legLines, stopMarkers);
    if (data.embed) embedControls(map, data);

    // Deals step aside from stops, labels from both; what cannot fit is hidden.
    function tidy() { spreadDeals(map, dealMarkers); declutter(map); }
    map.on("zoomend moveend resize overlayadd", tidy);

    // Frame the stops, deals and labels, with fractional zoom; the legend folds where it
    // would cover any of them.
    map.options.zoomSnap = 0;
    var pts = data.stops.map(function (s) { return ll([s.lon, s.lat]); })
      .concat(data.deals.map(function (d) { return ll([d.lon, d.lat]); }));
    var box = legend.getContainer(), wide = box.open, one = L.latLngBounds(pts);
    box.open = false;
    map.fitBounds(one, { padding: [40, 40], maxZoom: 10, animate: false });
    var most = one.getNorthEast().equals(one.getSouthWest()) ? 10 : 16;
    function frame() {
      for (var k = 0; k < 3; k++) {
        spreadDeals(map, dealMarkers);
        declutter(map, true);
        fit(map, most);
      }
      tidy();
    }
    frame();
    // The legend opens where the trip loses little room to it (a quarter of its scale at most)
    // and it covers nothing the reader needs; else it stays folded.
    if (wide) {
      var folded = map.getZoom(), top = boxOf(map._controlCorners.topright);
      box.open = true;
      frame();
      if (map.getZoom() < folded - 0.42 || covers(map, box) || hits(boxOf(box), top)) {
        box.open = false;
        frame();
      }
    }
    // Web fonts and late layout change label widths: place them again once the page settles.
    window.addEventListener("load", tidy);
  };

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
      function free(x, y) {
        return placed.every(function (o) { return Math.hypot(o.x - x, o.y - y) >= o.r + r + 1; });
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
      placed.push({ x: x0 + best[0], y: y0 + best[1], r: r });
    });
  }

  function qa(root, sel) { return Array.prototype.slice.call(root.querySelectorAll(sel)); }
  function boxOf(node) {
    var r = node.getBoundingClientRect();
    return { l: r.left, t: r.top, r: r.right, b: r.bottom };
  }
  function hits(a, b) { return a.l < b.r && b.l < a.r && a.t < b.b && b.t < a.b; }

  // Place each stop label right, left, diagonal, above or below its number, in stop order,
  // avoiding the labels and numbers already placed; a label with no free place is hidden (the
  // number and its accessible name stay). Country names under a stop label are hidden too.
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
    var placed = taken.filter(function (t, i) { return i >= numbers.length && t.placed; });
    countries.forEach(function (c, i) {
      c.hidden = placed.some(function (t) { return hits(countryBoxes[i], t); });
    });
  }
  window.geoDeclutter = declutter;

  function timeline(map, data, legLines, stopMarkers) {
    var days = data.timeline.days, S = data.strings, current = -1, timer = null;
    var control = L.control({ position: "bottomleft" });
    control.onAdd = function () {
      var box = el("div", "geo-timeline");
      box.setAttribute("role", "group");
      box.setAttribute("aria-label", S.timeline);
      var prev = el("button", "geo-tl-prev", "\u2039");
      var play = el("button", "geo-tl-play", "\u25B6");
      var next = el("button", "geo-tl-next", "\u203A");
      var label = el("output", "geo-tl-day", S.all_days);
      var list = el("ul", "geo-tl-events");
      var live = el("p", "visually-hidden");
      live.setAttribute("aria-live", "polite");
      [[prev, S.prev_day], [play, S.play], [next, S.next_day]].forEach(function (p) {
        p[0].type = "button";
        p[0].setAttribute("aria-label", p[1]);
        p[0].title = p[1];
      });
      var row = el("div", "geo-tl-row");
      [prev, play, label, next].forEach(function (n) { row.appendChild(n); });
      box.appendChild(row);
      box.appendChild(list);
      box.appendChild(live);

      function show(k) {
        current = k;
        var all = k < 0;
        label.textContent = all ? S.all_days : days[k].label;
        list.textContent = "";
        if (!all) {
          (days[k].events.length ? days[k].events : [S.no_events]).forEach(function (e) {
            list.appendChild(el("li", null, e));
          });
        }
        legLines.forEach(function (line, i) {
          var on = all || data.timeline.legDays[data.legs[i].leg != null ? data.legs[i].leg : i].indexOf(k) >= 0;
          line.setStyle({ opacity: on ? 0.9 : 0.15, weight: !all && on ? 4.5 : 2.5 });
          var node = line.getElement && line.getElement();
          if (node) node.setAttribute("data-active", on && !all ? "true" : "false");
        });
        stopMarkers.forEach(function (m, i) {
          var on = all || data.timeline.stopDays[i].indexOf(k) >= 0;
          var node = m.getElement();
          if (node) {
            node.classList.toggle("geo-dim", !on);
            node.classList.toggle("geo-active", on && !all);
          }
        });
        live.textContent = all ? S.all_days :
          days[k].full + ": " + (days[k].events.length ? days[k].events.join("; ") : S.no_events);
      }
      function step(d) {
        var k = current + d;
        if (k >= days.length) k = -1;
        if (k < -1) k = days.length - 1;
        show(k);
      }
      function stop() {
        if (timer) { clearInterval(timer); timer = null; }
        play.textContent = "\u25B6";
        play.setAttribute("aria-label", S.play); play.title = S.play;
      }
      prev.addEventListener("click", function () { stop(); step(-1); });
      next.addEventListener("click", function () { stop(); step(1); });
      play.addEventListener("click", function () {
        if (timer) { stop(); return; }
        play.textContent = "\u23F8";
        play.setAttribute("aria-label", S.pause); play.title = S.pause;
        if (current >= days.length - 1) current = -1;
        step(1);
        timer = setInterval(function () {
          if (current >= days.length - 1) { stop(); return; }
          step(1);
        }, 1600);
      });
      box.addEventListener("keydown", function (e) {
        if (e.key === "ArrowLeft") { stop(); step(-1); e.preventDefault(); }
        if (e.key === "ArrowRight") { stop(); step(1); e.preventDefault(); }
      });
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    };
    control.addTo(map);
  }

  function embedControls(map, data) {
    var S = data.strings;
    // Full screen: the whole page, so the legend and timeline come along.
    var fs = L.control({ position: "topleft" });
    fs.onAdd = function () {
      var bar = el("div", "leaflet-bar geo-fullscreen");
      // An SVG icon: the Unicode full-screen sign is missing from many fonts.
      var button = el("button");
      var icon = svg("svg", { width: 16, height: 16, viewBox: "0 0 16 16", "aria-hidden": "true" });
      icon.appendChild(svg("path", { d: "M1 6V1h5M10 1h5v5M15 10v5h-5M6 15H1v-5", fill: "none",
        stroke: "currentColor", "stroke-width": 2 }));
      button.appendChild(icon);
      button.type = "button";
      button.setAttribute("aria-label", S.fullscreen);
      button.title = S.fullscreen;
      button.addEventListener("click", function () {
        var root = document.documentElement;
        if (document.fullscreenElement) document.exitFullscreen();
        else if (root.requestFullscreen) root.requestFullscreen();
      });
      bar.appendChild(button);
      L.DomEvent.disableClickPropagation(bar);
      return bar;
    };
    fs.addTo(map);
    // Tell the page embedding us how tall we are (embed.html listens).
    function report() {
      var page = document.querySelector(".geo-page");
      var h = Math.ceil(page ? page.getBoundingClientRect().height : document.body.scrollHeight);
      if (window.parent !== window) {
        window.parent.postMessage({ type: "geo-embed-height", id: data.id, height: h }, "*");
      }
    }
    window.addEventListener("load", report);
    window.addEventListener("resize", report);
    document.querySelectorAll("details").forEach(function (d) {
      d.addEventListener("toggle", report);
    });
    report();
  }
})();
