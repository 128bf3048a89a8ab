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
        // Two bars drawn, not the Unicode pause sign (missing from many fonts).
        play.textContent = "";
        var bars = svg("svg", { width: 12, height: 12, viewBox: "0 0 12 12", "aria-hidden": "true" });
        bars.appendChild(svg("rect", { x: 2, y: 1, width: 3, height: 10, fill: "currentColor" }));
        bars.appendChild(svg("rect", { x: 7, y: 1, width: 3, height: 10, fill: "currentColor" }));
        play.appendChild(bars);
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

