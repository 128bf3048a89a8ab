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

