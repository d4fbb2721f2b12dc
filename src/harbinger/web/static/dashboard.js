/* Harbinger dashboard: map, timeline, warnings and event table driven by one set of filters.
 *
 * Every piece of text from the API is untrusted (it comes from news articles): it is put in the
 * page with textContent or as a DOM node, never as HTML.
 *
 * The map never asks for every event: /api/map answers one aggregate per governorate when
 * zoomed out, and grid cells or points for the view when zoomed in. Events known only to a
 * governorate or a country are drawn as that area, never as a point at its centre.
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
  var LEVELS = { watch: "#f1d27a", warning: "#f0a35e", alert: "#d9534f" };
  var EVENT_SHADES = ["#eef3f8", "#cfe0ef", "#a6c6e1", "#78a6cf", "#4b82b8", "#255f97"];
  var NEUTRAL = "#f7f4ec";
  var PAGE = 10;
  var TIMELINE_WEEKS = 52;
  var ISO = /^\d{4}-\d{2}-\d{2}$/;
  var FILTERS = ["since", "until", "admin1", "type", "actor"];
  var state = { since: "", until: "", admin1: "", type: "", actor: "", sort: "-date", offset: 0,
                shade: "none" };

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

  function query(extra, keys) {
    var params = new URLSearchParams();
    (keys || FILTERS).forEach(function (k) { if (state[k]) params.set(k, state[k]); });
    Object.keys(extra || {}).forEach(function (k) { params.set(k, extra[k]); });
    return params.toString();
  }

  function getJSON(url, signal) {
    return fetch(url, { headers: { Accept: "application/json" }, signal: signal }).then(function (r) {
      return r.json().then(function (body) {
        if (!r.ok) throw new Error((body.error && body.error.message) || r.statusText);
        return body;
      });
    });
  }

  /* The answer to the newest request of a kind only: a filter changed twice in a row sends two
     requests, and the older answer, arriving last, must not overwrite the newer one. */
  var inflight = {};
  function latest(kind, url) {
    if (inflight[kind]) inflight[kind].abort();
    var ctl = new AbortController();
    inflight[kind] = ctl;
    return getJSON(url, ctl.signal).then(function (data) {
      if (inflight[kind] === ctl) delete inflight[kind];
      return data;
    });
  }
  function aborted(err) { return err && err.name === "AbortError"; }

  function plural(n, one, many) { return n + " " + (n === 1 ? one : many); }

  function short(n) { return n >= 10000 ? Math.round(n / 1000) + "k" : n >= 1000 ? (n / 1000).toFixed(1) + "k" : String(n); }

  // -- map ------------------------------------------------------------------------------------
  var SVGNS = "http://www.w3.org/2000/svg";
  function svg(tag, attrs) {
    var node = document.createElementNS(SVGNS, tag);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }

  var map = null, base = null, labels = null, areas = null, markers = null;
  var features = {};      // governorate code -> its GeoJSON feature
  var layers = {};        // governorate code -> its polygon layer
  var lastMap = null;     // the last /api/map answer
  var pending = null;     // the AbortController of the request in flight
  var mapTimer = null;

  /* A pie of event types: a circle sized by the events it stands for (its area in proportion
     to the largest one drawn, ``most``), the count in the middle. */
  function pieIcon(byType, total, label, above, most, biggest) {
    var r = Math.round(10 + ((biggest || 24) - 10) * Math.sqrt(total / Math.max(total, most || total)));
    r = Math.max(r, Math.ceil(label.length * 3.4 + 6));  // the count fits inside
    var size = 2 * r + 2;
    var root = svg("svg", { width: size, height: size, viewBox: "0 0 " + size + " " + size, class: "pie" });
    var cx = r + 1, cy = r + 1, start = -Math.PI / 2;
    var parts = TYPES.filter(function (t) { return byType[t[0]]; });
    if (parts.length === 1) {
      root.appendChild(svg("circle", { cx: cx, cy: cy, r: r, fill: parts[0][1] }));
    } else {
      parts.forEach(function (t) {
        var angle = 2 * Math.PI * byType[t[0]] / total;
        var end = start + angle;
        var large = angle > Math.PI ? 1 : 0;
        var d = "M" + cx + "," + cy + " L" + (cx + r * Math.cos(start)) + "," + (cy + r * Math.sin(start)) +
          " A" + r + "," + r + " 0 " + large + " 1 " + (cx + r * Math.cos(end)) + "," + (cy + r * Math.sin(end)) + " Z";
        root.appendChild(svg("path", { d: d, fill: t[1] }));
        start = end;
      });
    }
    root.appendChild(svg("circle", { cx: cx, cy: cy, r: r, fill: "none", stroke: "#1d2430", "stroke-width": 1 }));
    root.appendChild(svg("circle", { cx: cx, cy: cy, r: Math.max(r * 0.55, label.length * 3.4 + 1), fill: "#fff", "fill-opacity": 0.92 }));
    var text = svg("text", { x: cx, y: cy + 4, "text-anchor": "middle", class: "pie-count" });
    text.textContent = label;
    root.appendChild(text);
    // A governorate's pie stands just above its label point, where its name is written.
    return L.divIcon({ html: root, className: "pie-icon", iconSize: [size, size],
                       iconAnchor: above ? [size / 2, size + 7] : [size / 2, size / 2] });
  }

  function typeLines(byType) {
    return TYPES.filter(function (t) { return byType[t[0]]; }).map(function (t) {
      return el("div", { class: "tip-line" }, [el("span", { class: "dot t-" + slug(t[0]) }), byType[t[0]] + " " + t[0]]);
    });
  }

  function tip(title, lines) {
    return el("div", {}, [el("strong", { text: title })].concat(lines));
  }

  function initMap() {
    if (typeof L === "undefined") {
      document.getElementById("map").appendChild(
        el("p", { class: "empty", text: "The map library is not installed: run 'make setup'." }));
      return;
    }
    map = L.map("map", { zoomSnap: 0.25, minZoom: 4, maxZoom: 13, attributionControl: true })
      .setView([34.6, 41.0], 5.75);
    map.attributionControl.setPrefix("Leaflet");
    // Governorates at the bottom, then the areas of events known only to an area, the names,
    // the event points, and the aggregate pies (Leaflet's marker pane) on top.
    [["governorates", 350], ["areas", 420], ["labels", 450], ["points", 500]].forEach(function (p) {
      map.createPane(p[0]).style.zIndex = p[1];
    });
    map.getPane("labels").classList.add("no-pointer");
    labels = L.layerGroup().addTo(map);
    areas = L.layerGroup().addTo(map);
    markers = L.layerGroup().addTo(map);
    initLegend();
    initShade();
    map.on("moveend", function () { scheduleMap(); });
    map.on("zoomend", placeLabels);
    getJSON("/api/regions?format=geojson").then(function (geo) {
      // The full line (codes, Halabja, the Golan) is in /api/regions and docs/attribution.md.
      map.attributionControl.addAttribution("Boundaries: Natural Earth (public domain)");
      base = L.geoJSON(geo, {
        pane: "governorates",
        style: baseStyle,
        onEachFeature: function (f, layer) {
          var p = f.properties;
          features[p.code] = f;
          layers[p.code] = layer;
          layer.bindTooltip(function () { return regionTip(p); }, { sticky: true });
          layer.on("click", function () { setFilter("admin1", state.admin1 === p.code ? "" : p.code); });
        },
      }).addTo(map);
      base.bringToBack();
      document.getElementById("map").setAttribute("data-governorates", String(geo.features.length));
      geo.features.forEach(function (f) {
        var p = f.properties;
        var label = L.tooltip({ pane: "labels", permanent: true, direction: "center", className: "gov-label", interactive: false })
          .setLatLng([p.label_lat, p.label_lon]).setContent(p.name);
        label.bounds = L.geoJSON(f).getBounds();
        label.feature = f;
        labels.addLayer(label);
      });
      map.fitBounds(base.getBounds(), { padding: [8, 8] });
      placeLabels();
      restyle();
    }).catch(function (err) {
      document.getElementById("map-note").textContent = "No governorate outlines: " + err.message;
    });
  }

  /* A governorate's name is shown when its polygon is wide enough on screen to hold it. */
  function placeLabels() {
    if (!map) return;
    labels.eachLayer(function (label) {
      var b = label.bounds;
      var wide = map.latLngToContainerPoint(b.getNorthEast()).x - map.latLngToContainerPoint(b.getSouthWest()).x;
      var text = label.feature.properties.name;
      var el_ = label.getElement();
      if (el_) el_.classList.toggle("hidden", wide < text.length * 7 + 16);
    });
  }

  function regionTip(p) {
    var lines = [el("div", { class: "muted", text: p.code + (p.kurdistan_region ? " · Kurdistan Region" : "") + " · " + p.country })];
    var agg = lastMap && (lastMap.governorates || []).filter(function (g) { return g.code === p.code; })[0];
    lines.push(el("div", { text: plural(agg ? agg.events : 0, "event", "events") + " in the period" + (agg ? " · " + agg.fatalities + " fatalities" : "") }));
    var w = topWarning(p.code);
    if (w) lines.push(el("div", { text: "Warning level: " + w.level }));
    lines.push(el("div", { class: "muted", text: state.admin1 === p.code ? "Click to show every governorate" : "Click to filter by it" }));
    return tip(p.name, lines);
  }

  function topWarning(code) {
    var rank = { alert: 0, warning: 1, watch: 2 };
    var found = warnings.filter(function (w) { return w.region_code === code; });
    found.sort(function (a, b) { return rank[a.level] - rank[b.level]; });
    return found[0] || null;
  }

  /* The lowest count of each class: up to five classes (quantiles of the governorates that
     have events), so that one hot spot does not leave every other governorate the palest. */
  function eventBreaks() {
    var counts = ((lastMap && lastMap.governorates) || []).map(function (g) { return g.events; })
      .filter(function (n) { return n > 0; }).sort(function (a, b) { return a - b; });
    if (!counts.length) return [];
    var lows = [1];
    for (var i = 1; i < 5; i++) {
      var q = counts[Math.floor(i * counts.length / 5)];
      if (q > lows[lows.length - 1]) lows.push(q);
    }
    return lows;
  }

  /* The palette index of class k (1-based) of n: the classes spread over the whole palette. */
  function shadeIndex(k, n) {
    if (!k) return 0;
    return n === 1 ? EVENT_SHADES.length - 1 : 1 + Math.round((k - 1) * (EVENT_SHADES.length - 2) / (n - 1));
  }

  function eventShade(n, lows) {
    var k = 0;
    while (k < lows.length && n >= lows[k]) k++;
    return EVENT_SHADES[shadeIndex(k, lows.length)];  // 0: no event
  }

  function baseStyle(f) {
    var p = f.properties;
    var fill = NEUTRAL;
    if (state.shade === "events") {
      var agg = lastMap && (lastMap.governorates || []).filter(function (g) { return g.code === p.code; })[0];
      fill = eventShade(agg ? agg.events : 0, eventBreaks());
    } else if (state.shade === "warnings") {
      var w = topWarning(p.code);
      fill = w ? LEVELS[w.level] : NEUTRAL;
    }
    var on = state.admin1 && p.code === state.admin1;
    return {
      color: on ? "#1f4e79" : p.kurdistan_region ? "#6d5a8c" : "#8a97a8",
      weight: on ? 2.5 : p.kurdistan_region ? 1.6 : 1,
      dashArray: p.kurdistan_region && !on ? "5 3" : null,
      fillColor: fill,
      fillOpacity: 1,
    };
  }

  function restyle() {
    if (!base) return;
    base.setStyle(baseStyle);
    var chosen = document.getElementById("map");
    var shaded = 0;
    if (state.shade !== "none") {
      base.eachLayer(function (layer) { if (layer.options.fillColor !== NEUTRAL && layer.options.fillColor !== EVENT_SHADES[0]) shaded++; });
    }
    chosen.setAttribute("data-shade", state.shade);
    chosen.setAttribute("data-shaded", String(shaded));
    renderShadeLegend();
  }

  function initShade() {
    var box = L.control({ position: "topright" });
    box.onAdd = function () {
      var select = el("select", { id: "shade", "aria-label": "Shade the governorates by" }, [
        el("option", { value: "none", text: "No shading" }),
        el("option", { value: "events", text: "Events in the period" }),
        el("option", { value: "warnings", text: "Warning level" }),
      ]);
      select.addEventListener("change", function () {
        state.shade = select.value;
        // The classes of the shading are in the legend: show it.
        if (state.shade !== "none") document.querySelector(".map-legend").open = true;
        restyle();
      });
      var div = el("div", { class: "map-shade" }, [el("label", { for: "shade", text: "Shade governorates" }), select]);
      L.DomEvent.disableClickPropagation(div);
      return div;
    };
    box.addTo(map);
  }

  function initLegend() {
    // Bottom left: the Jordanian and Saudi desert at the theatre's zoom, where no event is.
    var legend = L.control({ position: "bottomleft" });
    legend.onAdd = function () {
      var body = el("div", { class: "legend-body" }, [el("h4", { text: "Event type" })]);
      TYPES.forEach(function (t) { body.appendChild(el("div", { class: "legend-row" }, [el("span", { class: "dot t-" + slug(t[0]) }), t[0]])); });
      body.appendChild(el("h4", { text: "Markers" }));
      body.appendChild(el("div", { class: "legend-row" }, [el("span", { class: "dot size-s" }), el("span", { class: "dot size-l" }), "an event (size: fatalities)"]));
      body.appendChild(el("div", { class: "legend-row" }, [el("span", { class: "pie-swatch" }), "events here, by type"]));
      body.appendChild(el("div", { class: "legend-row" }, [el("span", { class: "area-swatch" }), "known only to this area"]));
      body.appendChild(el("div", { class: "legend-row" }, [el("span", { class: "kr-swatch" }), "Kurdistan Region"]));
      body.appendChild(el("div", { id: "shade-legend" }));
      // Closed at first (out of the way: the chart below names the colours too); it stays as
      // the reader leaves it.
      var box = el("details", { class: "map-legend" }, [el("summary", { text: "Legend" }), body]);
      try { if (localStorage.getItem("harbinger.legend") === "open") box.open = true; } catch (e) { /* no storage */ }
      box.addEventListener("toggle", function () {
        try { localStorage.setItem("harbinger.legend", box.open ? "open" : "closed"); } catch (e) { /* no storage */ }
      });
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    };
    legend.addTo(map);
  }

  function renderShadeLegend() {
    var box = document.getElementById("shade-legend");
    if (!box) return;
    clear(box);
    if (state.shade === "events") {
      var lows = eventBreaks();
      box.appendChild(el("h4", { text: "Events per governorate" }));
      box.appendChild(el("div", { class: "legend-row" }, [el("span", { class: "swatch shade-0" }), "none"]));
      lows.forEach(function (lo, i) {
        var hi = i + 1 < lows.length ? lows[i + 1] - 1 : null;
        box.appendChild(el("div", { class: "legend-row" }, [el("span", { class: "swatch shade-" + shadeIndex(i + 1, lows.length) }),
          hi === null ? lo + " or more" : lo === hi ? String(lo) : lo + "–" + hi]));
      });
    } else if (state.shade === "warnings") {
      box.appendChild(el("h4", { text: "Warning level" }));
      ["alert", "warning", "watch"].forEach(function (l) {
        box.appendChild(el("div", { class: "legend-row" }, [el("span", { class: "swatch level-bg-" + l }), l]));
      });
    }
  }

  function scheduleMap() {
    clearTimeout(mapTimer);
    mapTimer = setTimeout(loadMap, 120);
  }

  function loadMap() {
    if (!map) return;
    if (pending) pending.abort();
    pending = new AbortController();
    var b = map.getBounds();
    var zoom = Math.floor(map.getZoom());
    var bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (v) { return v.toFixed(4); }).join(",");
    getJSON("/api/map?" + query({ zoom: zoom, bbox: bbox }), pending.signal).then(function (data) {
      lastMap = data;
      drawMap(data);
      restyle();
    }).catch(function (err) { if (err.name !== "AbortError") showError(err); });
  }

  /* Events known only to a governorate (hatched-looking: dashed outline, light fill) or a
     country (its governorates lightly tinted, not interactive so the governorates stay so). */
  function areaLayer(code, lines, title, geometries, governorate) {
    var layer = L.geoJSON({ type: "FeatureCollection", features: geometries }, {
      pane: "areas",
      interactive: governorate,
      style: { color: "#6b5414", weight: governorate ? 2 : 0, dashArray: "6 4", fillColor: "#c9a227",
               fillOpacity: governorate ? 0.15 : 0.1, className: "area area-" + code },
    });
    if (governorate) {
      layer.bindTooltip(tip(title, lines), { sticky: true });
      layer.on("click", function () { setFilter("admin1", state.admin1 === code ? "" : code); });
    }
    return layer;
  }

  function drawMap(data) {
    markers.clearLayers();
    areas.clearLayers();
    var drawn = 0;
    // Events known only to a country: the country's governorates, lightly shaded.
    (data.countries || []).forEach(function (c) {
      var geoms = Object.keys(features).filter(function (k) { return features[k].properties.country_code === c.code; })
        .map(function (k) { return features[k]; });
      if (!geoms.length) return;
      areas.addLayer(areaLayer(c.code, [el("div", { text: plural(c.events, "event", "events") + " known only to the country" })]
        .concat(typeLines(c.by_type)), c.name, geoms, false));
    });
    if (data.mode === "governorates") {
      var most = Math.max.apply(null, [1].concat((data.governorates || []).map(function (g) { return g.events; })));
      (data.governorates || []).forEach(function (g) {
        if (g.label_lat === undefined) return;
        var m = L.marker([g.label_lat, g.label_lon], { icon: pieIcon(g.by_type, g.events, short(g.events), true, most, 26), keyboard: false });
        m.bindTooltip(tip(g.name, [el("div", { text: plural(g.events, "event", "events") + " · " + g.fatalities + " fatalities" })].concat(typeLines(g.by_type))));
        m.on("click", function () { if (layers[g.code]) map.fitBounds(layers[g.code].getBounds()); });
        markers.addLayer(m);
        drawn++;
      });
    } else {
      (data.areas || []).forEach(function (a) {
        if (!features[a.code]) return;
        areas.addLayer(areaLayer(a.code, [el("div", { text: plural(a.events, "event", "events") + " known only to the governorate" })]
          .concat(typeLines(a.by_type)), a.name, [features[a.code]], true));
      });
      if (data.mode === "cells") {
        // Cells are ~48 px apart: their pies stay under that.
        var top = Math.max.apply(null, [1].concat(data.cells.map(function (c) { return c.events; })));
        data.cells.forEach(function (c) {
          var m = L.marker([c.lat, c.lon], { icon: pieIcon(c.by_type, c.events, short(c.events), false, top, 21), keyboard: false });
          m.bindTooltip(tip(plural(c.events, "event", "events") + " here", [el("div", { text: c.fatalities + " fatalities" })].concat(typeLines(c.by_type))));
          m.on("click", function () { map.setView([c.lat, c.lon], Math.min(map.getMaxZoom(), map.getZoom() + 2)); });
          markers.addLayer(m);
          drawn++;
        });
      } else {
        drawn = drawPoints(data.points || []);
      }
    }
    var mapEl = document.getElementById("map");
    mapEl.setAttribute("data-mode", data.mode);
    mapEl.setAttribute("data-markers", String(drawn));
    var note = plural(data.total, "event", "events") + " match";
    if (data.mode === "governorates") note += " · by governorate; zoom in for places";
    else note += " · " + data.in_view + " placed in view" + (data.mode === "cells" ? ", in " + plural(drawn, "cell", "cells") : "");
    document.getElementById("map-count").textContent = note;
    var only = (data.countries || []).map(function (c) { return c.events + " only to " + c.name; });
    document.getElementById("map-note").textContent = only.length
      ? "Known only to the country (tinted): " + only.join(", ") + "." : "";
  }

  /* Events at one place share a marker (a pie with their number); a lone event is a circle in
     its type's colour, sized by its fatalities. */
  function drawPoints(points) {
    var places = {};
    var order = [];
    points.forEach(function (p) {
      var key = p.latitude.toFixed(4) + "," + p.longitude.toFixed(4);
      if (!places[key]) { places[key] = []; order.push(key); }
      places[key].push(p);
    });
    var mostHere = Math.max.apply(null, [1].concat(order.map(function (k) { return places[k].length; })));
    order.forEach(function (key) {
      var here = places[key];
      var p = here[0];
      var m;
      if (here.length === 1) {
        m = L.circleMarker([p.latitude, p.longitude], {
          pane: "points",
          radius: Math.min(22, 4.5 + 2.2 * Math.sqrt(p.fatalities || 0)), color: "#1d2430", weight: 1,
          fillColor: COLOR[p.event_type] || "#555", fillOpacity: 0.88, className: "event-point",
        });
        m.bindTooltip(tip(p.sub_event_type, [el("div", { text: (p.location || "") + " · " + (p.date || "no date") }),
          el("div", { text: plural(p.fatalities, "fatality", "fatalities") })]));
        m.on("click", function () { openEvent(p.id); });
      } else {
        var byType = {}, dead = 0;
        here.forEach(function (q) { byType[q.event_type] = (byType[q.event_type] || 0) + 1; dead += q.fatalities; });
        m = L.marker([p.latitude, p.longitude], { icon: pieIcon(byType, here.length, short(here.length), false, mostHere, 18), keyboard: false });
        m.bindTooltip(tip((p.location || "One place") + ": " + plural(here.length, "event", "events"),
          [el("div", { text: dead + " fatalities" })].concat(typeLines(byType))));
        m.on("click", function () { openPlace(p.location, here); });
      }
      markers.addLayer(m);
    });
    return order.length;
  }

  function openPlace(name, events) {
    var list = el("ul", { class: "items" });
    events.forEach(function (e) {
      var a = el("a", { href: "#" }, [el("span", { class: "dot t-" + slug(e.event_type) }), " " + (e.date || "no date") + " · " + e.sub_event_type + " · " + e.fatalities + " fatalities"]);
      a.addEventListener("click", function (ev) { ev.preventDefault(); openEvent(e.id); });
      list.appendChild(el("li", {}, [a]));
    });
    openDrawer([el("h2", { dir: "auto", text: name || "One place" }), el("p", { class: "muted", text: plural(events.length, "event", "events") + ", the deadliest first" }), list]);
  }

  // -- table ----------------------------------------------------------------------------------
  function loadTable() {
    latest("events", "/api/events?" + query({ limit: PAGE, offset: state.offset, sort: state.sort })).then(function (data) {
      var body = document.querySelector("#events tbody");
      clear(body);
      if (!data.events.length) {
        body.appendChild(el("tr", {}, [el("td", { colspan: "6", class: "empty", text: "No events match the filters." })]));
      }
      data.events.forEach(function (e) {
        var actors = (e.actor1 || "unknown") + (e.actor2 ? " vs " + e.actor2 : "");
        var row = el("tr", { "data-id": e.id, tabindex: "0" }, [
          el("td", { class: "nowrap", text: e.date || "—" }),
          el("td", {}, [el("div", { class: "type-cell" }, [el("span", { class: "dot t-" + slug(e.event_type) }),
            el("div", {}, [el("div", { text: e.event_type }), el("div", { class: "sub", text: e.sub_event_type })])])]),
          el("td", { dir: "auto", text: actors }),
          el("td", { dir: "auto", text: e.location || "—" }),
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
      document.getElementById("next").disabled = data.next_offset === null;
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
  function loadTimeline() {
    var box = document.getElementById("timeline");
    var sel = document.getElementById("f-admin1");
    document.getElementById("timeline-region").textContent =
      "· " + (state.admin1 ? sel.options[sel.selectedIndex].text : "all governorates") +
      (state.actor ? " · " + state.actor : "");
    // Without a start date, the latest year only (the chart shows no more).
    var extra = state.since ? { by_type: "true" } : { by_type: "true", weeks: String(TIMELINE_WEEKS) };
    latest("series", "/api/series?" + query(extra, ["admin1", "type", "since", "until", "actor"])).then(function (data) {
      drawTimeline(box, data);
    }).catch(function (err) {
      if (aborted(err)) return;
      clear(box);
      box.appendChild(el("p", { class: "empty", text: "No series: " + err.message }));
    });
  }

  /* Round tick values: 1, 2 or 5 times a power of ten, about four of them. */
  function ticks(max) {
    var raw = max / 4;
    var pow = Math.pow(10, Math.floor(Math.log10(Math.max(raw, 1))));
    var step = [1, 2, 5, 10].map(function (m) { return m * pow; }).filter(function (s) { return s >= raw; })[0] || pow;
    step = Math.max(1, step);
    var out = [];
    for (var v = 0; v <= max + 1e-9; v += step) out.push(v);
    if (out[out.length - 1] < max) out.push(out[out.length - 1] + step);
    return out;
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
    // Drawn at the box's own width in pixels: the labels keep their CSS size (12 px), not a
    // viewBox's scaling of it.
    var W = Math.max(320, Math.floor(box.clientWidth || 560)), H = 210;
    var m = { l: 40, r: 10, t: 10, b: 26 };
    var n = pts.length, iw = W - m.l - m.r, ih = H - m.t - m.b;
    var ymax = 1;
    pts.forEach(function (p) { ymax = Math.max(ymax, p.events, p.high); });
    var yt = ticks(ymax);
    ymax = yt[yt.length - 1];
    var bw = iw / n;
    function x(i) { return m.l + i * bw; }
    function y(v) { return m.t + ih - (v / ymax) * ih; }
    var root = svg("svg", { width: W, height: H, viewBox: "0 0 " + W + " " + H, role: "img", "aria-label": "Weekly events with baseline band" });
    var upper = [], lower = [], line = [];
    pts.forEach(function (p, i) {
      var cx = x(i) + bw / 2;
      upper.push(cx + "," + y(p.high)); lower.unshift(cx + "," + y(p.low)); line.push(cx + "," + y(p.baseline));
    });
    var axis = svg("g", { class: "axis" });
    yt.forEach(function (v) {
      axis.appendChild(svg("line", { class: "grid", x1: m.l, x2: W - m.r, y1: y(v), y2: y(v) }));
      var label = svg("text", { x: m.l - 6, y: y(v) + 4, "text-anchor": "end" });
      label.textContent = String(v);
      axis.appendChild(label);
    });
    root.appendChild(axis);
    root.appendChild(svg("polygon", { class: "band", points: upper.concat(lower).join(" ") }));
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
        title.textContent = "Week of " + p.week_start + ": " + v + " × " + t[0];
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
    var xaxis = svg("g", { class: "axis" });
    xaxis.appendChild(svg("line", { x1: m.l, x2: W - m.r, y1: y(0), y2: y(0) }));
    // A date label (yyyy-mm-dd, ~75 px at 12 px) every so many weeks, never overlapping.
    var every = Math.max(1, Math.ceil(90 / bw));
    pts.forEach(function (p, i) {
      if (i % every) return;
      var cx = x(i) + bw / 2;
      if (cx < m.l + 30 || cx > W - m.r - 30) return;
      var label = svg("text", { x: cx, y: H - 7, "text-anchor": "middle" });
      label.textContent = p.week_start;
      xaxis.appendChild(label);
    });
    root.appendChild(xaxis);
    box.appendChild(root);
    var legend = el("div", { class: "chart-legend" });
    TYPES.forEach(function (t) {
      if (byType[t[0]] && byType[t[0]].some(function (p) { return p.events; })) {
        legend.appendChild(el("span", { class: "legend-item" }, [el("span", { class: "dot t-" + slug(t[0]) }), t[0]]));
      }
    });
    legend.appendChild(el("span", { class: "legend-item" }, [el("span", { class: "band-swatch" }), "baseline band"]));
    legend.appendChild(el("span", { class: "legend-item" }, [el("span", { class: "baseline-swatch" }), "baseline"]));
    box.appendChild(legend);
    if (note) box.appendChild(el("p", { class: "muted small", text: note }));
  }

  // -- warnings -------------------------------------------------------------------------------
  var warnings = [];
  var warningsFor = null;
  function loadWarnings() {
    var list = document.getElementById("warnings");
    var params = {};
    if (state.until) params.as_of = state.until;
    if (state.actor) params.actor = state.actor;
    var key = JSON.stringify(params);
    if (key === warningsFor) { renderWarnings(); return; }
    warningsFor = key;
    latest("warnings", "/api/warnings?" + new URLSearchParams(params).toString()).then(function (data) {
      warnings = data.warnings;
      var asof = "as of " + data.as_of;
      if (state.actor && !data.actor) asof += " · every actor";
      document.getElementById("warnings-asof").textContent = asof;
      renderWarnings();
      restyle();
    }).catch(function (err) {
      if (aborted(err)) return;
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
        el("div", { class: "reason", dir: "auto", text: w.reason }),
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
    var box = el("blockquote", { class: "evidence-sentence", dir: "auto" });
    box.appendChild(el("mark", { text: ev.sentence }));
    return box;
  }

  function dl(pairs) {
    var list = el("dl");
    pairs.forEach(function (p) {
      if (p[1] === null || p[1] === undefined || p[1] === "") return;
      list.appendChild(el("dt", { text: p[0] }));
      list.appendChild(el("dd", { dir: "auto", text: String(p[1]) }));
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
          text: "Open the article with what was coded highlighted →" })]));
      }
      openDrawer(nodes);
    }).catch(showError);
  }

  function openWarning(w) {
    var nodes = [
      el("h2", {}, [el("span", { class: "level level-" + w.level, text: w.level }), w.region]),
      el("p", { class: "muted", text: w.period_start + " to " + w.period_end + " · score " + w.score }),
      el("p", { dir: "auto", text: w.reason }),
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
    if (aborted(err)) return;
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
    restyle();
    loadMap();
    loadTable();
    loadTimeline();
    loadWarnings();
  }

  /* yyyy-mm-dd, and a real day of the calendar. */
  function isoDay(text) {
    if (!ISO.test(text)) return false;
    var d = new Date(text + "T00:00:00Z");
    return !isNaN(d) && d.toISOString().slice(0, 10) === text;
  }

  function initFilters() {
    FILTERS.forEach(function (name) {
      var input = document.getElementById("f-" + name);
      var timer = null;
      input.addEventListener("change", function () {
        var value = input.value.trim();
        if ((name === "since" || name === "until") && value && !isoDay(value)) {
          input.setAttribute("aria-invalid", "true");
          input.title = "Write the date as yyyy-mm-dd, e.g. 2022-03-01";
          return;
        }
        input.removeAttribute("aria-invalid");
        input.title = "";
        if (state[name] === value) return;
        state[name] = value;
        refresh();
      });
      if (name === "actor") {
        input.addEventListener("input", function () {
          clearTimeout(timer);
          timer = setTimeout(function () {
            var value = input.value.trim();
            if (value !== state.actor) { state.actor = value; refresh(); }
          }, 400);
        });
      }
    });
    document.getElementById("filters").addEventListener("submit", function (ev) { ev.preventDefault(); });
    document.getElementById("f-reset").addEventListener("click", function () {
      FILTERS.forEach(function (n) { state[n] = ""; });
      document.querySelectorAll("#filters [aria-invalid]").forEach(function (i) { i.removeAttribute("aria-invalid"); });
      setTimeout(refresh, 0);
    });
    document.getElementById("evidence-close").addEventListener("click", function () { drawer.hidden = true; });
    document.addEventListener("keydown", function (ev) { if (ev.key === "Escape") drawer.hidden = true; });
    var resize = null;
    window.addEventListener("resize", function () { clearTimeout(resize); resize = setTimeout(loadTimeline, 200); });
  }

  initFilters();
  initTable();
  initMap();
  refresh();
})();
