  // Polygons as payload.py _encoded writes them: per ring, the first position and then the
  // steps, in integer units of q degrees. Back to GeoJSON [lon, lat] here.
  function multiPolygon(polys, q) {
    return { type: "MultiPolygon", coordinates: polys.map(function (rings) {
      return rings.map(function (r) {
        var out = [], x = 0, y = 0;
        for (var i = 0; i < r.length; i += 2) {
          x += r[i]; y += r[i + 1];
          out.push([x * q, y * q]);
        }
        return out;
      });
    }) };
  }

