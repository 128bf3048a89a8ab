  // The legend, generated from the data with the same colours and shapes as the map.
  function legendControl(map, data) {
    var st = data.style;
    var legend = L.control({ position: "bottomright" });
    legend.onAdd = function () {
      var box = el("details", "geo-legend");
      box.open = window.innerWidth > 600;
      box.appendChild(el("summary", null, data.strings.legend));
      data.legend.forEach(function (sec) {
        var s = el("section");
        s.appendChild(el("h2", null, sec.title));
        var ul = el("ul");
        sec.items.forEach(function (it) {
          var li = el("li", "geo-legend-" + it.kind);
          var key = svg("svg", { width: 28, height: 16, viewBox: "0 0 28 16", "aria-hidden": "true" });
          if (it.kind === "line") {
            // The itinerary's key in the theme's ink, as its lines (legs in dark on a dark panel
            // would not show); other lines keep their colours.
            var ink = it.color === st.ink ? st.line : it.color;
            key.appendChild(svg("line", { x1: 1, y1: 8, x2: 27, y2: 8, stroke: ink,
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
    return legend;
  }

