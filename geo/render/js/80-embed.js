  function embedControls(map, data) {
    var S = data.strings;
    // Full screen: the whole page, so the legend and timeline come along.
    var fs = L.control({ position: "topleft" });
    fs.onAdd = function () {
      var bar = el("div", "leaflet-bar geo-fullscreen");
      // An SVG icon: the Unicode full-screen sign is missing from many fonts.
      var button = el("button");
      var icon = svg("svg", { width: 16, height: 16, viewBox: "0 0 16 16", "aria-hidden": "true" });
      icon.appendChild(svg("path", { d: "M1 6V1h5M10 1h5v5M15 10v5h-5M6 15H1v-5", fill: "none",
        stroke: "currentColor", "stroke-width": 2 }));
      button.appendChild(icon);
      button.type = "button";
      button.setAttribute("aria-label", S.fullscreen);
      button.title = S.fullscreen;
      button.addEventListener("click", function () {
        var root = document.documentElement;
        if (document.fullscreenElement) document.exitFullscreen();
        else if (root.requestFullscreen) root.requestFullscreen();
      });
      bar.appendChild(button);
      L.DomEvent.disableClickPropagation(bar);
      return bar;
    };
    fs.addTo(map);
    // Tell the page embedding us how tall we are (embed.html listens).
    function report() {
      var page = document.querySelector(".geo-page");
      var h = Math.ceil(page ? page.getBoundingClientRect().height : document.body.scrollHeight);
      if (window.parent !== window) {
        window.parent.postMessage({ type: "geo-embed-height", id: data.id, height: h }, "*");
      }
    }
    window.addEventListener("load", report);
    window.addEventListener("resize", report);
    document.querySelectorAll("details").forEach(function (d) {
      d.addEventListener("toggle", report);
    });
    report();
  }
