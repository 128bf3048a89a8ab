  // Chapters of the trip, one step each: the page embedding the map drives it by postMessage
  // ({geo: "step", index: N}; -1 is the whole trip) and hears back ({geo: "stepped", index,
  // count}); {geo: "ready", count} says the map is drawn. Only a message of exactly that shape
  // from the parent window is read, and only its number: nothing in it reaches the page.
  function story(map, data, legLines, stopMarkers, dealMarkers, more) {
    var routeLines = (more && more.routes) || [], shapes = (more && more.shapes) || [];
    routeLines.forEach(function (l) { l.geoOpacity = l.options.opacity; });
    shapes.forEach(function (s) {
      if (s) s.eachLayer(function (p) { p.geoFill = p.options.fillOpacity; });
    });
    var chapters = (data.story && data.story.chapters) || [];
    var home = { center: map.getCenter(), zoom: map.getZoom() };
    var reduced = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    var current = -1, drawing = null;
    // Each leg's seconds of playback (the trip's own travel times scaled to the pace).
    var seconds = (data.story && data.story.seconds) || [];
    legLines.forEach(function (line) { line.geoFull = line.getLatLngs().slice(); });
    // The leg row a drawn piece belongs to (a leg across the map's edge is drawn twice), and
    // whether chapter c shows partner country i (one of the resource records naming it).
    function legRow(i) { return data.legs[i].leg != null ? data.legs[i].leg : i; }
    function showsShape(c, i) {
      return (data.resources[i].records || []).some(function (r) {
        return (c.resources || []).indexOf(r) >= 0;
      });
    }

    // Draws the chapter's legs from their start along their true path, in their durations,
    // one after the other; calls done when the last is whole. Reduced motion: at once.
    function play(c, done) {
      if (drawing) drawing.cancel();
      legLines.forEach(function (line) {
        if (line.getLatLngs().length !== line.geoFull.length) line.setLatLngs(line.geoFull);
        if (line.geoArrow) line.geoArrow.setOpacity(1);
      });
      var lines = [];
      if (c) legLines.forEach(function (line, i) {
        if (c.legs.indexOf(legRow(i)) >= 0) lines.push({ line: line, row: legRow(i) });
      });
      if (reduced || !lines.length) { done(); return; }
      var stopped = false, k = 0, start = null, pausedAt = null;
      drawing = {
        cancel: function () { stopped = true; },
        pause: function () { if (pausedAt === null) pausedAt = performance.now(); },
        resume: function () {
          if (pausedAt === null) return;
          if (start !== null) start += performance.now() - pausedAt;
          pausedAt = null;
        },
        paused: function () { return pausedAt !== null; },
      };
      lines.forEach(function (x) {
        x.line.setLatLngs(x.line.geoFull.slice(0, 1));
        if (x.line.geoArrow) x.line.geoArrow.setOpacity(0);
      });
      function frame(now) {
        if (stopped) return;
        if (pausedAt !== null) { requestAnimationFrame(frame); return; }
        if (start === null) start = now;
        var x = lines[k], full = x.line.geoFull;
        var dur = 1000 * (seconds[x.row] || 2), f = Math.min(1, (now - start) / dur);
        var n = Math.max(2, Math.ceil(f * full.length));
        x.line.setLatLngs(f >= 1 ? full : full.slice(0, n));
        if (f < 1) { requestAnimationFrame(frame); return; }
        if (x.line.geoArrow) x.line.geoArrow.setOpacity(1);
        k += 1;
        start = null;
        if (k < lines.length) requestAnimationFrame(frame);
        else { drawing = null; done(); }
      }
      requestAnimationFrame(frame);
    }

    function mark(node, on, all) {
      if (!node) return;
      node.classList.toggle("geo-dim", !on);
      node.classList.toggle("geo-active", on && !all);
    }
    function highlight(c) {
      var all = !c;
      legLines.forEach(function (line, i) {
        var on = all || c.legs.indexOf(legRow(i)) >= 0;
        line.setStyle({ opacity: on ? 0.9 : 0.15, weight: !all && on ? 4.5 : 2.5 });
      });
      stopMarkers.forEach(function (m, i) {
        mark(m.getElement && m.getElement(), all || c.stops.indexOf(i) >= 0, all);
      });
      dealMarkers.forEach(function (m, i) {
        mark(m.getElement && m.getElement(), all || c.deals.indexOf(i) >= 0, all);
      });
      routeLines.forEach(function (l, i) {
        var on = all || (c.routes || []).indexOf(i) >= 0;
        l.setStyle({ opacity: on ? l.geoOpacity : 0.15 });
      });
      shapes.forEach(function (s, i) {
        if (!s) return;
        var on = all || showsShape(c, i);
        s.eachLayer(function (p) { p.setStyle({ fillOpacity: on ? p.geoFill : 0.08 }); });
      });
    }
    function points(c) {
      var pts = c.stops.map(function (i) { return ll([data.stops[i].lon, data.stops[i].lat]); });
      data.legs.forEach(function (leg, i) {
        if (c.legs.indexOf(legRow(i)) >= 0) pts = pts.concat(lls(leg.coords));
      });
      c.deals.forEach(function (i) { pts.push(ll([data.deals[i].lon, data.deals[i].lat])); });
      (c.routes || []).forEach(function (i) {
        if (data.routes[i]) pts = pts.concat(lls(data.routes[i].coords));
      });
      shapes.forEach(function (s, i) {
        if (s && showsShape(c, i)) pts.push(s.getBounds().getSouthWest(), s.getBounds().getNorthEast());
      });
      return pts;
    }
    // Moves the map to chapter k (or the whole trip) and calls done once it is there.
    function show(k, done) {
      var c = k >= 0 && k < chapters.length ? chapters[k] : null;
      current = c ? k : -1;
      highlight(c);
      // The answer waits for both the move and the drawing of the legs.
      var waiting = 2;
      function half() { waiting -= 1; if (!waiting && done) done(current); }
      play(c, half);
      var pts = c ? points(c) : [];
      var view = c && c.view && (map.getSize().x < 600 ? c.view.phone || c.view.desktop
        : c.view.desktop || c.view.phone);
      var finished = false;
      function end() {
        if (finished) return;
        finished = true;
        half();
      }
      map.once("moveend", end);
      var motion = { animate: !reduced, duration: reduced ? 0 : 0.8 };
      if (view) map.flyTo(ll([view[1], view[0]]), view[2], motion);
      else if (!pts.length) map.flyTo(home.center, home.zoom, motion);
      else {
        // One place: close enough to see it, far enough to see where it is.
        var one = L.latLngBounds(pts), single = one.getNorthEast().equals(one.getSouthWest());
        // Room for the labels beside the places and for the controls in the corners.
        map.flyToBounds(one, L.extend({ paddingTopLeft: [64, 72], paddingBottomRight: [64, 56],
          maxZoom: single ? 5 : 6 }, motion));
      }
      // A move to where the map already is may end without a moveend.
      setTimeout(end, reduced ? 50 : 1200);
    }
    window.geoStep = show;
    window.geoChapters = chapters.length;
    // Pause and resume the drawing of a leg (the story page's button, a host's message);
    // returns whether it is paused.
    window.geoPause = function (on) {
      if (drawing) { if (on) drawing.pause(); else drawing.resume(); }
      return !!(drawing && drawing.paused());
    };
    if (window.parent === window) return;
    window.addEventListener("message", function (e) {
      var d = e.data;
      if (e.source !== window.parent || !d || typeof d !== "object") return;
      if (d.geo === "pause" || d.geo === "play") { window.geoPause(d.geo === "pause"); return; }
      if (d.geo !== "step") return;
      var k = d.index;
      if (typeof k !== "number" || k !== Math.floor(k) || k < -1 || k >= chapters.length) return;
      show(k, function (at) {
        window.parent.postMessage({ geo: "stepped", index: at, count: chapters.length }, "*");
      });
    });
    window.parent.postMessage({ geo: "ready", count: chapters.length }, "*");
  }
