/* geo: draws a trip's layers into a Leaflet map from the JSON payload.
 * Every string from the trip file is set with textContent: shown as text, never parsed or run. */
(function () {
  "use strict";
  var SVGNS = "http://www.w3.org/2000/svg";

  // The one place coordinates change order: payload [lon, lat] -> Leaflet [lat, lon].
  function ll(c) { return [c[1], c[0]]; }
  function lls(cs) { return cs.map(ll); }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  // The one way trip text becomes a tooltip: a node whose text is set with textContent.
  // Leaflet parses a string given to bindTooltip/bindPopup/divIcon as HTML; never pass one.
  function textTip(text) { return el("span", "geo-tip", text); }

  function svg(tag, attrs) {
    var e = document.createElementNS(SVGNS, tag);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    return e;
  }

