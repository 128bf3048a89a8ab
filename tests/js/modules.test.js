// Unit tests of the map script's pure functions, with Node's built-in runner:
//   node --test tests/js/
// Each module is a piece of one function scope (geo/render/layer.py joins them); a test loads
// the pieces it needs into a fresh function and takes the names it tests from it.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");

const DIR = path.join(__dirname, "..", "..", "geo", "render", "js");

test("every module the page joins exists, and together they open and close one scope", () => {
  const layer = fs.readFileSync(path.join(DIR, "..", "layer.py"), "utf8");
  const listed = [...layer.matchAll(/"(\d\d-[a-z]+\.js)"/g)].map((m) => m[1]);
  assert.deepEqual(listed, fs.readdirSync(DIR).filter((f) => f.endsWith(".js")).sort());
  const joined = listed.map((m) => fs.readFileSync(path.join(DIR, m), "utf8")).join("");
  assert.ok(joined.startsWith("/* geo:"));
  assert.ok(joined.trimEnd().endsWith("})();"));
  assert.doesNotThrow(() => new Function(joined.replace(/\}\)\(\);\s*$/, "})")));
});

const core = () => fs.readFileSync(path.join(DIR, "00-core.js"), "utf8").replace(/^[\s\S]*?"use strict";/, "");

function piece(module, names) {
  // A module on its own, inside the scope 00-core.js opens (without running the IIFE).
  const body = core() + "\n" + fs.readFileSync(path.join(DIR, module), "utf8");
  return new Function("window", "document", `${body}\nreturn { ${names.join(", ")} };`)({}, {});
}

test("coordinates change order in one place: [lon, lat] -> [lat, lon]", () => {
  const { ll, lls } = piece("20-basemap.js", ["ll", "lls"]);
  assert.deepEqual(ll([69.28, 41.31]), [41.31, 69.28]);
  assert.deepEqual(lls([[1, 2], [3, 4]]), [[2, 1], [4, 3]]);
});

test("basemap polygons decode from integer steps back to degrees", () => {
  const { multiPolygon } = piece("20-basemap.js", ["multiPolygon"]);
  // One polygon, one ring: start (100, 200) then steps (+10, 0), (0, +10), in 0.5-degree units.
  const g = multiPolygon([[[100, 200, 10, 0, 0, 10]]], 0.5);
  assert.equal(g.type, "MultiPolygon");
  assert.deepEqual(g.coordinates[0][0][0], [50, 100]);
  assert.deepEqual(g.coordinates[0][0].at(-1), [55, 105]);
});

test("boxes hit when they overlap, not when they only touch", () => {
  const { hits } = piece("60-declutter.js", ["hits"]);
  const a = { l: 0, t: 0, r: 10, b: 10 };
  assert.equal(hits(a, { l: 5, t: 5, r: 15, b: 15 }), true);
  assert.equal(hits(a, { l: 10, t: 0, r: 20, b: 10 }), false); // edge to edge
  assert.equal(hits(a, { l: 20, t: 20, r: 30, b: 30 }), false);
});

test("label candidates sit on the named side of the stop number, clear of it", () => {
  const { candidate, hits, PLACES } = piece("60-declutter.js", ["candidate", "hits", "PLACES"]);
  const n = { l: 100, t: 100, r: 120, b: 120 };
  const right = candidate("right", n, 50, 14);
  assert.ok(right.l > n.r && Math.abs((right.t + right.b) / 2 - 110) < 1e-9);
  const left = candidate("left", n, 50, 14);
  assert.ok(left.r < n.l && left.r - left.l === 50);
  const above = candidate("above", n, 50, 14);
  assert.ok(above.b <= n.t);
  const below = candidate("below", n, 50, 14);
  assert.ok(below.t >= n.b);
  assert.equal(PLACES.length, 8);
  for (const place of ["right", "left", "above", "below"]) {
    assert.equal(hits(candidate(place, n, 50, 14), n), false, place);
  }
});
