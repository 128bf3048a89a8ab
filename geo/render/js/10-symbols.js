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

