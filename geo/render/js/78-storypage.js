  // The story page (geo story): the chapter being read drives the map. A chapter is current
  // while it crosses the reading line: the middle of the screen beside the map on a desktop,
  // the middle of the part below the sticky map on a phone. Above the first chapter, or past
  // the last, the map shows the whole trip. Focus (Tab) brings a chapter to the line.
  function storyPage(map) {
    var sections = Array.prototype.slice.call(document.querySelectorAll(".geo-chapter"));
    if (!sections.length || typeof window.IntersectionObserver !== "function") return;
    var current = null, crossing = sections.map(function () { return false; });
    function enter(s) {
      if (current === s) return;
      current = s;
      sections.forEach(function (x) {
        if (x === s) x.setAttribute("aria-current", "step");
        else x.removeAttribute("aria-current");
      });
      window.geoStep(s ? Number(s.getAttribute("data-index")) : -1);
    }
    var phone = window.matchMedia("(max-width: 799px)").matches;
    var line = phone ? "-77% 0px -22% 0px" : "-49% 0px -50% 0px";
    var seen = new IntersectionObserver(function (entries) {
      entries.forEach(function (e) {
        crossing[sections.indexOf(e.target)] = e.isIntersecting;
      });
      var k = crossing.indexOf(true);
      enter(k >= 0 ? sections[k] : null);
    }, { rootMargin: line });
    sections.forEach(function (s, k) {
      seen.observe(s);
      s.addEventListener("focus", function () {
        s.scrollIntoView({ block: phone ? "end" : "center" });
      });
      // Arrow keys seek: the next or the previous chapter.
      s.addEventListener("keydown", function (e) {
        var to = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1 }[e.key];
        if (!to || !sections[k + to]) return;
        e.preventDefault();
        sections[k + to].focus();
      });
    });
    // Pause: stops the drawing of a leg where it is, and resumes it.
    var S = window.geoStrings || {};
    var control = L.control({ position: "bottomleft" });
    control.onAdd = function () {
      var button = el("button", "geo-story-pause");
      button.type = "button";
      // SVG icons: the Unicode pause sign is missing from many fonts.
      function icon(paused) {
        var g = svg("svg", { width: 14, height: 14, viewBox: "0 0 14 14", "aria-hidden": "true" });
        if (paused) g.appendChild(svg("path", { d: "M3 1.5 L12 7 L3 12.5 Z", fill: "currentColor" }));
        else {
          g.appendChild(svg("rect", { x: 2.5, y: 1.5, width: 3, height: 11, fill: "currentColor" }));
          g.appendChild(svg("rect", { x: 8.5, y: 1.5, width: 3, height: 11, fill: "currentColor" }));
        }
        return g;
      }
      function name(paused) {
        var word = paused ? S.play : S.pause;
        button.textContent = "";
        button.appendChild(icon(paused));
        button.setAttribute("aria-label", word);
        button.title = word;
      }
      name(false);
      button.addEventListener("click", function () {
        var paused = window.geoPause(button.getAttribute("aria-label") === S.pause);
        name(paused);
      });
      var box = el("div", "leaflet-bar geo-story-controls");
      box.appendChild(button);
      L.DomEvent.disableClickPropagation(box);
      return box;
    };
    control.addTo(map);
    map.invalidateSize();
  }
