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

// placeLabels: items as the declutter builds them from the page's boxes.
const FRAME = { l: 0, t: 0, r: 400, b: 300 };
const box = (l, t, w, h) => ({ l, t, r: l + w, b: t + h });
const stop = (l, t, order) => ({ rank: "stop", box: box(l, t, 60, 14), anchor: box(l, t, 20, 20),
  order: order || ["right", "left", "above", "below"], hold: false });
const name = (rank, l, t, alts) => ({ rank, box: box(l, t, 50, 12), anchor: null, hold: false, alts });

test("a stop label goes to the first free side of its number, clear of every taken box", () => {
  const { placeLabels } = piece("60-declutter.js", ["placeLabels"]);
  const a = stop(100, 100);
  // Nothing in the way: right. A deal symbol to the right of the number: left.
  assert.deepEqual(placeLabels([a], [a.anchor], [], FRAME, false), ["right"]);
  assert.deepEqual(placeLabels([a], [a.anchor, box(126, 100, 20, 20)], [], FRAME, false), ["left"]);
  // Against the frame's right edge: the label does not leave the map.
  const edge = stop(370, 100);
  assert.deepEqual(placeLabels([edge], [edge.anchor], [], FRAME, false), ["left"]);
  // Hemmed in on every side: hidden, not drawn over what is there.
  const walls = [box(124, 90, 100, 40), box(0, 90, 98, 40), box(60, 40, 100, 58), box(60, 122, 100, 60)];
  assert.deepEqual(placeLabels([a], [a.anchor, ...walls], [], FRAME, false), [""]);
});

test("a lower rank yields to a higher one, whatever the order of the items", () => {
  const { placeLabels } = piece("60-declutter.js", ["placeLabels"]);
  // A country name exactly where a stop label goes: the stop keeps its place, the country
  // moves a line up; the order of the items does not matter.
  const s = stop(100, 100);
  const country = name("country", 124, 103);
  assert.deepEqual(placeLabels([country, s], [s.anchor], [], FRAME, false), ["up", "right"]);
  assert.deepEqual(placeLabels([s, country], [s.anchor], [], FRAME, false), ["right", "up"]);
  // Water outranks other countries: at the same point, water stays and the country moves.
  const sea = name("water", 200, 200), other = name("country", 200, 200);
  assert.deepEqual(placeLabels([other, sea], [], [], FRAME, false), ["up", "at"]);
});

test("a name without an anchor tries its point, a line up, a line down, then its other places", () => {
  const { placeLabels, shift } = piece("60-declutter.js", ["placeLabels", "shift"]);
  assert.deepEqual(shift("up", 12, []), [0, -16]);
  assert.deepEqual(shift("down", 12, []), [0, 16]);
  assert.deepEqual(shift("alt1", 12, [[5, 5], [-80, 40]]), [-80, 40]);
  // A deal symbol over the point and the lines above and below: the first other place with
  // room is taken; with no other place the name is hidden.
  const deal = box(190, 170, 70, 70);
  const sea = name("water", 200, 200, [[10, 10], [0, -150]]);
  assert.deepEqual(placeLabels([sea], [deal], [], FRAME, false), ["alt1"]);
  assert.deepEqual(placeLabels([name("water", 200, 200)], [deal], [], FRAME, false), [""]);
  // Controls shelter their corner from names, not from stop labels.
  const control = box(190, 198, 80, 16);
  assert.deepEqual(placeLabels([name("water", 200, 200)], [], [control], FRAME, false), ["up"]);
  const s = stop(150, 190);
  assert.deepEqual(placeLabels([s], [s.anchor], [control], FRAME, false), ["right"]);
});

test("a capital's name holds its dot: no room for the dot, no name", () => {
  const { placeLabels } = piece("60-declutter.js", ["placeLabels"]);
  const cap = { rank: "capital", box: box(0, 0, 40, 11), anchor: box(100, 100, 5, 5),
    order: ["right", "left", "above", "below"], hold: true };
  assert.deepEqual(placeLabels([cap], [], [], FRAME, false), ["right"]);
  assert.deepEqual(placeLabels([cap], [box(98, 98, 10, 10)], [], FRAME, false), [""]);
  // A stop label placed first takes the dot's place: the capital yields.
  const s = stop(60, 92, ["right"]);
  assert.deepEqual(placeLabels([cap, s], [s.anchor], [], FRAME, false), ["", "right"]);
});

test("free placement ignores the frame (a map measured larger than it shows)", () => {
  const { placeLabels } = piece("60-declutter.js", ["placeLabels"]);
  const off = name("water", 390, 100);
  assert.deepEqual(placeLabels([off], [], [], FRAME, false), [""]);
  assert.deepEqual(placeLabels([off], [], [], FRAME, true), ["at"]);
});
