  // Chapters of the trip, one step each: the page embedding the map drives it by postMessage
  // ({geo: "step", index: N}; -1 is the whole trip) and hears back ({geo: "stepped", index,
  // count}); {geo: "ready", count} says the map is drawn. Only a message of exactly that shape
  // from the parent window is read, and only its number: nothing in it reaches the page.
  function story(map, data, legLines, stopMarkers, dealMarkers) {
    var chapters = (data.story && data.story.chapters) || [];
    var home = { center: map.getCenter(), zoom: map.getZoom() };
    var reduced = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    var current = -1;

    function mark(node, on, all) {
      if (!node) return;
      node.classList.toggle("geo-dim", !on);
      node.classList.toggle("geo-active", on && !all);
    }
    function highlight(c) {
      var all = !c;
      legLines.forEach(function (line, i) {
        var leg = data.legs[i].leg != null ? data.legs[i].leg : i;
        var on = all || c.legs.indexOf(leg) >= 0;
        line.setStyle({ opacity: on ? 0.9 : 0.15, weight: !all && on ? 4.5 : 2.5 });
      });
      stopMarkers.forEach(function (m, i) {
        mark(m.getElement && m.getElement(), all || c.stops.indexOf(i) >= 0, all);
      });
      dealMarkers.forEach(function (m, i) {
        mark(m.getElement && m.getElement(), all || c.deals.indexOf(i) >= 0, all);
      });
    }
    function points(c) {
      var pts = c.stops.map(function (i) { return ll([data.stops[i].lon, data.stops[i].lat]); });
      data.legs.forEach(function (leg, i) {
        var row = leg.leg != null ? leg.leg : i;
        if (c.legs.indexOf(row) >= 0) pts = pts.concat(lls(leg.coords));
      });
      c.deals.forEach(function (i) { pts.push(ll([data.deals[i].lon, data.deals[i].lat])); });
      return pts;
    }
    // Moves the map to chapter k (or the whole trip) and calls done once it is there.
    function show(k, done) {
      var c = k >= 0 && k < chapters.length ? chapters[k] : null;
      current = c ? k : -1;
      highlight(c);
      var pts = c ? points(c) : [];
      var view = c && c.view && (map.getSize().x < 600 ? c.view.phone || c.view.desktop
        : c.view.desktop || c.view.phone);
      var finished = false;
      function end() {
        if (finished) return;
        finished = true;
        if (done) done(current);
      }
      map.once("moveend", end);
      var motion = { animate: !reduced, duration: reduced ? 0 : 0.8 };
      if (view) map.flyTo(ll([view[1], view[0]]), view[2], motion);
      else if (!pts.length) map.flyTo(home.center, home.zoom, motion);
      else map.flyToBounds(L.latLngBounds(pts), L.extend({ padding: [48, 48], maxZoom: 7 }, motion));
      // A move to where the map already is may end without a moveend.
      setTimeout(end, reduced ? 50 : 1200);
    }
    window.geoStep = show;
    window.geoChapters = chapters.length;
    if (window.parent === window) return;
    window.addEventListener("message", function (e) {
      var d = e.data;
      if (e.source !== window.parent || !d || typeof d !== "object" || d.geo !== "step") return;
      var k = d.index;
      if (typeof k !== "number" || k !== Math.floor(k) || k < -1 || k >= chapters.length) return;
      show(k, function (at) {
        window.parent.postMessage({ geo: "stepped", index: at, count: chapters.length }, "*");
      });
    });
    window.parent.postMessage({ geo: "ready", count: chapters.length }, "*");
  }
