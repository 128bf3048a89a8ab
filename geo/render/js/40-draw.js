  // The page's theme (geo-map.css custom properties from geo.palette) over the payload's
  // colours, which stay for a user's own folium map without our stylesheet.
  function themed(st) {
    var css = window.getComputedStyle(document.documentElement);
    function v(name, fallback) { return css.getPropertyValue("--" + name).trim() || fallback; }
    // The payload's own ink, kept so the legend's itinerary key takes the theme's too.
    if (!st.ink) st.ink = st.line;
    st.line = v("route", st.line);
    st.stop = v("stop", st.stop);
    st.basemap = { land: v("land", st.basemap.land), home: v("home", st.basemap.home),
      partner: v("partner", st.basemap.partner), edge: v("border", st.basemap.edge) };
  }

  window.geoDrawTrip = function (map, data, groups) {
    window.geoMap = map;
    themed(data.style);
    map.createPane("geo-basemap").style.zIndex = 200;
    map.createPane("geo-countries").style.zIndex = 350;
    map.createPane("geo-labels").style.zIndex = 450;
    map.getPane("geo-labels").style.pointerEvents = "none";

    // Thousands of lines: one canvas for every vector layer. A canvas per layer would stack
    // them, and the top one would take every pointer event from the ones below.
    // Lines drawn for scale are thin: a 5 px margin lets a pointer find them.
    var canvas = data.large || data.largeRoutes ? L.canvas({ padding: 0.2, tolerance: 5 })
      : undefined;

    drawBasemap(map, data, groups);
    var shapes = drawResources(map, data, groups);
    var routeLines = drawRoutes(data, groups, canvas);
    var itinerary = drawItinerary(data, groups, canvas);
    var legLines = itinerary.legLines, stopMarkers = itinerary.stopMarkers;
    var dealMarkers = drawDeals(map, data, groups);
    var legend = legendControl(map, data);
    insetControl(map, data);

    // On the story page the chapters step through the trip: no second stepper.
    if (data.timeline.days.length > 1 && !data.large && !data.storyPage) {
      timeline(map, data, legLines, stopMarkers);
    }
    if (data.embed) embedControls(map, data);
    var trade = data.trade ? tradeLayer(map, data) : null;

    // Deals step aside from stops, labels from both; what cannot fit is hidden.
    function tidy() { spreadDeals(map, dealMarkers); declutter(map); if (trade) trade.draw(); }
    map.on("zoomend moveend resize overlayadd", tidy);

    // Frame the stops, deals and labels, with fractional zoom; the legend folds where it
    // would cover any of them.
    map.options.zoomSnap = 0;
    var pts = data.stops.map(function (s) { return ll([s.lon, s.lat]); })
      .concat(data.deals.map(function (d) { return ll([d.lon, d.lat]); }));
    if (trade) pts = [ll(data.bounds[0]), ll(data.bounds[1])];
    // The story page keeps the legend folded: the map is the chapters' stage.
    var box = legend.getContainer(), wide = box.open && !data.storyPage;
    var one = L.latLngBounds(pts);
    box.open = false;
    map.fitBounds(one, { padding: [40, 40], maxZoom: 10, animate: false });
    var most = one.getNorthEast().equals(one.getSouthWest()) ? 10 : 16;
    function frame() {
      for (var k = 0; k < 3; k++) {
        spreadDeals(map, dealMarkers);
        declutter(map, true);
        fit(map, most);
      }
      tidy();
    }
    frame();
    // The legend opens where the trip loses little room to it (a quarter of its scale at most)
    // and it covers nothing the reader needs; else it stays folded.
    if (wide) {
      var folded = map.getZoom(), top = boxOf(map._controlCorners.topright);
      box.open = true;
      frame();
      if (map.getZoom() < folded - 0.42 || covers(map, box) || hits(boxOf(box), top)) {
        box.open = false;
        frame();
      }
    }
    // Web fonts and late layout change label widths: place them again once the page settles.
    window.addEventListener("load", tidy);
    // The steps a host page drives (embed mode), from the view just framed.
    if (data.embed || data.storyPage) {
      story(map, data, legLines, stopMarkers, dealMarkers, { routes: routeLines, shapes: shapes });
    }
    if (data.storyPage) { window.geoStrings = data.strings; storyPage(map); }
  };

