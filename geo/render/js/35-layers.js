  // The trip's layers, each drawn into its feature group from the payload; geoDrawTrip
  // (40-draw.js) calls them bottom to top.

  function drawBasemap(map, data, groups) {
    var st = data.style;
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
      // Every text on the map is a .geo-label with its rank (60-declutter.js RANKS).
      data.basemap.labels.forEach(function (l) {
        var t = label(l[3] ? "partner" : "country", l[2], l[3] ? "geo-country geo-country-key" : "geo-country");
        if (l[4]) { t._geoAt = ll(l); t._geoAlts = l[4].map(ll); }
        L.marker(ll(l), { pane: "geo-labels", interactive: false, keyboard: false,
          icon: L.divIcon({ html: t, className: "geo-country-icon", iconSize: null }) })
          .addTo(groups.basemap);
      });
      (data.basemap.context || []).forEach(function (c) {
        var node = c[3] === "capital" ? capital(c[2]) : label(c[3], c[2], "geo-water");
        // Other places for a water name, tried by the declutter when its point has no room.
        if (c[4]) { node._geoAt = ll(c); node._geoAlts = c[4].map(ll); }
        L.marker(ll(c), { pane: "geo-labels", interactive: false, keyboard: false,
          icon: L.divIcon({ html: node, className: "geo-country-icon", iconSize: null }) })
          .addTo(groups.basemap);
      });
    }
  }

  function label(rank, text, cls) {
    var t = el("span", "geo-label " + cls, text);
    t.setAttribute("data-rank", rank);
    if (rank === "stop" || rank === "capital") t.setAttribute("data-place", "right");
    return t;
  }

  // A capital: a small dot with its name beside it, placed like a stop's label.
  function capital(text) {
    var node = el("div", "geo-capital");
    node.appendChild(el("span", "geo-capital-dot"));
    node.appendChild(label("capital", text, "geo-capital-label"));
    return node;
  }

  // Returns each partner country's shape (null where it has none), in data.resources' order.
  function drawResources(map, data, groups) {
    var st = data.style, shapes = [];
    // Resources: partner countries shaded.
    if (groups.resources) data.resources.forEach(function (r) {
      if (!r.geom) { shapes.push(null); return; }
      shapes.push(L.geoJSON(multiPolygon(r.geom, r.quantum), { pane: "geo-countries",
        style: { color: st.resource.edge, weight: 1, fillColor: st.resource.fill,
          fillOpacity: st.resource.opacity },
      }).bindPopup(popupContent(r.popup)).addTo(groups.resources));
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
    return shapes;
  }

  // Returns the route lines, in data.routes' order.
  function drawRoutes(data, groups, canvas) {
    var lines = [];
    // Routes: dashed by mode, so mode is not carried by colour alone.
    if (groups.routes && data.largeRoutes) {
      data.routes.forEach(function (r) {
        lines.push(L.polyline(lls(r.coords), { color: r.color, weight: 1.2, opacity: 0.6,
          dashArray: r.dash, renderer: canvas }).bindTooltip(textTip(r.title))
          .addTo(groups.routes));
      });
    } else if (groups.routes) data.routes.forEach(function (r) {
      // Width by reported value (square-root scale), arrows for direction.
      // A wide line's dashes grow with it, so the mode's pattern still reads.
      var w = r.width || 3, k = Math.max(1, w / 3);
      var dash = r.dash ? r.dash.split(" ").map(function (d) { return +d * k; }).join(" ") : null;
      lines.push(L.polyline(lls(r.coords), { color: r.color, weight: w, opacity: 0.85,
        dashArray: dash, lineCap: "butt" })
        .bindPopup(popupContent(r.popup)).addTo(groups.routes));
      arrow(r.arrow, r.color, "markerPane").addTo(groups.routes);
    });
    return lines;
  }

  // Returns the leg lines and stop markers (the timeline steps through them).
  function drawItinerary(data, groups, canvas) {
    var st = data.style;
    // Itinerary: geodesic legs with direction arrows, numbered stops with permanent labels.
    var legLines = [], stopMarkers = [];
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
        legLines[legLines.length - 1].geoArrow =
          arrow(leg.arrow, st.line, "markerPane").addTo(groups.itinerary);
      });
      if (!data.large) data.stops.forEach(function (s) {
        var box = el("div", "geo-stop");
        box.appendChild(el("span", "geo-stop-n", s.numbers));
        var name = label("stop", null, "geo-stop-label");
        name.appendChild(el("b", null, s.label));
        if (s.dates) name.appendChild(el("span", "geo-stop-dates", " · " + s.dates));
        box.appendChild(name);
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
    return { legLines: legLines, stopMarkers: stopMarkers };
  }

  // Returns the deal markers (spread apart from the stops when the map moves).
  function drawDeals(map, data, groups) {
    var dealMarkers = [];
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
    return dealMarkers;
  }

