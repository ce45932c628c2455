// The eventwire dashboard: map, timeline, dyads, events and the event panel, over this server's API.
// Every text that comes from the data is inserted as a text node (never as HTML).
(function () {
  "use strict";

  const QUAD = { 1: ["verbal cooperation", "#2e9d4f"], 2: ["material cooperation", "#2166ac"],
                 3: ["verbal conflict", "#f08c00"], 4: ["material conflict", "#c9252c"] };
  const PALETTE = ["#c9252c", "#2166ac", "#2e9d4f", "#f08c00", "#7b3fa0", "#17a2b8", "#8c564b", "#e377c2",
                   "#6b8e23", "#d4a017", "#1f3b73", "#ff6f61", "#4b4b4b", "#00897b", "#a0522d", "#9467bd"];
  const state = { filters: {}, brush: null, colour: "type", cursor: null, typeColours: {}, points: null };
  const $ = (sel) => document.querySelector(sel);

  // -- small DOM helpers: text only ------------------------------------------------------------
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") node.className = v;
      else if (k === "style") Object.assign(node.style, v);
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined) continue;
      node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }
  function svg(tag, attrs) {
    const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    return node;
  }
  function safeLink(url, label) {
    if (typeof url === "string" && /^https?:\/\//i.test(url)) {
      return el("a", { href: url, target: "_blank", rel: "noopener noreferrer" }, label || url);
    }
    return document.createTextNode(label || url || "");
  }
  function fmt(x, digits) { return x === null || x === undefined ? "–" : Number(x).toFixed(digits); }

  // -- API -------------------------------------------------------------------------------------
  function query(extra, withBrush) {
    const p = new URLSearchParams();
    const f = Object.assign({}, state.filters);
    if (withBrush && state.brush) { f.since = state.brush.since; f.until = state.brush.until; }
    for (const [k, v] of Object.entries(Object.assign(f, extra || {}))) {
      if (Array.isArray(v)) v.forEach((x) => p.append(k, x));
      else if (v !== "" && v !== null && v !== undefined) p.append(k, v);
    }
    return p.toString();
  }
  async function api(path) {
    const r = await fetch(path, { headers: { Accept: "application/json" } });
    const body = await r.json();
    if (!r.ok) throw new Error(body.error || r.statusText);
    return body;
  }
  function showError(err) {
    $("#status").textContent = "";
    $("#status").appendChild(el("span", { class: "error" }, String(err.message || err)));
  }

  // -- colours ---------------------------------------------------------------------------------
  function typeColour(t) {
    if (!(t in state.typeColours)) {
      state.typeColours[t] = PALETTE[Object.keys(state.typeColours).length % PALETTE.length];
    }
    return state.typeColours[t];
  }
  function colourOf(type, quad) {
    if (state.colour === "quad") return (QUAD[quad] || ["", "#888"])[1];
    return typeColour(type);
  }
  function renderLegend() {
    const box = $("#legend");
    box.textContent = "";
    const items = state.colour === "quad"
      ? Object.values(QUAD)
      : Object.keys(state.typeColours).map((t) => [t, state.typeColours[t]]);
    for (const [label, colour] of items) {
      box.appendChild(el("div", {}, el("span", { class: "swatch", style: { background: colour } }), label));
    }
  }

  // -- map -------------------------------------------------------------------------------------
  const map = L.map("map", { worldCopyJump: true, minZoom: 2, maxZoom: 12, zoomSnap: 0.5 }).setView([32, 38], 4);
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("Country outlines: Natural Earth (public domain)");
  const clusters = L.markerClusterGroup({ chunkedLoading: true, maxClusterRadius: 45, showCoverageOnHover: false });
  map.addLayer(clusters);

  // A ring that crosses the antimeridian and comes back (Russia's far east, Fiji) jumps between +180
  // and -180, which Leaflet draws as lines across the whole map: move its western part east of 180.
  // (Antarctica's rings go round the pole: they jump once, and stay as they are.)
  function unwrap(feature) {
    const g = feature.geometry;
    if (!g) return;
    const polygons = g.type === "Polygon" ? [g.coordinates] : g.type === "MultiPolygon" ? g.coordinates : [];
    for (const polygon of polygons) {
      for (const ring of polygon) {
        let jumps = 0;
        for (let i = 1; i < ring.length; i++) if (Math.abs(ring[i][0] - ring[i - 1][0]) > 180) jumps++;
        if (jumps && jumps % 2 === 0) for (const p of ring) if (p[0] < 0) p[0] += 360;
      }
    }
  }

  async function loadBasemap() {
    const r = await fetch("/vendor/world-atlas/countries-50m.json");
    if (!r.ok) throw new Error("the basemap is missing: run make setup");
    const world = await r.json();
    const land = topojson.feature(world, world.objects.countries);
    land.features.forEach(unwrap);
    L.geoJSON(land, {
      interactive: false,
      renderer: L.canvas({ padding: 0.5 }),  // one canvas for ~250 outlines: far quicker to draw than SVG paths
      style: { color: "#8f9aa5", weight: 0.6, fillColor: "#f4f1e8", fillOpacity: 1 },
    }).addTo(map).bringToBack();
    document.body.dataset.countries = String(land.features.length);
  }

  function renderPoints(points) {
    state.points = points;
    clusters.clearLayers();
    const markers = [];
    for (let i = 0; i < points.n; i++) {
      const colour = colourOf(points.type[i], points.quad[i]);
      const icon = L.divIcon({ className: "ev-marker", iconSize: [12, 12], html: "" });
      const m = L.marker([points.lat[i], points.lon[i]], { icon, title: points.type[i], keyboard: false });
      m.on("add", () => { const e = m.getElement(); if (e) e.style.background = colour; });
      const id = points.id[i];
      m.on("click", () => openEvent(id));
      markers.push(m);
    }
    clusters.addLayers(markers);
    document.body.dataset.markers = String(points.n);
    if (points.n && !state.fitted) {
      const bounds = L.latLngBounds(points.lat.map((lat, i) => [lat, points.lon[i]]));
      map.fitBounds(bounds.pad(0.2), { maxZoom: 7 });
      state.fitted = true;
    }
  }

  // -- timeline --------------------------------------------------------------------------------
  function renderTimeline(tl) {
    state.timeline = tl;
    const box = $("#timeline");
    box.textContent = "";
    const W = box.clientWidth || 800, H = box.clientHeight || 150;
    const m = { l: 34, r: 40, t: 8, b: 18 };
    const buckets = tl.buckets;
    document.body.dataset.bars = "0";
    if (!buckets.length) {
      const t = svg("text", { x: W / 2, y: H / 2, "text-anchor": "middle", class: "empty" });
      t.textContent = "no events";
      box.appendChild(t);
      return;
    }
    const maxN = Math.max(...buckets.map((b) => b.n));
    const bw = (W - m.l - m.r) / buckets.length;
    const y = (n) => H - m.b - (n / maxN) * (H - m.t - m.b);
    const yg = (g) => m.t + ((10 - g) / 20) * (H - m.t - m.b);
    let bars = 0;
    buckets.forEach((b, i) => {
      let acc = 0;
      for (const t of tl.types) {
        const n = (b.types || {})[t] || 0;
        if (!n) continue;
        const rect = svg("rect", { class: "bar", x: m.l + i * bw + 0.5, width: Math.max(1, bw - 1),
                                   y: y(acc + n), height: y(acc) - y(acc + n), fill: typeColour(t) });
        const title = svg("title", {});
        title.textContent = `${b.start}: ${n} ${t}`;
        rect.appendChild(title);
        box.appendChild(rect);
        acc += n;
        bars++;
      }
    });
    document.body.dataset.bars = String(bars);
    // axes: counts on the left, Goldstein (-10..10) on the right, a few dates below
    const axis = svg("g", { class: "axis" });
    for (const n of [0, maxN]) {
      const t = svg("text", { x: m.l - 4, y: y(n) + 3, "text-anchor": "end" });
      t.textContent = String(n);
      axis.appendChild(t);
    }
    for (const g of [-10, 0, 10]) {
      const t = svg("text", { x: W - m.r + 4, y: yg(g) + 3 });
      t.textContent = (g > 0 ? "+" : "") + g;
      axis.appendChild(t);
    }
    axis.appendChild(svg("line", { x1: m.l, x2: W - m.r, y1: yg(0), y2: yg(0), "stroke-dasharray": "3 3" }));
    const step = Math.max(1, Math.ceil(buckets.length / 8));
    for (let i = 0; i < buckets.length; i += step) {
      const t = svg("text", { x: m.l + i * bw, y: H - 4 });
      t.textContent = buckets[i].start;
      axis.appendChild(t);
    }
    box.appendChild(axis);
    const pts = buckets.map((b, i) => (b.goldstein_mean === null ? null : [m.l + (i + 0.5) * bw, yg(b.goldstein_mean)]))
      .filter(Boolean);
    if (pts.length) {
      box.appendChild(svg("polyline", { class: "gline", points: pts.map((p) => p.join(",")).join(" ") }));
    }
    // the brush
    const brush = svg("rect", { class: "brush", x: 0, y: m.t, width: 0, height: H - m.t - m.b, visibility: "hidden" });
    box.appendChild(brush);
    const index = (x) => Math.min(buckets.length - 1, Math.max(0, Math.floor((x - m.l) / bw)));
    const showBrush = (i0, i1) => {
      brush.setAttribute("x", m.l + i0 * bw);
      brush.setAttribute("width", (i1 - i0 + 1) * bw);
      brush.setAttribute("visibility", "visible");
    };
    if (state.brush) {
      const i0 = buckets.findIndex((b) => b.end >= state.brush.since);
      let i1 = buckets.length - 1;
      while (i1 > 0 && buckets[i1].start > state.brush.until) i1--;
      if (i0 >= 0) showBrush(i0, i1);
    }
    let start = null;
    const xOf = (ev) => ev.clientX - box.getBoundingClientRect().left;
    box.onmousedown = (ev) => { start = index(xOf(ev)); showBrush(start, start); ev.preventDefault(); };
    box.onmousemove = (ev) => {
      if (start === null) return;
      const i = index(xOf(ev));
      showBrush(Math.min(start, i), Math.max(start, i));
    };
    window.onmouseup = (ev) => {
      if (start === null) return;
      const i = index(xOf(ev));
      const i0 = Math.min(start, i), i1 = Math.max(start, i);
      start = null;
      state.brush = { since: buckets[i0].start, until: buckets[i1].end };
      $("#brush-clear").hidden = false;
      refreshSelection();
    };
  }

  // -- dyads and events ------------------------------------------------------------------------
  function renderDyads(d) {
    const body = $("#dyads tbody");
    body.textContent = "";
    for (const row of d.dyads) {
      body.appendChild(el("tr", {
        title: "filter to this dyad",
        onclick: () => {  // the dyad becomes the form's source and target, so the panel shows it
          $("#f-source").value = row.source;
          $("#f-target").value = row.target;
          state.filters = readForm();
          refresh();
        },
      }, el("td", {}, row.source), el("td", {}, row.target), el("td", { class: "num" }, row.n),
      el("td", { class: "num" }, fmt(row.goldstein_mean, 1))));
    }
    if (!d.dyads.length) body.appendChild(el("tr", {}, el("td", { colspan: 4 }, "no dyads")));
  }

  function eventRow(e) {
    return el("tr", { "data-id": e.id, onclick: () => openEvent(e.id) },
      el("td", { class: "nowrap" }, e.date || e.published || ""), el("td", {}, e.event_type), el("td", {}, e.source || ""),
      el("td", {}, e.target || ""), el("td", {}, e.country || ""), el("td", {}, e.trigger || ""),
      el("td", {}, e.outlet || ""));
  }

  async function loadEvents(append) {
    const page = await api("/api/events?" + query({ limit: 50, cursor: append ? state.cursor : null }, true));
    const body = $("#events tbody");
    if (!append) body.textContent = "";
    page.events.forEach((e) => body.appendChild(eventRow(e)));
    state.cursor = page.next_cursor;
    $("#events-more").hidden = !page.next_cursor;
    $("#events-count").textContent = `${page.total} matching`;
  }

  // -- the event panel -------------------------------------------------------------------------
  function highlighted(text, spans) {
    const out = el("div", { class: "sentence" });
    let at = 0;
    for (const s of spans) {
      if (s.start < at) continue;
      out.appendChild(document.createTextNode(text.slice(at, s.start)));
      out.appendChild(el("mark", { class: s.role, title: s.role }, text.slice(s.start, s.end)));
      at = s.end;
    }
    out.appendChild(document.createTextNode(text.slice(at)));
    return out;
  }

  function actorsText(list) {
    return (list || []).map((a) => a.name || a.text).filter(Boolean).join(", ") || "–";
  }

  // the map and the timeline fill what the panel leaves
  function relayout() {
    map.invalidateSize({ pan: false });
    if (state.timeline) renderTimeline(state.timeline);
  }
  function setPanel(open) {
    const panel = $("#panel");
    if (panel.hidden === !open) return;
    panel.hidden = !open;
    relayout();
  }

  async function openEvent(id) {
    const body = $("#panel-body");
    setPanel(true);
    body.textContent = "loading…";
    let e;
    try { e = await api(`/api/events/${encodeURIComponent(id)}`); } catch (err) { body.textContent = String(err.message); return; }
    const d = e.document || {};
    body.textContent = "";
    body.dataset.id = String(e.id);
    body.appendChild(el("h3", {}, `${d.event_type}${d.mode ? " / " + d.mode : ""}`));
    body.appendChild(highlighted(e.sentence.text || "", e.sentence.spans || []));
    const date = d.date ? `${d.date.value} (${d.date.precision}${d.date.text ? ", “" + d.date.text + "”" : ", publication date"})` : "–";
    const rows = [
      ["source", actorsText(d.source)], ["target", actorsText(d.target)], ["trigger", d.trigger && d.trigger.text],
      ["rule", d.rule], ["CAMEO", d.cameo], ["Goldstein", fmt(d.goldstein, 1)],
      ["confidence", e.confidence === undefined || e.confidence === null ? (d.confidence === undefined ? "–" : fmt(d.confidence, 2)) : fmt(e.confidence, 2)],
      ["modality", d.modality], ["date", date],
      ["location", (d.locations || []).map((p) => [p.name || p.text, p.country].filter(Boolean).join(", ")).join("; ") || "–"],
      ["attribution", d.attribution ? (d.attribution.name || d.attribution.text) : "–"],
    ];
    const dl = el("dl", {});
    for (const [k, v] of rows) { dl.appendChild(el("dt", {}, k)); dl.appendChild(el("dd", {}, v === null || v === undefined ? "–" : v)); }
    dl.appendChild(el("dt", {}, "article"));
    dl.appendChild(el("dd", {}, safeLink(e.url, e.title || e.article_id), e.outlet ? ` (${e.outlet}, ${e.published || "undated"})` : ""));
    body.appendChild(dl);
    body.appendChild(el("button", { type: "button", id: "show-article", onclick: () => showArticle(e.article_id, body) },
      "show the article"));
    if (e.story) {
      const s = e.story;
      const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;
      body.appendChild(el("h3", {}, `Story ${s.id}: ${plural(s.n_mentions, "mention")} in ${plural(s.n_articles, "article")}, ` +
        plural(s.n_outlets, "outlet")));
      const list = el("ul", { class: "mentions" });
      for (const mnt of s.mentions) {
        list.appendChild(el("li", {}, safeLink(mnt.url, mnt.title || mnt.article_id),
          ` ${mnt.outlet || ""} ${mnt.published || ""}: “${mnt.trigger || ""}”`));
      }
      if (!s.mentions.length) list.appendChild(el("li", {}, "no other mentions"));
      body.appendChild(list);
    }
  }

  async function showArticle(articleId, body) {
    const a = await api(`/api/articles/${encodeURIComponent(articleId)}`);
    const spans = [];
    for (const ev of a.events) for (const s of ev.spans) spans.push(s);
    spans.sort((x, y) => x.start - y.start || y.end - x.end);
    const old = document.getElementById("article-text");
    if (old) old.remove();
    const box = highlighted(a.text, spans);
    box.className = "article";
    box.id = "article-text";
    body.appendChild(el("h3", {}, a.title || a.article_id));
    body.appendChild(box);
  }

  // -- filters ---------------------------------------------------------------------------------
  function selected(sel) { return Array.from(sel.selectedOptions).map((o) => o.value); }
  function readForm() {
    const f = {};
    const since = $("#f-since").value, until = $("#f-until").value;
    if (since) f.since = since;
    if (until) f.until = until;
    const types = selected($("#f-type"));
    if (types.length) f.event_type = types;
    const countries = selected($("#f-country"));
    if (countries.length) f.country = countries;
    for (const name of ["actor", "source", "target", "rule"]) {  // comma lists, as the API takes them
      const items = $("#f-" + name).value.split(",").map((x) => x.trim()).filter(Boolean);
      if (items.length) f[name] = items;
    }
    const sectors = selected($("#f-sector"));
    if (sectors.length) f.sector = sectors;
    const outlets = selected($("#f-outlet"));
    if (outlets.length) f.outlet = outlets;
    if ($("#f-modality").value) f.modality = [$("#f-modality").value];
    const conf = Number($("#f-conf").value);
    if (conf > 0) f.min_confidence = conf;
    const text = $("#f-text").value.trim();
    if (text) f.text = text;
    return f;
  }

  async function loadFacets() {
    const f = await api("/api/facets");
    for (const [sel, items] of [["#f-type", f.event_type], ["#f-country", f.country], ["#f-sector", f.sector],
                                ["#f-outlet", f.outlet]]) {
      const box = $(sel);
      for (const it of items) box.appendChild(el("option", { value: it.value }, `${it.value} (${it.n})`));
      box.closest("label").hidden = !items.length;  // nothing to choose (e.g. articles without outlets)
    }
    for (const it of f.event_type) typeColour(it.value);
    if (f.date_min) { $("#f-since").min = f.date_min; $("#f-until").min = f.date_min; }
    if (f.date_max) { $("#f-since").max = f.date_max; $("#f-until").max = f.date_max; }
    renderLegend();
  }

  function bucket() {
    return $("#f-bucket").value;
  }

  // the brushed range narrows the map and the tables; the timeline shows the whole filtered range
  async function refreshSelection() {
    const [points, dyads] = await Promise.all([
      api("/api/points?" + query({}, true)),
      api("/api/dyads?" + query({ limit: 12 }, true)),
      loadEvents(false),
    ]);
    renderPoints(points);
    renderDyads(dyads);
    const brushed = state.brush ? `, dates ${state.brush.since} to ${state.brush.until}` : "";
    $("#status").textContent = `${points.n} events on the map${points.truncated ? " (truncated)" : ""}${brushed}`;
  }

  async function refresh() {
    try {
      const [tl] = await Promise.all([api("/api/timeline?" + query({ by: bucket() }, false)), refreshSelection()]);
      renderTimeline(tl);
      const notes = [];
      if (tl.outside) notes.push(`${tl.outside} events outside the dates shown (set dates to see them)`);
      if (tl.left_out) notes.push(`${tl.left_out} dated only more coarsely than a ${tl.by}`);
      const note = notes.join("; ");
      $("#timeline-note").textContent = note;
    } catch (err) {
      showError(err);
    }
  }

  $("#filter-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    state.filters = readForm();
    state.brush = null;
    $("#brush-clear").hidden = true;
    refresh();
  });
  $("#f-reset").addEventListener("click", () => {
    $("#filter-form").reset();
    $("#f-conf-out").textContent = "0";
    state.filters = {};
    state.brush = null;
    $("#brush-clear").hidden = true;
    refresh();
  });
  $("#f-conf").addEventListener("input", () => { $("#f-conf-out").textContent = $("#f-conf").value; });
  $("#f-colour").addEventListener("change", () => {
    state.colour = $("#f-colour").value;
    renderLegend();
    if (state.points) renderPoints(state.points);
  });
  $("#f-bucket").addEventListener("change", refresh);
  $("#brush-clear").addEventListener("click", () => {
    state.brush = null;
    $("#brush-clear").hidden = true;
    refresh();
  });
  $("#events-more").addEventListener("click", () => loadEvents(true).catch(showError));
  $("#panel-close").addEventListener("click", () => setPanel(false));
  let resizing = null;
  window.addEventListener("resize", () => { clearTimeout(resizing); resizing = setTimeout(relayout, 150); });

  window.eventwire = { state, openEvent, refresh, map, renderPoints };
  (async function start() {
    try {
      // the data do not wait for the basemap (the largest file): both load at once
      await Promise.all([loadBasemap(), loadFacets().then(refresh)]);
      document.body.dataset.loadMs = String(Math.round(performance.now()));
      document.body.dataset.ready = "1";
    } catch (err) {
      showError(err);
      document.body.dataset.ready = "error";
    }
  })();
})();
