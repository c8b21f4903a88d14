// visitgraph page: hand-written, no library, no network. Every string from the data is
// shown with textContent (never innerHTML): names and sentences are hostile input.
(function () {
  "use strict";
  const SVG = "http://www.w3.org/2000/svg";
  const $ = (id) => document.getElementById(id);
  const data = JSON.parse($("graph-data").textContent);
  const nodes = data.nodes;
  const edges = data.edges;
  const svg = $("graph");
  const TYPES = { official: "official", organization: "organization", place: "place" };
  const RELS = { visited: "visited", accompanied: "accompanied" };

  nodes.forEach((n, i) => { n.index = i; n.adj = []; n.visible = true; });
  edges.forEach((e, i) => {
    e.index = i;
    e.s = nodes[e.source];
    e.t = nodes[e.target];
    e.visible = true;
    e.s.adj.push(e);
    e.t.adj.push(e);
  });
  nodes.forEach((n) => { n.r = 6 + 2 * Math.sqrt(n.adj.reduce((w, e) => w + e.evidence.length, 0)); });

  // ---- layout: Fruchterman–Reingold with gravity, deterministic start on a spiral ----
  function layout() {
    const n = nodes.length;
    if (!n) return;
    const k = 70;
    nodes.forEach((p, i) => {
      const r = k * Math.sqrt(i + 0.5);
      const a = i * 2.399963229728653;
      p.x = r * Math.cos(a);
      p.y = r * Math.sin(a);
    });
    const iters = n > 600 ? 60 : n > 250 ? 120 : 300;
    // Repulsion reaches only so far, so gravity packs the components together.
    const far = 16 * k * k;
    for (let it = 0; it < iters; it++) {
      const temp = k * 2 * (1 - it / iters) + 1;
      for (const p of nodes) { p.dx = 0; p.dy = 0; }
      for (let i = 0; i < n; i++) {
        const a = nodes[i];
        for (let j = i + 1; j < n; j++) {
          const b = nodes[j];
          let dx = a.x - b.x;
          let dy = a.y - b.y;
          let d2 = dx * dx + dy * dy;
          if (d2 > far) continue;
          if (d2 < 0.01) { dx = 0.1 * (i - j); dy = 0.1; d2 = dx * dx + dy * dy; }
          const f = (k * k) / d2;
          a.dx += dx * f; a.dy += dy * f;
          b.dx -= dx * f; b.dy -= dy * f;
        }
      }
      for (const e of edges) {
        const a = e.s, b = e.t;
        const dx = a.x - b.x, dy = a.y - b.y;
        const d = Math.sqrt(dx * dx + dy * dy) || 0.01;
        const f = d / k;
        a.dx -= dx * f; a.dy -= dy * f;
        b.dx += dx * f; b.dy += dy * f;
      }
      for (const p of nodes) {
        p.dx -= p.x * 0.06;
        p.dy -= p.y * 0.06;
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

  function draw() {
    const ge = $("edges"), gn = $("nodes");
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
      const t = el("text", { x: n.r + 3, y: 4 }, g);
      t.textContent = n.name;
      el("title", {}, g).textContent = n.name + " (" + n.id + (n.candidate ? ", candidate" : "") + ")";
      n.g = g;
      g.addEventListener("pointerdown", (ev) => startDrag(ev, n));
      g.addEventListener("click", (ev) => { ev.stopPropagation(); if (!dragged) selectNode(n); });
    }
    nodes.forEach(place);
  }

  function place(n) {
    n.g.setAttribute("transform", "translate(" + n.x.toFixed(1) + "," + n.y.toFixed(1) + ")");
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

  // ---- view: fit, pan, zoom ----
  let vb = { x: -500, y: -400, w: 1000, h: 800 };
  function setView() { svg.setAttribute("viewBox", [vb.x, vb.y, vb.w, vb.h].map((v) => v.toFixed(1)).join(" ")); }
  function fit() {
    const shown = nodes.filter((n) => n.visible);
    if (!shown.length) { setView(); return; }
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (const n of shown) {
      x0 = Math.min(x0, n.x - n.r); y0 = Math.min(y0, n.y - n.r);
      x1 = Math.max(x1, n.x + n.r + 8 + 12 * Math.min(n.name.length, 24)); y1 = Math.max(y1, n.y + n.r);
    }
    const pad = 40;
    const box = svg.getBoundingClientRect();
    const aspect = box.width > 0 && box.height > 0 ? box.width / box.height : 1.4;
    let w = x1 - x0 + 2 * pad, h = y1 - y0 + 2 * pad;
    if (w / h < aspect) w = h * aspect; else h = w / aspect;
    vb = { x: (x0 + x1) / 2 - w / 2, y: (y0 + y1) / 2 - h / 2, w: w, h: h };
    setView();
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

  // ---- dates ----
  const from = $("from"), to = $("to");
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
  function applyDates() {
    for (const e of edges) {
      e.visible = e.evidence.some(inRange);
      e.g.classList.toggle("hidden", !e.visible);
    }
    for (const n of nodes) {
      n.visible = n.adj.length === 0 || n.adj.some((e) => e.visible);
      n.g.classList.toggle("hidden", !n.visible);
    }
    stats();
    refreshPanel();
  }
  from.addEventListener("change", applyDates);
  to.addEventListener("change", applyDates);
  $("reset").addEventListener("click", () => {
    from.value = minDate; to.value = maxDate; search.value = "";
    applyDates(); applySearch(); clearSelection(); fit();
  });
  function stats() {
    const vn = nodes.filter((n) => n.visible).length, ve = edges.filter((e) => e.visible).length;
    const s = $("stats");
    s.dataset.nodes = String(vn);
    s.dataset.edges = String(ve);
    s.textContent = vn + " of " + nodes.length + " nodes, " + ve + " of " + edges.length + " edges, " +
      data.documents + " documents" + (minDate ? ", " + minDate + " – " + maxDate : "");
  }

  // ---- search ----
  const search = $("search");
  function matches() {
    const q = search.value.trim().toLowerCase();
    if (!q) return [];
    return nodes.filter((n) => n.visible && (n.name.toLowerCase().includes(q) || n.id.toLowerCase().includes(q) ||
      n.aliases.some((a) => a.toLowerCase().includes(q))));
  }
  function applySearch() {
    const m = new Set(matches());
    const q = search.value.trim();
    for (const n of nodes) n.g.classList.toggle("match", m.has(n));
    $("search-info").textContent = q ? m.size + (m.size === 1 ? " match" : " matches") : "";
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
    $("ev-count").textContent = "";
    document.body.dataset.selected = "";
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
          (ev.date || "undated") + " · ", li);
        // The document links to its page when its record gave an address on the web (never
        // another scheme: a javascript: url is hostile input, shown as text).
        if (typeof ev.url === "string" && /^https?:\/\//i.test(ev.url)) {
          const a = html("a", "doc", ev.doc, head);
          a.href = ev.url;
          a.rel = "noopener noreferrer";
          a.target = "_blank";
        } else {
          head.appendChild(document.createTextNode(ev.doc));
        }
        html("blockquote", "sentence", ev.sentence, li);
      }
    }
    $("ev-count").textContent = count + (count === 1 ? " piece of evidence" : " pieces of evidence");
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
    showEvidence(n.adj);
    document.body.dataset.selected = n.id;
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
    showEvidence([e]);
    document.body.dataset.selected = "edge:" + e.index;
  }
  function refreshPanel() {
    if (selected && selected.node) {
      if (selected.node.visible) selectNode(selected.node); else clearSelection();
    } else if (selected && selected.edge) {
      if (selected.edge.visible) selectEdge(selected.edge); else clearSelection();
    }
  }

  // ---- start ----
  if (nodes.some((n) => n.candidate)) $("key-candidate").classList.remove("hidden");
  layout();
  draw();
  stats();
  fit();
  window.addEventListener("resize", fit);
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
  document.body.dataset.ready = "1";
})();
