// visitgraph page: hand-written, no library, no network. Every string from the data is
// shown with textContent (never innerHTML): names and sentences are hostile input.
(function () {
  "use strict";
  const SVG = "http://www.w3.org/2000/svg";
  const $ = (id) => document.getElementById(id);
  const data = JSON.parse($("graph-data").textContent);
  const nodes = data.nodes;
  const edges = data.edges;
  const t2s = data.t2s || {};
  const svg = $("graph");
  const TYPES = { official: "official", organization: "organization", place: "place" };
  const RELS = { visited: "visited", accompanied: "accompanied" };
  const BIG = nodes.length > 300;
  if (BIG) document.body.classList.add("big");

  nodes.forEach((n, i) => { n.index = i; n.adj = []; n.visible = true; });
  edges.forEach((e, i) => {
    e.index = i;
    e.s = nodes[e.source];
    e.t = nodes[e.target];
    e.visible = true;
    e.s.adj.push(e);
    e.t.adj.push(e);
  });
  nodes.forEach((n) => {
    const w = n.adj.reduce((s, e) => s + e.evidence.length, 0);
    n.r = BIG ? 2.5 + 1.2 * Math.sqrt(w) : 6 + 2 * Math.sqrt(w);
  });
  // Rank by degree (then weight, then data order): the top-N filter and label priority.
  const byDegree = nodes.slice().sort((a, b) => b.adj.length - a.adj.length || b.r - a.r || a.index - b.index);
  byDegree.forEach((n, i) => { n.rank = i; });

  // ---- layout: Fruchterman–Reingold, repulsion by Barnes–Hut, a capped number of rounds,
  // a deterministic start on a spiral (same data, same picture) ----
  function quadtree(list) {
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (const p of list) {
      if (p.x < x0) x0 = p.x; if (p.y < y0) y0 = p.y;
      if (p.x > x1) x1 = p.x; if (p.y > y1) y1 = p.y;
    }
    const size = Math.max(x1 - x0, y1 - y0, 1) + 1;
    const root = { x: x0, y: y0, size: size, m: 0, cx: 0, cy: 0, kids: null, p: null };
    for (const p of list) insert(root, p, 0);
    return root;
  }
  function insert(c, p, depth) {
    c.cx = (c.cx * c.m + p.x) / (c.m + 1);
    c.cy = (c.cy * c.m + p.y) / (c.m + 1);
    c.m++;
    if (c.m === 1) { c.p = p; return; }
    if (depth > 40) return; // coincident points: they share the cell's mass
    if (!c.kids) {
      const h = c.size / 2;
      c.kids = [0, 1, 2, 3].map((k) => ({
        x: c.x + (k & 1 ? h : 0), y: c.y + (k & 2 ? h : 0), size: h, m: 0, cx: 0, cy: 0, kids: null, p: null,
      }));
      const old = c.p;
      c.p = null;
      if (old) insert(c.kids[quad(c, old)], old, depth + 1);
    }
    insert(c.kids[quad(c, p)], p, depth + 1);
  }
  function quad(c, p) {
    const h = c.size / 2;
    return (p.x >= c.x + h ? 1 : 0) + (p.y >= c.y + h ? 2 : 0);
  }
  // Repulsion reaches only so far (`far`, a squared distance), so gravity packs the
  // components together.
  function repel(c, p, k2, theta2, far) {
    if (c.m === 0 || c.p === p) return;
    let dx = p.x - c.cx, dy = p.y - c.cy;
    let d2 = dx * dx + dy * dy;
    if (c.kids && c.size * c.size > theta2 * d2) {
      for (const q of c.kids) repel(q, p, k2, theta2, far);
      return;
    }
    if (d2 > far) return;
    if (d2 < 0.01) { dx = 0.1 * ((p.index % 7) - 3) + 0.05; dy = 0.1; d2 = dx * dx + dy * dy; }
    const f = (k2 * c.m) / d2;
    p.dx += dx * f; p.dy += dy * f;
  }
  function layout() {
    const n = nodes.length;
    if (!n) return;
    const k = BIG ? 24 : 70;
    nodes.forEach((p, i) => {
      const r = k * Math.sqrt(i + 0.5);
      const a = i * 2.399963229728653;
      p.x = r * Math.cos(a);
      p.y = r * Math.sin(a);
    });
    const iters = n > 1000 ? 150 : n > 250 ? 200 : 300;
    const theta2 = 0.8 * 0.8;
    const gravity = BIG ? 0.02 : 0.06;
    for (let it = 0; it < iters; it++) {
      const temp = k * 2 * (1 - it / iters) + 1;
      for (const p of nodes) { p.dx = 0; p.dy = 0; }
      const root = quadtree(nodes);
      for (const p of nodes) repel(root, p, k * k, theta2, (BIG ? 100 : 16) * k * k);
      for (const e of edges) {
        const a = e.s, b = e.t;
        const dx = a.x - b.x, dy = a.y - b.y;
        const d = Math.sqrt(dx * dx + dy * dy) || 0.01;
        const f = d / k;
        a.dx -= dx * f; a.dy -= dy * f;
        b.dx += dx * f; b.dy += dy * f;
      }
      for (const p of nodes) {
        p.dx -= p.x * gravity * Math.sqrt(p.adj.length + 1);
        p.dy -= p.y * gravity * Math.sqrt(p.adj.length + 1);
        const d = Math.sqrt(p.dx * p.dx + p.dy * p.dy) || 1;
        const m = Math.min(d, temp);
        p.x += (p.dx / d) * m;
        p.y += (p.dy / d) * m;
      }
    }
  }

  // ---- drawing ----
  function el(name, attrs, parent) {
    const e = document.createElementNS(SVG, name);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  }
  function html(name, cls, text, parent) {
    const e = document.createElement(name);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    if (parent) parent.appendChild(e);
    return e;
  }
  const label = (n) => (n.name.length > 24 ? n.name.slice(0, 23) + "…" : n.name);

  function draw() {
    const ge = $("edges"), gn = $("nodes"), gl = $("labels");
    for (const e of edges) {
      const rel = RELS[e.relation] || "visited";
      const g = el("g", { class: "edge " + rel, "data-index": String(e.index) }, ge);
      e.hit = el("line", { class: "hit" }, g);
      e.line = el("line", { class: "vis", "marker-end": "url(#arrow-" + rel + ")" }, g);
      el("title", {}, g).textContent = e.s.name + " → " + e.t.name + " (" + rel + ")";
      e.g = g;
      g.addEventListener("click", (ev) => { ev.stopPropagation(); if (!dragged) selectEdge(e); });
    }
    for (const n of nodes) {
      const type = TYPES[n.type] || "official";
      const g = el("g", { class: "node " + type + (n.candidate ? " candidate" : ""), "data-id": n.id }, gn);
      if (type === "organization") {
        el("rect", { class: "shape", x: -n.r, y: -n.r * 0.75, width: 2 * n.r, height: 1.5 * n.r, rx: 2 }, g);
      } else if (type === "place") {
        const r = n.r * 1.15;
        el("path", { class: "shape", d: "M0," + -r + "L" + r + ",0L0," + r + "L" + -r + ",0z" }, g);
      } else {
        el("circle", { class: "shape", r: n.r }, g);
      }
      // The label lives in a layer above every node, placed beside its node.
      n.text = el("text", { x: 0, y: 0, class: "off" }, gl);
      n.text.textContent = label(n);
      el("title", {}, g).textContent = n.name + " (" + n.id + (n.candidate ? ", candidate" : "") + ")";
      n.g = g;
      g.addEventListener("pointerdown", (ev) => startDrag(ev, n));
      g.addEventListener("click", (ev) => { ev.stopPropagation(); if (!dragged) selectNode(n); });
    }
    nodes.forEach(place);
  }

  function place(n) {
    n.g.setAttribute("transform", "translate(" + n.x.toFixed(1) + "," + n.y.toFixed(1) + ")");
    placeText(n);
    for (const e of n.adj) placeEdge(e);
  }
  function placeEdge(e) {
    const dx = e.t.x - e.s.x, dy = e.t.y - e.s.y;
    const d = Math.sqrt(dx * dx + dy * dy) || 1;
    const x1 = e.s.x + (dx / d) * e.s.r, y1 = e.s.y + (dy / d) * e.s.r;
    const x2 = e.t.x - (dx / d) * (e.t.r + 2), y2 = e.t.y - (dy / d) * (e.t.r + 2);
    for (const l of [e.hit, e.line]) {
      l.setAttribute("x1", x1.toFixed(1)); l.setAttribute("y1", y1.toFixed(1));
      l.setAttribute("x2", x2.toFixed(1)); l.setAttribute("y2", y2.toFixed(1));
    }
  }

  let scale = 1; // user units per pixel, as the labels were last placed
  function placeText(n) {
    if (n.text.classList.contains("off")) return;
    n.text.setAttribute("x", (n.x + n.r + 3 * scale).toFixed(2));
    n.text.setAttribute("y", (n.y + 4 * scale).toFixed(2));
  }
  // ---- labels: greedy placement in screen pixels, the highest-ranked node first; a label is
  // drawn only where its box meets no box already drawn ----
  const measure = document.createElement("canvas").getContext("2d");
  let fontAscent = 11, fontDescent = 4;
  function setFont() {
    measure.font = "12px " + getComputedStyle(document.body).fontFamily;
    const m = measure.measureText("国Mg");
    if (m.fontBoundingBoxAscent) { fontAscent = m.fontBoundingBoxAscent; fontDescent = m.fontBoundingBoxDescent; }
  }
  let labelBoxes = [];
  let labelPending = false;
  function scheduleLabels() {
    if (labelPending) return;
    labelPending = true;
    requestAnimationFrame(() => { labelPending = false; placeLabels(); });
  }
  // Before reading the labels (an export, a test), place any placement still waiting for
  // its frame.
  function flushLabels() { if (labelPending) placeLabels(); }
  function placeLabels() {
    const box = svg.getBoundingClientRect();
    const W = box.width || 1, H = box.height || 1;
    const s = vb.w / W; // user units per pixel
    const CELL = 64;
    const grid = new Map();
    const hits = (b) => {
      for (let gx = Math.floor(b.x0 / CELL); gx <= Math.floor(b.x1 / CELL); gx++) {
        for (let gy = Math.floor(b.y0 / CELL); gy <= Math.floor(b.y1 / CELL); gy++) {
          for (const o of grid.get(gx + "," + gy) || []) {
            if (b.x0 < o.x1 && o.x0 < b.x1 && b.y0 < o.y1 && o.y0 < b.y1) return true;
          }
        }
      }
      return false;
    };
    const add = (b) => {
      for (let gx = Math.floor(b.x0 / CELL); gx <= Math.floor(b.x1 / CELL); gx++) {
        for (let gy = Math.floor(b.y0 / CELL); gy <= Math.floor(b.y1 / CELL); gy++) {
          const k = gx + "," + gy;
          if (!grid.has(k)) grid.set(k, []);
          grid.get(k).push(b);
        }
      }
    };
    // The selection first, then search matches, then the rest by degree; with a selection,
    // a dimmed node has no label.
    const first = (n) => (selected && selected.node === n ? 0 : n.g.classList.contains("match") ? 1 : 2);
    const order = byDegree.filter((n) => n.visible && !n.g.classList.contains("dim"))
      .sort((a, b) => first(a) - first(b) || a.rank - b.rank);
    labelBoxes = [];
    const shown = new Set();
    for (const n of order) {
      const sx = (n.x - vb.x) / s, sy = (n.y - vb.y) / s;
      if (sx < -200 || sx > W || sy < -20 || sy > H + 20) continue;
      if (!n.width) n.width = measure.measureText(n.text.textContent).width;
      const x0 = sx + n.r / s + 3, base = sy + 4;
      const b = { id: n.id, x0: x0 - 1, y0: base - fontAscent - 1, x1: x0 + n.width + 1, y1: base + fontDescent + 1 };
      if (hits(b)) continue;
      add(b);
      labelBoxes.push(b);
      shown.add(n);
    }
    scale = s;
    $("labels").style.setProperty("--s", String(s));
    for (const n of nodes) {
      const on = shown.has(n);
      if (n.text.classList.contains("off") === on) n.text.classList.toggle("off", !on);
      placeText(n);
    }
  }

  // ---- view: fit, pan, zoom ----
  let vb = { x: -500, y: -400, w: 1000, h: 800 };
  function setView() {
    svg.setAttribute("viewBox", [vb.x, vb.y, vb.w, vb.h].map((v) => v.toFixed(1)).join(" "));
    scheduleLabels();
  }
  function fitTo(shown) {
    if (!shown.length) { setView(); return; }
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (const n of shown) {
      x0 = Math.min(x0, n.x - n.r); y0 = Math.min(y0, n.y - n.r);
      x1 = Math.max(x1, n.x + n.r); y1 = Math.max(y1, n.y + n.r);
    }
    const box = svg.getBoundingClientRect();
    const aspect = box.width > 0 && box.height > 0 ? box.width / box.height : 1.4;
    // Room for labels: a margin in pixels, whatever the scale.
    const px = Math.max(box.width, 1);
    // Never closer than a few nodes' spacing (a lone node is not blown up to the window).
    let w = Math.max(x1 - x0, 240), h = Math.max(y1 - y0, 240 / aspect);
    if (w / h < aspect) w = h * aspect; else h = w / aspect;
    const s = w / Math.max(px - 260, px * 0.5); // user units per pixel, 130 px each side
    w = px * s; h = w / aspect;
    vb = { x: (x0 + x1) / 2 - w / 2, y: (y0 + y1) / 2 - h / 2, w: w, h: h };
    setView();
  }
  function fit() { fitTo(nodes.filter((n) => n.visible)); }
  function fitSelection() {
    if (!selected) { fit(); return; }
    const list = selected.node ? [selected.node] : [selected.edge.s, selected.edge.t];
    if (selected.node) for (const e of selected.node.adj) if (e.visible) list.push(e.s === selected.node ? e.t : e.s);
    fitTo(list);
  }
  function toSvg(ev) {
    const m = svg.getScreenCTM();
    if (!m) return { x: 0, y: 0 };
    const p = new DOMPoint(ev.clientX, ev.clientY).matrixTransform(m.inverse());
    return { x: p.x, y: p.y };
  }
  let drag = null;
  let dragged = false;
  function startDrag(ev, n) {
    ev.stopPropagation();
    drag = { node: n, start: toSvg(ev), cx: ev.clientX, cy: ev.clientY, ox: n ? n.x : vb.x, oy: n ? n.y : vb.y };
    dragged = false;
  }
  svg.addEventListener("pointerdown", (ev) => startDrag(ev, null));
  svg.addEventListener("pointermove", (ev) => {
    if (!drag) return;
    if (!dragged && Math.abs(ev.clientX - drag.cx) + Math.abs(ev.clientY - drag.cy) > 3) {
      dragged = true;
      svg.setPointerCapture(ev.pointerId);
    }
    if (!dragged) return;
    if (drag.node) {
      const p = toSvg(ev);
      drag.node.x = drag.ox + p.x - drag.start.x;
      drag.node.y = drag.oy + p.y - drag.start.y;
      place(drag.node);
      scheduleLabels();
    } else {
      const box = svg.getBoundingClientRect();
      const s = vb.w / (box.width || 1);
      vb.x = drag.ox - (ev.clientX - drag.cx) * s;
      vb.y = drag.oy - (ev.clientY - drag.cy) * s;
      setView();
    }
  });
  svg.addEventListener("pointerup", (ev) => {
    if (svg.hasPointerCapture(ev.pointerId)) svg.releasePointerCapture(ev.pointerId);
    const wasPan = drag && !drag.node;
    drag = null;
    if (wasPan && !dragged) clearSelection();
    setTimeout(() => { dragged = false; }, 0);
  });
  svg.addEventListener("wheel", (ev) => {
    ev.preventDefault();
    const p = toSvg(ev);
    const f = Math.exp(ev.deltaY * 0.0015);
    vb.x = p.x - (p.x - vb.x) * f;
    vb.y = p.y - (p.y - vb.y) * f;
    vb.w *= f; vb.h *= f;
    setView();
  }, { passive: false });

  // ---- filters: dates, relations, types, top N by degree ----
  const from = $("from"), to = $("to"), top = $("top");
  const allDates = [];
  for (const e of edges) for (const ev of e.evidence) if (ev.date) allDates.push(ev.date);
  allDates.sort();
  const minDate = allDates[0] || "", maxDate = allDates[allDates.length - 1] || "";
  for (const i of [from, to]) { i.min = minDate; i.max = maxDate; }
  from.value = minDate;
  to.value = maxDate;
  function dateFilterOn() { return from.value !== minDate || to.value !== maxDate; }
  function inRange(ev) {
    if (!dateFilterOn()) return true;
    if (!ev.date) return false;
    return (!from.value || ev.date >= from.value) && (!to.value || ev.date <= to.value);
  }
  const relOn = (r) => $("rel-" + (RELS[r] || "visited")).checked;
  const typeOn = (t) => $("type-" + (TYPES[t] || "official")).checked;
  function passes(n) {
    const k = parseInt(top.value, 10);
    return typeOn(n.type) && !(k > 0 && n.rank >= k);
  }
  function applyFilters() {
    for (const e of edges) {
      e.visible = relOn(e.relation) && passes(e.s) && passes(e.t) && e.evidence.some(inRange);
      e.g.classList.toggle("hidden", !e.visible);
    }
    for (const n of nodes) {
      n.visible = passes(n) && (n.adj.length === 0 || n.adj.some((e) => e.visible));
      n.g.classList.toggle("hidden", !n.visible);
    }
    stats();
    drawTimeline();
    refreshPanel();
    placeLabels();
  }
  const applyDates = applyFilters;
  from.addEventListener("change", applyDates);
  to.addEventListener("change", applyDates);
  for (const id of ["rel-visited", "rel-accompanied", "type-official", "type-organization", "type-place"]) {
    $(id).addEventListener("change", applyFilters);
  }
  top.addEventListener("change", applyFilters);
  $("fit-all").addEventListener("click", fit);
  $("fit-sel").addEventListener("click", fitSelection);
  $("reset").addEventListener("click", () => {
    from.value = minDate; to.value = maxDate; search.value = ""; top.value = "";
    for (const id of ["rel-visited", "rel-accompanied", "type-official", "type-organization", "type-place"]) $(id).checked = true;
    applyFilters(); applySearch(); clearSelection(); fit();
  });
  function stats() {
    const vn = nodes.filter((n) => n.visible).length, ve = edges.filter((e) => e.visible).length;
    const s = $("stats");
    s.dataset.nodes = String(vn);
    s.dataset.edges = String(ve);
    s.textContent = vn + " of " + nodes.length + " nodes, " + ve + " of " + edges.length + " edges, " +
      data.documents + " documents" + (minDate ? ", " + minDate + " – " + maxDate : "");
  }

  // ---- timeline: evidence per month; dragging across it sets the date range ----
  const tl = $("timeline");
  const months = [];
  if (minDate) {
    let y = +minDate.slice(0, 4), m = +minDate.slice(5, 7) || 1;
    const ly = +maxDate.slice(0, 4), lm = +maxDate.slice(5, 7) || 12;
    while (y < ly || (y === ly && m <= lm)) {
      months.push({ key: y + "-" + String(m).padStart(2, "0"), y: y, m: m, count: 0 });
      if (++m > 12) { m = 1; y++; }
    }
  }
  const monthIndex = new Map(months.map((mo, i) => [mo.key, i]));
  for (const e of edges) {
    for (const ev of e.evidence) {
      const i = ev.date ? monthIndex.get(ev.date.slice(0, 7)) : undefined;
      if (i !== undefined) months[i].count++;
    }
  }
  const monthStart = (mo) => mo.key + "-01";
  const monthEnd = (mo) => mo.key + "-" + String(new Date(Date.UTC(mo.y, mo.m, 0)).getUTCDate()).padStart(2, "0");
  const clampDate = (d) => (d < minDate ? minDate : d > maxDate ? maxDate : d);
  let brush = null;
  function tlGeometry() {
    const w = tl.getBoundingClientRect().width || 600;
    return { w: w, h: 44, left: 4, step: (w - 8) / Math.max(months.length, 1) };
  }
  function drawTimeline() {
    tl.replaceChildren();
    if (!months.length) return;
    const g = tlGeometry();
    tl.setAttribute("viewBox", "0 0 " + g.w.toFixed(1) + " " + g.h);
    const max = Math.max(1, ...months.map((mo) => mo.count));
    const lo = from.value || minDate, hi = to.value || maxDate;
    months.forEach((mo, i) => {
      const bh = (mo.count / max) * 28;
      const inside = monthEnd(mo) >= lo && monthStart(mo) <= hi;
      el("rect", { class: "bar" + (inside && dateFilterOn() ? " in" : ""), x: (g.left + i * g.step + 0.5).toFixed(1), y: (30 - bh).toFixed(1),
        width: Math.max(g.step - 1, 0.5).toFixed(1), height: bh.toFixed(1), "data-month": mo.key, "data-count": String(mo.count) }, tl);
      if (mo.m === 1 || i === 0) el("text", { class: "tick", x: (g.left + i * g.step).toFixed(1), y: 42 }, tl).textContent = String(mo.y);
    });
    el("line", { class: "axis", x1: g.left, x2: g.w - 4, y1: 30.5, y2: 30.5 }, tl);
    let a = -1, b = -1;
    if (brush) { a = Math.min(brush.a, brush.b); b = Math.max(brush.a, brush.b); }
    else if (dateFilterOn()) {
      a = months.findIndex((mo) => monthEnd(mo) >= lo);
      for (let i = months.length - 1; i >= 0 && b < 0; i--) if (monthStart(months[i]) <= hi) b = i;
    }
    if (a >= 0 && b >= a) {
      el("rect", { class: "brush", x: (g.left + a * g.step).toFixed(1), y: 0.5, width: ((b - a + 1) * g.step).toFixed(1), height: 30 }, tl);
    }
  }
  function monthAt(ev) {
    const g = tlGeometry();
    const x = ev.clientX - tl.getBoundingClientRect().left;
    return Math.max(0, Math.min(months.length - 1, Math.floor((x - g.left) / g.step)));
  }
  tl.addEventListener("pointerdown", (ev) => {
    if (!months.length) return;
    brush = { a: monthAt(ev), b: monthAt(ev), moved: false };
    if (tl.setPointerCapture && ev.pointerId !== undefined) { try { tl.setPointerCapture(ev.pointerId); } catch (_) { /* synthetic */ } }
    drawTimeline();
  });
  tl.addEventListener("pointermove", (ev) => {
    if (!brush) return;
    const b = monthAt(ev);
    if (b !== brush.b) { brush.b = b; brush.moved = true; drawTimeline(); }
  });
  tl.addEventListener("pointerup", (ev) => {
    if (!brush) return;
    const b = brush;
    brush = null;
    b.b = monthAt(ev);
    if (!b.moved && b.a === b.b) { from.value = minDate; to.value = maxDate; }
    else {
      from.value = clampDate(monthStart(months[Math.min(b.a, b.b)]));
      to.value = clampDate(monthEnd(months[Math.max(b.a, b.b)]));
    }
    applyDates();
  });

  // ---- search: names, aliases and ids; traditional characters read as simplified (the
  // writer embeds the map for this graph's characters), pinyin in full or by initials ----
  const search = $("search");
  function fold(s) {
    let o = "";
    for (const c of s.toLowerCase()) o += t2s[c] || c;
    return o;
  }
  function pinyinQuery(q) {
    const p = q.replace(/ü/g, "v").normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[\s'’-]+/g, "");
    return /^[a-z]+$/.test(p) ? p : "";
  }
  function nodeMatches(n, q, p) {
    if (n.name.toLowerCase().includes(q) || n.id.toLowerCase().includes(q) || n.aliases.some((a) => a.toLowerCase().includes(q))) return true;
    return p !== "" && (n.pinyin || []).some((k) => k.includes(p));
  }
  function matches() {
    const raw = search.value.trim();
    if (!raw) return [];
    const q = fold(raw), p = pinyinQuery(raw.toLowerCase());
    return nodes.filter((n) => n.visible && nodeMatches(n, q, p));
  }
  function applySearch() {
    const m = new Set(matches());
    const q = search.value.trim();
    for (const n of nodes) n.g.classList.toggle("match", m.has(n));
    $("search-info").textContent = q ? m.size + (m.size === 1 ? " match" : " matches") : "";
    placeLabels();
  }
  search.addEventListener("input", applySearch);
  search.addEventListener("keydown", (ev) => {
    if (ev.key !== "Enter") return;
    const m = matches();
    if (m.length) { selectNode(m[0]); centre(m[0]); }
  });
  function centre(n) { vb.x = n.x - vb.w / 2; vb.y = n.y - vb.h / 2; setView(); }

  // ---- selection and evidence ----
  let selected = null;
  function clearMarks() {
    for (const n of nodes) n.g.classList.remove("selected", "dim");
    for (const e of edges) e.g.classList.remove("selected", "dim");
  }
  function clearSelection() {
    selected = null;
    clearMarks();
    $("sel-title").textContent = "Click a node or an edge";
    $("sel-meta").replaceChildren();
    $("evidence").replaceChildren();
    $("visits").classList.add("hidden");
    $("visits").tBodies[0].replaceChildren();
    $("ev-count").textContent = "";
    document.body.dataset.selected = "";
    document.body.classList.remove("has-sel");
    placeLabels();
  }
  function meta(rows) {
    const dl = $("sel-meta");
    dl.replaceChildren();
    for (const [k, v] of rows) {
      if (!v) continue;
      html("dt", "", k, dl);
      html("dd", "", v, dl);
    }
  }
  // The document links to its page when its record gave an address on the web (never
  // another scheme: a javascript: url is hostile input, shown as text).
  function docRef(ev, parent) {
    if (typeof ev.url === "string" && /^https?:\/\//i.test(ev.url)) {
      const a = html("a", "doc", ev.doc, parent);
      a.href = ev.url;
      a.rel = "noopener noreferrer";
      a.target = "_blank";
    } else {
      parent.appendChild(document.createTextNode(ev.doc));
    }
  }
  // "2024-07-03", "2024-07-03 (published)" when the text gave no day, or "undated".
  function dateLabel(ev) {
    if (!ev.date) return "undated";
    return ev.date_source === "published" ? ev.date + " (published)" : ev.date;
  }
  // The sentence in simplified script, the edge's ends in <mark>; the verbatim quote (the
  // page's own script, with pinyin) one click away.
  function readable(ev, parent) {
    const q = html("blockquote", "sentence text", undefined, parent);
    const text = Array.from(ev.text || ev.sentence);
    const marks = (ev.marks || []).slice().sort((a, b) => a[0] - b[0]);
    let at = 0;
    for (const [s, e] of marks) {
      if (s < at) continue;
      q.appendChild(document.createTextNode(text.slice(at, s).join("")));
      html("mark", "name", text.slice(s, e).join(""), q);
      at = e;
    }
    q.appendChild(document.createTextNode(text.slice(at).join("")));
    if (ev.text && ev.text !== ev.sentence) {
      const d = html("details", "verbatim", undefined, parent);
      html("summary", undefined, "as written", d);
      html("blockquote", "sentence", ev.sentence, d);
    }
  }
  function showEvidence(list) {
    const ol = $("evidence");
    ol.replaceChildren();
    let count = 0;
    for (const e of list) {
      if (!e.visible) continue;
      for (const ev of e.evidence) {
        if (!inRange(ev)) continue;
        count++;
        const li = html("li", "ev", undefined, ol);
        const head = html("div", "ev-head", e.s.name + " → " + e.t.name + " · " + e.relation + " · " +
          dateLabel(ev) + " · ", li);
        docRef(ev, head);
        readable(ev, li);
      }
    }
    $("ev-count").textContent = count + (count === 1 ? " piece of evidence" : " pieces of evidence");
  }
  // The entity's dated visits, one row per piece of evidence, by date (undated last).
  function showVisits(n, list) {
    const rows = [];
    for (const e of list) {
      if (!e.visible) continue;
      for (const ev of e.evidence) if (inRange(ev)) rows.push([e, ev]);
    }
    rows.sort((a, b) => (a[1].date || "9999").localeCompare(b[1].date || "9999") || a[0].index - b[0].index);
    const body = $("visits").tBodies[0];
    body.replaceChildren();
    for (const [e, ev] of rows) {
      const tr = html("tr", "visit", undefined, body);
      html("td", "date", dateLabel(ev), tr);
      const out = !n || e.s === n;
      html("td", "rel", out ? e.relation : e.relation === "accompanied" ? "accompanied by" : "visited by", tr);
      html("td", "with", n ? (out ? e.t.name : e.s.name) : e.s.name + " → " + e.t.name, tr);
      docRef(ev, html("td", "doc", undefined, tr));
    }
    $("visits").classList.toggle("hidden", rows.length === 0);
  }
  function selectNode(n) {
    selected = { node: n };
    clearMarks();
    const near = new Set([n]);
    for (const e of n.adj) { near.add(e.s); near.add(e.t); }
    for (const m of nodes) m.g.classList.toggle("dim", !near.has(m));
    for (const e of edges) e.g.classList.toggle("dim", e.s !== n && e.t !== n);
    n.g.classList.add("selected");
    $("sel-title").textContent = n.name;
    meta([["type", n.type], ["id", n.id], ["aliases", n.aliases.join("、")], ["kind", n.kind], ["place", n.place],
          ["candidate", n.candidate ? "discovered, not in a dictionary" : ""]]);
    showVisits(n, n.adj);
    showEvidence(n.adj);
    document.body.dataset.selected = n.id;
    document.body.classList.add("has-sel");
    placeLabels();
  }
  function selectEdge(e) {
    selected = { edge: e };
    clearMarks();
    for (const m of nodes) m.g.classList.toggle("dim", m !== e.s && m !== e.t);
    for (const x of edges) x.g.classList.toggle("dim", x !== e);
    e.g.classList.add("selected");
    $("sel-title").textContent = e.s.name + " → " + e.t.name;
    const dates = [...new Set(e.evidence.map((v) => v.date).filter(Boolean))].sort();
    meta([["relation", e.relation], ["dates", dates.join(", ")], ["weight", String(e.evidence.length)]]);
    showVisits(null, [e]);
    showEvidence([e]);
    document.body.dataset.selected = "edge:" + e.index;
    document.body.classList.add("has-sel");
    placeLabels();
  }
  function refreshPanel() {
    if (selected && selected.node) {
      if (selected.node.visible) selectNode(selected.node); else clearSelection();
    } else if (selected && selected.edge) {
      if (selected.edge.visible) selectEdge(selected.edge); else clearSelection();
    }
  }

  // ---- export: the current view as SVG or PNG, the visible edges as CSV ----
  function download(name, blob) {
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  }
  const csvCell = (v) => (/[",\r\n]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v);
  function edgesCsv() {
    const rows = [["source", "target", "source_name", "target_name", "relation", "evidence", "first_date", "last_date", "documents"]];
    for (const e of edges) {
      if (!e.visible) continue;
      const evs = e.evidence.filter(inRange);
      const dates = evs.map((v) => v.date).filter(Boolean).sort();
      const docs = [...new Set(evs.map((v) => v.doc))].sort();
      rows.push([e.s.id, e.t.id, e.s.name, e.t.name, e.relation, String(evs.length), dates[0] || "",
        dates[dates.length - 1] || "", docs.join(";")]);
    }
    return rows.map((r) => r.map(csvCell).join(",")).join("\r\n") + "\r\n";
  }
  function viewSvg() {
    flushLabels();
    const box = svg.getBoundingClientRect();
    const copy = svg.cloneNode(true);
    copy.removeAttribute("id");
    copy.setAttribute("width", String(Math.round(box.width)));
    copy.setAttribute("height", String(Math.round(box.height)));
    copy.setAttribute("class", BIG ? "big" + (selected ? " has-sel" : "") : "");
    for (const x of copy.querySelectorAll(".hidden, .off, .hit, title")) x.remove();
    copy.querySelector("#labels").style.setProperty("--s", String(vb.w / (box.width || 1)));
    const style = document.createElementNS(SVG, "style");
    const rules = [];
    for (const sheet of document.styleSheets) for (const r of sheet.cssRules) {
      if (/^(\.big(\.has-sel)? )?(\.(node|edge|dim)|#labels)/.test(r.selectorText || "")) rules.push(r.cssText);
    }
    style.textContent = "svg { font-family: " + getComputedStyle(document.body).fontFamily + "; background: #fff; }\n" + rules.join("\n");
    copy.insertBefore(style, copy.firstChild);
    return new XMLSerializer().serializeToString(copy);
  }
  // PNG: the view drawn on a canvas from the same model (an SVG drawn through an image element
  // would need the policy to allow images).
  function viewCanvas() {
    flushLabels();
    const box = svg.getBoundingClientRect();
    const W = Math.max(1, Math.round(box.width)), H = Math.max(1, Math.round(box.height));
    const dpr = 2;
    const c = document.createElement("canvas");
    c.width = W * dpr; c.height = H * dpr;
    const g = c.getContext("2d");
    const s = vb.w / W;
    g.scale(dpr, dpr);
    g.fillStyle = "#fff";
    g.fillRect(0, 0, W, H);
    const X = (x) => (x - vb.x) / s, Y = (y) => (y - vb.y) / s;
    for (const e of edges) {
      if (!e.visible) continue;
      g.globalAlpha = (e.g.classList.contains("dim") ? 0.15 : 1) * (BIG ? (selected && !e.g.classList.contains("dim") ? 0.8 : 0.25) : 1);
      g.strokeStyle = e.relation === "accompanied" ? "#9a6fb0" : "#555";
      g.setLineDash(e.relation === "accompanied" ? [5 / s, 3 / s] : []);
      g.lineWidth = 1.3 / s;
      g.beginPath(); g.moveTo(X(e.s.x), Y(e.s.y)); g.lineTo(X(e.t.x), Y(e.t.y)); g.stroke();
    }
    g.setLineDash([]);
    const fill = { official: "#4d8bff", organization: "#ffa540", place: "#40aa6e" };
    for (const n of nodes) {
      if (!n.visible) continue;
      const x = X(n.x), y = Y(n.y), r = n.r / s;
      g.globalAlpha = (n.g.classList.contains("dim") ? 0.15 : 1) * (n.candidate ? 0.45 : 1);
      g.fillStyle = fill[n.type] || fill.official;
      g.beginPath();
      if (n.type === "organization") g.rect(x - r, y - r * 0.75, 2 * r, 1.5 * r);
      else if (n.type === "place") { g.moveTo(x, y - r * 1.15); g.lineTo(x + r * 1.15, y); g.lineTo(x, y + r * 1.15); g.lineTo(x - r * 1.15, y); g.closePath(); }
      else g.arc(x, y, r, 0, 2 * Math.PI);
      g.fill();
      g.strokeStyle = n.candidate ? "#333" : "#fff";
      g.lineWidth = 1.5 / s;
      g.setLineDash(n.candidate ? [3 / s, 2 / s] : []);
      g.stroke();
    }
    g.globalAlpha = 1;
    g.setLineDash([]);
    g.font = measure.font;
    g.fillStyle = "#222"; g.strokeStyle = "#fff"; g.lineWidth = 3; g.lineJoin = "round";
    for (const b of labelBoxes) {
      const n = nodes.find((m) => m.id === b.id);
      g.strokeText(n.text.textContent, b.x0 + 1, b.y0 + 1 + fontAscent);
      g.fillText(n.text.textContent, b.x0 + 1, b.y0 + 1 + fontAscent);
    }
    return c;
  }
  $("export-csv").addEventListener("click", () => download("visitgraph-edges.csv", new Blob([edgesCsv()], { type: "text/csv;charset=utf-8" })));
  $("export-svg").addEventListener("click", () => download("visitgraph.svg", new Blob([viewSvg()], { type: "image/svg+xml" })));
  $("export-png").addEventListener("click", () => viewCanvas().toBlob((b) => { if (b) download("visitgraph.png", b); }, "image/png"));

  // ---- start ----
  if (nodes.some((n) => n.candidate)) $("key-candidate").classList.remove("hidden");
  const t0 = performance.now();
  layout();
  const t1 = performance.now();
  draw();
  setFont();
  stats();
  drawTimeline();
  fit();
  placeLabels();
  const t2 = performance.now();
  window.addEventListener("resize", () => { drawTimeline(); fit(); });
  // Deep links: #from=YYYY-MM-DD&to=YYYY-MM-DD&q=text&select=id (values URI-encoded).
  const param = (k) => {
    for (const part of location.hash.slice(1).split("&")) {
      const i = part.indexOf("=");
      if (i > 0 && part.slice(0, i) === k) {
        try { return decodeURIComponent(part.slice(i + 1)); } catch (_) { return null; }
      }
    }
    return null;
  };
  if (param("from") !== null || param("to") !== null) {
    if (param("from") !== null) from.value = param("from");
    if (param("to") !== null) to.value = param("to");
    applyDates();
  }
  if (param("q") !== null) { search.value = param("q"); applySearch(); }
  const want = param("select");
  if (want !== null) {
    const n = nodes.find((x) => x.id === want);
    // A real click event, so the test exercises the same handler as a person.
    if (n) n.g.dispatchEvent(new MouseEvent("click", { bubbles: true }));
  }
  // For tests and the curious: the page's own state, read-only views of it.
  window.__vg = {
    timing: { layout: t1 - t0, draw: t2 - t1 },
    // In the window's pixels (as getBoundingClientRect gives them).
    visibleLabelBoxes: () => {
      flushLabels();
      const r = svg.getBoundingClientRect();
      return labelBoxes.map((b) => ({ id: b.id, x0: b.x0 + r.left, y0: b.y0 + r.top, x1: b.x1 + r.left, y1: b.y1 + r.top }));
    },
    labelElement: (id) => { const n = nodes.find((x) => x.id === id); return n ? n.text : null; },
    visibleEdges: () => edges.filter((e) => e.visible).length,
    visibleNodes: () => nodes.filter((n) => n.visible).length,
    dateRange: () => [from.value, to.value],
    matches: () => matches().map((n) => n.id),
    csv: edgesCsv,
    svg: viewSvg,
    png: () => viewCanvas().toDataURL("image/png"),
    fit: fit,
    fitSelection: fitSelection,
    viewBox: () => Object.assign({}, vb),
  };
  document.body.dataset.ready = "1";
})();
