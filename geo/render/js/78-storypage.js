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
    sections.forEach(function (s) {
      seen.observe(s);
      s.addEventListener("focus", function () {
        s.scrollIntoView({ block: phone ? "end" : "center" });
      });
    });
    map.invalidateSize();
  }
