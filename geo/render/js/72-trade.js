  // The trade map (geo flows TABLE -o map.html): flows summed between the clusters of the
  // zoom level, for the filters chosen; places sized by their trade in and out. Every name
  // from the table is set with textContent.
  var TRADE_DRAWN = 300, TRADE_PHONE = 150, TRADE_W = 14, TRADE_R = 16;

  function tradeMoney(lang, cur) {
    var f = null;
    try {
      f = new Intl.NumberFormat(lang, { style: "currency", currency: cur, currencyDisplay: "code",
        notation: "compact", compactDisplay: "long", maximumSignificantDigits: 3 });
    } catch (e) { f = null; }
    return function (v) { return f ? f.format(v) : cur + " " + Math.round(v); };
  }

  // A great circle between two [lon, lat] points, longitudes unwrapped from the first so the
  // line crosses the antimeridian instead of going round the world.
  function greatCircle(a, b, n) {
    var r = Math.PI / 180, out = [];
    var p1 = [Math.cos(a[1] * r) * Math.cos(a[0] * r), Math.cos(a[1] * r) * Math.sin(a[0] * r),
      Math.sin(a[1] * r)];
    var p2 = [Math.cos(b[1] * r) * Math.cos(b[0] * r), Math.cos(b[1] * r) * Math.sin(b[0] * r),
      Math.sin(b[1] * r)];
    var dot = Math.max(-1, Math.min(1, p1[0] * p2[0] + p1[1] * p2[1] + p1[2] * p2[2]));
    var om = Math.acos(dot), last = a[0];
    for (var i = 0; i <= n; i++) {
      var t = i / n, s1 = om < 1e-9 ? 1 - t : Math.sin((1 - t) * om) / Math.sin(om);
      var s2 = om < 1e-9 ? t : Math.sin(t * om) / Math.sin(om);
      var x = s1 * p1[0] + s2 * p2[0], y = s1 * p1[1] + s2 * p2[1], z = s1 * p1[2] + s2 * p2[2];
      var lon = Math.atan2(y, x) / r, lat = Math.atan2(z, Math.sqrt(x * x + y * y)) / r;
      while (lon - last > 180) lon -= 360;
      while (lon - last < -180) lon += 360;
      last = lon;
      out.push([lat, lon]);
    }
    return out;
  }

  // The arc bent to the right of its direction (by a share of its screen length), so the flows
  // A -> B and B -> A lie side by side.
  function bend(map, lls, width) {
    var pts = lls.map(function (p) { return map.latLngToLayerPoint(p); });
    var a = pts[0], b = pts[pts.length - 1];
    var len = Math.max(1, a.distanceTo(b)), bulge = Math.min(0.12 * len, 80) + width / 2;
    var nx = -(b.y - a.y) / len, ny = (b.x - a.x) / len;
    return pts.map(function (p, i) {
      var s = Math.sin(Math.PI * i / (pts.length - 1)) * bulge;
      return map.layerPointToLatLng(L.point(p.x + nx * s, p.y + ny * s));
    });
  }

  function tradeLayer(map, data) {
    var T = data.trade, S = data.strings, money = tradeMoney(data.lang, T.currency);
    var places = T.places, F = T.flows, nf = F.v.length;
    var chosen = T.filters.map(function () { return -1; });
    var modeChosen = -1;
    var group = L.layerGroup().addTo(map);
    var phone = window.innerWidth < 600;
    var note = el("p", "geo-trade-note");

    function level() {
      var z = Math.round(map.getZoom());
      return T.clusters[Math.max(0, Math.min(T.clusters.length - 1, z - T.zoom[0]))];
    }

    function sums() {
      var rep = level(), pairs = {}, inn = {}, out = {}, members = {};
      rep.forEach(function (r) { members[r] = (members[r] || 0) + 1; });
      for (var i = 0; i < nf; i++) {
        var ok = modeChosen < 0 || F.m[i] === modeChosen;
        for (var k = 0; ok && k < chosen.length; k++) {
          if (chosen[k] >= 0 && F[T.filters[k].key][i] !== chosen[k]) ok = false;
        }
        if (!ok) continue;
        var a = rep[F.o[i]], b = rep[F.d[i]], v = F.v[i];
        out[a] = (out[a] || 0) + v;
        inn[b] = (inn[b] || 0) + v;
        if (a === b) continue;
        var key = a + ">" + b, p = pairs[key];
        if (!p) p = pairs[key] = { a: a, b: b, v: 0, n: 0 };
        p.v += v; p.n += F.n[i];
      }
      var list = Object.keys(pairs).map(function (k) { return pairs[k]; });
      list.sort(function (x, y) { return y.v - x.v || x.a - y.a || x.b - y.b; });
      return { list: list, inn: inn, out: out, members: members };
    }

    function name(i, members) {
      var more = (members[i] || 1) - 1;
      return places[i][2] + (more > 0 ? " +" + more : "");
    }

    // Popups in the one shape every popup of the map has (popupContent: text nodes only).
    function flowPopup(p, members) {
      return { title: name(p.a, members) + " \u2192 " + name(p.b, members),
        rows: [[S.value, money(p.v)], [S.trade_rows, p.n.toLocaleString(data.lang)]] };
    }

    function placePopup(i, s) {
      return { title: name(i, s.members), note: places[i][3] || null,
        rows: [[S.trade_in, money(s.inn[i] || 0)], [S.trade_out, money(s.out[i] || 0)]] };
    }

    function draw() {
      group.clearLayers();
      var s = sums(), most = phone ? TRADE_PHONE : TRADE_DRAWN;
      var shown = s.list.slice(0, most), top = shown.length ? shown[0].v : 1;
      var style = window.getComputedStyle(document.documentElement);
      var ink = T.ink;
      var dot = style.getPropertyValue("--stop").trim() || "#1f4e79";
      // Smallest first, so the largest flows lie on top.
      shown.slice().reverse().forEach(function (p) {
        var w = 1 + (TRADE_W - 1) * Math.sqrt(p.v / top);
        var a = places[p.a], b = places[p.b];
        var line = L.polyline(bend(map, greatCircle([a[0], a[1]], [b[0], b[1]], 24), w), {
          color: ink, weight: w, opacity: 0.72, lineCap: "butt", className: "geo-trade-flow"
        });
        line.bindTooltip(textTip(name(p.a, s.members) + " \u2192 " + name(p.b, s.members) +
          ": " + money(p.v)), { sticky: true });
        line.bindPopup(popupContent(flowPopup(p, s.members)));
        group.addLayer(line);
      });
      var ids = Object.keys(s.members).map(Number).filter(function (i) {
        return (s.inn[i] || 0) + (s.out[i] || 0) > 0;
      });
      var big = 0;
      ids.forEach(function (i) { big = Math.max(big, (s.inn[i] || 0) + (s.out[i] || 0)); });
      ids.sort(function (x, y) {
        return (s.inn[y] || 0) + (s.out[y] || 0) - (s.inn[x] || 0) - (s.out[x] || 0) || x - y;
      });
      var labels = [];
      ids.forEach(function (i, k) {
        var t = (s.inn[i] || 0) + (s.out[i] || 0), p = places[i];
        var c = L.circleMarker([p[1], p[0]], { radius: 3 + (TRADE_R - 3) * Math.sqrt(t / big),
          color: "#fff", weight: 1, fillColor: dot, fillOpacity: 0.85,
          className: "geo-trade-place" });
        c.bindTooltip(textTip(name(i, s.members) + ": " + S.trade_in + " " +
          money(s.inn[i] || 0) + " \u00b7 " + S.trade_out + " " + money(s.out[i] || 0)));
        c.bindPopup(popupContent(placePopup(i, s)));
        group.addLayer(c);
        if (k < 40) labels.push([i, c]);
      });
      // Names of the largest places where they fit: none on another, none cut by the edge.
      // The controls stay clear; the basemap's names (countries, seas) give way to the trade
      // places' below (a place is often the same country).
      var frame = boxOf(map.getContainer());
      function visible(sel) {
        return qa(map.getContainer(), sel).filter(function (n) {
          return !n.closest("[hidden]") && n.offsetParent !== null;
        });
      }
      var kept = visible(".geo-capital-label, .leaflet-control").map(boxOf);
      var ours = [];
      labels.forEach(function (x) {
        var node = el("span", "geo-trade-name", name(x[0], s.members));
        var p = places[x[0]], m = L.marker([p[1], p[0]], { interactive: false, keyboard: false,
          icon: L.divIcon({ className: "geo-trade-label", html: node, iconSize: null }) });
        group.addLayer(m);
        var b = boxOf(node);
        var inside = b.l >= frame.l && b.r <= frame.r && b.t >= frame.t && b.b <= frame.b;
        if (!inside || kept.some(function (o) { return hits(o, b); })) { group.removeLayer(m); }
        else { kept.push(b); ours.push(b); }
      });
      visible(".geo-country, .geo-water").forEach(function (n) {
        var b = boxOf(n);
        if (ours.some(function (o) { return hits(o, b); })) n.hidden = true;
      });
      note.textContent = S.trade_shown.replace("{shown}", shown.length.toLocaleString(data.lang))
        .replace("{total}", s.list.length.toLocaleString(data.lang));
    }

    // The filters: a year, a commodity, a mode (where the table has more than one).
    var ctl = L.control({ position: "topright" });
    ctl.onAdd = function () {
      var box = el("form", "geo-trade-filters");
      box.setAttribute("aria-label", S.trade_filters);
      function select(label, values, onChange, id) {
        var lab = el("label", null, label), sel = el("select");
        sel.id = id; lab.htmlFor = id;
        sel.appendChild(el("option", null, S.trade_all)).value = "-1";
        values.forEach(function (v, j) { sel.appendChild(el("option", null, v)).value = String(j); });
        sel.addEventListener("change", function () { onChange(Number(sel.value)); draw(); });
        var row = el("div", "geo-trade-filter");
        row.appendChild(lab); row.appendChild(sel);
        box.appendChild(row);
      }
      T.filters.forEach(function (f, k) {
        select(f.label, f.values, function (j) { chosen[k] = j; }, "geo-trade-f" + k);
      });
      if (T.modes.length > 1) {
        select(S.mode, T.modeNames, function (j) { modeChosen = j; }, "geo-trade-mode");
      }
      box.appendChild(note);
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    };
    ctl.addTo(map);
    draw();  // and again after each zoom or move (geoDrawTrip's tidy)
    return { draw: draw };
  }
