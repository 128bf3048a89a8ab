  function popupContent(p) {
    var box = el("div", "geo-popup");
    box.appendChild(el("h2", null, p.title));
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

