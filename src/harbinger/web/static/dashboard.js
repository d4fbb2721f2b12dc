/* Harbinger dashboard: map, timeline, warnings and event table driven by one set of filters.
 *
 * Every piece of text from the API is untrusted (it comes from news articles): it is put in the
 * page with textContent or as a DOM node, never as HTML.
 */
(function () {
  "use strict";

  var TYPES = [
    ["Battles", "#c0392b"],
    ["Explosions/Remote violence", "#e67e22"],
    ["Violence against civilians", "#8e44ad"],
    ["Protests", "#2980b9"],
    ["Riots", "#8d6e63"],
    ["Strategic developments", "#27ae60"],
  ];
  var COLOR = {};
  TYPES.forEach(function (t) { COLOR[t[0]] = t[1]; });
  var PAGE = 10;
  var TIMELINE_WEEKS = 52;
  var state = { since: "", until: "", admin1: "", type: "", actor: "", sort: "-date", offset: 0 };

  function slug(type) { return String(type || "").toLowerCase().replace(/[\/ ]/g, "-"); }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "class") node.className = attrs[k];
      else if (k === "text") node.textContent = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) {
      node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }

  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

  function query(extra) {
    var params = new URLSearchParams();
    ["since", "until", "admin1", "type", "actor"].forEach(function (k) {
      if (state[k]) params.set(k, state[k]);
    });
    Object.keys(extra || {}).forEach(function (k) { params.set(k, extra[k]); });
    return params.toString();
  }

  function getJSON(url) {
    return fetch(url, { headers: { Accept: "application/json" } }).then(function (r) {
      return r.json().then(function (body) {
        if (!r.ok) throw new Error((body.error && body.error.message) || r.statusText);
        return body;
      });
    });
  }

  // -- map ------------------------------------------------------------------------------------
  var map = null, cluster = null, boundaries = null;

  function initMap() {
    if (typeof L === "undefined") {
      document.getElementById("map").appendChild(
        el("p", { class: "empty", text: "The map library is not installed: run 'make setup'." }));
      return;
    }
    map = L.map("map", { zoomSnap: 0.25, minZoom: 4, maxZoom: 13, attributionControl: true })
      .setView([34.6, 41.0], 5.75);
    map.attributionControl.setPrefix("Leaflet");
    map.attributionControl.addAttribution(
      "Governorate boundaries are approximate (derived from GeoNames CC BY 4.0 and Natural Earth)");
    cluster = L.markerClusterGroup({ maxClusterRadius: 40, showCoverageOnHover: false });
    map.addLayer(cluster);
    var legend = L.control({ position: "topright" });
    legend.onAdd = function () {
      var box = el("div", { class: "map-legend" }, [el("h4", { text: "Event type" })]);
      TYPES.forEach(function (t) {
        box.appendChild(el("div", {}, [el("span", { class: "dot t-" + slug(t[0]) }), t[0]]));
      });
      box.appendChild(el("div", { class: "muted", text: "Numbered circles: clusters" }));
      return box;
    };
    legend.addTo(map);
    getJSON("/api/regions?format=geojson").then(function (geo) {
      boundaries = L.geoJSON(geo, {
        style: function () {
          return { color: "#8a97a8", weight: 1, fillColor: "#f7f4ec", fillOpacity: 1 };
        },
        onEachFeature: function (f, layer) {
          var p = f.properties;
          var tip = el("div", {}, [el("strong", { text: p.name }), " (" + p.code + ") · " + p.events + " events"]);
          layer.bindTooltip(tip, { sticky: true });
          layer.on("click", function () { setFilter("admin1", p.code); });
        },
      }).addTo(map);
      boundaries.bringToBack();
      map.fitBounds(boundaries.getBounds(), { padding: [8, 8] });
      highlightRegion();
    });
  }

  function highlightRegion() {
    if (!boundaries) return;
    boundaries.eachLayer(function (layer) {
      var on = state.admin1 && layer.feature.properties.code === state.admin1;
      layer.setStyle(on ? { color: "#1f4e79", weight: 2.5, fillColor: "#e8eef6" }
                        : { color: "#8a97a8", weight: 1, fillColor: "#f7f4ec" });
    });
  }

  function loadMap() {
    if (!map) return;
    getJSON("/api/events?" + query({ format: "geojson", limit: 5000 })).then(function (geo) {
      cluster.clearLayers();
      var markers = geo.features.map(function (f) {
        var p = f.properties;
        var c = f.geometry.coordinates;
        var m = L.circleMarker([c[1], c[0]], {
          radius: 6 + Math.min(8, Math.sqrt(p.fatalities || 0) * 1.5), color: "#222", weight: 1,
          fillColor: COLOR[p.event_type] || "#555", fillOpacity: 0.9,
        });
        m.bindTooltip(el("div", {}, [el("strong", { text: p.sub_event_type }), el("br"),
          (p.location || "") + " · " + (p.date || "no date")]));
        m.on("click", function () { openEvent(p.id); });
        m.options.eventId = p.id;
        return m;
      });
      cluster.addLayers(markers);
      document.getElementById("map-count").textContent =
        markers.length + " located of " + geo.total + " matching";
      document.getElementById("map").setAttribute("data-markers", String(markers.length));
    }).catch(showError);
  }

  // -- table ----------------------------------------------------------------------------------
  function loadTable() {
    getJSON("/api/events?" + query({ limit: PAGE, offset: state.offset, sort: state.sort })).then(function (data) {
      var body = document.querySelector("#events tbody");
      clear(body);
      if (!data.events.length) {
        body.appendChild(el("tr", {}, [el("td", { colspan: "6", class: "empty", text: "No events match the filters." })]));
      }
      data.events.forEach(function (e) {
        var actors = (e.actor1 || "unknown") + (e.actor2 ? " vs " + e.actor2 : "");
        var row = el("tr", { "data-id": e.id, tabindex: "0" }, [
          el("td", { text: e.date || "—" }),
          el("td", {}, [el("div", { class: "type-cell" }, [el("span", { class: "dot t-" + slug(e.event_type) }),
            el("div", {}, [el("div", { text: e.event_type }), el("div", { class: "sub", text: e.sub_event_type })])])]),
          el("td", { text: actors }),
          el("td", { text: e.location || "—" }),
          el("td", { text: e.admin1 || "—" }),
          el("td", { class: "num", text: String(e.fatalities) }),
        ]);
        row.addEventListener("click", function () { openEvent(e.id); });
        row.addEventListener("keydown", function (ev) { if (ev.key === "Enter") openEvent(e.id); });
        body.appendChild(row);
      });
      var first = data.total ? data.offset + 1 : 0;
      var last = Math.min(data.offset + data.events.length, data.total);
      document.getElementById("page-info").textContent = first + "–" + last + " of " + data.total;
      document.getElementById("table-count").textContent = data.total + " matching";
      document.getElementById("prev").disabled = data.offset === 0;
      document.getElementById("next").disabled = last >= data.total;
    }).catch(showError);
  }

  function initTable() {
    document.querySelectorAll("#events th[data-sort]").forEach(function (th) {
      th.addEventListener("click", function () {
        var key = th.getAttribute("data-sort");
        state.sort = state.sort === "-" + key ? key : "-" + key;
        document.querySelectorAll("#events th").forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", state.sort.charAt(0) === "-" ? "descending" : "ascending");
        state.offset = 0;
        loadTable();
      });
    });
    document.getElementById("prev").addEventListener("click", function () {
      state.offset = Math.max(0, state.offset - PAGE); loadTable();
    });
    document.getElementById("next").addEventListener("click", function () {
      state.offset += PAGE; loadTable();
    });
  }

  // -- timeline -------------------------------------------------------------------------------
  var SVG = "http://www.w3.org/2000/svg";
  function svg(tag, attrs) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }

  function loadTimeline() {
    var params = { by_type: "true" };
    var box = document.getElementById("timeline");
    var sel = document.getElementById("f-admin1");
    document.getElementById("timeline-region").textContent =
      "· " + (state.admin1 ? sel.options[sel.selectedIndex].text : "all governorates");
    var q = new URLSearchParams();
    ["admin1", "type", "since", "until"].forEach(function (k) { if (state[k]) q.set(k, state[k]); });
    Object.keys(params).forEach(function (k) { q.set(k, params[k]); });
    getJSON("/api/series?" + q.toString()).then(function (data) {
      drawTimeline(box, data);
    }).catch(function (err) {
      clear(box);
      box.appendChild(el("p", { class: "empty", text: "No series: " + err.message }));
    });
  }

  function drawTimeline(box, data) {
    clear(box);
    var pts = data.points || [];
    var note = "";
    if (!state.since && pts.length > TIMELINE_WEEKS) {
      // Without a start date the chart shows the latest year; the table and map keep everything.
      pts = pts.slice(pts.length - TIMELINE_WEEKS);
      note = "Latest " + TIMELINE_WEEKS + " weeks; set 'From' to see earlier ones.";
    }
    if (!pts.length) { box.appendChild(el("p", { class: "empty", text: "No events in this period." })); return; }
    var W = 640, H = 200, m = { l: 34, r: 8, t: 10, b: 24 };
    var n = pts.length, iw = W - m.l - m.r, ih = H - m.t - m.b;
    var ymax = 1;
    pts.forEach(function (p) { ymax = Math.max(ymax, p.events, p.high); });
    ymax = Math.ceil(ymax);
    var bw = iw / n;
    function x(i) { return m.l + i * bw; }
    function y(v) { return m.t + ih - (v / ymax) * ih; }
    var root = svg("svg", { viewBox: "0 0 " + W + " " + H, role: "img", "aria-label": "Weekly events with baseline band" });
    // baseline band (low-high) as one polygon, baseline as a dashed line
    var upper = [], lower = [], line = [];
    pts.forEach(function (p, i) {
      var cx = x(i) + bw / 2;
      upper.push(cx + "," + y(p.high)); lower.unshift(cx + "," + y(p.low)); line.push(cx + "," + y(p.baseline));
    });
    root.appendChild(svg("polygon", { class: "band", points: upper.concat(lower).join(" ") }));
    // stacked bars per type
    var byType = data.by_type || {};
    var stack = pts.map(function () { return 0; });
    TYPES.forEach(function (t) {
      var series = byType[t[0]];
      if (!series) return;
      var idx = {};
      series.forEach(function (p) { idx[p.week_start] = p.events; });
      pts.forEach(function (p, i) {
        var v = idx[p.week_start] || 0;
        if (!v) return;
        var rect = svg("rect", { class: "bar-" + slug(t[0]), x: x(i) + bw * 0.12, width: Math.max(1, bw * 0.76),
          y: y(stack[i] + v), height: y(stack[i]) - y(stack[i] + v) });
        var title = svg("title", {});
        title.textContent = p.week_start + ": " + v + " × " + t[0];
        rect.appendChild(title);
        root.appendChild(rect);
        stack[i] += v;
      });
    });
    if (!Object.keys(byType).length) {
      pts.forEach(function (p, i) {
        root.appendChild(svg("rect", { class: "bar-battles", x: x(i) + bw * 0.12, width: Math.max(1, bw * 0.76),
          y: y(p.events), height: y(0) - y(p.events) }));
      });
    }
    root.appendChild(svg("polyline", { class: "baseline", points: line.join(" ") }));
    // axes
    var axis = svg("g", { class: "axis" });
    axis.appendChild(svg("line", { x1: m.l, x2: W - m.r, y1: y(0), y2: y(0) }));
    [0, ymax / 2, ymax].forEach(function (v) {
      var label = svg("text", { x: m.l - 5, y: y(v) + 3, "text-anchor": "end" });
      label.textContent = String(Math.round(v * 10) / 10);
      axis.appendChild(label);
    });
    var every = Math.max(1, Math.ceil(n / 8));
    pts.forEach(function (p, i) {
      if (i % every) return;
      var label = svg("text", { x: x(i) + bw / 2, y: H - 6, "text-anchor": "middle" });
      label.textContent = p.week_start;
      axis.appendChild(label);
    });
    root.appendChild(axis);
    box.appendChild(root);
    if (note) box.appendChild(el("p", { class: "muted small", text: note }));
  }

  // -- warnings -------------------------------------------------------------------------------
  var warnings = [];
  function loadWarnings() {
    var list = document.getElementById("warnings");
    getJSON("/api/warnings").then(function (data) {
      warnings = data.warnings;
      renderWarnings();
    }).catch(function (err) {
      clear(list);
      list.appendChild(el("li", { class: "empty", text: "Warnings unavailable: " + err.message }));
    });
  }

  function renderWarnings() {
    var list = document.getElementById("warnings");
    clear(list);
    var shown = warnings.filter(function (w) { return !state.admin1 || w.region_code === state.admin1; });
    document.getElementById("warnings-count").textContent = shown.length + " active";
    if (!shown.length) list.appendChild(el("li", { class: "empty", text: "No active warnings." }));
    shown.forEach(function (w) {
      var item = el("li", { class: "level-" + w.level, tabindex: "0", "data-id": w.id }, [
        el("div", {}, [el("span", { class: "level", text: w.level }), el("strong", { text: w.region }),
          el("span", { class: "muted", text: " · " + w.period_start + " to " + w.period_end + " · score " + w.score })]),
        el("div", { class: "reason", text: w.reason }),
      ]);
      item.addEventListener("click", function () { openWarning(w); });
      item.addEventListener("keydown", function (ev) { if (ev.key === "Enter") openWarning(w); });
      list.appendChild(item);
    });
  }

  // -- evidence drawer ------------------------------------------------------------------------
  var drawer = document.getElementById("evidence");
  var drawerBody = document.getElementById("evidence-body");

  function openDrawer(nodes) {
    clear(drawerBody);
    nodes.forEach(function (n) { drawerBody.appendChild(n); });
    drawer.hidden = false;
  }

  function sentenceNode(ev) {
    // The span is highlighted inside its sentence when it is a part of it; else the sentence is.
    var box = el("blockquote", { class: "evidence-sentence" });
    box.appendChild(el("mark", { text: ev.sentence }));
    return box;
  }

  function dl(pairs) {
    var list = el("dl");
    pairs.forEach(function (p) {
      if (p[1] === null || p[1] === undefined || p[1] === "") return;
      list.appendChild(el("dt", { text: p[0] }));
      list.appendChild(el("dd", { text: String(p[1]) }));
    });
    return list;
  }

  function openEvent(id) {
    document.querySelectorAll("#events tr.selected").forEach(function (r) { r.classList.remove("selected"); });
    var row = document.querySelector('#events tr[data-id="' + CSS.escape(id) + '"]');
    if (row) row.classList.add("selected");
    getJSON("/api/events/" + encodeURIComponent(id)).then(function (e) {
      var nodes = [
        el("h2", {}, [el("span", { class: "dot t-" + slug(e.event_type) }), " " + e.sub_event_type]),
        el("p", { class: "muted", text: e.event_type + " · " + (e.date || "no date") + " (time precision " + e.time_precision + ")" }),
        dl([["Actor 1", e.actor1], ["Associated", e.assoc_actor1], ["Actor 2", e.actor2],
            ["Associated", e.assoc_actor2], ["Location", e.location], ["Governorate", e.admin1],
            ["Country", e.country], ["Geo precision", e.geo_precision], ["Fatalities", e.fatalities],
            ["Arrests", e.arrests], ["Confidence", e.confidence], ["Source", e.title || e.source]]),
        el("h3", { text: "Evidence" }),
      ];
      e.evidence.forEach(function (ev) { nodes.push(sentenceNode(ev)); });
      if (!e.evidence.length) nodes.push(el("p", { class: "empty", text: "No sentence stored (imported event)." }));
      if (e.document_id) {
        nodes.push(el("p", {}, [el("a", { href: "/documents/" + encodeURIComponent(e.document_id) + "#item-" + encodeURIComponent(e.id),
          text: "Open the article with every coded value highlighted →" })]));
      }
      openDrawer(nodes);
    }).catch(showError);
  }

  function openWarning(w) {
    var nodes = [
      el("h2", {}, [el("span", { class: "level level-" + w.level, text: w.level }), w.region]),
      el("p", { class: "muted", text: w.period_start + " to " + w.period_end + " · score " + w.score }),
      el("p", { text: w.reason }),
      el("h3", { text: "Evidence" }),
    ];
    w.evidence.forEach(function (ev) { nodes.push(sentenceNode(ev)); });
    var list = el("ul", { class: "items" });
    w.event_ids.forEach(function (id) {
      var a = el("a", { href: "#", text: "Event " + id });
      a.addEventListener("click", function (ev) { ev.preventDefault(); openEvent(id); });
      list.appendChild(el("li", {}, [a]));
    });
    if (w.event_ids.length) { nodes.push(el("h3", { text: "Events behind it" })); nodes.push(list); }
    openDrawer(nodes);
  }

  function showError(err) {
    openDrawer([el("h2", { text: "Something went wrong" }), el("p", { text: String(err.message || err) })]);
  }

  // -- filters --------------------------------------------------------------------------------
  function setFilter(name, value) {
    state[name] = value;
    var input = document.getElementById("f-" + name);
    if (input) input.value = value;
    refresh();
  }

  function refresh() {
    state.offset = 0;
    highlightRegion();
    loadMap();
    loadTable();
    loadTimeline();
    renderWarnings();
  }

  function initFilters() {
    ["since", "until", "admin1", "type", "actor"].forEach(function (name) {
      var input = document.getElementById("f-" + name);
      var timer = null;
      input.addEventListener("change", function () { state[name] = input.value.trim(); refresh(); });
      if (name === "actor") {
        input.addEventListener("input", function () {
          clearTimeout(timer);
          timer = setTimeout(function () { state.actor = input.value.trim(); refresh(); }, 350);
        });
      }
    });
    document.getElementById("filters").addEventListener("submit", function (ev) { ev.preventDefault(); });
    document.getElementById("f-reset").addEventListener("click", function () {
      ["since", "until", "admin1", "type", "actor"].forEach(function (n) { state[n] = ""; });
      setTimeout(refresh, 0);
    });
    document.getElementById("evidence-close").addEventListener("click", function () { drawer.hidden = true; });
    document.addEventListener("keydown", function (ev) { if (ev.key === "Escape") drawer.hidden = true; });
  }

  initFilters();
  initTable();
  initMap();
  loadWarnings();
  refresh();
})();
