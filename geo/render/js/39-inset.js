  // The inset locator: the region's land (payload.py _inset, Web Mercator like the map) with
  // the map's view marked, redrawn as the reader pans and zooms. Our own numbers only.
  function insetControl(map, data) {
    var inset = data.inset;
    if (!inset) return null;
    var e = inset.extent, R = Math.PI / 180, merc = L.Projection.SphericalMercator;
    var k = inset.w / ((e[2] - e[0]) * R);
    // Leaflet's own projection, in units of the sphere's radius (radians of longitude).
    function my(lat) { return merc.project(L.latLng(lat, 0)).y / merc.R; }
    var top = my(e[3]);
    var control = L.control({ position: "topright" });
    control.onAdd = function () {
      var box = el("div", "geo-inset");
      box.setAttribute("role", "img");
      box.setAttribute("aria-label", inset.label);
      var root = svg("svg", { viewBox: "0 0 " + inset.w + " " + inset.h, "aria-hidden": "true",
        focusable: "false" });
      root.appendChild(svg("path", { d: inset.d }));
      var frame = svg("rect", { x: 0, y: 0, width: 0, height: 0 });
      root.appendChild(frame);
      box.appendChild(root);
      function update() {
        var b = map.getBounds(), mid = (e[0] + e[2]) / 2;
        var c = b.getCenter().lng, shift = Math.round((mid - c) / 360) * 360;
        var x0 = (b.getWest() + shift - e[0]) * R * k, x1 = (b.getEast() + shift - e[0]) * R * k;
        var y0 = (top - my(b.getNorth())) * k, y1 = (top - my(b.getSouth())) * k;
        // A view smaller than a few pixels of the inset is still marked, around its centre.
        var w = Math.max(x1 - x0, 6), h = Math.max(y1 - y0, 6);
        frame.setAttribute("x", ((x0 + x1) / 2 - w / 2).toFixed(1));
        frame.setAttribute("y", ((y0 + y1) / 2 - h / 2).toFixed(1));
        frame.setAttribute("width", w.toFixed(1));
        frame.setAttribute("height", h.toFixed(1));
      }
      map.on("moveend zoomend resize", update);
      update();
      return box;
    };
    control.addTo(map);
    return control;
  }

