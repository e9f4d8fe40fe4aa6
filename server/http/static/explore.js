// The graph explorer: draws a network view with sigma.js (WebGL) on graphology, at the positions
// the server's export carries (ForceAtlas2, computed by a query worker: decision 0022), with
// labels, size by degree and colour by type; a legend that filters by type, filters by pillar,
// year and certainty; a search that prefers an exact document number; and a neighbourhood
// highlight for the node under the pointer or the one selected. The page's words come from the
// template (data-* attributes), so the page reads in Vietnamese or English.
"use strict";
(function () {
  const root = document.getElementById("explorer");
  const container = document.getElementById("network");
  const status = document.getElementById("explorer-status");
  const words = document.getElementById("explorer-words").dataset;
  const bases = root.dataset.bases.split(" ").filter(Boolean);
  const lang = root.dataset.lang;
  const NONE = "(none)";
  const DIM = "#e2e2e2";
  const state = {
    graph: null, renderer: null, selected: null, hovered: null, neighbours: null,
    visible: new Set(), yearsKnown: [],
  };

  function pageFor(uri) {
    for (const base of bases) {
      const rest = uri.slice(base.length);
      // "//host/…" (or "/\\host") would leave the site: such URIs get the outside-URI page.
      if (uri.startsWith(base) && rest && !rest.startsWith("/") && !rest.includes("\\")) {
        return "/" + rest + (lang === "vi" ? "?lang=vi" : "");
      }
    }
    return "/resource?uri=" + encodeURIComponent(uri) + (lang === "vi" ? "&lang=vi" : "");
  }

  // Lower case, no diacritics (NFD, then the combining marks dropped), đ as d: "Nghị quyết"
  // and "nghi quyet" meet.
  function fold(text) {
    return String(text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase().trim();
  }

  function split(values) {
    return String(values || "").split(";").filter(Boolean);
  }

  function yearOf(data) {
    const match = /^(\d{4})/.exec(data.date || "");
    return match ? match[1] : "";
  }

  // ---- filters -------------------------------------------------------------------------------

  function checked(name) {
    return new Set([...root.querySelectorAll(`input[name="${name}"]:checked`)].map((i) => i.value));
  }

  function chosen() {
    return {
      types: checked("type"), pillars: checked("pillar"), certainties: checked("certainty"),
      from: document.getElementById("year-from").value,
      to: document.getElementById("year-to").value,
    };
  }

  function nodeShown(data, choice) {
    if (!choice.types.has(data.kind || NONE)) return false;
    const pillars = split(data.pillars);
    const pillarOk = pillars.length === 0 ? choice.pillars.has(NONE)
      : pillars.some((pillar) => choice.pillars.has(pillar));
    if (!pillarOk) return false;
    const year = yearOf(data);
    // Resources without a date (provisions, bodies, concepts) stay: the years filter documents.
    return !year || ((!choice.from || year >= choice.from) && (!choice.to || year <= choice.to));
  }

  function applyFilters() {
    const graph = state.graph;
    if (!graph) return;
    const choice = chosen();
    state.visible = new Set(graph.filterNodes((node, data) => nodeShown(data, choice)));
    graph.forEachEdge((edge, data, source, target) => {
      graph.setEdgeAttribute(edge, "hidden", !(state.visible.has(source) && state.visible.has(target)
        && choice.certainties.has(data.certainty || NONE)));
    });
    if (state.selected && !state.visible.has(state.selected)) select(null);
    const links = graph.filterEdges((edge, data) => !data.hidden).length;
    status.textContent = words.counts.replace("{nodes}", state.visible.size)
      .replace("{total}", graph.order).replace("{links}", links);
    fitBox();
    state.renderer.refresh();
  }

  // "Fit" frames the nodes shown, not the whole graph.
  function fitBox() {
    const xs = [], ys = [];
    state.visible.forEach((node) => {
      xs.push(state.graph.getNodeAttribute(node, "x"));
      ys.push(state.graph.getNodeAttribute(node, "y"));
    });
    if (!xs.length) return;
    state.renderer.setCustomBBox({
      x: [Math.min(...xs), Math.max(...xs)], y: [Math.min(...ys), Math.max(...ys)],
    });
  }

  function fit() {
    state.renderer.getCamera().animatedReset({ duration: 300 });
  }

  function option(select, value, text) {
    const item = document.createElement("option");
    item.value = value; item.textContent = text;
    select.append(item);
  }

  // A list of checkboxes with a count each; the types' list carries the colours: the legend.
  function checkboxes(containerId, name, entries) {
    const box = document.getElementById(containerId);
    box.replaceChildren();
    box.closest("fieldset").hidden = entries.length < 2;
    for (const entry of entries) {
      const item = document.createElement("label");
      const input = document.createElement("input");
      input.type = "checkbox"; input.name = name; input.value = entry.value; input.checked = true;
      input.addEventListener("change", applyFilters);
      item.append(input);
      if (entry.colour) {
        const swatch = document.createElement("span");
        swatch.className = "swatch";
        swatch.style.background = entry.colour;
        item.append(swatch);
      }
      const count = document.createElement("span");
      count.className = "count";
      count.textContent = String(entry.count);
      item.append(" " + entry.label + " ", count);
      box.append(item);
    }
  }

  function tally(items, keysOf, labelOf, colourOf) {
    const found = new Map();
    for (const item of items) {
      for (const key of keysOf(item)) {
        const entry = found.get(key) || { value: key, label: labelOf(item, key), count: 0 };
        if (colourOf) entry.colour = colourOf(item);
        entry.count += 1;
        found.set(key, entry);
      }
    }
    return [...found.values()].sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
  }

  function buildFilters(nodes, links) {
    checkboxes("filter-type", "type", tally(nodes, (n) => [n.type || NONE],
      (n) => (n.type ? n.type_label || n.type : words.none), (n) => n.color));
    checkboxes("filter-pillar", "pillar", tally(nodes,
      (n) => (split(n.pillars).length ? split(n.pillars) : [NONE]),
      (n, key) => (key === NONE ? words.noPillar
        : split(n.pillar_labels)[split(n.pillars).indexOf(key)] || key)));
    checkboxes("filter-certainty", "certainty", tally(links, (l) => [l.certainty || NONE],
      (l) => (l.certainty ? l.certainty_label || l.certainty : words.notStated)));
    const years = [...new Set(nodes.map(yearOf).filter(Boolean))].sort();
    state.yearsKnown = years;
    const from = document.getElementById("year-from"), to = document.getElementById("year-to");
    from.replaceChildren(); to.replaceChildren();
    years.forEach((year) => { option(from, year, year); option(to, year, year); });
    from.value = years[0] || ""; to.value = years[years.length - 1] || "";
    document.getElementById("filter-years").hidden = years.length < 2;
  }

  // ---- drawing -------------------------------------------------------------------------------

  function nodeReducer(node, data) {
    const shown = { ...data };
    if (!state.visible.has(node)) { shown.hidden = true; return shown; }
    const focus = state.hovered || state.selected;
    if (focus && state.neighbours) {
      if (node === focus || state.neighbours.has(node)) {
        shown.forceLabel = true;
        shown.zIndex = 1;
      } else {
        shown.color = DIM; shown.label = ""; shown.zIndex = 0;
      }
    }
    if (node === state.selected) { shown.highlighted = true; shown.forceLabel = true; }
    return shown;
  }

  function edgeReducer(edge, data) {
    const shown = { ...data };
    const focus = state.hovered || state.selected;
    if (focus && state.neighbours) {
      const graph = state.graph;
      if (graph.source(edge) !== focus && graph.target(edge) !== focus) shown.hidden = true;
      else { shown.color = "#555"; shown.size = 1.5; }
    }
    return shown;
  }

  function focusOn(node) {
    state.neighbours = node ? new Set(state.graph.neighbors(node)) : null;
    state.renderer.refresh({ skipIndexation: true });
  }

  function select(node) {
    state.selected = node;
    state.hovered = null;
    focusOn(node);
    describe(node);
  }

  function centreOn(node) {
    const shown = state.renderer.getNodeDisplayData(node);
    if (shown) state.renderer.getCamera().animate({ x: shown.x, y: shown.y, ratio: 0.5 }, { duration: 300 });
  }

  // The panel under the drawing: the selected node, a link to its page and its neighbours.
  function describe(node) {
    const panel = document.getElementById("selection");
    panel.replaceChildren();
    if (!node) { panel.hidden = true; return; }
    panel.hidden = false;
    const data = state.graph.getNodeAttributes(node);
    const heading = document.createElement("h2");
    heading.textContent = data.title;
    const facts = document.createElement("p");
    facts.textContent = [data.type_label || data.kind, data.number, data.date].filter(Boolean).join(" · ");
    const open = document.createElement("a");
    open.href = pageFor(data.uri); open.textContent = words.open; open.className = "open";
    panel.append(heading, facts, open);
    const around = state.graph.neighbors(node).filter((n) => state.visible.has(n));
    if (around.length) {
      const title = document.createElement("h3");
      title.textContent = words.neighbours.replace("{count}", around.length);
      const list = document.createElement("ul");
      around.sort((a, b) => state.graph.degree(b) - state.graph.degree(a)).slice(0, 30).forEach((n) => {
        const item = document.createElement("li");
        const button = document.createElement("button");
        button.type = "button"; button.className = "link";
        button.textContent = state.graph.getNodeAttribute(n, "title");
        button.addEventListener("click", () => { select(n); centreOn(n); });
        item.append(button);
        list.append(item);
      });
      panel.append(title, list);
    }
  }

  // ---- search --------------------------------------------------------------------------------

  // A document's number typed exactly (alone or among other words) ranks first, then a number
  // whose first part is typed ("57" → 57-NQ/TW and 57/2014/QH13), then a whole word of the
  // label, then any part of number or label; among equals the better connected node first (the
  // one people mean by "57" is the resolution the whole graph hangs on).
  function rank(text) {
    const asked = fold(text);
    if (!asked) return [];
    const tokens = asked.split(/\s+/);  // "nghi quyet 57-nq/tw" holds the number 57-nq/tw
    const found = [];
    state.graph.forEachNode((node, data) => {
      if (!state.visible.has(node)) return;
      const number = fold(data.number), label = fold(data.title);
      let score = 0;
      if (number && (number === asked || tokens.includes(number))) score = 4;
      else if (number && tokens.includes(number.split(/[-/\s]/)[0])) score = 3;
      else if (label.split(/[^\p{L}\p{N}]+/u).includes(asked)) score = 2;
      else if (number.includes(asked) || label.includes(asked)) score = 1;
      if (score) found.push({ node, score, degree: state.graph.degree(node), label: data.title });
    });
    return found.sort((a, b) => b.score - a.score || b.degree - a.degree
      || a.label.localeCompare(b.label)).map((entry) => entry.node);
  }

  function search(text) {
    const results = document.getElementById("search-results");
    results.replaceChildren();
    const found = rank(text);
    if (!text.trim()) { select(null); return; }
    if (!found.length) { results.textContent = words.noMatch; select(null); return; }
    select(found[0]);
    centreOn(found[0]);
    found.slice(1, 6).forEach((node) => {
      const button = document.createElement("button");
      button.type = "button"; button.className = "link";
      button.textContent = state.graph.getNodeAttribute(node, "title");
      button.addEventListener("click", () => { select(node); centreOn(node); });
      results.append(button);
    });
  }

  // ---- loading -------------------------------------------------------------------------------

  // Smaller discs (and the size from which labels show) on a phone.
  function narrowness() {
    return container.clientWidth < 500 ? 0.7 : 1;
  }

  function shorten(text) {
    const words = String(text || "").split(" ");
    let kept = "";
    for (const word of words) {
      if ((kept + " " + word).length > 42) return kept + " …";
      kept = kept ? kept + " " + word : word;
    }
    return kept;
  }

  function graphOf(data) {
    const graph = new graphology({ multi: true, type: "directed", allowSelfLoops: true });
    const crowded = data.links.length > 1000;
    const narrow = narrowness();
    for (const node of data.nodes) {
      // sigma reads "type" as the drawing program's name: the node's type is kept as "kind".
      // The drawing shows a title's first words; the panel shows it whole.
      const { type, size, label, ...rest } = node;
      graph.addNode(node.id, {
        ...rest, kind: type, size: narrow * (2 + (size || 4) / 3), title: label,
        label: shorten(label),
      });
    }
    data.links.forEach((link, index) => {
      const pale = link.assertion === "derived" || link.certainty === "uncertain";
      graph.addDirectedEdgeWithKey(`e${index}`, link.source, link.target, {
        certainty: link.certainty, certainty_label: link.certainty_label,
        label: link.predicate_label, color: pale || crowded ? "#d4d4d4" : "#a3a3a3", size: 1,
      });
    });
    return graph;
  }

  async function load(view) {
    status.textContent = words.loading;
    root.dataset.loaded = "";
    const response = await fetch(`/export/${view}.d3.json?lang=${lang}`);
    if (!response.ok) { status.textContent = await response.text(); return; }
    const data = await response.json();
    state.graph = graphOf(data);
    const large = state.graph.order > 300;
    state.selected = null; state.hovered = null; state.neighbours = null;
    buildFilters(data.nodes, data.links);
    if (state.renderer) state.renderer.kill();
    state.visible = new Set(state.graph.nodes());
    state.renderer = new Sigma(state.graph, container, {
      nodeReducer, edgeReducer, defaultEdgeType: "arrow", zIndex: true,
      labelFont: "system-ui, sans-serif", labelSize: 12, labelWeight: "500",
      // A small view shows most labels; a large one the best connected nodes' until zoomed.
      labelColor: { color: "#1a1a1a" }, labelDensity: large ? 0.25 : 1, labelGridCellSize: 100,
      labelRenderedSizeThreshold: (large ? 7 : 3) * narrowness(), minCameraRatio: 0.03, maxCameraRatio: 4,
      stagePadding: 24,
    });
    const renderer = state.renderer;
    renderer.on("enterNode", ({ node }) => { state.hovered = node; focusOn(node); });
    renderer.on("leaveNode", () => { state.hovered = null; focusOn(state.selected); });
    renderer.on("clickNode", ({ node }) => select(node));
    renderer.on("doubleClickNode", ({ node, event }) => {
      event.preventSigmaDefault();
      window.location.href = pageFor(state.graph.getNodeAttribute(node, "uri"));
    });
    renderer.on("clickStage", () => select(null));
    document.getElementById("search").value = "";
    document.getElementById("search-results").replaceChildren();
    describe(null);
    applyFilters();
    renderer.once("afterRender", () => { root.dataset.loaded = view; });
    renderer.refresh();
  }

  let typing = null;
  document.getElementById("search").addEventListener("input", (event) => {
    clearTimeout(typing);
    typing = setTimeout(() => search(event.target.value), 150);
  });
  document.getElementById("search-form").addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(typing);
    search(document.getElementById("search").value);
  });
  document.getElementById("view").addEventListener("change", (event) => load(event.target.value));
  document.getElementById("fit").addEventListener("click", fit);
  ["year-from", "year-to"].forEach((id) => document.getElementById(id)
    .addEventListener("change", applyFilters));

  // For the page's own tests and for anyone scripting it from the console.
  window.explorer = {
    drawn: () => [...state.visible],
    selected: () => state.selected,
    labels: () => (state.renderer ? [...state.renderer.getNodeDisplayedLabels()] : []),
    search: (text) => rank(text),
    redraw: () => state.renderer.refresh(),
    lit: () => [...state.visible].filter((node) => {
      const shown = state.renderer.getNodeDisplayData(node);
      return shown && shown.color !== DIM;
    }),
    screenPosition: (id) => {
      const shown = state.renderer.getNodeDisplayData(id);
      const at = state.renderer.framedGraphToViewport(shown);
      const box = container.getBoundingClientRect();
      return { x: box.left + at.x, y: box.top + at.y };
    },
  };
  load(document.getElementById("view").value);
})();
